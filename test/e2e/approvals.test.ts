// Approval-gated commands end to end: nothing public or deleted without a second person, exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/ec2/index.js';
import { buttonsOf, textOf, type WorkspaceMessage } from '../../src/sandbox/slack/webapi.js';
import {
  APPROVAL_CHANNEL,
  APPROVER,
  APPROVER_2,
  CHANNEL,
  OUTSIDER,
  REQUESTER,
  startTestBot,
  type TestBot,
} from '../support/bot.js';

const R = 'us-east-1';
let t: TestBot;
beforeAll(async () => {
  t = await startTestBot();
});
afterAll(async () => {
  await t?.stop();
});

function countOf(action: string, pred: (p: Record<string, string>) => boolean = () => true): number {
  return t.ec2.calls.filter((c) => c.action === action && pred(c.params)).length;
}

async function requestMessage(resourceId: string): Promise<WorkspaceMessage> {
  return t.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && textOf(m).includes(resourceId) && buttonsOf(m).length === 2, 15_000, `the approval request for ${resourceId}`);
}

/** Clicks a button as `userId`; pass `buttons` saved earlier to click one the message no longer shows (a stale view). */
function click(m: WorkspaceMessage, userId: string, label: 'Approve' | 'Reject', buttons = buttonsOf(m)) {
  const b = buttons.find((x) => x.text === label)!;
  return t.sender.click({ userId, channelId: m.channel, messageTs: m.ts, actionId: b.actionId, value: b.value, blockId: b.blockId, text: b.text });
}

describe('public share', () => {
  it('posts a request with what, who, why and the risk; only another approver can approve; it runs once', async () => {
    const snap = DEMO.snapshots.webRootBeforeUpgrade;
    await t.command('/share', `${snap} public --reason "vendor needs the image"`);
    const req = await requestMessage(snap);
    const text = textOf(req);
    expect(text).toContain(`<@${REQUESTER}>`);
    expect(text).toContain('vendor needs the image');
    expect(text).toMatch(/Anyone/);
    const buttons = buttonsOf(req);
    expect(buttons.map((b) => b.text)).toEqual(['Approve', 'Reject']);
    expect(countOf('ModifySnapshotAttribute')).toBe(0);

    // The requester may not approve their own request; an outsider may not approve at all.
    await click(req, REQUESTER, 'Approve');
    await t.slack.waitFor((m) => m.ephemeralFor === REQUESTER && /asked for this/.test(textOf(m)), 10_000, 'self-approval refusal');
    await click(req, OUTSIDER, 'Approve');
    await t.slack.waitFor((m) => m.ephemeralFor === OUTSIDER && /Only the approvers/.test(textOf(m)), 10_000, 'outsider refusal');
    expect(countOf('ModifySnapshotAttribute')).toBe(0);
    expect(t.ec2.state.getSnapshot(R, snap)!.public).toBe(false);

    // The requester's private note offers Withdraw while the request waits…
    const note = t.slack.messages.find((m) => m.ephemeralFor === REQUESTER && textOf(m).includes('Asked for approval') && textOf(m).includes(snap))!;
    expect(buttonsOf(note).map((b) => b.text)).toEqual(['Withdraw']);

    await click(req, APPROVER, 'Approve');
    await t.slack.waitFor((m) => m === req && /now public/.test(textOf(m)) && buttonsOf(m).length === 0, 15_000, 'the outcome on the request');
    // …and once decided, the same note says what happened, with nothing left to withdraw.
    await t.slack.waitUntil(() => (buttonsOf(note).length === 0 && !/Asked for approval/.test(textOf(note)) ? true : undefined), 10_000, 'the note replaced');
    expect(textOf(note)).toMatch(/approved/i);
    expect(t.ec2.state.getSnapshot(R, snap)!.public).toBe(true);
    await t.slack.waitFor((m) => m.threadTs === req.ts && textOf(m).includes(`<@${REQUESTER}>`), 10_000, 'the requester told in the thread');

    // A later click is told who decided first, and nothing runs again.
    await click(req, APPROVER_2, 'Approve', buttons);
    await t.slack.waitFor((m) => m.ephemeralFor === APPROVER_2 && /Already decided by <@U0[A-Z0-9]+>: approved/.test(textOf(m)), 10_000, 'already decided');
    expect(countOf('ModifySnapshotAttribute', (p) => p.SnapshotId === snap)).toBe(1);

    await t.command('/snapshot', `audit ${snap}`);
    const audit = await t.slack.waitFor((m) => m.ephemeralFor === REQUESTER && /History of/.test(textOf(m)) && textOf(m).includes(snap), 10_000);
    for (const event of ['requested', 'approved', 'executing', 'done']) expect(textOf(audit)).toContain(event);
  });

  it('20 concurrent approve clicks from two approvers execute the action exactly once', async () => {
    const snap = DEMO.snapshots.buildRootStale;
    await t.command('/share', `${snap} 999988887777 --reason "migration"`);
    const req = await requestMessage(snap);
    await Promise.all(Array.from({ length: 20 }, (_, i) => click(req, i % 2 ? APPROVER : APPROVER_2, 'Approve')));
    await t.slack.waitFor((m) => m === req && /shared with account 999988887777/.test(textOf(m)), 15_000, 'the outcome');
    await new Promise((r) => setTimeout(r, 500));
    expect(countOf('ModifySnapshotAttribute', (p) => p.SnapshotId === snap)).toBe(1);
    expect(t.ec2.state.getSnapshot(R, snap)!.sharedWith).toContain('999988887777');
  });

  it('refuses at request time to make an encrypted snapshot public, suggesting an account share', async () => {
    const encrypted = [...t.ec2.state.region(R).snapshots.values()].find((s) => s.encrypted && !s.public)!;
    const before = t.slack.channel(APPROVAL_CHANNEL).length;
    await t.command('/share', `${encrypted.id} public`);
    const m = await t.slack.waitFor((x) => x.ephemeralFor === REQUESTER && textOf(x).includes(encrypted.id) && /encrypted/.test(textOf(x)), 10_000);
    expect(textOf(m)).toMatch(/account/);
    expect(t.slack.channel(APPROVAL_CHANNEL).length).toBe(before);
  });

  it('refuses when account-level block public access is on', async () => {
    t.ec2.state.setBlockPublicAccess(R, 'snapshot', 'block-all-sharing');
    try {
      await t.command('/share', `${DEMO.snapshots.webDataQuarterly} public`);
      await t.slack.waitFor((x) => x.ephemeralFor === REQUESTER && /block public access/.test(textOf(x)), 10_000);
    } finally {
      t.ec2.state.setBlockPublicAccess(R, 'snapshot', 'unblocked');
    }
  });
});

