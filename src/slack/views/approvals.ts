// The approval request message in APPROVAL_CHANNEL: what, who, why, the risk, then Approve/Reject — replaced by
// the decision and the outcome once there is one.
import type { KnownBlock, View } from '@slack/types';
import { describeAction, formatTime, whyApprovalNeeded, type ApprovalRequest } from '../../core/approvals.js';
import { formatMonthlyUsd, formatUsd } from '../../core/cost.js';
import { LIMITS, section, truncateLines } from './blockkit.js';
import { escapeMrkdwn, mention } from './format.js';
import { MODAL } from './modals.js';
import type { Message } from '../../usecases/ports.js';

export const APPROVAL_ACTION = { approve: 'approval_approve', reject: 'approval_reject', withdraw: 'approval_withdraw' } as const;

const STATUS_LINE: Record<ApprovalRequest['status'], string> = {
  pending: ':hourglass_flowing_sand: Waiting for an approver',
  approved: ':white_check_mark: Approved — running',
  executing: ':gear: Approved — running',
  done: ':white_check_mark: Approved and done',
  failed: ':x: Approved, but AWS refused',
  rejected: ':no_entry: Rejected',
  expired: ':alarm_clock: Expired without a decision',
  withdrawn: ':leftwards_arrow_with_hook: Withdrawn by the requester',
};

/** The card's heading: a question while pending, the outcome once there is one. */
const HEADING: Record<ApprovalRequest['status'], string> = {
  pending: 'Approval needed',
  approved: 'Approved, running',
  executing: 'Approved, running',
  done: 'Approved and done',
  failed: 'Approved, but AWS refused',
  rejected: 'Rejected',
  expired: 'Expired',
  withdrawn: 'Withdrawn',
};

/** Approving these cannot be taken back, or exposes data: Slack asks "are you sure?" before the click counts. */
function approveConfirm(r: ApprovalRequest) {
  const a = r.action;
  if (a.type === 'snapshot.delete' || a.type === 'ami.deregister' || a.type === 'share.public') {
    return {
      title: { type: 'plain_text' as const, text: a.type === 'share.public' ? 'Make it public?' : 'Delete for good?' },
      text: { type: 'mrkdwn' as const, text: clip(`You are approving: ${escapeMrkdwn(describeAction(a))} (${requestWhere(r)}). ${whyApprovalNeeded(a)}`).slice(0, 300) },
      confirm: { type: 'plain_text' as const, text: 'Approve' },
      deny: { type: 'plain_text' as const, text: 'Cancel' },
      style: 'danger' as const,
    };
  }
  return undefined;
}

/**
 * What a pending request offers, on its card and in App Home: the two decisions as buttons, and on the card the
 * requester's Withdraw in its ⋯ menu (the card's buttons are the approvers'; the requester also gets a Withdraw
 * button in the private note that confirms the request).
 */
export function pendingButtons(r: ApprovalRequest, opts: { withdraw: boolean }) {
  const confirm = approveConfirm(r);
  return [
    { type: 'button' as const, action_id: APPROVAL_ACTION.approve, text: { type: 'plain_text' as const, text: 'Approve' }, style: 'primary' as const, value: r.id, ...(confirm ? { confirm } : {}) },
    { type: 'button' as const, action_id: APPROVAL_ACTION.reject, text: { type: 'plain_text' as const, text: 'Reject' }, style: 'danger' as const, value: r.id },
    ...(opts.withdraw
      ? [{ type: 'overflow' as const, action_id: APPROVAL_ACTION.withdraw, options: [{ text: { type: 'plain_text' as const, text: 'Withdraw (requester only)' }, value: r.id }] }]
      : []),
  ];
}

/** The private note to the requester once the request is posted, with their own Withdraw button. */
export function requestedNotice(r: ApprovalRequest, approvalChannel: string, ttlHours: number): Message {
  const text = `:hourglass_flowing_sand: Asked for approval to ${describeAction(r.action)} in <#${approvalChannel}> (request \`${r.id}\`). An approver other than you must decide within ${ttlHours} h; I'll tell you the outcome in a direct message.`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: clip(text) } },
      {
        type: 'actions',
        block_id: `withdraw:${r.id}`,
        elements: [{ type: 'button', action_id: APPROVAL_ACTION.withdraw, text: { type: 'plain_text', text: 'Withdraw' }, value: r.id }],
      },
    ],
  };
}

