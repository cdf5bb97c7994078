// Many accounts and regions from one bot: --account, a channel's account (CHANNEL_ACCOUNTS), --region, and a role
// that cannot be assumed — against the sandbox EC2, whose STS hands out a second account's credentials through the
// real AssumeRole flow (the SDK's fromTemporaryCredentials), so every call below is signed as it would be in AWS.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, SANDBOX_ACCOUNT_ID } from '../../src/sandbox/ec2/index.js';
import { buttonsOf, textOf } from '../../src/sandbox/slack/webapi.js';
import { APPROVAL_CHANNEL, APPROVER, CHANNEL, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';

const DEV = '222222222222';
const GONE = '333333333333';
const DEV_CHANNEL = 'C0DEVTEAM';
const DEV_VOLUME = 'vol-0dddddddddddddd01';
const WEST_SNAPSHOT = 'snap-0eeeeeeeeeeeeee01';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({
    ec2: { seed: 'demo', snapshotSeconds: 0.6, imageSeconds: 0.8, accounts: [{ accountId: DEV, externalId: 'snapbot-ext-42' }] },
    env: {
      ACCOUNTS: `dev=${DEV},gone=${GONE}`,
      ASSUME_ROLE_EXTERNAL_ID: 'snapbot-ext-42',
      CHANNEL_ACCOUNTS: `${DEV_CHANNEL}=dev`,
      BURST_LIMIT: '0',
    },
  });
  const dev = t.ec2.service.account(DEV)!;
  dev.addVolume('us-east-1', { id: DEV_VOLUME, availabilityZone: 'us-east-1a', sizeGiB: 8, type: 'gp3', tags: { Name: 'dev-api' } });
  t.ec2.state.addSnapshot('us-west-2', { id: WEST_SNAPSHOT, volumeId: 'vol-0eeeeeeeeeeeeee01', volumeSizeGiB: 16, startTime: new Date(Date.now() - 86_400_000), durationSeconds: 1, description: 'west copy' });
});
afterAll(async () => {
  await t?.stop();
});

const snapshotIdIn = (text: string) => text.match(/snap-[0-9a-f]{17}/)?.[0];

