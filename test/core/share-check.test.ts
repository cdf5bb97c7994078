// The account-share check's order and budget: a bounded round-robin over IDs seen one at a time.
import { describe, expect, it } from 'vitest';
import {
  MIN_SHARE_CHECKS_PER_RUN,
  RoundRobinPicker,
  SHARE_RECHECK_DAYS,
  outsideAccounts,
  shareCheckBudget,
} from '../../src/core/share-check.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `snap-${String(i).padStart(5, '0')}`);

function pick(all: string[], cursor: string | undefined, budget: number) {
  const p = new RoundRobinPicker<number>(cursor, budget);
  // Offered in a scrambled order, as pages come.
  [...all].reverse().forEach((id, i) => p.offer(id, i));
  return p.result();
}

describe('RoundRobinPicker', () => {
  it('takes the next `budget` IDs after the cursor, in order', () => {
    const r = pick(ids(100), 'snap-00010', 5);
    expect(r.picked.map((x) => x.id)).toEqual(['snap-00011', 'snap-00012', 'snap-00013', 'snap-00014', 'snap-00015']);
    expect(r.nextCursor).toBe('snap-00015');
  });

  it('wraps round to the start, and covers every ID in ceil(n / budget) runs', () => {
    const all = ids(23);
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let run = 0; run < Math.ceil(23 / 5); run++) {
      const r = pick(all, cursor, 5);
      r.picked.forEach((x) => seen.add(x.id));
      cursor = r.nextCursor;
    }
    expect(seen.size).toBe(23);
    // The run after the end starts again at the beginning.
    expect(pick(all, 'snap-00022', 3).picked.map((x) => x.id)).toEqual(['snap-00000', 'snap-00001', 'snap-00002']);
  });

  it('keeps at most twice the budget however many IDs stream past, and counts them all', () => {
    const p = new RoundRobinPicker<null>(undefined, 10);
    for (const id of ids(10_000)) p.offer(id, null);
    expect(p.total).toBe(10_000);
    expect(p.result().picked).toHaveLength(10);
  });

  it('an account smaller than the budget is checked whole, each ID once', () => {
    const r = pick(ids(7), 'snap-00003', 50);
    expect(r.picked.map((x) => x.id).sort()).toEqual(ids(7));
  });
});

describe('shareCheckBudget', () => {
  it('checks small accounts whole and large ones within SHARE_RECHECK_DAYS runs', () => {
    expect(shareCheckBudget(0)).toBe(MIN_SHARE_CHECKS_PER_RUN);
    expect(shareCheckBudget(150)).toBe(MIN_SHARE_CHECKS_PER_RUN);
    expect(shareCheckBudget(120_000)).toBe(120_000 / SHARE_RECHECK_DAYS);
  });

  it('outsideAccounts leaves out the allowed ones', () => {
    expect(outsideAccounts(['111', '222', '333'], ['222'])).toEqual(['111', '333']);
  });
});
