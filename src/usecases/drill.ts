// Restore drills: /snapshot drill restores a volume's newest completed snapshot to a new volume (tagged
// snapbot:drill), times it until `available`, reads a sample of its blocks back through the EBS direct APIs and checks
// them against EBS's SHA-256 checksums, then deletes the volume — always. The drill is recorded (the operations
// store) before each step, so a restarted bot resumes it and still deletes its volume; the volume's ClientToken
// comes from the drill's ID, so a resumed restore answers the volume the first attempt made. A sweep deletes any drill
// volume older than an hour that no drill is following. /snapshot drills and the evidence report read the history.
import type { CommandOf } from '../core/commands.js';
import { DRILL_VOLUME_TYPE, drillCostUsd, dueForDrill, evidenceRows, type DrillRecord, type VolumePoint } from '../core/drills.js';
import { TAG, nameTag, type Snapshot } from '../core/types.js';
import { count } from '../core/words.js';
import type { BlockCheck } from '../aws/ebs.js';
import { AwsActionError } from '../aws/errors.js';
import { announce, auditBestEffort, creationTags, depsAt, everyScope, newId, replyPrivately, whereLabel, type Deps, type Invocation } from './context.js';
import type { DrillView, PostedMessage, SweptDrillVolume } from './ports.js';

/** How long a drill's volume may take to become available before the drill fails. */
const RESTORE_TIMEOUT_SECONDS = 30 * 60;
/** A drill volume older than this that no drill follows is left behind: the sweep deletes it. */
const SWEEP_AFTER_MS = 60 * 60_000;

/** What one drill restores, where. */
interface DrillPlan {
  volumeId?: string;
  volumeName?: string;
  snapshot: Snapshot;
  availabilityZone: string;
  zoneChosen: boolean;
}

/** The recorded drill: enough to resume from any step. */
interface DrillRun {
  id: string;
  by: string;
  channelId: string;
  message: PostedMessage;
  region: string;
  account?: string;
  where: string;
  volumeId?: string;
  volumeName?: string;
  snapshotId: string;
  snapshotStartMs: number;
  sizeGiB: number;
  availabilityZone: string;
  zoneChosen: boolean;
  step: 'restore' | 'verify' | 'delete';
  startedAt: string;
  drillVolumeId?: string;
  createdMs?: number;
  secondsToAvailable?: number;
  check?: BlockCheck;
  failure?: string;
}

/** `/snapshot drill <vol|snap|i> [--az]`: answers bad targets privately, then one message follows each drill. */
export async function startDrill(deps: Deps, inv: Invocation, cmd: CommandOf<'snapshot.drill'>): Promise<void> {
  const planned = await plan(deps, cmd.target, cmd.availabilityZone).catch((err: Error) => ({ problems: [err.message], plans: [] as DrillPlan[] }));
  if (planned.problems.length) await replyPrivately(deps, inv, { text: planned.problems.map((p) => `:warning: ${p}`).join('\n') });
  for (const p of planned.plans) {
    const run = newRun(deps, p, inv.userId, inv.channelId);
    run.message = await announce(deps, inv, deps.views.drillMessage(viewOf(deps, run, 'restoring')));
    if (!(await record(deps, run))) {
      await show(deps, run, 'done', { leftBehind: 'snapbot could not record the drill (DynamoDB did not answer), so it did not start: nothing was made. Try again shortly.' });
      continue;
    }
    deps.detach(async () => void (await runDrill(deps, run)));
  }
}

/**
 * What to restore: the volume's newest completed snapshot (or the snapshot given, or each volume of the instance),
 * in the volume's zone, the zone asked, or — the volume gone — the region's first available zone. Whatever EC2 would
 * refuse (not completed, archived, instance store, never backed up, a zone that is not the region's) is a problem,
 * said before anything is made.
 */
