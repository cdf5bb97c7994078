// Who may do what, end to end as Slack drives it: signed requests in, users.info answered by the fake Slack, the
// sandbox EC2 behind the real SDK. Refusals are private, say why, and nothing reaches AWS or the store.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/ec2/index.js';
import { buttonsOf, textOf, type WorkspaceMessage } from '../../src/sandbox/slack/webapi.js';
import { APPROVAL_CHANNEL, APPROVER, CHANNEL, OUTSIDER, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';

const R = 'us-east-1';
const GUEST = 'U0GUEST';
const GUEST_APPROVER = 'U0GUESTAPPROVER';
const STRANGER = 'U0STRANGER';
const OTHER_TEAM = 'U0OTHERTEAM';
const GONE = 'U0DEACTIVATED';
const BOT_USER = 'U0SOMEBOT';
const GROUP_OPERATOR = 'U0GROUPOP';
const OTHER_CHANNEL = 'C0RANDOM';

/** A pino logger whose JSON lines land in `lines`. */
function capturingLogger(level: string, lines: Record<string, unknown>[]) {
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return pino({ level }, sink);
}

let t: TestBot;
const logLines: Record<string, unknown>[] = [];
beforeAll(async () => {
  t = await startTestBot({
    env: {
      OPERATORS: `${REQUESTER},${APPROVER},${GUEST},${STRANGER},${OTHER_TEAM},${GONE},${BOT_USER},S0OPERATORS`,
      APPROVERS: `${APPROVER},${GUEST_APPROVER}`,
      COMMAND_CHANNELS: `${CHANNEL},${APPROVAL_CHANNEL}`,
      LOG_LEVEL: 'info',
    },
    logger: capturingLogger('info', logLines),
  });
  t.slack.users.set(GUEST, { is_restricted: true });
  t.slack.users.set(GUEST_APPROVER, { is_ultra_restricted: true });
  t.slack.users.set(STRANGER, { is_stranger: true, team_id: 'T0PARTNER' });
  t.slack.users.set(OTHER_TEAM, { team_id: 'T0ELSEWHERE' });
  t.slack.users.set(GONE, { deleted: true });
  t.slack.users.set(BOT_USER, { is_bot: true });
  t.slack.userGroups.set('S0OPERATORS', [GROUP_OPERATOR]);
});
afterAll(async () => {
  await t?.stop();
});

const ec2Calls = (action: string, volumeId?: string) =>
  t.ec2.calls.filter((c) => c.action === action && (volumeId === undefined || c.params.VolumeId === volumeId)).length;
const privatelyTo = (user: string, pattern: RegExp, what: string, timeoutMs = 15_000) =>
  t.slack.waitFor((m) => m.ephemeralFor === user && pattern.test(textOf(m)), timeoutMs, what);

function click(m: WorkspaceMessage, userId: string, label: string, channelId = m.channel) {
  const b = buttonsOf(m).find((x) => x.text === label || x.text.startsWith(label));
  if (!b) throw new Error(`no button "${label}" in: ${textOf(m)}`);
  return t.sender.click({ userId, channelId, messageTs: m.ts, actionId: b.actionId, value: b.value, blockId: b.blockId, text: b.text });
}

describe('people who may change nothing', () => {
  it.each([
    [GUEST, /Guests can't change AWS/],
    [STRANGER, /another organization \(Slack Connect\)/],
    [OTHER_TEAM, /another organization \(Slack Connect\)/],
    [GONE, /Deactivated accounts/],
    [BOT_USER, /Bots and apps/],
  ])('%s is refused privately, even though listed as an operator, and nothing reaches AWS', async (user, why) => {
    const before = { snapshots: ec2Calls('CreateSnapshot'), all: t.ec2.calls.length };
    const res = await t.command('/snapshot', `${DEMO.volumes.webData} before the upgrade`, { userId: user });
    expect(res.status).toBe(200);
    const m = await privatelyTo(user, why, `the refusal for ${user}`);
    expect(textOf(m)).toMatch(/Not allowed/);
    expect(textOf(m)).not.toMatch(/OPERATORS|APPROVERS/);
    expect(ec2Calls('CreateSnapshot')).toBe(before.snapshots);
    expect(t.ec2.calls.length).toBe(before.all);
  });

  it('a guest may not even ask for a deletion, and no request is recorded', async () => {
    await t.command('/snapshot', `delete ${DEMO.snapshots.legacyFinal} --reason "guest cleanup"`, { userId: GUEST });
    await privatelyTo(GUEST, /Guests can't/, 'the refusal');
    const mine = await t.bot.deps.store.approvals.listByRequester(GUEST);
    expect(mine).toEqual([]);
    expect(t.slack.channel(APPROVAL_CHANNEL).some((m) => textOf(m).includes('guest cleanup'))).toBe(false);
  });

  it('when Slack cannot say who someone is, a change is refused with "could not check who you are"', async () => {
    // A Slack error answer (not an HTTP failure) is not retried: one lookup, one failure.
    t.slack.failNext('users.info', 'internal_error', 1);
    const before = t.ec2.calls.length;
    await t.command('/snapshot', `${DEMO.volumes.webData}`, { userId: 'U0NOTCACHED' });
    await privatelyTo('U0NOTCACHED', /could not check who you are with Slack \(Slack answered internal_error\)/, 'could not check');
    expect(t.ec2.calls.length).toBe(before);
  });
});

describe('operators', () => {
  it('a full member who is not an operator is refused a change, but /snapshot list works for them', async () => {
    const before = ec2Calls('CreateSnapshot');
    await t.command('/snapshot', DEMO.volumes.webData, { userId: OUTSIDER });
    const m = await privatelyTo(OUTSIDER, /Only snapbot's operators can change AWS/, 'the non-operator refusal');
    expect(textOf(m)).toContain(`<@${REQUESTER}>`);
    expect(textOf(m)).toContain('<!subteam^S0OPERATORS>');
    expect(ec2Calls('CreateSnapshot')).toBe(before);

    await t.command('/snapshot', 'list', { userId: OUTSIDER });
    await privatelyTo(OUTSIDER, /snapshots? in this account/, 'the list');
  });

  it('a member of a user group in OPERATORS may change AWS', async () => {
    await t.command('/snapshot', `${DEMO.volumes.dbLogs} by a group operator`, { userId: GROUP_OPERATOR });
    await t.slack.waitFor((m) => m.channel === CHANNEL && textOf(m).includes(`Snapshot of ${DEMO.volumes.dbLogs}`), 15_000, 'the progress message');
  });

  it('a changing command outside COMMAND_CHANNELS is refused, naming where it is accepted; read-only works there', async () => {
    const before = ec2Calls('CreateSnapshot', DEMO.volumes.webData);
    await t.command('/snapshot', DEMO.volumes.webData, { channelId: OTHER_CHANNEL });
    const m = await privatelyTo(REQUESTER, /accepted only in <#C0DEVOPS>, <#C0APPROVALS>/, 'the channel refusal');
    expect(m.channel).toBe(OTHER_CHANNEL);
    expect(ec2Calls('CreateSnapshot', DEMO.volumes.webData)).toBe(before);
    await t.command('/ami', 'list', { channelId: OTHER_CHANNEL });
    await t.slack.waitFor((x) => x.channel === OTHER_CHANNEL && x.ephemeralFor === REQUESTER && /AMIs? in us-east-1/.test(textOf(x)), 15_000, 'the AMI list');
  });

  it('logs every refusal and every action as one JSON line: who, channel, command, resources, decision, outcome', async () => {
    const refused = logLines.find((l) => l.user === OUTSIDER && l.command === 'snapshot.create' && l.decision === 'refuse');
    expect(refused).toMatchObject({ channel: CHANNEL, resources: [DEMO.volumes.webData], rule: 'not-operator', outcome: 'refused' });
    const allowed = logLines.find((l) => l.user === GROUP_OPERATOR && l.command === 'snapshot.create' && l.decision === 'allow');
    expect(allowed).toMatchObject({ channel: CHANNEL, resources: [DEMO.volumes.dbLogs] });
  });
});

describe('approvers', () => {
  it('a guest in APPROVERS cannot approve; a full-member approver can', async () => {
    const snap = DEMO.snapshots.buildRootStale;
    await t.command('/snapshot', `delete ${snap} --reason "old build"`);
    const card = await t.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && textOf(m).includes(snap) && buttonsOf(m).some((b) => b.text === 'Approve'), 15_000, 'the card');
    await click(card, GUEST_APPROVER, 'Approve');
    await privatelyTo(GUEST_APPROVER, /Guests can't decide requests/, 'the guest approver refusal');
    expect(t.ec2.state.getSnapshot(R, snap)).toBeDefined();
    expect(ec2Calls('DeleteSnapshot')).toBe(0);

    await click(card, APPROVER, 'Approve');
    await t.slack.waitFor((m) => m === card && /deleted/.test(textOf(m)), 15_000, 'the outcome on the card');
    expect(t.ec2.state.getSnapshot(R, snap)).toBeUndefined();
    // The refused click is in the resource's history.
    const history = await t.bot.deps.store.audit.list(snap);
    expect(history.some((e) => e.event === 'refused' && e.actor === GUEST_APPROVER)).toBe(true);
  });

  it('Approve on a deletion asks Slack to confirm first', async () => {
    await t.command('/snapshot', `delete ${DEMO.snapshots.reportsArchive}`);
    const card = await t.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && textOf(m).includes(DEMO.snapshots.reportsArchive) && buttonsOf(m).length > 0, 15_000, 'the card');
    const approve = (card.blocks as { type: string; elements?: { action_id?: string; confirm?: { title: { text: string } } }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === 'approval_approve');
    expect(approve?.confirm?.title.text).toBe('Delete for good?');
  });
});

describe('the reboot question', () => {
  it('/ami create on a running instance creates nothing until the reboot is confirmed by a click, once', async () => {
    const before = ec2Calls('CreateImage');
    await t.command('/ami', `create ${DEMO.instances.web1} web-1-confirmed`);
    const q = await privatelyTo(REQUESTER, /web-1 \(i-[0-9a-f]+\) is running/, 'the reboot question');
    expect(buttonsOf(q).map((b) => b.text)).toEqual(['Reboot web-1 and create', 'Create without reboot']);
    await new Promise((r) => setTimeout(r, 300));
    expect(ec2Calls('CreateImage')).toBe(before);

    // Someone else cannot answer it.
    await click(q, OUTSIDER, 'Reboot web-1 and create', CHANNEL);
    await privatelyTo(OUTSIDER, /This question was for <@U0REQUESTER>/, 'not your question');

    // A double click creates one AMI, with a reboot.
    await Promise.all([click(q, REQUESTER, 'Reboot web-1 and create', CHANNEL), click(q, REQUESTER, 'Reboot web-1 and create', CHANNEL)]);
    await t.slack.waitFor((m) => m.channel === CHANNEL && textOf(m).includes('web-1-confirmed') && /ami-[0-9a-f]{17}/.test(textOf(m)), 15_000, 'the AMI');
    await privatelyTo(REQUESTER, /already answered/, 'the second click told');
    const creates = t.ec2.calls.filter((c) => c.action === 'CreateImage').slice(before);
    expect(creates).toHaveLength(1);
    expect(creates[0].params.NoReboot ?? 'false').toBe('false');
  });

  it('--reboot says yes in advance; a stopped instance is not asked about', async () => {
    const before = ec2Calls('CreateImage');
    await t.command('/ami', `create ${DEMO.instances.web2} web-2-rebooted --reboot`);
    await t.slack.waitFor((m) => m.channel === CHANNEL && textOf(m).includes('web-2-rebooted') && /ami-[0-9a-f]{17}/.test(textOf(m)), 15_000, 'the AMI');
    await t.command('/ami', `create ${DEMO.instances.build} build-stopped`);
    await t.slack.waitFor((m) => m.channel === CHANNEL && textOf(m).includes('build-stopped') && /ami-[0-9a-f]{17}/.test(textOf(m)), 15_000, 'the AMI');
    expect(ec2Calls('CreateImage')).toBe(before + 2);
  });

  it('the modal answers the question with its radio buttons', async () => {
    const before = ec2Calls('CreateImage');
    const res = await t.sender.submitView({
      userId: REQUESTER,
      callbackId: 'ami_create',
      privateMetadata: JSON.stringify({ channelId: CHANNEL }),
      values: {
        instance: { instance_pick: { type: 'external_select', selected_option: { value: DEMO.instances.db } } },
        name: { value: { type: 'plain_text_input', value: 'db-from-modal' } },
        reboot: { value: { type: 'radio_buttons', selected_option: { value: 'reboot' } } },
      },
    });
    expect(res.status).toBe(200);
    await t.slack.waitFor((m) => m.channel === CHANNEL && textOf(m).includes('db-from-modal') && /ami-[0-9a-f]{17}/.test(textOf(m)), 15_000, 'the AMI');
    const create = t.ec2.calls.filter((c) => c.action === 'CreateImage').slice(before);
    expect(create).toHaveLength(1);
    expect(create[0].params.NoReboot ?? 'false').toBe('false');
  });
});

describe('launch guardrail', () => {
  it('an m5.24xlarge launch waits for an approver, with its type and price on the card, then runs once', async () => {
    const ami = DEMO.images.webGolden;
    const before = ec2Calls('RunInstances');
    await t.command('/ami', `launch ${ami} --type m5.24xlarge`);
    const card = await t.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && textOf(m).includes('m5.24xlarge') && buttonsOf(m).length > 0, 15_000, 'the launch card');
    expect(textOf(card)).toMatch(/\$4\.6080\/hour/);
    expect(textOf(card)).toMatch(/not among the instance types anyone may launch at once/);
    expect(ec2Calls('RunInstances')).toBe(before);

    await click(card, APPROVER, 'Approve');
    await t.slack.waitFor((m) => m === card && /Launched i-[0-9a-f]{17}/.test(textOf(m)), 15_000, 'the launch outcome');
    expect(ec2Calls('RunInstances')).toBe(before + 1);
    const run = t.ec2.calls.filter((c) => c.action === 'RunInstances').at(-1)!;
    expect(run.params.InstanceType).toBe('m5.24xlarge');
    // The requester hears it in a direct message.
    await t.slack.waitFor((m) => m.channel === REQUESTER && /launch an m5\.24xlarge instance/.test(textOf(m)), 10_000, 'the DM');
  });

  it('a t3 launch runs at once', async () => {
    const before = ec2Calls('RunInstances');
    await t.command('/ami', `launch ${DEMO.images.webGolden} --type t3.nano`);
    await t.slack.waitFor((m) => m.channel === CHANNEL && textOf(m).includes(`Instance from ${DEMO.images.webGolden} (t3.nano)`) && /done/.test(textOf(m)), 15_000, 'the instance');
    expect(ec2Calls('RunInstances')).toBe(before + 1);
  });
});

describe('withdraw', () => {
  it('the requester withdraws a pending request; it can no longer be approved, and nobody else may withdraw it', async () => {
    const snap = DEMO.snapshots.webDataQuarterly;
    await t.command('/snapshot', `delete ${snap} --reason "maybe not"`);
    const card = await t.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && textOf(m).includes(snap) && buttonsOf(m).length > 0, 15_000, 'the card');
    const id = /Request `([0-9A-Z]{26})`/.exec(textOf(card))![1];

    await t.command('/snapshot', `withdraw ${id}`, { userId: APPROVER });
    await privatelyTo(APPROVER, /Only the person who asked \(<@U0REQUESTER>\) can withdraw/, 'not yours to withdraw');

    await t.command('/snapshot', `withdraw ${id}`);
    await privatelyTo(REQUESTER, /You withdrew the request/, 'withdrawn');
    await t.slack.waitFor((m) => m === card && /Withdrawn/.test(textOf(m)) && buttonsOf(m).length === 0, 10_000, 'the card says so');

    await t.sender.click({ userId: APPROVER, channelId: APPROVAL_CHANNEL, messageTs: card.ts, actionId: 'approval_approve', value: id });
    await privatelyTo(APPROVER, /withdrew this request/, 'cannot approve a withdrawn request');
    expect(t.ec2.state.getSnapshot(R, snap)).toBeDefined();
    const history = await t.bot.deps.store.audit.list(snap);
    expect(history.map((e) => e.event)).toContain('requested');
    const request = await t.bot.deps.store.approvals.get(id);
    expect(request?.status).toBe('withdrawn');
  });
});

describe('burst limit', () => {
  it('refuses politely past BURST_LIMIT changing commands in 10 minutes; refusals and read-only commands do not count', async () => {
    const b = await startTestBot({ env: { BURST_LIMIT: '2' }, sharedEc2: t.ec2 });
    try {
      const before = ec2Calls('CreateSnapshot');
      b.slack.users.set(GUEST, { is_restricted: true });
      // A refusal for another reason does not use the limit up.
      await b.command('/snapshot', DEMO.volumes.webData, { userId: GUEST });
      await b.slack.waitFor((m) => m.ephemeralFor === GUEST && /Guests/.test(textOf(m)), 10_000, 'guest refusal');
      await b.command('/snapshot', 'list');
      await b.command('/snapshot', `${DEMO.volumes.webData} one`);
      await b.command('/snapshot', `${DEMO.volumes.webData} two`);
      await b.slack.waitUntil(() => (b.slack.messages.filter((m) => /Snapshot of/.test(textOf(m))).length >= 2 ? true : undefined), 15_000, 'two snapshots');
      await b.command('/snapshot', `${DEMO.volumes.webData} three`);
      const m = await b.slack.waitFor((x) => x.ephemeralFor === REQUESTER && /more than 2 changes in 10 minutes/.test(textOf(x)), 10_000, 'the burst refusal');
      expect(textOf(m)).toMatch(/read-only commands still work/);
      await new Promise((r) => setTimeout(r, 300));
      expect(ec2Calls('CreateSnapshot') - before).toBe(2);
    } finally {
      await b.stop();
    }
  });
});

describe('start-up', () => {
  it('with OPERATORS unset, warns once, naming what every full member may then do', async () => {
    const lines: Record<string, unknown>[] = [];
    const b = await startTestBot({ sharedEc2: t.ec2, logger: capturingLogger('warn', lines) });
    try {
      const warnings = lines.filter((l) => /OPERATORS is not set/.test(String(l.msg)));
      expect(warnings).toHaveLength(1);
      expect(String(warnings[0].msg)).toMatch(/every full member of the workspace may run the commands that change AWS/);
    } finally {
      await b.stop();
    }
  });
});
