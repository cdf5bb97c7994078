// What deleting really frees, end to end: the seeds' incremental example (A holds 10 GiB, B the 4 GiB that changed,
// C the 2 GiB added) served by the sandbox's EBS direct APIs, asked through /snapshot cost and a deletion card.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, textOf } from '../../src/sandbox/slack/webapi.js';
import { APPROVAL_CHANNEL, APPROVER, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';

const R = 'us-east-1';
const GIB = 2048; // 512 KiB blocks
let t: TestBot;
const ids: Record<'A' | 'B' | 'C', string> = { A: '', B: '', C: '' };

beforeAll(async () => {
  t = await startTestBot({ env: { BURST_LIMIT: '0' } });
  const vol = t.ec2.state.addVolume(R, { sizeGiB: 20, tags: { Name: 'incremental' } });
  const day = 86_400_000;
  const at = (d: number) => new Date(Date.now() - d * day);
  const snap = (d: number) => t.ec2.state.addSnapshot(R, { volumeId: vol.id, volumeSizeGiB: 20, startTime: at(d), fullSizeBytes: (10 + (d < 3 ? 2 : 0)) * 2 ** 30 });
  ids.A = snap(3).id;
  ids.B = snap(2).id;
  ids.C = snap(1).id;
  t.ec2.ebs.setContent(ids.A, [{ start: 0, end: 10 * GIB, version: 'a' }]);
  t.ec2.ebs.setContent(ids.B, [
    { start: 0, end: 4 * GIB, version: 'b' },
    { start: 4 * GIB, end: 10 * GIB, version: 'a' },
  ]);
  t.ec2.ebs.setContent(ids.C, [
    { start: 0, end: 4 * GIB, version: 'b' },
    { start: 4 * GIB, end: 10 * GIB, version: 'a' },
    { start: 10 * GIB, end: 12 * GIB, version: 'c' },
  ]);
});
afterAll(async () => {
  await t?.stop();
});

/** The private answer about `id` (it names the snapshot first), posted after the command. */
const costOf = async (id: string) => {
  const mark = t.slack.messages.length;
  await t.command('/snapshot', `cost ${id}`);
  return textOf(
    await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= mark && m.ephemeralFor === REQUESTER && m.text.startsWith(`*${id}*`), 15_000, `the cost of ${id}`),
  );
};

describe('/snapshot cost', () => {
  it('A frees only what B overwrote, B frees nothing while C uses it, C frees what it added', async () => {
    const a = await costOf(ids.A);
    expect(a).toMatch(/Deleting it frees 4 GiB\*, \$0\.21\/month/);
    expect(a).toContain(`${ids.B} still uses 6 GiB of its blocks`);
    const b = await costOf(ids.B);
    expect(b).toMatch(/Deleting it frees nothing \(0 B\)\*/);
    expect(b).toContain(`${ids.C} still uses 4 GiB of its blocks`);
    const c = await costOf(ids.C);
    expect(c).toMatch(/Deleting it frees 2 GiB\*, \$0\.11\/month/);
    expect(c).toMatch(/No later snapshot uses its blocks/);
  });

  it('measures each pair once: asked again, it makes no direct-API call', async () => {
    const before = t.ec2.calls.filter((x) => x.action.startsWith('ebs:')).length;
    const again = await costOf(ids.A);
    expect(again).toMatch(/frees 4 GiB/);
    expect(again).toMatch(/block maps never change/);
    expect(t.ec2.calls.filter((x) => x.action.startsWith('ebs:')).length).toBe(before);
  });

  it('explains what it cannot measure: an archived snapshot, another account’s', async () => {
    const archived = t.ec2.state.addSnapshot(R, { volumeSizeGiB: 8, storageTier: 'archive' });
    expect(await costOf(archived.id)).toMatch(/archive tier, where a snapshot is stored in full/);
    const theirs = t.ec2.state.addSnapshot(R, { volumeSizeGiB: 8, ownerId: '444455556666', sharedWith: [t.ec2.state.accountId] });
    expect(await costOf(theirs.id)).toMatch(/belongs to account 444455556666, which pays for it/);
  });
});

describe('snapshots made through the direct APIs (no volume, parent not in EC2)', () => {
  it('finds the lineage by asking which neighbours the direct APIs relate, and prices each exactly', async () => {
    const day = 86_400_000;
    const make = (d: number) => t.ec2.state.addSnapshot(R, { volumeSizeGiB: 20, startTime: new Date(Date.now() - d * day) });
    const [a, b, c] = [make(30), make(29), make(28)].map((x) => x.id);
    t.ec2.ebs.setContent(a, [{ start: 0, end: 10 * GIB, version: 'pa' }]);
    t.ec2.ebs.setContent(b, [{ start: 0, end: 4 * GIB, version: 'pb' }, { start: 4 * GIB, end: 10 * GIB, version: 'pa' }]);
    t.ec2.ebs.setContent(c, [{ start: 0, end: 4 * GIB, version: 'pb' }, { start: 4 * GIB, end: 10 * GIB, version: 'pa' }, { start: 10 * GIB, end: 12 * GIB, version: 'pc' }]);
    expect(await costOf(a)).toMatch(/frees 4 GiB\*/);
    expect(await costOf(b)).toMatch(/frees nothing \(0 B\)/);
    expect(await costOf(c)).toMatch(/frees 2 GiB\*/);
  });
});

