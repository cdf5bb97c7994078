// /restore snap-… — the modal, or the one-line form that creates (and attaches) the volume directly.
import type { Deps } from '../../../usecases/context.js';
import { loadRestoreModal, restoreVolume } from '../../../usecases/restore.js';
import { ackThenOpen, ackThenRun, parseOrAnswer, type CommandArgs } from './common.js';

export function restoreCommand(base: Deps) {
  return async (args: CommandArgs): Promise<void> => {
    const parsed = await parseOrAnswer('/restore', args, base);
    if (!parsed) return;
    // deps act in the account and region the command means (--account, --region, the channel's account).
    const { cmd, deps, inv } = parsed;
    switch (cmd.kind) {
      case 'restore.modal':
        return ackThenOpen(args, deps, inv, cmd, () => loadRestoreModal(deps, inv, args.command.trigger_id, cmd.snapshotId));
      case 'restore.create': {
        const { kind: _kind, ...req } = cmd;
        return ackThenRun(args, deps, inv, cmd, () => restoreVolume(deps, inv, req));
      }
      default:
        await args.ack();
    }
  };
}
