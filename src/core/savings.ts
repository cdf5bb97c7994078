// What snapbot's approved deletions, deregistrations and archive moves have freed, added up from the ledger the way
// `/snapshot savings` and the digest's header say it: since it began, in the last 30 days, and by kind.
import { roundCents } from './cost.js';

export type SavingKind = 'snapshot-deleted' | 'ami-deregistered' | 'archive-move';

export const SAVING_KINDS: readonly SavingKind[] = ['snapshot-deleted', 'ami-deregistered', 'archive-move'];

export interface SavingsSummary {
  /** USD a month, since the first saving (0 when there is none). */
  totalUsdMonth: number;
  /** The same, for savings of the last 30 days. */
  last30UsdMonth: number;
  byKind: Record<SavingKind, { count: number; usdMonth: number }>;
  /** Some amounts are upper bounds (what a snapshot holds, not what only it holds). */
  anyUpperBound: boolean;
  /** ISO time of the first saving. */
  since?: string;
}

export function summariseSavings(entries: readonly { kind: SavingKind; usdMonth: number; measured: boolean; at: string }[], now: Date): SavingsSummary {
  const monthAgo = now.getTime() - 30 * 86_400_000;
  const byKind = Object.fromEntries(SAVING_KINDS.map((k) => [k, { count: 0, usdMonth: 0 }])) as SavingsSummary['byKind'];
  let total = 0;
  let last30 = 0;
  let since: string | undefined;
  let anyUpperBound = false;
  for (const e of entries) {
    // Each amount as shown, to the cent, so the total is the sum of its parts.
    const usd = roundCents(e.usdMonth);
    total += usd;
    if (Date.parse(e.at) >= monthAgo) last30 += usd;
    byKind[e.kind].count += 1;
    byKind[e.kind].usdMonth += usd;
    if (!e.measured) anyUpperBound = true;
    if (!since || e.at < since) since = e.at;
  }
  return { totalUsdMonth: total, last30UsdMonth: last30, byKind, anyUpperBound, ...(since ? { since } : {}) };
}
