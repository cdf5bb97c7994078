// `/snapshot list` over an account of any size: counted and priced page by page, only the newest few kept.
import { roundCents, snapshotMonthlyUsd, type Prices } from './cost.js';
import type { Snapshot } from './types.js';

/** How many snapshots a listing keeps to show, newest first. */
export const LISTING_MAX_SHOWN = 200;
const MAX_SHOWN = LISTING_MAX_SHOWN;

/** What `/snapshot list` shows: how many there are, what they cost in all, and the newest few. */
export interface SnapshotListing {
  count: number;
  monthlyUsd: number;
  /** Newest first, at most MAX_SHOWN. */
  newest: Snapshot[];
}

/**
 * Builds a SnapshotListing while pages of snapshots stream in, holding only the newest MAX_SHOWN between pages:
 * an account of 100 000 snapshots is counted and priced, never kept.
 */
export function snapshotListing(prices: Prices) {
  const byNewest = (a: Snapshot, b: Snapshot) => b.startTime.getTime() - a.startTime.getTime();
  let kept: Snapshot[] = [];
  let count = 0;
  let monthlyUsd = 0;
  return {
    add(page: readonly Snapshot[]): void {
      for (const s of page) {
        count++;
        monthlyUsd += roundCents(snapshotMonthlyUsd(s, prices));
        kept.push(s);
      }
      if (kept.length > 2 * MAX_SHOWN) kept = kept.sort(byNewest).slice(0, MAX_SHOWN);
    },
    result(): SnapshotListing {
      return { count, monthlyUsd, newest: kept.sort(byNewest).slice(0, MAX_SHOWN) };
    },
  };
}

