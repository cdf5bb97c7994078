// The access policy as a table: every command and button × every kind of person × every kind of channel.
import { describe, expect, it } from 'vitest';
import type { Command, CommandKind } from '../../src/core/commands.js';
import { parseCommand } from '../../src/core/grammar/index.js';
import {
  BUTTON_POLICY,
  COMMAND_POLICY,
  burstRefusal,
  evaluate,
  instanceTypeAllowed,
  standingOf,
  type ButtonName,
  type Facts,
  type PolicySettings,
  type Verdict,
  type Who,
} from '../../src/core/policy.js';

const V = 'vol-0abc1234def567890';
const S = 'snap-0abc1234def567890';
const A = 'ami-0abc1234def567890';
const I = 'i-0abc1234def567890';
const REQ = '01JB2Z3K4M5N6P7Q8R9S0T1V2W';

/** One example of every command kind, as a person would type it. */
const EXAMPLES: Record<CommandKind, [name: '/snapshot' | '/restore' | '/ami' | '/share', text: string]> = {
  'snapshot.help': ['/snapshot', 'help'],
  'snapshot.modal': ['/snapshot', ''],
  'snapshot.create': ['/snapshot', `${V} before the upgrade`],
  'snapshot.instance': ['/snapshot', `instance ${I}`],
  'snapshot.list': ['/snapshot', 'list'],
  'snapshot.copy': ['/snapshot', `copy ${S} --to-region eu-west-1`],
  'snapshot.delete': ['/snapshot', `delete ${S}`],
  'snapshot.cleanup': ['/snapshot', 'cleanup superseded --older-than 120d --reason "quarterly"'],
  'snapshot.digest': ['/snapshot', 'digest'],
  'snapshot.audit': ['/snapshot', `audit ${S}`],
  'snapshot.withdraw': ['/snapshot', `withdraw ${REQ}`],
  'restore.modal': ['/restore', S],
  'restore.create': ['/restore', `${S} --az us-east-1a`],
  'ami.modal': ['/ami', ''],
  'ami.create': ['/ami', `create ${I} web-golden --no-reboot`],
  'ami.fromSnapshot': ['/ami', `from-snapshot ${S} root`],
  'ami.list': ['/ami', 'list'],
  'ami.launch': ['/ami', `launch ${A} --type t3.micro`],
  'ami.copy': ['/ami', `copy ${A} --to-region eu-west-1`],
  'ami.deregister': ['/ami', `deregister ${A}`],
  'ami.help': ['/ami', 'help'],
  'share.modal': ['/share', S],
  'share.add': ['/share', `${S} 111122223333`],
  'share.revoke': ['/share', `${S} --revoke public`],
  'snapshot.schedule.modal': ['/snapshot', 'schedule'],
  'snapshot.schedule': ['/snapshot', `schedule ${V} --every 24h --keep 7`],
  'snapshot.schedule.pause': ['/snapshot', 'schedule pause web-daily'],
  'snapshot.schedule.resume': ['/snapshot', 'schedule resume policy-0123456789abcdef0'],
  'snapshot.schedules': ['/snapshot', 'schedules'],
  'snapshot.unschedule': ['/snapshot', 'unschedule web-daily --reason moved to AWS Backup'],
  'snapshot.undelete': ['/snapshot', `undelete ${S}`],
  'snapshot.recycleBin': ['/snapshot', 'recycle-bin'],
  'snapshot.lock': ['/snapshot', `lock ${S} --days 30`],
  'snapshot.unlock': ['/snapshot', `unlock ${S}`],
  'snapshot.archive': ['/snapshot', `archive ${S}`],
  'snapshot.unarchive': ['/snapshot', `unarchive ${S} --days 7`],
  'ami.undelete': ['/ami', `undelete ${A}`],
  'snapshot.cost': ['/snapshot', `cost ${S}`],
  'snapshot.savings': ['/snapshot', 'savings'],
  'snapshot.drill': ['/snapshot', `drill ${V}`],
  'snapshot.drills': ['/snapshot', 'drills'],
  'snapshot.evidence': ['/snapshot', 'evidence --days 30'],
  'ami.protect': ['/ami', `protect ${A}`],
  'ami.unprotect': ['/ami', `unprotect ${A}`],
  'snapshot.encrypt': ['/snapshot', `encrypt ${V}`],
  'snapshot.encrypt.modal': ['/snapshot', 'encrypt'],
};

