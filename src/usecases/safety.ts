// Locks, deregistration protection and the archive tier: /snapshot lock|unlock|archive|unarchive, /ami
// protect|unprotect. What makes a resource safer happens at once (governance lock, protection on, archive); what
// makes it deletable again, or can never be undone (compliance lock), goes to a second person.
import {
  ARCHIVE_MINIMUM_DAYS,
  formatGiB,
  formatMonthlyUsd,
  formatUsd,
  snapshotBillableGb,
  snapshotMonthlyUsd,
} from '../core/cost.js';
import type { CommandOf } from '../core/commands.js';
import { nameTag } from '../core/types.js';
import { lockText } from './approval-actions/index.js';
import { requestApproval } from './approvals.js';
import { announce, auditBestEffort, replyPrivately, type Deps, type Invocation } from './context.js';
import { isoDay } from '../core/time.js';

/** AWS's retrieval price for archived snapshots, USD per GB restored. */
const ARCHIVE_RETRIEVAL_USD_PER_GB = 0.03;

export async function lockSnapshot(deps: Deps, inv: Invocation, cmd: CommandOf<'snapshot.lock'>): Promise<void> {
  const region = deps.scope.region;
  try {
    const snap = await deps.ec2.getSnapshot(region, cmd.snapshotId);
    if (cmd.compliance) {
      await requestApproval(deps, inv, { type: 'snapshot.lock', snapshotId: snap.id, days: cmd.days }, cmd.reason);
      return;
    }
    const current = (await deps.ec2.snapshotLocks(region, [snap.id])).get(snap.id);
    if (current && current.state !== 'governance') {
      return replyPrivately(deps, inv, { text: `:information_source: ${snap.id} is already ${lockText(current)}; a governance lock cannot replace it.` });
    }
    const lock = await deps.ec2.lockSnapshot(region, snap.id, 'governance', cmd.days);
    await auditBestEffort(deps, { resourceId: snap.id, actor: inv.userId, event: 'locked', detail: `governance mode, ${cmd.days} days` });
    await announce(deps, inv, {
      text: `:lock: <@${inv.userId}> locked ${snap.id}${nameTag(snap.tags) ? ` (“${nameTag(snap.tags)}”)` : ''} in governance mode for ${cmd.days} days${lock.expiresOn ? `, until ${isoDay(lock.expiresOn)}` : ''}: nobody can delete it until then unless it is unlocked first (an approval request).`,
    });
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: ${cmd.snapshotId} was not locked: ${(err as Error).message}` });
  }
}

export async function requestUnlock(deps: Deps, inv: Invocation, snapshotId: string, reason?: string): Promise<void> {
  const region = deps.scope.region;
  try {
    const lock = (await deps.ec2.snapshotLocks(region, [snapshotId])).get(snapshotId);
    if (!lock) return replyPrivately(deps, inv, { text: `:information_source: ${snapshotId} is not locked; there is nothing to unlock.` });
    if (lock.state === 'compliance') {
      return replyPrivately(deps, inv, { text: `:no_entry: ${snapshotId} is ${lockText(lock)}: nobody, root included, can remove a compliance lock. It ends on its own.` });
    }
  } catch (err) {
    return replyPrivately(deps, inv, { text: `:x: Could not read the lock of ${snapshotId}: ${(err as Error).message}` });
  }
  await requestApproval(deps, inv, { type: 'snapshot.unlock', snapshotId }, reason);
}

export async function protectImage(deps: Deps, inv: Invocation, imageId: string): Promise<void> {
  const region = deps.scope.region;
  try {
    const image = await deps.ec2.getImage(region, imageId);
    if (image.deregistrationProtection?.startsWith('enabled')) {
      return replyPrivately(deps, inv, { text: `:information_source: ${imageId} already has deregistration protection on.` });
    }
    await deps.ec2.setDeregistrationProtection(region, imageId, true);
    await auditBestEffort(deps, { resourceId: imageId, actor: inv.userId, event: 'protected' });
    await announce(deps, inv, {
      text: `:shield: <@${inv.userId}> turned deregistration protection on for “${image.name}” (${imageId}): nobody can deregister it until protection is turned off (\`/ami unprotect ${imageId}\`, an approval request).`,
    });
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: ${imageId} was not protected: ${(err as Error).message}` });
  }
}

export async function requestUnprotect(deps: Deps, inv: Invocation, imageId: string, reason?: string): Promise<void> {
  try {
    const image = await deps.ec2.getImage(deps.scope.region, imageId);
    if (!image.deregistrationProtection?.startsWith('enabled')) {
      return replyPrivately(deps, inv, { text: `:information_source: ${imageId} has no deregistration protection; there is nothing to turn off.` });
    }
  } catch (err) {
    return replyPrivately(deps, inv, { text: `:x: ${(err as Error).message}` });
  }
  await requestApproval(deps, inv, { type: 'ami.unprotect', imageId }, reason);
}

/** What archiving means for the bill, in the words the answer and the digest use. */
function archiveEconomics(snap: Parameters<typeof snapshotMonthlyUsd>[0], prices: Deps['config']['prices']) {
  const fullGb = snapshotBillableGb(snap);
  const standardUsd = snapshotMonthlyUsd({ ...snap, storageTier: 'standard' }, prices);
  const archiveUsd = fullGb * prices.archiveGbMonth;
  return { fullGb, standardUsd, archiveUsd, minimumUsd: archiveUsd * (ARCHIVE_MINIMUM_DAYS / 30), retrievalUsd: fullGb * ARCHIVE_RETRIEVAL_USD_PER_GB };
}

/** Archives and says so in the channel; returns the note for a digest item (undefined when nothing was archived). */
export async function archiveSnapshot(deps: Deps, inv: Invocation, snapshotId: string, region = deps.scope.region): Promise<string | undefined> {
  try {
    const snap = await deps.ec2.getSnapshot(region, snapshotId);
    if (snap.storageTier === 'archive') {
      await replyPrivately(deps, inv, { text: `:information_source: ${snapshotId} is already in the archive tier.` });
      return undefined;
    }
    if (snap.state !== 'completed') {
      await replyPrivately(deps, inv, { text: `:x: ${snapshotId} is ${snap.state}: only a completed snapshot can be archived.` });
      return undefined;
    }
    await deps.ec2.archiveSnapshot(region, snapshotId);
    await auditBestEffort(deps, { resourceId: snapshotId, actor: inv.userId, event: 'archived' });
    const e = archiveEconomics(snap, deps.config.prices);
    // The ledger's entry: the standard tier's figure is an upper bound (its full size), so the saving is one too.
    await deps.store.savings
      .record({
        kind: 'archive-move',
        resourceId: snapshotId,
        usdMonth: Math.max(0, e.standardUsd - e.archiveUsd),
        measured: false,
        at: deps.now().toISOString(),
        region,
        ...(deps.scope.account ? { account: deps.scope.account.id } : {}),
      })
      .catch((err: unknown) => deps.log.warn({ err, snapshotId }, 'the savings ledger could not record this archive move'));
    await announce(deps, inv, {
      text:
        `:file_cabinet: <@${inv.userId}> is moving ${snapshotId}${nameTag(snap.tags) ? ` (“${nameTag(snap.tags)}”)` : ''} to the archive tier (EC2 takes hours to finish). ` +
        `Archived, it is stored in full — ${formatGiB(e.fullGb)} — at ${formatMonthlyUsd(e.archiveUsd)} instead of up to ${formatMonthlyUsd(e.standardUsd)}; ` +
        `it is billed for at least ${ARCHIVE_MINIMUM_DAYS} days (${formatUsd(e.minimumUsd)}) even if deleted sooner, and restoring it costs about ${formatUsd(e.retrievalUsd)} and takes 24–72 hours (\`/snapshot unarchive ${snapshotId}\`).`,
    });
    return `:file_cabinet: archived by <@${inv.userId}>`;
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: ${snapshotId} was not archived: ${(err as Error).message}` });
    return undefined;
  }
}

export async function unarchiveSnapshot(deps: Deps, inv: Invocation, snapshotId: string, days?: number): Promise<void> {
  const region = deps.scope.region;
  try {
    const snap = await deps.ec2.getSnapshot(region, snapshotId);
    if (snap.storageTier !== 'archive') return replyPrivately(deps, inv, { text: `:information_source: ${snapshotId} is not in the archive tier (it is ${snap.storageTier}).` });
    await deps.ec2.restoreSnapshotTier(region, snapshotId, days);
    await auditBestEffort(deps, { resourceId: snapshotId, actor: inv.userId, event: 'unarchived', detail: days ? `for ${days} days` : 'permanently' });
    const e = archiveEconomics(snap, deps.config.prices);
    await announce(deps, inv, {
      text: `:outbox_tray: <@${inv.userId}> is restoring ${snapshotId} from the archive ${days ? `for ${days} days (then it goes back to the archive)` : 'permanently (back to the standard tier)'}. It takes 24–72 hours; retrieval costs about ${formatUsd(e.retrievalUsd)}.`,
    });
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: ${snapshotId} was not restored from the archive: ${(err as Error).message}` });
  }
}
