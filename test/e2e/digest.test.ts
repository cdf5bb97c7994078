// The cost-cleanup digest end to end: flagged with reasons and dollars, safe buttons, exactly once per run.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/ec2/index.js';
import { buttonsOf, textOf, type WorkspaceMessage } from '../../src/sandbox/slack/webapi.js';
import { APPROVAL_CHANNEL, APPROVER, CHANNEL, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';

const DIGEST_CHANNEL = 'C0COST';
let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ env: { DIGEST_CHANNEL } });
});
afterAll(async () => {
  await t?.stop();
});

async function digestIn(bot: TestBot, channel: string, after = 0): Promise<WorkspaceMessage> {
  return bot.slack.waitFor((m) => m.channel === channel && /Cost-cleanup digest/.test(m.text) && bot.slack.messages.indexOf(m) >= after, 30_000, 'a digest');
}

/** The buttons offered for one resource (their values carry its ID). */
function buttonsFor(m: WorkspaceMessage, id: string) {
  return buttonsOf(m).filter((b) => (b.value ?? '').includes(`"${id}"`));
}

describe('/snapshot digest', () => {
  it('flags old resources no longer needed with a reason and a dollar figure, and lists exposures first', async () => {
    await t.command('/snapshot', 'digest');
    const d = await digestIn(t, CHANNEL);
    const text = textOf(d);
    expect(text).toMatch(/up to \$\d[\d ]*\.\d\d/);
    expect(text).toContain(DEMO.snapshots.legacyFinal);
    expect(text).toMatch(/no longer exists/);
    expect(text).toContain(DEMO.snapshots.publicDataset);
    expect(text).toMatch(/public/i);
    expect(buttonsFor(d, DEMO.snapshots.legacyFinal).map((b) => b.text)).toEqual(['Request deletion', 'Snooze 30 days', 'Keep']);
    // The public snapshot is an exposure: first, with Make private and Keep shared, not offered for deletion.
    expect(text.indexOf(DEMO.snapshots.publicDataset)).toBeLessThan(text.indexOf(DEMO.snapshots.legacyFinal));
    expect(buttonsFor(d, DEMO.snapshots.publicDataset).map((b) => b.text)).toEqual(['Make private', 'Keep shared']);
    // Fresh snapshots and the newest backup of a live volume are never offered.
    for (const keep of [DEMO.snapshots.webRootDaily, DEMO.snapshots.buildRootStale, DEMO.snapshots.requestedViaSnapbot]) {
      expect(buttonsFor(d, keep).some((b) => b.text === 'Request deletion')).toBe(false);
    }
    expect(d.blocks!.length).toBeLessThanOrEqual(50);
  });

  it('never offers deletion of a snapshot an AMI (even a disabled one) or a launch template uses', async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    const d = await digestIn(t, CHANNEL, mark);
    for (const used of [DEMO.snapshots.oldBatchRoot, DEMO.snapshots.webGoldenRoot, DEMO.snapshots.launchTemplateData]) {
      expect(buttonsFor(d, used).some((b) => b.text === 'Request deletion')).toBe(false);
    }
    // AWS Backup-managed snapshots are labelled and not offered either.
    expect(buttonsFor(d, DEMO.snapshots.dbBackupOld).some((b) => b.text === 'Request deletion')).toBe(false);
  });

  it('attaches the full list as CSV', async () => {
    await t.slack.waitFor((m) => m.channel === CHANNEL && (m.files ?? []).some((f) => f.name.endsWith('.csv') && f.content.includes(DEMO.snapshots.legacyFinal)), 15_000, 'the CSV');
  });

  it('uploads one PNG chart to its thread: what cleanup would save by age and by who pays, with alt text', async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    const d = await digestIn(t, CHANNEL, mark);
    const chart = await t.slack.waitFor((m) => m.threadTs === d.ts && (m.files ?? []).some((f) => f.name.endsWith('.png')), 30_000, 'the chart');
    const png = chart.files!.find((f) => f.name.endsWith('.png'))!;
    expect(chart.channel).toBe(CHANNEL);
    // A real PNG, big enough to hold the three charts and their text.
    expect(png.data.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.data.readUInt32BE(16)).toBe(1600);
    expect(png.data.length).toBeGreaterThan(20_000);
    expect(png.altText).toMatch(/^Bar charts of what cleanup would save a month: by age, .*\$\d+\.\d\d.*; by who pays, /);
    expect(png.altText).toMatch(/A line of the last/);
  });

  it('Request deletion opens an approval request; Snooze and Keep hide an item from the next digest', async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    const d = await digestIn(t, CHANNEL, mark);
    const click = (id: string, label: string) => {
      const b = buttonsFor(d, id).find((x) => x.text === label)!;
      expect(b, `${label} for ${id}`).toBeDefined();
      return t.sender.click({ userId: REQUESTER, channelId: CHANNEL, messageTs: d.ts, actionId: b.actionId, value: b.value, blockId: b.blockId, messageBlocks: d.blocks });
    };
    await click(DEMO.snapshots.legacyFinal, 'Request deletion');
    const card = await t.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && textOf(m).includes(DEMO.snapshots.legacyFinal) && buttonsOf(m).some((b) => b.text === 'Approve'), 15_000, 'the approval request');
    // The digest's reason is on the card.
    expect(textOf(card)).toMatch(/From the cost-cleanup digest: source volume vol-[0-9a-f]+ no longer exists; \d+ days old/);

    // The digest itself shows who did what, in place of the item's buttons.
    await t.slack.waitFor((m) => m === d && new RegExp(`Deletion requested by <@${REQUESTER}>: request`).test(textOf(m)), 10_000, 'the digest updated');
    await click(DEMO.snapshots.reportsArchive, 'Snooze 30 days');
    await t.slack.waitFor((m) => m.ephemeralFor === REQUESTER && /snoozed until/.test(textOf(m)), 10_000);
    await t.slack.waitFor((m) => m === d && new RegExp(`Snoozed by <@${REQUESTER}> until \\d{4}-\\d\\d-\\d\\d`).test(textOf(m)), 10_000, 'snoozed in place');
    expect(buttonsFor(d, DEMO.snapshots.reportsArchive)).toEqual([]);
    await click(DEMO.snapshots.webDataQuarterly, 'Keep');
    await t.slack.waitFor((m) => m.ephemeralFor === REQUESTER && /is kept/.test(textOf(m)), 10_000);
    expect(t.ec2.state.getSnapshot('us-east-1', DEMO.snapshots.webDataQuarterly)!.tags['snapbot:keep-until']).toMatch(/^\d{4}-\d\d-\d\d$/);

    const mark2 = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    const next = await digestIn(t, CHANNEL, mark2);
    expect(textOf(next)).not.toContain(DEMO.snapshots.reportsArchive);
    expect(textOf(next)).not.toContain(DEMO.snapshots.webDataQuarterly);
  });

  it('a Keep clicked on a public snapshot (an old button, or a forged one) hides nothing: it stays in the next digest', async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    const d = await digestIn(t, CHANNEL, mark);
    const value = JSON.stringify({ id: DEMO.snapshots.publicDataset, region: 'us-east-1', kind: 'snapshot' });
    await t.sender.click({ userId: REQUESTER, channelId: CHANNEL, messageTs: d.ts, actionId: 'digest_keep', value });
    await t.slack.waitFor((m) => m.ephemeralFor === REQUESTER && /is public, so keeping it would hide an exposure/.test(textOf(m)), 10_000, 'the refusal');
    expect(t.ec2.state.getSnapshot('us-east-1', DEMO.snapshots.publicDataset)!.tags['snapbot:keep-until']).toBeUndefined();
    const mark2 = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    expect(textOf(await digestIn(t, CHANNEL, mark2))).toContain(DEMO.snapshots.publicDataset);
  });

  it('Keep shared asks for a reason and becomes an approval request; once approved, the exposure is one line', async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    const d = await digestIn(t, CHANNEL, mark);
    const b = buttonsFor(d, DEMO.images.publicBase).find((x) => x.text === 'Keep shared')!;
    const views = t.slack.callsOf('views.open').length;
    await t.sender.click({ userId: REQUESTER, channelId: CHANNEL, messageTs: d.ts, actionId: b.actionId, value: b.value, blockId: b.blockId });
    await t.slack.waitUntil(() => (t.slack.callsOf('views.open').length > views ? true : undefined), 10_000, 'the reason form');
    const view = JSON.parse(String(t.slack.callsOf('views.open').at(-1)!.args.view)) as { callback_id: string; private_metadata: string };
    await t.sender.submitView({ userId: REQUESTER, callbackId: view.callback_id, privateMetadata: view.private_metadata, values: { reason: { value: { type: 'plain_text_input', value: 'workshop image, public on purpose' } } } });
    const card = await t.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && textOf(m).includes(`keep ${DEMO.images.publicBase} shared`) && buttonsOf(m).some((x) => x.text === 'Approve'), 15_000, 'the Keep shared request');
    expect(textOf(card)).toContain('workshop image, public on purpose');
    const approve = buttonsOf(card).find((x) => x.text === 'Approve')!;
    await t.sender.click({ userId: APPROVER, channelId: APPROVAL_CHANNEL, messageTs: card.ts, actionId: approve.actionId, value: approve.value });
    await t.slack.waitFor((m) => m === card && /stays shared/.test(textOf(m)), 15_000, 'approved');
    const mark2 = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    const next = await digestIn(t, CHANNEL, mark2);
    expect(buttonsFor(next, DEMO.images.publicBase)).toEqual([]);
    expect(textOf(next)).toMatch(/1 resource kept shared by an approver's decision/);
  });
});

