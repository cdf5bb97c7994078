// What every use case receives: the composed dependencies and who asked, from where.
import type { Logger } from 'pino';
import type { AutoScalingGateway } from '../aws/auto-scaling.js';
import type { CloudTrailGateway } from '../aws/cloudtrail.js';
import type { DlmGateway } from '../aws/dlm.js';
import type { EbsGateway } from '../aws/ebs.js';
import type { Ec2Gateway } from '../aws/ec2/index.js';
import type { RecycleBinGateway } from '../aws/recycle-bin.js';
import type { AwsEstate } from '../aws/estate.js';
import type { AccountIdentity } from '../aws/sts.js';
import { accountLabel, OWN_ACCOUNT, sameScope, scopeLabel, scopeOfRecord, type Scope } from '../core/accounts.js';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import { TAG, type Tags } from '../core/types.js';
import type { ProgressTracker } from './progress-tracker.js';
import type { AccountChoice, Message, Outbox, PostedMessage, Views } from './ports.js';
import type { Store } from '../store/index.js';

export interface Deps {
  config: Config;
  /** The account and region this work acts in; ec2, dlm, rbin, ebs and identity are that account's. */
  scope: Scope;
  /** Every account snapbot manages, for work that spans them (the digest, approvals, progress). */
  estate: AwsEstate;
  ec2: Ec2Gateway;
  /** Backup schedules (Data Lifecycle Manager). */
  dlm: DlmGateway;
  /** Recycle Bin retention rules. */
  rbin: RecycleBinGateway;
  /** The EBS direct APIs: which blocks snapshots share. */
  ebs: EbsGateway;
  /** Launch configurations that still use AMIs and snapshots. */
  autoScaling: AutoScalingGateway;
  /** CloudTrail's event history: sharing changed lately. */
  cloudTrail: CloudTrailGateway;
  /** Who snapbot is in the scope's account. */
  identity: AccountIdentity;
  /** Where messages to people go (Slack's Web API in production). */
  out: Outbox;
  /** Turns facts into words and Block Kit (src/slack/views). */
  views: Views;
  tracker: ProgressTracker;
  store: Store;
  log: Logger;
  /** Prometheus metrics (GET /metrics). */
  metrics: Metrics;
  now: () => Date;
  /**
   * This process among the replicas sharing the table: approved actions it runs are leased to `id`, renewed every
   * `heartbeatMs`; another replica takes one over only once its heartbeat is `staleAfterMs` old.
   */
  replica: { id: string; heartbeatMs: number; staleAfterMs: number };
  /** Runs work after the ack, a few at a time in arrival order; a graceful shutdown waits for it. */
  background(work: () => Promise<void>): void;
  /** Runs long waiting (minutes) outside that queue, so it never holds up other commands; shutdown waits too. */
  detach(work: () => Promise<void>): void;
  /** True once shutdown began: long waits stop there (their work is recorded, and the next start resumes it). */
  stopping(): boolean;
}

/** The same dependencies, acting in `scope`'s account and region. */
export function inScope(deps: Deps, scope: Scope): Deps {
  if (sameScope(deps.scope, scope)) return deps;
  return { ...deps, scope, ...deps.estate.of(scope.account) };
}

/** The same dependencies in every account snapbot manages (its own first) × every region of REGIONS. */
export function everyScope(deps: Deps): Deps[] {
  return [undefined, ...deps.config.accounts].flatMap((account) => deps.config.regions.map((region) => inScope(deps, { ...(account ? { account } : {}), region })));
}

/** Where the work acts, as messages say it: the region, and the account where snapbot manages several. */
export function whereLabel(deps: Deps, scope: Scope = deps.scope): string {
  return scopeLabel(scope, deps.config.accounts.length > 0, deps.estate.own.identity.known);
}

/** Where work acts, as a modal, a question or a button remembers it: a managed account's ID, a region other than home. */
export interface ScopeNote {
  account?: string;
  region?: string;
}

function scopeNote(deps: Deps): ScopeNote {
  return {
    ...(deps.scope.account ? { account: deps.scope.account.id } : {}),
    ...(deps.scope.region !== deps.config.awsRegion ? { region: deps.scope.region } : {}),
  };
}

