// A batch cleanup (`/snapshot cleanup <kind>`, the digest's *Request deletion of all*): the card says how many, what
// they free together, a sample and whether the Recycle Bin keeps them; once approved, each resource is re-checked
// just before it is touched and deleted once, at a pace EC2's throttle allows (a token bucket shared by the batch,
// and the SDK's retry strategy behind it), each outcome recorded as it happens — so a restarted bot (the approval's
// lease passes to it) carries on where it stopped, and nothing is deleted or counted twice. One message in the
// card's thread follows the whole batch.
import type { ApprovalAction, ApprovalRequest } from '../../core/approvals.js';
import { CLEANUP_KINDS, batchWords, recheck, type BatchItem, type RecheckFacts } from '../../core/cleanup.js';
import { roundCents } from '../../core/cost.js';
import { TokenBucket } from '../../core/token-bucket.js';
import { imageSnapshotIds, type Snapshot } from '../../core/types.js';
import type { BatchOutcome } from '../../store/index.js';
import type { Deps } from '../context.js';
import { whereLabel } from '../context.js';
import type { BatchProgressView, PostedMessage } from '../ports.js';
import { recoveryLine } from '../recycle-bin.js';
import type { ApprovalRunner } from './types.js';

type BatchAction = Extract<ApprovalAction, { type: 'cleanup.batch' }>;

/** Resources re-checked (one describe of each) and then deleted together. */
const CHUNK = 100;
/** How many of the batch the card names. */
const SAMPLE = 5;
/** EC2's mutating calls refill at 5 a second (its published throttling); a batch keeps to that, in bursts of 20. */
export const DELETE_RATE = { perSecond: 5, burst: 20 };

export const cleanupBatch: ApprovalRunner<BatchAction> = {
  async assess(deps, action) {
    const items = await deps.store.batches.list(action.batchId);
    let usd = 0;
    let measured = 0;
    for (const i of items) {
      usd += roundCents(i.usd);
      if (i.measured) measured++;
    }
    const kinds = new Set(items.map((i) => CLEANUP_KINDS[i.kind].resource));
    const recovery = await Promise.all([...kinds].map((k) => recoveryLine(deps, deps.scope.region, k, {}).then((r) => `Recycle Bin, for the ${k === 'snapshot' ? 'snapshots' : 'AMIs'}: ${r.text.charAt(0).toLowerCase()}${r.text.slice(1)}`)));
    const lines = [
      `${batchWords(action.what, items.length)} in ${whereLabel(deps)}, all older than ${deps.config.staleAfterDays} days and no longer needed (the digest's rules); the full list is a CSV in this thread.`,
      `Sample: ${items
        .slice(0, SAMPLE)
        .map((i) => `${i.id}${i.name ? ` “${i.name.slice(0, 40)}”` : ''} (${i.ageDays} days)`)
        .join(', ')}${items.length > SAMPLE ? `, and ${items.length - SAMPLE} more` : ''}.`,
      ...recovery,
      measured === items.length
        ? 'What they free together is measured from the blocks no other snapshot shares.'
        : `What they free together is an upper bound${measured ? ` (measured for ${measured} of them)` : ''}: snapshots share blocks, and what another snapshot still uses stays billed.`,
      `Once approved, each is checked again just before it goes (still unused, not locked, not kept, not managed, still older than ${deps.config.staleAfterDays} days) and deleted at most ${DELETE_RATE.perSecond} a second; one message in this thread follows them.`,
    ];
    return { risk: { lines, monthlyUsdFreed: roundCents(usd), monthlyUsdExact: measured === items.length && items.length > 0 } };
  },

  run: (deps, request, action) => runBatch(deps, request, action),
};

/** The approved batch, from wherever it stopped; returns the outcome in words. */
export async function runBatch(deps: Deps, request: ApprovalRequest, action: BatchAction, rate = DELETE_RATE): Promise<string> {
  const items = await deps.store.batches.list(action.batchId);
  const outcomes = await deps.store.batches.outcomes(action.batchId);
  const bucket = new TokenBucket(rate.burst, (rate.burst / rate.perSecond) * 1000);
  const progress = new BatchProgress(deps, request, action, items.length, outcomes);
  await progress.start();
  for (let at = 0; at < items.length; at += CHUNK) {
    const chunk = items.slice(at, at + CHUNK).filter((i) => !outcomes.has(i.id));
    if (chunk.length === 0) continue;
    const facts = await recheckFacts(deps, chunk);
    for (const item of chunk) {
      const verdict = recheck(item, facts);
      let outcome: BatchOutcome;
      if (verdict && 'gone' in verdict) outcome = { state: 'skipped', why: 'already gone' };
      else if (verdict) outcome = { state: 'skipped', why: verdict.keep };
      else {
        while (!bucket.take()) await new Promise((r) => setTimeout(r, 50));
        outcome = await remove(deps, item, facts);
      }
      // Written once: a second runner (a replica that took the lease over) finds it and counts nothing twice.
      if (await deps.store.batches.record(action.batchId, item.id, outcome)) {
        outcomes.set(item.id, outcome);
        if (outcome.state === 'done') await saving(deps, request, item);
      }
      await progress.tick(outcomes);
    }
  }
  return progress.finish(outcomes);
}

