// /snapshot — create, instance, list, copy, delete (approval), digest, audit, withdraw, help; no text opens the modal.
// Schedules, the Recycle Bin, locks and the archive, encryption, and restore drills have listeners of their own
// (schedule.ts, recycle-bin.ts, safety.ts, encrypt.ts, drill.ts).
import { helpText } from '../../../core/grammar/index.js';
import { requestApproval, withdrawRequest } from '../../../usecases/approvals.js';
import { showAudit } from '../../../usecases/audit.js';
import { requestCleanup } from '../../../usecases/cleanup-batch.js';
import { modalScope, type Deps } from '../../../usecases/context.js';
import { postDigestHere } from '../../../usecases/digest-post.js';
import { copySnapshot, createSnapshot, listSnapshots, snapshotInstance } from '../../../usecases/snapshots.js';
import { scopedModal, snapshotModal } from '../../views/modals.js';
import { ackThenOpen, ackThenRun, parseOrAnswer, type CommandArgs } from './common.js';
import { costCommand } from './cost.js';
import { drillCommand } from './drill.js';
import { encryptCommand } from './encrypt.js';
import { recycleBinCommand } from './recycle-bin.js';
import { safetyCommand } from './safety.js';
import { scheduleCommand } from './schedule.js';

export function snapshotCommand(base: Deps) {
  return async (args: CommandArgs): Promise<void> => {
    const parsed = await parseOrAnswer('/snapshot', args, base);
    if (!parsed) return;
    // deps act in the account and region the command means (--account, --region, the channel's account).
    const { cmd, deps, inv } = parsed;
    switch (cmd.kind) {
      case 'snapshot.help':
        await args.ack({ response_type: 'ephemeral', text: helpText() });
        return;
      case 'snapshot.modal':
        return ackThenOpen(args, deps, inv, cmd, () =>
          deps.out.openModal(args.command.trigger_id, scopedModal(snapshotModal({ channelId: inv.channelId, responseUrl: inv.responseUrl }), modalScope(deps))),
        );
      case 'snapshot.create':
        return ackThenRun(args, deps, inv, cmd, () => createSnapshot(deps, inv, cmd.volumeId, cmd.description, cmd.expiresInDays));
      case 'snapshot.instance':
        return ackThenRun(args, deps, inv, cmd, () => snapshotInstance(deps, inv, cmd));
      case 'snapshot.list':
        return ackThenRun(args, deps, inv, cmd, () => listSnapshots(deps, inv, cmd.volumeId));
      case 'snapshot.copy':
        return ackThenRun(args, deps, inv, cmd, () => copySnapshot(deps, inv, cmd));
      case 'snapshot.delete':
        return ackThenRun(args, deps, inv, cmd, () =>
          requestApproval(deps, inv, { type: 'snapshot.delete', snapshotId: cmd.snapshotId }, cmd.reason),
        );
      case 'snapshot.cleanup':
        return ackThenRun(args, deps, inv, cmd, () => requestCleanup(deps, inv, cmd));
      case 'snapshot.digest':
        return ackThenRun(args, deps, inv, cmd, () => postDigestHere(deps, inv));
      case 'snapshot.audit':
        return ackThenRun(args, deps, inv, cmd, () => showAudit(deps, inv, cmd.resourceId));
      case 'snapshot.withdraw':
        // The policy needs to know whose request it is: the use case reads it, then asks.
        await args.ack();
        deps.background(() => withdrawRequest(deps, inv, cmd.requestId));
        return;
      case 'snapshot.schedule':
      case 'snapshot.schedule.modal':
      case 'snapshot.schedule.pause':
      case 'snapshot.schedule.resume':
      case 'snapshot.schedules':
      case 'snapshot.unschedule':
        return scheduleCommand(args, deps, inv, cmd);
      case 'snapshot.cost':
      case 'snapshot.savings':
        return costCommand(args, deps, inv, cmd);
      case 'snapshot.drill':
      case 'snapshot.drills':
      case 'snapshot.evidence':
        return drillCommand(args, deps, inv, cmd);
      case 'snapshot.encrypt':
      case 'snapshot.encrypt.modal':
        return encryptCommand(args, deps, inv, cmd);
      case 'snapshot.recycleBin':
      case 'snapshot.undelete':
        return recycleBinCommand(args, deps, inv, cmd);
      case 'snapshot.lock':
      case 'snapshot.unlock':
      case 'snapshot.archive':
      case 'snapshot.unarchive':
        return safetyCommand(args, deps, inv, cmd);
      default:
        await args.ack({ response_type: 'ephemeral', text: helpText() });
    }
  };
}
