// /ami — create (asks before rebooting), from-snapshot, list, launch (approval outside the allowed types), copy,
// deregister (approval), help; no text opens the modal.
import { helpText } from '../../../core/grammar/index.js';
import { requestApproval } from '../../../usecases/approvals.js';
import { modalScope, type Deps } from '../../../usecases/context.js';
import {
  askBeforeReboot,
  copyImage,
  createImage,
  createImageFromSnapshot,
  launchImage,
  listImages,
} from '../../../usecases/images.js';
import { amiModal, scopedModal } from '../../views/modals.js';
import { ackThenOpen, ackThenRun, parseOrAnswer, type CommandArgs } from './common.js';
import { recycleBinCommand } from './recycle-bin.js';
import { safetyCommand } from './safety.js';

export function amiCommand(base: Deps) {
  return async (args: CommandArgs): Promise<void> => {
    const parsed = await parseOrAnswer('/ami', args, base);
    if (!parsed) return;
    // deps act in the account and region the command means (--account, --region, the channel's account).
    const { cmd, deps, inv } = parsed;
    switch (cmd.kind) {
      case 'ami.help':
        await args.ack({ response_type: 'ephemeral', text: helpText() });
        return;
      case 'ami.modal':
        return ackThenOpen(args, deps, inv, cmd, () =>
          deps.out.openModal(args.command.trigger_id, scopedModal(amiModal({ channelId: inv.channelId, responseUrl: inv.responseUrl }), modalScope(deps))),
        );
      case 'ami.create':
        return ackThenRun(args, deps, inv, cmd, (verdict, facts) =>
          verdict.decision === 'confirm' ? askBeforeReboot(deps, inv, cmd, facts) : createImage(deps, inv, cmd),
        );
      case 'ami.fromSnapshot':
        return ackThenRun(args, deps, inv, cmd, () => createImageFromSnapshot(deps, inv, cmd));
      case 'ami.list':
        return ackThenRun(args, deps, inv, cmd, () => listImages(deps, inv));
      case 'ami.launch':
        return ackThenRun(args, deps, inv, cmd, (verdict) => {
          if (verdict.decision !== 'approval') return launchImage(deps, inv, cmd);
          const { kind: _kind, ...launch } = cmd;
          return requestApproval(deps, inv, { type: 'ami.launch', ...launch });
        });
      case 'ami.copy':
        return ackThenRun(args, deps, inv, cmd, () => copyImage(deps, inv, cmd));
      case 'ami.deregister':
        return ackThenRun(args, deps, inv, cmd, () =>
          requestApproval(deps, inv, { type: 'ami.deregister', imageId: cmd.imageId, deleteSnapshots: cmd.deleteSnapshots }, cmd.reason),
        );
      case 'ami.undelete':
        return recycleBinCommand(args, deps, inv, cmd);
      case 'ami.protect':
      case 'ami.unprotect':
        return safetyCommand(args, deps, inv, cmd);
      default:
        await args.ack({ response_type: 'ephemeral', text: helpText() });
    }
  };
}