describe('approvers by user group', () => {
  it('a member of a user group in APPROVERS may approve; the group is resolved with usergroups.users.list', async () => {
    const grouped = await startTestBot({ sharedEc2: t.ec2, env: { APPROVERS: 'S0PLATFORM' } });
    try {
      grouped.slack.userGroups.set('S0PLATFORM', ['U0GROUPIE']);
      const snap = DEMO.snapshots.dbBackupRecent;
      await grouped.command('/share', `${snap} 444455556666`);
      const req = await grouped.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && textOf(m).includes(snap) && buttonsOf(m).length === 2, 15_000);
      const approve = buttonsOf(req).find((b) => b.text === 'Approve')!;
      await grouped.sender.click({ userId: APPROVER, channelId: req.channel, messageTs: req.ts, actionId: approve.actionId, value: approve.value });
      await grouped.slack.waitFor((m) => m.ephemeralFor === APPROVER && /Only the approvers/.test(textOf(m)), 10_000, 'a non-member refused');
      await grouped.sender.click({ userId: 'U0GROUPIE', channelId: req.channel, messageTs: req.ts, actionId: approve.actionId, value: approve.value });
      await grouped.slack.waitFor((m) => m === req && /shared with account 444455556666/.test(textOf(m)), 15_000, 'the group member’s approval');
      expect(grouped.slack.callsOf('usergroups.users.list').length).toBeGreaterThan(0);
    } finally {
      await grouped.stop();
    }
  });
});

