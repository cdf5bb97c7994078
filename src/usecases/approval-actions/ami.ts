// AMIs: deregistering one (with or without its snapshots), and launching an instance type outside the allowed ones.
import type { ApprovalAction } from '../../core/approvals.js';
import { archiveEarlyDeletionWarning, formatMonthlyUsd, formatUsd, snapshotMonthlyUsd } from '../../core/cost.js';
import { onDemandUsdPerHour } from '../../core/prices.js';
import { ageInDays } from '../../core/staleness/index.js';
import { imageSnapshotIds, isInstanceStore, type Snapshot } from '../../core/types.js';
import { auditBestEffort, creationTags, type Deps } from '../context.js';
import { recoveryLine } from '../recycle-bin.js';
import { protectionRefusal } from './safety.js';
import { alreadyGone, Refusal, type ApprovalRunner } from './types.js';
import { count } from '../../core/words.js';

export const deregister: ApprovalRunner<Extract<ApprovalAction, { type: 'ami.deregister' }>> = {
  async assess(deps, action) {
    const region = deps.scope.region;
    const prices = deps.config.prices;
    const now = deps.now();
    const image = await deps.ec2.getImage(region, action.imageId);
    const protectedImage = protectionRefusal(image);
    if (protectedImage) throw new Refusal(protectedImage);
    const snapIds = imageSnapshotIds(image);
    const snaps: Snapshot[] = await deps.ec2.getSnapshots(region, snapIds).catch(() => []);
    if (action.deleteSnapshots) {
      const locks = await deps.ec2.snapshotLocks(region, snapIds).catch(() => new Map());
      if (locks.size) {
        throw new Refusal(`${[...locks.keys()].join(', ')} of ${image.id} ${locks.size === 1 ? 'is' : 'are'} locked against deletion. Deregister it without --delete-snapshots, or unlock ${locks.size === 1 ? 'it' : 'them'} first.`);
      }
    }
    const usd = snaps.reduce((a, s) => a + snapshotMonthlyUsd(s, prices), 0);
    const since = image.lastLaunchedTime ? `last launched ${ageInDays(image.lastLaunchedTime, now)} days ago` : 'never launched';
    const lines: string[] = [
      `“${image.name}” ${image.id}: created ${image.creationDate ? `${ageInDays(image.creationDate, now)} days ago` : 'at an unknown date'}, ${since}, ${isInstanceStore(image) ? 'instance store-backed' : count(snapIds.length, 'snapshot')}.`,
      `The AMI: ${(await recoveryLine(deps, region, 'image', image.tags)).text}`,
    ];
    if (isInstanceStore(image)) {
      // Deregistering an S3-bundled AMI leaves the bundle where it is, still billed by S3.
      lines.push(
        `Its bundle stays in S3${image.imageLocation ? ` at ${image.imageLocation}` : ''}: deregistering does not delete it, and S3 keeps billing it. Delete the bundle's objects (the manifest and its parts) from that bucket to stop paying for them.`,
      );
    }
    if (action.deleteSnapshots && snaps.length) {
      lines.push(`Its snapshots: ${(await recoveryLine(deps, region, 'snapshot', snaps[0].tags)).text}`);
    }
    const [instances, lt, lc] = await Promise.all([
      instancesRunningAnywhere(deps, region),
      deps.ec2.launchTemplateUsage(region).catch(() => undefined),
      deps.autoScaling.launchConfigurationUsage(region).catch(() => undefined),
    ]);
    if (instances.has(image.id)) lines.push(`Instances still run from ${image.id}; they keep running, but cannot be relaunched from it.`);
    if (lt?.imageIds.has(image.id)) lines.push(`A launch template uses ${image.id}: launches from it will fail.`);
    if (lc?.imageIds.has(image.id)) lines.push(`A launch configuration uses ${image.id}: its Auto Scaling group will fail to launch instances.`);
    if (!lc) lines.push('Launch configurations could not be read: check none of them uses this AMI.');
    if (image.public) lines.push(`${image.id} is public: others may depend on it.`);
    if (action.deleteSnapshots) {
      lines.push(`Deletes ${count(snapIds.length, 'snapshot')}: ${snapIds.join(', ') || 'none'}.`);
      for (const s of snaps) {
        const warn = archiveEarlyDeletionWarning(s, now, { prices });
        if (warn) lines.push(`${s.id} is ${warn}.`);
      }
    } else if (snapIds.length) {
      lines.push(`Its ${count(snapIds.length, 'snapshot')} ${snapIds.length === 1 ? 'is' : 'are'} kept and keep${snapIds.length === 1 ? 's' : ''} costing ${formatMonthlyUsd(usd)}.`);
    }
    return {
      risk: { lines, monthlyUsdFreed: action.deleteSnapshots ? usd : 0, usedBy: usedBy(image.id, lt?.imageIds, lc?.imageIds) },
      relatedIds: action.deleteSnapshots ? snapIds : undefined,
    };
  },

  run: (deps, r, a) =>
    deps.ec2.deregisterImage(r.region, a.imageId, a.deleteSnapshots, r.relatedIds).then((res) => {
      const parts = [res.imageWasGone ? `${a.imageId} was already deregistered.` : `${a.imageId} deregistered.`];
      if (res.deletedSnapshots.length) parts.push(`Deleted ${res.deletedSnapshots.join(', ')}.`);
      for (const k of res.keptSnapshots) parts.push(`Kept ${k.id}: ${k.why}`);
      return parts.join(' ');
    }, alreadyGone(a.imageId)),
};

