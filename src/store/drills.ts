// Restore drills as they ended: the history /snapshot drills, the evidence report, the digest's posture and the
// scheduled drills read. One item per drill, kept the store's retention (400 days: any evidence window asked).
import type { PostureSnapshot } from '../core/backups.js';
import type { DrillRecord } from '../core/drills.js';
import type { Dynamo } from './dynamo.js';
import { compact, key, retentionExpiry } from './keys.js';

export interface DrillRepository {
  /** Records a finished drill; the same drill once (a resumed drill records nothing twice). */
  record(drill: DrillRecord): Promise<void>;
  /** The drills that started at or after `since`, newest first. */
  since(since: Date): Promise<DrillRecord[]>;
  /** The recovery-point posture the last digest found (App Home shows it without scanning again). */
  savePosture(p: PostureSnapshot): Promise<void>;
  latestPosture(): Promise<PostureSnapshot | undefined>;
}


export function drillRepository(db: Dynamo, now: () => Date): DrillRepository {
  return {
    async record(d) {
      // A condition that fails (the drill is already recorded) resolves false: nothing to do.
      await db.put({
        Item: compact({ ...key.drill(d.at, d.id), kind: 'drill', expiresAt: retentionExpiry(now()), drill: d }),
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    },
    async since(since) {
      const items = await db.query({
        KeyConditionExpression: 'pk = :pk AND sk >= :since',
        ExpressionAttributeValues: { ':pk': key.drillPartition, ':since': since.toISOString() },
        ScanIndexForward: false,
      });
      return items.map((i) => i.drill as DrillRecord);
    },
    async savePosture(p) {
      await db.put({ Item: compact({ ...key.posture, kind: 'posture', posture: p }) });
    },
    async latestPosture() {
      const item = await db.get(key.posture);
      return item ? (item.posture as PostureSnapshot) : undefined;
    },
  };
}
