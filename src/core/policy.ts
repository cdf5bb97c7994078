// Who may do what, decided in one place. Every slash command, modal and button of snapbot's is one row of the two
// tables below: who may ask for it, whether it changes AWS (and so needs an operator in an allowed channel and
// counts toward the burst limit), and when it goes to a second person or asks first. `evaluate` reads the row and
// the facts about the person; nothing else decides. Pure: the facts (Slack's users.info, the instance's state) are
// gathered by src/usecases/access.ts before asking.
import type { Command, CommandKind, CommandOf } from './commands.js';

/** What Slack says about a person, reduced to what matters here. */
export type Standing =
  /** A full member of this workspace or organization. */
  | 'member'
  /** A single- or multi-channel guest. */
  | 'guest'
  /** Someone from another organization, through Slack Connect. */
  | 'external'
  | 'deactivated'
  | 'bot'
  /** Slack could not be asked (error, timeout): never enough to change anything. */
  | 'unknown';

export interface Who {
  userId: string;
  standing: Standing;
  /** Why the standing is unknown, in words ("Slack answered ratelimited"). */
  unknownBecause?: string;
  /** In OPERATORS (directly or through a user group), or OPERATORS is unset; 'unknown' when a group could not be read. */
  operator: boolean | 'unknown';
  /** In APPROVERS, directly or through a user group. */
  approver: boolean;
}

export interface Where {
  channelId: string;
}

/** The configuration the policy reads (from src/config.ts), plus who to name in refusals. */
export interface PolicySettings {
  /** undefined: every full member is an operator. */
  operators?: readonly string[];
  approvers: readonly string[];
  /** undefined: changing commands are accepted anywhere. */
  commandChannels?: readonly string[];
  launchInstanceTypes: readonly string[];
  shareAllowedAccounts: readonly string[];
}

/** What the policy may need to know about AWS, read (never changed) before it is asked. */
export interface Facts {
  /** /ami create: the instance's state and name, when it could be read. */
  instance?: { state: string; name?: string };
  /** Withdraw: who asked for the request. */
  requesterId?: string;
}

/** The users.info fields that decide a standing (Slack's names). */
export interface SlackPerson {
  id: string;
  team_id?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_app_user?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_stranger?: boolean;
  enterprise_user?: { enterprise_id?: string };
}

/**
 * A person's standing. Outsiders are told apart by Slack's own flag (is_stranger) or by their home: on Enterprise
 * Grid the organization (so a member of a sibling workspace is not an outsider), elsewhere the workspace.
 */
export function standingOf(user: SlackPerson, installation: { teamId?: string; enterpriseId?: string }): Standing {
  if (user.deleted) return 'deactivated';
  if (user.is_bot || user.is_app_user || user.id === 'USLACKBOT') return 'bot';
  if (user.is_stranger) return 'external';
  const userOrg = user.enterprise_user?.enterprise_id;
  if (installation.enterpriseId && userOrg) {
    if (userOrg !== installation.enterpriseId) return 'external';
  } else if (installation.teamId && user.team_id && user.team_id !== installation.teamId && !installation.enterpriseId) {
    return 'external';
  }
  if (user.is_restricted || user.is_ultra_restricted) return 'guest';
  return 'member';
}

/** The buttons and modals that act, by what they do. */
export type ButtonName =
  | 'approval.decide'
  | 'approval.withdraw'
  | 'digest.requestDeletion'
  | 'digest.snooze'
  | 'digest.keep'
  | 'digest.makePrivate'
  | 'digest.keepShared'
  | 'digest.disableFastRestore'
  | 'digest.scheduleBackups'
  | 'digest.snapshotNow'
  | 'digest.runDrill'
  | 'digest.requestDeletionAll'
  | 'digest.archive'
  | 'confirm.amiCreate'
  | 'confirm.encryptReplace'
  | 'digest.encryptVolume';

export type Act = { type: 'command'; command: Command } | { type: 'button'; button: ButtonName };

/** Names for every way to be refused: logs and metrics count by these. */
export type RefusalRule =
  | 'guest'
  | 'external'
  | 'deactivated'
  | 'bot'
  | 'identity-unknown'
  | 'not-operator'
  | 'operator-unknown'
  | 'channel'
  | 'not-approver'
  | 'not-requester'
  | 'burst';

export type Verdict =
  | { decision: 'allow' }
  | { decision: 'refuse'; rule: RefusalRule; message: string }
  /** Allowed to ask: a second person decides (an approval request; core/approvals says why on the card). */
  | { decision: 'approval' }
  /** Allowed once the person confirms, privately, with a click. */
  | { decision: 'confirm'; question: 'reboot' | 'replace' };

/**
 * Who may ask for it:
 * - anyone: harmless text answered in the ack (help);
 * - member: read-only, any full member of the workspace;
 * - operator: changes AWS (or asks a second person to), in an allowed channel;
 * - approver: decides someone else's request;
 * - requester: the person who made the request.
 */
export type Access = 'anyone' | 'member' | 'operator' | 'approver' | 'requester';

