// Cleanup at the scale of a real account: /snapshot cleanup <kind> asks once for every candidate of that kind in the
// account and region; the card says how many, what they free together, a sample, and the full list is a CSV in its
// thread; two racing approvals delete each once, newest snapshots stay, and one message follows the batch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, textOf, type WorkspaceMessage } from '../../src/sandbox/slack/webapi.js';
import { APPROVAL_CHANNEL, APPROVER, APPROVER_2, CHANNEL, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';

const R = 'us-east-1';
const DAY = 86_400_000;
let t: TestBot;
const ids = { volume: '', old: [] as string[], newest: '', orphans: [] as string[], keep: '' };

beforeAll(async () => {
  t = await startTestBot({ ec2: { seed: 'none' }, env: { BURST_LIMIT: '0' } });
  const vol = t.ec2.state.addVolume(R, { sizeGiB: 10, createTime: new Date(Date.now() - 900 * DAY), tags: { Name: 'app-data', team: 'payments' } });
  ids.volume = vol.id;
  for (const d of [400, 300, 200, 120]) ids.old.push(t.ec2.state.addSnapshot(R, { volumeId: vol.id, volumeSizeGiB: 10, startTime: new Date(Date.now() - d * DAY), fullSizeBytes: 4 * 2 ** 30 }).id);
  ids.newest = t.ec2.state.addSnapshot(R, { volumeId: vol.id, volumeSizeGiB: 10, startTime: new Date(Date.now() - 100 * DAY), fullSizeBytes: 4 * 2 ** 30 }).id;
  // Not superseded: their volume is gone (another kind), and one of the old ones is kept by its tag.
  for (const d of [500, 450]) ids.orphans.push(t.ec2.state.addSnapshot(R, { volumeId: 'vol-0aaaaaaaaaaaaaaa1', volumeSizeGiB: 8, startTime: new Date(Date.now() - d * DAY) }).id);
});
afterAll(async () => {
  await t?.stop();
});

const cardFor = (text: string) =>
  t.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && textOf(m).includes(text) && buttonsOf(m).some((b) => b.text === 'Approve'), 30_000, `the card for ${text}`);

function click(m: WorkspaceMessage, userId: string) {
  const b = buttonsOf(m).find((x) => x.text === 'Approve')!;
  return t.sender.click({ userId, channelId: m.channel, messageTs: m.ts, actionId: b.actionId, value: b.value, blockId: b.blockId, text: b.text });
}

