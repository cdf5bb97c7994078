// The reason for a rejection, then the decision itself (the same first-decision-wins path as Approve).
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { decide } from '../../../usecases/approvals.js';
import type { Deps } from '../../../usecases/context.js';

export function rejectSubmitted(deps: Deps) {
  return async (args: SlackViewMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const reason = args.view.state.values.reason?.value?.value?.trim();
    if (!reason) {
      await args.ack({ response_action: 'errors', errors: { reason: 'Say why, so the requester knows what to change.' } });
      return;
    }
    await args.ack();
    let meta: { requestId?: string; channelId?: string } = {};
    try {
      meta = JSON.parse(args.view.private_metadata || '{}');
    } catch {
      meta = {};
    }
    const userId = args.body.user.id;
    const teamId = args.body.team?.id ?? args.body.user.team_id;
    deps.background(() =>
      decide(deps, { userId, teamId, channelId: meta.channelId ?? userId, requestId: meta.requestId ?? '', decision: 'rejected', reason }),
    );
  };
}
