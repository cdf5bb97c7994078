// The answer to "reboot the running instance?": only the person asked may answer, once; then the AMI is created.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { check } from '../../../usecases/access.js';
import { replyPrivately, type Deps, type Invocation } from '../../../usecases/context.js';
import { createImage } from '../../../usecases/images.js';
import { commandOfChoice, parseRebootChoice, rebootAnswered } from '../../views/confirmations.js';
import { clicker } from './common.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

export function rebootChosen(deps: Deps, reboot: boolean) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const choice = parseRebootChoice(args.action.value);
    // The question is ephemeral: answer in the channel the command was typed in.
    const asked = clicker(args.body);
    const inv: Invocation = choice ? { ...asked, channelId: choice.c } : asked;
    if (!choice) {
      await replyPrivately(deps, inv, { text: ':x: That question is from an older snapbot; run the command again.' });
      return;
    }
    if (choice.u !== inv.userId) {
      await replyPrivately(deps, inv, { text: `:no_entry: This question was for <@${choice.u}>, who asked for the AMI; nothing changed.` });
      return;
    }
    deps.background(async () => {
      // A double click or Slack's retry answers once.
      if (!(await deps.store.dedupe.claim(`reboot-question#${choice.q}`, 86_400).catch(() => true))) {
        await replyPrivately(deps, inv, { text: ':information_source: You already answered this question; nothing more was done.' });
        return;
      }
      const checked = await check(deps, inv, { type: 'button', button: 'confirm.amiCreate' }, { resources: [choice.i], count: false });
      if (!checked) return;
      if (args.body.response_url) await deps.out.replaceOriginal(args.body.response_url, rebootAnswered(choice, reboot));
      await createImage(deps, inv, commandOfChoice(choice, reboot));
    });
  };
}
