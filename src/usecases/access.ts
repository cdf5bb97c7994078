// The I/O around the access policy: who is asking (Slack's users.info, user groups), what AWS says where the policy
// needs it (the reboot question), the burst limit in the store; then src/core/policy.ts decides, and this answers a
// refusal privately, logs every decision as one JSON line, and audits refusals on the resources they were about.
import { AwsActionError } from '../aws/errors.js';
import type { Command } from '../core/commands.js';
import {
  burstRefusal,
  changesAws,
  evaluate,
  standingOf,
  type Act,
  type Facts,
  type PolicySettings,
  type Verdict,
  type Who,
} from '../core/policy.js';
import { allowedShareAccounts, knownAccounts, type AccountSettings } from '../core/accounts.js';
import { nameTag } from '../core/types.js';
import { auditBestEffort, replyPrivately, type Deps, type Invocation } from './context.js';

function policySettings(deps: Deps): PolicySettings {
  const c = deps.config;
  return {
    operators: c.access.operators,
    approvers: c.approvers,
    commandChannels: c.access.commandChannels,
    launchInstanceTypes: c.access.launchInstanceTypes,
    shareAllowedAccounts: allowedShareAccounts(c),
  };
}

export function accountSettings(deps: Pick<Deps, 'config'>): AccountSettings {
  return { accounts: deps.config.accounts, channelAccounts: deps.config.channelAccounts, homeRegion: deps.config.awsRegion };
}

/**
 * An account ID the person gave that is not in the managed accounts is fine only when it is snapbot's own (STS
 * says which that is); otherwise the answer names the accounts there are. False when answered.
 */
