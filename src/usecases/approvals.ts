// Approval-gated actions: request (refuse early with the reason, record, then post), decide (first decision wins,
// enforced by DynamoDB), execute exactly once, expire, and recover after a crash.
import { allowedShareAccounts } from '../core/accounts.js';
import { AwsActionError } from '../aws/errors.js';
import {
  KEEP_SHARED_DAYS,
  actionResourceId,
  approvalDeadline,
  describeAction,
  mayDecide,
  type ApprovalAction,
  type ApprovalRequest,
  type RiskSummary,
} from '../core/approvals.js';
import { archiveEarlyDeletionWarning, formatGiB, formatMonthlyUsd, snapshotMonthlyUsd, snapshotSizeGiB } from '../core/cost.js';
import { ageInDays } from '../core/staleness/index.js';
import { TAG, imageSnapshotIds, isInstanceStore, nameTag, type Snapshot } from '../core/types.js';
import { approvalRequestMessage, requestedNotice, requesterNotice } from '../slack/views/approvals.js';
import { onDemandUsdPerHour } from '../core/prices.js';
import { outsideAccounts } from '../core/shares.js';
import {
  AlreadyDecidedError,
  ExpiredError,
  NotFoundError,
  NotRequesterError,
  SelfDecisionError,
  StoreUnavailableError,
} from '../store/index.js';
import { check } from './access.js';
import { freedLine } from './cost.js';
import { recoveryLine } from './recycle-bin.js';
import { lockRefusal, protectionRefusal, runSafetyAction, safetyRisk } from './safety.js';
import { runScheduleChange, scheduleChangeRisk } from './schedules.js';
import { rememberSharing } from './shares.js';
import { auditBestEffort, creationTags, depsAt, replyPrivately, type Deps, type Invocation } from './context.js';

/** A request that cannot be made at all, with the reason and what to do instead. */
class Refusal extends Error {}

/** Records, then posts, the request; returns it once recorded (undefined when it was refused or not recorded). */
export async function requestApproval(deps: Deps, inv: Invocation, action: ApprovalAction, reason?: string): Promise<ApprovalRequest | undefined> {
  const region = deps.scope.region;
  const what = describeAction(action);
  let request: ApprovalRequest;
  try {
    const pending = await deps.store.approvals.listPending(deps.now());
    const account = deps.scope.account?.id;
    const twin = pending.find((p) => p.region === region && p.account === account && JSON.stringify(p.action) === JSON.stringify(action));
    if (twin) {
      throw new Refusal(`A request to ${what} is already waiting for approval (request \`${twin.id}\` by <@${twin.requester.userId}>); no second one was made.`);
    }
    const { risk, relatedIds } = await assessRisk(deps, action);
    request = await deps.store.approvals.create({
      action,
      region,
      ...(account ? { account } : {}),
      requester: { userId: inv.userId, channelId: inv.channelId },
      reason,
      risk,
      relatedIds,
      decideBy: approvalDeadline(deps.now(), deps.config.approvalTtlHours),
    });
    deps.metrics.approvals.inc({ state: 'pending', action: action.type });
  } catch (err) {
    const text =
      err instanceof Refusal
        ? `:no_entry: Not requested: ${err.message}`
        : err instanceof StoreUnavailableError
          ? `:x: Could not record the request to ${what}: ${err.message} Nothing was requested or changed; try again shortly.`
          : `:x: Could not request to ${what}: ${(err as Error).message}`;
    await replyPrivately(deps, inv, { text });
    return undefined;
  }
  try {
    const posted = await deps.out.post(deps.config.approvalChannel, approvalRequestMessage(request));
    await deps.store.approvals.setMessage(request.id, posted.channel, posted.ts);
    await replyPrivately(deps, inv, requestedNotice(request, deps.config.approvalChannel, deps.config.approvalTtlHours));
  } catch (err) {
    deps.log.error({ err, requestId: request.id }, 'approval request recorded but not posted');
    await replyPrivately(deps, inv, {
      text: `:warning: The request to ${what} is recorded (\`${request.id}\`) but could not be posted to <#${deps.config.approvalChannel}>: ${(err as Error).message}. Ask an approver to look at it in snapbot's Home tab.`,
    });
  }
  return request;
}

