// The answers to snapbot's private questions: "reboot the running instance?" (then the AMI is created) and "swap
// the disk for an encrypted copy?" (then the encryption runs). Only the person asked may answer, once.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { check } from '../../../usecases/access.js';
import { depsAt, replyPrivately, type Deps, type Invocation, type ScopeNote } from '../../../usecases/context.js';
import { encryptVolume } from '../../../usecases/encrypt.js';
import { createImage } from '../../../usecases/images.js';
import { commandOfChoice, parseRebootChoice, rebootAnswered } from '../../views/confirmations.js';
import { parseReplaceChoice } from '../../views/encrypt.js';
import { clicker } from './common.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * Acks, reads the question's answer back from the button, and makes sure the one person asked is the one answering
 * (told privately otherwise). The question is ephemeral: the invocation answers in the channel it was asked in.
 */
async function answerOf<C extends { u: string; c: string }>(
  deps: Deps,
  args: ButtonArgs,
  parse: (value: string | undefined) => C | undefined,
  whose: (choice: C) => string,
): Promise<{ choice: C; inv: Invocation } | undefined> {
  await args.ack();
  const choice = parse(args.action.value);
  const asked = clicker(args.body);
  const inv: Invocation = choice ? { ...asked, channelId: choice.c } : asked;
  if (!choice) {
    await replyPrivately(deps, inv, { text: ':x: That question is from an older snapbot; run the command again.' });
    return undefined;
  }
  if (choice.u !== inv.userId) {
    await replyPrivately(deps, inv, { text: `:no_entry: This question was for <@${choice.u}>, who ${whose(choice)}; nothing changed.` });
    return undefined;
  }
  return { choice, inv };
}

export function rebootChosen(deps: Deps, reboot: boolean) {
  return async (args: ButtonArgs): Promise<void> => {
    const answered = await answerOf(deps, args, parseRebootChoice, () => 'asked for the AMI');
    if (!answered) return;
    const { choice, inv } = answered;
    deps.background(async () => {
      // A double click or Slack's retry answers once.
      if (!(await deps.store.dedupe.claim(`reboot-question#${choice.q}`, 86_400).catch(() => true))) {
        await replyPrivately(deps, inv, { text: ':information_source: You already answered this question; nothing more was done.' });
        return;
      }
      const checked = await check(deps, inv, { type: 'button', button: 'confirm.amiCreate' }, { resources: [choice.i], count: false });
      if (!checked) return;
      if (args.body.response_url) await deps.out.replaceOriginal(args.body.response_url, rebootAnswered(choice, reboot));
      const scoped = scopedFor(deps, choice);
      if ('problem' in scoped) return replyPrivately(deps, inv, { text: `:x: Not created: ${scoped.problem}.` });
      await createImage(scoped, inv, commandOfChoice(choice, reboot));
    });
  };
}

/** The account and region the question was asked in. */
function scopedFor(deps: Deps, choice: { w?: ScopeNote }): Deps | { problem: string } {
  return depsAt(deps, choice.w);
}

/** "Encrypt and swap it in" (`yes`) or "Cancel" on the --replace question. */
export function replaceChosen(deps: Deps, yes: boolean) {
  return async (args: ButtonArgs): Promise<void> => {
    const answered = await answerOf(deps, args, parseReplaceChoice, (c) => `asked to encrypt ${c.v}`);
    if (!answered) return;
    const { choice, inv } = answered;
    deps.background(async () => {
      if (!(await deps.store.dedupe.claim(`replace-question#${choice.q}`, 86_400).catch(() => true))) {
        await replyPrivately(deps, inv, { text: ':information_source: You already answered this question; nothing more was done.' });
        return;
      }
      if (!yes) {
        if (args.body.response_url) await deps.out.replaceOriginal(args.body.response_url, { text: `:leftwards_arrow_with_hook: Cancelled: ${choice.v} was not touched.` });
        return;
      }
      const checked = await check(deps, inv, { type: 'button', button: 'confirm.encryptReplace' }, { resources: [choice.v], count: false });
      if (!checked) return;
      if (args.body.response_url) await deps.out.replaceOriginal(args.body.response_url, { text: `:lock: You chose to encrypt ${choice.v} and swap it in; the channel message follows every step.` });
      const scoped = scopedFor(deps, choice);
      if ('problem' in scoped) return replyPrivately(deps, inv, { text: `:x: Not encrypted: ${scoped.problem}.` });
      await encryptVolume(scoped, inv, { kind: 'snapshot.encrypt', volumeId: choice.v, ...(choice.k ? { kmsKeyId: choice.k } : {}), replace: true });
    });
  };
}
