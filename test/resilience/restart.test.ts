// A replica dies while a snapshot is still pending. The message it was updating must not spin forever: the next
// replica picks the operation up from the store and takes the SAME message to completed, and nothing is created
// again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startSandboxEc2, type SandboxEc2 } from '../../src/sandbox/ec2/index.js';
import { FakeSlack, textOf } from '../../src/sandbox/slack/webapi.js';
import { CHANNEL, startTestBot } from '../support/bot.js';

const R = 'us-east-1';
let slack: FakeSlack;
let ec2: SandboxEc2;
beforeAll(async () => {
  slack = await new FakeSlack().start();
  ec2 = await startSandboxEc2({ seed: 'demo', snapshotSeconds: 4 });
});
afterAll(async () => {
  await ec2?.stop();
  await slack?.stop();
});

/** Polls (the fake Slack's own waitUntil only looks again when Slack changes, and here nothing posts). */
async function poll<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const hit = await probe();
    if (hit !== undefined) return hit;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('restart in the middle of a snapshot', () => {
  it('the next bot resumes progress on the same message, to completed, and CreateSnapshot ran once', async () => {
    const vol = DEMO.volumes.dbRoot;
    const about = (m: { channel: string; text: string; blocks?: unknown[] }) => m.channel === CHANNEL && textOf(m).includes(vol);
    const first = await startTestBot({ sharedEc2: ec2, sharedSlack: slack, jobs: true });
    const table = first.config.dynamodbTable;
    let firstRunning = true;
    let second: Awaited<ReturnType<typeof startTestBot>> | undefined;
    try {
      await first.command('/snapshot', vol);
      const msg = await slack.waitFor((m) => about(m) && /█|░/.test(textOf(m)) && /\d+%/.test(textOf(m)), 15_000, 'a progress bar');
      const snapId = textOf(msg).match(/snap-[0-9a-f]{17}/)![0];
      await first.stop();
      firstRunning = false;
      const stoppedAt = { text: textOf(msg), updates: msg.updates };
      expect(stoppedAt.text).not.toMatch(/completed/);

      // With no bot running, EC2 finishes the snapshot; nobody tells Slack.
      const snap = ec2.state.getSnapshot(R, snapId)!;
      await poll(() => (ec2.state.snapshotState(snap) === 'completed' ? true : undefined), 15_000, 'EC2 to complete the snapshot');
      await new Promise((r) => setTimeout(r, 500));
      expect(textOf(msg)).toBe(stoppedAt.text);

      second = await startTestBot({ sharedEc2: ec2, sharedSlack: slack, jobs: true, env: { DYNAMODB_TABLE: table } });
      await slack.waitFor((m) => m === msg && /completed/.test(textOf(m)), 30_000, 'the same message to reach completed');
      expect(msg.updates).toBeGreaterThan(stoppedAt.updates);
      expect(textOf(msg)).toContain(snapId);

      // One message, one snapshot, one CreateSnapshot; and the operation is no longer recorded as in flight.
      expect(slack.messages.filter(about)).toEqual([msg]);
      expect(ec2.calls.filter((c) => c.action === 'CreateSnapshot' && c.params.VolumeId === vol)).toHaveLength(1);
      expect([...ec2.state.region(R).snapshots.values()].filter((s) => s.volumeId === vol && s.tags['snapbot:channel'] === CHANNEL)).toHaveLength(1);
      const store = second.bot.deps.store;
      await poll(async () => ((await store.operations.list()).some((o) => o.resourceId.includes(snapId)) ? undefined : true), 10_000, 'the operation to leave the store');
    } finally {
      await second?.stop();
      if (firstRunning) await first.stop();
    }
  });
});

describe('restart in the middle of /snapshot encrypt', () => {
  it('the next bot resumes the recorded run on the same message: one snapshot, one encrypted volume', async () => {
    const vol = DEMO.volumes.oldReports;
    const about = (m: { channel: string; text: string; blocks?: unknown[] }) => m.channel === CHANNEL && textOf(m).includes(`Encrypting ${vol}`);
    const first = await startTestBot({ sharedEc2: ec2, sharedSlack: slack, jobs: true });
    const table = first.config.dynamodbTable;
    let firstRunning = true;
    let second: Awaited<ReturnType<typeof startTestBot>> | undefined;
    try {
      await first.command('/snapshot', `encrypt ${vol}`);
      const msg = await slack.waitFor((m) => about(m) && /█|░/.test(textOf(m)), 15_000, 'the snapshot step');
      await first.stop();
      firstRunning = false;
      expect(textOf(msg)).not.toMatch(/— done/);

      second = await startTestBot({ sharedEc2: ec2, sharedSlack: slack, jobs: true, env: { DYNAMODB_TABLE: table } });
      await slack.waitFor((m) => m === msg && /— done/.test(textOf(m)), 40_000, 'the same message to reach done');
      expect(slack.messages.filter(about)).toEqual([msg]);
      expect(ec2.calls.filter((c) => c.action === 'CreateSnapshot' && c.params.VolumeId === vol)).toHaveLength(1);
      const made = [...ec2.state.region(R).volumes.values()].filter((v) => v.encrypted && v.snapshotId && ec2.state.getSnapshot(R, v.snapshotId)?.volumeId === vol);
      expect(made).toHaveLength(1);
      const store = second.bot.deps.store;
      await poll(async () => ((await store.operations.list()).some((o) => o.kind === 'encrypt') ? undefined : true), 10_000, 'the run to leave the store');
    } finally {
      await second?.stop();
      if (firstRunning) await first.stop();
    }
  });
});
