// /snapshot encrypt vol-… [--kms-key K] [--replace]: the seeds' "encrypt a root volume" workflow in one command.
// A snapshot of the volume, then a volume created *encrypted* from it (EC2 encrypts on create, so the tutorials'
// encrypted-copy step is not needed) in the same zone with the same type, size, IOPS and throughput; with
// --replace, on a stopped instance, the old volume is detached and the new one attached at its device. One channel
// message follows every step. The run is recorded before each step acts, so a restarted bot resumes it: the
// snapshot is found again by its snapbot:request tag, the volume's ClientToken makes its creation idempotent, and
// the swap reads where the volumes are before it moves them.
import { AwsActionError } from '../aws/errors.js';
import type { CommandOf } from '../core/commands.js';
import { nameTag, type Instance, type Tags, type Volume } from '../core/types.js';
import {
  announce,
  auditBestEffort,
  creationTags,
  depsAt,
  newId,
  replyPrivately,
  whereLabel,
  whereNote,
  type Deps,
  type Invocation,
} from './context.js';
import type { EncryptStep, EncryptView, PostedMessage } from './ports.js';
import { count } from '../core/words.js';

type EncryptCommand = CommandOf<'snapshot.encrypt'>;

/** The recorded run: enough to resume from any step. */
export interface EncryptionRun {
  id: string;
  region: string;
  account?: string;
  where: string;
  volumeId: string;
  volumeName?: string;
  kmsKeyId?: string;
  replace: boolean;
  requesterId: string;
  channelId: string;
  message: PostedMessage;
  step: EncryptStep;
  startedAt: string;
  /** The source volume's shape, copied to the new one. */
  source: { availabilityZone: string; type: string; sizeGiB: number; iops?: number; throughput?: number; tags: Tags };
  instanceId?: string;
  device?: string;
  deleteOnTermination?: boolean;
  crashConsistent?: boolean;
  snapshotId?: string;
  newVolumeId?: string;
}

/** What can be encrypted, or why not (answered privately, before anything is made). */
async function preflight(deps: Deps, cmd: EncryptCommand): Promise<{ volume: Volume; instance?: Instance } | { problem: string }> {
  const region = deps.scope.region;
  let volume: Volume;
  try {
    volume = await deps.ec2.getVolume(region, cmd.volumeId);
  } catch (err) {
    return { problem: (err as Error).message };
  }
  if (volume.encrypted) {
    return { problem: `${volume.id} is already encrypted${volume.kmsKeyId ? ` (with ${volume.kmsKeyId})` : ''}: there is nothing to encrypt.` };
  }
  if (volume.multiAttachEnabled) {
    return {
      problem: `${volume.id} is a Multi-Attach volume (attached to ${count(volume.attachments.length, 'instance')} at once): swapping it would cut every one of them off, so snapbot does not encrypt it. Create an encrypted Multi-Attach volume from a snapshot of it yourself, and move each instance over in its own window.`,
    };
  }
  if (volume.state !== 'available' && volume.state !== 'in-use') return { problem: `${volume.id} is ${volume.state}: try again once it is available or in use.` };
  const attachment = volume.attachments[0];
  const instance = attachment ? await deps.ec2.getInstance(region, attachment.instanceId).catch(() => undefined) : undefined;
  if (cmd.replace) {
    if (!attachment) return { problem: `--replace swaps the volume on its instance, but ${volume.id} is not attached to one. Leave --replace out to get an encrypted copy.` };
    if (!instance) return { problem: `${attachment.instanceId}, which ${volume.id} is attached to, could not be read; nothing was done.` };
    if (instance.state !== 'stopped') {
      return {
        problem: `${instance.id}${nameTag(instance.tags) ? ` (${nameTag(instance.tags)})` : ''} is ${instance.state}: stop it first (EC2 console, or \`aws ec2 stop-instances --instance-ids ${instance.id}\`), then run \`/snapshot encrypt ${volume.id} --replace\` again. Without --replace snapbot makes the encrypted copy now and leaves the swap to you.`,
      };
    }
  }
  return { volume, ...(instance ? { instance } : {}) };
}

