// The reason for a rejection, then the decision itself (the same first-decision-wins path as Approve).
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { decide } from '../../../usecases/approvals.js';
import type { Deps } from '../../../usecases/context.js';
import { submitter, viewMetadata } from './common.js';
import { withoutSlackMarkup } from '../../../core/user-text.js';

export function rejectSubmitted(deps: Deps) {
  return async (args: SlackViewMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const reason = withoutSlackMarkup(args.view.state.values.reason?.value?.value ?? '').trim() || undefined;
    if (!reason) {
      await args.ack({ response_action: 'errors', errors: { reason: 'Say why, so the requester knows what to change.' } });
      return;
    }
    await args.ack();
    const meta = viewMetadata<{ requestId: string; channelId: string }>(args.view);
    const who = submitter(args.body, meta.channelId);
    deps.background(() => decide(deps, { ...who, requestId: meta.requestId ?? '', decision: 'rejected', reason }));
  };
}
