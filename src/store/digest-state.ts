// What the digest and the scheduler remember: snoozes and keeps, per-run leases, and Slack dedupe keys.
import type { Dynamo } from './dynamo.js';
import { resourceAuditPut } from './audit.js';
import { epochSeconds, key } from './keys.js';

/** keep-shared: an approved *Keep shared* on an exposure finding. */
export type SnoozeKind = 'snooze' | 'keep' | 'keep-shared';

export interface SnoozeRepository {
  /** Hides the resource from the digest until `until`, and records who did it in the resource's audit. */
  put(resourceId: string, until: Date, by: string, kind: SnoozeKind): Promise<void>;
  /** Resource ID → until, for every snooze or keep still in force at `now` (one Query). */
  activeMap(now?: Date): Promise<Map<string, Date>>;
  /** The same, split: snoozes and keeps (hide a cost finding) and approved Keep shared (an exposure's one line). */
  active(now?: Date): Promise<{ hidden: Map<string, Date>; keptShared: Map<string, Date> }>;
}

export function snoozeRepository(db: Dynamo, clock: () => Date): SnoozeRepository {
  return {
    async put(resourceId, until, by, kind) {
      const now = clock();
      const untilIso = until.toISOString();
      await db.transact([
        {
          Put: {
            Item: {
              ...key.snooze(resourceId),
              kind: 'snooze',
              resourceId,
              until: untilIso,
              snoozeKind: kind,
              by,
              at: now.toISOString(),
              // Gone a day after it lapses; activeMap filters on `until`, so TTL's lag does not matter.
              expiresAt: epochSeconds(until) + 86_400,
            },
          },
        },
        resourceAuditPut(
          {
            resourceId,
            at: now.toISOString(),
            actor: by,
            event: kind === 'keep' ? 'kept' : kind === 'keep-shared' ? 'kept shared' : 'snoozed',
            detail: `until ${untilIso.slice(0, 10)}`,
          },
          now,
        ),
      ]);
    },

    async activeMap(at) {
      const { hidden, keptShared } = await this.active(at);
      return new Map([...hidden, ...keptShared]);
    },

    async active(at) {
      const now = (at ?? clock()).toISOString();
      const items = await db.query({
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: '#until > :now',
        ExpressionAttributeNames: { '#until': 'until' },
        ExpressionAttributeValues: { ':pk': key.snoozePartition, ':now': now },
      });
      const hidden = new Map<string, Date>();
      const keptShared = new Map<string, Date>();
      for (const i of items) (i.snoozeKind === 'keep-shared' ? keptShared : hidden).set(i.resourceId as string, new Date(i.until as string));
      return { hidden, keptShared };
    },
  };
}

export interface LeaseRepository {
  /**
   * True for exactly one caller per (name, runKey), ever: a scheduled run happens once across replicas. The item
   * is kept for ttlSeconds, so pick a ttl longer than any replica could still try that runKey (a day is plenty).
   */
  acquire(name: string, runKey: string, owner: string, ttlSeconds: number): Promise<boolean>;
  /** Who holds (name, runKey) and since when, or undefined when nobody does. */
  holder(name: string, runKey: string): Promise<{ owner: string; acquiredAt: Date } | undefined>;
}

export function leaseRepository(db: Dynamo, clock: () => Date): LeaseRepository {
  return {
    async acquire(name, runKey, owner, ttlSeconds) {
      const now = clock();
      return db.put({
        Item: { ...key.lease(name, runKey), kind: 'lease', owner, acquiredAt: now.toISOString(), expiresAt: epochSeconds(now) + ttlSeconds },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    },
    async holder(name, runKey) {
      const item = await db.get(key.lease(name, runKey));
      return item ? { owner: String(item.owner), acquiredAt: new Date(String(item.acquiredAt)) } : undefined;
    },
  };
}

export interface DedupeRepository {
  /** True the first time `key` is claimed within ttlSeconds; false for a retry or double click. */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
}

export function dedupeRepository(db: Dynamo, clock: () => Date): DedupeRepository {
  return {
    async claim(k, ttlSeconds) {
      const now = epochSeconds(clock());
      // TTL deletion can lag by hours; an expired claim counts as gone.
      return db.put({
        Item: { ...key.dedupe(k), kind: 'dedupe', expiresAt: now + ttlSeconds },
        ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt <= :now',
        ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':now': now },
      });
    },
  };
}
