// The approval request message in APPROVAL_CHANNEL: what, who, why, the risk, then Approve/Reject — replaced by
// the decision and the outcome once there is one.
import type { KnownBlock, View } from '@slack/types';
import { describeAction, formatTime, whyApprovalNeeded, type ApprovalRequest } from '../../core/approvals.js';
import { formatMonthlyUsd } from '../../core/cost.js';
import type { Message } from '../out.js';
import { LIMITS, section, truncateLines } from './blockkit.js';
import { escapeMrkdwn, mention } from './format.js';
import { MODAL } from './modals.js';

export const APPROVAL_ACTION = { approve: 'approval_approve', reject: 'approval_reject' } as const;

const STATUS_LINE: Record<ApprovalRequest['status'], string> = {
  pending: ':hourglass_flowing_sand: Waiting for an approver',
  approved: ':white_check_mark: Approved — running',
  executing: ':gear: Approved — running',
  done: ':white_check_mark: Approved and done',
  failed: ':x: Approved, but AWS refused',
  rejected: ':no_entry: Rejected',
  expired: ':alarm_clock: Expired without a decision',
};

export function approvalRequestMessage(r: ApprovalRequest): Message {
  const what = describeAction(r.action);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `Approval needed: ${what}`.slice(0, 150) } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(
          `*What:* ${escapeMrkdwn(what)} (${r.region})\n*Who:* ${mention(r.requester.userId)} in <#${r.requester.channelId}>\n*Why:* ${
            r.reason ? escapeMrkdwn(r.reason) : '_no reason given_'
          }\n*Needs approval because:* ${whyApprovalNeeded(r.action)}`,
        ),
      },
    },
  ];
  const risk = [...r.risk.lines];
  if (r.risk.monthlyUsdFreed !== undefined && r.risk.monthlyUsdFreed > 0) risk.push(`Frees ${formatMonthlyUsd(r.risk.monthlyUsdFreed)}`);
  if (risk.length) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`*Risk:*\n${risk.map((l) => `• ${escapeMrkdwn(l)}`).join('\n')}`) } });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Request \`${r.id}\` · decide by ${formatTime(r.decideBy)}` }] });
  if (r.status === 'pending') {
    blocks.push({
      type: 'actions',
      block_id: `approval:${r.id}`,
      elements: [
        { type: 'button', action_id: APPROVAL_ACTION.approve, text: { type: 'plain_text', text: 'Approve' }, style: 'primary', value: r.id },
        { type: 'button', action_id: APPROVAL_ACTION.reject, text: { type: 'plain_text', text: 'Reject' }, style: 'danger', value: r.id },
      ],
    });
  } else {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(decisionText(r)) } });
  }
  const status = r.status === 'pending' ? 'approval needed' : STATUS_LINE[r.status].replace(/^:[a-z_]+: /, '').toLowerCase();
  return { text: `${status}: ${what}, requested by ${mention(r.requester.userId)}`, blocks };
}

export function decisionText(r: ApprovalRequest): string {
  const lines = [STATUS_LINE[r.status]];
  if (r.decidedBy && r.status !== 'expired') lines[0] += ` by ${mention(r.decidedBy)}${r.decidedAt ? ` at ${formatTime(r.decidedAt)}` : ''}`;
  if (r.status === 'expired') lines[0] += ` (deadline ${formatTime(r.decideBy)})`;
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