const READ_ONLY: CommandKind[] = ['snapshot.list', 'snapshot.digest', 'snapshot.audit', 'ami.list', 'snapshot.schedules', 'snapshot.recycleBin', 'snapshot.cost', 'snapshot.savings', 'snapshot.drills', 'snapshot.evidence'];
const HELP: CommandKind[] = ['snapshot.help', 'ami.help'];
/** Open an approval request whoever asks (an operator). */
const ALWAYS_APPROVAL: CommandKind[] = [
  'snapshot.delete',
  'snapshot.cleanup',
  'ami.deregister',
  // They stop backups, or take a safety net away.
  'snapshot.schedule.pause',
  'snapshot.unschedule',
  'snapshot.unlock',
  'ami.unprotect',
];

const SETTINGS: PolicySettings = {
  operators: ['U0OPS', 'S0OPSGROUP'],
  approvers: ['U0APPROVER', 'S0LEADS'],
  commandChannels: ['C0OPS'],
  launchInstanceTypes: ['t3.*', 't3a.*', 't4g.*'],
  shareAllowedAccounts: ['111122223333'],
};

const PEOPLE: Record<string, Who> = {
  operator: { userId: 'U0OPS', standing: 'member', operator: true, approver: false },
  'member, not an operator': { userId: 'U0DEV', standing: 'member', operator: false, approver: false },
  'operator whose group could not be read': { userId: 'U0MAYBE', standing: 'member', operator: 'unknown', approver: false },
  guest: { userId: 'U0GUEST', standing: 'guest', operator: false, approver: false },
  'guest named in OPERATORS and APPROVERS': { userId: 'U0GUESTOP', standing: 'guest', operator: true, approver: true },
  'Slack Connect outsider': { userId: 'U0OTHERORG', standing: 'external', operator: true, approver: true },
  deactivated: { userId: 'U0GONE', standing: 'deactivated', operator: true, approver: true },
  bot: { userId: 'U0BOT', standing: 'bot', operator: true, approver: true },
  'unknown (Slack did not answer)': { userId: 'U0UNKNOWN', standing: 'unknown', unknownBecause: 'Slack answered ratelimited', operator: false, approver: false },
};

const CHANNELS = { 'a command channel': 'C0OPS', 'another channel': 'C0RANDOM', 'a DM': 'D0DIRECT' } as const;

function commandOf(kind: CommandKind): Command {
  const [name, text] = EXAMPLES[kind];
  const c = parseCommand(name, text);
  expect(c.kind).toBe(kind);
  return c;
}

/** What the table should say, written out independently of the policy's own table. */
function expected(kind: CommandKind, person: string, channel: keyof typeof CHANNELS): Verdict['decision'] | `refuse:${string}` {
  const who = PEOPLE[person];
  if (HELP.includes(kind)) return 'allow';
  // When Slack cannot say who someone is, reading still works; nothing else does.
  if (who.standing === 'unknown' && READ_ONLY.includes(kind)) return 'allow';
  if (who.standing !== 'member') return `refuse:${who.standing === 'unknown' ? 'identity-unknown' : who.standing}`;
  if (READ_ONLY.includes(kind) || kind === 'snapshot.withdraw') return 'allow';
  if (who.operator === 'unknown') return 'refuse:operator-unknown';
  if (!who.operator) return 'refuse:not-operator';
  if (channel !== 'a command channel') return 'refuse:channel';
  if (ALWAYS_APPROVAL.includes(kind)) return 'approval';
  return 'allow';
}

const outcome = (v: Verdict) => (v.decision === 'refuse' ? `refuse:${v.rule}` : v.decision);

describe('the policy table: every command × person × channel', () => {
  const rows = (Object.keys(EXAMPLES) as CommandKind[]).flatMap((kind) =>
    Object.keys(PEOPLE).flatMap((person) => (Object.keys(CHANNELS) as (keyof typeof CHANNELS)[]).map((channel) => [kind, person, channel] as const)),
  );
  it.each(rows)('%s by a %s in %s', (kind, person, channel) => {
    const verdict = evaluate(PEOPLE[person], { channelId: CHANNELS[channel] }, { type: 'command', command: commandOf(kind) }, SETTINGS);
    expect(outcome(verdict)).toBe(expected(kind, person, channel));
  });

  it('has a row for every command kind and every example parses to it', () => {
    expect(Object.keys(COMMAND_POLICY).sort()).toEqual(Object.keys(EXAMPLES).sort());
  });
});