/** Deletes one resource (an AMI with its snapshots); what is already gone counts as done. */
async function remove(deps: Deps, item: BatchItem, facts: RecheckFacts): Promise<BatchOutcome> {
  const region = deps.scope.region;
  const done: BatchOutcome = { state: 'done', usd: item.usd, measured: item.measured };
  try {
    if (CLEANUP_KINDS[item.kind].resource === 'image') {
      const image = facts.images.get(item.id);
      const r = await deps.ec2.deregisterImage(region, item.id, true, image ? imageSnapshotIds(image) : undefined);
      if (r.keptSnapshots.length) return { state: 'failed', why: `deregistered, but ${r.keptSnapshots.map((k) => `${k.id} stayed: ${k.why}`).join('; ')}` };
      return done;
    }
    await deps.ec2.deleteSnapshot(region, item.id);
    return done;
  } catch (err) {
    const e = err as { kind?: string; message: string };
    if (e.kind === 'not-found') return done;
    return { state: 'failed', why: e.message };
  }
}

async function saving(deps: Deps, request: ApprovalRequest, item: BatchItem): Promise<void> {
  await deps.store.savings
    .record({
      kind: CLEANUP_KINDS[item.kind].resource === 'image' ? 'ami-deregistered' : 'snapshot-deleted',
      resourceId: item.id,
      usdMonth: item.usd,
      measured: item.measured,
      at: deps.now().toISOString(),
      requestId: request.id,
      ...(request.account ? { account: request.account } : {}),
      region: request.region,
    })
    .catch(() => undefined);
}

/** Images and launch-template use change rarely: read once a minute for the whole batch, not per chunk. */
const useCache = new WeakMap<Deps['ec2'], { at: number; usage: Promise<{ bySnapshot: Map<string, string[]>; snapshots: Set<string>; images: Set<string> }> }>();

/** What the re-check of a chunk needs, read fresh: the resources, their locks, their volumes, what uses them. */
async function recheckFacts(deps: Deps, chunk: readonly BatchItem[]): Promise<RecheckFacts> {
  const region = deps.scope.region;
  const snapshotIds = chunk.filter((i) => CLEANUP_KINDS[i.kind].resource === 'snapshot').map((i) => i.id);
  const imageIds = chunk.filter((i) => CLEANUP_KINDS[i.kind].resource === 'image').map((i) => i.id);
  const [snapshots, images, hidden] = await Promise.all([
    snapshotIds.length ? deps.ec2.findSnapshots(region, snapshotIds) : Promise.resolve([] as Snapshot[]),
    imageIds.length ? deps.ec2.findImages(region, imageIds) : Promise.resolve([]),
    deps.store.snoozes.active(deps.now()).then((a) => new Set(a.hidden.keys())),
  ]);
  const volumeIds = [...new Set(snapshots.flatMap((s) => (s.volumeId && s.volumeId !== 'vol-ffffffff' ? [s.volumeId] : [])))];
  const lockable = [...snapshotIds, ...images.flatMap((i) => imageSnapshotIds(i))];
  const [locks, volumes, ofVolumes, usage] = await Promise.all([
    // Locks unreadable: EC2 itself refuses to delete a locked snapshot, and the outcome says so.
    lockable.length ? deps.ec2.snapshotLocks(region, lockable).catch(() => new Map()) : Promise.resolve(new Map()),
    volumeIds.length ? deps.ec2.findVolumes(region, volumeIds) : Promise.resolve([]),
    volumeIds.length && chunk.some((i) => i.kind === 'superseded') ? deps.ec2.snapshotsOfVolumes(region, volumeIds) : Promise.resolve([] as Snapshot[]),
    usageOf(deps),
  ]);
  const snapshotsOfVolume = new Map<string, Snapshot[]>();
  for (const s of ofVolumes) if (s.volumeId) snapshotsOfVolume.set(s.volumeId, [...(snapshotsOfVolume.get(s.volumeId) ?? []), s]);
  return {
    now: deps.now(),
    staleAfterDays: deps.config.staleAfterDays,
    keepPerVolume: deps.config.keepPerVolume,
    snapshots: new Map(snapshots.map((s) => [s.id, s])),
    images: new Map(images.map((i) => [i.id, i])),
    locked: new Set(locks.keys()),
    snapshotsOfVolume,
    existingVolumes: new Set(volumes.map((v) => v.id)),
    imageIdsBySnapshotId: usage.bySnapshot,
    usedSnapshotIds: usage.snapshots,
    usedImageIds: usage.images,
    hidden,
  };
}

