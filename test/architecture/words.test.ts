// Words a careful reader notices, kept out of the code that writes messages: "snapshot(s)" (say "1 snapshot" or
// "2 snapshots": core/words.ts count()), and "just now ago" (say ago(): slack/views/format.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { count } from '../../src/core/words.js';
import { ago } from '../../src/slack/views/format.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'sandbox' ? [] : filesUnder(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

const sources = filesUnder('src').map((f) => ({ f, text: readFileSync(f, 'utf8') }));

describe('message wording in the code', () => {
  it('never writes "(s)" after a noun', () => {
    const found = sources.flatMap(({ f, text }) => [...text.matchAll(/\b(?!https?\b)[a-z]+\(s\)(?=[ .,:!?'"`\\])/g)].map((m) => `${f}: …${text.slice(Math.max(0, m.index! - 30), m.index! + 4)}`));
    expect(found).toEqual([]);
  });

  it('never puts "ago" after formatAge (which may say "just now")', () => {
    const found = sources.flatMap(({ f, text }) => [...text.matchAll(/formatAge\([^)]*\)\}?\s*ago/g)].map((m) => `${f}: ${m[0]}`));
    expect(found).toEqual([]);
  });

  it('count() and ago() say it right', () => {
    expect(count(1, 'snapshot')).toBe('1 snapshot');
    expect(count(2, 'snapshot')).toBe('2 snapshots');
    expect(count(1200, 'volume')).toBe('1,200 volumes');
    const now = new Date('2026-06-01T12:00:00Z');
    expect(ago(new Date(now.getTime() - 10_000), now)).toBe('just now');
    expect(ago(new Date(now.getTime() - 5 * 60_000), now)).toBe('5 min ago');
  });
});
