// `/snapshot cleanup <kind>` and the digest's *Request deletion of all*: every cleanup candidate of a kind in the
// account and region (the digest's own scan and rules), kept as a batch list, then one approval request for all of
// them, with the full list as a CSV in the card's thread. What runs once approved: approval-actions/cleanup-batch.ts.
import { describeAction } from '../core/approvals.js';
import { batchItems, batchWords, type BatchItem, type CleanupWhat } from '../core/cleanup.js';
import { requestApproval } from './approvals.js';
import { newId, replyPrivately, whereLabel, type Deps, type Invocation } from './context.js';
import { measureFindings } from './cost.js';
import { buildDigest } from './digest.js';
import type { Finding } from '../core/staleness/types.js';

export async function requestCleanup(deps: Deps, inv: Invocation, o: { what: CleanupWhat; olderThanDays?: number; reason?: string }): Promise<void> {
  // One batch of a kind waits at a time in an account and region: a second would ask for the same resources again.
  const waiting = await deps.store.approvals.listPending(deps.now()).catch(() => []);
  const twin = waiting.find(
    (r) => r.action.type === 'cleanup.batch' && (r.action.what === o.what || r.action.what === 'all' || o.what === 'all') && r.region === deps.scope.region && r.account === deps.scope.account?.id,
  );
  if (twin) {
    await replyPrivately(deps, inv, {
      text: `:no_entry: Not requested: a request to ${describeAction(twin.action)} in ${whereLabel(deps)} is already waiting for approval (request \`${twin.id}\` by <@${twin.requester.userId}>); no second one was made. Withdraw it first to ask again.`,
    });
    return;
  }
  let items: BatchItem[];
  try {
    items = await candidates(deps, o);
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: The cleanup candidates in ${whereLabel(deps)} could not be read: ${(err as Error).message} Nothing was requested.` });
    return;
  }
  if (items.length === 0) {
    await replyPrivately(deps, inv, {
      text: `:white_check_mark: Nothing to request: no ${batchWords(o.what, 2).replace(/^2 /, '')} in ${whereLabel(deps)} are old enough to go${o.olderThanDays ? ` (older than ${o.olderThanDays} days)` : ''} and no longer needed.`,
    });
    return;
  }
  const batchId = newId(deps.now());
  try {
    // The list first: the request that names it is recorded next, before anything is posted.
    await deps.store.batches.saveList(batchId, items);
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: Could not record the batch (${(err as Error).message}). Nothing was requested or changed; try again shortly.` });
    return;
  }
  const request = await requestApproval(deps, inv, { type: 'cleanup.batch', batchId, what: o.what, count: items.length }, o.reason);
  if (!request) return;
  const card = (await deps.store.approvals.get(request.id).catch(() => undefined))?.message;
  if (!card) return;
  await deps.out
    .uploadCsv(card.channel, card.ts, `snapbot-cleanup-${batchId}.csv`, deps.views.batchCsv(items, { ...(deps.scope.account ? { account: deps.scope.account.id } : {}), region: deps.scope.region }), `The ${batchWords(o.what, items.length)} of request ${request.id}`)
    .catch((err) => deps.log.warn({ err, requestId: request.id }, 'the batch list could not be attached to its card'));
}

/** The digest's scan of this one account and region, its deletable candidates of the kind, the largest measured. */
async function candidates(deps: Deps, o: { what: CleanupWhat; olderThanDays?: number }): Promise<BatchItem[]> {
  const account = deps.scope.account;
  // Of everything the scan settles, only this batch's candidates are kept.
  const found: Finding[] = [];
  await buildDigest({
    config: { ...deps.config, regions: [deps.scope.region] },
    ec2: deps.estate.own.ec2,
    dlm: deps.estate.own.dlm,
    autoScaling: deps.estate.own.autoScaling,
    accounts: account ? [{ account, ...deps.estate.of(account) }] : [],
    ownAccount: account === undefined,
    store: deps.store,
    sink: (f) => void (batchItems([f], o.what, o).length > 0 && found.push(f)),
    now: deps.now(),
  });
  // What the largest of them really free (the digest's budget of direct-API calls), so the card's total is truer.
  await measureFindings(deps, found.sort((a, b) => b.monthlyUsd - a.monthlyUsd)).catch(() => 0);
  return batchItems(found, o.what, o);
}