/** Facts an approver needs, and the refusals AWS would give anyway, found before anything is recorded. */
async function assessRisk(deps: Deps, action: ApprovalAction): Promise<{ risk: RiskSummary; relatedIds?: string[] }> {
  const region = deps.scope.region;
  const prices = deps.config.prices;
  const now = deps.now();
  switch (action.type) {
    case 'share.public':
    case 'share.account': {
      const isPublic = action.type === 'share.public';
      const lines: string[] = [];
      let bpa: RiskSummary['blockPublicAccess'];
      if (action.resourceId.startsWith('snap-')) {
        const snap = await deps.ec2.getSnapshot(region, action.resourceId);
        if (isPublic && snap.encrypted) {
          throw new Refusal(`${snap.id} is encrypted, and AWS never makes encrypted snapshots public. Share it with specific accounts instead: \`/share ${snap.id} <account-id>\` (they need access to the KMS key).`);
        }
        if (isPublic) {
          const state = await deps.ec2.snapshotBlockPublicAccess(region);
          if (state === 'block-all-sharing' || state === 'block-new-sharing') {
            throw new Refusal(`block public access for snapshots is on in ${region} (${state}), so AWS would refuse to make ${snap.id} public. An account admin must turn it off first, or share with an account instead.`);
          }
          bpa = state === 'unknown' ? 'unknown' : 'unblocked';
          lines.push(`Anyone with an AWS account could create a volume from ${snap.id} and read all ${snap.volumeSizeGiB} GiB of its data.`);
        }
        if (!isPublic) lines.push(`Account ${(action as { accountId: string }).accountId} could create volumes from ${snap.id} (${snap.volumeSizeGiB} GiB).`);
      } else {
        const image = await deps.ec2.getImage(region, action.resourceId);
        if (isPublic && image.blockDevices.some((b) => b.encrypted)) {
          throw new Refusal(`${image.id} has encrypted snapshots, and AWS never makes such AMIs public. Share it with specific accounts instead.`);
        }
        if (isPublic) {
          const state = await deps.ec2.imageBlockPublicAccess(region);
          if (state === 'block-new-sharing' || state === 'block-all-sharing') {
            throw new Refusal(`block public access for AMIs is on in ${region} (${state}), so AWS would refuse to make ${image.id} public. An account admin must turn it off first, or share with an account instead.`);
          }
          bpa = state === 'unknown' ? 'unknown' : 'unblocked';
          lines.push(`Anyone with an AWS account could launch "${image.name}" and copy its disks.`);
        }
        if (!isPublic) lines.push(`Account ${(action as { accountId: string }).accountId} could launch "${image.name}".`);
      }
      if (bpa === 'unknown') lines.push('Account-level block public access state is unknown (snapbot could not read it).');
      if (!isPublic) lines.push('The account is not one of the accounts snapbot may share with at once.');
      return { risk: { lines, publicExposure: isPublic, blockPublicAccess: bpa } };
    }
    case 'ami.launch': {
      const image = await deps.ec2.getImage(region, action.imageId);
      if (image.state !== 'available') throw new Refusal(`${image.id} is ${image.state}: only an available AMI can be launched.`);
      const price = onDemandUsdPerHour(region, action.instanceType);
      const lines = [
        `Launches one ${action.instanceType} instance from "${image.name}" (${image.id})${action.subnetId ? ` in ${action.subnetId}` : " in the region's default subnet"}${action.keyName ? `, key pair ${action.keyName}` : ''}.`,
        price
          ? `On-demand price: $${price.usdPerHour.toFixed(4)}/hour, about ${formatMonthlyUsd(price.usdPerHour * 730)} running all month (${price.source}).`
          : `snapbot has no price for ${action.instanceType} in ${region}; check the EC2 pricing page.`,
        'It runs until someone stops or terminates it: snapbot does not manage instances.',
      ];
      return { risk: { lines } };
    }
    case 'share.keep': {
      const sharing = await deps.ec2.sharing(region, action.resourceId);
      const outside = outsideAccounts(sharing.accounts, allowedShareAccounts(deps.config));
      const lines: string[] = [];
      if (sharing.public) lines.push(`${action.resourceId} is public: any AWS account can copy its data.`);
      if (outside.length) lines.push(`${action.resourceId} is shared with ${outside.join(', ')}, outside the accounts snapbot may share with at once.`);
      if (!lines.length) throw new Refusal(`${action.resourceId} is no longer public or shared outside the allowed accounts; there is nothing to keep.`);
      lines.push(`Approving keeps it as it is; the digest lists it in one line instead of as a finding for ${KEEP_SHARED_DAYS} days.`);
      return { risk: { lines, publicExposure: sharing.public } };
    }
    case 'schedule.pause':
    case 'schedule.delete':
      return { risk: await scheduleChangeRisk(deps, action) };
    case 'snapshot.lock':
    case 'snapshot.unlock':
    case 'ami.unprotect':
      return { risk: await safetyRisk(deps, action) };
    case 'snapshot.delete': {
      const snap = await deps.ec2.getSnapshot(region, action.snapshotId);
      const locked = await lockRefusal(deps, region, snap.id);
      if (locked) throw new Refusal(locked);
      if (snap.tags[TAG.backupSource]) {
        throw new Refusal(`${snap.id} is managed by AWS Backup (${snap.tags[TAG.backupSource]}); delete it through its backup vault and plan instead.`);
      }
      const images = await deps.ec2.listOwnImages(region);
      const users = images.filter((i) => imageSnapshotIds(i).includes(snap.id) && i.state !== 'deregistered');
      if (users.length) {
        const ids = users.map((i) => i.id);
        const named = users.map((i) => `${i.id}${i.name ? ` (“${i.name}”)` : ''}`);
        throw new Refusal(`${snap.id} is used by ${named.join(', ')}; AWS refuses to delete a snapshot an AMI uses. Deregister the AMI with its snapshots instead: \`/ami deregister ${ids[0]} --delete-snapshots\`.`);
      }
      const lt = await deps.ec2.launchTemplateUsage(region).catch(() => undefined);
      if (lt?.snapshotIds.has(snap.id)) {
        throw new Refusal(`${snap.id} is used by a launch template's default or latest version; launches from it would fail. Update the launch template first.`);
      }
      const risk = snapshotDeletionRisk(snap, deps.config.prices, now);
      risk.lines.splice(1, 0, (await recoveryLine(deps, region, 'snapshot', snap.tags)).text);
      // What it really frees, from the blocks no other snapshot shares; the "up to" stays where that is unknown.
      const freed = await freedLine(deps, region, snap.id);
      if (freed.measured && freed.usd !== undefined) {
        risk.monthlyUsdFreed = freed.usd;
        risk.monthlyUsdExact = true;
        risk.lines = risk.lines.filter((l) => !l.startsWith('Snapshots are incremental'));
      }
      risk.lines.push(freed.text);
      if (!lt) risk.lines.push('Launch templates could not be read: check none of them uses this snapshot.');
      return { risk };
    }
    case 'ami.deregister': {
      const image = await deps.ec2.getImage(region, action.imageId);
      const protectedImage = protectionRefusal(image);
      if (protectedImage) throw new Refusal(protectedImage);
      const snapIds = imageSnapshotIds(image);
      const snaps: Snapshot[] = await deps.ec2.getSnapshots(region, snapIds).catch(() => []);
      if (action.deleteSnapshots) {
        const locks = await deps.ec2.snapshotLocks(region, snapIds).catch(() => new Map());
        if (locks.size) {
          throw new Refusal(`${[...locks.keys()].join(', ')} of ${image.id} ${locks.size === 1 ? 'is' : 'are'} locked against deletion. Deregister it without --delete-snapshots, or unlock ${locks.size === 1 ? 'it' : 'them'} first.`);
        }
      }
      const usd = snaps.reduce((a, s) => a + snapshotMonthlyUsd(s, prices), 0);
      const since = image.lastLaunchedTime ? `last launched ${ageInDays(image.lastLaunchedTime, now)} days ago` : 'never launched';
      const lines: string[] = [
        `“${image.name}” ${image.id}: created ${image.creationDate ? `${ageInDays(image.creationDate, now)} days ago` : 'at an unknown date'}, ${since}, ${isInstanceStore(image) ? 'instance store-backed' : `${snapIds.length} snapshot(s)`}.`,
        `The AMI: ${(await recoveryLine(deps, region, 'image', image.tags)).text}`,
      ];
      if (isInstanceStore(image)) {
        // Deregistering an S3-bundled AMI leaves the bundle where it is, still billed by S3.
        lines.push(
          `Its bundle stays in S3${image.imageLocation ? ` at ${image.imageLocation}` : ''}: deregistering does not delete it, and S3 keeps billing it. Delete the bundle's objects (the manifest and its parts) from that bucket to stop paying for them.`,
        );
      }
      if (action.deleteSnapshots && snaps.length) {
        lines.push(`Its snapshots: ${(await recoveryLine(deps, region, 'snapshot', snaps[0].tags)).text}`);
      }
      const [instances, lt] = await Promise.all([
        deps.ec2.imageIdsInUseByInstances(region).catch(() => new Set<string>()),
        deps.ec2.launchTemplateUsage(region).catch(() => undefined),
      ]);
      if (instances.has(image.id)) lines.push(`Instances still run from ${image.id}; they keep running, but cannot be relaunched from it.`);
      if (lt?.imageIds.has(image.id)) lines.push(`A launch template uses ${image.id}: launches from it will fail.`);
      if (image.public) lines.push(`${image.id} is public: others may depend on it.`);
      if (action.deleteSnapshots) {
        lines.push(`Deletes ${snapIds.length} snapshot(s): ${snapIds.join(', ') || 'none'}.`);
        for (const s of snaps) {
          const warn = archiveEarlyDeletionWarning(s, now, { prices });
          if (warn) lines.push(`${s.id} is ${warn}.`);
        }
      } else if (snapIds.length) {
        lines.push(`Its ${snapIds.length} snapshot(s) are kept and keep costing ${formatMonthlyUsd(usd)}.`);
      }
      return {
        risk: { lines, monthlyUsdFreed: action.deleteSnapshots ? usd : 0, usedBy: lt?.imageIds.has(image.id) ? ['a launch template'] : undefined },
        relatedIds: action.deleteSnapshots ? snapIds : undefined,
      };
    }
  }
}