/** --replace: checks first (a running instance is told to stop it), then asks privately; nothing is done until a click. */
export async function askBeforeReplace(deps: Deps, inv: Invocation, cmd: EncryptCommand): Promise<void> {
  const checked = await preflight(deps, cmd);
  if ('problem' in checked) return replyPrivately(deps, inv, { text: `:no_entry: Not encrypted: ${checked.problem}` });
  const attachment = checked.volume.attachments[0]!;
  const choice = {
    q: newId(deps.now()),
    u: inv.userId,
    c: inv.channelId,
    v: cmd.volumeId,
    ...(cmd.kmsKeyId ? { k: cmd.kmsKeyId } : {}),
    ...whereNote(deps),
  };
  await replyPrivately(deps, inv, deps.views.replaceQuestion(choice, { instanceId: attachment.instanceId, instanceName: checked.instance ? nameTag(checked.instance.tags) : undefined, device: attachment.device }));
}

/** Encrypts now (the command without --replace, or the confirmed swap). */
export async function encryptVolume(deps: Deps, inv: Invocation, cmd: EncryptCommand): Promise<void> {
  const checked = await preflight(deps, cmd);
  if ('problem' in checked) return replyPrivately(deps, inv, { text: `:no_entry: Not encrypted: ${checked.problem}` });
  const { volume, instance } = checked;
  const attachment = volume.attachments[0];
  const id = newId(deps.now());
  const run: EncryptionRun = {
    id,
    region: deps.scope.region,
    ...(deps.scope.account ? { account: deps.scope.account.id } : {}),
    where: whereLabel(deps),
    volumeId: volume.id,
    ...(nameTag(volume.tags) ? { volumeName: nameTag(volume.tags) } : {}),
    ...(cmd.kmsKeyId ? { kmsKeyId: cmd.kmsKeyId } : {}),
    replace: cmd.replace,
    requesterId: inv.userId,
    channelId: inv.channelId,
    message: { channel: inv.channelId, ts: '' },
    step: 'snapshot',
    startedAt: deps.now().toISOString(),
    source: {
      availabilityZone: volume.availabilityZone,
      type: volume.type,
      sizeGiB: volume.sizeGiB,
      ...(volume.iops !== undefined && ['gp3', 'io1', 'io2'].includes(volume.type) ? { iops: volume.iops } : {}),
      ...(volume.throughput !== undefined && volume.type === 'gp3' ? { throughput: volume.throughput } : {}),
      tags: volume.tags,
    },
    ...(attachment ? { instanceId: attachment.instanceId, device: attachment.device, deleteOnTermination: attachment.deleteOnTermination ?? false } : {}),
    crashConsistent: instance !== undefined && instance.state === 'running',
  };
  run.message = await announce(deps, inv, deps.views.encryptMessage(viewOf(run, deps)));
  // Recorded before anything is made: a restart resumes from here.
  if (!(await record(deps, run))) {
    await show(deps, run, { step: 'failed', failure: 'snapbot could not record the run (DynamoDB did not answer), so it did not start: nothing was made. Try again shortly.' });
    return;
  }
  deps.detach(() => runEncryption(deps, run, inv));
}

/** After a restart: every encryption a previous process left unfinished, from its recorded step. */
export async function resumeEncryptions(deps: Deps): Promise<number> {
  const ops = (await deps.store.operations.list()).filter((o) => o.kind === 'encrypt');
  for (const op of ops) {
    const run = JSON.parse(op.extra?.run ?? 'null') as EncryptionRun | null;
    if (!run) continue;
    const d = depsAt(deps, run);
    if ('problem' in d) {
      deps.log.warn({ run: run.id }, `encryption of ${run.volumeId} not resumed: ${d.problem}`);
      continue;
    }
    d.detach(() => runEncryption(d, run, { userId: run.requesterId, channelId: run.channelId }));
  }
  return ops.length;
}

