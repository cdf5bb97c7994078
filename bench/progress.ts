// Progress tracking at load: 200 snapshots followed at once in one region (as when many people snapshot before a
// change window). Each tick should read them all with one DescribeSnapshots (an ID filter), not one call each.
import { Ec2Gateway } from '../src/aws/ec2/index.js';
import { ProgressTracker } from '../src/usecases/progress-tracker.js';
import { startSandboxEc2 } from '../src/sandbox/ec2/index.js';
import { VIEWS } from '../src/slack/views/index.js';
import type { Outbox } from '../src/usecases/ports.js';
import { emit, FAKE_CREDENTIALS, note, round, sleep } from './common.js';

const REGION = 'us-east-1';
const OPERATIONS = 200;

export async function runProgressBench(): Promise<void> {
  note(`progress: following ${OPERATIONS} pending snapshots in ${REGION}`);
  // Snapshots that stay pending for the whole run, so every tick reads all of them.
  const ec2 = await startSandboxEc2({ seed: 'none', snapshotSeconds: 3_600 });
  const gateway = new Ec2Gateway({ endpoint: ec2.url, credentials: FAKE_CREDENTIALS });
  let updates = 0;
  const out = { tryUpdate: async () => void updates++ } as unknown as Outbox;
  const tracker = new ProgressTracker({ ec2For: () => gateway, out, render: VIEWS.progressMessage, log: { warn: () => undefined, info: () => undefined }, pollSeconds: 0.2, timeoutMinutes: 60 });
  try {
    const now = new Date();
    for (let i = 0; i < OPERATIONS; i++) {
      const volumeId = `vol-${(0x1000 + i).toString(16).padStart(17, '0')}`;
      ec2.state.addVolume(REGION, { id: volumeId, availabilityZone: `${REGION}a`, sizeGiB: 8, type: 'gp3' });
      const s = ec2.state.addSnapshot(REGION, { volumeId, volumeSizeGiB: 8, startTime: now });
      await tracker.track({
        id: `op-${i}`,
        kind: 'snapshot',
        region: REGION,
        resourceIds: [s.id],
        labels: {},
        message: { channel: 'C0BENCH', ts: `${i}.0` },
        requesterId: 'U0BENCH',
        title: `Snapshot ${i}`,
        startedAt: now,
      });
    }
    // From the first operation on: the burst of 200 arriving shares its ticks too.
    await sleep(6_000);
    const ticks = tracker.ticks;
    const calls = ec2.calls.filter((c) => c.action === 'DescribeSnapshots').length;
    emit({
      name: 'progress.ec2_calls_per_tick',
      value: round(calls / Math.max(1, ticks), 2),
      unit: 'calls',
      // One DescribeSnapshots per operation per tick: what following each operation on its own costs.
      baseline: OPERATIONS,
      operations: OPERATIONS,
      ticks,
      // Slack's chat.update budget (45 a minute, shared by all messages): the first readings of 200 messages wait
      // their turn; progress that did not change sends nothing.
      chat_updates: updates,
      chat_update_budget_per_minute: 45,
    });
  } finally {
    tracker.stop();
    gateway.destroy();
    await ec2.stop();
  }
}