describe('deletion', () => {
  it('rejection asks for a reason, records it, shows it, and runs nothing', async () => {
    const snap = DEMO.snapshots.legacyFinal;
    await t.command('/snapshot', `delete ${snap} --reason "cleanup"`);
    const req = await requestMessage(snap);
    // What it really frees, measured: its source volume is gone, but the AMI's later snapshot of it still uses most of its blocks.
    expect(textOf(req)).toMatch(/Really frees [\d.]+ (B|KiB|MiB|GiB) \(\$\d+\.\d\d\/month\) of the [\d.]+ GiB it stores itself; snap-[0-9a-f]{17} still uses [\d.]+ GiB of its blocks/);
    const opens = t.slack.callsOf('views.open').length;
    await click(req, APPROVER, 'Reject');
    await t.slack.waitUntil(() => t.slack.callsOf('views.open').length > opens || undefined, 10_000, 'the reason modal');
    const view = JSON.parse(String(t.slack.callsOf('views.open').at(-1)!.args.view));
    const res = await t.sender.submitView({ userId: APPROVER, callbackId: view.callback_id, privateMetadata: view.private_metadata, values: { reason: { value: { type: 'plain_text_input', value: 'still needed for the audit' } } } });
    expect(res.status).toBe(200);
    await t.slack.waitFor((m) => m === req && /Rejected/.test(textOf(m)) && /still needed for the audit/.test(textOf(m)), 10_000, 'rejection on the message');
    expect(countOf('DeleteSnapshot', (p) => p.SnapshotId === snap)).toBe(0);
    expect(t.ec2.state.getSnapshot(R, snap)).toBeDefined();
  });

  it('refuses to request deletion of a snapshot an AMI uses, naming the AMI', async () => {
    const snap = DEMO.snapshots.oldBatchRoot;
    await t.command('/snapshot', `delete ${snap}`);
    const m = await t.slack.waitFor((x) => x.ephemeralFor === REQUESTER && textOf(x).includes(snap) && /ami-[0-9a-f]{17}/.test(textOf(x)), 10_000);
    expect(textOf(m)).toContain('/ami deregister');
  });

  it('refuses AWS Backup-managed snapshots with that reason', async () => {
    await t.command('/snapshot', `delete ${DEMO.snapshots.dbBackupOld}`);
    await t.slack.waitFor((x) => x.ephemeralFor === REQUESTER && /AWS Backup/.test(textOf(x)), 10_000);
  });

  it('an approved deletion deletes once and shows the outcome', async () => {
    const snap = DEMO.snapshots.reportsArchive;
    await t.command('/snapshot', `delete ${snap}`);
    const req = await requestMessage(snap);
    // The card names the resource: its age, its size and what the size measures, where it came from.
    expect(textOf(req)).toMatch(new RegExp(`${snap}: \\d+ days old, 500 GiB volume size, archive tier, from vol-[0-9a-f]+ — FY2023 year-end reports archive`));
    await click(req, APPROVER, 'Approve');
    await t.slack.waitFor((m) => m === req && /deleted/.test(textOf(m)), 15_000);
    expect(t.ec2.state.getSnapshot(R, snap)).toBeUndefined();
    expect(countOf('DeleteSnapshot', (p) => p.SnapshotId === snap)).toBe(1);
  });

  it('/ami deregister --delete-snapshots removes the AMI and its snapshots after approval', async () => {
    const image = t.ec2.state.getImage(R, DEMO.images.legacyApp)!;
    const snaps = image.blockDevices.flatMap((b) => (b.snapshotId ? [b.snapshotId] : []));
    await t.command('/ami', `deregister ${image.id} --delete-snapshots --reason "not launched since spring"`);
    const req = await requestMessage(image.id);
    expect(textOf(req)).toMatch(new RegExp(`“legacy-app-v7” ${image.id}: created \\d+ days ago, last launched \\d+ days ago, 1 snapshot`));
    await click(req, APPROVER_2, 'Approve');
    await t.slack.waitFor((m) => m === req && /deregistered/.test(textOf(m)), 15_000);
    expect(t.ec2.state.getImage(R, image.id)).toBeUndefined();
    for (const s of snaps) expect(t.ec2.state.getSnapshot(R, s)).toBeUndefined();
  });
});

