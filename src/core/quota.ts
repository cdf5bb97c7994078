// How close each region is to its snapshot quota, and when it fills at the growth the digest's history shows. Pure.

export interface QuotaOutlook {
  account?: string;
  region: string;
  snapshots: number;
  quota: number;
  /** applied: the account's quota; default: AWS's default; assumed: Service Quotas could not be read. */
  source: 'applied' | 'default' | 'assumed';
  /** Snapshots added a day, over the history's span (absent: fewer than two days known). */
  perDay?: number;
  /** Days until the quota is reached at that growth (absent: not growing, or not known). */
  daysUntilFull?: number;
}

/** The region's outlook from its count today and the counts of earlier digests (any order, today's may be among them). */
export function quotaOutlook(
  today: { account?: string; region: string; snapshots: number; day: string },
  earlier: readonly { day: string; snapshots: number }[],
  quota: { value: number; source: QuotaOutlook['source'] },
): QuotaOutlook {
  const base: QuotaOutlook = { ...(today.account ? { account: today.account } : {}), region: today.region, snapshots: today.snapshots, quota: quota.value, source: quota.source };
  const first = [...earlier].filter((e) => e.day < today.day).sort((a, b) => (a.day < b.day ? -1 : 1))[0];
  if (!first) return base;
  const days = (Date.parse(`${today.day}T00:00:00Z`) - Date.parse(`${first.day}T00:00:00Z`)) / 86_400_000;
  if (days < 1) return base;
  const perDay = (today.snapshots - first.snapshots) / days;
  if (perDay <= 0) return { ...base, perDay: Math.round(perDay * 10) / 10 };
  return { ...base, perDay: Math.round(perDay * 10) / 10, daysUntilFull: Math.max(0, Math.floor((quota.value - today.snapshots) / perDay)) };
}
