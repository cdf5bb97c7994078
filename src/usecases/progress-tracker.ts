// Keeps one Slack message up to date while EC2 works, from the first poll to completed/available (or the failure).
// Operations are recorded in the store first, so a restarted bot resumes them instead of leaving a message spinning.
import { AwsActionError } from '../aws/errors.js';
import { TokenBucket } from '../core/token-bucket.js';
import type { Ec2Gateway } from '../aws/ec2/index.js';
import type { Image, Snapshot, Volume } from '../core/types.js';
import type { OperationRepository } from '../store/index.js';
import type { Message, Outbox, PostedMessage, ProgressItem, ProgressPhase, ProgressView } from './ports.js';

export type OperationKind = 'snapshot' | 'image' | 'volume' | 'copy-snapshot' | 'copy-image';

export interface TrackedOperation {
  id: string;
  kind: OperationKind;
  region: string;
  /** The managed account it runs in (ACCOUNTS); absent: snapbot's own. */
  account?: string;
  /** Where it runs, as the message says it ("us-west-2", "dev (222222222222) · us-west-2"). */
  where?: string;
  resourceIds: string[];
  /** A label per resource ID, e.g. the source volume and its Name. */
  labels: Record<string, string>;
  message: PostedMessage;
  requesterId: string;
  title: string;
  startedAt: Date;
}

/** Where operations survive a restart (the DynamoDB store in production). */
export interface OperationLog {
  put(op: TrackedOperation): Promise<void>;
  remove(id: string): Promise<void>;
  list(): Promise<TrackedOperation[]>;
}

interface Reading {
  phase: ProgressPhase;
  items: ProgressItem[];
  failure?: string;
}

export interface ProgressTrackerOptions {
  /** The EC2 gateway of an account: a member account's ID, or undefined for snapbot's own. */
  ec2For: (account: string | undefined) => Ec2Gateway;
  out: Outbox;
  /** Turns a reading into the message (slack/views' progressMessage). */
  render: (v: ProgressView) => Message;
  log: { warn(msg: string): void; info(msg: string): void };
  operations?: OperationLog;
  pollSeconds: number;
  timeoutMinutes: number;
  now?: () => Date;
  /** chat.update calls allowed a minute across all messages (Slack allows about 50 per method). */
  updatesPerMinute?: number;
}

/** One followed operation and what its message shows. */
interface Followed {
  op: TrackedOperation;
  recorded: Promise<boolean>;
  /** What the message shows now (its text and blocks), so an unchanged reading sends nothing. */
  shown: string;
  /** The update waiting for the Slack budget, if any: only the newest is kept. */
  pending?: { msg: Message; final: boolean };
  /** Ticks seen: polling slows as an operation ages. */
  ticks: number;
}

/** What one tick read in an account and region: one call per kind, however many operations it serves. */
interface TickReadings {
  snapshots: Map<string, Snapshot>;
  images: Map<string, Image>;
  volumes: Map<string, Volume>;
  /** A read that failed, by kind: the operations that needed it keep their last state (passing) or fail. */
  failed: Partial<Record<'snapshots' | 'images' | 'volumes', AwsActionError | Error>>;
}

/**
 * Follows long operations and keeps each one's Slack message current. Operations in the same account and region
 * share one poll loop: each tick reads every snapshot, AMI and volume they wait on with one DescribeSnapshots,
 * one DescribeImages and one DescribeVolumes (ID filters), however many people are snapshotting at once. Message
 * updates go through a budget shared by all messages, coalesced per message (only the newest state is sent).
 */
export class ProgressTracker {
  private readonly followed = new Map<string, Followed>();
  /** One loop per account and region with something to follow. */
  private readonly loops = new Map<string, Promise<void>>();
  /** Each sleeping loop's alarm: when it wakes, and how to make it wake sooner. */
  private readonly alarms = new Map<string, { due: number; reset(ms: number): void }>();
  private stopped = false;
  private readonly wakers = new Set<() => void>();
  /** chat.update calls a minute, for all messages together. */
  private readonly budget: TokenBucket;
  /** Poll ticks so far, over all accounts and regions (each reads its group's operations with one call per kind). */
  ticks = 0;

