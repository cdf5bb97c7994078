// /ami — create, from-snapshot, list, launch, copy, deregister (approval), help; no text opens the modal.
import { helpText } from '../../../core/grammar.js';
import { requestApproval } from '../../../usecases/approvals.js';
import type { Deps } from '../../../usecases/context.js';
import { copyImage, createImage, createImageFromSnapshot, launchImage, listImages } from '../../../usecases/images.js';
import { amiModal } from '../../views/modals.js';
import { invocationOf, parseOrAnswer, type CommandArgs } from './common.js';

export function amiCommand(deps: Deps) {
  return async (args: CommandArgs): Promise<void> => {
    const cmd = await parseOrAnswer('/ami', args);
    if (!cmd) return;
    const inv = invocationOf(args.command);
    switch (cmd.kind) {
      case 'ami.help':
        await args.ack({ response_type: 'ephemeral', text: helpText() });
        return;
      case 'ami.modal':
        await args.ack();
        await deps.out.openModal(args.command.trigger_id, amiModal({ channelId: inv.channelId, responseUrl: inv.responseUrl }));
        return;
      case 'ami.create':
        await args.ack();
        deps.background(() => createImage(deps, inv, cmd));
        return;
      case 'ami.fromSnapshot':
        await args.ack();
        deps.background(() => createImageFromSnapshot(deps, inv, cmd));
        return;
      case 'ami.list':
        await args.ack();
        deps.background(() => listImages(deps, inv));
        return;
      case 'ami.launch':
        await args.ack();
        deps.background(() => launchImage(deps, inv, cmd));
        return;
      case 'ami.copy':
        await args.ack();
        deps.background(() => copyImage(deps, inv, cmd));
        return;
      case 'ami.deregister':
        await args.ack();
        deps.background(() =>
          requestApproval(deps, inv, { type: 'ami.deregister', imageId: cmd.imageId, deleteSnapshots: cmd.deleteSnapshots }, cmd.reason),
        );
        return;
      default:
        await args.ack({ response_type: 'ephemeral', text: helpText() });
    }
  };
}
