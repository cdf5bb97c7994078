// /restore: a volume from a snapshot, optionally attached to an instance in the same zone.
import type { CommandOf } from '../core/commands.js';
import {
  announce,
  auditBestEffort,
  creationTags,
  modalScope,
  newId,
  replyPrivately,
  whereLabel,
  type Deps,
  type Invocation,
} from './context.js';
import { type ProgressItem } from './ports.js';

export type RestoreRequest = Omit<CommandOf<'restore.create'>, 'kind'>;

/**
 * Checks what EC2 would refuse later, before anything is created: size below the snapshot, attach target in another
 * zone. Returns the problems keyed by field, so the modal can show each next to its input.
 */
export async function checkRestore(deps: Deps, req: RestoreRequest): Promise<Record<string, string>> {
  const region = deps.scope.region;
  const problems: Record<string, string> = {};
  if (!req.availabilityZone.startsWith(region)) {
    // The snapshot is looked up where the command acts; a zone elsewhere means the region was left out.
    return { zone: `${req.availabilityZone} is not a zone of ${region}, where ${req.snapshotId} is looked up: add --region ${req.availabilityZone.replace(/[a-z]$/, '')} if the snapshot is there.` };
  }
  // A zone that does not exist is answered here, from the region's list (read once a minute), not by CreateVolume.
  const zones = await deps.ec2.availabilityZones(region).catch(() => undefined);
  if (zones?.length && !zones.includes(req.availabilityZone)) {
    return { zone: `${req.availabilityZone} is not an availability zone of ${region}: pick one of ${zones.join(', ')}.` };
  }
  const snap = await deps.ec2.getSnapshot(region, req.snapshotId);
  if (snap.state !== 'completed') problems.snapshot = `${req.snapshotId} is ${snap.state} (${snap.progress}%); restore it once it has completed.`;
  if (req.sizeGiB !== undefined && req.sizeGiB < snap.volumeSizeGiB) {
    problems.size = `The volume must be at least ${snap.volumeSizeGiB} GiB, the size of ${req.snapshotId}.`;
  }
  if (req.attach) {
    const instance = await deps.ec2.getInstance(region, req.attach.instanceId);
    if (instance.availabilityZone && instance.availabilityZone !== req.availabilityZone) {
      problems.instance = `${instance.id} is in ${instance.availabilityZone}, not ${req.availabilityZone}: a volume attaches only to an instance in its own zone.`;
    }
    if (instance.volumes.some((v) => v.device === req.attach?.device)) {
      problems.device = `${req.attach.device} is already used on ${instance.id}; pick a free device name such as /dev/sdg.`;
    }
  }
  return problems;
}

