// EC2 throttles in bursts. A burst shorter than the SDK's retry budget (6 attempts) must be invisible to the user:
// the command and the digest finish as if nothing happened, and no retry creates anything twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/ec2/index.js';
import { textOf, type WorkspaceMessage } from '../../src/sandbox/slack/webapi.js';
import { CHANNEL, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';

const R = 'us-east-1';
let t: TestBot;
beforeAll(async () => {
  t = await startTestBot();
});
afterAll(async () => {
  await t?.stop();
});

const attempts = (action: string, pred: (p: Record<string, string>) => boolean = () => true) =>
  t.ec2.calls.filter((c) => c.action === action && pred(c.params)).length;

describe('EC2 RequestLimitExceeded bursts', () => {
  it('/snapshot vol-… completes through 3 throttled CreateSnapshot attempts and creates one snapshot', async () => {
    const vol = DEMO.volumes.webData;
    const ours = () => [...t.ec2.state.region(R).snapshots.values()].filter((s) => s.volumeId === vol && s.tags['snapbot:requested-by'] === REQUESTER);
    expect(ours()).toEqual([]);
    const before = attempts('CreateSnapshot', (p) => p.VolumeId === vol);

    t.ec2.injectErrors('RequestLimitExceeded', 3, 'CreateSnapshot');
    const res = await t.command('/snapshot', `${vol} under load`);
    expect(res.status).toBe(200);
    const done = await t.slack.waitFor((m) => m.channel === CHANNEL && textOf(m).includes(vol) && /completed/.test(textOf(m)), 45_000, 'the completed snapshot');

    // Three refusals, then the attempt that worked: the SDK retried, the bot did not give up or double up.
    expect(attempts('CreateSnapshot', (p) => p.VolumeId === vol) - before).toBe(4);
    expect(ours()).toHaveLength(1);
    expect(textOf(done)).toContain(ours()[0].id);
    expect(textOf(done)).not.toMatch(/failed|RequestLimitExceeded|throttl/i);
  });

  it('/snapshot digest posts the same digest through a burst of 5 throttled calls as without one', async () => {
    const channel = 'C0DIGESTTHROTTLE';
    const digestIn = async (): Promise<{ message: WorkspaceMessage; csv: string }> => {
      const seen = t.slack.messages.length;
      await t.command('/snapshot', 'digest', { channelId: channel });
      const message = await t.slack.waitFor((m) => m.channel === channel && t.slack.messages.indexOf(m) >= seen && /Cost-cleanup digest/.test(textOf(m)), 45_000, 'the digest');
      const csvMessage = await t.slack.waitFor((m) => m.threadTs === message.ts && (m.files?.length ?? 0) > 0, 20_000, "the digest's CSV");
      const csv = csvMessage.files![0].content;
      expect(csv.split("\n")[0]).toMatch(/^kind,account,region,id/);
      return { message, csv };
    };

    const calm = await digestIn();
    const throttledBefore = t.ec2.calls.length;
    t.ec2.injectErrors('RequestLimitExceeded', 5);
    const stormy = await digestIn();

    // The burst really happened (5 refused calls on top of the scan's own), and nothing of it shows.
    const scanCalls = t.ec2.calls.length - throttledBefore;
    expect(scanCalls).toBeGreaterThanOrEqual(5 + 6);
    expect(stormy.csv).toBe(calm.csv);
    expect(stormy.csv.split('\n').length).toBeGreaterThan(3);
    expect(textOf(stormy.message)).toBe(textOf(calm.message));
    expect(t.slack.messages.some((m) => m.channel === channel && /could not be built/.test(textOf(m)))).toBe(false);
  });
});
