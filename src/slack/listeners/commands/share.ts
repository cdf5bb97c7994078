// /share — with an allowed account at once, otherwise (and always for public) through an approval; --revoke at once.
import { modalScope, type Deps } from '../../../usecases/context.js';
import { revokeShare, share } from '../../../usecases/sharing.js';
import { scopedModal, shareModal } from '../../views/modals.js';
import { ackThenOpen, ackThenRun, parseOrAnswer, type CommandArgs } from './common.js';

export function shareCommand(base: Deps) {
  return async (args: CommandArgs): Promise<void> => {
    const parsed = await parseOrAnswer('/share', args, base);
    if (!parsed) return;
    // deps act in the account and region the command means (--account, --region, the channel's account).
    const { cmd, deps, inv } = parsed;
    switch (cmd.kind) {
      case 'share.modal':
        return ackThenOpen(args, deps, inv, cmd, () =>
          deps.out.openModal(args.command.trigger_id, scopedModal(shareModal({ channelId: inv.channelId, responseUrl: inv.responseUrl, resourceId: cmd.resourceId }), { ...modalScope(deps), choices: [] })),
        );
      case 'share.add':
        return ackThenRun(args, deps, inv, cmd, (verdict) => share(deps, inv, cmd, verdict.decision === 'approval'));
      case 'share.revoke':
        return ackThenRun(args, deps, inv, cmd, () => revokeShare(deps, inv, cmd.resourceId, cmd.target));
      default:
        await args.ack();
    }
  };
}
