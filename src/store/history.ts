// The digest's history: one small item per account, region and day (the last run of the day wins), for the chart's
// trend over the last 30 digests and the quota line's growth. Kept the store's retention.
import type { Dynamo } from './dynamo.js';
import { compact, key, retentionExpiry } from './keys.js';

export interface HistoryEntry {
  /** YYYY-MM-DD (UTC). */
  day: string;
  /** The managed account; absent: snapbot's own. */
  account?: string;
  region: string;
  /** Snapshots the account holds in the region. */
  snapshots: number;
  /** What cleanup would save there, USD a month. */
  cleanupUsd: number;
}

export interface HistoryRepository {
  record(entry: HistoryEntry): Promise<void>;
  /** Every entry from `day` (YYYY-MM-DD) on, oldest first. */
  since(day: string): Promise<HistoryEntry[]>;
}

export function historyRepository(db: Dynamo, now: () => Date): HistoryRepository {
  return {
    async record(e) {
      await db.put({ Item: compact({ ...key.history(e.day, e.account, e.region), kind: 'history', expiresAt: retentionExpiry(now()), entry: e }) });
    },
    async since(day) {
      const items = await db.query({
        KeyConditionExpression: 'pk = :pk AND sk >= :day',
        ExpressionAttributeValues: { ':pk': key.historyPartition, ':day': day },
      });
      return items.map((i) => i.entry as HistoryEntry);
    },
  };
}
