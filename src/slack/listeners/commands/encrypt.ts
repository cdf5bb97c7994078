// /snapshot encrypt vol-… [--kms-key K] [--replace]; no arguments opens the form. --replace asks first.
import type { CommandOf } from '../../../core/commands.js';
import { modalScope, type Deps, type Invocation } from '../../../usecases/context.js';
import { askBeforeReplace, encryptVolume } from '../../../usecases/encrypt.js';
import { encryptModal } from '../../views/encrypt.js';
import { scopedModal } from '../../views/modals.js';
import { ackThenOpen, ackThenRun, type CommandArgs } from './common.js';

export function encryptCommand(args: CommandArgs, deps: Deps, inv: Invocation, cmd: CommandOf<'snapshot.encrypt' | 'snapshot.encrypt.modal'>): Promise<void> {
  if (cmd.kind === 'snapshot.encrypt.modal') {
    return ackThenOpen(args, deps, inv, cmd, () =>
      deps.out.openModal(args.command.trigger_id, scopedModal(encryptModal({ channelId: inv.channelId, responseUrl: inv.responseUrl }, cmd.volumeId), modalScope(deps))),
    );
  }
  return ackThenRun(args, deps, inv, cmd, (verdict) => (verdict.decision === 'confirm' ? askBeforeReplace(deps, inv, cmd) : encryptVolume(deps, inv, cmd)));
}
