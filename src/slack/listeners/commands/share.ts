// /share — with an allowed account at once, otherwise (and always for public) through an approval; --revoke at once.
import type { Deps } from '../../../usecases/context.js';
import { revokeShare, share } from '../../../usecases/sharing.js';
import { shareModal } from '../../views/modals.js';
import { invocationOf, parseOrAnswer, type CommandArgs } from './common.js';

export function shareCommand(deps: Deps) {
  return async (args: CommandArgs): Promise<void> => {
    const cmd = await parseOrAnswer('/share', args);
    if (!cmd) return;
    const inv = invocationOf(args.command);
    switch (cmd.kind) {
      case 'share.modal':
        await args.ack();
        await deps.out.openModal(
          args.command.trigger_id,
          shareModal({ channelId: inv.channelId, responseUrl: inv.responseUrl, resourceId: cmd.resourceId }),
        );
        return;
      case 'share.add':
        await args.ack();
        deps.background(() => share(deps, inv, cmd.resourceId, cmd.target, cmd.reason));
        return;
      case 'share.revoke':
        await args.ack();
        deps.background(() => revokeShare(deps, inv, cmd.resourceId, cmd.target));
        return;
      default:
        await args.ack();
    }
  };
}