function snapshotDeletionRisk(snap: Snapshot, prices: Deps['config']['prices'], now: Date): RiskSummary {
  const name = nameTag(snap.tags);
  const size = snap.fullSizeBytes !== undefined ? `${formatGiB(snapshotSizeGiB(snap))} of data stored` : `${formatGiB(snap.volumeSizeGiB)} volume size`;
  const lines = [
    `${name ? `“${name}” ` : ''}${snap.id}: ${ageInDays(snap.startTime, now)} days old, ${size}, ${snap.storageTier} tier, from ${snap.volumeId ?? 'a copy (no source volume)'}${snap.description ? ` — ${snap.description.slice(0, 120)}` : ''}.`,
  ];
  const warn = archiveEarlyDeletionWarning(snap, now, { prices });
  if (warn) lines.push(`It is ${warn}.`);
  if (snap.tags[TAG.dlmPolicy]) lines.push(`Managed by Data Lifecycle Manager policy ${snap.tags[TAG.dlmPolicy]}, which would delete it on its own schedule.`);
  lines.push('Snapshots are incremental: blocks shared with other snapshots of the volume stay billed, so the saving is an upper bound.');
  return { lines, monthlyUsdFreed: snapshotMonthlyUsd(snap, prices), earlyDeletionCharge: Boolean(warn) };
}