/** Thrown where a long wait meets shutdown: the run stays recorded at its step, and the next start resumes it. */
class Interrupted extends Error {}

async function runEncryption(deps: Deps, run: EncryptionRun, inv: Invocation): Promise<void> {
  const region = run.region;
  // The snapshot is a plain one of the old volume; the new volume carries the name, marked encrypted.
  const snapshotTags = creationTags(inv, run.id);
  const tags = creationTags(inv, run.id, run.volumeName ? `${run.volumeName} (encrypted)` : undefined);
  let detached = false;
  try {
    if (run.step === 'snapshot') {
      if (!run.snapshotId) {
        // Resumed after a crash between the call and the record: the first attempt's snapshot is found by its tag.
        const made = (await deps.ec2.snapshotsOfRequest(region, run.id, run.volumeId))[0];
        const snapshot = made ?? (await deps.ec2.createSnapshot(region, run.volumeId, `snapbot encrypt ${run.volumeId}`, snapshotTags));
        run.snapshotId = snapshot.id;
        await record(deps, run);
        await auditBestEffort(deps, { resourceId: snapshot.id, actor: run.requesterId, event: 'created', detail: `to encrypt ${run.volumeId}`, requestId: run.id });
      }
      await waitForSnapshot(deps, run);
      await advance(deps, run, 'volume');
    }
    if (run.step === 'volume') {
      if (!run.newVolumeId) {
        const volume = await deps.ec2.createVolume(region, {
          snapshotId: run.snapshotId!,
          availabilityZone: run.source.availabilityZone,
          volumeType: run.source.type,
          sizeGiB: run.source.sizeGiB,
          ...(run.source.iops !== undefined ? { iops: run.source.iops } : {}),
          ...(run.source.throughput !== undefined ? { throughput: run.source.throughput } : {}),
          encrypted: true,
          ...(run.kmsKeyId ? { kmsKeyId: run.kmsKeyId } : {}),
          // The old volume's tags (AWS's own aws: ones cannot be written), then snapbot's; the ClientToken comes from
          // snapbot:request, so a resumed create answers the volume the first attempt made.
          tags: { ...withoutAwsTags(run.source.tags), ...tags },
        });
        run.newVolumeId = volume.id;
        await record(deps, run);
        await auditBestEffort(deps, { resourceId: volume.id, actor: run.requesterId, event: 'created', detail: `encrypted, from ${run.snapshotId} of ${run.volumeId}`, requestId: run.id });
      }
      await show(deps, run, { newVolumeState: 'creating' });
      await deps.ec2.waitForVolume(region, run.newVolumeId, 'available', deps.config.progress.timeoutMinutes * 60);
      if (!run.replace) return await finish(deps, run, { next: nextWithoutSwap(run) });
      await advance(deps, run, 'detach');
    }
    if (run.step === 'detach') {
      const instance = await deps.ec2.getInstance(region, run.instanceId!);
      const old = await deps.ec2.getVolume(region, run.volumeId);
      if (old.attachments.some((a) => a.instanceId === run.instanceId)) {
        // Someone may have started it meanwhile: a running instance is never cut off its disk.
        if (instance.state !== 'stopped') throw new Error(`${instance.id} is ${instance.state} now; snapbot swaps disks only on a stopped instance, so it left ${run.volumeId} attached.`);
        await deps.ec2.detachVolume(region, run.volumeId, run.instanceId!);
        detached = true;
        await deps.ec2.waitForVolume(region, run.volumeId, 'available', 600);
        await auditBestEffort(deps, { resourceId: run.volumeId, actor: run.requesterId, event: 'detached', detail: `from ${run.instanceId} (${run.device}), for ${run.newVolumeId}`, requestId: run.id });
      } else detached = true;
      await advance(deps, run, 'attach');
    }
    if (run.step === 'attach') {
      detached = true;
      const fresh = await deps.ec2.getVolume(region, run.newVolumeId!);
      if (!fresh.attachments.some((a) => a.instanceId === run.instanceId)) await deps.ec2.attachVolume(region, run.newVolumeId!, run.instanceId!, run.device!);
      await deps.ec2.waitForVolume(region, run.newVolumeId!, 'in-use', 600);
      // The swap is done once the new volume is attached; the setting is said, not rolled back, if EC2 refuses it.
      const setting = run.deleteOnTermination
        ? await deps.ec2.setDeleteOnTermination(region, run.instanceId!, run.device!, true).then(
            () => '',
            (err: Error) => ` Delete-on-termination could not be turned on for it as it was for the old one (${err.message}): set it in the EC2 console (instance → Storage).`,
          )
        : '';
      await auditBestEffort(deps, { resourceId: run.newVolumeId!, actor: run.requesterId, event: 'attached', detail: `to ${run.instanceId} as ${run.device}, in place of ${run.volumeId}`, requestId: run.id });
      return await finish(deps, run, { next: nextAfterSwap(run) + setting });
    }
  } catch (err) {
    if (err instanceof Interrupted) return;
    await failed(deps, run, err as Error, detached);
  }
}

