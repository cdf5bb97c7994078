// Keeps one Slack message up to date while EC2 works, from the first poll to completed/available (or the failure).
// Operations are recorded in the store first, so a restarted bot resumes them instead of leaving a message spinning.
import { AwsActionError } from '../aws/errors.js';
import type { Ec2Gateway } from '../aws/ec2.js';
import type { Snapshot } from '../core/types.js';
import type { PostedMessage, SlackOut } from '../slack/out.js';
import type { OperationRepository } from '../store/index.js';
import { progressMessage, type ProgressItem, type ProgressPhase } from '../slack/views/progress.js';

export type OperationKind = 'snapshot' | 'image' | 'volume' | 'copy-snapshot' | 'copy-image';

export interface TrackedOperation {
  id: string;
  kind: OperationKind;
  region: string;
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
  ec2: Ec2Gateway;
  out: SlackOut;
  log: { warn(msg: string): void; info(msg: string): void };
  operations?: OperationLog;
  pollSeconds: number;
  timeoutMinutes: number;
  now?: () => Date;
}

export class ProgressTracker {
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;
  private readonly wakers = new Set<() => void>();

  constructor(private readonly o: ProgressTrackerOptions) {}

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
    return this.running.size;
  }

  /** Stop polling; unfinished operations stay recorded and resume on the next start. */
  stop(): void {
    this.stopped = true;
    for (const wake of this.wakers) wake();
  }

  private follow(op: TrackedOperation, recorded: Promise<boolean>): void {
    if (this.running.has(op.id)) return;
    const p = this.loop(op, recorded)
      .catch((err) => this.o.log.warn(`progress tracking of ${op.id} failed: ${(err as Error).message}`))
      .finally(() => this.running.delete(op.id));
    this.running.set(op.id, p);
  }

  private async loop(op: TrackedOperation, recorded: Promise<boolean>): Promise<void> {
    const deadline = op.startedAt.getTime() + this.o.timeoutMinutes * 60_000;
    let delay = this.o.pollSeconds * 1000;
    let lastText = '';
    while (!this.stopped) {
      const reading = await this.read(op);
      const elapsedMs = this.now().getTime() - op.startedAt.getTime();
      let phase = reading.phase;
      let failure = reading.failure;
      const finished = phase === 'done' || phase === 'failed';
      if (!finished && this.now().getTime() >= deadline) {
        phase = 'timeout';
        failure = `EC2 still reports it as in progress after ${Math.round(elapsedMs / 60_000)} min. It may still finish: check with ${checkCommand(op)}.`;
      }
      const msg = progressMessage({
        title: op.title,
        requesterId: op.requesterId,
        phase,
        items: reading.items,
        elapsedMs,
        failure,
        hint: phase === 'done' ? doneHint(op) : undefined,
        region: op.region,
      });
      if (msg.text + JSON.stringify(msg.blocks) !== lastText) {
        lastText = msg.text + JSON.stringify(msg.blocks);
        await this.o.out.tryUpdate(op.message, msg);
      }
      if (phase === 'done' || phase === 'failed' || phase === 'timeout') {
        // Remove only after the record landed, or a late put would resurrect a finished operation.
        if (await recorded) await this.o.operations?.remove(op.id).catch(() => undefined);
        return;
      }
      await this.sleep(delay);
      delay = Math.min(delay * 1.5, 20_000);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(t);
        this.wakers.delete(wake);
        resolve();
      };
      const t = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }

  private async read(op: TrackedOperation): Promise<Reading> {
    try {
      switch (op.kind) {
        case 'snapshot':
        case 'copy-snapshot':
          return readSnapshots(await this.o.ec2.getSnapshots(op.region, op.resourceIds), op);
        case 'image':
        case 'copy-image':
          return await this.readImage(op);
        case 'volume': {
          const v = await this.o.ec2.getVolume(op.region, op.resourceIds[0]);
          const item: ProgressItem = { id: v.id, label: op.labels[v.id], state: v.state, sizeGiB: v.sizeGiB };
          if (v.state === 'error') return { phase: 'failed', items: [item], failure: 'EC2 could not create the volume.' };
          return { phase: v.state === 'creating' ? 'running' : 'done', items: [item] };
        }
      }
    } catch (err) {
      const e = err instanceof AwsActionError ? err : undefined;
      // Throttling and outages are passing: keep the last state and try again on the next tick.
      if (e && (e.kind === 'throttled' || e.kind === 'unavailable')) {
        return { phase: 'running', items: op.resourceIds.map((id) => ({ id, label: op.labels[id], state: 'checking…' })) };
      }
      return {
        phase: 'failed',
        items: op.resourceIds.map((id) => ({ id, label: op.labels[id], state: 'unknown' })),
        failure: (err as Error).message,
      };
    }
  }

  private async readImage(op: TrackedOperation): Promise<Reading> {
    const image = await this.o.ec2.getImage(op.region, op.resourceIds[0]);
    const snapshotIds = image.blockDevices.flatMap((b) => (b.snapshotId ? [b.snapshotId] : []));
    let percent: number | undefined;
    if (image.state === 'pending' && snapshotIds.length) {
      // An AMI has no progress of its own; its snapshots do.
      const snaps = await this.o.ec2.getSnapshots(op.region, snapshotIds).catch(() => [] as Snapshot[]);
      if (snaps.length) percent = Math.round(snaps.reduce((a, s) => a + s.progress, 0) / snaps.length);
    }
    const item: ProgressItem = { id: image.id, label: op.labels[image.id] ?? image.name, state: image.state, percent: percent ?? (image.state === 'pending' ? 0 : undefined) };
    if (image.state === 'available') return { phase: 'done', items: [{ ...item, percent: undefined }] };
    if (image.state === 'pending' || image.state === 'transient') return { phase: 'running', items: [item] };
    return { phase: 'failed', items: [item], failure: image.stateReason ?? `EC2 reports the AMI as ${image.state}.` };
  }
}

function readSnapshots(snaps: Snapshot[], op: TrackedOperation): Reading {
  const items: ProgressItem[] = snaps.map((s) => ({
    id: s.id,
    label: op.labels[s.id],
    state: s.state,
    percent: s.progress,
    sizeGiB: s.volumeSizeGiB || undefined,
    error: s.state === 'error' ? (s.stateMessage ?? 'EC2 could not complete the snapshot') : undefined,
  }));
  const missing = op.resourceIds.filter((id) => !snaps.some((s) => s.id === id));
  for (const id of missing) items.push({ id, label: op.labels[id], state: 'gone', error: 'the snapshot no longer exists' });
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
        extra: { title: op.title, labels: JSON.stringify(op.labels) },
      }),
    remove: (id) => repo.remove(id),
    list: async () =>
      (await repo.list()).map((o) => ({
        id: o.id,
        kind: o.kind,
        region: o.region,
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
