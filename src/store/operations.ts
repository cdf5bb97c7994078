// Long-running AWS operations whose progress a Slack message shows, remembered so a restart picks them up again.
import type { Dynamo, Item } from './dynamo.js';
import { OPERATION_RETENTION_DAYS, compact, key, retentionExpiry } from './keys.js';

/** What the progress tracker follows, and an encryption run (usecases/encrypt.ts), which resumes on its own. */
export type OperationKind = 'snapshot' | 'image' | 'volume' | 'copy-snapshot' | 'copy-image' | 'encrypt' | 'drill';

export interface InFlightOperation {
  id: string;
  kind: OperationKind;
  /** The snapshot, AMI or volume being waited on. */
  resourceId: string;
  region: string;
  /** The managed account it runs in; absent: snapbot's own (as every operation recorded before ACCOUNTS). */
  account?: string;
  /** The message that shows progress. */
  channel: string;
  ts: string;
  requesterId: string;
  /** ISO time. */
  startedAt: string;
  extra?: Record<string, string>;
}

export interface OperationRepository {
  /** Creates or replaces. */
  put(operation: InFlightOperation): Promise<void>;
  list(): Promise<InFlightOperation[]>;
  remove(id: string): Promise<void>;
}

export function operationRepository(db: Dynamo, clock: () => Date): OperationRepository {
  return {
    async put(op) {
      await db.put({
        Item: compact({ ...key.operation(op.id), kind: 'operation', expiresAt: retentionExpiry(clock(), OPERATION_RETENTION_DAYS), operation: op }),
      });
    },
    async list() {
      const items = await db.query({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': key.operationPartition },
      });
      return items.map((i: Item) => i.operation as InFlightOperation);
    },
    async remove(id) {
      await db.delete({ Key: key.operation(id) });
    },
  };
}