interface Row<C> {
  access: Access;
  /** Second person or a question first, given the parsed command and what AWS says. */
  gate?: (command: C, settings: PolicySettings, facts: Facts) => Exclude<Verdict, { decision: 'refuse' }> | undefined;
}

type CommandTable = { [K in CommandKind]: Row<CommandOf<K>> };

const APPROVAL = { decision: 'approval' } as const;
const always = () => APPROVAL;

/** Every slash command. A new command does not compile until it has a row here. */
export const COMMAND_POLICY: CommandTable = {
  'snapshot.help': { access: 'anyone' },
  'ami.help': { access: 'anyone' },
  'snapshot.list': { access: 'member' },
  'snapshot.digest': { access: 'member' },
  'snapshot.audit': { access: 'member' },
  'ami.list': { access: 'member' },
  'snapshot.modal': { access: 'operator' },
  'snapshot.create': { access: 'operator' },
  'snapshot.instance': { access: 'operator' },
  'snapshot.copy': { access: 'operator' },
  'snapshot.delete': { access: 'operator', gate: always },
  'snapshot.cleanup': { access: 'operator', gate: always },
  'snapshot.withdraw': { access: 'requester' },
  'restore.modal': { access: 'operator' },
  'restore.create': { access: 'operator' },
  'ami.modal': { access: 'operator' },
  'ami.create': { access: 'operator', gate: (c, _s, facts) => (needsRebootQuestion(c, facts) ? { decision: 'confirm', question: 'reboot' } : undefined) },
  'ami.fromSnapshot': { access: 'operator' },
  'ami.launch': {
    access: 'operator',
    gate: (c, s) => (instanceTypeAllowed(c.instanceType, s.launchInstanceTypes) ? undefined : APPROVAL),
  },
  'ami.copy': { access: 'operator' },
  'ami.deregister': { access: 'operator', gate: always },
  'share.modal': { access: 'operator' },
  'share.add': {
    access: 'operator',
    gate: (c, s) => (c.target.type === 'public' || !s.shareAllowedAccounts.includes(c.target.accountId) ? APPROVAL : undefined),
  },
  'share.revoke': { access: 'operator' },
  // Backup automation. Anything that stops backups or weakens a safety net goes to a second person.
  'snapshot.schedules': { access: 'member' },
  'snapshot.recycleBin': { access: 'member' },
  'snapshot.cost': { access: 'member' },
  'snapshot.savings': { access: 'member' },
  // A drill makes a volume and deletes it again: it changes AWS, so an operator runs it; its history is for everyone.
  'snapshot.drill': { access: 'operator' },
  'snapshot.drills': { access: 'member' },
  'snapshot.evidence': { access: 'member' },
  'snapshot.schedule.modal': { access: 'operator' },
  'snapshot.schedule': { access: 'operator' },
  'snapshot.schedule.pause': { access: 'operator', gate: always },
  'snapshot.schedule.resume': { access: 'operator' },
  'snapshot.unschedule': { access: 'operator', gate: always },
  'snapshot.undelete': { access: 'operator' },
  'ami.undelete': { access: 'operator' },
  /** Compliance mode cannot be undone by anyone, root included, until it expires. */
  'snapshot.lock': { access: 'operator', gate: (c) => (c.compliance ? APPROVAL : undefined) },
  'snapshot.unlock': { access: 'operator', gate: always },
  'ami.protect': { access: 'operator' },
  'ami.unprotect': { access: 'operator', gate: always },
  'snapshot.archive': { access: 'operator' },
  'snapshot.unarchive': { access: 'operator' },
  // Swapping an instance's disk is disruptive: the person confirms first (a stopped instance only).
  'snapshot.encrypt': { access: 'operator', gate: (c) => (c.replace ? { decision: 'confirm', question: 'replace' } : undefined) },
  'snapshot.encrypt.modal': { access: 'operator' },
};

/** Every button and modal that acts. Buttons follow the same roles wherever the message is; channels do not apply. */
export const BUTTON_POLICY: Record<ButtonName, Row<ButtonName>> = {
  'approval.decide': { access: 'approver' },
  'approval.withdraw': { access: 'requester' },
  'digest.requestDeletion': { access: 'operator', gate: always },
  'digest.snooze': { access: 'operator' },
  'digest.keep': { access: 'operator' },
  'digest.makePrivate': { access: 'operator' },
  'digest.keepShared': { access: 'operator', gate: always },
  'digest.disableFastRestore': { access: 'operator' },
  'digest.scheduleBackups': { access: 'operator' },
  'digest.snapshotNow': { access: 'operator' },
  'digest.runDrill': { access: 'operator' },
  // Opens one approval request for the whole section: the decision is still a second person's.
  'digest.requestDeletionAll': { access: 'operator' },
  'digest.archive': { access: 'operator' },
  'confirm.amiCreate': { access: 'operator' },
  'confirm.encryptReplace': { access: 'operator' },
  'digest.encryptVolume': { access: 'operator' },
};

/** Does this act change AWS (or ask to)? Those need an operator, an allowed channel, and count toward the burst limit. */
export function changesAws(act: Act): boolean {
  return rowOf(act).access === 'operator';
}

