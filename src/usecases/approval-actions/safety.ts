// Approvals that take a safety net away or put one on for good: a compliance-mode lock, unlocking, and turning
// deregistration protection off. The checks that refuse a deletion a lock or protection would block live here too.
import { AwsActionError } from '../../aws/errors.js';
import type { ApprovalAction } from '../../core/approvals.js';
import { formatMonthlyUsd, snapshotMonthlyUsd, snapshotSizeText } from '../../core/cost.js';
import { nameTag, type SnapshotLock } from '../../core/types.js';
import type { Deps } from '../context.js';
import type { ApprovalRunner } from './types.js';
import { isoDay } from '../../core/time.js';

export function lockText(lock: SnapshotLock): string {
  const until = lock.expiresOn ? ` until ${isoDay(lock.expiresOn)}` : '';
  const mode = lock.state === 'governance' ? 'governance mode' : lock.state === 'compliance-cooloff' ? 'compliance mode (still in its cooling-off period)' : 'compliance mode';
  return `locked in ${mode}${until}`;
}

/** Why a snapshot cannot be deleted now, when a lock protects it (asked before any approval request). */
export async function lockRefusal(deps: Deps, region: string, snapshotId: string): Promise<string | undefined> {
  const lock = (await deps.ec2.snapshotLocks(region, [snapshotId]).catch(() => new Map<string, SnapshotLock>())).get(snapshotId);
  if (!lock) return undefined;
  const undo = lock.state === 'governance' ? ` Unlock it first (\`/snapshot unlock ${snapshotId}\`, an approval request), or wait.` : ' Nobody can remove a compliance lock: wait until it expires.';
  return `${snapshotId} is ${lockText(lock)}, so AWS refuses to delete it.${undo}`;
}

/** Why an AMI cannot be deregistered now (asked before any approval request). */
export function protectionRefusal(image: { id: string; deregistrationProtection?: string }): string | undefined {
  if (!image.deregistrationProtection?.startsWith('enabled')) return undefined;
  return `${image.id} has deregistration protection on, so AWS refuses to deregister it. Turn it off first (\`/ami unprotect ${image.id}\`, an approval request).`;
}

async function snapshotLabel(deps: Deps, snapshotId: string) {
  const snap = await deps.ec2.getSnapshot(deps.scope.region, snapshotId);
  return { snap, name: nameTag(snap.tags) ? `“${nameTag(snap.tags)}” ` : '' };
}

export const complianceLock: ApprovalRunner<Extract<ApprovalAction, { type: 'snapshot.lock' }>> = {
  async assess(deps, action) {
    const { snap, name } = await snapshotLabel(deps, action.snapshotId);
    return {
      risk: {
        lines: [
          `${name}${snap.id} (${snapshotSizeText(snap)}): for ${action.days} days nobody — not snapbot, not an admin, not the account's root — can delete it or shorten the lock.`,
          `It keeps costing up to ${formatMonthlyUsd(snapshotMonthlyUsd(snap, deps.config.prices))} all that time.`,
        ],
      },
    };
  },
  async run(deps, r, a) {
    const lock = await deps.ec2.lockSnapshot(r.region, a.snapshotId, 'compliance', a.days);
    return `${a.snapshotId} is ${lockText(lock)}.`;
  },
};

export const unlock: ApprovalRunner<Extract<ApprovalAction, { type: 'snapshot.unlock' }>> = {
  async assess(deps, action) {
    const { snap, name } = await snapshotLabel(deps, action.snapshotId);
    return { risk: { lines: [`${name}${snap.id}: once unlocked it can be deleted (deleting still needs its own approval in snapbot).`] } };
  },
  async run(deps, r, a) {
    try {
      await deps.ec2.unlockSnapshot(r.region, a.snapshotId);
    } catch (err) {
      if (err instanceof AwsActionError && err.kind === 'invalid' && /not locked/i.test(err.message)) return `${a.snapshotId} was already unlocked.`;
      throw err;
    }
    return `${a.snapshotId} is unlocked.`;
  },
};

export const unprotect: ApprovalRunner<Extract<ApprovalAction, { type: 'ami.unprotect' }>> = {
  async assess(deps, action) {
    const image = await deps.ec2.getImage(deps.scope.region, action.imageId);
    return { risk: { lines: [`“${image.name}” ${image.id}: once protection is off, anyone with deregister rights can remove it (deregistering still needs its own approval in snapbot).`] } };
  },
  async run(deps, r, a) {
    await deps.ec2.setDeregistrationProtection(r.region, a.imageId, false);
    return `${a.imageId} has deregistration protection off.`;
  },
};