async function plan(deps: Deps, target: string, az: string | undefined): Promise<{ plans: DrillPlan[]; problems: string[] }> {
  const region = deps.scope.region;
  // The region's zones (read once a minute): an --az that is not one is answered here; unreadable, EC2 decides.
  const zones = await deps.ec2.availabilityZones(region).catch(() => [] as string[]);
  if (az && zones.length && !zones.includes(az)) return { plans: [], problems: [`Nothing was restored: ${az} is not an availability zone of ${region}. Its zones: ${zones.join(', ')}.`] };
  const zoneFor = (volumeZone?: string) => ({ availabilityZone: az ?? volumeZone ?? zones[0] ?? `${region}a`, zoneChosen: !az && !volumeZone });
  const problems: string[] = [];
  const plans: DrillPlan[] = [];
  const ofSnapshot = (s: Snapshot, volume?: { id: string; name?: string; zone?: string }): void => {
    const problem = restorable(s);
    if (problem) problems.push(problem);
    else plans.push({ snapshot: s, ...(volume ? { volumeId: volume.id, ...(volume.name ? { volumeName: volume.name } : {}) } : {}), ...zoneFor(volume?.zone) });
  };
  const ofVolume = async (volumeId: string, volume?: { name?: string; zone?: string }): Promise<void> => {
    const newest = await newestSnapshot(deps, volumeId);
    if ('problem' in newest) problems.push(newest.problem);
    else ofSnapshot(newest.snapshot, { id: volumeId, ...volume });
  };
  if (target.startsWith('snap-')) {
    const s = await deps.ec2.getSnapshot(region, target);
    const volume = s.volumeId ? await deps.ec2.getVolume(region, s.volumeId).catch(() => undefined) : undefined;
    ofSnapshot(s, volume ? { id: volume.id, name: nameTag(volume.tags), zone: volume.availabilityZone } : s.volumeId && s.volumeId !== 'vol-ffffffff' ? { id: s.volumeId } : undefined);
  } else if (target.startsWith('i-')) {
    const instance = await deps.ec2.getInstance(region, target);
    if (instance.volumes.length === 0) {
      problems.push(
        instance.rootDeviceType === 'instance-store'
          ? `${instance.id} is instance store-backed: its disks live on the host and have no EBS snapshots to restore, so there is nothing to drill.`
          : `${instance.id} has no EBS volumes attached: there is nothing to drill.`,
      );
    }
    for (const v of instance.volumes) await ofVolume(v.volumeId, { zone: instance.availabilityZone });
  } else {
    const volume = await deps.ec2.getVolume(region, target).catch((err: Error) => err);
    // Any other failure (throttled, not permitted) is said as it is: only a volume EC2 says is gone is drilled from its snapshots.
    if (volume instanceof Error && !(volume instanceof AwsActionError && volume.kind === 'not-found')) throw volume;
    if (volume instanceof Error) {
      // Gone: its snapshots may still be there, and the newest is restored in the region's first zone.
      const newest = await newestSnapshot(deps, target);
      if ('problem' in newest) problems.push(`${volume.message}${newest.none ? '' : ` ${newest.problem}`}`);
      else ofSnapshot(newest.snapshot, { id: target });
    } else if (volume.tags[TAG.drill] !== undefined) {
      problems.push(`${volume.id} is a restore drill's own volume: drill the volume whose backup it proves.`);
    } else await ofVolume(volume.id, { name: nameTag(volume.tags), zone: volume.availabilityZone });
  }
  return { plans, problems };
}

/** Why a snapshot cannot be restored now, in words, or undefined. */
function restorable(s: Snapshot): string | undefined {
  if (s.state !== 'completed') return `${s.id} is ${s.state}${s.state === 'pending' ? ` (${s.progress}%)` : ''}: a drill restores only a completed snapshot. Try again once it has completed.`;
  if (s.storageTier === 'archive') {
    return `${s.id} is in the archive tier, and CreateVolume cannot restore an archived snapshot. Restore it to the standard tier first with \`/snapshot unarchive ${s.id}\` (it takes up to 72 hours, and retrieval costs $0.03 per GB of the snapshot's full size), then drill it.`;
  }
  return undefined;
}

