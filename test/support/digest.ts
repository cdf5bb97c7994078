// Every finding of a digest scan, as the CSV gets them (the summary keeps only the largest of each list).
import type { Finding } from '../../src/core/staleness/types.js';
import { buildDigest } from '../../src/usecases/digest.js';

export async function everyFinding(o: Omit<Parameters<typeof buildDigest>[0], 'sink'>): Promise<Finding[]> {
  const all: Finding[] = [];
  await buildDigest({ ...o, sink: (f) => all.push(f) });
  return all;
}
