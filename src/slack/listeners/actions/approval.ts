// Approve / Reject / Withdraw on a request card (or the App Home). Approve decides at once; Reject asks for a reason
// first; Withdraw is the requester's own.
import type { AllMiddlewareArgs, BlockButtonAction, BlockOverflowAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { describeAction } from '../../../core/approvals.js';
import { decide, mayDecideNow, withdrawRequest } from '../../../usecases/approvals.js';
import { replyPrivately, type Deps } from '../../../usecases/context.js';
import { showHome } from '../../../usecases/home.js';
import { rejectModal } from '../../views/approvals.js';
import { clicker } from './common.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** A click in the App Home: once decided, the Home tab is drawn again, so the request leaves the list. */
const fromHome = (args: { body: { view?: { type?: string } } }) => args.body.view?.type === 'home';

export function approveClicked(deps: Deps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const requestId = args.action.value ?? '';
    const who = clicker(args.body);
    deps.background(async () => {
      await decide(deps, { ...who, requestId, decision: 'approved' });
      if (fromHome(args)) await showHome(deps, who.userId);
    });
  };
}

export function rejectClicked(deps: Deps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const who = clicker(args.body);
    const requestId = args.action.value ?? '';
    // Check first, so someone who may not decide is told why instead of being shown a form.
    const request = await deps.store.approvals.get(requestId).catch(() => undefined);
    if (!request) {
      await replyPrivately(deps, who, { text: `:x: Request \`${requestId}\` could not be read; nothing changed.` });
      return;
    }
    if (!(await mayDecideNow(deps, who, request))) return;
    await deps.out.openModal(args.body.trigger_id, {
      ...rejectModal(requestId, describeAction(request.action)),
      private_metadata: JSON.stringify({ requestId, channelId: who.channelId }),
    });
  };
}

/** The requester's Withdraw: a button on their private note, or the ⋯ menu on the card. */
export function withdrawClicked(deps: Deps) {
  return async (args: SlackActionMiddlewareArgs<BlockButtonAction | BlockOverflowAction> & AllMiddlewareArgs): Promise<void> => {
    await args.ack();
    const requestId = (args.action.type === 'overflow' ? args.action.selected_option?.value : args.action.value) ?? '';
    deps.background(() => withdrawRequest(deps, clicker(args.body), requestId));
  };
}