describe('who pays (COST_TAGS, default team)', () => {
  it('the CSV’s cost_group is the snapshot’s team tag, else its volume’s, else "untagged"', async () => {
    const R = 'us-east-1';
    const old = new Date(Date.now() - 200 * 86_400_000);
    const gone = t.ec2.state.addSnapshot(R, { volumeId: 'vol-0c0ffee0c0ffee000', volumeSizeGiB: 8, startTime: old, tags: { team: 'payments' } });
    const vol = t.ec2.state.addVolume(R, { sizeGiB: 8, tags: { team: 'search' } });
    const superseded = t.ec2.state.addSnapshot(R, { volumeId: vol.id, volumeSizeGiB: 8, startTime: old });
    t.ec2.state.addSnapshot(R, { volumeId: vol.id, volumeSizeGiB: 8, startTime: new Date(Date.now() - 86_400_000) });
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    const withCsv = await t.slack.waitFor(
      (m) => t.slack.messages.indexOf(m) >= mark && (m.files ?? []).some((f) => f.name.endsWith('.csv') && f.content.includes(gone.id)),
      30_000,
      'the CSV',
    );
    const rows = withCsv.files!.find((f) => f.name.endsWith('.csv'))!.content.split('\r\n');
    const header = rows[0]!.split(',');
    expect(header.at(-1)).toBe('cost_group');
    const groupOf = (id: string) => rows.find((r) => r.includes(`,${id},`))!.split(',').at(-1);
    expect(groupOf(gone.id)).toBe('payments');
    expect(groupOf(superseded.id)).toBe('search');
    expect(groupOf(DEMO.snapshots.legacyFinal)).toBe('untagged');
    // The message says who pays for what cleanup would save: the groups, and the untagged share.
    const d = t.slack.messages.find((m) => t.slack.messages.indexOf(m) >= mark && /Cost-cleanup digest/.test(m.text) && m.channel === withCsv.channel && !m.threadTs)!;
    const text = textOf(d);
    expect(text).toContain('payments $0.40 (1)');
    expect(text).toContain('search $0.40 (1)');
    expect(text).toMatch(/Who pays: .*untagged \$[\d,]+\.\d\d \([\d,]+, \d+% of it\)/);
  });
});