/** Whoever clicked Approve or Reject: decide, and for an approval run the action once. */
export async function decide(
  deps: Deps,
  click: { userId: string; channelId: string; teamId?: string; requestId: string; decision: 'approved' | 'rejected'; reason?: string },
): Promise<void> {
  const privately = (text: string) => replyPrivately(deps, { userId: click.userId, channelId: click.channelId }, { text });
  let request: ApprovalRequest | undefined;
  try {
    request = await deps.store.approvals.get(click.requestId);
    if (!request) return privately(`:x: Request \`${click.requestId}\` does not exist.`);
    if (!(await mayDecideNow(deps, click, request))) return;
    request = await deps.store.approvals.decide(click.requestId, { decision: click.decision, by: click.userId, reason: click.reason, now: deps.now() });
    deps.metrics.approvals.inc({ state: request.status, action: request.action.type });
  } catch (err) {
    if (err instanceof AlreadyDecidedError || err instanceof ExpiredError || err instanceof SelfDecisionError || err instanceof NotFoundError) {
      return privately(`:information_source: ${err.message} Nothing changed.`);
    }
    if (err instanceof StoreUnavailableError) return privately(`:x: ${err.message} Nothing was decided; try again shortly.`);
    throw err;
  }
  await showOnRequest(deps, request);
  if (request.status === 'approved') await execute(deps, request.id);
  else await notifyRequester(deps, request);
}

