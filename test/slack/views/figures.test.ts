// Figures a reader can check: a total that is a sum is the sum of the rows shown (to the cent), and an account whose
// only candidate is not priced is not said to save "$0.00".
import { describe, expect, it } from 'vitest';
import { summarise } from '../../../src/core/digest.js';
import type { Finding } from '../../../src/core/staleness/types.js';
import { digestMessage, digestText } from '../../../src/slack/views/digest/index.js';

const now = new Date('2026-06-01T09:00:00Z');
function candidate(id: string, monthlyUsd: number, over: Partial<Finding> = {}): Finding {
  return { kind: 'snapshot', id, region: 'us-east-1', reasons: [{ rule: 'source-volume-gone', text: 'source volume gone; 200 days old' }], ageDays: 200, sizeGiB: 10, monthlyUsd, deletable: true, ...over };
}
const dollars = (text: string) => [...text.matchAll(/\$([\d,]+\.\d\d)/g)].map((m) => Number(m[1].replace(/,/g, '')));

describe('digest figures', () => {
  it('says as the total the sum of the amounts it shows, to the cent', () => {
    // Each is $5.065: shown as $5.07; three of them are $15.21 as shown, $15.195 (≈ $15.20) unrounded.
    const summary = summarise([candidate('snap-0000000000000000a', 5.065), candidate('snap-0000000000000000b', 5.065), candidate('snap-0000000000000000c', 5.065)], now);
    const text = digestText(summary);
    // Each item's own line ends "· up to $5.07/mo".
    const rows = text.split('\n').filter((l) => /up to \$[\d,.]+\/mo$/.test(l)).flatMap(dollars);
    expect(rows).toEqual([5.07, 5.07, 5.07]);
    expect(text).toContain('up to $15.21/month cleanup would save');
    expect(digestMessage(summary).text).toContain('$15.21');
  });

  it('never says "$0.00" for a cleanup whose only candidate is not priced', () => {
    const summary = summarise([candidate('ami-0000000000000000a', 0, { kind: 'image', unpriced: 'S3 bundle, size unknown to EC2' })], now);
    const message = digestMessage(summary);
    expect(JSON.stringify(message)).not.toContain('$0.00/month');
    expect(JSON.stringify(message)).toContain('not priced');
  });
});

describe('a digest after Make private', () => {
  it('says one exposure fewer, in the Exposure heading and in each account line', async () => {
    const { oneFewerExposed } = await import('../../../src/slack/views/digest/index.js');
    expect(oneFewerExposed('*:rotating_light: Exposure* — 3 resources public or shared')).toBe('*:rotating_light: Exposure* — 2 resources public or shared');
    expect(oneFewerExposed('*:rotating_light: Exposure* — 2 resources public')).toBe('*:rotating_light: Exposure* — 1 resource public');
    expect(oneFewerExposed('dev (222233334444): 3 exposed · nothing to clean up')).toBe('dev (222233334444): 2 exposed · nothing to clean up');
    expect(oneFewerExposed('Cost-cleanup digest: 1,001 exposed (public or shared outside the allowed accounts); …')).toBe('Cost-cleanup digest: 1,000 exposed (public or shared outside the allowed accounts); …');
  });
});