  constructor(private readonly o: ProgressTrackerOptions) {
    this.budget = new TokenBucket(o.updatesPerMinute ?? 45, 60_000);
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  /**
   * Follows the operation at once and records it alongside (best effort: the resource's tags carry the request
   * too), so a slow or unreachable store never holds up the message the user is watching.
   */
  async track(op: TrackedOperation): Promise<void> {
    const recorded = (this.o.operations?.put(op) ?? Promise.resolve()).then(
      () => true,
      (err: Error) => {
        this.o.log.warn(`could not record operation ${op.id} (progress will not resume after a restart): ${err.message}`);
        return false;
      },
    );
    this.follow(op, recorded);
  }

  /** After a restart: pick up every operation a previous process was following. */
  async resume(): Promise<number> {
    if (!this.o.operations) return 0;
    const ops = await this.o.operations.list();
    for (const op of ops) this.follow(op, Promise.resolve(true));
    return ops.length;
  }

  get activeCount(): number {
    return this.followed.size;
  }

  /** Stop polling; unfinished operations stay recorded and resume on the next start. */
  stop(): void {
    this.stopped = true;
    for (const wake of this.wakers) wake();
  }

  private follow(op: TrackedOperation, recorded: Promise<boolean>): void {
    if (this.followed.has(op.id)) return;
    this.followed.set(op.id, { op, recorded, shown: '', ticks: 0 });
    const group = groupOf(op);
    // A new operation is read within pollSeconds, not after its group's long sleep; a burst of new operations
    // shares that one tick.
    const alarm = this.alarms.get(group);
    if (alarm && alarm.due > Date.now() + this.o.pollSeconds * 1000) alarm.reset(this.o.pollSeconds * 1000);
    this.startLoop(group);
  }

  private startLoop(group: string): void {
    if (this.loops.has(group)) return;
    const p = this.loop(group)
      .catch((err) => this.o.log.warn(`progress tracking in ${group} failed: ${(err as Error).message}`))
      .finally(() => {
        this.loops.delete(group);
        // Something joined as the loop was ending: go on.
        if (!this.stopped && this.members(group).length > 0) this.startLoop(group);
      });
    this.loops.set(group, p);
  }

  private members(group: string): Followed[] {
    return [...this.followed.values()].filter((f) => groupOf(f.op) === group);
  }

  private async loop(group: string): Promise<void> {
    while (!this.stopped) {
      const members = this.members(group);
      if (members.length === 0) return;
      this.ticks++;
      const readings = await this.readAll(members);
      for (const f of members) {
        f.ticks++;
        this.settle(f, readings);
      }
      await this.flush(members);
      if (this.members(group).length === 0) return;
      // The youngest operation sets the pace: a fresh one is read every pollSeconds, older ones ever less often.
      const youngest = Math.min(...this.members(group).map((f) => f.ticks));
      await this.sleep(group, Math.min(this.o.pollSeconds * 1000 * 1.5 ** Math.max(0, youngest - 1), 20_000));
    }
  }

  /** One call per kind for every operation of the group. */
  private async readAll(members: Followed[]): Promise<TickReadings> {
    const { op } = members[0];
    const ec2 = this.o.ec2For(op.account);
    const region = op.region;
    const ids = { snapshots: [] as string[], images: [] as string[], volumes: [] as string[] };
    for (const { op: m } of members) {
      if (m.kind === 'snapshot' || m.kind === 'copy-snapshot') ids.snapshots.push(...m.resourceIds);
      else if (m.kind === 'volume') ids.volumes.push(...m.resourceIds);
      else ids.images.push(...m.resourceIds);
    }
    const r: TickReadings = { snapshots: new Map(), images: new Map(), volumes: new Map(), failed: {} };
    const settle = async <T extends { id: string }>(kind: keyof typeof ids, read: () => Promise<T[]>, into: Map<string, T>) => {
      if (ids[kind].length === 0) return;
      try {
        for (const x of await read()) into.set(x.id, x);
      } catch (err) {
        r.failed[kind] = err as Error;
      }
    };
    await settle('images', () => ec2.findImages(region, ids.images), r.images);
    // A pending AMI has no progress of its own; its snapshots do, read with the others.
    for (const image of r.images.values()) {
      if (image.state === 'pending') for (const b of image.blockDevices) if (b.snapshotId) ids.snapshots.push(b.snapshotId);
    }
    await Promise.all([
      settle('snapshots', () => ec2.findSnapshots(region, ids.snapshots), r.snapshots),
      settle('volumes', () => ec2.findVolumes(region, ids.volumes), r.volumes),
    ]);
    return r;
  }

  /** The operation's reading this tick, turned into the update its message needs (kept until the budget allows). */
  private settle(f: Followed, readings: TickReadings): void {
    const { op } = f;
    const elapsedMs = this.now().getTime() - op.startedAt.getTime();
    const reading = readingOf(op, readings, elapsedMs < LISTING_DELAY_MS);
    let phase = reading.phase;
    let failure = reading.failure;
    const finished = phase === 'done' || phase === 'failed';
    if (!finished && this.now().getTime() >= op.startedAt.getTime() + this.o.timeoutMinutes * 60_000) {
      phase = 'timeout';
      failure = `EC2 still reports it as in progress after ${Math.round(elapsedMs / 60_000)} min. It may still finish: check with ${checkCommand(op)}.`;
    }
    const msg = this.o.render({
      title: op.title,
      requesterId: op.requesterId,
      phase,
      items: reading.items,
      elapsedMs,
      failure,
      hint: phase === 'done' ? doneHint(op) : undefined,
      region: op.where ?? op.region,
    });
    const final = phase === 'done' || phase === 'failed' || phase === 'timeout';
    // Elapsed time alone changes nothing worth a Slack call: compare without it.
    const content = JSON.stringify({ phase, items: reading.items, failure });
    if (content !== f.shown || final) f.pending = { msg, final };
    f.shown = content;
  }

  /** Sends what the budget allows, oldest waiting first; a final state always goes before a progress tick. */
  private async flush(members: Followed[]): Promise<void> {
    const waiting = members.filter((f) => f.pending).sort((a, b) => Number(b.pending!.final) - Number(a.pending!.final));
    for (const f of waiting) {
      if (!this.budget.take()) break;
      const { msg, final } = f.pending!;
      f.pending = undefined;
      await this.o.out.tryUpdate(f.op.message, msg);
      if (final) {
        this.followed.delete(f.op.id);
        // Remove only after the record landed, or a late put would resurrect a finished operation.
        if (await f.recorded) await this.o.operations?.remove(f.op.id).catch(() => undefined);
      }
    }
  }

  private sleep(group: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let t: NodeJS.Timeout;
      const wake = () => {
        clearTimeout(t);
        this.wakers.delete(wake);
        this.alarms.delete(group);
        resolve();
      };
      const alarm = {
        due: 0,
        reset: (after: number) => {
          clearTimeout(t);
          alarm.due = Date.now() + after;
          t = setTimeout(wake, after);
        },
      };
      alarm.reset(ms);
      this.wakers.add(wake);
      this.alarms.set(group, alarm);
    });
  }
}