function usageOf(deps: Deps) {
  const known = useCache.get(deps.ec2);
  if (known && Date.now() - known.at < 60_000) return known.usage;
  const region = deps.scope.region;
  const usage = Promise.all([
    deps.ec2.listOwnImages(region),
    deps.ec2.imageIdsInUseByInstances(region),
    deps.ec2.launchTemplateUsage(region),
    deps.autoScaling.launchConfigurationUsage(region).catch(() => ({ snapshotIds: new Set<string>(), imageIds: new Set<string>() })),
  ]).then(([images, running, lt, lc]) => {
    const bySnapshot = new Map<string, string[]>();
    for (const i of images) if (i.state !== 'deregistered') for (const sid of imageSnapshotIds(i)) bySnapshot.set(sid, [...(bySnapshot.get(sid) ?? []), i.id]);
    return { bySnapshot, snapshots: new Set([...lt.snapshotIds, ...lc.snapshotIds]), images: new Set([...running, ...lt.imageIds, ...lc.imageIds]) };
  });
  // A failed read is not remembered: the next chunk asks again.
  usage.catch(() => useCache.delete(deps.ec2));
  useCache.set(deps.ec2, { at: Date.now(), usage });
  return usage;
}

/** The one message in the card's thread that follows the batch: updated every few seconds, and at the end. */
class BatchProgress {
  private message?: PostedMessage;
  private lastShown = 0;

  constructor(
    private readonly deps: Deps,
    private readonly request: ApprovalRequest,
    private readonly action: BatchAction,
    private readonly total: number,
    outcomes: ReadonlyMap<string, BatchOutcome>,
  ) {
    this.resumed = outcomes.size > 0;
  }

  private readonly resumed: boolean;

  private view(outcomes: ReadonlyMap<string, BatchOutcome>, finished: boolean): BatchProgressView {
    const skipped = new Map<string, number>();
    const failed = new Map<string, number>();
    let done = 0;
    let usd = 0;
    let measured = true;
    for (const o of outcomes.values()) {
      if (o.state === 'done') {
        done++;
        usd += roundCents(o.usd);
        measured &&= o.measured;
      } else (o.state === 'skipped' ? skipped : failed).set(o.why, ((o.state === 'skipped' ? skipped : failed).get(o.why) ?? 0) + 1);
    }
    return {
      what: batchWords(this.action.what, this.total),
      where: whereLabel(this.deps),
      requestId: this.request.id,
      total: this.total,
      done,
      skipped: [...skipped].map(([why, n]) => ({ why, n })),
      failed: [...failed].map(([why, n]) => ({ why, n })),
      usdFreed: usd,
      measured: measured && done > 0,
      finished,
      resumed: this.resumed,
    };
  }

  async start(): Promise<void> {
    const where = this.request.message;
    if (!where) return;
    this.message = await this.deps.out.post(where.channel, this.deps.views.batchProgressMessage(this.view(new Map(), false)), where.ts).catch(() => undefined);
  }

  async tick(outcomes: ReadonlyMap<string, BatchOutcome>): Promise<void> {
    if (!this.message || Date.now() - this.lastShown < 3_000) return;
    this.lastShown = Date.now();
    await this.deps.out.tryUpdate(this.message, this.deps.views.batchProgressMessage(this.view(outcomes, false)));
  }

  async finish(outcomes: ReadonlyMap<string, BatchOutcome>): Promise<string> {
    const v = this.view(outcomes, true);
    if (this.message) await this.deps.out.tryUpdate(this.message, this.deps.views.batchProgressMessage(v));
    const skipped = v.skipped.reduce((n, s) => n + s.n, 0);
    const failed = v.failed.reduce((n, s) => n + s.n, 0);
    return `Deleted ${v.done} of ${v.what}${skipped ? `; ${skipped} skipped (${v.skipped.map((s) => `${s.n}: ${s.why}`).join('; ')})` : ''}${failed ? `; ${failed} failed (${v.failed.map((s) => `${s.n}: ${s.why}`).join('; ')})` : ''}.`;
  }
}