async function ownAccountConfirmed(deps: Deps, inv: Invocation): Promise<boolean> {
  if (inv.ownAccountId === undefined) return true;
  const own = await deps.estate.own.identity.accountId().then(
    (id) => id,
    (err: Error) => err,
  );
  if (own === inv.ownAccountId) return true;
  const known = deps.config.accounts.length > 0 ? `: use one of ${knownAccounts(deps.config.accounts)}${typeof own === 'string' ? `, or ${own} (snapbot's own)` : ''}` : '';
  await replyPrivately(deps, inv, {
    text:
      typeof own === 'string'
        ? `:warning: ${inv.ownAccountId} is not an account snapbot manages${known || ` (snapbot runs in ${own})`}.`
        : `:warning: Could not confirm that ${inv.ownAccountId} is snapbot's own account (${own.message}); nothing was done.`,
  });
  return false;
}

/** Whether `userId` is in a list of user and user-group IDs; 'unknown' when a group it might be in could not be read. */
async function listed(deps: Deps, ids: readonly string[], userId: string): Promise<boolean | 'unknown'> {
  if (ids.includes(userId)) return true;
  let unknown = false;
  for (const id of ids) {
    if (!id.startsWith('S')) continue;
    try {
      if ((await deps.out.userGroupMembers(id)).includes(userId)) return true;
    } catch (err) {
      deps.log.warn({ err }, `could not read members of user group ${id}`);
      unknown = true;
    }
  }
  return unknown ? 'unknown' : false;
}

/** Who is asking, as the policy needs to know it. Never throws: what Slack cannot say is 'unknown'. */
export async function whoIs(deps: Deps, inv: Pick<Invocation, 'userId' | 'teamId'>): Promise<Who> {
  const operators = deps.config.access.operators;
  let standing: Who['standing'];
  let unknownBecause: string | undefined;
  try {
    const [user, installation] = await Promise.all([deps.out.user(inv.userId), deps.out.installation()]);
    standing = standingOf(user, installation ?? { teamId: inv.teamId });
  } catch (err) {
    standing = 'unknown';
    const code = (err as { data?: { error?: string } }).data?.error;
    unknownBecause = code ? `Slack answered ${code}` : (err as Error).message;
    deps.log.warn({ err, user: inv.userId }, 'users.info failed: treating the person as unknown');
  }
  if (standing !== 'member') return { userId: inv.userId, standing, unknownBecause, operator: false, approver: false };
  const [operator, approver] = await Promise.all([
    operators === undefined ? Promise.resolve(true) : listed(deps, operators, inv.userId),
    listed(deps, deps.config.approvers, inv.userId),
  ]);
  return { userId: inv.userId, standing, operator, approver: approver === true };
}

/** The command's resource IDs, for the log line and the audit of a refusal. */
function resourcesOf(command: Command): string[] {
  const ids: string[] = [];
  for (const field of ['volumeId', 'snapshotId', 'imageId', 'instanceId', 'resourceId'] as const) {
    const v = (command as Partial<Record<typeof field, unknown>>)[field];
    if (typeof v === 'string') ids.push(v);
  }
  return ids;
}

/** What AWS says that the policy needs, read before it decides (describe calls only). */
async function factsFor(deps: Deps, inv: Invocation, act: Act): Promise<Facts | 'answered'> {
  if (act.type !== 'command' || act.command.kind !== 'ami.create') return {};
  const c = act.command;
  if (c.noReboot || c.reboot) return {};
  try {
    const instance = await deps.ec2.getInstance(deps.scope.region, c.instanceId);
    return { instance: { state: instance.state, name: nameTag(instance.tags) } };
  } catch (err) {
    if (err instanceof AwsActionError && err.kind === 'not-found') {
      // Nothing to ask about: say so now, as the create would.
      await replyPrivately(deps, inv, { text: `:x: Could not create AMI "${c.name}": ${err.message}` });
      return 'answered';
    }
    // The state is unknown: the policy asks, as it would for a running instance.
    return {};
  }
}

export interface Checked {
  /** What may happen now: refusals were answered inside `check` and never come back. */
  verdict: Exclude<Verdict, { decision: 'refuse' }>;
  /** The facts the policy was given (the reboot question shows the instance's name). */
  facts: Facts;
}

/**
 * Asks the policy about `act` by `inv`. A refusal is answered privately (naming the rule and what to do), logged
 * and audited here; the caller acts only on the other verdicts. `count: false` for clicks, which are part of a
 * command already counted against the burst limit. Returns undefined when the answer was given already.
 */
export async function check(
  deps: Deps,
  inv: Invocation,
  act: Act,
  opts: { facts?: Facts; resources?: string[]; count?: boolean; requestId?: string } = {},
): Promise<Checked | undefined> {
  if (!(await ownAccountConfirmed(deps, inv))) return undefined;
  const settings = policySettings(deps);
  const where = { channelId: inv.channelId };
  const name = act.type === 'command' ? act.command.kind : act.button;
  const resources = opts.resources ?? (act.type === 'command' ? resourcesOf(act.command) : []);
  const who = await whoIs(deps, inv);
  // Who first: a guest's command never reaches even a describe call.
  let verdict = evaluate(who, where, act, settings, opts.facts ?? {});
  let facts: Facts = opts.facts ?? {};
  if (verdict.decision !== 'refuse' && opts.facts === undefined) {
    const read = await factsFor(deps, inv, act);
    if (read === 'answered') return undefined;
    facts = read;
    verdict = evaluate(who, where, act, settings, facts);
  }
  if (verdict.decision !== 'refuse' && changesAws(act) && opts.count !== false && deps.config.access.burstLimit > 0) {
    const taken = await deps.store.burst.take(inv.userId, deps.config.access.burstLimit).catch((err: Error) => {
      // The limit protects AWS from a loop; a store outage must not also stop every command.
      deps.log.warn({ err }, 'burst limit could not be checked; allowing');
      return { ok: true } as const;
    });
    if (!taken.ok) verdict = burstRefusal(deps.config.access.burstLimit, taken.retryAt, deps.now());
  }
  const line = { user: inv.userId, channel: inv.channelId, command: name, resources, decision: verdict.decision };
  deps.metrics.decisions.inc({ kind: act.type, name, decision: verdict.decision });
  if (verdict.decision === 'refuse') deps.metrics.refusals.inc({ rule: verdict.rule });
  if (verdict.decision === 'refuse') {
    deps.log.info({ ...line, rule: verdict.rule, outcome: 'refused', standing: who.standing }, `refused ${name}: ${verdict.rule}`);
    await replyPrivately(deps, inv, { text: `:no_entry: Not allowed: ${verdict.message}` });
    for (const resourceId of resources) {
      await auditBestEffort(deps, { resourceId, actor: inv.userId, event: 'refused', detail: `${name}: ${verdict.rule}`, requestId: opts.requestId });
    }
    return undefined;
  }
  deps.log.info(line, `${verdict.decision} ${name}`);
  return { verdict, facts };
}