describe('--account', () => {
  it('acts in the named account, through the role it assumes there, and the message says which account', async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', `${DEV_VOLUME} --account dev before the schema change`);
    const done = await t.slack.waitFor(
      (m) => t.slack.messages.indexOf(m) >= mark && m.channel === CHANNEL && /completed/.test(textOf(m)) && textOf(m).includes(DEV_VOLUME),
      20_000,
      'the completed snapshot in dev',
    );
    expect(textOf(done)).toContain(`dev (${DEV})`);
    const id = snapshotIdIn(textOf(done))!;
    expect(t.ec2.service.account(DEV)!.getSnapshot('us-east-1', id)).toBeDefined();
    expect(t.ec2.state.getSnapshot('us-east-1', id)).toBeUndefined();
    // It went through STS with the external ID, and the EC2 calls were signed with the assumed role's keys.
    const assumed = t.ec2.calls.filter((c) => c.action === 'AssumeRole');
    expect(assumed.length).toBeGreaterThan(0);
    expect(assumed[0].params.RoleArn).toBe(`arn:aws:iam::${DEV}:role/snapbot`);
    expect(assumed[0].params.ExternalId).toBe('snapbot-ext-42');
    expect(t.ec2.calls.some((c) => c.action === 'CreateSnapshot' && c.account === DEV)).toBe(true);
  });

  it('in a channel of CHANNEL_ACCOUNTS acts in that channel\'s account without --account', async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', DEV_VOLUME, { channelId: DEV_CHANNEL });
    const done = await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= mark && m.channel === DEV_CHANNEL && /completed/.test(textOf(m)), 20_000, 'the snapshot in dev');
    expect(t.ec2.service.account(DEV)!.getSnapshot('us-east-1', snapshotIdIn(textOf(done))!)).toBeDefined();
  });

  it("answers to snapbot's own account ID too", async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', `list --account ${SANDBOX_ACCOUNT_ID}`);
    const list = await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= mark && m.ephemeralFor === REQUESTER, 15_000, 'the list');
    expect(textOf(list)).toContain(DEMO.volumes.webRoot);
  });

  it('an unknown alias is a private answer naming the accounts there are, and never reaches AWS', async () => {
    const before = t.ec2.calls.length;
    const res = await t.command('/snapshot', `${DEV_VOLUME} --account staging`);
    const body = res.json as { text: string; response_type: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('"staging" is not an account snapbot manages');
    expect(body.text).toContain(`dev (${DEV})`);
    expect(t.ec2.calls.length).toBe(before);
  });

  it('an account ID that is neither managed nor snapbot\'s own is refused before any EC2 call', async () => {
    const mark = t.slack.messages.length;
    const ec2Before = t.ec2.calls.filter((c) => c.action !== 'GetCallerIdentity').length;
    await t.command('/snapshot', `${DEV_VOLUME} --account 444455556666`);
    const m = await t.slack.waitFor((x) => t.slack.messages.indexOf(x) >= mark && x.ephemeralFor === REQUESTER, 15_000, 'the answer');
    expect(textOf(m)).toContain('444455556666 is not an account snapbot manages');
    expect(t.ec2.calls.filter((c) => c.action !== 'GetCallerIdentity').length).toBe(ec2Before);
  });

  it('a role that cannot be assumed is named: which role, which account, where its definition is', async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', `${DEV_VOLUME} --account gone`);
    const m = await t.slack.waitFor((x) => t.slack.messages.indexOf(x) >= mark && /failed/.test(textOf(x)), 20_000, 'the failure');
    expect(textOf(m)).toContain(`snapbot cannot assume snapbot in gone (${GONE}): AccessDenied`);
    expect(textOf(m)).toContain('iam/member-role.json');
  });

  it('an approval made in a member account runs there, and its card says where', async () => {
    const dev = t.ec2.service.account(DEV)!;
    const snap = dev.addSnapshot('us-east-1', { id: 'snap-0dddddddddddddd02', volumeId: DEV_VOLUME, volumeSizeGiB: 8, startTime: new Date(Date.now() - 200 * 86_400_000), durationSeconds: 1 });
    const mark = t.slack.messages.length;
    await t.command('/snapshot', `delete ${snap.id} --account dev --reason old`);
    const card = await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= mark && m.channel === APPROVAL_CHANNEL && textOf(m).includes(snap.id), 15_000, 'the card');
    expect(textOf(card)).toContain(`account ${DEV} · us-east-1`);
    const approve = buttonsOf(card).find((b) => b.text === 'Approve')!;
    await t.sender.click({ userId: APPROVER, channelId: card.channel, messageTs: card.ts, actionId: approve.actionId, value: approve.value, blockId: approve.blockId, text: approve.text });
    await t.slack.waitFor((m) => m === card && /deleted/i.test(textOf(m)), 15_000, 'the outcome');
    expect(dev.getSnapshot('us-east-1', snap.id)).toBeUndefined();
  });
});

describe('--region', () => {
  it('restores in that region', async () => {
    const mark = t.slack.messages.length;
    const res = await t.command('/restore', `${WEST_SNAPSHOT} --region us-west-2 --az us-west-2a`);
    expect(res.text).toBe('');
    const done = await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= mark && m.channel === CHANNEL && /available/.test(textOf(m)), 20_000, 'the volume');
    expect(textOf(done)).toContain('us-west-2');
    const volumeId = textOf(done).match(/vol-[0-9a-f]{17}/)![0];
    expect(t.ec2.state.getVolume('us-west-2', volumeId)?.snapshotId).toBe(WEST_SNAPSHOT);
  });

  it('a zone outside --region is bad input, answered before AWS', async () => {
    const before = t.ec2.calls.length;
    const res = await t.command('/restore', `${WEST_SNAPSHOT} --region us-west-2 --az us-east-1a`);
    const body = res.json as { text: string };
    expect(body.text).toContain('not in --region us-west-2');
    expect(t.ec2.calls.length).toBe(before);
  });
});

