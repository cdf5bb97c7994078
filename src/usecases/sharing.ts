// /share: an allowed account at once; public or any other account through an approval; --revoke at once.
import type { ApprovalAction } from '../core/approvals.js';
import type { CommandOf, ShareTarget } from '../core/commands.js';
import { requestApproval } from './approvals.js';
import { rememberSharing } from './share-check.js';
import { announce, auditBestEffort, replyPrivately, type Deps, type Invocation } from './context.js';

function targetText(t: ShareTarget): string {
  return t.type === 'public' ? 'everyone (public)' : `account ${t.accountId}`;
}

/** `viaApproval` is the access policy's answer: public, or an account outside the allowed ones. */
export async function share(deps: Deps, inv: Invocation, cmd: CommandOf<'share.add'>, viaApproval: boolean): Promise<void> {
  const { resourceId, target, reason } = cmd;
  if (viaApproval) {
    const action: ApprovalAction =
      target.type === 'public' ? { type: 'share.public', resourceId } : { type: 'share.account', resourceId, accountId: target.accountId };
    await requestApproval(deps, inv, action, reason);
    return;
  }
  await setSharing(deps, inv, resourceId, target, 'add');
}

export async function revokeShare(deps: Deps, inv: Invocation, resourceId: string, target: ShareTarget): Promise<void> {
  await setSharing(deps, inv, resourceId, target, 'remove');
}

async function setSharing(deps: Deps, inv: Invocation, resourceId: string, target: ShareTarget, op: 'add' | 'remove'): Promise<void> {
  const region = deps.scope.region;
  try {
    // Read first, so a missing resource is said in words before any change is tried.
    if (resourceId.startsWith('snap-')) await deps.ec2.getSnapshot(region, resourceId);
    else await deps.ec2.getImage(region, resourceId);
    await deps.ec2.setSharing(region, resourceId, target, op);
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: Could not ${op === 'add' ? 'share' : 'revoke the share of'} ${resourceId}: ${(err as Error).message}` });
    return;
  }
  const text =
    op === 'add'
      ? `:handshake: <@${inv.userId}> shared \`${resourceId}\` with ${targetText(target)} (an allowed account, so no approval was needed).`
      : `:lock: <@${inv.userId}> revoked ${targetText(target)}'s access to \`${resourceId}\`.`;
  await auditBestEffort(deps, { resourceId, actor: inv.userId, event: op === 'add' ? 'shared' : 'revoked', detail: targetText(target) });
  if (target.type === 'account') rememberSharing(deps, region, resourceId);
  await announce(deps, inv, { text });
}
