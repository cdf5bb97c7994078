// The digest's and reminders' buttons.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { keep, requestDeletionFromDigest, snooze, type DigestItemRef } from '../../../usecases/cleanup.js';
import { replyPrivately, type Deps, type Invocation } from '../../../usecases/context.js';
import { parseDigestButtonValue } from '../../views/digest.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

function handler(deps: Deps, run: (deps: Deps, inv: Invocation, item: DigestItemRef) => Promise<void>) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const inv: Invocation = {
      userId: args.body.user.id,
      channelId: args.body.channel?.id ?? args.body.container?.channel_id ?? args.body.user.id,
      responseUrl: args.body.response_url,
    };
    const item = parseDigestButtonValue(args.action.value);
    if (!item) {
      await replyPrivately(deps, inv, { text: ':x: That button is from an unknown digest; run `/snapshot digest` for a fresh one.' });
      return;
    }
    deps.background(() => run(deps, inv, item));
  };
}

export const requestDeletionClicked = (deps: Deps) => handler(deps, requestDeletionFromDigest);
export const snoozeClicked = (deps: Deps) => handler(deps, snooze);
export const keepClicked = (deps: Deps) => handler(deps, keep);