describe('/snapshot cleanup superseded', () => {
  let card: WorkspaceMessage;

  it('posts one approval card for the four superseded snapshots, with a sample, the total and the list as a CSV in its thread', async () => {
    await t.command('/snapshot', `cleanup superseded --region ${R} --reason "quarterly cleanup"`);
    card = await cardFor('4 superseded snapshots');
    const text = textOf(card);
    expect(text).toContain('quarterly cleanup');
    expect(text).toContain(ids.old[0]);
    expect(text).toMatch(/Frees (up to )?\$\d+\.\d\d\/mo/);
    expect(text).not.toContain(ids.newest);
    expect(text).toMatch(/Recycle Bin/);
    const csv = await t.slack.waitFor((m) => m.threadTs === card.ts && (m.files ?? []).some((f) => f.name.endsWith('.csv')), 15_000);
    const rows = csv.files![0].content.trim().split('\r\n');
    expect(rows).toHaveLength(5);
    expect(rows.slice(1).map((r) => r.split(',')[3]).sort()).toEqual([...ids.old].sort());
    expect(rows[1]).toContain('payments');
    // One card: the orphans are another kind, and nothing else was asked.
    expect(t.slack.messages.filter((m) => m.channel === APPROVAL_CHANNEL && buttonsOf(m).some((b) => b.text === 'Approve'))).toHaveLength(1);
    // Asked again while it waits: told so, privately, and no second card.
    await t.command('/snapshot', 'cleanup superseded');
    await t.slack.waitFor((m) => m.ephemeralFor === REQUESTER && /already waiting for approval/.test(m.text), 15_000, 'the twin refusal');
    expect(t.slack.messages.filter((m) => m.channel === APPROVAL_CHANNEL && buttonsOf(m).some((b) => b.text === 'Approve'))).toHaveLength(1);
  });

  it('two racing approvals delete each once; the newest stays; one message follows the batch and the requester hears', async () => {
    await Promise.all([click(card, APPROVER), click(card, APPROVER_2)]);
    const done = await t.slack.waitFor((m) => m.threadTs === card.ts && m.text.includes('finished'), 30_000, 'the batch message');
    expect(done.text).toMatch(/4 deleted, 0 skipped, 0 failed/);
    for (const id of ids.old) expect(t.ec2.calls.filter((c) => c.action === 'DeleteSnapshot' && c.params.SnapshotId === id)).toHaveLength(1);
    expect(t.ec2.calls.filter((c) => c.action === 'DeleteSnapshot' && c.params.SnapshotId === ids.newest)).toHaveLength(0);
    expect(t.ec2.state.getSnapshot(R, ids.newest)).toBeDefined();
    expect(t.slack.messages.filter((m) => m.threadTs === card.ts && m.text.includes('Batch')).length).toBe(1);
    await t.slack.waitFor((m) => m.threadTs === card.ts && textOf(m).includes(`<@${REQUESTER}>`) && textOf(m).includes('Deleted 4 of 4 superseded snapshots'), 15_000, "the requester's notice");
    await t.slack.waitUntil(() => (textOf(t.slack.messages.find((m) => m.ts === card.ts)!).includes('Approved and done') ? true : undefined), 15_000, 'the card done');
  });

  it('/snapshot savings counts what the batch freed', async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'savings');
    const m = await t.slack.waitFor((x) => t.slack.messages.indexOf(x) >= mark && x.ephemeralFor === REQUESTER, 15_000);
    expect(textOf(m)).toMatch(/4 snapshots deleted/);
  });

  it('a kind with nothing to delete is said privately, and no card is made', async () => {
    const cards = t.slack.messages.filter((m) => m.channel === APPROVAL_CHANNEL).length;
    await t.command('/snapshot', 'cleanup amis');
    await t.slack.waitFor((x) => x.ephemeralFor === REQUESTER && x.text.includes('Nothing to request'), 30_000);
    expect(t.slack.messages.filter((m) => m.channel === APPROVAL_CHANNEL).length).toBe(cards);
  });

  it('bad input is answered privately with what is allowed', async () => {
    const before = t.ec2.calls.length;
    const res = await t.command('/snapshot', 'cleanup everything', { channelId: CHANNEL });
    expect(res.json?.response_type).toBe('ephemeral');
    expect(String(res.json?.text)).toMatch(/not a kind of cleanup: expected superseded/);
    expect(t.ec2.calls.length).toBe(before);
  });
});

describe('the digest\'s Request deletion of all', () => {
  it('on a cleanup section asks once for all of its kind in its account and region', async () => {
    const vol = t.ec2.state.addVolume(R, { sizeGiB: 4, createTime: new Date(Date.now() - 900 * DAY) });
    const old = [300, 250, 200].map((d) => t.ec2.state.addSnapshot(R, { volumeId: vol.id, volumeSizeGiB: 4, startTime: new Date(Date.now() - d * DAY) }).id);
    t.ec2.state.addSnapshot(R, { volumeId: vol.id, volumeSizeGiB: 4, startTime: new Date(Date.now() - 2 * DAY) });
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    const d = await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= mark && m.channel === CHANNEL && /Cost-cleanup digest/.test(m.text), 30_000, 'the digest');
    const all = buttonsOf(d).filter((b) => b.text === 'Request deletion of all');
    // Two sections, each one kind in one region: the superseded snapshots, and the two whose volume is gone.
    expect(all.map((b) => JSON.parse(b.value!).batch).sort()).toEqual(['orphaned', 'superseded']);
    const superseded = all.find((b) => JSON.parse(b.value!).batch === 'superseded')!;
    await t.sender.click({ userId: REQUESTER, channelId: CHANNEL, messageTs: d.ts, actionId: superseded.actionId, value: superseded.value, blockId: superseded.blockId, text: superseded.text });
    const card = await cardFor('3 superseded snapshots');
    for (const id of old) expect(textOf(card) + JSON.stringify(t.slack.messages.filter((m) => m.threadTs === card.ts).map((m) => m.files))).toContain(id);
  });
});
