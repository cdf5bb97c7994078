// What the digest last saw of account shares, per region: where its round-robin check stopped, and the resources
// shared with some account (few, so one item holds them; the check keeps the rest).
import type { Dynamo } from './dynamo.js';
import { key } from './keys.js';

export interface ShareState {
  /** The last resource ID checked; the next run starts after it. */
  cursor?: string;
  /** Resource ID → the accounts it was shared with when last checked (only resources shared with someone). */
  shared: Record<string, string[]>;
  /** ISO time of the run that wrote this. */
  checkedAt?: string;
  /** How many snapshots and AMIs the region held then: sizes the next run's budget. */
  total?: number;
  /** ISO time up to which CloudTrail's event history was read: the next run reads on from there. */
  trailReadTo?: string;
}

/** DynamoDB items hold 400 KB; a region with more shared resources than this keeps the first ones. */
const MAX_SHARED = 5_000;

export interface ShareRepository {
  get(region: string): Promise<ShareState>;
  put(region: string, state: ShareState): Promise<void>;
  /** What snapbot itself just shared or revoked, so the next digest knows without waiting for its turn. */
  note(region: string, resourceId: string, accounts: readonly string[]): Promise<void>;
}

export function shareRepository(db: Dynamo): ShareRepository {
  return {
    async get(region) {
      const item = await db.get(key.shares(region), false);
      return {
        cursor: item?.cursor as string | undefined,
        shared: (item?.shared as Record<string, string[]> | undefined) ?? {},
        checkedAt: item?.checkedAt as string | undefined,
        total: typeof item?.total === 'number' ? item.total : undefined,
        trailReadTo: item?.trailReadTo as string | undefined,
      };
    },
    async note(region, resourceId, accounts) {
      // One attribute of the map, conditional on the region's item existing (the first digest run writes it).
      await db.update({
        Key: key.shares(region),
        UpdateExpression: accounts.length ? 'SET #shared.#id = :accounts' : 'REMOVE #shared.#id',
        ConditionExpression: 'attribute_exists(#shared)',
        ExpressionAttributeNames: { '#shared': 'shared', '#id': resourceId },
        ...(accounts.length ? { ExpressionAttributeValues: { ':accounts': [...accounts] } } : {}),
      });
    },
    async put(region, state) {
      const shared = Object.fromEntries(Object.entries(state.shared).slice(0, MAX_SHARED));
      await db.put({
        Item: {
          ...key.shares(region),
          kind: 'shares',
          shared,
          ...(state.cursor ? { cursor: state.cursor } : {}),
          ...(state.checkedAt ? { checkedAt: state.checkedAt } : {}),
          ...(state.total !== undefined ? { total: state.total } : {}),
          ...(state.trailReadTo ? { trailReadTo: state.trailReadTo } : {}),
        },
      });
    },
  };
}
