// /restore snap-… — the modal, or the one-line form that creates (and attaches) the volume directly.
import type { Deps } from '../../../usecases/context.js';
import { loadRestoreModal, restoreVolume } from '../../../usecases/restore.js';
import { invocationOf, parseOrAnswer, type CommandArgs } from './common.js';

export function restoreCommand(deps: Deps) {
  return async (args: CommandArgs): Promise<void> => {
    const cmd = await parseOrAnswer('/restore', args);
    if (!cmd) return;
    const inv = invocationOf(args.command);
    switch (cmd.kind) {
      case 'restore.modal':
        await args.ack();
        await loadRestoreModal(deps, inv, args.command.trigger_id, cmd.snapshotId);
        return;
      case 'restore.create': {
        await args.ack();
        const { kind: _kind, ...req } = cmd;
        deps.background(() => restoreVolume(deps, inv, req));
        return;
      }
      default:
        await args.ack();
    }
  };
}
