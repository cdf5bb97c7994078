// /restore snap-… — the modal, or the one-line form that creates (and attaches) the volume directly.
import type { Deps } from '../../../usecases/context.js';
import { loadRestoreModal, restoreVolume } from '../../../usecases/restore.js';
import { ackThenOpen, ackThenRun, invocationOf, parseOrAnswer, type CommandArgs } from './common.js';

export function restoreCommand(deps: Deps) {
  return async (args: CommandArgs): Promise<void> => {
    const cmd = await parseOrAnswer('/restore', args);
    if (!cmd) return;
    const inv = invocationOf(args.command);
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
