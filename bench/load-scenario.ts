// A bounded loopback load on a running bot: approval-gated commands (/snapshot delete, /share with an account
// outside SHARE_ALLOWED_ACCOUNTS) mixed with plain /snapshot list, and, as soon as each approval request appears,
// Approve clicks from two approvers racing each other, all through one pool of concurrent signed requests.
// Used by `npm run bench` (figures) and by test/resilience (assertions).
import type { SandboxEc2 } from '../src/sandbox/ec2/index.js';
import type { SlackSender } from '../src/sandbox/slack/requests.js';
import { buttonsOf, textOf, type FakeSlack, type WorkspaceMessage } from '../src/sandbox/slack/webapi.js';
import type { StoreMetrics } from '../src/store/index.js';

export interface LoadScenario {
  sender: SlackSender;
  slack: FakeSlack;
  ec2: SandboxEc2;
  requester: string;
  approvers: [string, string];
  channel: string;
  approvalChannel: string;
  /** Completed snapshots nobody uses: one `/snapshot delete` each. */
  deleteSnapshotIds: string[];
  /** Completed snapshots: one `/share <id> <shareAccount>` each (an approval request). */
  shareSnapshotIds: string[];
  shareAccount: string;
  /** Plain `/snapshot list` commands mixed in. */
  listCommands: number;
  /** Approve clicks per approver per request (2 = each approver double-clicks). */
  clicksPerApprover: number;
  concurrency: number;
  /** Upper bound for the whole scenario. */
  deadlineMs: number;
  storeMetrics?: () => StoreMetrics | Promise<StoreMetrics>;
}

export interface LoadOutcome {
  httpRequests: number;
  /** Time to each HTTP answer (the ack), ms. */
  latenciesMs: number[];
  /** HTTP status → count; anything but 200 is an error. */
  statuses: Record<string, number>;
  commands: number;
  clicks: number;
  /** From the first request sent to the last response. */
  httpWallMs: number;
  /** From the first request sent until every approved action showed its outcome. */
  endToEndMs: number;
  approvalRequests: number;
  /** Requests whose message shows "done". */
  actionsDone: number;
  /** Approved requests whose AWS action never ran. */
  lost: string[];
  /** Resources whose AWS action ran more than once. */
  duplicated: string[];
  /** Mutating EC2 calls (DeleteSnapshot, ModifySnapshotAttribute) made for the scenario's snapshots. */
  mutatingCalls: number;
  listReplies: number;
  store?: StoreMetrics;
}

type Button = ReturnType<typeof buttonsOf>[number];
type Task = { kind: 'command'; command: string; text: string } | { kind: 'click'; message: WorkspaceMessage; approve: Button; userId: string };

/** `count` completed snapshots of one volume that nothing uses: things an approver may delete or share. */
export function addPlainSnapshots(ec2: SandboxEc2, count: number, label: string, region = 'us-east-1'): string[] {
  const volume = ec2.state.addVolume(region, { sizeGiB: 8, availabilityZone: `${region}a`, tags: { Name: `${label}-volume` } });
  return Array.from({ length: count }, (_, i) =>
    ec2.state.addSnapshot(region, { volumeId: volume.id, volumeSizeGiB: 8, description: `${label} ${i}`, startTime: new Date(Date.now() - 86_400_000) }).id,
  );
}

const MUTATING = new Set(['DeleteSnapshot', 'ModifySnapshotAttribute']);