function usedBy(id: string, templates?: ReadonlySet<string>, configurations?: ReadonlySet<string>): string[] | undefined {
  const users = [...(templates?.has(id) ? ['a launch template'] : []), ...(configurations?.has(id) ? ['a launch configuration'] : [])];
  return users.length ? users : undefined;
}

/** AMIs instances run from in this region, in every account snapbot manages (an AMI shared with one it runs in is in use). */
async function instancesRunningAnywhere(deps: Deps, region: string): Promise<Set<string>> {
  const accounts = [undefined, ...deps.config.accounts];
  const all = await Promise.all(accounts.map((a) => deps.estate.of(a).ec2.imageIdsInUseByInstances(region).catch(() => new Set<string>())));
  return new Set(all.flatMap((ids) => [...ids]));
}

export const launch: ApprovalRunner<Extract<ApprovalAction, { type: 'ami.launch' }>> = {
  async assess(deps, action) {
    const region = deps.scope.region;
    const image = await deps.ec2.getImage(region, action.imageId);
    if (image.state !== 'available') throw new Refusal(`${image.id} is ${image.state}: only an available AMI can be launched.`);
    const price = onDemandUsdPerHour(region, action.instanceType);
    const lines = [
      `Launches one ${action.instanceType} instance from "${image.name}" (${image.id})${action.subnetId ? ` in ${action.subnetId}` : " in the region's default subnet"}${action.keyName ? `, key pair ${action.keyName}` : ''}.`,
      price
        ? `On-demand price: $${price.usdPerHour.toFixed(4)}/hour, about ${formatUsd(price.usdPerHour * 730)}/month running all month (${price.source}).`
        : `snapbot has no price for ${action.instanceType} in ${region}; check the EC2 pricing page.`,
      'It runs until someone stops or terminates it: snapbot does not manage instances.',
    ];
    return { risk: { lines } };
  },

  async run(deps, r, a) {
    const instance = await deps.ec2.runInstance(r.region, {
      imageId: a.imageId,
      instanceType: a.instanceType,
      subnetId: a.subnetId,
      keyName: a.keyName,
      tags: creationTags({ userId: r.requester.userId, channelId: r.requester.channelId }, r.id),
    });
    await auditBestEffort(deps, { resourceId: a.imageId, actor: r.requester.userId, event: 'launched', detail: `as ${instance.id}`, requestId: r.id });
    return `Launched ${instance.id} (${instance.type}${instance.availabilityZone ? ` in ${instance.availabilityZone}` : ''}), ${instance.state}. Stop or terminate it when done: snapbot does not manage instances.`;
  },
};
