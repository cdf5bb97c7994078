// The savings ledger: what each executed deletion, deregistration and archive move freed per month, one item each,
// kept for good (it is the history `/snapshot savings` and the digest's header add up).
import type { Dynamo } from './dynamo.js';
import { key } from './keys.js';

import type { SavingKind } from '../core/savings.js';

export type { SavingKind };

export interface SavingEntry {
  kind: SavingKind;
  resourceId: string;
  /** USD a month no longer paid. */
  usdMonth: number;
  /** Measured from the blocks no other snapshot shares, or an upper bound. */
  measured: boolean;
  /** ISO time it was done. */
  at: string;
  requestId?: string;
  account?: string;
  region?: string;
}

export interface SavingsRepository {
  /** Records one saving; the same resource and kind once (a retry records nothing twice). */
  record(entry: SavingEntry): Promise<void>;
  list(): Promise<SavingEntry[]>;
}

export function savingsRepository(db: Dynamo): SavingsRepository {
  return {
    async record(e) {
      await db.put({
        Item: { ...key.saving(e.kind, e.resourceId), kind: 'saving', savingKind: e.kind, resourceId: e.resourceId, usdMonth: e.usdMonth, measured: e.measured, at: e.at, ...(e.requestId ? { requestId: e.requestId } : {}), ...(e.account ? { account: e.account } : {}), ...(e.region ? { region: e.region } : {}) },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    },
    async list() {
      const items = await db.query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': key.savingsPartition } });
      return items.map((i) => ({
        kind: i.savingKind as SavingKind,
        resourceId: String(i.resourceId),
        usdMonth: Number(i.usdMonth ?? 0),
        measured: Boolean(i.measured),
        at: String(i.at),
        ...(i.requestId ? { requestId: String(i.requestId) } : {}),
        ...(i.account ? { account: String(i.account) } : {}),
        ...(i.region ? { region: String(i.region) } : {}),
      }));
    },
  };
}