describe('the snapshot quota (Service Quotas)', () => {
  it('the header says each region\'s snapshots against its quota, and when it fills at the growth the history shows', async () => {
    // A bot of its own: the quota is read once a day, and this one has not read it yet.
    const b = await startTestBot({ sharedEc2: t.ec2 });
    try {
      const count = [...t.ec2.state.region('us-east-1').snapshots.values()].filter((s) => s.ownerId === t.ec2.state.accountId).length;
      t.ec2.quotas.applied.set('us-east-1', count + 100);
      // Ten days ago the region held 50 fewer: 5 a day, so the 100 left last 20 days.
      const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
      await b.bot.deps.store.history.record({ day: tenDaysAgo, region: 'us-east-1', snapshots: count - 50, cleanupUsd: 1 });
      await b.command('/snapshot', 'digest');
      const d = await digestIn(b, CHANNEL);
      expect(textOf(d)).toContain(`Snapshots against the quota: us-east-1 ${count.toLocaleString('en-US')} of ${(count + 100).toLocaleString('en-US')} — full in about 20 days at +5 a day`);
    } finally {
      t.ec2.quotas.applied.clear();
      await b.stop();
    }
  });

  it('where Service Quotas cannot be read, the default quota, labelled', async () => {
    const b = await startTestBot({ sharedEc2: t.ec2 });
    t.ec2.deny.add('servicequotas:*');
    try {
      await b.command('/snapshot', 'digest');
      const d = await digestIn(b, CHANNEL);
      expect(textOf(d)).toMatch(/us-east-1 [\d,]+ of 100,000 \(the default quota, assumed: Service Quotas could not be read\)/);
    } finally {
      t.ec2.deny.delete('servicequotas:*');
      await b.stop();
    }
  });
});

