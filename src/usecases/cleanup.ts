// The digest's buttons: Request deletion (the approvals flow), Snooze 30 days, Keep (tag snapbot:keep-until); on an
// exposure finding, Make private (at once) and Keep shared (an approval request with a reason).
import { allowedShareAccounts } from '../core/accounts.js';
import { outsideAccounts } from '../core/share-check.js';
import { TAG } from '../core/types.js';
import { requestApproval } from './approvals.js';
import { rememberSharing } from './share-check.js';
import { auditBestEffort, inScope, replyPrivately, type Deps, type Invocation } from './context.js';
import { daysAfter, isoDay } from '../core/time.js';

const SNOOZE_DAYS = 30;
const KEEP_DAYS = 365;

export interface DigestItemRef {
  id: string;
  region: string;
  /** The account that holds it, as the digest saw it (EC2's OwnerId). */
  account?: string;
  kind: 'snapshot' | 'image';
  /** What the digest said about it. */
  why?: string;
}

/**
 * Each button returns, when it did something, the line that replaces its buttons on the digest message
 * ("snoozed by @Sam until …"), so the channel sees what happened.
 */
export type DigestNote = string | undefined;

/**
 * The dependencies acting where a digest item is: the managed account it is in, else snapbot's own (which the
 * digest scanned when the owner is not one of ACCOUNTS).
 */
export function inItemScope(deps: Deps, item: Pick<DigestItemRef, 'account' | 'region'>): Deps {
  const account = item.account === undefined ? undefined : deps.config.accounts.find((a) => a.id === item.account);
  return inScope(deps, { ...(account ? { account } : {}), region: item.region });
}

export async function requestDeletionFromDigest(deps: Deps, inv: Invocation, item: DigestItemRef): Promise<DigestNote> {
  const reason = `From the cost-cleanup digest: ${item.why ?? 'old and no longer needed'}`;
  const request =
    item.kind === 'snapshot'
      ? await requestApproval(deps, inv, { type: 'snapshot.delete', snapshotId: item.id }, reason)
      : await requestApproval(deps, inv, { type: 'ami.deregister', imageId: item.id, deleteSnapshots: true }, reason);
  return request && `:hourglass_flowing_sand: Deletion requested by <@${inv.userId}>: request \`${request.id}\`, waiting for an approver`;
}

/** Whether everyone can use the resource, and the accounts outside the allowed ones that can. */
async function exposureOf(deps: Deps, item: DigestItemRef): Promise<{ public: boolean; accounts: string[] }> {
  const sharing = await deps.ec2.sharing(item.region, item.id);
  return { public: sharing.public, accounts: outsideAccounts(sharing.accounts, allowedShareAccounts(deps.config)) };
}

/**
 * Snooze and Keep hide a cost finding; they must never hide an exposure. A public or foreign-shared resource is
 * made private, or kept shared through an approver: say so and change nothing.
 */
async function refusedBecauseExposed(deps: Deps, inv: Invocation, item: DigestItemRef, what: string): Promise<boolean> {
  const exposure = await exposureOf(deps, item).catch(() => undefined);
  if (!exposure || (!exposure.public && exposure.accounts.length === 0)) return false;
  const how = exposure.public ? 'public' : `shared with ${exposure.accounts.join(', ')}, outside the allowed accounts`;
  await replyPrivately(deps, inv, {
    text: `:no_entry: \`${item.id}\` is ${how}, so ${what} would hide an exposure. Use *Make private*, or *Keep shared* to ask an approver to accept it. Nothing changed.`,
  });
  return true;
}

export async function snooze(deps: Deps, inv: Invocation, item: DigestItemRef): Promise<DigestNote> {
  if (await refusedBecauseExposed(deps, inv, item, 'snoozing it')) return undefined;
  const until = isoDay(daysAfter(deps.now(), SNOOZE_DAYS));
  try {
    await deps.store.snoozes.put(item.id, new Date(`${until}T23:59:59Z`), inv.userId, 'snooze');
    await replyPrivately(deps, inv, { text: `:zzz: \`${item.id}\` is snoozed until ${until}: the digest leaves it out until then.` });
    return `:zzz: Snoozed by <@${inv.userId}> until ${until}`;
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: Could not snooze \`${item.id}\`: ${(err as Error).message}` });
    return undefined;
  }
}

