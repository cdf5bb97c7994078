// Approval-gated actions: request (refuse early with the reason, record, then post), decide (first decision wins,
// enforced by DynamoDB), execute exactly once, expire, and recover after a crash. What each kind of action is and
// does is its entry in APPROVAL_ACTIONS (core) and APPROVAL_RUNNERS (./approval-actions/).
import { approvalActionSpec } from '../core/approval-actions.js';
import {
  actionResourceId,
  approvalDeadline,
  describeAction,
  mayDecide,
  type ApprovalAction,
  type ApprovalRequest,
} from '../core/approvals.js';
import {
  AlreadyDecidedError,
  ExpiredError,
  InvalidTransitionError,
  NotFoundError,
  NotRequesterError,
  SelfDecisionError,
  StoreUnavailableError,
} from '../store/index.js';
import { check } from './access.js';
import { assessApproval, Refusal, runApproval } from './approval-actions/index.js';
import { auditBestEffort, depsAt, replyPrivately, type Deps, type Invocation } from './context.js';

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
    const { risk, relatedIds } = await assessApproval(deps, action);
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
    const posted = await deps.out.post(deps.config.approvalChannel, deps.views.approvalRequestMessage(request));
    await deps.store.approvals.setMessage(request.id, posted.channel, posted.ts);
    await tellRequester(deps, inv, request);
  } catch (err) {
    deps.log.error({ err, requestId: request.id }, 'approval request recorded but not posted');
    await replyPrivately(deps, inv, {
      text: `:warning: The request to ${what} is recorded (\`${request.id}\`) but could not be posted to <#${deps.config.approvalChannel}>: ${(err as Error).message}. Ask an approver to look at it in snapbot's Home tab.`,
    });
  }
  return request;
}

/**
 * The requester's private note, with *Withdraw*. Through the command's response_url where there is one, and that URL
 * kept with the request, so the note is replaced (without *Withdraw*) once the request is decided; elsewhere (a
 * button's request) an ephemeral message, whose *Withdraw* answers "already decided" once it is.
 */
async function tellRequester(deps: Deps, inv: Invocation, request: ApprovalRequest): Promise<void> {
  const note = deps.views.requestedNotice(request, deps.config.approvalChannel, deps.config.approvalTtlHours);
  if (inv.responseUrl && (await deps.out.respond(inv.responseUrl, note))) {
    await deps.store.approvals.setNotice(request.id, inv.responseUrl, deps.now()).catch((err) => deps.log.warn({ err, requestId: request.id }, 'the note could not be linked to its request'));
    return;
  }
  await replyPrivately(deps, inv, note);
}

/** Slack accepts a response_url for 30 minutes. */
const RESPONSE_URL_MS = 30 * 60_000;

/** The requester's note, once the request is no longer pending: what happened, and no *Withdraw*. */
async function replaceNotice(deps: Deps, r: ApprovalRequest): Promise<void> {
  if (!r.notice || r.status === 'pending' || deps.now().getTime() - Date.parse(r.notice.at) > RESPONSE_URL_MS) return;
  await deps.out.replaceOriginal(r.notice.responseUrl, deps.views.requesterNotice(r));
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

/**
 * approved → executing → done|failed, exactly once across clicks, retries and replicas (a conditional write). The
 * replica that starts it holds a lease it renews while the action runs, so a slow action (throttled retries, an AMI
 * with many snapshots) is never taken over by another replica's recovery; one that crashed stops renewing, and its
 * work is resumed once the lease is stale.
 */
export async function execute(deps: Deps, requestId: string, opts: { resume?: boolean } = {}): Promise<void> {
  const owner = deps.replica.id;
  const started = opts.resume
    ? await deps.store.approvals.resumeExecution(requestId, { staleBefore: new Date(deps.now().getTime() - deps.replica.staleAfterMs), now: deps.now(), owner })
    : await deps.store.approvals.startExecution(requestId, { now: deps.now(), owner });
  if (!started) return;
  const request = await deps.store.approvals.get(requestId);
  if (!request) return;
  let leaseLost = false;
  const heartbeat = setInterval(() => {
    deps.store.approvals.heartbeat(requestId, owner, { now: deps.now() }).then(
      (held) => {
        if (!held && !leaseLost) {
          leaseLost = true;
          deps.log.warn({ requestId }, 'approved action: another replica took it over; it reports the outcome');
        }
      },
      (err: unknown) => deps.log.warn({ err, requestId }, 'approved action: the lease could not be renewed'),
    );
  }, deps.replica.heartbeatMs);
  heartbeat.unref();
  let outcome: { ok: boolean; message: string };
  try {
    outcome = { ok: true, message: await runAction(deps, request) };
  } catch (err) {
    outcome = { ok: false, message: (err as Error).message };
  } finally {
    clearInterval(heartbeat);
  }
  let finished: ApprovalRequest;
  try {
    finished = await deps.store.approvals.finish(requestId, outcome, { now: deps.now(), owner });
  } catch (err) {
    if (!(err instanceof InvalidTransitionError)) throw err;
    deps.log.warn({ requestId }, 'approved action finished here after another replica took it over; its outcome stands');
    return;
  }
  deps.metrics.approvals.inc({ state: finished.status, action: finished.action.type });
  if (finished.status === 'done') await recordSaving(deps, finished);
  await showOnRequest(deps, finished);
  await notifyRequester(deps, finished);
}

/** The savings ledger's entry for a done deletion or deregistration: what its card said it frees, labelled. */
async function recordSaving(deps: Deps, r: ApprovalRequest): Promise<void> {
  const kind = approvalActionSpec(r.action).saves;
  const usdMonth = r.risk.monthlyUsdFreed;
  if (!kind || usdMonth === undefined) return;
  await deps.store.savings
    .record({
      kind,
      resourceId: actionResourceId(r.action),
      usdMonth,
      measured: Boolean(r.risk.monthlyUsdExact),
      at: deps.now().toISOString(),
      requestId: r.id,
      ...(r.account ? { account: r.account } : {}),
      region: r.region,
    })
    .catch((err: unknown) => deps.log.warn({ err, requestId: r.id }, 'the savings ledger could not record what this freed'));
}

async function runAction(base: Deps, r: ApprovalRequest): Promise<string> {
  // The account and region it was asked for; requests from before ACCOUNTS have none, which means snapbot's own.
  const deps = depsAt(base, r);
  if ('problem' in deps) throw new Error(`Not done: ${deps.problem}.`);
  return runApproval(deps, r);
}

async function showOnRequest(deps: Deps, r: ApprovalRequest): Promise<void> {
  if (r.message) await deps.out.tryUpdate(r.message, deps.views.approvalRequestMessage(r));
  await replaceNotice(deps, r);
}

/** The outcome goes where the requester will see it, a direct message; the card's thread keeps it too. */
async function notifyRequester(deps: Deps, r: ApprovalRequest): Promise<void> {
  try {
    await deps.out.dm(r.requester.userId, deps.views.requesterNotice(r));
  } catch (err) {
    deps.log.warn({ err, requestId: r.id }, 'could not tell the requester');
  }
  if (r.message) await deps.out.post(r.message.channel, deps.views.requesterNotice(r), r.message.ts).catch(() => undefined);
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