/** Operations share a poll loop where they share an account and region. */
function groupOf(op: TrackedOperation): string {
  return `${op.account ?? 'own'}/${op.region}`;
}

/** EC2's reads are eventually consistent: what was made this long ago may not be listed yet. */
const LISTING_DELAY_MS = 60_000;

/** What the tick's readings say of one operation; `fresh`: too new for a missing resource to mean it is gone. */
function readingOf(op: TrackedOperation, r: TickReadings, fresh: boolean): Reading {
  const kind = op.kind === 'snapshot' || op.kind === 'copy-snapshot' ? 'snapshots' : op.kind === 'volume' ? 'volumes' : 'images';
  const failed = r.failed[kind];
  if (failed) {
    // Throttling and outages are passing: keep the last state and try again on the next tick.
    if (failed instanceof AwsActionError && (failed.kind === 'throttled' || failed.kind === 'unavailable')) {
      return { phase: 'running', items: op.resourceIds.map((id) => ({ id, label: op.labels[id], state: 'checking…' })) };
    }
    return { phase: 'failed', items: op.resourceIds.map((id) => ({ id, label: op.labels[id], state: 'unknown' })), failure: failed.message };
  }
  switch (op.kind) {
    case 'snapshot':
    case 'copy-snapshot':
      return readSnapshots(op.resourceIds.flatMap((id) => r.snapshots.get(id) ?? []), op, fresh);
    case 'image':
    case 'copy-image':
      return readImage(op, r);
    case 'volume': {
      const v = r.volumes.get(op.resourceIds[0]);
      if (!v && fresh) return { phase: 'running', items: [{ id: op.resourceIds[0], label: op.labels[op.resourceIds[0]], state: 'creating' }] };
      if (!v) return { phase: 'failed', items: [{ id: op.resourceIds[0], label: op.labels[op.resourceIds[0]], state: 'gone' }], failure: 'the volume no longer exists' };
      const item: ProgressItem = { id: v.id, label: op.labels[v.id], state: v.state, sizeGiB: v.sizeGiB };
      if (v.state === 'error') return { phase: 'failed', items: [item], failure: 'EC2 could not create the volume.' };
      return { phase: v.state === 'creating' ? 'running' : 'done', items: [item] };
    }
  }
}

