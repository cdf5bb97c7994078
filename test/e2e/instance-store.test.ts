// Instance store-backed AMIs (bundled in S3 and registered by hand, as seed 004 does) are said to be what they are:
// in lists and cards with their bundle's S3 location, priced as EC2 can (not as EBS snapshots), and the commands
// that cannot apply to them answer why instead of failing in EC2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf, type WorkspaceMessage } from '../../src/sandbox/slack/webapi.js';
import { APPROVAL_CHANNEL, CHANNEL, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';

const R = 'us-east-1';
const BUNDLE = 'acme-ami-bundles/legacy-web/image.manifest.xml';
const AMI = 'ami-0bbbbbbbbbbbbbbb1';
let t: TestBot;
let instanceStoreInstance: string;
beforeAll(async () => {
  t = await startTestBot({ env: { BURST_LIMIT: '0', LAUNCH_INSTANCE_TYPES: '*' } });
  const old = new Date(Date.now() - 500 * 86_400_000);
  t.ec2.state.addImage(R, { id: AMI, name: 'legacy-web (instance store)', creationDate: old, lastLaunchedTime: old, rootDeviceName: '/dev/sda1', virtualizationType: 'paravirtual', instanceStoreManifest: BUNDLE });
  // An instance running from another bundle: the AMI above is launched by nothing, so the digest offers it.
  t.ec2.state.addImage(R, { id: 'ami-0bbbbbbbbbbbbbbb2', name: 'legacy-api (instance store)', creationDate: old, rootDeviceName: '/dev/sda1', instanceStoreManifest: 'acme-ami-bundles/legacy-api/image.manifest.xml' });
  instanceStoreInstance = t.ec2.state.addInstance(R, { imageId: 'ami-0bbbbbbbbbbbbbbb2', type: 'm3.medium', instanceStoreRoot: true, tags: { Name: 'legacy-api-1' } }).id;
});
afterAll(async () => {
  await t?.stop();
});

const since = (mark: number) => (m: WorkspaceMessage) => t.slack.messages.indexOf(m) >= mark;
const calls = (action: string) => t.ec2.calls.filter((c) => c.action === action).length;

describe('instance store-backed AMIs', () => {
  it('/ami list shows it as such, with its bundle in S3, not priced as snapshots', async () => {
    const mark = t.slack.messages.length;
    await t.command('/ami', 'list');
    const list = await t.slack.waitFor((m) => since(mark)(m) && m.ephemeralFor === REQUESTER && textOf(m).includes(AMI), 15_000, 'the list');
    expect(textOf(list)).toContain(`instance store-backed, bundle in S3 at ${BUNDLE}`);
  });

  it('the deregistration card says the S3 bundle stays, and where', async () => {
    const mark = t.slack.messages.length;
    await t.command('/ami', `deregister ${AMI} --reason gone`);
    const card = await t.slack.waitFor((m) => since(mark)(m) && m.channel === APPROVAL_CHANNEL && textOf(m).includes(AMI), 15_000, 'the card');
    expect(textOf(card)).toContain(`Its bundle stays in S3 at ${BUNDLE}`);
    expect(textOf(card)).toContain('instance store-backed');
  });

  it('the digest says what EC2 cannot price and what deregistering leaves', async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    const digest = await t.slack.waitFor((m) => since(mark)(m) && m.channel === CHANNEL && /Cost-cleanup digest/.test(textOf(m)), 30_000, 'the digest');
    expect(textOf(digest)).toContain(`its bundle is in S3 at ${BUNDLE}, billed by S3`);
    // Not a $0.00 that reads as free: said to be unpriced.
    expect(textOf(digest)).toContain('not priced: S3 bundle, size unknown to EC2');
  });

  it.each([
    [`copy ${AMI} --to-region eu-west-1 --encrypt`, 'CopyImage', /no EBS snapshots to encrypt/],
    [`launch ${AMI} --type t3.micro`, 'RunInstances', /t3\.micro has none/],
  ])('/ami %s answers why, and never calls %s', async (text, action, why) => {
    const before = calls(action);
    const mark = t.slack.messages.length;
    await t.command('/ami', text);
    const m = await t.slack.waitFor((x) => since(mark)(x) && /failed/.test(textOf(x)), 15_000, 'the answer');
    expect(textOf(m)).toMatch(why);
    expect(calls(action)).toBe(before);
  });

  it('/ami launch with a type that has instance storage launches it', async () => {
    const mark = t.slack.messages.length;
    await t.command('/ami', `launch ${AMI} --type m5d.large`);
    const m = await t.slack.waitFor((x) => since(mark)(x) && /— (done|failed)/.test(textOf(x)), 20_000, 'the launch');
    expect(textOf(m)).toContain('— done');
  });

  it('/ami create from an instance store-backed instance answers why, and never calls CreateImage', async () => {
    const before = calls('CreateImage');
    const mark = t.slack.messages.length;
    await t.command('/ami', `create ${instanceStoreInstance} legacy-copy --no-reboot`);
    const m = await t.slack.waitFor((x) => since(mark)(x) && /failed/.test(textOf(x)), 15_000, 'the answer');
    expect(textOf(m)).toMatch(/instance store-backed: its root disk lives on the host/);
    expect(calls('CreateImage')).toBe(before);
  });
});
