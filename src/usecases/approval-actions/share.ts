// Sharing a snapshot or AMI publicly or with an account outside the allowed ones, and keeping an exposure as it is.
import { allowedShareAccounts } from '../../core/accounts.js';
import { KEEP_SHARED_DAYS, type RiskSummary } from '../../core/approvals.js';
import { formatGiB, snapshotSizeText } from '../../core/cost.js';
import { outsideAccounts } from '../../core/share-check.js';
import { rememberSharing } from '../share-check.js';
import { Refusal, type ApprovalRunner } from './types.js';
import type { ApprovalAction } from '../../core/approvals.js';
import { daysAfter, isoDay } from '../../core/time.js';

type ShareAction = Extract<ApprovalAction, { type: 'share.public' | 'share.account' }>;

export const share: ApprovalRunner<ShareAction> = {
  async assess(deps, action) {
    const region = deps.scope.region;
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
        lines.push(`Anyone with an AWS account could create a volume from ${snap.id} and read all of its data (${snapshotSizeText(snap)}, a ${formatGiB(snap.volumeSizeGiB)} volume).`);
      }
      if (action.type === 'share.account') lines.push(`Account ${action.accountId} could create volumes from ${snap.id} and read its data (${snapshotSizeText(snap)}, a ${formatGiB(snap.volumeSizeGiB)} volume).`);
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
      if (action.type === 'share.account') lines.push(`Account ${action.accountId} could launch "${image.name}".`);
    }
    if (bpa === 'unknown') lines.push('Account-level block public access state is unknown (snapbot could not read it).');
    if (!isPublic) lines.push('The account is not one of the accounts snapbot may share with at once.');
    return { risk: { lines, publicExposure: isPublic, blockPublicAccess: bpa } };
  },

  async run(deps, r, a) {
    const target = a.type === 'share.public' ? ({ type: 'public' } as const) : ({ type: 'account', accountId: a.accountId } as const);
    await deps.ec2.setSharing(r.region, a.resourceId, target, 'add');
    if (a.type === 'share.account') {
      rememberSharing(deps, r.region, a.resourceId);
      return `${a.resourceId} is now shared with account ${a.accountId}.`;
    }
    return `${a.resourceId} is now public.`;
  },
};

export const keepShared: ApprovalRunner<Extract<ApprovalAction, { type: 'share.keep' }>> = {
  async assess(deps, action) {
    const sharing = await deps.ec2.sharing(deps.scope.region, action.resourceId);
    const outside = outsideAccounts(sharing.accounts, allowedShareAccounts(deps.config));
    const lines: string[] = [];
    if (sharing.public) lines.push(`${action.resourceId} is public: any AWS account can copy its data.`);
    if (outside.length) lines.push(`${action.resourceId} is shared with ${outside.join(', ')}, outside the accounts snapbot may share with at once.`);
    if (!lines.length) throw new Refusal(`${action.resourceId} is no longer public or shared outside the allowed accounts; there is nothing to keep.`);
    lines.push(`Approving keeps it as it is; the digest lists it in one line instead of as a finding for ${KEEP_SHARED_DAYS} days.`);
    return { risk: { lines, publicExposure: sharing.public } };
  },

  async run(deps, r, a) {
    const until = daysAfter(deps.now(), KEEP_SHARED_DAYS);
    await deps.store.snoozes.put(a.resourceId, until, r.decidedBy ?? r.requester.userId, 'keep-shared');
    return `${a.resourceId} stays shared; the digest lists it in one line until ${isoDay(until)}.`;
  },
};
