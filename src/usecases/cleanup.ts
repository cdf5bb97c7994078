// The digest's buttons: Request deletion (the approvals flow), Snooze 30 days, Keep (tag snapbot:keep-until).
import { TAG } from '../core/types.js';
import { requestApproval } from './approvals.js';
import { auditBestEffort, replyPrivately, type Deps, type Invocation } from './context.js';

const DAY = 86_400_000;
export const SNOOZE_DAYS = 30;
export const KEEP_DAYS = 365;

export interface DigestItemRef {
  id: string;
  region: string;
  kind: 'snapshot' | 'image';
}

export async function requestDeletionFromDigest(deps: Deps, inv: Invocation, item: DigestItemRef): Promise<void> {
  const reason = 'Flagged as outdated by the cost-cleanup digest';
  if (item.kind === 'snapshot') await requestApproval(deps, inv, { type: 'snapshot.delete', snapshotId: item.id }, reason);
  else await requestApproval(deps, inv, { type: 'ami.deregister', imageId: item.id, deleteSnapshots: true }, reason);
}

export async function snooze(deps: Deps, inv: Invocation, item: DigestItemRef): Promise<void> {
  const until = new Date(deps.now().getTime() + SNOOZE_DAYS * DAY);
  try {
    await deps.store.snoozes.put(item.id, until, inv.userId, 'snooze');
    await replyPrivately(deps, inv, { text: `:zzz: \`${item.id}\` is snoozed until ${until.toISOString().slice(0, 10)}: the digest leaves it out until then.` });
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: Could not snooze \`${item.id}\`: ${(err as Error).message}` });
  }
}

/** Keep writes the tag on the resource itself, so it holds for anyone looking at the account, not only snapbot. */
export async function keep(deps: Deps, inv: Invocation, item: DigestItemRef): Promise<void> {
  const until = new Date(deps.now().getTime() + KEEP_DAYS * DAY).toISOString().slice(0, 10);
  try {
    await deps.ec2.tag(item.region, item.id, { [TAG.keepUntil]: until });
    await deps.store.snoozes.put(item.id, new Date(`${until}T23:59:59Z`), inv.userId, 'keep').catch(() => undefined);
    await auditBestEffort(deps, { resourceId: item.id, actor: inv.userId, event: 'kept', detail: `tagged ${TAG.keepUntil}=${until}` });
    await replyPrivately(deps, inv, { text: `:pushpin: \`${item.id}\` is kept: tagged \`${TAG.keepUntil}=${until}\`, so the digest leaves it out until then.` });
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: Could not keep \`${item.id}\`: ${(err as Error).message}` });
  }
}
