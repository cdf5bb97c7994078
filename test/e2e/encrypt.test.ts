// /snapshot encrypt end to end: the encrypted copy of a volume (snapshot → volume created encrypted from it), and
// --replace on a stopped instance (asked first; old volume detached and kept, new one at its device), with the
// answers for what cannot be encrypted and the roll-back when a step fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/ec2/index.js';
import { buttonsOf, textOf, type WorkspaceMessage } from '../../src/sandbox/slack/webapi.js';
import { CHANNEL, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';

const R = 'us-east-1';
let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ env: { BURST_LIMIT: '0' } });
});
afterAll(async () => {
  await t?.stop();
});

const since = (mark: number) => (m: WorkspaceMessage) => t.slack.messages.indexOf(m) >= mark;
const calls = (action: string) => t.ec2.calls.filter((c) => c.action === action).length;

/** Clicks a button of the question; pass `buttons` saved earlier to click one it no longer shows (a stale view). */
async function answer(question: WorkspaceMessage, label: string, buttons = buttonsOf(question)) {
  const b = buttons.find((x) => x.text === label)!;
  return t.sender.click({ userId: REQUESTER, channelId: question.channel, messageTs: question.ts, actionId: b.actionId, value: b.value, blockId: b.blockId, text: b.text });
}

describe('/snapshot encrypt vol-…', () => {
  it('makes an encrypted volume from a snapshot of it, in its zone, with its type, size, IOPS, throughput and tags', async () => {
    const old = t.ec2.state.getVolume(R, DEMO.volumes.webData)!;
    old.tags.Team = 'web';
    const mark = t.slack.messages.length;
    const res = await t.command('/snapshot', `encrypt ${old.id}`);
    expect(res.status).toBe(200);
    const done = await t.slack.waitFor((m) => since(mark)(m) && m.channel === CHANNEL && /Encrypting .* — (done|failed)/.test(textOf(m)), 30_000, 'the encryption');
    const text = textOf(done);
    expect(text).toContain('— done');
    const newId = text.match(/→ `(vol-[0-9a-f]{17})`/)![1];
    const fresh = t.ec2.state.getVolume(R, newId)!;
    expect(fresh.encrypted).toBe(true);
    expect(fresh.kmsKeyId).toBe(t.ec2.state.defaultKmsKeyArn(R));
    expect(fresh.availabilityZone).toBe(old.availabilityZone);
    expect({ type: fresh.type, size: fresh.sizeGiB, iops: fresh.iops, throughput: fresh.throughput }).toEqual({ type: old.type, size: old.sizeGiB, iops: old.iops, throughput: old.throughput });
    // Derived from that volume's data: made from a snapshot of it.
    expect(t.ec2.state.getSnapshot(R, fresh.snapshotId!)?.volumeId).toBe(old.id);
    expect(fresh.tags).toMatchObject({ Team: 'web', 'snapbot:requested-by': REQUESTER });
    // The old one is untouched, still on its (running) instance; the message says what that means and what next.
    expect(old.attachment?.instanceId).toBe(DEMO.instances.web1);
    expect(text).toContain('crash-consistent');
    expect(text).toContain('no encrypted copy of the snapshot is needed');
    expect(text).toContain('--replace');
  });

  it('with --kms-key, the new volume is encrypted with that key', async () => {
    const key = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const mark = t.slack.messages.length;
    await t.command('/snapshot', `encrypt ${DEMO.volumes.scratch} --kms-key ${key}`);
    const done = await t.slack.waitFor((m) => since(mark)(m) && /Encrypting .* — (done|failed)/.test(textOf(m)), 30_000, 'the encryption');
    const newId = textOf(done).match(/→ `(vol-[0-9a-f]{17})`/)![1];
    expect(t.ec2.state.getVolume(R, newId)!.kmsKeyId).toBe(key);
  });

  it('an encrypted volume, a Multi-Attach volume and --replace on a running instance get clear answers, and nothing is made', async () => {
    t.ec2.state.addVolume(R, { id: 'vol-0ma1ma1ma1ma1ma10'.replace(/m/g, 'a'), availabilityZone: 'us-east-1a', sizeGiB: 100, type: 'io2', iops: 3000, multiAttachEnabled: true });
    const cases: [string, RegExp][] = [
      [`encrypt ${DEMO.volumes.dbRoot}`, /already encrypted/],
      ['encrypt vol-0aa1aa1aa1aa1aa10', /Multi-Attach/],
      [`encrypt ${DEMO.volumes.webRoot} --replace`, /is running: stop it first/],
    ];
    for (const [text, answer] of cases) {
      const before = calls('CreateSnapshot');
      const mark = t.slack.messages.length;
      await t.command('/snapshot', text);
      const m = await t.slack.waitFor((x) => since(mark)(x) && x.ephemeralFor === REQUESTER, 15_000, `the answer to ${text}`);
      expect(textOf(m)).toMatch(answer);
      expect(calls('CreateSnapshot')).toBe(before);
    }
  });
});

