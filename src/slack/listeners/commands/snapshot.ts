// /snapshot — create, instance, list, copy, delete (approval), digest, audit, help; no text opens the modal.
import { helpText } from '../../../core/grammar.js';
import { requestApproval } from '../../../usecases/approvals.js';
import { showAudit } from '../../../usecases/audit.js';
import type { Deps } from '../../../usecases/context.js';
import { postDigestHere } from '../../../usecases/digest.js';
import { copySnapshot, createSnapshot, listSnapshots, snapshotInstance } from '../../../usecases/snapshots.js';
import { snapshotModal } from '../../views/modals.js';
import { invocationOf, parseOrAnswer, type CommandArgs } from './common.js';

export function snapshotCommand(deps: Deps) {
  return async (args: CommandArgs): Promise<void> => {
    const cmd = await parseOrAnswer('/snapshot', args);
    if (!cmd) return;
    const inv = invocationOf(args.command);
    switch (cmd.kind) {
      case 'snapshot.help':
        await args.ack({ response_type: 'ephemeral', text: helpText() });
        return;
      case 'snapshot.modal':
        await args.ack();
        await deps.out.openModal(args.command.trigger_id, snapshotModal({ channelId: inv.channelId, responseUrl: inv.responseUrl }));
        return;
      case 'snapshot.create':
        await args.ack();
        deps.background(() => createSnapshot(deps, inv, cmd.volumeId, cmd.description));
        return;
      case 'snapshot.instance':
        await args.ack();
        deps.background(() => snapshotInstance(deps, inv, cmd));
        return;
      case 'snapshot.list':
        await args.ack();
        deps.background(() => listSnapshots(deps, inv, cmd.volumeId));
        return;
      case 'snapshot.copy':
        await args.ack();
        deps.background(() => copySnapshot(deps, inv, cmd));
        return;
      case 'snapshot.delete':
        await args.ack();
        deps.background(() => requestApproval(deps, inv, { type: 'snapshot.delete', snapshotId: cmd.snapshotId }, cmd.reason));
        return;
      case 'snapshot.digest':
        await args.ack();
        deps.background(() => postDigestHere(deps, inv));
        return;
      case 'snapshot.audit':
        await args.ack();
        deps.background(() => showAudit(deps, inv, cmd.resourceId));
        return;
      default:
        await args.ack({ response_type: 'ephemeral', text: helpText() });
    }
  };
}