describe('the digest', () => {
  it('suggests archiving a kept snapshot that shares blocks only where what it alone holds costs more', async () => {
    const year = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
    t.ec2.state.getSnapshot(R, ids.A)!.tags['snapbot:keep-until'] = year;
    t.ec2.state.getSnapshot(R, ids.B)!.tags['snapbot:keep-until'] = year;
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    const d = await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= mark && /Cost-cleanup digest/.test(m.text), 30_000, 'the digest');
    const text = textOf(d);
    expect(text).toMatch(/Cheaper in the archive/);
    // A alone holds 4 GiB ($0.21/month); archived in full, its 10 GiB cost $0.13.
    expect(text).toContain(ids.A);
    expect(text).toMatch(/10 GiB kept until \d{4}-\d{2}-\d{2}: \$0\.21\/month now, \$0\.13\/month archived/);
    // B alone holds nothing: archiving it would only add cost.
    expect(buttonsOf(d).some((b) => b.text === 'Archive' && (b.value ?? '').includes(ids.B))).toBe(false);
    expect(buttonsOf(d).some((b) => b.text === 'Archive' && (b.value ?? '').includes(ids.A))).toBe(true);
  });
});

describe('deletion cards', () => {
  it('say what the deletion really frees', async () => {
    await t.command('/snapshot', `delete ${ids.B} --reason superseded`);
    const card = await t.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && textOf(m).includes(ids.B) && buttonsOf(m).length === 2, 15_000, 'the card');
    expect(textOf(card)).toMatch(/Really frees 0 B \(\$0\.00\/month\) of the 4 GiB it stores itself; snap-[0-9a-f]+ still uses 4 GiB of its blocks/);
    expect(textOf(card)).not.toMatch(/saving is an upper bound/);
  });
});

describe('/snapshot savings', () => {
  const savings = async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'savings');
    return textOf(await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= mark && m.ephemeralFor === REQUESTER && /snapbot has freed/.test(m.text), 15_000, 'the savings'));
  };

  it('answers $0.00 in every kind before anything was freed', async () => {
    const text = await savings();
    expect(text).toContain('snapbot has freed $0.00/month since it began, $0.00/month of it in the last 30 days');
    expect(text).toContain('0 snapshots deleted: $0.00/month');
    expect(text).toContain('0 AMIs deregistered: $0.00/month');
    expect(text).toContain('0 archive moves: $0.00/month');
  });

  it('adds what an approved deletion measurably freed, once, and an archive move as an upper bound', async () => {
    await t.command('/snapshot', `delete ${ids.C} --reason superseded`);
    const card = await t.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && textOf(m).includes(`*What:* delete snapshot ${ids.C}`) && buttonsOf(m).length === 2, 15_000, 'the card');
    const approve = buttonsOf(card).find((b) => b.text === 'Approve')!;
    const click = () => t.sender.click({ userId: APPROVER, channelId: card.channel, messageTs: card.ts, actionId: approve.actionId, value: approve.value, blockId: approve.blockId, text: approve.text });
    await Promise.all([click(), click()]);
    await t.slack.waitFor((m) => m === card && /Approved and done/.test(textOf(m)), 15_000, 'the deletion');
    expect(t.ec2.state.getSnapshot(R, ids.C)).toBeUndefined();
    let text = await savings();
    // C alone held the 2 GiB it added: $0.11/month, measured.
    expect(text).toContain('snapbot has freed $0.11/month since it began, $0.11/month of it in the last 30 days');
    expect(text).toContain('1 snapshot deleted: $0.11/month');
    expect(text).toMatch(/Measured from the blocks no other snapshot shares/);

    // An archive move saves the standard price of its full size (an upper bound) less the archive's.
    const cold = t.ec2.state.addSnapshot(R, { volumeSizeGiB: 100 });
    await t.command('/snapshot', `archive ${cold.id}`);
    await t.slack.waitFor((m) => /is moving/.test(textOf(m)) && textOf(m).includes(cold.id), 15_000, 'the archive move');
    text = await savings();
    expect(text).toContain('1 archive move: $3.75/month');
    expect(text).toMatch(/snapbot has freed up to \$3\.86\/month since it began/);
    expect(text).toMatch(/an upper bound/);

    // The digest's header says the same.
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    const d = await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= mark && /Cost-cleanup digest/.test(m.text), 30_000, 'the digest');
    expect(textOf(d)).toContain('snapbot has freed up to $3.86/month since it began, up to $3.86/month of it in the last 30 days');
  });
});