export async function runLoadScenario(s: LoadScenario): Promise<LoadOutcome> {
  const started = performance.now();
  const deadline = Date.now() + s.deadlineMs;
  const storeBefore = await s.storeMetrics?.();
  const callsBefore = s.ec2.calls.length;
  const listBefore = s.slack.messages.filter(isListReply(s)).length;

  // Commands interleaved: delete, share, list, delete, share, list, …
  const commands: Task[] = [];
  const most = Math.max(s.deleteSnapshotIds.length, s.shareSnapshotIds.length, s.listCommands);
  for (let i = 0; i < most; i++) {
    if (i < s.deleteSnapshotIds.length) commands.push({ kind: 'command', command: '/snapshot', text: `delete ${s.deleteSnapshotIds[i]} --reason "load test"` });
    if (i < s.shareSnapshotIds.length) commands.push({ kind: 'command', command: '/share', text: `${s.shareSnapshotIds[i]} ${s.shareAccount} --reason "load test"` });
    if (i < s.listCommands) commands.push({ kind: 'command', command: '/snapshot', text: 'list' });
  }
  const expectedRequests = s.deleteSnapshotIds.length + s.shareSnapshotIds.length;
  const ours = new Set([...s.deleteSnapshotIds, ...s.shareSnapshotIds]);

  const queue: Task[] = [...commands];
  const requestMessages: WorkspaceMessage[] = [];
  let cursor = s.slack.messages.length;
  const waiting = new Set<() => void>();
  // Each approval request, as it appears, gets both approvers' clicks, alternating, so they race.
  const onChange = () => {
    for (; cursor < s.slack.messages.length; cursor++) {
      const m = s.slack.messages[cursor];
      // The button as first shown: later clicks come from views that have not refreshed yet.
      const approve = m.channel === s.approvalChannel ? buttonsOf(m).find((b) => b.text === 'Approve') : undefined;
      const id = textOf(m).match(/snap-[0-9a-f]{17}/)?.[0];
      if (!approve || !id || !ours.has(id)) continue;
      requestMessages.push(m);
      for (let k = 0; k < s.clicksPerApprover; k++) for (const userId of s.approvers) queue.push({ kind: 'click', message: m, approve, userId });
    }
    for (const w of [...waiting]) w();
  };
  s.slack.on('change', onChange);

  const statuses: Record<string, number> = {};
  let httpRequests = 0;
  let clicks = 0;
  let lastResponse = performance.now();
  const latenciesMs: number[] = [];
  const run = async (t: Task) => {
    let status: number;
    const t0 = performance.now();
    try {
      if (t.kind === 'command') {
        status = (await s.sender.command({ command: t.command, text: t.text, userId: s.requester, channelId: s.channel })).status;
      } else {
        clicks++;
        const approve = t.approve;
        status = (
          await s.sender.click({
            userId: t.userId,
            channelId: t.message.channel,
            messageTs: t.message.ts,
            actionId: approve.actionId,
            value: approve.value,
            blockId: approve.blockId,
            text: approve.text,
          })
        ).status;
      }
    } catch {
      status = -1;
    }
    httpRequests++;
    latenciesMs.push(performance.now() - t0);
    statuses[status] = (statuses[status] ?? 0) + 1;
    lastResponse = performance.now();
  };

  const allQueued = () => requestMessages.length >= expectedRequests;
  const worker = async () => {
    for (;;) {
      const t = queue.shift();
      if (t) {
        await run(t);
        continue;
      }
      if (allQueued() || Date.now() > deadline) return;
      await new Promise<void>((r) => {
        const done = () => {
          clearTimeout(timer);
          waiting.delete(done);
          r();
        };
        const timer = setTimeout(done, 200);
        waiting.add(done);
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: s.concurrency }, worker));
  } finally {
    s.slack.off('change', onChange);
  }
  const httpWallMs = lastResponse - started;

  // Every request ends with its outcome on its message; wait (bounded) for the last one.
  const finished = (m: WorkspaceMessage) => buttonsOf(m).length === 0 && /Approved and done|AWS refused/.test(textOf(m));
  while (Date.now() < deadline && !(requestMessages.length >= expectedRequests && requestMessages.every(finished))) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const endToEndMs = performance.now() - started;
  // Late clicks or retries must not run anything again: give stragglers a moment before counting.
  await new Promise((r) => setTimeout(r, 500));

  const perResource = new Map<string, number>();
  let mutatingCalls = 0;
  for (const c of s.ec2.calls.slice(callsBefore)) {
    if (!MUTATING.has(c.action) || !ours.has(c.params.SnapshotId)) continue;
    mutatingCalls++;
    perResource.set(c.params.SnapshotId, (perResource.get(c.params.SnapshotId) ?? 0) + 1);
  }
  const storeAfter = await s.storeMetrics?.();
  return {
    httpRequests,
    latenciesMs,
    statuses,
    commands: commands.length,
    clicks,
    httpWallMs,
    endToEndMs,
    approvalRequests: requestMessages.length,
    actionsDone: requestMessages.filter((m) => /Approved and done/.test(textOf(m))).length,
    lost: [...ours].filter((id) => !perResource.has(id)),
    duplicated: [...perResource].filter(([, n]) => n > 1).map(([id]) => id),
    mutatingCalls,
    listReplies: s.slack.messages.filter(isListReply(s)).length - listBefore,
    store:
      storeBefore && storeAfter
        ? {
            reads: storeAfter.reads - storeBefore.reads,
            writes: storeAfter.writes - storeBefore.writes,
            conditionalWrites: storeAfter.conditionalWrites - storeBefore.conditionalWrites,
          }
        : undefined,
  };
}

function isListReply(s: Pick<LoadScenario, 'requester'>) {
  return (m: WorkspaceMessage) => m.ephemeralFor === s.requester && /snapshots? in this account/.test(textOf(m));
}