/** Polls the snapshot for the message's progress bar (the tracker's pace: quick at first, then every 15 s). */
async function waitForSnapshot(deps: Deps, run: EncryptionRun): Promise<void> {
  const deadline = Date.parse(run.startedAt) + deps.config.progress.timeoutMinutes * 60_000;
  let delay = deps.config.progress.pollSeconds * 1000;
  let shown = -1;
  for (;;) {
    const s = await deps.ec2.getSnapshot(run.region, run.snapshotId!).catch((err: Error) => {
      if (err instanceof AwsActionError && (err.kind === 'throttled' || err.kind === 'unavailable')) return undefined;
      throw err;
    });
    if (s?.state === 'completed') return;
    if (s?.state === 'error') throw new Error(`EC2 could not complete ${s.id}${s.stateMessage ? `: ${s.stateMessage}` : ''}.`);
    if (s && s.progress !== shown) {
      shown = s.progress;
      await show(deps, run, { snapshotPercent: s.progress });
    }
    if (deps.now().getTime() > deadline) throw new Error(`${run.snapshotId} is still pending after ${deps.config.progress.timeoutMinutes} min; run the command again once it has completed.`);
    if (deps.stopping()) throw new Interrupted();
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 1.5, 15_000);
  }
}

async function advance(deps: Deps, run: EncryptionRun, step: EncryptStep): Promise<void> {
  run.step = step;
  await record(deps, run);
  await show(deps, run);
}

async function finish(deps: Deps, run: EncryptionRun, extra: Partial<EncryptView>): Promise<void> {
  run.step = 'done';
  await show(deps, run, extra);
  await deps.store.operations.remove(run.id).catch(() => undefined);
}

/**
 * A step failed. Once the old volume was detached, the instance is put back as it was (the old volume re-attached
 * at its device, with its delete-on-termination setting); what was made is said, so nothing is lost track of.
 */
async function failed(deps: Deps, run: EncryptionRun, err: Error, detached: boolean): Promise<void> {
  const region = run.region;
  const left: string[] = [];
  if (run.replace && detached && run.instanceId && run.device) {
    try {
      const fresh = run.newVolumeId ? await deps.ec2.getVolume(region, run.newVolumeId) : undefined;
      if (fresh?.attachments.some((a) => a.instanceId === run.instanceId)) {
        await deps.ec2.detachVolume(region, fresh.id, run.instanceId);
        await deps.ec2.waitForVolume(region, fresh.id, 'available', 600);
      }
      const old = await deps.ec2.getVolume(region, run.volumeId);
      if (!old.attachments.some((a) => a.instanceId === run.instanceId)) {
        await deps.ec2.attachVolume(region, run.volumeId, run.instanceId, run.device);
        await deps.ec2.waitForVolume(region, run.volumeId, 'in-use', 600);
        if (run.deleteOnTermination) {
          await deps.ec2.setDeleteOnTermination(region, run.instanceId, run.device, true).catch(() => left.push(`set delete-on-termination for ${run.volumeId} again in the EC2 console (EC2 refused it)`));
        }
      }
      left.push(`${run.volumeId} is back on ${run.instanceId} at ${run.device}, as before`);
    } catch (undo) {
      left.push(`putting ${run.volumeId} back on ${run.instanceId} at ${run.device} failed too (${(undo as Error).message}): attach it there by hand before starting the instance`);
    }
  }
  if (run.newVolumeId) left.push(`the encrypted volume ${run.newVolumeId} (detached; delete it if you do not retry)`);
  if (run.snapshotId) left.push(`the snapshot ${run.snapshotId}`);
  const failedAt = run.step;
  run.step = 'failed';
  await show(deps, run, { failedAt, failure: err.message, ...(left.length ? { leftBehind: `${left.join('; ')}.` } : {}) });
  await deps.store.operations.remove(run.id).catch(() => undefined);
}