/**
 * Whether the clicker may decide this request now: an approver (the access policy), not the requester, while it is
 * open. Says why not privately, and keeps the refusal in the request's history.
 */
export async function mayDecideNow(
  deps: Deps,
  click: { userId: string; channelId: string; teamId?: string },
  request: ApprovalRequest,
): Promise<boolean> {
  const resources = [actionResourceId(request.action)];
  // The request's own state first: "you asked for this" or "already decided by …" says more than a role would.
  const permission = mayDecide(request, click.userId, { now: deps.now() });
  if (!permission.ok) {
    deps.log.info({ user: click.userId, channel: click.channelId, command: 'approval.decide', resources, decision: 'refuse', outcome: 'refused' }, 'refused approval.decide: request');
    await replyPrivately(deps, click, { text: `:no_entry: Not allowed: ${permission.reason} Nothing changed.` });
    await auditBestEffort(deps, { resourceId: resources[0], actor: click.userId, event: 'refused', detail: permission.reason, requestId: request.id });
    return false;
  }
  return (await check(deps, click, { type: 'button', button: 'approval.decide' }, { resources, count: false, requestId: request.id })) !== undefined;
}

/** The requester takes back their own pending request (the card's Withdraw, or /snapshot withdraw). */
export async function withdrawRequest(deps: Deps, inv: Invocation, requestId: string): Promise<void> {
  let request: ApprovalRequest | undefined;
  try {
    request = await deps.store.approvals.get(requestId);
    if (!request) return replyPrivately(deps, inv, { text: `:x: Request \`${requestId}\` does not exist.` });
    const allowed = await check(deps, inv, { type: 'button', button: 'approval.withdraw' }, {
      facts: { requesterId: request.requester.userId },
      resources: [actionResourceId(request.action)],
      count: false,
      requestId,
    });
    if (!allowed) return;
    request = await deps.store.approvals.withdraw(requestId, inv.userId, { now: deps.now() });
    deps.metrics.approvals.inc({ state: 'withdrawn', action: request.action.type });
  } catch (err) {
    if (err instanceof AlreadyDecidedError || err instanceof ExpiredError || err instanceof NotRequesterError || err instanceof NotFoundError) {
      return replyPrivately(deps, inv, { text: `:information_source: ${err.message} Nothing changed.` });
    }
    if (err instanceof StoreUnavailableError) return replyPrivately(deps, inv, { text: `:x: ${err.message} Nothing was withdrawn; try again shortly.` });
    throw err;
  }
  await showOnRequest(deps, request);
  await replyPrivately(deps, inv, { text: `:leftwards_arrow_with_hook: You withdrew the request to ${describeAction(request.action)} (\`${request.id}\`); nothing was changed in AWS.` });
}

/** approved → executing → done|failed, exactly once across clicks, retries and replicas (a conditional write). */
export async function execute(deps: Deps, requestId: string, opts: { resume?: boolean } = {}): Promise<void> {
  const started = opts.resume
    ? await deps.store.approvals.resumeExecution(requestId, { staleBefore: new Date(deps.now().getTime() - 120_000), now: deps.now() })
    : await deps.store.approvals.startExecution(requestId, { now: deps.now() });
  if (!started) return;
  const request = await deps.store.approvals.get(requestId);
  if (!request) return;
  let outcome: { ok: boolean; message: string };
  try {
    outcome = { ok: true, message: await runAction(deps, request) };
  } catch (err) {
    outcome = { ok: false, message: (err as Error).message };
  }
  const finished = await deps.store.approvals.finish(requestId, outcome, { now: deps.now() });
  deps.metrics.approvals.inc({ state: finished.status, action: finished.action.type });
  await showOnRequest(deps, finished);
  await notifyRequester(deps, finished);
}

