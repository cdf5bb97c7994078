// Questions snapbot asks privately before a disruptive action: today, whether to reboot a running instance for an AMI.
import type { CommandOf } from '../../core/commands.js';
import { actions, button, escapeMrkdwn, section } from './blockkit.js';
import type { Message } from '../../usecases/ports.js';
import type { RebootChoice } from '../../usecases/ports.js';

export const CONFIRM_ACTION = { reboot: 'ami_create_reboot', noReboot: 'ami_create_no_reboot' } as const;

export function rebootQuestion(choice: RebootChoice, instanceName?: string): Message {
  const label = instanceName ? `${instanceName} (${choice.i})` : choice.i;
  const short = instanceName ?? choice.i;
  const value = JSON.stringify(choice);
  return {
    text: `${short} is running: creating AMI "${choice.n}" reboots it unless you choose otherwise. Nothing was created yet.`,
    blocks: [
      section(
        `:warning: *${escapeMrkdwn(label)} is running.* Creating AMI “${escapeMrkdwn(choice.n)}” reboots it first, so its file systems are consistent — a short outage for whatever runs on it. Without a reboot there is no outage, but data not yet written to disk may be missing from the image.\nNothing was created yet: choose one.`,
      ),
      actions(
        [
          button(`Reboot ${short} and create`, CONFIRM_ACTION.reboot, value, 'danger'),
          button('Create without reboot', CONFIRM_ACTION.noReboot, value, 'primary'),
        ],
        `reboot:${choice.q}`,
      ),
    ],
  };
}

export function parseRebootChoice(value: string | undefined): RebootChoice | undefined {
  try {
    const v = JSON.parse(value ?? '') as Partial<RebootChoice>;
    if ([v.q, v.u, v.c, v.i, v.n].every((x) => typeof x === 'string' && x !== '')) return v as RebootChoice;
  } catch {
    // not ours
  }
  return undefined;
}

/** The command the chosen button stands for. */
export function commandOfChoice(choice: RebootChoice, reboot: boolean): CommandOf<'ami.create'> {
  return {
    kind: 'ami.create',
    instanceId: choice.i,
    name: choice.n,
    noReboot: !reboot,
    reboot,
    ...(choice.d ? { description: choice.d } : {}),
  };
}

/** What replaces the question once answered. */
export function rebootAnswered(choice: RebootChoice, reboot: boolean): Message {
  return {
    text: reboot
      ? `:arrows_counterclockwise: You chose to reboot ${choice.i} and create AMI "${choice.n}".`
      : `:camera_with_flash: You chose to create AMI "${choice.n}" from ${choice.i} without a reboot.`,
  };
}
