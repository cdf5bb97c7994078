// Temporary snapshots: on the day in their snapbot:expires tag, the scheduled job asks for their deletion itself —
// the creator is the requester, a second person still decides. Once per snapshot across replicas (a claim in
// DynamoDB); a request that expired undecided is asked again a week after it was made; a rejected one is not.
import { EXPIRY_ASK_AGAIN_DAYS, isExpired } from '../core/expiry.js';
import { BOT_ACTOR } from '../core/approvals.js';
import { TAG, type Snapshot } from '../core/types.js';
import { requestApproval } from './approvals.js';
import { everyScope, type Deps } from './context.js';
import { millisecondsInDay } from 'date-fns/constants';

/**
 * Opens the deletion requests that are due, in every account × REGIONS (as the digest covers them); returns how
 * many it opened. An account or region that cannot be read is logged and the others go on.
 */
export async function requestExpiredDeletions(deps: Deps): Promise<number> {
  let opened = 0;
  for (const d of everyScope(deps)) {
    opened += await requestExpiredDeletionsIn(d).catch((err: Error) => {
      deps.log.warn({ err, account: d.scope.account?.id, region: d.scope.region }, 'temporary snapshots not checked there');
      return 0;
    });
  }
  return opened;
}

async function requestExpiredDeletionsIn(deps: Deps): Promise<number> {
  const region = deps.scope.region;
  const now = deps.now();
  const due: Snapshot[] = [];
  await deps.ec2.forEachOwnSnapshotPage(region, { tagKey: TAG.expires }, (page) => {
    for (const s of page) if (s.state === 'completed' && isExpired(s.tags[TAG.expires], now, deps.config.timezone)) due.push(s);
  });
  let opened = 0;
  for (const snap of due) {
    const claimKey = await askKey(deps, snap);
    if (!claimKey || !(await deps.store.dedupe.claim(claimKey, 400 * 86_400))) continue;
    const requester = snap.tags[TAG.requestedBy] || BOT_ACTOR;
    const request = await requestApproval(
      deps,
      { userId: requester, channelId: snap.tags[TAG.channel] || deps.config.approvalChannel },
      { type: 'snapshot.delete', snapshotId: snap.id },
      `temporary snapshot: made to expire on ${snap.tags[TAG.expires]} (--expires-in)`,
    );
    if (request) opened++;
  }
  return opened;
}

/** The claim for asking now, or undefined when nothing should be asked (a request is open, or a person decided). */
async function askKey(deps: Deps, snap: Snapshot): Promise<string | undefined> {
  const history = await deps.store.audit.list(snap.id).catch(() => []);
  const lastRequestId = [...history].reverse().find((e) => e.event === 'requested' && e.requestId)?.requestId;
  if (!lastRequestId) return `expiry:${snap.id}:${snap.tags[TAG.expires]}`;
  const last = await deps.store.approvals.get(lastRequestId);
  if (!last || last.action.type !== 'snapshot.delete') return `expiry:${snap.id}:${snap.tags[TAG.expires]}`;
  if (last.status !== 'expired') return undefined;
  const age = deps.now().getTime() - Date.parse(last.createdAt);
  return age >= EXPIRY_ASK_AGAIN_DAYS * millisecondsInDay ? `expiry:${snap.id}:after:${last.id}` : undefined;
}
