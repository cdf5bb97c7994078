// What every slash-command listener does first: parse, answer bad input privately in the ack. (Replays never
// get here: ../replays.ts drops them before any listener.)
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { UsageError, type Command, type SlashCommandName } from '../../../core/commands.js';
import { parseCommand } from '../../../core/grammar/index.js';
import { resolveScope } from '../../../core/accounts.js';
import type { Facts, Verdict } from '../../../core/policy.js';
import { accountSettings, check } from '../../../usecases/access.js';
import { inScope, replyPrivately, type Deps, type Invocation } from '../../../usecases/context.js';
import { usageReply } from '../../views/usage.js';

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

function invocationOf(command: CommandArgs['command']): Invocation {
  return {
    userId: command.user_id,
    channelId: command.channel_id,
    teamId: command.team_id,
    responseUrl: command.response_url,
    triggerId: command.trigger_id,
  };
}


/**
 * Parses the command text and resolves where it acts (--account, --region, the channel's account); on bad input
 * answers privately in the ack (never touching AWS) and returns undefined. Replays of a command already handled
 * are acked and dropped. The deps returned act in the command's account and region.
 */
export async function parseOrAnswer(
  name: SlashCommandName,
  args: CommandArgs,
  base: Deps,
): Promise<{ cmd: Command; deps: Deps; inv: Invocation } | undefined> {
  const { command, ack } = args;
  let cmd: Command;
  try {
    cmd = parseCommand(name, command.text ?? '');
  } catch (err) {
    if (err instanceof UsageError) {
      await ack(usageReply(err));
      return undefined;
    }
    throw err;
  }
  const where = resolveScope(accountSettings(base), cmd.where ?? {}, command.channel_id);
  if ('problem' in where) {
    await ack({ response_type: 'ephemeral', text: `:warning: ${where.problem}` });
    return undefined;
  }
  const inv = invocationOf(command);
  if (where.ownId !== undefined) inv.ownAccountId = where.ownId;
  return { cmd, deps: inScope(base, where.scope), inv };
}

/**
 * Acks at once, then (after the ack, so a slow Slack lookup never delays it) asks the access policy and runs what it
 * allows; a refusal has been answered privately by then. `run` gets the verdict: allow, approval or confirm.
 */
export async function ackThenRun(
  args: CommandArgs,
  deps: Deps,
  inv: Invocation,
  command: Command,
  run: (verdict: Exclude<Verdict, { decision: 'refuse' }>, facts: Facts) => Promise<unknown>,
): Promise<void> {
  await args.ack();
  runChecked(deps, inv, command, run);
}

/** After-ack work: the policy's check, then `run` for whatever it did not refuse. Also for modal submissions. */
export function runChecked(
  deps: Deps,
  inv: Invocation,
  command: Command,
  run: (verdict: Exclude<Verdict, { decision: 'refuse' }>, facts: Facts) => Promise<unknown>,
): void {
  deps.background(async () => {
    const checked = await check(deps, inv, { type: 'command', command });
    if (checked) await run(checked.verdict, checked.facts);
  });
}

/** Acks, asks the policy (a modal must open within Slack's 3 s trigger window, so not queued), then opens it. */
export async function ackThenOpen(args: CommandArgs, deps: Deps, inv: Invocation, command: Command, open: () => Promise<unknown>): Promise<void> {
  await args.ack();
  const checked = await check(deps, inv, { type: 'command', command });
  if (!checked) return;
  try {
    await open();
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;
    await replyPrivately(deps, inv, {
      text: `:warning: The form could not open (Slack answered ${code}; it allows 3 seconds after the command). Run the command again, or use its one-line form (\`/snapshot help\`).`,
    });
  }
}