describe('/snapshot encrypt vol-… --replace on a stopped instance', () => {
  it('asks first; then swaps the encrypted volume in at the same device, with the same delete-on-termination, and keeps the old one', async () => {
    const oldId = DEMO.volumes.buildRoot;
    const instance = DEMO.instances.build;
    const before = t.ec2.state.getVolume(R, oldId)!.attachment!;
    expect(t.ec2.state.instanceState(t.ec2.state.getInstance(R, instance)!)).toBe('stopped');
    const mark = t.slack.messages.length;
    const snapshotsBefore = calls('CreateSnapshot');
    await t.command('/snapshot', `encrypt ${oldId} --replace`);
    const question = await t.slack.waitFor((m) => since(mark)(m) && m.ephemeralFor === REQUESTER && /Swap the disk/.test(textOf(m)), 15_000, 'the question');
    expect(calls('CreateSnapshot')).toBe(snapshotsBefore);
    const asked = buttonsOf(question);
    await answer(question, 'Encrypt and swap it in');
    const done = await t.slack.waitFor((m) => since(mark)(m) && m.channel === CHANNEL && /Encrypting .* — (done|failed)/.test(textOf(m)), 30_000, 'the swap');
    expect(textOf(done)).toContain('— done');
    const newId = textOf(done).match(/→ `(vol-[0-9a-f]{17})`/)![1];
    const fresh = t.ec2.state.getVolume(R, newId)!;
    expect(fresh.encrypted).toBe(true);
    expect(fresh.attachment).toMatchObject({ instanceId: instance, device: before.device, deleteOnTermination: before.deleteOnTermination });
    const old = t.ec2.state.getVolume(R, oldId)!;
    expect(old).toBeDefined();
    expect(old.attachment).toBeUndefined();
    expect(textOf(done)).toContain(`The old \`${oldId}\` is kept, detached`);
    // The question was replaced by the answer; a second click on it (a stale view) starts nothing more.
    expect(buttonsOf(question)).toEqual([]);
    await answer(question, 'Encrypt and swap it in', asked);
    await new Promise((r) => setTimeout(r, 500));
    expect(calls('CreateSnapshot')).toBe(snapshotsBefore + 1);
  });

  it('when attaching the new volume fails, the old one goes back where it was and the message says what was left', async () => {
    const i = t.ec2.state.addInstance(R, { availabilityZone: 'us-east-1b', type: 't3.small', state: 'stopped', rootDeviceName: '/dev/xvda', tags: { Name: 'batch-old' } });
    const v = t.ec2.state.addVolume(R, { availabilityZone: 'us-east-1b', sizeGiB: 16, type: 'gp3', tags: { Name: 'batch-old-root' } });
    t.ec2.state.attachVolume(R, v.id, i.id, '/dev/xvda', true);
    t.ec2.injectErrors('InvalidParameterValue', 1, 'AttachVolume');
    const mark = t.slack.messages.length;
    await t.command('/snapshot', `encrypt ${v.id} --replace`);
    const question = await t.slack.waitFor((m) => since(mark)(m) && m.ephemeralFor === REQUESTER && /Swap the disk/.test(textOf(m)), 15_000, 'the question');
    await answer(question, 'Encrypt and swap it in');
    const failed = await t.slack.waitFor((m) => since(mark)(m) && m.channel === CHANNEL && /Encrypting .* — (done|failed)/.test(textOf(m)), 30_000, 'the outcome');
    expect(textOf(failed)).toContain('— failed');
    expect(textOf(failed)).toContain(`${v.id} is back on ${i.id} at /dev/xvda`);
    expect(textOf(failed)).toMatch(/the encrypted volume vol-[0-9a-f]{17} \(detached/);
    expect(t.ec2.state.getVolume(R, v.id)!.attachment).toMatchObject({ instanceId: i.id, device: '/dev/xvda', deleteOnTermination: true });
  });
});

describe('the form', () => {
  it("the digest's unencrypted snapshot of a live volume offers Encrypt this volume, which opens the form with it; the form encrypts", async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    const digest = await t.slack.waitFor((m) => since(mark)(m) && m.channel === CHANNEL && /Cost-cleanup digest/.test(textOf(m)), 30_000, 'the digest');
    const b = buttonsOf(digest).find((x) => x.text === 'Encrypt this volume')!;
    const volumeId = (JSON.parse(b.value!) as { id: string }).id;
    expect(t.ec2.state.getVolume(R, volumeId)?.encrypted).toBe(false);
    const opened = t.slack.callsOf('views.open').length;
    await t.sender.click({ userId: REQUESTER, channelId: digest.channel, messageTs: digest.ts, actionId: b.actionId, value: b.value, blockId: b.blockId, text: b.text });
    await t.slack.waitUntil(() => t.slack.callsOf('views.open').length > opened || undefined, 10_000, 'views.open');
    const view = [...t.slack.views.values()].at(-1)!.view as { callback_id: string; private_metadata: string; blocks: { block_id?: string; element?: { initial_option?: { value: string } } }[] };
    expect(view.callback_id).toBe('snapshot_encrypt');
    expect(view.blocks.find((x) => x.block_id === 'volume')!.element!.initial_option!.value).toBe(volumeId);

    const before = t.slack.messages.length;
    const res = await t.sender.submitView({
      userId: REQUESTER,
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: { volume: { volume_pick: { type: 'external_select', selected_option: { value: volumeId } } } },
    });
    expect(res.status).toBe(200);
    const done = await t.slack.waitFor((m) => since(before)(m) && /Encrypting .* — (done|failed)/.test(textOf(m)), 30_000, 'the encryption');
    expect(textOf(done)).toContain('— done');
  });
});