export function approvalRequestMessage(r: ApprovalRequest): Message {
  const what = describeAction(r.action);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `${HEADING[r.status]}: ${what}`.slice(0, 150) } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(
          `*What:* ${escapeMrkdwn(what)} (${requestWhere(r)})\n*Who:* ${mention(r.requester.userId)} in <#${r.requester.channelId}>\n*Why:* ${
            r.reason ? escapeMrkdwn(r.reason) : '_no reason given_'
          }\n*Needs approval because:* ${whyApprovalNeeded(r.action)}`,
        ),
      },
    },
  ];
  const risk = [...r.risk.lines];
  if (r.risk.monthlyUsdFreed !== undefined && r.risk.monthlyUsdFreed > 0) {
    risk.push(r.risk.monthlyUsdExact ? `Frees ${formatUsd(r.risk.monthlyUsdFreed)}/month` : `Frees ${formatMonthlyUsd(r.risk.monthlyUsdFreed)}`);
  }
  if (risk.length) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`*Risk:*\n${risk.map((l) => `• ${escapeMrkdwn(l)}`).join('\n')}`) } });
  }
  // The deadline matters while someone can still decide; after that the card says who decided, and when.
  const when = r.status === 'pending' ? `decide by ${formatTime(r.decideBy)}` : r.decidedAt ? `decided ${formatTime(r.decidedAt)}` : r.status;
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Request \`${r.id}\` · ${when}` }] });
  if (r.status === 'pending') {
    blocks.push({ type: 'actions', block_id: `approval:${r.id}`, elements: pendingButtons(r, { withdraw: true }) });
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Only an approver other than ${mention(r.requester.userId)} can decide; ${mention(r.requester.userId)} can withdraw it from the ⋯ menu.` }] });
  } else {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(decisionText(r)) } });
  }
  const status = r.status === 'pending' ? 'approval needed' : STATUS_LINE[r.status].replace(/^:[a-z_]+: /, '').toLowerCase();
  return { text: `${status}: ${what}, requested by ${mention(r.requester.userId)}`, blocks };
}

function decisionText(r: ApprovalRequest): string {
  const lines = [STATUS_LINE[r.status]];
  if (r.decidedBy && r.status !== 'expired' && r.status !== 'withdrawn') lines[0] += ` by ${mention(r.decidedBy)}${r.decidedAt ? ` at ${formatTime(r.decidedAt)}` : ''}`;
  if (r.status === 'expired') lines[0] += ` (deadline ${formatTime(r.decideBy)})`;
  if (r.status === 'withdrawn') lines[0] += `${r.decidedAt ? ` at ${formatTime(r.decidedAt)}` : ''}; nothing was changed in AWS`;
  if (r.rejectReason) lines.push(`*Reason:* ${escapeMrkdwn(r.rejectReason)}`);
  if (r.outcome) lines.push(`*Outcome:* ${escapeMrkdwn(r.outcome.message)}`);
  return lines.join('\n');
}

/** The short note to the requester, in the request's thread. */
export function requesterNotice(r: ApprovalRequest): Message {
  const what = describeAction(r.action);
  const text = `${mention(r.requester.userId)} your request to ${what}: ${decisionText(r).replace(/\*/g, '')}`;
  return { text };
}

export function rejectModal(requestId: string, what: string): View {
  return {
    type: 'modal',
    callback_id: MODAL.reject,
    title: { type: 'plain_text', text: 'Reject request' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify({ requestId }),
    blocks: [
      section(`Reject the request to ${escapeMrkdwn(what)}?`),
      {
        type: 'input',
        block_id: 'reason',
        label: { type: 'plain_text', text: 'Reason' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 500 },
      },
    ],
  };
}

function clip(text: string): string {
  return truncateLines(text, LIMITS.sectionText);
}

/** "us-east-1", or "account 222222222222 · us-west-2" for a request in a managed account. */
function requestWhere(r: Pick<ApprovalRequest, 'account' | 'region'>): string {
  return r.account ? `account ${r.account} · ${r.region}` : r.region;
}
