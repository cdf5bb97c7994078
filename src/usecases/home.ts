// The App Home tab: pending requests for approvers (with the same buttons), and the user's own requests.
import type { KnownBlock } from '@slack/types';
import { describeAction, formatTime } from '../core/approvals.js';
import { pendingButtons } from '../slack/views/approvals.js';
import { mention } from '../slack/views/format.js';
import { whoIs } from './access.js';
import type { Deps } from './context.js';

export async function showHome(deps: Deps, userId: string): Promise<void> {
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'snapbot' } }];
  try {
    const [who, pending, mine] = await Promise.all([
      whoIs(deps, { userId }),
      deps.store.approvals.listPending(deps.now()),
      deps.store.approvals.listByRequester(userId, 15),
    ]);
    // Guests and outsiders named in APPROVERS still cannot decide, so they are not shown what to decide.
    if (who.approver) {
      const decidable = pending.filter((r) => r.requester.userId !== userId).slice(0, 20);
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Waiting for an approver (${decidable.length})*` } });
      for (const r of decidable) {
        blocks.push({
          type: 'section',
          text: { type: 'mrkdwn', text: `${describeAction(r.action)} — ${mention(r.requester.userId)}${r.reason ? `: ${r.reason.slice(0, 200)}` : ''} · decide by ${formatTime(r.decideBy)}` },
        });
        blocks.push({ type: 'actions', elements: pendingButtons(r, { withdraw: false }) });
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
