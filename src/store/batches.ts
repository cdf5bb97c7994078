// Batch cleanups: the list of a batch (the resources its one approval covers) and each resource's progress, as
// separate items — an item holds at most 400 KB and a batch can hold 15 000 IDs, so the list is cut into parts,
// and a resource's outcome is written once (conditional), so a resumed or repeated run never counts it twice.
import type { BatchItem } from '../core/cleanup.js';
import type { Dynamo } from './dynamo.js';
import { compact, key, retentionExpiry } from './keys.js';

/** Items of a list part: ~150 bytes each, so a part stays far below DynamoDB's 400 KB. */
const PART_SIZE = 1000;

export type BatchOutcome = { state: 'done'; usd: number; measured: boolean } | { state: 'skipped'; why: string } | { state: 'failed'; why: string };

export interface BatchRepository {
  saveList(batchId: string, items: readonly BatchItem[]): Promise<void>;
  list(batchId: string): Promise<BatchItem[]>;
  /** Records a resource's outcome once; false when one was recorded already. */
  record(batchId: string, resourceId: string, outcome: BatchOutcome): Promise<boolean>;
  outcomes(batchId: string): Promise<Map<string, BatchOutcome>>;
}

export function batchRepository(db: Dynamo, now: () => Date): BatchRepository {
  return {
    async saveList(batchId, items) {
      for (let part = 0; part * PART_SIZE < items.length || part === 0; part++) {
        await db.put({ Item: compact({ ...key.batchList(batchId, part), kind: 'batch-list', expiresAt: retentionExpiry(now()), items: items.slice(part * PART_SIZE, (part + 1) * PART_SIZE) }) });
      }
    },
    async list(batchId) {
      const parts = await db.query({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :l)',
        ExpressionAttributeValues: { ':pk': key.batchPartition(batchId), ':l': 'L#' },
      });
      return parts.flatMap((p) => (p.items ?? []) as BatchItem[]);
    },
    async record(batchId, resourceId, outcome) {
      return db.put({
        Item: compact({ ...key.batchOutcome(batchId, resourceId), kind: 'batch-outcome', expiresAt: retentionExpiry(now()), outcome, at: now().toISOString() }),
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    },
    async outcomes(batchId) {
      const items = await db.query({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :r)',
        ExpressionAttributeValues: { ':pk': key.batchPartition(batchId), ':r': 'R#' },
      });
      return new Map(items.map((i) => [String(i.sk).slice(2), i.outcome as BatchOutcome]));
    },
  };
}
