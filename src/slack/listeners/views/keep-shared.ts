// The reason for keeping an exposure, then the approval request (an approver decides; the requester never does).
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { check } from '../../../usecases/access.js';
import { inItemScope, requestKeepShared } from '../../../usecases/cleanup.js';
import type { Deps } from '../../../usecases/context.js';
import { parseFindingButtonValue } from '../../views/digest/index.js';
import { submitter, viewMetadata } from './common.js';
import { withoutSlackMarkup } from '../../../core/user-text.js';

export function keepSharedSubmitted(deps: Deps) {
  return async (args: SlackViewMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const reason = withoutSlackMarkup(args.view.state.values.reason?.value?.value ?? '').trim() || undefined;
    if (!reason) {
      await args.ack({ response_action: 'errors', errors: { reason: 'Say why, so the approver can weigh it.' } });
      return;
    }
    const meta = viewMetadata<{ item: unknown; channelId: string }>(args.view);
    const item = parseFindingButtonValue(JSON.stringify(meta.item ?? null));
    if (!item) {
      await args.ack({ response_action: 'errors', errors: { reason: 'This form is from an older digest; run /snapshot digest again.' } });
      return;
    }
    await args.ack();
    const inv = submitter(args.body, meta.channelId);
    deps.background(async () => {
      if (await check(deps, inv, { type: 'button', button: 'digest.keepShared' }, { resources: [item.id], count: false })) {
        await requestKeepShared(inItemScope(deps, item), inv, item, reason.slice(0, 500));
      }
    });
  };
}
