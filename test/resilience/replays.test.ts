// A signed request runs once, whatever happens to the process that got it first: replayed to a restarted bot (or
// another replica on the same table) it is acknowledged and does nothing; one dated more than five minutes away from
// now, either way, is refused before anything reads it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshTimestamp } from '../../src/app.js';
import { DEMO, startSandboxEc2, type SandboxEc2 } from '../../src/sandbox/ec2/index.js';
import { FakeSlack, textOf } from '../../src/sandbox/slack/webapi.js';
import { CHANNEL, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';

let ec2: SandboxEc2;
let slack: FakeSlack;
const volume = DEMO.volumes.webRoot;
const snapshotsMade = () => ec2.calls.filter((c) => c.action === 'CreateSnapshot' && c.params.VolumeId === volume).length;

beforeAll(async () => {
  ec2 = await startSandboxEc2({ seed: 'demo', snapshotSeconds: 0.6 });
  slack = await new FakeSlack().start();
});
afterAll(async () => {
  await ec2?.stop();
  await slack?.stop();
});

describe('replayed slash commands', () => {
  it('a command replayed to a restarted bot (same table) makes no second snapshot', async () => {
    const first: TestBot = await startTestBot({ sharedEc2: ec2, sharedSlack: slack });
    const table = first.config.dynamodbTable;
    const body = first.sender.commandBody({ command: '/snapshot', text: `${volume} before the replay test`, userId: REQUESTER, channelId: CHANNEL });
    const ts = Math.floor(Date.now() / 1000);
    expect((await first.sender.post(body, { timestamp: ts })).status).toBe(200);
    await slack.waitFor((m) => m.channel === CHANNEL && textOf(m).includes(volume) && /completed|done/i.test(textOf(m)), 20_000, 'the snapshot completed');
    expect(snapshotsMade()).toBe(1);
    await first.stop();

    const second = await startTestBot({ sharedEc2: ec2, sharedSlack: slack, env: { DYNAMODB_TABLE: table } });
    try {
      // 31 seconds later in the test that found it; any time within the five minutes is the same replay.
      expect((await second.sender.post(body, { timestamp: ts })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1_500));
      expect(snapshotsMade()).toBe(1);
      // A new command (a new trigger_id) still runs.
      expect((await second.command('/snapshot', `${volume} a new one`)).status).toBe(200);
      await slack.waitFor(() => snapshotsMade() === 2, 15_000, 'the new command ran');
    } finally {
      await second.stop();
    }
  });

  it('refuses with 401 a command dated 10 minutes ahead, and one 10 minutes old, and runs neither', async () => {
    const t = await startTestBot({ sharedEc2: ec2, sharedSlack: slack });
    try {
      const before = snapshotsMade();
      const now = Math.floor(Date.now() / 1000);
      const ahead = await t.sender.post(t.sender.commandBody({ command: '/snapshot', text: volume, userId: REQUESTER, channelId: CHANNEL }), { timestamp: now + 600 });
      const old = await t.sender.post(t.sender.commandBody({ command: '/snapshot', text: volume, userId: REQUESTER, channelId: CHANNEL }), { timestamp: now - 600 });
      expect([ahead.status, old.status]).toEqual([401, 401]);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(snapshotsMade()).toBe(before);
    } finally {
      await t.stop();
    }
  });
});

describe('freshTimestamp', () => {
  const now = 1_800_000_000_000;
  it.each([
    [String(now / 1000), true],
    [String(now / 1000 + 299), true],
    [String(now / 1000 - 300), true],
    [String(now / 1000 + 301), false],
    [String(now / 1000 - 301), false],
    ['', false],
    ['soon', false],
    [undefined, false],
  ])('%s → %s', (header, ok) => {
    expect(freshTimestamp(header, now)).toBe(ok);
  });
});