describe('buttons follow the same roles wherever the message is', () => {
  const BUTTONS: Record<ButtonName, { who: string; decision: Verdict['decision'] | `refuse:${string}` }[]> = {
    'approval.decide': [
      { who: 'approver', decision: 'allow' },
      { who: 'operator', decision: 'refuse:not-approver' },
      { who: 'guest named in OPERATORS and APPROVERS', decision: 'refuse:guest' },
      { who: 'Slack Connect outsider', decision: 'refuse:external' },
    ],
    'approval.withdraw': [
      { who: 'operator', decision: 'allow' },
      { who: 'guest', decision: 'refuse:guest' },
    ],
    'digest.requestDeletion': [
      { who: 'operator', decision: 'approval' },
      { who: 'member, not an operator', decision: 'refuse:not-operator' },
    ],
    'digest.snooze': [
      { who: 'operator', decision: 'allow' },
      { who: 'member, not an operator', decision: 'refuse:not-operator' },
    ],
    'digest.keep': [
      { who: 'operator', decision: 'allow' },
      { who: 'member, not an operator', decision: 'refuse:not-operator' },
      { who: 'guest', decision: 'refuse:guest' },
    ],
    'digest.makePrivate': [
      { who: 'operator', decision: 'allow' },
      { who: 'member, not an operator', decision: 'refuse:not-operator' },
    ],
    'digest.keepShared': [
      { who: 'operator', decision: 'approval' },
      { who: 'member, not an operator', decision: 'refuse:not-operator' },
    ],
    'digest.disableFastRestore': [
      { who: 'operator', decision: 'allow' },
      { who: 'member, not an operator', decision: 'refuse:not-operator' },
    ],
    'digest.scheduleBackups': [
      { who: 'operator', decision: 'allow' },
      { who: 'guest', decision: 'refuse:guest' },
    ],
    'digest.snapshotNow': [
      { who: 'operator', decision: 'allow' },
      { who: 'guest', decision: 'refuse:guest' },
    ],
    'digest.requestDeletionAll': [
      { who: 'operator', decision: 'allow' },
      { who: 'guest', decision: 'refuse:guest' },
    ],
    'digest.runDrill': [
      { who: 'operator', decision: 'allow' },
      { who: 'member, not an operator', decision: 'refuse:not-operator' },
    ],
    'digest.archive': [
      { who: 'operator', decision: 'allow' },
      { who: 'member, not an operator', decision: 'refuse:not-operator' },
    ],
    'confirm.amiCreate': [
      { who: 'operator', decision: 'allow' },
      { who: 'deactivated', decision: 'refuse:deactivated' },
    ],
    'confirm.encryptReplace': [
      { who: 'operator', decision: 'allow' },
      { who: 'guest', decision: 'refuse:guest' },
    ],
    'digest.encryptVolume': [
      { who: 'operator', decision: 'allow' },
      { who: 'member, not an operator', decision: 'refuse:not-operator' },
    ],
  };
  const people: Record<string, Who> = { ...PEOPLE, approver: { userId: 'U0APPROVER', standing: 'member', operator: false, approver: true } };
  const rows = (Object.keys(BUTTONS) as ButtonName[]).flatMap((button) => BUTTONS[button].map((r) => [button, r.who, r.decision] as const));
  it.each(rows)('%s by a %s → %s (in any channel)', (button, who, decision) => {
    for (const channelId of Object.values(CHANNELS)) {
      const verdict = evaluate(people[who], { channelId }, { type: 'button', button }, SETTINGS);
      expect(outcome(verdict)).toBe(decision);
    }
  });

  it('has a row for every button', () => {
    expect(Object.keys(BUTTON_POLICY).sort()).toEqual(Object.keys(BUTTONS).sort());
  });
});