/** A volume's newest completed snapshot, from any source; or why there is none. */
async function newestSnapshot(deps: Deps, volumeId: string): Promise<{ snapshot: Snapshot } | { problem: string; none?: boolean }> {
  let newest: Snapshot | undefined;
  let pending: Snapshot | undefined;
  await deps.ec2.forEachOwnSnapshotPage(deps.scope.region, { volumeId }, (page) => {
    for (const s of page) {
      if (s.volumeId !== volumeId) continue;
      if (s.state === 'completed') {
        if (!newest || (s.startTime?.getTime() ?? 0) > (newest.startTime?.getTime() ?? 0)) newest = s;
      } else if (s.state === 'pending') pending = s;
    }
  });
  if (newest) return { snapshot: newest };
  if (pending) return { problem: `${volumeId}'s only snapshot ${pending.id} is still pending (${pending.progress}%): drill it once it has completed.` };
  return { none: true, problem: `${volumeId} has never been backed up: there is no snapshot to restore. Snapshot it now with \`/snapshot ${volumeId}\`, or give it a schedule with \`/snapshot schedule ${volumeId} --every 24h --keep 7\`.` };
}

function newRun(deps: Deps, p: DrillPlan, by: string, channelId: string): DrillRun {
  return {
    id: newId(deps.now()),
    by,
    channelId,
    message: { channel: channelId, ts: '' },
    region: deps.scope.region,
    ...(deps.scope.account ? { account: deps.scope.account.id } : {}),
    where: whereLabel(deps),
    ...(p.volumeId ? { volumeId: p.volumeId } : {}),
    ...(p.volumeName ? { volumeName: p.volumeName } : {}),
    snapshotId: p.snapshot.id,
    snapshotStartMs: p.snapshot.startTime?.getTime() ?? deps.now().getTime(),
    sizeGiB: p.snapshot.volumeSizeGiB,
    availabilityZone: p.availabilityZone,
    zoneChosen: p.zoneChosen,
    step: 'restore',
    startedAt: deps.now().toISOString(),
  };
}

/** Thrown where a long wait meets shutdown: the drill stays recorded at its step, and the next start resumes it. */
class Interrupted extends Error {}

/** Runs (or resumes) a drill to its end: restore, verify, delete — the delete whatever happened before. */
async function runDrill(deps: Deps, run: DrillRun): Promise<DrillRecord | undefined> {
  const region = run.region;
  try {
    if (run.step === 'restore') {
      try {
        await restore(deps, run);
        run.step = 'verify';
        await record(deps, run);
      } catch (err) {
        if (err instanceof Interrupted) throw err;
        run.failure = `the restore did not complete: ${(err as Error).message}`;
        run.step = 'delete';
        await record(deps, run);
      }
    }
    if (run.step === 'verify') {
      await show(deps, run, 'verifying');
      try {
        run.check = await deps.ebs.checkBlocks(region, run.snapshotId, deps.config.drills.sampleBlocks, deps.now);
      } catch (err) {
        run.failure = `its blocks could not be listed: ${(err as Error).message}`;
      }
      run.step = 'delete';
      await record(deps, run);
    }
  } catch (err) {
    if (err instanceof Interrupted) return undefined;
    throw err;
  }
  // Always: the drill's volume goes, whatever the drill found.
  await show(deps, run, 'cleaning');
  let leftBehind: string | undefined;
  if (run.drillVolumeId) {
    try {
      await deps.ec2.deleteVolume(region, run.drillVolumeId);
      await auditBestEffort(deps, { resourceId: run.drillVolumeId, actor: run.by, event: 'deleted', detail: `restore drill ${run.id} ended`, requestId: run.id });
    } catch (err) {
      leftBehind = `The drill volume \`${run.drillVolumeId}\` could not be deleted (${(err as Error).message}); the hourly sweep deletes it.`;
    }
  }
  const drill = result(deps, run);
  await deps.store.drills.record(drill).catch((err) => deps.log.warn({ err, drill: run.id }, 'drill result not recorded'));
  await auditBestEffort(deps, { resourceId: run.snapshotId, actor: run.by, event: `drill ${drill.result}`, detail: `restored in ${run.availabilityZone}${drill.secondsToAvailable !== undefined ? ` in ${drill.secondsToAvailable.toFixed(1)} s` : ''}, ${count(drill.blocksVerified, 'block')} verified`, requestId: run.id });
  await show(deps, run, 'done', { record: drill, ...(leftBehind ? { leftBehind } : {}) });
  await deps.store.operations.remove(run.id).catch(() => undefined);
  deps.metrics.drills.inc({ result: drill.result });
  return drill;
}

