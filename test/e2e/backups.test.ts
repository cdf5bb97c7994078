// Backup automation end to end, through signed Slack requests: schedules (Data Lifecycle Manager), the Recycle Bin,
// locks, deregistration protection, the archive tier, temporary snapshots and the digest's backup sections.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expiryDay } from '../../src/core/expiry.js';
import { DEMO } from '../../src/sandbox/ec2/index.js';
import { buttonsOf, textOf, type WorkspaceMessage } from '../../src/sandbox/slack/webapi.js';
import { requestExpiredDeletions } from '../../src/usecases/expiring.js';
import { APPROVAL_CHANNEL, APPROVER, CHANNEL, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';

const R = 'us-east-1';
let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ env: { BURST_LIMIT: '0' } });
});
afterAll(async () => {
  await t?.stop();
});

const calls = (prefix: string) => t.ec2.calls.filter((c) => c.action.startsWith(prefix)).length;
const privately = (pred: RegExp, what: string) => t.slack.waitFor((m) => m.ephemeralFor === REQUESTER && pred.test(textOf(m)), 15_000, what);
const inChannel = (pred: RegExp, what: string) => t.slack.waitFor((m) => m.channel === CHANNEL && !m.ephemeralFor && pred.test(textOf(m)), 15_000, what);

async function requestCard(id: string): Promise<WorkspaceMessage> {
  return t.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && textOf(m).includes(id) && buttonsOf(m).length === 2, 15_000, `the approval request for ${id}`);
}

async function approve(card: WorkspaceMessage, done: RegExp): Promise<void> {
  const b = buttonsOf(card).find((x) => x.text === 'Approve')!;
  await t.sender.click({ userId: APPROVER, channelId: card.channel, messageTs: card.ts, actionId: b.actionId, value: b.value, blockId: b.blockId, text: b.text });
  await t.slack.waitFor((m) => m === card && done.test(textOf(m)), 15_000, 'the outcome on the card');
}

const policies = () => [...t.ec2.state.region(R).dlmPolicies.values()];

