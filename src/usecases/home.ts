// The App Home tab: pending requests for approvers (with the same buttons), and the user's own requests.
import type { KnownBlock } from '@slack/types';
import { describeAction, formatTime } from '../core/approvals.js';
import { APPROVAL_ACTION } from '../slack/views/approvals.js';
import { mention } from '../slack/views/format.js';
import { approverUserIds } from './approvals.js';
import type { Deps } from './context.js';

export async function showHome(deps: Deps, userId: string): Promise<void> {
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'snapbot' } }];
  try {
    const [approvers, pending, mine] = await Promise.all([
      approverUserIds(deps),
      deps.store.approvals.listPending(deps.now()),
      deps.store.approvals.listByRequester(userId, 15),
    ]);
    if (approvers.has(userId)) {
      const decidable = pending.filter((r) => r.requester.userId !== userId).slice(0, 20);
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Waiting for an approver (${decidable.length})*` } });
      for (const r of decidable) {
        blocks.push({
          type: 'section',
          text: { type: 'mrkdwn', text: `${describeAction(r.action)} — ${mention(r.requester.userId)}${r.reason ? `: ${r.reason.slice(0, 200)}` : ''} · decide by ${formatTime(r.decideBy)}` },
        });
        blocks.push({
          type: 'actions',
          elements: [
            { type: 'button', action_id: APPROVAL_ACTION.approve, text: { type: 'plain_text', text: 'Approve' }, style: 'primary', value: r.id },
            { type: 'button', action_id: APPROVAL_ACTION.reject, text: { type: 'plain_text', text: 'Reject' }, style: 'danger', value: r.id },
          ],
        });
      }
    }
    blocks.push({ type: 'divider' }, { type: 'section', text: { type: 'mrkdwn', text: `*Your requests (${mine.length})*` } });
    for (const r of mine) {
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${formatTime(r.createdAt)} · ${describeAction(r.action)} · *${r.status}*${r.outcome ? ` — ${r.outcome.message.slice(0, 200)}` : ''}` }] });
    }
  } catch (err) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `:x: Requests could not be read: ${(err as Error).message}` } });
  }
  await deps.out.publishHome(userId, { type: 'home', blocks: blocks.slice(0, 100) });
}