describe('gates: approvals and confirmations', () => {
  const operator = PEOPLE.operator;
  const here = { channelId: 'C0OPS' };
  const run = (name: '/snapshot' | '/ami' | '/share', text: string, facts: Facts = {}, settings = SETTINGS) =>
    outcome(evaluate(operator, here, { type: 'command', command: parseCommand(name, text) }, settings, facts));

  it.each([
    ['t3.micro', 'allow'],
    ['t3a.large', 'allow'],
    ['t4g.nano', 'allow'],
    ['m5.24xlarge', 'approval'],
    ['p4d.24xlarge', 'approval'],
    ['t3x.micro', 'approval'],
  ])('/ami launch --type %s → %s', (type, decision) => {
    expect(run('/ami', `launch ${A} --type ${type}`)).toBe(decision);
  });

  it('a governance lock is set at once; a compliance lock, which nobody can undo, needs an approver', () => {
    expect(run('/snapshot', `lock ${S} --days 30`)).toBe('allow');
    expect(run('/snapshot', `lock ${S} --days 30 --compliance`)).toBe('approval');
  });

  it('resuming a schedule is at once; pausing it stops backups and needs an approver', () => {
    expect(run('/snapshot', 'schedule resume web-daily')).toBe('allow');
    expect(run('/snapshot', 'schedule pause web-daily')).toBe('approval');
  });

  it('an empty LAUNCH_INSTANCE_TYPES sends every launch to an approver', () => {
    expect(run('/ami', `launch ${A}`, {}, { ...SETTINGS, launchInstanceTypes: [] })).toBe('approval');
  });

  it.each([
    ['public', 'approval'],
    ['111122223333', 'allow'],
    ['999988887777', 'approval'],
  ])('/share to %s → %s', (target, decision) => {
    expect(run('/share', `${S} ${target}`)).toBe(decision);
  });

  it.each<[string, Facts, string]>([
    ['running, no flag', { instance: { state: 'running', name: 'web-1' } }, 'confirm'],
    ['pending, no flag', { instance: { state: 'pending' } }, 'confirm'],
    ['state unknown, no flag', {}, 'confirm'],
    ['stopped, no flag', { instance: { state: 'stopped' } }, 'allow'],
  ])('/ami create on an instance %s → %s', (_name, facts, decision) => {
    expect(run('/ami', `create ${I} web-golden`, facts)).toBe(decision);
  });

  it('--reboot and --no-reboot answer the question in advance', () => {
    const running: Facts = { instance: { state: 'running' } };
    expect(run('/ami', `create ${I} web-golden --reboot`, running)).toBe('allow');
    expect(run('/ami', `create ${I} web-golden --no-reboot`, running)).toBe('allow');
  });

  it('withdraw is for the requester only', () => {
    expect(run('/snapshot', `withdraw ${REQ}`, { requesterId: 'U0OPS' })).toBe('allow');
    expect(run('/snapshot', `withdraw ${REQ}`, { requesterId: 'U0SOMEONE' })).toBe('refuse:not-requester');
  });

  it('with OPERATORS unset every full member is an operator, and COMMAND_CHANNELS unset means anywhere', () => {
    const open: PolicySettings = { ...SETTINGS, operators: undefined, commandChannels: undefined };
    const member: Who = { userId: 'U0ANYONE', standing: 'member', operator: true, approver: false };
    const v = evaluate(member, { channelId: 'C0RANDOM' }, { type: 'command', command: parseCommand('/snapshot', V) }, open);
    expect(v.decision).toBe('allow');
  });
});

