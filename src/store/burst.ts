// How many changing commands each person ran lately, shared by every replica: BURST_LIMIT per 10 minutes.
// A sliding window estimated from two fixed ones (this window's count, plus the last window's weighted by how much
// of it still lies within the last 10 minutes), taken with one conditional write, so two replicas can never both
// let the limit's last slot through.
import type { Dynamo } from './dynamo.js';
import { epochSeconds, key } from './keys.js';

const BURST_WINDOW_MS = 10 * 60_000;

export type BurstTake = { ok: true } | { ok: false; retryAt: Date };

export interface BurstRepository {
  /** Counts one changing command of `userId` unless that would make more than `limit` in the last 10 minutes. */
  take(userId: string, limit: number): Promise<BurstTake>;
}

export function burstRepository(db: Dynamo, clock: () => Date): BurstRepository {
  return {
    async take(userId, limit) {
      const now = clock().getTime();
      const window = Math.floor(now / BURST_WINDOW_MS);
      const elapsed = (now - window * BURST_WINDOW_MS) / BURST_WINDOW_MS;
      const previous = await db.get(key.burst(userId, window - 1), false);
      // Rounded up: a burst at the end of the last window is not forgotten early.
      const carried = Math.ceil(Number(previous?.n ?? 0) * (1 - elapsed));
      const room = limit - carried;
      const retryAt = new Date((window + 1) * BURST_WINDOW_MS);
      if (room <= 0) return { ok: false, retryAt };
      const counted = await db.update({
        Key: key.burst(userId, window),
        UpdateExpression: 'ADD #n :one SET #kind = :kind, #expiresAt = :expiresAt',
        ConditionExpression: 'attribute_not_exists(#n) OR #n < :room',
        ExpressionAttributeNames: { '#n': 'n', '#kind': 'kind', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':one': 1, ':room': room, ':kind': 'burst', ':expiresAt': epochSeconds(retryAt) + 2 * BURST_WINDOW_MS / 1000 },
      });
      return counted ? { ok: true } : { ok: false, retryAt };
    },
  };
}