async function runAction(base: Deps, r: ApprovalRequest): Promise<string> {
  const a = r.action;
  // The account and region it was asked for; requests from before ACCOUNTS have none, which means snapbot's own.
  const deps = depsAt(base, r);
  if ('problem' in deps) throw new Error(`Not done: ${deps.problem}.`);
  const gone = (id: string) => (err: unknown) => {
    // Deleting what is already gone counts as done (a crash may have run the action before it was recorded).
    if (err instanceof AwsActionError && err.kind === 'not-found') return `${id} was already gone.`;
    throw err;
  };
  switch (a.type) {
    case 'share.public':
    case 'share.account': {
      const target = a.type === 'share.public' ? ({ type: 'public' } as const) : ({ type: 'account', accountId: a.accountId } as const);
      await deps.ec2.setSharing(r.region, a.resourceId, target, 'add');
      if (target.type === 'account') rememberSharing(deps, r.region, a.resourceId);
      return a.type === 'share.public' ? `${a.resourceId} is now public.` : `${a.resourceId} is now shared with account ${a.accountId}.`;
    }
    case 'snapshot.delete':
      return deps.ec2.deleteSnapshot(r.region, a.snapshotId).then(() => `${a.snapshotId} deleted.`, gone(a.snapshotId));
    case 'ami.launch': {
      const instance = await deps.ec2.runInstance(r.region, {
        imageId: a.imageId,
        instanceType: a.instanceType,
        subnetId: a.subnetId,
        keyName: a.keyName,
        tags: creationTags({ userId: r.requester.userId, channelId: r.requester.channelId }, r.id),
      });
      await auditBestEffort(deps, { resourceId: a.imageId, actor: r.requester.userId, event: 'launched', detail: `as ${instance.id}`, requestId: r.id });
      return `Launched ${instance.id} (${instance.type}${instance.availabilityZone ? ` in ${instance.availabilityZone}` : ''}), ${instance.state}. Stop or terminate it when done: snapbot does not manage instances.`;
    }
    case 'share.keep': {
      const until = new Date(deps.now().getTime() + KEEP_SHARED_DAYS * 86_400_000);
      await deps.store.snoozes.put(a.resourceId, until, r.decidedBy ?? r.requester.userId, 'keep-shared');
      return `${a.resourceId} stays shared; the digest lists it in one line until ${until.toISOString().slice(0, 10)}.`;
    }
    case 'schedule.pause':
    case 'schedule.delete':
      return runScheduleChange(deps, r.region, a);
    case 'snapshot.lock':
    case 'snapshot.unlock':
    case 'ami.unprotect':
      return runSafetyAction(deps, r.region, a);
    case 'ami.deregister':
      return deps.ec2.deregisterImage(r.region, a.imageId, a.deleteSnapshots).then((res) => {
        const parts = [`${a.imageId} deregistered.`];
        if (res.deletedSnapshots.length) parts.push(`Deleted ${res.deletedSnapshots.join(', ')}.`);
        for (const k of res.keptSnapshots) parts.push(`Kept ${k.id}: ${k.why}`);
        return parts.join(' ');
      }, gone(a.imageId));
  }
}

async function showOnRequest(deps: Deps, r: ApprovalRequest): Promise<void> {
  if (r.message) await deps.out.tryUpdate(r.message, approvalRequestMessage(r));
}

/** The outcome goes where the requester will see it, a direct message; the card's thread keeps it too. */
async function notifyRequester(deps: Deps, r: ApprovalRequest): Promise<void> {
  try {
    await deps.out.dm(r.requester.userId, requesterNotice(r));
  } catch (err) {
    deps.log.warn({ err, requestId: r.id }, 'could not tell the requester');
  }
  if (r.message) await deps.out.post(r.message.channel, requesterNotice(r), r.message.ts).catch(() => undefined);
}

/** The periodic sweep: pending requests past their deadline become expired, on their message too. */
export async function expireOverdue(deps: Deps): Promise<number> {
  const expired = await deps.store.approvals.expireDue(deps.now());
  for (const r of expired) {
    deps.metrics.approvals.inc({ state: 'expired', action: r.action.type });
    await showOnRequest(deps, r);
    await notifyRequester(deps, r);
  }
  return expired.length;
}

/** After a crash: approved requests run now; ones left executing are taken over once they are stale. */
export async function recoverInFlight(deps: Deps): Promise<number> {
  const inFlight = await deps.store.approvals.listInFlight();
  for (const r of inFlight) {
    await execute(deps, r.id, { resume: r.status === 'executing' }).catch((err) =>
      deps.log.error({ err, requestId: r.id }, 'recovering an approved request failed'),
    );
  }
  return inFlight.length;
}