/** Keep writes the tag on the resource itself, so it holds for anyone looking at the account, not only snapbot. */
export async function keep(deps: Deps, inv: Invocation, item: DigestItemRef): Promise<DigestNote> {
  if (await refusedBecauseExposed(deps, inv, item, 'keeping it')) return undefined;
  const until = isoDay(daysAfter(deps.now(), KEEP_DAYS));
  try {
    await deps.ec2.tag(item.region, item.id, { [TAG.keepUntil]: until });
    await deps.store.snoozes.put(item.id, new Date(`${until}T23:59:59Z`), inv.userId, 'keep').catch(() => undefined);
    await auditBestEffort(deps, { resourceId: item.id, actor: inv.userId, event: 'kept', detail: `tagged ${TAG.keepUntil}=${until}` });
    await replyPrivately(deps, inv, { text: `:pushpin: \`${item.id}\` is kept: tagged \`${TAG.keepUntil}=${until}\`, so the digest leaves it out until then.` });
    return `:pushpin: Kept by <@${inv.userId}> until ${until}`;
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: Could not keep \`${item.id}\`: ${(err as Error).message}` });
    return undefined;
  }
}

/** Removes public access and every share outside the allowed accounts, at once. */
export async function makePrivate(deps: Deps, inv: Invocation, item: DigestItemRef): Promise<DigestNote> {
  const removed: string[] = [];
  try {
    const exposure = await exposureOf(deps, item);
    if (exposure.public) {
      await deps.ec2.setSharing(item.region, item.id, { type: 'public' }, 'remove');
      removed.push('public access');
    }
    for (const accountId of exposure.accounts) {
      await deps.ec2.setSharing(item.region, item.id, { type: 'account', accountId }, 'remove');
      removed.push(`account ${accountId}`);
    }
  } catch (err) {
    const done = removed.length ? ` (already removed: ${removed.join(', ')})` : '';
    await replyPrivately(deps, inv, { text: `:x: Could not make \`${item.id}\` private${done}: ${(err as Error).message}` });
    return undefined;
  }
  if (removed.length === 0) {
    await replyPrivately(deps, inv, { text: `:information_source: \`${item.id}\` is already private (shared with no one outside the allowed accounts).` });
    return ':lock: Already private';
  }
  await auditBestEffort(deps, { resourceId: item.id, actor: inv.userId, event: 'revoked', detail: `made private: removed ${removed.join(', ')}` });
  rememberSharing(deps, item.region, item.id);
  await replyPrivately(deps, inv, { text: `:lock: \`${item.id}\` is private now: removed ${removed.join(', ')}.` });
  return `:lock: Made private by <@${inv.userId}>: removed ${removed.join(', ')}`;
}

/** *Keep shared*: an approver decides whether the exposure stays; the reason goes on the card. */
export async function requestKeepShared(deps: Deps, inv: Invocation, item: DigestItemRef, reason: string): Promise<void> {
  await requestApproval(deps, inv, { type: 'share.keep', resourceId: item.id }, reason);
}

/** Turns fast snapshot restore off in every zone where it is on: a cost stops, nothing is deleted. */
export async function disableFastRestore(deps: Deps, inv: Invocation, item: DigestItemRef): Promise<DigestNote> {
  try {
    const zones = (await deps.ec2.fastRestoreZones(item.region)).get(item.id) ?? [];
    if (zones.length === 0) {
      await replyPrivately(deps, inv, { text: `:information_source: Fast snapshot restore is already off for \`${item.id}\`.` });
      return ':zap: Fast restore already off';
    }
    const { disabled, failed } = await deps.ec2.disableFastRestores(item.region, item.id, zones);
    await auditBestEffort(deps, { resourceId: item.id, actor: inv.userId, event: 'fast restore disabled', detail: disabled.join(', ') });
    const refused = failed.length ? ` EC2 refused: ${failed.join('; ')}.` : '';
    await replyPrivately(deps, inv, { text: `:zap: Fast snapshot restore is turning off for \`${item.id}\` in ${disabled.join(', ') || 'no zone'}.${refused}` });
    return disabled.length ? `:zap: Fast restore turned off by <@${inv.userId}> in ${disabled.join(', ')}` : undefined;
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: Could not turn fast snapshot restore off for \`${item.id}\`: ${(err as Error).message}` });
    return undefined;
  }
}