describe('backup schedules', () => {
  it('/snapshot schedule creates a DLM policy that targets the volume by a tag of its own, and says when it runs', async () => {
    const vol = DEMO.volumes.web2Root;
    await t.command('/snapshot', `schedule ${vol} --every 24h --at 02:00 --keep 7 --copy-to eu-west-1 --name web2-daily`);
    const m = await inChannel(/scheduled backups/, 'the schedule announcement');
    const policy = policies().find((p) => p.tags['snapbot:schedule-name'] === 'web2-daily')!;
    expect(policy).toBeDefined();
    expect(textOf(m)).toContain(policy.id);
    expect(textOf(m)).toMatch(/next run between 02:00 and 03:00 UTC on \d{4}-\d{2}-\d{2}/);
    expect(textOf(m)).toMatch(/encrypted copy in eu-west-1, kept 7 days/);
    expect(policy.details.TargetTags).toEqual([{ Key: 'snapbot:schedule:web2-daily', Value: 'true' }]);
    expect(policy.details.Schedules?.[0]).toMatchObject({
      CreateRule: { Interval: 24, IntervalUnit: 'HOURS', Times: ['02:00'] },
      RetainRule: { Count: 7 },
      CrossRegionCopyRules: [{ TargetRegion: 'eu-west-1', Encrypted: true, RetainRule: { Interval: 7, IntervalUnit: 'DAYS' } }],
    });
    expect(policy.executionRoleArn).toBe(`arn:aws:iam::${t.ec2.state.accountId}:role/AWSDataLifecycleManagerDefaultRole`);
    expect(t.ec2.state.getVolume(R, vol)!.tags['snapbot:schedule:web2-daily']).toBe('true');
    expect(policy.tags['snapbot:requested-by']).toBe(REQUESTER);
  });

  it('/snapshot schedules lists snapbot’s and others’ policies with targets, retention, state and next run', async () => {
    await t.command('/snapshot', 'schedules');
    const m = await privately(/Backup schedules in us-east-1/, 'the schedule list');
    const text = textOf(m);
    expect(text).toContain('web2-daily');
    expect(text).toContain(DEMO.volumes.web2Root);
    expect(text).toContain(DEMO.dlmPolicyId);
    expect(text).toMatch(/not snapbot's/);
    expect(text).toContain(DEMO.volumes.dbLogs);
    expect(text).toMatch(/keeps the newest 7/);
    expect(text).toMatch(/next run between/);
  });

  it('a tag that matches no volume is refused before DLM is asked, with the way to create it anyway', async () => {
    const before = calls('dlm:POST');
    await t.command('/snapshot', 'schedule tag:Team=nobody --every 12h --keep 3');
    const m = await privately(/no volume in us-east-1 has the tag Team=nobody/, 'the empty-target refusal');
    expect(textOf(m)).toContain('--create-anyway');
    expect(calls('dlm:POST')).toBe(before);
    await t.command('/snapshot', 'schedule tag:Team=nobody --every 12h --keep 3 --create-anyway');
    await inChannel(/volumes tagged Team=nobody \(0 now\)/, 'the schedule created anyway');
  });

  it('bad input never reaches AWS: an interval DLM lacks, retention out of range', async () => {
    const before = t.ec2.calls.length;
    const interval = await t.command('/snapshot', `schedule ${DEMO.volumes.webRoot} --every 5h --keep 7`);
    expect(interval.json?.response_type).toBe('ephemeral');
    expect(String(interval.json?.text)).toMatch(/"5h" is not an interval Data Lifecycle Manager supports: use 1h, 2h, 3h, 4h, 6h, 8h, 12h, 24h/);
    const retention = await t.command('/snapshot', `schedule ${DEMO.volumes.webRoot} --every 24h --keep 5000`);
    expect(String(retention.json?.text)).toMatch(/--keep must be a whole number from 1 to 1000/);
    expect(t.ec2.calls.length).toBe(before);
  });

  it('pausing is an approval request; once approved the policy is disabled; resuming is at once', async () => {
    await t.command('/snapshot', 'schedule pause web2-daily --reason maintenance window');
    const policy = policies().find((p) => p.tags['snapbot:schedule-name'] === 'web2-daily')!;
    const card = await requestCard(policy.id);
    expect(textOf(card)).toMatch(/stops its backups/);
    expect(textOf(card)).toContain(DEMO.volumes.web2Root);
    expect(policy.state).toBe('ENABLED');
    await approve(card, /is paused: no new backups/);
    expect(policy.state).toBe('DISABLED');
    await t.command('/snapshot', 'schedule resume web2-daily');
    await inChannel(/resumed the backup schedule/, 'the resume announcement');
    expect(policy.state).toBe('ENABLED');
  });

  it('unschedule removes the policy after approval and keeps its snapshots', async () => {
    const policy = policies().find((p) => p.tags['snapbot:schedule-name'] === 'web2-daily')!;
    await t.command('/snapshot', `unschedule ${policy.id} --reason moved to AWS Backup`);
    await approve(await requestCard(policy.id), /is removed; the snapshots it made are kept/);
    expect(policies().some((p) => p.id === policy.id)).toBe(false);
  });

  it('a missing execution role is explained: which role, in which account, and how to create it', async () => {
    const other = await startTestBot({ sharedEc2: t.ec2, sharedSlack: t.slack, env: { DLM_ROLE_NAME: 'snapbot-dlm', BURST_LIMIT: '0' } });
    try {
      await other.command('/snapshot', `schedule ${DEMO.volumes.buildRoot} --every 24h --keep 3`);
      const m = await privately(/execution role snapbot-dlm does not exist/, 'the missing-role answer');
      expect(textOf(m)).toContain(t.ec2.state.accountId);
      expect(textOf(m)).toContain('AWSDataLifecycleManagerServiceRole');
    } finally {
      await other.stop();
    }
  });
});

describe('schedule failures in words', () => {
  it('the default role missing: the one command that creates it', async () => {
    t.ec2.state.iamRoles.delete('AWSDataLifecycleManagerDefaultRole');
    try {
      await t.command('/snapshot', `schedule ${DEMO.volumes.buildRoot} --every 24h --keep 3 --name build-daily`);
      const m = await privately(/execution role AWSDataLifecycleManagerDefaultRole does not exist/, 'the missing-role answer');
      expect(textOf(m)).toContain('aws dlm create-default-role --resource-type snapshot');
      expect(policies().some((p) => p.tags['snapbot:schedule-name'] === 'build-daily')).toBe(false);
      expect(t.ec2.state.getVolume(R, DEMO.volumes.buildRoot)!.tags['snapbot:schedule:build-daily']).toBeUndefined();
    } finally {
      t.ec2.state.iamRoles.add('AWSDataLifecycleManagerDefaultRole');
    }
  });

  it('a region at DLM’s policy limit is told so before anything is created', async () => {
    const r = t.ec2.state.region(R);
    const added: string[] = [];
    for (let i = r.dlmPolicies.size; i < 100; i++) {
      const id = `policy-${String(i).padStart(17, '0')}`;
      added.push(id);
      r.dlmPolicies.set(id, { ...policies()[0], id, tags: {} });
    }
    try {
      await t.command('/snapshot', `schedule ${DEMO.volumes.buildRoot} --every 24h --keep 3 --name one-too-many`);
      await privately(/already has 100 lifecycle policies, Data Lifecycle Manager's limit per region/, 'the limit answer');
    } finally {
      for (const id of added) r.dlmPolicies.delete(id);
    }
  });

  it('a name already taken is refused, naming the policy that has it', async () => {
    await t.command('/snapshot', `schedule ${DEMO.volumes.buildRoot} --every 24h --keep 3 --name taken-name`);
    await inChannel(/taken-name/, 'the first schedule');
    await t.command('/snapshot', `schedule ${DEMO.volumes.webData} --every 12h --keep 3 --name taken-name`);
    await privately(/A schedule named “taken-name” already exists \(policy-[0-9a-f]{17}\)/, 'the name refusal');
  });
});

describe('Recycle Bin', () => {
  it('a deletion card says until when the Recycle Bin keeps it; a deleted snapshot is listed and undeleted', async () => {
    const snap = DEMO.snapshots.legacyFinal;
    await t.command('/snapshot', `delete ${snap}`);
    const card = await requestCard(snap);
    expect(textOf(card)).toMatch(/Recoverable from the Recycle Bin until \d{4}-\d{2}-\d{2} \(rule demo-snapshots/);
    await approve(card, new RegExp(`${snap} deleted\\.`));
    expect(t.ec2.state.getSnapshot(R, snap)).toBeUndefined();

    await t.command('/snapshot', 'recycle-bin');
    const bin = await privately(/Recycle Bin in us-east-1 holds/, 'the Recycle Bin listing');
    expect(textOf(bin)).toContain(snap);
    expect(textOf(bin)).toMatch(/restorable until/);
    expect(textOf(bin)).toMatch(/kept 7 days — rule demo-snapshots/);

    await t.command('/snapshot', `undelete ${snap}`);
    await inChannel(new RegExp(`restored snapshot ${snap} from the Recycle Bin`), 'the undelete announcement');
    expect(t.ec2.state.getSnapshot(R, snap)).toBeDefined();
  });

  it('undeleting what the bin does not hold says why, and nothing is restored', async () => {
    await t.command('/snapshot', `undelete ${DEMO.snapshots.webRootDaily}`);
    await privately(/is not deleted: it is still in us-east-1/, 'the not-deleted answer');
    await t.command('/snapshot', 'undelete snap-0000000000000000f');
    await privately(/is not in the Recycle Bin in us-east-1/, 'the gone answer');
  });

  it('a card says "permanent" where no rule covers the resource', async () => {
    t.ec2.state.region(R).rbinRules.delete('demo-snapshots');
    // A bot that has not read the rules yet (they are kept five minutes).
    const other = await startTestBot({ sharedEc2: t.ec2, sharedSlack: t.slack, env: { BURST_LIMIT: '0' } });
    try {
      await other.command('/snapshot', `delete ${DEMO.snapshots.legacyFinal}`);
      const card = await requestCard(DEMO.snapshots.legacyFinal);
      expect(textOf(card)).toMatch(/Permanent: no Recycle Bin rule covers it/);
    } finally {
      await other.stop();
      t.ec2.state.region(R).rbinRules.set('demo-snapshots', { id: 'demo-snapshots', arn: 'arn:aws:rbin:us-east-1:123456789012:rule/demo-snapshots', resourceType: 'EBS_SNAPSHOT', description: 'all snapshots, 7 days', retentionDays: 7, resourceTags: [], excludeTags: [], tags: {} });
    }
  });
});

describe('locks and protection', () => {
  it('a governance lock is set at once and stops deletion requests before any approval; unlocking is an approval', async () => {
    const snap = DEMO.snapshots.webDataQuarterly;
    await t.command('/snapshot', `lock ${snap} --days 30`);
    await inChannel(/locked .* in governance mode for 30 days/, 'the lock announcement');
    expect(t.ec2.state.getSnapshot(R, snap)!.lock?.mode).toBe('governance');
    await t.command('/snapshot', `delete ${snap}`);
    await privately(/locked in governance mode until \d{4}-\d{2}-\d{2}/, 'the locked refusal');
    await t.command('/snapshot', `unlock ${snap}`);
    await approve(await requestCard(snap), new RegExp(`${snap} is unlocked\\.`));
    expect(t.ec2.state.getSnapshot(R, snap)!.lock).toBeUndefined();
  });

  it('a compliance lock goes to an approver first', async () => {
    const snap = DEMO.snapshots.webRootBeforeUpgrade;
    await t.command('/snapshot', `lock ${snap} --days 7 --compliance --reason audit hold`);
    const card = await requestCard(snap);
    expect(textOf(card)).toMatch(/nobody — not snapbot, not an admin, not the account's root/);
    expect(t.ec2.state.getSnapshot(R, snap)!.lock).toBeUndefined();
    await approve(card, new RegExp(`${snap} is locked in compliance mode`));
    expect(t.ec2.state.getSnapshot(R, snap)!.lock?.mode).toBe('compliance');
  });

  it('/ami protect is at once and blocks deregistration requests; /ami unprotect is an approval', async () => {
    const image = DEMO.images.legacyApp;
    await t.command('/ami', `protect ${image}`);
    await inChannel(/turned deregistration protection on/, 'the protect announcement');
    await t.command('/ami', `deregister ${image}`);
    await privately(/has deregistration protection on/, 'the protected refusal');
    await t.command('/ami', `unprotect ${image}`);
    await approve(await requestCard(image), new RegExp(`${image} has deregistration protection off`));
    expect(t.ec2.state.getImage(R, image)!.deregistrationProtection).toBeUndefined();
  });
});

describe('archive and temporary snapshots', () => {
  it('/snapshot archive moves the snapshot to the archive tier and says what that costs', async () => {
    const snap = DEMO.snapshots.webDataPartnerExport;
    await t.command('/snapshot', `archive ${snap}`);
    const m = await inChannel(/moving .* to the archive tier/, 'the archive announcement');
    expect(textOf(m)).toMatch(/at least 90 days/);
    expect(textOf(m)).toMatch(/stored in full/);
    expect(t.ec2.state.getSnapshot(R, snap)!.storageTier).toBe('archive');
    await t.command('/snapshot', `unarchive ${snap} --days 3`);
    await inChannel(/restoring .* from the archive for 3 days/, 'the unarchive announcement');
    expect(t.ec2.state.getSnapshot(R, snap)!.storageTier).toBe('standard');
  });

  it('--expires-in 7d tags the day a week from today; on that day the job asks for its deletion, once', async () => {
    const vol = DEMO.volumes.buildRoot;
    await t.command('/snapshot', `${vol} --expires-in 7d before the runner upgrade`);
    await inChannel(/temporary: its deletion is requested on/, 'the temporary snapshot message');
    const snap = await t.slack.waitUntil(() => [...t.ec2.state.region(R).snapshots.values()].find((s) => s.volumeId === vol && s.tags['snapbot:expires']), 10_000, 'the snapshot');
    expect(snap.tags['snapbot:expires']).toBe(expiryDay(new Date(), 7, 'UTC'));
    expect(snap.description).toBe('before the runner upgrade');

    // The day comes (as if a week passed): the job opens the request with the creator as requester, once.
    snap.tags['snapbot:expires'] = new Date().toISOString().slice(0, 10);
    await t.slack.waitUntil(() => t.ec2.state.snapshotState(snap) === 'completed' || undefined, 10_000, 'the snapshot completed');
    expect(await requestExpiredDeletions(t.bot.deps)).toBe(1);
    const card = await requestCard(snap.id);
    expect(textOf(card)).toContain(`<@${REQUESTER}>`);
    expect(textOf(card)).toMatch(/temporary snapshot/);
    expect(await requestExpiredDeletions(t.bot.deps)).toBe(0);

    // Nobody decided: the request expires. A week after it was made, the job asks again — once.
    const day = 86_400_000;
    await t.bot.deps.store.approvals.expireDue(new Date(Date.now() + 2 * day));
    const later = (days: number) => ({ ...t.bot.deps, now: () => new Date(Date.now() + days * day) });
    expect(await requestExpiredDeletions(later(3))).toBe(0);
    expect(await requestExpiredDeletions(later(8))).toBe(1);
    expect(await requestExpiredDeletions(later(8))).toBe(0);
  });
});

describe('the digest’s Backups part', () => {
  it('lists in-use volumes that missed the objective, names a schedule that stopped producing, never a volume made minutes ago; Schedule daily backups opens the form filled in', async () => {
    const weekAgo = new Date(Date.now() - 7 * 86_400_000);
    // A data volume attached last week and never snapshotted; one attached a minute ago; one whose schedule is paused.
    const unprotected = t.ec2.state.addVolume(R, { sizeGiB: 50, availabilityZone: 'us-east-1b', tags: { Name: 'web-2-uploads' }, createTime: weekAgo });
    t.ec2.state.attachVolume(R, unprotected.id, DEMO.instances.web2, '/dev/sdh');
    const fresh = t.ec2.state.addVolume(R, { sizeGiB: 8, availabilityZone: 'us-east-1b', tags: { Name: 'just-restored' } });
    t.ec2.state.attachVolume(R, fresh.id, DEMO.instances.web2, '/dev/sdi');
    const stalled = t.ec2.state.addVolume(R, { sizeGiB: 30, availabilityZone: 'us-east-1b', tags: { Name: 'web-2-cache', Backup: 'cache-nightly' }, createTime: weekAgo });
    t.ec2.state.attachVolume(R, stalled.id, DEMO.instances.web2, '/dev/sdj');
    await t.command('/snapshot', 'schedule tag:Backup=cache-nightly --every 24h --keep 7 --name cache-nightly');
    await t.slack.waitFor((m) => /scheduled backups of/.test(textOf(m)) && textOf(m).includes('cache-nightly'), 15_000, 'the schedule');
    const policyId = (await t.bot.deps.dlm.listPolicies(R)).find((p) => p.tags['snapbot:schedule-name'] === 'cache-nightly')!.id;
    await t.bot.deps.dlm.setState(R, policyId, 'DISABLED');
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    const d = await t.slack.waitFor((m) => m.channel === CHANNEL && /Cost-cleanup digest/.test(m.text) && t.slack.messages.indexOf(m) >= mark, 30_000, 'a digest');
    const text = textOf(d);
    expect(text).toMatch(/Backups/);
    expect(text).toMatch(/volumes? in use; \d+ with a snapshot within 24 h/);
    // Backed up by AWS Backup or by a lifecycle policy: no new schedule offered.
    for (const covered of [DEMO.volumes.dbData, DEMO.volumes.dbLogs]) {
      expect(buttonsOf(d).some((b) => b.text === 'Schedule daily backups' && (b.value ?? '').includes(covered))).toBe(false);
    }
    expect(text).toMatch(/web-2-uploads/);
    expect(text).toMatch(/never backed up/);
    expect(text).not.toContain(fresh.id);
    expect(text).toMatch(new RegExp(`${stalled.id}[\\s\\S]*schedule “cache-nightly” \\(${policyId}\\) is not producing: disabled`));
    const schedule = buttonsOf(d).find((b) => b.text === 'Schedule daily backups' && (b.value ?? '').includes(unprotected.id))!;
    expect(schedule).toBeDefined();
    const volumeId = unprotected.id;
    const before = t.slack.views.size;
    await t.sender.click({ userId: REQUESTER, channelId: CHANNEL, messageTs: d.ts, actionId: schedule.actionId, value: schedule.value, blockId: schedule.blockId, text: schedule.text });
    await t.slack.waitFor(() => t.slack.views.size > before, 10_000).catch(() => undefined);
    const view = [...t.slack.views.values()].at(-1)!.view as { callback_id: string; blocks: { block_id: string; element?: { initial_value?: string } }[] };
    expect(view.callback_id).toBe('snapshot_schedule');
    expect(view.blocks.find((b) => b.block_id === 'target')?.element?.initial_value).toBe(volumeId);
    expect(d.blocks!.length).toBeLessThanOrEqual(50);

    // Snapshot now makes the missing recovery point, as /snapshot vol-… would.
    const now = buttonsOf(d).find((b) => b.text === 'Snapshot now' && (b.value ?? '').includes(stalled.id))!;
    expect(now).toBeDefined();
    const made = () => t.ec2.calls.filter((c) => c.action === 'CreateSnapshot' && c.params.VolumeId === stalled.id).length;
    await t.sender.click({ userId: REQUESTER, channelId: CHANNEL, messageTs: d.ts, actionId: now.actionId, value: now.value, blockId: now.blockId, text: now.text });
    await t.slack.waitUntil(() => (made() === 1 ? true : undefined), 15_000, 'the snapshot');
  });
});