function nextWithoutSwap(run: EncryptionRun): string {
  if (!run.instanceId) return `\`${run.newVolumeId}\` is ready in ${run.source.availabilityZone}: attach it where \`${run.volumeId}\` was needed. \`${run.volumeId}\` and the snapshot \`${run.snapshotId}\` are unchanged; delete them once you no longer need them.`;
  return `To swap it in, stop ${run.instanceId}, then detach \`${run.volumeId}\` and attach \`${run.newVolumeId}\` at ${run.device} (or run \`/snapshot encrypt ${run.volumeId} --replace\` while the instance is stopped: it makes a fresh copy and swaps it). The snapshot \`${run.snapshotId}\` is kept.`;
}

function nextAfterSwap(run: EncryptionRun): string {
  return `Start ${run.instanceId} and check it: it now runs on the encrypted \`${run.newVolumeId}\` at ${run.device}. The old \`${run.volumeId}\` is kept, detached, and still billed: delete it (and the snapshot \`${run.snapshotId}\`) once you are sure.`;
}

function withoutAwsTags(tags: Tags): Tags {
  return Object.fromEntries(Object.entries(tags).filter(([k]) => !k.toLowerCase().startsWith('aws:')));
}

function viewOf(run: EncryptionRun, deps: Deps, extra: Partial<EncryptView> = {}): EncryptView {
  return {
    volumeId: run.volumeId,
    ...(run.volumeName ? { volumeName: run.volumeName } : {}),
    requesterId: run.requesterId,
    where: run.where,
    replace: run.replace,
    step: run.step,
    ...(run.snapshotId ? { snapshotId: run.snapshotId } : {}),
    ...(run.newVolumeId ? { newVolumeId: run.newVolumeId } : {}),
    ...(run.instanceId ? { instanceId: run.instanceId } : {}),
    ...(run.device ? { device: run.device } : {}),
    ...(run.kmsKeyId ? { kmsKeyId: run.kmsKeyId } : {}),
    crashConsistent: run.crashConsistent ?? false,
    elapsedMs: deps.now().getTime() - Date.parse(run.startedAt),
    ...extra,
  };
}

async function show(deps: Deps, run: EncryptionRun, extra: Partial<EncryptView> = {}): Promise<void> {
  if (run.message.ts) await deps.out.tryUpdate(run.message, deps.views.encryptMessage(viewOf(run, deps, extra)));
}

/** The run as the store keeps operations (kind encrypt); false when it could not be written. */
async function record(deps: Deps, run: EncryptionRun): Promise<boolean> {
  return deps.store.operations
    .put({
      id: run.id,
      kind: 'encrypt',
      resourceId: run.volumeId,
      region: run.region,
      ...(run.account ? { account: run.account } : {}),
      channel: run.message.channel,
      ts: run.message.ts,
      requesterId: run.requesterId,
      startedAt: run.startedAt,
      extra: { run: JSON.stringify(run) },
    })
    .then(
      () => true,
      (err: Error) => {
        deps.log.warn({ err, run: run.id }, 'encryption run not recorded');
        return false;
      },
    );
}