export async function restoreVolume(deps: Deps, inv: Invocation, req: RestoreRequest): Promise<void> {
  const region = deps.scope.region;
  const opId = newId(deps.now());
  const started = deps.now();
  const title = `Volume from ${req.snapshotId} in ${req.availabilityZone}${req.attach ? `, attached to ${req.attach.instanceId} as ${req.attach.device}` : ''}`;
  const base = { title, requesterId: inv.userId, region: whereLabel(deps) };
  // A zone that is not the region's is bad input: answered privately, before anything is posted or created.
  const zones = await deps.ec2.availabilityZones(region).catch(() => undefined);
  if (zones?.length && !zones.includes(req.availabilityZone)) {
    const elsewhere = !req.availabilityZone.startsWith(region) ? ` (for a snapshot in another region, add --region ${req.availabilityZone.replace(/[a-z]$/, '')})` : '';
    return replyPrivately(deps, inv, {
      text: `:warning: Nothing was restored: ${req.availabilityZone} is not an availability zone of ${region}${elsewhere}. The zones of ${region}: ${zones.join(', ')}.`,
    });
  }
  const msg = await announce(deps, inv, deps.views.progressMessage({ ...base, phase: 'starting', items: [] }));
  const elapsed = () => deps.now().getTime() - started.getTime();
  try {
    const problems = await checkRestore(deps, req);
    const first = Object.values(problems)[0];
    if (first) throw new Error(first);
    const volume = await deps.ec2.createVolume(region, {
      snapshotId: req.snapshotId,
      availabilityZone: req.availabilityZone,
      volumeType: req.volumeType,
      sizeGiB: req.sizeGiB,
      iops: req.iops,
      throughput: req.throughput,
      tags: creationTags(inv, opId),
    });
    await auditBestEffort(deps, { resourceId: req.snapshotId, actor: inv.userId, event: 'restored', detail: `to ${volume.id} in ${req.availabilityZone}`, requestId: opId });
    await auditBestEffort(deps, { resourceId: volume.id, actor: inv.userId, event: 'created', detail: `from ${req.snapshotId}`, requestId: opId });
    const item = (state: string): ProgressItem => ({ id: volume.id, label: `${req.volumeType}`, state, sizeGiB: volume.sizeGiB });
    await deps.out.tryUpdate(msg, deps.views.progressMessage({ ...base, phase: 'running', items: [item('creating')], elapsedMs: elapsed() }));
    // Waiting for the volume can take minutes: it runs outside the command queue.
    deps.detach(async () => {
      try {
        await deps.ec2.waitForVolume(region, volume.id, 'available', deps.config.progress.timeoutMinutes * 60);
        if (req.attach) {
          await deps.out.tryUpdate(msg, deps.views.progressMessage({ ...base, phase: 'running', items: [item('attaching')], elapsedMs: elapsed() }));
          await deps.ec2.attachVolume(region, volume.id, req.attach.instanceId, req.attach.device);
          await deps.ec2.waitForVolume(region, volume.id, 'in-use', 600);
          await auditBestEffort(deps, { resourceId: volume.id, actor: inv.userId, event: 'attached', detail: `to ${req.attach.instanceId} as ${req.attach.device}`, requestId: opId });
        }
        await deps.out.tryUpdate(
          msg,
          deps.views.progressMessage({
            ...base,
            phase: 'done',
            items: [item(req.attach ? `in-use on ${req.attach.instanceId} (${req.attach.device})` : 'available')],
            elapsedMs: elapsed(),
            hint: req.attach
              ? `On the instance, the disk may appear as /dev/nvme…n1 on Nitro types; mount it read-only first to check the data.`
              : `Attach it with the EC2 console, or next time use \`/restore ${req.snapshotId} --az ${req.availabilityZone} --attach i-… --device /dev/sdf\`.`,
          }),
        );
      } catch (err) {
        await deps.out.tryUpdate(msg, deps.views.progressMessage({ ...base, phase: 'failed', items: [item('created')], failure: (err as Error).message, elapsedMs: elapsed() }));
      }
    });
  } catch (err) {
    await deps.out.tryUpdate(msg, deps.views.progressMessage({ ...base, phase: 'failed', items: [], failure: (err as Error).message, elapsedMs: elapsed() }));
  }
}

/** Opens the modal at once (the trigger lives 3 s), then fills in the snapshot's size once EC2 answers. */
export async function loadRestoreModal(deps: Deps, inv: Invocation, triggerId: string, snapshotId: string): Promise<void> {
  const meta = { channelId: inv.channelId, responseUrl: inv.responseUrl, resourceId: snapshotId };
  // Look the snapshot up first, briefly: a snapshot that does not exist gets an answer, not a form. A slow EC2
  // opens the form at once (Slack's trigger lasts 3 s) and fills it in when the answer comes.
  const lookup = deps.ec2.getSnapshot(deps.scope.region, snapshotId).then(
    (snapshot) => ({ snapshot }),
    (err: Error) => ({ err }),
  );
  const early = await Promise.race([lookup, new Promise<undefined>((r) => setTimeout(() => r(undefined), 1_200))]);
  if (early && 'err' in early) {
    await replyPrivately(deps, inv, { text: `:x: ${early.err.message}` });
    return;
  }
  const viewId = await deps.out.openModal(triggerId, deps.views.scopedModal(deps.views.restoreModal(meta, early?.snapshot), { ...modalScope(deps), choices: [] }));
  if (early) return;
  deps.background(async () => {
    const late = await lookup;
    if ('err' in late) await replyPrivately(deps, inv, { text: `:x: ${late.err.message}` });
    else if (viewId) await deps.out.updateModal(viewId, deps.views.scopedModal(deps.views.restoreModal(meta, late.snapshot), { ...modalScope(deps), choices: [] }));
  });
}