describe('expiry and restarts', () => {
  it('an expired request can no longer be approved, and its message says so', async () => {
    const quick = await startTestBot({ sharedEc2: t.ec2, env: { APPROVAL_TTL_HOURS: '0.0005' }, jobs: true });
    try {
      const snap = DEMO.snapshots.webDataPartnerExport;
      await quick.command('/snapshot', `delete ${snap}`);
      const req = await quick.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && textOf(m).includes(snap) && buttonsOf(m).length === 2, 15_000);
      const approve = buttonsOf(req).find((b) => b.text === 'Approve')!;
      await quick.slack.waitFor((m) => m === req && /Expired/.test(textOf(m)) && buttonsOf(m).length === 0, 15_000, 'the sweep marking it expired');
      await quick.sender.click({ userId: APPROVER, channelId: req.channel, messageTs: req.ts, actionId: approve.actionId, value: approve.value });
      await quick.slack.waitFor((m) => m.ephemeralFor === APPROVER && /expired/.test(textOf(m)), 10_000, 'the refusal');
      expect(countOf('DeleteSnapshot', (p) => p.SnapshotId === snap)).toBe(0);
    } finally {
      await quick.stop();
    }
  });

  it('an approval whose execution a crash interrupted runs exactly once after restart', async () => {
    const first = await startTestBot({ sharedEc2: t.ec2 });
    const table = first.config.dynamodbTable;
    const snap = DEMO.snapshots.dbRootInProgress;
    const id = await (async () => {
      // Record and approve as the bot would, then "crash" before executing.
      const r = await first.bot.deps.store.approvals.create({
        action: { type: 'snapshot.delete', snapshotId: snap },
        region: R,
        requester: { userId: REQUESTER, channelId: CHANNEL },
        risk: { lines: [] },
        decideBy: new Date(Date.now() + 3_600_000),
      });
      await first.bot.deps.store.approvals.decide(r.id, { decision: 'approved', by: APPROVER });
      return r.id;
    })();
    await first.stop();
    const deletesBefore = countOf('DeleteSnapshot', (p) => p.SnapshotId === snap);
    const a = await startTestBot({ sharedEc2: t.ec2, env: { DYNAMODB_TABLE: table }, jobs: true });
    const b = await startTestBot({ sharedEc2: t.ec2, env: { DYNAMODB_TABLE: table }, jobs: true });
    try {
      const done = await waitForStatus(a, id, ['done', 'failed']);
      expect(done).toBe('done');
      await new Promise((r) => setTimeout(r, 500));
      expect(countOf('DeleteSnapshot', (p) => p.SnapshotId === snap) - deletesBefore).toBe(1);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});

describe('DynamoDB unreachable', () => {
  it('answers a clear error to an approval-gated command and runs no AWS action', async () => {
    const down = await startTestBot({ sharedEc2: t.ec2, env: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' } });
    try {
      await down.command('/snapshot', `delete ${DEMO.snapshots.webRootDaily}`);
      const m = await down.slack.waitFor((x) => x.ephemeralFor === REQUESTER && /unreachable/.test(textOf(x)), 20_000);
      expect(textOf(m)).toMatch(/Nothing was requested or changed/);
      expect(down.slack.channel(APPROVAL_CHANNEL)).toEqual([]);
      expect(countOf('DeleteSnapshot', (p) => p.SnapshotId === DEMO.snapshots.webRootDaily)).toBe(0);

      // Everything that needs no approval keeps working.
      await down.command('/snapshot', DEMO.volumes.dbLogs);
      await down.slack.waitFor((x) => textOf(x).includes(DEMO.volumes.dbLogs) && /completed/.test(textOf(x)), 20_000, 'a snapshot without DynamoDB');
    } finally {
      await down.stop();
    }
  });
});

async function waitForStatus(bot: TestBot, id: string, statuses: string[], timeoutMs = 20_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await bot.bot.deps.store.approvals.get(id);
    if (r && statuses.includes(r.status)) return r.status;
    if (Date.now() > end) throw new Error(`request ${id} still ${r?.status}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

describe('App Home', () => {
  it('lists what an approver may decide; Approve there decides and draws the Home tab again without it', async () => {
    const snap = 'snap-0a0e0000000000001';
    t.ec2.state.addSnapshot(R, { id: snap, volumeSizeGiB: 8, startTime: new Date(Date.now() - 400 * 86_400_000) });
    await t.command('/snapshot', `delete ${snap} --reason "from the home tab"`);
    const card = await requestMessage(snap);
    const id = /Request `([0-9A-Z]{26})`/.exec(textOf(card))![1];
    await t.sender.event({ type: 'app_home_opened', user: APPROVER, channel: 'D0HOME', tab: 'home' });
    await t.slack.waitUntil(() => (JSON.stringify(t.slack.homes.get(APPROVER) ?? {}).includes(id) ? true : undefined), 10_000, 'the home tab');
    await t.sender.interaction({
      type: 'block_actions',
      team: { id: 'T0SANDBOX', domain: 'sandbox' },
      user: { id: APPROVER, username: 'approver', name: 'approver', team_id: 'T0SANDBOX' },
      api_app_id: 'A0SNAPBOT',
      token: 'legacy-verification-token-unused',
      container: { type: 'view', view_id: 'VHOME' },
      view: { id: 'VHOME', type: 'home', blocks: [] },
      trigger_id: `${Date.now()}.home`,
      actions: [{ type: 'button', action_id: 'approval_approve', block_id: 'home', value: id, action_ts: `${Date.now() / 1000}` }],
    });
    await t.slack.waitFor((m) => m === card && /deleted/.test(textOf(m)), 15_000, 'the outcome on the card');
    await t.slack.waitUntil(() => (!JSON.stringify(t.slack.homes.get(APPROVER) ?? {}).includes(`"value":"${id}"`) ? true : undefined), 10_000, 'the home tab redrawn');
  });
});