describe('the digest across accounts', () => {
  const DEV_ORPHAN = 'snap-0dddddddddddddd03';
  const DEV_PUBLIC = 'snap-0dddddddddddddd04';
  beforeAll(() => {
    const dev = t.ec2.service.account(DEV)!;
    const old = new Date(Date.now() - 400 * 86_400_000);
    dev.addSnapshot('us-east-1', { id: DEV_ORPHAN, volumeId: 'vol-0dddddddddddddd99', volumeSizeGiB: 50, startTime: old, durationSeconds: 1, description: 'dev orphan' });
    dev.addSnapshot('us-east-1', { id: DEV_PUBLIC, volumeId: DEV_VOLUME, volumeSizeGiB: 8, startTime: old, durationSeconds: 1, description: 'dev public', public: true });
  });

  it('npm run digest -- --print covers every account, each in its own section, and names a failing one in a line', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/digest-cli.ts', '--print'], {
      env: {
        ...process.env,
        AWS_ENDPOINT_URL_EC2: t.ec2.url,
        AWS_ENDPOINT_URL_STS: t.ec2.url,
        AWS_ENDPOINT_URL_DLM: t.ec2.url,
        SLACK_BOT_TOKEN: '',
        SLACK_SIGNING_SECRET: '',
        AWS_REGION: 'us-east-1',
        ACCOUNTS: `dev=${DEV},gone=${GONE}`,
        ASSUME_ROLE_EXTERNAL_ID: 'snapbot-ext-42',
      },
      timeout: 60_000,
    });
    const own = stdout.indexOf(`=== Account ${SANDBOX_ACCOUNT_ID} (snapbot's own) ===`);
    const dev = stdout.indexOf(`=== Account dev (${DEV}) ===`);
    const gone = stdout.indexOf(`=== Account gone (${GONE}) ===`);
    expect(own).toBeGreaterThan(0);
    expect(dev).toBeGreaterThan(own);
    // Each finding is in its own account's section.
    expect(stdout.indexOf(DEMO.snapshots.legacyFinal)).toBeGreaterThan(own);
    expect(stdout.indexOf(DEMO.snapshots.legacyFinal)).toBeLessThan(dev);
    expect(stdout.indexOf(DEV_ORPHAN)).toBeGreaterThan(dev);
    expect(stdout.indexOf(DEV_PUBLIC)).toBeGreaterThan(dev);
    // Within the account, the exposure comes first.
    expect(stdout.indexOf(DEV_PUBLIC)).toBeLessThan(stdout.indexOf(DEV_ORPHAN));
    // The account whose role cannot be assumed: one line, and the rest of the digest is there.
    expect(stdout).toContain(`gone (${GONE}): not scanned — snapbot cannot assume snapbot in gone (${GONE}): AccessDenied`);
    expect(gone).toBeGreaterThan(dev);
  });

  it('/snapshot digest in Slack says what each account holds and which account each item is in', async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    const digest = await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= mark && m.channel === CHANNEL && /Accounts/.test(textOf(m)), 30_000, 'the digest');
    const text = textOf(digest);
    expect(text).toContain(`dev (${DEV})*: 1 exposed`);
    expect(text).toMatch(new RegExp(`${DEV_PUBLIC}.*dev \\(${DEV}\\) · us-east-1`, 's'));
    const note = await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= mark && m.threadTs === digest.ts && /not scanned/.test(textOf(m)), 15_000, 'the warning');
    expect(textOf(note)).toContain(`gone (${GONE}): not scanned`);
  });

  it("in a channel of CHANNEL_ACCOUNTS covers that channel's account only", async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'digest', { channelId: DEV_CHANNEL });
    const digest = await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= mark && m.channel === DEV_CHANNEL && /Cost-cleanup digest/.test(textOf(m)), 30_000, 'the digest');
    expect(textOf(digest)).toContain(DEV_PUBLIC);
    expect(textOf(digest)).not.toContain(DEMO.snapshots.legacyFinal);
  });
});

describe('modals where snapbot manages several accounts', () => {
  it('the form has an account picker; its volume picker and its submission follow the account chosen', async () => {
    const before = t.slack.callsOf('views.open').length;
    await t.command('/snapshot', '', { channelId: DEV_CHANNEL });
    await t.slack.waitUntil(() => t.slack.callsOf('views.open').length > before || undefined, 10_000, 'views.open');
    const view = [...t.slack.views.values()].at(-1)!.view as { private_metadata: string; blocks: { block_id?: string; element?: { options?: { value: string }[]; initial_option?: { value: string } } }[] };
    const picker = view.blocks.find((b) => b.block_id === 'account')!;
    expect(picker.element!.options!.map((o) => o.value)).toEqual(['own', DEV, GONE]);
    // Opened in the dev team's channel: preset to dev.
    expect(picker.element!.initial_option!.value).toBe(DEV);

    const chosen = (account: string) => ({ account: { value: { type: 'static_select', selected_option: { value: account } } } });
    const suggested = async (account: string) => {
      const res = await t.sender.suggest({ userId: REQUESTER, actionId: 'volume_pick', blockId: 'volume', value: '', privateMetadata: view.private_metadata, values: chosen(account) });
      return ((res.json?.options ?? []) as { value: string }[]).map((o) => o.value);
    };
    expect(await suggested(DEV)).toEqual([DEV_VOLUME]);
    expect(await suggested('own')).toContain(DEMO.volumes.webRoot);

    const mark = t.slack.messages.length;
    const res = await t.sender.submitView({
      userId: REQUESTER,
      callbackId: 'snapshot_create',
      privateMetadata: view.private_metadata,
      values: { ...chosen(DEV), volume: { volume_pick: { type: 'external_select', selected_option: { value: DEV_VOLUME } } } },
    });
    expect(res.status).toBe(200);
    const done = await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= mark && /completed/.test(textOf(m)) && textOf(m).includes(DEV_VOLUME), 20_000, 'the snapshot');
    expect(t.ec2.service.account(DEV)!.getSnapshot('us-east-1', snapshotIdIn(textOf(done))!)).toBeDefined();
  });
});