describe('an EC2 that refuses ModifyInstanceAttribute', () => {
  it('still swaps the volume in and says the delete-on-termination setting is left to do', async () => {
    const i = t.ec2.state.addInstance(R, { availabilityZone: 'us-east-1c', type: 't3.small', state: 'stopped', rootDeviceName: '/dev/xvda' });
    const v = t.ec2.state.addVolume(R, { availabilityZone: 'us-east-1c', sizeGiB: 8, type: 'gp3' });
    t.ec2.state.attachVolume(R, v.id, i.id, '/dev/xvda', true);
    t.ec2.deny.add('ModifyInstanceAttribute');
    try {
      const mark = t.slack.messages.length;
      await t.command('/snapshot', `encrypt ${v.id} --replace`);
      const question = await t.slack.waitFor((m) => since(mark)(m) && m.ephemeralFor === REQUESTER && /Swap the disk/.test(textOf(m)), 15_000, 'the question');
      await answer(question, 'Encrypt and swap it in');
      const done = await t.slack.waitFor((m) => since(mark)(m) && m.channel === CHANNEL && /Encrypting .* — (done|failed)/.test(textOf(m)), 30_000, 'the swap');
      expect(textOf(done)).toContain('— done');
      expect(textOf(done)).toContain('Delete-on-termination could not be turned on');
      const newId = textOf(done).match(/→ `(vol-[0-9a-f]{17})`/)![1];
      expect(t.ec2.state.getVolume(R, newId)!.attachment).toMatchObject({ instanceId: i.id, device: '/dev/xvda' });
    } finally {
      t.ec2.deny.delete('ModifyInstanceAttribute');
    }
  });
});