describe('fast snapshot restore', () => {
  it('lists a snapshot with fast restore left on as a cost, not a deletion, and Disable fast restore turns it off', async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    const d = await digestIn(t, CHANNEL, mark);
    expect(textOf(d)).toMatch(/Fast snapshot restore left on\* — 1 resource, about \$547\.50\/month/);
    const snap = DEMO.snapshots.webRootDaily;
    const b = buttonsFor(d, snap);
    expect(b.map((x) => x.text)).toEqual(['Disable fast restore', 'Snooze 30 days', 'Keep']);
    const disable = b[0];
    await t.sender.click({ userId: REQUESTER, channelId: CHANNEL, messageTs: d.ts, actionId: disable.actionId, value: disable.value, blockId: disable.blockId, messageBlocks: d.blocks });
    await t.slack.waitFor((m) => m === d && new RegExp(`Fast restore turned off by <@${REQUESTER}> in us-east-1a`).test(textOf(m)), 10_000, 'turned off, in place');
    const call = t.ec2.calls.find((c) => c.action === 'DisableFastSnapshotRestores')!;
    expect(call.params).toMatchObject({ 'SourceSnapshotId.1': snap, 'AvailabilityZone.1': 'us-east-1a' });
    expect(t.ec2.state.getSnapshot('us-east-1', snap)!.fastRestoreZones).toEqual([]);
    expect(t.ec2.state.getSnapshot('us-east-1', snap)).toBeDefined();
  });
});

describe('an EC2 that cannot answer a usage lookup', () => {
  it('still gets a digest, with a warning saying what could not be read', async () => {
    t.ec2.deny.add('DescribeLaunchTemplateVersions');
    try {
      const mark = t.slack.messages.length;
      await t.command('/snapshot', 'digest');
      const d = await digestIn(t, CHANNEL, mark);
      await t.slack.waitFor((m) => m.threadTs === d.ts && /launch templates could not be read/.test(textOf(m)), 15_000, 'the warning');
    } finally {
      t.ec2.deny.delete('DescribeLaunchTemplateVersions');
    }
  });
});

describe('scheduled digest', () => {
  it('two replicas sharing DynamoDB post one digest per scheduled run, and owners get a reminder', async () => {
    // An old snapshot someone made through snapbot, whose volume is gone: a candidate with an owner to remind. (The
    // EU copy this used was a candidate until copies belonged to their source's volume: it is web-1-root's
    // off-region backup now.)
    t.ec2.state.getSnapshot(DEMO.region, DEMO.snapshots.legacyFinal)!.tags['snapbot:requested-by'] = DEMO.requesterUserId;
    const a = await startTestBot({ sharedEc2: t.ec2, env: { DIGEST_CHANNEL, DIGEST_SCHEDULE: '0 9 * * *', REGIONS: `${DEMO.region},${DEMO.otherRegion}` }, jobs: true });
    const b = await startTestBot({ sharedEc2: t.ec2, sharedSlack: a.slack, env: { DIGEST_CHANNEL, DYNAMODB_TABLE: a.config.dynamodbTable, REGIONS: `${DEMO.region},${DEMO.otherRegion}` }, jobs: true });
    try {
      const at = new Date('2026-11-22T09:00:00Z');
      const results = await Promise.all([a.bot.jobs!.runDigestOnce(at), b.bot.jobs!.runDigestOnce(at), a.bot.jobs!.runDigestOnce(at)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      await digestIn(a, DIGEST_CHANNEL);
      expect(a.slack.channel(DIGEST_CHANNEL).filter((m) => /Cost-cleanup digest/.test(m.text))).toHaveLength(1);
      // The next slot is a new run.
      expect(await b.bot.jobs!.runDigestOnce(new Date('2026-11-23T09:00:00Z'))).toBe(true);
      // Reminders: the owner of a snapbot-created outdated resource gets a DM.
      await a.slack.waitFor((m) => m.channel === DEMO.requesterUserId && /Your outdated|outdated/.test(textOf(m)), 15_000, 'the owner reminder');
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('runs on the cron schedule by itself', async () => {
    const c = await startTestBot({ sharedEc2: t.ec2, env: { DIGEST_CHANNEL, DIGEST_SCHEDULE: '*/2 * * * * *' }, jobs: true });
    try {
      await digestIn(c, DIGEST_CHANNEL);
    } finally {
      await c.stop();
    }
  });
});

describe('npm run digest -- --print', () => {
  it('prints the digest as plain text without Slack', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/digest-cli.ts', '--print'], {
      env: { ...process.env, AWS_ENDPOINT_URL_EC2: t.ec2.url, SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', AWS_REGION: 'us-east-1' },
      timeout: 60_000,
    });
    expect(stdout).toContain(DEMO.snapshots.legacyFinal);
    expect(stdout).toMatch(/\$\d+\.\d\d/);
  });
});
