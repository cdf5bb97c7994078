// Retries that never duplicate. EC2 can fail *after* acting (a 5xx or a timeout once the snapshot exists): a
// blind retry then makes a second one. Calls EC2 makes idempotent carry a ClientToken from the recorded request;
// the others are retried only after looking for what the first attempt made (by its snapbot:request tag).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/ec2/index.js';
import { textOf } from '../../src/sandbox/slack/webapi.js';
import { CHANNEL, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';

const R = 'us-east-1';
let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ env: { BURST_LIMIT: '0' } });
});
afterAll(async () => {
  await t?.stop();
});

const attempts = (action: string) => t.ec2.calls.filter((c) => c.action === action).length;
const after = (mark: number) => (m: Parameters<Parameters<TestBot['slack']['waitFor']>[0]>[0]) => t.slack.messages.indexOf(m) >= mark;

describe('EC2 fails after acting', () => {
  it('CreateSnapshot that made the snapshot and answered 500: one snapshot, reported completed, not sent again', async () => {
    const vol = DEMO.volumes.web2Root;
    const ours = () => [...t.ec2.state.region(R).snapshots.values()].filter((s) => s.volumeId === vol && s.tags['snapbot:requested-by'] === REQUESTER);
    const before = attempts('CreateSnapshot');
    t.ec2.injectErrors('InternalError', 1, 'CreateSnapshot', { afterActing: true });
    const mark = t.slack.messages.length;
    await t.command('/snapshot', `${vol} before the upgrade`);
    const done = await t.slack.waitFor((m) => after(mark)(m) && m.channel === CHANNEL && /completed|failed/.test(textOf(m)), 30_000, 'the outcome');
    expect(textOf(done)).toMatch(/completed/);
    expect(ours()).toHaveLength(1);
    expect(textOf(done)).toContain(ours()[0].id);
    // It looked (DescribeSnapshots by the request's tag) instead of sending CreateSnapshot again.
    expect(attempts('CreateSnapshot') - before).toBe(1);
    expect(t.ec2.calls.some((c) => c.action === 'DescribeSnapshots' && Object.values(c.params).includes(`tag:snapbot:request`))).toBe(true);
  });

  it('CreateSnapshot that failed before acting is tried again once nothing is found: still one snapshot', async () => {
    const vol = DEMO.volumes.buildRoot;
    const ours = () => [...t.ec2.state.region(R).snapshots.values()].filter((s) => s.volumeId === vol && s.tags['snapbot:requested-by'] === REQUESTER);
    const before = attempts('CreateSnapshot');
    t.ec2.injectErrors('InternalError', 1, 'CreateSnapshot');
    const mark = t.slack.messages.length;
    await t.command('/snapshot', vol);
    const done = await t.slack.waitFor((m) => after(mark)(m) && m.channel === CHANNEL && /completed|failed/.test(textOf(m)), 30_000, 'the outcome');
    expect(textOf(done)).toMatch(/completed/);
    expect(attempts('CreateSnapshot') - before).toBe(2);
    expect(ours()).toHaveLength(1);
  });

  it('CreateImage that made the AMI and answered 500: one AMI, reported available, not a failure', async () => {
    const images = () => [...t.ec2.state.region(R).images.values()].filter((i) => i.name === 'web-2 before patch');
    const before = attempts('CreateImage');
    t.ec2.injectErrors('InternalError', 1, 'CreateImage', { afterActing: true });
    const mark = t.slack.messages.length;
    await t.command('/ami', `create ${DEMO.instances.web2} web-2 before patch --no-reboot`);
    const done = await t.slack.waitFor((m) => after(mark)(m) && m.channel === CHANNEL && /available|failed/.test(textOf(m)), 30_000, 'the outcome');
    expect(textOf(done)).toMatch(/available/);
    expect(images()).toHaveLength(1);
    expect(attempts('CreateImage') - before).toBe(1);
  });

  it('CreateVolume answered 500 after acting: the SDK retries with the same ClientToken and EC2 answers the first volume', async () => {
    const snapshot = DEMO.snapshots.webRootDaily;
    const volumes = () => [...t.ec2.state.region(R).volumes.values()].filter((v) => v.snapshotId === snapshot && v.tags['snapbot:requested-by'] === REQUESTER);
    const before = attempts('CreateVolume');
    t.ec2.injectErrors('InternalError', 1, 'CreateVolume', { afterActing: true });
    const mark = t.slack.messages.length;
    await t.command('/restore', `${snapshot} --az us-east-1a`);
    const done = await t.slack.waitFor((m) => after(mark)(m) && m.channel === CHANNEL && /available|failed/.test(textOf(m)), 30_000, 'the outcome');
    expect(textOf(done)).toMatch(/available/);
    expect(volumes()).toHaveLength(1);
    const tokens = t.ec2.calls.filter((c) => c.action === 'CreateVolume').slice(before).map((c) => c.params.ClientToken);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).toBeTruthy();
    expect(tokens[1]).toBe(tokens[0]);
  });
});