/** CreateVolume (idempotent by the drill's ID), then the SDK's waiter until available, timed. */
async function restore(deps: Deps, run: DrillRun): Promise<void> {
  const region = run.region;
  if (!run.drillVolumeId) {
    const tags = {
      ...creationTags({ userId: run.by === 'schedule' ? 'snapbot' : run.by, channelId: run.channelId }, run.id, `restore drill of ${run.snapshotId}`),
      [TAG.drill]: run.id,
    };
    run.createdMs = deps.now().getTime();
    // Same key as the snapshot (EC2's default for an encrypted snapshot); the cheapest general-purpose type.
    const volume = await deps.ec2.createVolume(region, { snapshotId: run.snapshotId, availabilityZone: run.availabilityZone, volumeType: DRILL_VOLUME_TYPE, tags });
    run.drillVolumeId = volume.id;
    await record(deps, run);
    await auditBestEffort(deps, { resourceId: volume.id, actor: run.by, event: 'created', detail: `restore drill of ${run.snapshotId}`, requestId: run.id });
    await show(deps, run, 'restoring');
  }
  if (deps.stopping()) throw new Interrupted();
  await deps.ec2.waitForVolume(region, run.drillVolumeId, 'available', RESTORE_TIMEOUT_SECONDS);
  run.secondsToAvailable = (deps.now().getTime() - (run.createdMs ?? Date.parse(run.startedAt))) / 1000;
}

/** The drill as it ended: passed only when the volume became available and no sampled block was bad. */
function result(deps: Deps, run: DrillRun): DrillRecord {
  const c = run.check;
  const failed = run.failure !== undefined || c?.bad !== undefined;
  const detail = run.failure ?? (c?.bad ? c.bad.why : c?.refused ? c.refused : c && c.blocksRead === 0 ? 'the snapshot holds no written blocks to read' : undefined);
  const seconds = run.secondsToAvailable ?? 0;
  return {
    id: run.id,
    at: run.startedAt,
    by: run.by,
    ...(run.account ? { account: run.account } : {}),
    region: run.region,
    ...(run.volumeId ? { volumeId: run.volumeId } : {}),
    snapshotId: run.snapshotId,
    snapshotAgeHours: Math.max(0, Math.floor((Date.parse(run.startedAt) - run.snapshotStartMs) / 3_600_000)),
    availabilityZone: run.availabilityZone,
    result: failed ? 'failed' : 'passed',
    ...(run.secondsToAvailable !== undefined ? { secondsToAvailable: Math.round(run.secondsToAvailable * 10) / 10 } : {}),
    blocksVerified: c?.verified ?? 0,
    ...(detail ? { detail } : {}),
    ...(c?.bad ? { badBlock: c.bad.index } : {}),
    costUsd: drillCostUsd({ volumeType: DRILL_VOLUME_TYPE, sizeGiB: run.sizeGiB, seconds: run.drillVolumeId ? Math.max(seconds, (deps.now().getTime() - (run.createdMs ?? deps.now().getTime())) / 1000) : 0, listCalls: c?.listCalls ?? 0, blocksRead: c?.blocksRead ?? 0 }),
  };
}

