import { describe, expect, it } from 'vitest';
import { summariseSavings } from '../../src/core/savings.js';

const now = new Date('2026-12-03T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();

describe('summariseSavings', () => {
  it('is $0.00 in every kind with nothing recorded, and names no start', () => {
    const s = summariseSavings([], now);
    expect(s.totalUsdMonth).toBe(0);
    expect(s.last30UsdMonth).toBe(0);
    expect(s.byKind['snapshot-deleted']).toEqual({ count: 0, usdMonth: 0 });
    expect(s.since).toBeUndefined();
    expect(s.anyUpperBound).toBe(false);
  });

  it('adds each amount as shown (to the cent), splits the last 30 days and the kinds, and labels upper bounds', () => {
    const s = summariseSavings(
      [
        { kind: 'snapshot-deleted', usdMonth: 0.104, measured: true, at: daysAgo(40) },
        { kind: 'snapshot-deleted', usdMonth: 0.104, measured: true, at: daysAgo(2) },
        { kind: 'ami-deregistered', usdMonth: 0, measured: false, at: daysAgo(29.9) },
        { kind: 'archive-move', usdMonth: 3.75, measured: false, at: daysAgo(1) },
      ],
      now,
    );
    expect(s.totalUsdMonth).toBeCloseTo(0.1 + 0.1 + 3.75, 10);
    expect(s.last30UsdMonth).toBeCloseTo(0.1 + 3.75, 10);
    expect(s.byKind['snapshot-deleted']).toEqual({ count: 2, usdMonth: 0.2 });
    expect(s.byKind['ami-deregistered'].count).toBe(1);
    expect(s.anyUpperBound).toBe(true);
    expect(s.since).toBe(daysAgo(40));
  });
});
