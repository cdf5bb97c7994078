// /snapshot schedule, schedules, schedule pause|resume, unschedule: backup schedules as Data Lifecycle Manager
// policies. Creating and resuming act at once (they add backups); pausing and removing stop backups, so they go
// to a second person, and run from here once approved.
import { AwsActionError } from '../aws/errors.js';
import type { ApprovalAction } from '../core/approvals.js';
import type { ScheduleSpec } from '../core/commands.js';
import {
  defaultScheduleName,
  findPolicy,
  nextRunWindow,
  policyCovers,
  policyDescription,
  policyLabel,
  policyName,
  POLICY_LIMIT,
  targetTag,
  type LifecyclePolicy,
} from '../core/schedules.js';
import { TAG, nameTag } from '../core/types.js';
import { requestApproval } from './approvals.js';
import {
  announce,
  auditBestEffort,
  creationTags,
  newId,
  replyPrivately,
  type Deps,
  type Invocation,
} from './context.js';
import { isoDay } from '../core/time.js';

/** A problem to tell the person, privately, before anything changes. */
class Refusal extends Error {}

export async function createSchedule(deps: Deps, inv: Invocation, spec: ScheduleSpec): Promise<void> {
  const region = deps.scope.region;
  const name = spec.name ?? defaultScheduleName(spec);
  const requestId = newId(deps.now());
  try {
    if (spec.copyTo === region) throw new Refusal(`--copy-to ${spec.copyTo} is the region the schedule runs in; give another region for the copy, e.g. --copy-to eu-west-1.`);
    const policies = await deps.dlm.listPolicies(region);
    const twin = findPolicy(policies, name);
    if (twin) throw new Refusal(`A schedule named “${name}” already exists (${twin.id}). Pick another name with --name, or see \`/snapshot schedules\`.`);
    if (policies.length >= POLICY_LIMIT) {
      throw new Refusal(`${region} already has ${policies.length} lifecycle policies, Data Lifecycle Manager's limit per region (${POLICY_LIMIT}). Remove one (\`/snapshot unschedule <policy>\`) or ask AWS for a higher quota.`);
    }
    const label = await describeTarget(deps, region, spec);
    const tag = targetTag(spec.target, name);
    const accountId = await deps.identity.accountId();
    const roleArn = `arn:aws:iam::${accountId}:role/${deps.config.dlmRoleName}`;
    let policyId: string;
    try {
      policyId = await deps.dlm.createPolicy(region, {
        spec,
        name,
        description: policyDescription(name, spec),
        targetTag: tag,
        executionRoleArn: roleArn,
        tags: { ...creationTags(inv, requestId, name), [TAG.scheduleName]: name },
      });
    } catch (err) {
      throw roleProblem(err, deps.config.dlmRoleName, accountId) ?? err;
    }
    const targetId = spec.target.type === 'volume' ? spec.target.volumeId : spec.target.type === 'instance' ? spec.target.instanceId : undefined;
    let tagProblem: string | undefined;
    if (targetId) {
      try {
        await deps.ec2.tag(region, targetId, { [tag.key]: tag.value });
      } catch (err) {
        tagProblem = `${targetId} could not be tagged ${tag.key} (${(err as Error).message}), so the schedule has nothing to back up yet: tag it by hand, or fix the permission and run the command again.`;
      }
      await auditBestEffort(deps, { resourceId: targetId, actor: inv.userId, event: 'scheduled', detail: `${policyId} “${name}”`, requestId });
    }
    await auditBestEffort(deps, { resourceId: policyId, actor: inv.userId, event: 'created', detail: `schedule “${name}” for ${label}`, requestId });
    const policy = await deps.dlm.getPolicy(region, policyId).catch(() => undefined);
    await announce(deps, inv, deps.views.scheduleCreatedMessage({ policyId, name, spec, label, requesterId: inv.userId, policy, now: deps.now(), region, tagProblem, ...(deps.config.mode === 'sandbox' ? { spedUp: true } : {}) }));
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:${err instanceof Refusal ? 'no_entry' : 'x'}: No schedule was created: ${(err as Error).message}` });
  }
}

/** What the schedule backs up, in words, after checking it exists (a tag target that matches nothing is refused unless asked). */
async function describeTarget(deps: Deps, region: string, spec: ScheduleSpec): Promise<string> {
  const t = spec.target;
  if (t.type === 'volume') {
    const v = await deps.ec2.getVolume(region, t.volumeId);
    return `${v.id}${nameTag(v.tags) ? ` (${nameTag(v.tags)})` : ''}`;
  }
  if (t.type === 'instance') {
    const i = await deps.ec2.getInstance(region, t.instanceId);
    return `every volume of ${i.id}${nameTag(i.tags) ? ` (${nameTag(i.tags)})` : ''}, crash-consistent`;
  }
  const matching = (await deps.ec2.listVolumes(region)).filter((v) => v.tags[t.key] === t.value);
  if (matching.length === 0 && !spec.createAnyway) {
    throw new Refusal(
      `no volume in ${region} has the tag ${t.key}=${t.value}, so the schedule would back up nothing yet. Check the tag, or create it anyway (volumes tagged later are picked up): add --create-anyway to the same command.`,
    );
  }
  return `volumes tagged ${t.key}=${t.value} (${matching.length} now)`;
}

/** DLM's answer when the execution role is missing or cannot be passed, turned into what to do. */
function roleProblem(err: unknown, roleName: string, accountId: string): Refusal | undefined {
  if (!(err instanceof AwsActionError)) return undefined;
  const message = err.message;
  if (err.kind === 'not-permitted' && /PassRole/i.test(message)) {
    return new Refusal(`snapbot may not pass the role ${roleName} to Data Lifecycle Manager: its IAM policy needs iam:PassRole on arn:aws:iam::${accountId}:role/${roleName} (see iam-policy.json).`);
  }
  if (/role/i.test(message) && err.kind !== 'not-permitted') {
    const create =
      roleName === 'AWSDataLifecycleManagerDefaultRole'
        ? '`aws dlm create-default-role --resource-type snapshot`'
        : `an IAM role named ${roleName} that dlm.amazonaws.com may assume, with the AWS managed policy AWSDataLifecycleManagerServiceRole`;
    return new Refusal(
      `the execution role ${roleName} does not exist in account ${accountId} (Data Lifecycle Manager runs schedules as it). Create it once with ${create}, then run the command again (snapbot's DLM_ROLE_NAME setting names the role).`,
    );
  }
  return undefined;
}