function viewOf(deps: Deps, run: DrillRun, phase: DrillView['phase'], extra: Partial<DrillView> = {}): DrillView {
  return {
    phase,
    by: run.by,
    where: run.where,
    ...(run.volumeId ? { volumeId: run.volumeId } : {}),
    ...(run.volumeName ? { volumeName: run.volumeName } : {}),
    snapshotId: run.snapshotId,
    snapshotAgeHours: Math.max(0, Math.floor((Date.parse(run.startedAt) - run.snapshotStartMs) / 3_600_000)),
    availabilityZone: run.availabilityZone,
    zoneChosen: run.zoneChosen,
    ...(run.drillVolumeId ? { drillVolumeId: run.drillVolumeId } : {}),
    ...(run.secondsToAvailable !== undefined ? { secondsToAvailable: run.secondsToAvailable } : {}),
    sampleBlocks: deps.config.drills.sampleBlocks,
    ...extra,
  };
}

async function show(deps: Deps, run: DrillRun, phase: DrillView['phase'], extra: Partial<DrillView> = {}): Promise<void> {
  if (run.message.ts) await deps.out.tryUpdate(run.message, deps.views.drillMessage(viewOf(deps, run, phase, extra)));
}

async function record(deps: Deps, run: DrillRun): Promise<boolean> {
  return deps.store.operations
    .put({
      id: run.id,
      kind: 'drill',
      resourceId: run.snapshotId,
      region: run.region,
      ...(run.account ? { account: run.account } : {}),
      channel: run.message.channel,
      ts: run.message.ts,
      requesterId: run.by,
      startedAt: run.startedAt,
      extra: { run: JSON.stringify(run) },
    })
    .then(
      () => true,
      (err: Error) => {
        deps.log.warn({ err, drill: run.id }, 'drill not recorded');
        return false;
      },
    );
}

/** After a restart: every drill a previous process left unfinished, from its recorded step (its volume always goes). */
export async function resumeDrills(deps: Deps): Promise<number> {
  const ops = (await deps.store.operations.list()).filter((o) => o.kind === 'drill');
  for (const op of ops) {
    const run = JSON.parse(op.extra?.run ?? 'null') as DrillRun | null;
    if (!run) continue;
    const d = depsAt(deps, { ...(run.account ? { account: run.account } : {}), region: run.region });
    if ('problem' in d) {
      deps.log.warn({ drill: run.id }, `drill of ${run.snapshotId} not resumed: ${d.problem}`);
      continue;
    }
    d.detach(async () => void (await runDrill(d, run)));
  }
  return ops.length;
}

/**
 * Deletes every snapbot:drill volume older than an hour that no drill is following (a drill that stopped half-way
 * and could not be resumed), in every account and region, and says so in the digest channel.
 */
export async function sweepDrillVolumes(deps: Deps): Promise<SweptDrillVolume[]> {
  const following = new Set((await deps.store.operations.list()).filter((o) => o.kind === 'drill').map((o) => o.id));
  const removed: SweptDrillVolume[] = [];
  for (const d of everyScope(deps)) {
    const region = d.scope.region;
    const volumes = await d.ec2.volumesTagged(region, TAG.drill).catch((err: Error) => (deps.log.warn({ err, region }, 'drill sweep could not list volumes'), []));
    for (const v of volumes) {
      const drillId = v.tags[TAG.drill] ?? '';
      if (following.has(drillId) || !v.createTime || deps.now().getTime() - v.createTime.getTime() < SWEEP_AFTER_MS) continue;
      if (v.state === 'in-use') continue;
      try {
        await d.ec2.deleteVolume(region, v.id);
        removed.push({ volumeId: v.id, where: whereLabel(d), drillId, createdAt: v.createTime });
        await auditBestEffort(d, { resourceId: v.id, actor: 'snapbot', event: 'deleted', detail: `restore-drill volume left behind by drill ${drillId}`, requestId: drillId });
      } catch (err) {
        deps.log.warn({ err, volume: v.id }, 'drill sweep could not delete a volume');
      }
    }
  }
  if (removed.length && deps.config.digestChannel) {
    await deps.out.post(deps.config.digestChannel, deps.views.drillSweepMessage(removed)).catch((err) => deps.log.warn({ err }, 'drill sweep message not posted'));
  }
  return removed;
}

