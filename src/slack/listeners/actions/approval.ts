// Approve / Reject on a request message. Approve decides at once; Reject asks for a reason first.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { describeAction, mayDecide } from '../../../core/approvals.js';
import { approverUserIds, decide } from '../../../usecases/approvals.js';
import { replyPrivately, type Deps } from '../../../usecases/context.js';
import { rejectModal } from '../../views/approvals.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

function where(args: ButtonArgs): { userId: string; channelId: string } {
  return { userId: args.body.user.id, channelId: args.body.channel?.id ?? args.body.container?.channel_id ?? args.body.user.id };
}

export function approveClicked(deps: Deps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const { userId, channelId } = where(args);
    const requestId = args.action.value ?? '';
    deps.background(() => decide(deps, { userId, channelId, requestId, decision: 'approved' }));
  };
}

export function rejectClicked(deps: Deps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const { userId, channelId } = where(args);
    const requestId = args.action.value ?? '';
    // Check first, so someone who may not decide is told why instead of being shown a form.
    const request = await deps.store.approvals.get(requestId).catch(() => undefined);
    if (!request) {
      await replyPrivately(deps, { userId, channelId }, { text: `:x: Request \`${requestId}\` could not be read; nothing changed.` });
      return;
    }
    const permission = mayDecide(request, userId, { approverUserIds: await approverUserIds(deps), now: deps.now() });
    if (!permission.ok) {
      await replyPrivately(deps, { userId, channelId }, { text: `:no_entry: Not allowed: ${permission.reason} Nothing changed.` });
      return;
    }
    await deps.out.openModal(args.body.trigger_id, { ...rejectModal(requestId, describeAction(request.action)), private_metadata: JSON.stringify({ requestId, channelId }) });
  };
}