describe('lookups repeated within a minute', () => {
  it("a picker's keystrokes read EC2 once, and a volume snapbot just made shows at once", async () => {
    const pick = (value: string) => t.sender.suggest({ userId: REQUESTER, actionId: 'volume_pick', blockId: 'volume', value });
    const reads = () => t.ec2.calls.filter((c) => c.action === 'DescribeVolumes' && !c.account?.startsWith('2')).length;
    await pick('');
    const before = reads();
    for (const q of ['w', 'we', 'web', 'web-']) await pick(q);
    expect(reads()).toBe(before);

    const mark = t.slack.messages.length;
    await t.command('/restore', `${DEMO.snapshots.webRootDaily} --az us-east-1b`);
    const done = await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= mark && m.channel === CHANNEL && /available/.test(textOf(m)), 20_000, 'the volume');
    const made = textOf(done).match(/vol-[0-9a-f]{17}/)![0];
    const res = await pick(made);
    expect(((res.json?.options ?? []) as { value: string }[]).map((o) => o.value)).toEqual([made]);
  });
});

describe('the audit says where', () => {
  it("an entry made in a member account names the account and region", async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', `${DEV_VOLUME} --account dev for the audit`);
    const done = await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= mark && m.channel === CHANNEL && /completed/.test(textOf(m)), 20_000, 'the snapshot');
    const id = snapshotIdIn(textOf(done))!;
    await t.slack.waitUntil(async () => (await t.bot.deps.store.audit.list(id)).length > 0 || undefined, 10_000, 'the audit entry');
    const before = t.slack.messages.length;
    await t.command('/snapshot', `audit ${id}`);
    const audit = await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= before && m.ephemeralFor === REQUESTER && textOf(m).includes('History of'), 15_000, 'the audit');
    expect(textOf(audit)).toContain(`in ${DEV} · us-east-1`);
  });
});

describe('sharing with a managed account', () => {
  it('is done at once, as with an allowed account: the accounts of ACCOUNTS are allow-listed', async () => {
    const snap = DEMO.snapshots.webRootBeforeUpgrade;
    const mark = t.slack.messages.length;
    await t.command('/share', `${snap} ${DEV}`);
    await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= mark && textOf(m).includes(snap) && textOf(m).includes(DEV), 15_000, 'the answer');
    await t.slack.waitUntil(() => t.ec2.state.getSnapshot('us-east-1', snap)?.sharedWith.includes(DEV) || undefined, 10_000, 'the share');
    expect(t.slack.messages.slice(mark).some((m) => m.channel === APPROVAL_CHANNEL)).toBe(false);
  });
});

describe('a question asked in a member account', () => {
  it('the reboot question remembers the account: the AMI is made there', async () => {
    const dev = t.ec2.service.account(DEV)!;
    const instance = dev.addInstance('us-east-1', { availabilityZone: 'us-east-1a', type: 't3.small', tags: { Name: 'dev-web' } });
    const mark = t.slack.messages.length;
    await t.command('/ami', `create ${instance.id} dev-web-golden --account dev`);
    const question = await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= mark && m.ephemeralFor === REQUESTER && /is running/.test(textOf(m)), 15_000, 'the question');
    const b = buttonsOf(question).find((x) => x.text === 'Create without reboot')!;
    await t.sender.click({ userId: REQUESTER, channelId: question.channel, messageTs: question.ts, actionId: b.actionId, value: b.value, blockId: b.blockId, text: b.text });
    await t.slack.waitFor((m) => t.slack.messages.indexOf(m) >= mark && m.channel === CHANNEL && /available/.test(textOf(m)), 20_000, 'the AMI');
    expect([...dev.region('us-east-1').images.values()].some((i) => i.name === 'dev-web-golden')).toBe(true);
    expect([...t.ec2.state.region('us-east-1').images.values()].some((i) => i.name === 'dev-web-golden')).toBe(false);
  });
});