describe('refusals name the rule and what to do, never a variable', () => {
  const cases: [string, Who, string, RegExp][] = [
    ['guest', PEOPLE.guest, 'C0OPS', /Guests can't change AWS/],
    ['outsider', PEOPLE['Slack Connect outsider'], 'C0OPS', /another organization \(Slack Connect\)/],
    ['deactivated', PEOPLE.deactivated, 'C0OPS', /Deactivated accounts/],
    ['bot', PEOPLE.bot, 'C0OPS', /Bots and apps/],
    ['unknown', PEOPLE['unknown (Slack did not answer)'], 'C0OPS', /could not check who you are with Slack \(Slack answered ratelimited\)/],
    ['non-operator', PEOPLE['member, not an operator'], 'C0OPS', /Only snapbot's operators can change AWS: <@U0OPS>, <!subteam\^S0OPSGROUP>.*\/snapshot list/],
    ['wrong channel', PEOPLE.operator, 'C0RANDOM', /accepted only in <#C0OPS>.*read-only commands/],
  ];
  it.each(cases)('%s', (_name, who, channelId, message) => {
    const v = evaluate(who, { channelId }, { type: 'command', command: parseCommand('/snapshot', V) }, SETTINGS);
    expect(v.decision).toBe('refuse');
    if (v.decision !== 'refuse') return;
    expect(v.message).toMatch(message);
    expect(v.message).not.toMatch(/OPERATORS|APPROVERS|COMMAND_CHANNELS|[A-Z]{3,}_[A-Z]+/);
  });

  it('names the approvers, groups as groups', () => {
    const v = evaluate(PEOPLE.operator, { channelId: 'C0OPS' }, { type: 'button', button: 'approval.decide' }, SETTINGS);
    expect(v.decision === 'refuse' && v.message).toBe('Only the approvers for this workspace can decide: <@U0APPROVER>, <!subteam^S0LEADS>.');
  });

  it('says how long a burst pause lasts', () => {
    const now = new Date('2030-01-01T12:04:00Z');
    const v = burstRefusal(20, new Date('2030-01-01T12:10:00Z'), now);
    expect(v.decision === 'refuse' && v.rule).toBe('burst');
    expect(v.decision === 'refuse' && v.message).toMatch(/more than 20 changes in 10 minutes.*about 6 min.*read-only commands still work/);
  });
});

describe('standingOf: what users.info says', () => {
  const home = { teamId: 'T0HOME' };
  const grid = { teamId: 'T0HOME', enterpriseId: 'E0ORG' };
  it.each<[string, Parameters<typeof standingOf>[0], Parameters<typeof standingOf>[1], string]>([
    ['a full member', { id: 'U1', team_id: 'T0HOME' }, home, 'member'],
    ['a member whose team Slack did not say', { id: 'U1' }, home, 'member'],
    ['a multi-channel guest', { id: 'U1', team_id: 'T0HOME', is_restricted: true }, home, 'guest'],
    ['a single-channel guest', { id: 'U1', team_id: 'T0HOME', is_ultra_restricted: true }, home, 'guest'],
    ['a Slack Connect stranger', { id: 'U1', is_stranger: true }, home, 'external'],
    ['someone of another workspace', { id: 'U1', team_id: 'T0OTHER' }, home, 'external'],
    ['a member of a sibling workspace on the same Grid', { id: 'U1', team_id: 'T0SIBLING', enterprise_user: { enterprise_id: 'E0ORG' } }, grid, 'member'],
    ['someone of another Grid organization', { id: 'U1', team_id: 'T0X', enterprise_user: { enterprise_id: 'E0OTHER' } }, grid, 'external'],
    ['a deactivated member', { id: 'U1', team_id: 'T0HOME', deleted: true }, home, 'deactivated'],
    ['a bot user', { id: 'U1', team_id: 'T0HOME', is_bot: true }, home, 'bot'],
    ['Slackbot', { id: 'USLACKBOT' }, home, 'bot'],
  ])('%s', (_name, user, installation, standing) => {
    expect(standingOf(user, installation)).toBe(standing);
  });
});

describe('instanceTypeAllowed', () => {
  it('matches whole types, * and ? as globs, case-insensitively', () => {
    expect(instanceTypeAllowed('t3.micro', ['t3.*'])).toBe(true);
    expect(instanceTypeAllowed('T3.Micro', ['t3.*'])).toBe(true);
    expect(instanceTypeAllowed('t3a.micro', ['t3.*'])).toBe(false);
    expect(instanceTypeAllowed('m7g.large', ['m?g.large'])).toBe(true);
    expect(instanceTypeAllowed('m7g.xlarge', ['m?g.large'])).toBe(false);
    expect(instanceTypeAllowed('c5.large', ['*.large'])).toBe(true);
    expect(instanceTypeAllowed('c5.large', [])).toBe(false);
  });
});


describe('/snapshot encrypt --replace swaps a disk', () => {
  it('is confirmed by the operator first; without --replace it runs at once', () => {
    const operator = PEOPLE[Object.keys(PEOPLE).find((p) => PEOPLE[p].operator === true && PEOPLE[p].standing === 'member')!];
    const verdict = (text: string) => evaluate(operator, { channelId: CHANNELS['a command channel'] }, { type: 'command', command: parseCommand('/snapshot', text) }, SETTINGS);
    expect(verdict(`encrypt ${V} --replace`)).toEqual({ decision: 'confirm', question: 'replace' });
    expect(verdict(`encrypt ${V}`)).toEqual({ decision: 'allow' });
  });
});