function rowOf(act: Act): Row<never> {
  return (act.type === 'command' ? COMMAND_POLICY[act.command.kind] : BUTTON_POLICY[act.button]) as Row<never>;
}

/** The decision. `facts` is what was read before asking; a refusal names the rule and what to do next. */
export function evaluate(who: Who, where: Where, act: Act, settings: PolicySettings, facts: Facts = {}): Verdict {
  const row = rowOf(act);
  if (row.access === 'anyone') return { decision: 'allow' };

  const standing = standingRefusal(who, row.access);
  if (standing) return standing;
  if (row.access === 'member') return { decision: 'allow' };

  if (row.access === 'requester') {
    if (facts.requesterId !== undefined && facts.requesterId !== who.userId) {
      return refuse('not-requester', `Only the person who asked (${mention(facts.requesterId)}) can withdraw this request; an approver can reject it instead.`);
    }
    return { decision: 'allow' };
  }

  if (row.access === 'approver') {
    if (!who.approver) return refuse('not-approver', `Only the approvers for this workspace can decide: ${names(settings.approvers, 'nobody is named yet; ask an admin to name approvers')}.`);
    return { decision: 'allow' };
  }

  // operator
  if (who.operator === 'unknown') {
    return refuse('operator-unknown', `I could not check whether you are one of snapbot's operators (a user group could not be read from Slack), so nothing was changed. Try again in a minute.`);
  }
  if (!who.operator) {
    return refuse('not-operator', `Only snapbot's operators can change AWS: ${names(settings.operators ?? [], 'nobody')}. Read-only commands such as \`/snapshot list\` work for you; ask an operator to do this, or to add you.`);
  }
  if (act.type === 'command' && settings.commandChannels && !settings.commandChannels.includes(where.channelId)) {
    return refuse('channel', `Commands that change AWS are accepted only in ${settings.commandChannels.map((c) => `<#${c}>`).join(', ')}. Run it there; read-only commands such as \`/snapshot list\` work anywhere.`);
  }
  const gate = row.gate?.(act.type === 'command' ? (act.command as never) : (act.button as never), settings, facts);
  return gate ?? { decision: 'allow' };
}

/** Guests, outsiders, bots and deactivated people may read nothing but help, and change nothing; unknown ones may read. */
function standingRefusal(who: Who, access: Access): Verdict | undefined {
  // Reading stays available while Slack cannot be asked; only changes need to know who it is.
  if (who.standing === 'unknown' && access === 'member') return undefined;
  const doing = access === 'approver' ? 'decide requests' : access === 'member' ? 'use this command' : 'change AWS through snapbot';
  switch (who.standing) {
    case 'member':
      return undefined;
    case 'guest':
      return refuse('guest', `Guests can't ${doing}: only full members of this workspace can. Ask a teammate who is one.`);
    case 'external':
      return refuse('external', `People from another organization (Slack Connect) can't ${doing}: only members of this workspace can. Ask a teammate here.`);
    case 'deactivated':
      return refuse('deactivated', `Deactivated accounts can't ${doing}.`);
    case 'bot':
      return refuse('bot', `Bots and apps can't ${doing}: a person has to.`);
    case 'unknown':
      return refuse('identity-unknown', `I could not check who you are with Slack${who.unknownBecause ? ` (${who.unknownBecause})` : ''}, so nothing was done. Try again in a minute.`);
  }
}

/** The refusal when one person runs more than BURST_LIMIT changing commands in 10 minutes. */
export function burstRefusal(limit: number, retryAt: Date, now: Date): Verdict {
  const minutes = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 60_000));
  return refuse(
    'burst',
    `That is more than ${limit} changes in 10 minutes, so I'm pausing your changing commands for a moment (about ${minutes} min) in case something is looping. Nothing was done; read-only commands still work.`,
  );
}

/** A running instance is rebooted by CreateImage unless told not to; ask unless the person already said. */
function needsRebootQuestion(c: CommandOf<'ami.create'>, facts: Facts): boolean {
  if (c.noReboot || c.reboot) return false;
  // Unknown state: ask. A stopped (or stopping) instance is not rebooted, so there is nothing to ask.
  return facts.instance === undefined || facts.instance.state === 'running' || facts.instance.state === 'pending';
}

/** LAUNCH_INSTANCE_TYPES globs: `*` any run of characters, `?` one; case-insensitive, whole type. */
export function instanceTypeAllowed(type: string, globs: readonly string[]): boolean {
  const t = type.toLowerCase();
  return globs.some((g) => globRegExp(g).test(t));
}

function globRegExp(glob: string): RegExp {
  const body = glob
    .toLowerCase()
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

function refuse(rule: RefusalRule, message: string): Verdict {
  return { decision: 'refuse', rule, message };
}

function mention(id: string): string {
  return id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`;
}

/** "<@U1>, <!subteam^S2> and 3 more" for the people a refusal points to. */
function names(ids: readonly string[], none: string): string {
  if (ids.length === 0) return none;
  const shown = ids.slice(0, 8).map(mention);
  return `${shown.join(', ')}${ids.length > shown.length ? ` and ${ids.length - shown.length} more` : ''}`;
}