/** The dependencies acting where `note` says (absent: snapbot's own account, home region), or why they cannot. */
export function depsAt(deps: Deps, note: ScopeNote = {}): Deps | { problem: string } {
  const scope = scopeOfRecord(deps.config, { ...(note.account ? { account: note.account } : {}), region: note.region ?? deps.config.awsRegion });
  return 'problem' in scope ? scope : inScope(deps, scope);
}

/** What a modal opened here needs to act here: the scope, and the accounts its picker offers. */
export function modalScope(deps: Deps): ScopeNote & { choices: AccountChoice[] } {
  const choices: AccountChoice[] =
    deps.config.accounts.length === 0
      ? []
      : [{ value: OWN_ACCOUNT, label: accountLabel(undefined, deps.estate.own.identity.known) }, ...deps.config.accounts.map((a) => ({ value: a.id, label: accountLabel(a) }))];
  return { ...scopeNote(deps), choices };
}

/**
 * The dependencies a modal's submission (or its pickers) acts with: the account its picker chose, else the one it
 * was opened in, and its region. Undefined with the reason when that account is no longer managed.
 */
export function modalDeps(deps: Deps, meta: ScopeNote, picked?: string): Deps | { problem: string } {
  const account = picked === OWN_ACCOUNT ? undefined : (picked ?? meta.account);
  return depsAt(deps, { ...(account ? { account } : {}), ...(meta.region ? { region: meta.region } : {}) });
}

/** Who asked, and where the answer goes. */
export interface Invocation {
  userId: string;
  channelId: string;
  /** The workspace the request came from (Slack's team_id), when Slack said. */
  teamId?: string;
  responseUrl?: string;
  triggerId?: string;
  /** An account ID the person gave that no entry of the managed accounts has: it must be snapbot's own. */
  ownAccountId?: string;
}

export { newId } from '../store/ids.js';

/** The contract's tags on everything snapbot creates. */
export function creationTags(inv: Invocation, requestId: string, name?: string): Tags {
  const tags: Tags = {
    [TAG.requestedBy]: inv.userId,
    [TAG.channel]: inv.channelId,
    [TAG.request]: requestId,
  };
  if (name) tags[TAG.name] = name;
  return tags;
}

export async function replyPrivately(deps: Deps, inv: Invocation, msg: Message): Promise<void> {
  try {
    await deps.out.private({ channel: inv.channelId, user: inv.userId, responseUrl: inv.responseUrl }, msg);
  } catch (err) {
    deps.log.warn({ err }, 'private reply failed');
  }
}

const CANNOT_POST = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

/**
 * Posts the public message that follows an operation in the asking channel. Where the bot may not post there
 * (not invited), the message goes to the user's DM instead, with a private hint how to fix that.
 */
export async function announce(deps: Deps, inv: Invocation, msg: Message): Promise<PostedMessage> {
  try {
    return await deps.out.post(inv.channelId, msg);
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    if (!code || !CANNOT_POST.has(code)) throw err;
    await replyPrivately(deps, inv, {
      text: `I can't post in this channel (${code}), so I'll follow this in our direct messages. Invite me with \`/invite @snapbot\` to see progress here.`,
    });
    return deps.out.dm(inv.userId, msg);
  }
}

/**
 * Records an audit entry of something that already happened in AWS, in the background: the entry carries its own
 * time, and a slow or unreachable store must neither delay nor undo the user's result.
 */
export async function auditBestEffort(
  deps: Deps,
  entry: { resourceId: string; actor: string; event: string; detail?: string; requestId?: string },
): Promise<void> {
  const at = deps.now().toISOString();
  const where = { region: deps.scope.region, ...(deps.scope.account ? { account: deps.scope.account.id } : {}) };
  deps.background(async () => {
    try {
      await deps.store.audit.append({ ...where, ...entry, at });
    } catch (err) {
      deps.log.warn({ err, resourceId: entry.resourceId }, 'audit entry not recorded');
    }
  });
}

/** `p`, or a rejection saying `what` did not answer within `ms`: for lookups that must not hold up an answer. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${Math.round(ms / 1000)} s`)), ms);
    timer.unref();
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** A question's or button's note of where it acts, only when that is not the home scope (buttons carry little). */
export function whereNote(deps: Deps): { w?: ScopeNote } {
  const note = scopeNote(deps);
  return Object.keys(note).length > 0 ? { w: note } : {};
}