export async function listSchedules(deps: Deps, inv: Invocation): Promise<void> {
  const region = deps.scope.region;
  try {
    const [policies, volumes, instances] = await Promise.all([
      deps.dlm.listPolicies(region),
      deps.ec2.listVolumes(region),
      deps.ec2.listInstances(region).catch(() => []),
    ]);
    await replyPrivately(deps, inv, deps.views.schedulesMessage(policies, { volumes, instances, region, now: deps.now() }));
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: Could not list the backup schedules in ${region}: ${(err as Error).message}` });
  }
}

/** Pause or remove: find the policy, then ask a second person. */
export async function requestScheduleChange(deps: Deps, inv: Invocation, change: 'pause' | 'delete', ref: string, reason?: string): Promise<void> {
  const region = deps.scope.region;
  let policy: LifecyclePolicy;
  try {
    policy = await resolvePolicy(deps, region, ref);
    if (change === 'pause' && policy.state === 'DISABLED') {
      return replyPrivately(deps, inv, { text: `:information_source: ${policyLabel(policy)} is already paused; nothing to request. \`/snapshot schedule resume ${ref}\` starts it again.` });
    }
  } catch (err) {
    return replyPrivately(deps, inv, { text: `:x: ${(err as Error).message}` });
  }
  const action: ApprovalAction = { type: change === 'pause' ? 'schedule.pause' : 'schedule.delete', policyId: policy.id, ...(policyName(policy) ? { name: policyName(policy) } : {}) };
  await requestApproval(deps, inv, action, reason);
}

export async function resumeSchedule(deps: Deps, inv: Invocation, ref: string): Promise<void> {
  const region = deps.scope.region;
  try {
    const policy = await resolvePolicy(deps, region, ref);
    if (policy.state === 'ENABLED') return replyPrivately(deps, inv, { text: `:information_source: ${policyLabel(policy)} is already running.` });
    await deps.dlm.setState(region, policy.id, 'ENABLED');
    await auditBestEffort(deps, { resourceId: policy.id, actor: inv.userId, event: 'resumed' });
    const next = policy.schedules.map((s) => nextRunWindow(s, deps.now())).find(Boolean);
    await announce(deps, inv, {
      text: `:arrow_forward: <@${inv.userId}> resumed the backup schedule ${policyLabel(policy)}.${next ? ` Next run between ${hhmm(next.from)} and ${hhmm(next.to)} UTC on ${isoDay(next.from)}.` : ''}`,
    });
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: Could not resume ${ref}: ${(err as Error).message}` });
  }
}

async function resolvePolicy(deps: Deps, region: string, ref: string): Promise<LifecyclePolicy> {
  const policies = await deps.dlm.listPolicies(region);
  const policy = findPolicy(policies, ref);
  if (!policy) {
    const names = policies.map((p) => policyName(p) ?? p.id).slice(0, 10);
    throw new Error(`There is no schedule ${ref} in ${region}.${names.length ? ` Schedules here: ${names.join(', ')}.` : ' There are no schedules here yet.'} \`/snapshot schedules\` lists them.`);
  }
  return policy;
}

function hhmm(d: Date): string {
  return d.toISOString().slice(11, 16);
}

/** Why a schedule's volume or instance target does not exist in the modal's region, or undefined (it does, or EC2 did not say). */
export async function scheduleTargetMissing(deps: Deps, target: ScheduleSpec['target']): Promise<string | undefined> {
  const region = deps.scope.region;
  try {
    if (target.type === 'volume') await deps.ec2.getVolume(region, target.volumeId);
    else if (target.type === 'instance') await deps.ec2.getInstance(region, target.instanceId);
    return undefined;
  } catch (err) {
    if (err instanceof AwsActionError && err.kind === 'not-found') return err.message.slice(0, 150);
    return undefined;
  }
}