function readImage(op: TrackedOperation, r: TickReadings): Reading {
  const id = op.resourceIds[0];
  const image = r.images.get(id);
  // EC2's reads are eventually consistent: an AMI made a moment ago may not be listed yet.
  if (!image) return { phase: 'running', items: [{ id, label: op.labels[id], state: 'pending', percent: 0 }] };
  const snaps = image.blockDevices.flatMap((b) => (b.snapshotId ? (r.snapshots.get(b.snapshotId) ?? []) : []));
  const percent = image.state === 'pending' && snaps.length ? Math.round(snaps.reduce((a, s) => a + s.progress, 0) / snaps.length) : undefined;
  const item: ProgressItem = { id: image.id, label: op.labels[image.id] ?? image.name, state: image.state, percent: percent ?? (image.state === 'pending' ? 0 : undefined) };
  if (image.state === 'available') return { phase: 'done', items: [{ ...item, percent: undefined }] };
  if (image.state === 'pending' || image.state === 'transient') return { phase: 'running', items: [item] };
  return { phase: 'failed', items: [item], failure: image.stateReason ?? `EC2 reports the AMI as ${image.state}.` };
}

function readSnapshots(snaps: Snapshot[], op: TrackedOperation, fresh: boolean): Reading {
  const items: ProgressItem[] = snaps.map((s) => ({
    id: s.id,
    label: op.labels[s.id],
    state: s.state,
    percent: s.progress,
    sizeGiB: s.volumeSizeGiB || undefined,
    error: s.state === 'error' ? (s.stateMessage ?? 'EC2 could not complete the snapshot') : undefined,
  }));
  const missing = op.resourceIds.filter((id) => !snaps.some((s) => s.id === id));
  for (const id of missing) {
    items.push(fresh ? { id, label: op.labels[id], state: 'pending', percent: 0 } : { id, label: op.labels[id], state: 'gone', error: 'the snapshot no longer exists' });
  }
  if (fresh && missing.length) return { phase: 'running', items };
  const failed = items.filter((i) => i.error);
  if (failed.length) return { phase: 'failed', items, failure: failed.map((f) => `${f.id}: ${f.error}`).join('; ') };
  if (snaps.every((s) => s.state === 'completed')) return { phase: 'done', items };
  return { phase: 'running', items };
}

function doneHint(op: TrackedOperation): string {
  const first = op.resourceIds[0];
  switch (op.kind) {
    case 'snapshot':
      return `Restore it with \`/restore ${first}\` · share it with \`/share ${first} <account-id>\``;
    case 'copy-snapshot':
      // snapbot's commands act in its home region; say where the copy is rather than offer a command that looks elsewhere.
      return `The copy \`${first}\` is in ${op.region}: restore or share it from there (the EC2 console in that region).`;
    case 'image':
      return `Launch it with \`/ami launch ${first}\` · copy it with \`/ami copy ${first} --to-region <region>\``;
    case 'copy-image':
      return `The copy \`${first}\` is in ${op.region}: launch it from there (the EC2 console in that region).`;
    case 'volume':
      return `Volume \`${first}\` is ready.`;
  }
}

function checkCommand(op: TrackedOperation): string {
  return op.kind === 'image' || op.kind === 'copy-image' ? '`/ami list`' : '`/snapshot list`';
}

/** The store keeps operations flat; labels and title ride along in `extra`. */
export function operationLog(repo: OperationRepository): OperationLog {
  return {
    put: (op) =>
      repo.put({
        id: op.id,
        kind: op.kind,
        resourceId: op.resourceIds.join(','),
        region: op.region,
        channel: op.message.channel,
        ts: op.message.ts,
        requesterId: op.requesterId,
        startedAt: op.startedAt.toISOString(),
        ...(op.account ? { account: op.account } : {}),
        extra: { title: op.title, labels: JSON.stringify(op.labels), ...(op.where ? { where: op.where } : {}) },
      }),
    remove: (id) => repo.remove(id),
    // Encryption runs and drills share the store but resume on their own (usecases/encrypt.ts, usecases/drill.ts).
    list: async () =>
      (await repo.list()).flatMap((o) => (o.kind === 'encrypt' || o.kind === 'drill' ? [] : [{ ...o, kind: o.kind }])).map((o) => ({
        id: o.id,
        kind: o.kind,
        region: o.region,
        ...(o.account ? { account: o.account } : {}),
        ...(o.extra?.where ? { where: o.extra.where } : {}),
        resourceIds: o.resourceId.split(',').filter(Boolean),
        labels: safeLabels(o.extra?.labels),
        message: { channel: o.channel, ts: o.ts },
        requesterId: o.requesterId,
        title: o.extra?.title ?? `Operation on ${o.resourceId}`,
        startedAt: new Date(o.startedAt),
      })),
  };
}

function safeLabels(raw: string | undefined): Record<string, string> {
  try {
    return raw ? (JSON.parse(raw) as Record<string, string>) : {};
  } catch {
    return {};
  }
}
