import { describe, expect, it } from 'vitest';
import { whoPaysLine } from '../../../src/slack/views/digest/words.js';

describe('whoPaysLine', () => {
  const totals = { count: 0, sizeGiB: 0, monthlyUsd: 100, managedCount: 0, deletableCount: 0, unpricedCount: 0 };
  it('names the top five groups, adds up the rest, and always gives the untagged share', () => {
    const byGroup = [
      ...['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((group, i) => ({ group, count: 1, monthlyUsd: 10 - i })),
      { group: 'untagged', count: 4, monthlyUsd: 37 },
    ].sort((x, y) => y.monthlyUsd - x.monthlyUsd);
    expect(whoPaysLine({ byGroup, totals })).toBe('Who pays: a $10.00 (1) · b $9.00 (1) · c $8.00 (1) · d $7.00 (1) · e $6.00 (1) · 2 other groups $9.00 (2) · untagged $37.00 (4, 37% of it)');
  });
  it('says nothing when nothing was grouped', () => {
    expect(whoPaysLine({ byGroup: [], totals })).toBeUndefined();
  });
});