/**
 * The scheduled drills, run with the digest: up to DRILL_MAX_PER_RUN volumes in use (with a snapshot) whose last
 * drill is older than DRILL_EVERY_DAYS, longest-unproven first, one after another; one summary message.
 */
export async function runScheduledDrills(deps: Deps, points: readonly VolumePoint[]): Promise<DrillRecord[]> {
  const { everyDays, maxPerRun } = deps.config.drills;
  if (everyDays <= 0 || maxPerRun <= 0) return [];
  const history = await deps.store.drills.since(new Date(deps.now().getTime() - Math.max(everyDays, 1) * 86_400_000));
  const candidates = points.filter((p) => p.newestSnapshotId !== undefined);
  const due = dueForDrill(candidates, history, { now: deps.now(), everyDays, max: maxPerRun });
  const done: DrillRecord[] = [];
  for (const p of due) {
    const d = depsAt(deps, { ...(p.account ? { account: p.account } : {}), region: p.region });
    if ('problem' in d) continue;
    const planned = await plan(d, p.volumeId, undefined).catch(() => undefined);
    const first = planned?.plans[0];
    if (!first) continue;
    const run = newRun(d, first, 'schedule', deps.config.digestChannel);
    if (!(await record(d, run))) continue;
    const drill = await runDrill(d, run).catch((err: Error) => (deps.log.warn({ err, volume: p.volumeId }, 'scheduled drill failed to run'), undefined));
    if (drill) done.push(drill);
  }
  if (done.length && deps.config.digestChannel) await deps.out.post(deps.config.digestChannel, deps.views.drillSummaryMessage(done, { now: deps.now() }));
  return done;
}

/** `/snapshot drills [vol-id]`: the latest drills, privately. */
export async function showDrills(deps: Deps, inv: Invocation, volumeId?: string): Promise<void> {
  try {
    const all = await deps.store.drills.since(new Date(deps.now().getTime() - 400 * 86_400_000));
    const drills = volumeId ? all.filter((d) => d.volumeId === volumeId) : all;
    await replyPrivately(deps, inv, deps.views.drillsMessage(drills, { ...(volumeId ? { volumeId } : {}), now: deps.now(), shown: 20 }));
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: The drills could not be read: ${(err as Error).message}` });
  }
}

/**
 * The evidence rows: every in-use volume's recovery point (the digest's scan, every account and region) and every
 * drill of the last `days` days.
 */
export async function evidence(
  deps: Pick<Deps, 'store' | 'now' | 'config'>,
  points: readonly VolumePoint[],
  days: number,
  ownAccount: string,
): Promise<ReturnType<typeof evidenceRows>> {
  const drills = await deps.store.drills.since(new Date(deps.now().getTime() - days * 86_400_000));
  return evidenceRows(points, drills, { ownAccount });
}

/** `/snapshot evidence [--days N]`: the CSV uploaded to the channel. */
export async function uploadEvidence(deps: Deps, inv: Invocation, days: number, points: () => Promise<VolumePoint[]>): Promise<void> {
  try {
    // The account column is an ID; where STS cannot say snapbot's own, it says "own", as npm run evidence does.
    const own = await deps.estate.own.identity.accountId().catch(() => 'own');
    const rows = await evidence(deps, await points(), days, own);
    const day = deps.now().toISOString().slice(0, 10);
    const volumes = rows.filter((r) => r.kind === 'volume').length;
    await deps.out.uploadCsv(inv.channelId, undefined, `snapbot-backup-evidence-${day}.csv`, deps.views.evidenceCsv(rows), `Backup evidence: ${count(volumes, 'volume')} in use and ${count(rows.length - volumes, 'drill')} of the last ${count(days, 'day')}`);
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: The evidence could not be gathered: ${(err as Error).message}` });
  }
}
