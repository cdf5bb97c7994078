// Deleting a snapshot: refused up front when AWS would refuse (a lock, an AMI using it, AWS Backup owning it); the
// card says what it really frees and whether the Recycle Bin would keep it.
import type { ApprovalAction, RiskSummary } from '../../core/approvals.js';
import { archiveEarlyDeletionWarning, snapshotMonthlyUsd, snapshotSizeText } from '../../core/cost.js';
import { ageInDays } from '../../core/staleness/index.js';
import { TAG, imageSnapshotIds, nameTag, type Snapshot } from '../../core/types.js';
import type { Deps } from '../context.js';
import { freedLine } from '../cost.js';
import { recoveryLine } from '../recycle-bin.js';
import { lockRefusal } from './safety.js';
import { alreadyGone, Refusal, type ApprovalRunner } from './types.js';

export const snapshotDelete: ApprovalRunner<Extract<ApprovalAction, { type: 'snapshot.delete' }>> = {
  async assess(deps, action) {
    const region = deps.scope.region;
    const snap = await deps.ec2.getSnapshot(region, action.snapshotId);
    const locked = await lockRefusal(deps, region, snap.id);
    if (locked) throw new Refusal(locked);
    if (snap.tags[TAG.backupSource]) {
      throw new Refusal(`${snap.id} is managed by AWS Backup (${snap.tags[TAG.backupSource]}); delete it through its backup vault and plan instead.`);
    }
    const images = await deps.ec2.listOwnImages(region);
    const users = images.filter((i) => imageSnapshotIds(i).includes(snap.id) && i.state !== 'deregistered');
    if (users.length) {
      const ids = users.map((i) => i.id);
      const named = users.map((i) => `${i.id}${i.name ? ` (“${i.name}”)` : ''}`);
      throw new Refusal(`${snap.id} is used by ${named.join(', ')}; AWS refuses to delete a snapshot an AMI uses. Deregister the AMI with its snapshots instead: \`/ami deregister ${ids[0]} --delete-snapshots\`.`);
    }
    const [lt, lc] = await Promise.all([
      deps.ec2.launchTemplateUsage(region).catch(() => undefined),
      deps.autoScaling.launchConfigurationUsage(region).catch(() => undefined),
    ]);
    if (lt?.snapshotIds.has(snap.id)) {
      throw new Refusal(`${snap.id} is used by a launch template's default or latest version; launches from it would fail. Update the launch template first.`);
    }
    if (lc?.snapshotIds.has(snap.id)) {
      throw new Refusal(`${snap.id} is used by a launch configuration; its Auto Scaling group could not launch instances any more. Move the group to a new launch configuration or template first.`);
    }
    const risk = snapshotDeletionRisk(snap, deps.config.prices, deps.now());
    risk.lines.splice(1, 0, (await recoveryLine(deps, region, 'snapshot', snap.tags)).text);
    // What it really frees, from the blocks no other snapshot shares; the "up to" stays where that is unknown.
    const freed = await freedLine(deps, region, snap.id);
    if (freed.measured && freed.usd !== undefined) {
      risk.monthlyUsdFreed = freed.usd;
      risk.monthlyUsdExact = true;
      risk.lines = risk.lines.filter((l) => !l.startsWith('Snapshots are incremental'));
    }
    risk.lines.push(freed.text);
    if (!lt) risk.lines.push('Launch templates could not be read: check none of them uses this snapshot.');
    if (!lc) risk.lines.push('Launch configurations could not be read: check none of them uses this snapshot.');
    return { risk };
  },

  run: (deps, r, a) => deps.ec2.deleteSnapshot(r.region, a.snapshotId).then(() => `${a.snapshotId} deleted.`, alreadyGone(a.snapshotId)),
};

function snapshotDeletionRisk(snap: Snapshot, prices: Deps['config']['prices'], now: Date): RiskSummary {
  const name = nameTag(snap.tags);
  const size = snapshotSizeText(snap);
  const lines = [
    `${name ? `“${name}” ` : ''}${snap.id}: ${ageInDays(snap.startTime, now)} days old, ${size}, ${snap.storageTier} tier, from ${snap.volumeId ?? 'a copy (no source volume)'}${snap.description ? ` — ${snap.description.slice(0, 120)}` : ''}.`,
  ];
  const warn = archiveEarlyDeletionWarning(snap, now, { prices });
  if (warn) lines.push(`It is ${warn}.`);
  if (snap.tags[TAG.dlmPolicy]) lines.push(`Managed by Data Lifecycle Manager policy ${snap.tags[TAG.dlmPolicy]}, which would delete it on its own schedule.`);
  lines.push('Snapshots are incremental: blocks shared with other snapshots of the volume stay billed, so the saving is an upper bound.');
  return { lines, monthlyUsdFreed: snapshotMonthlyUsd(snap, prices), earlyDeletionCharge: Boolean(warn) };
}
