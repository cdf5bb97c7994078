// /snapshot lock|unlock|archive|unarchive and /ami protect|unprotect: what keeps a snapshot or AMI from going away.
import type { CommandOf } from '../../../core/commands.js';
import type { Deps, Invocation } from '../../../usecases/context.js';
import { archiveSnapshot, lockSnapshot, protectImage, requestUnlock, requestUnprotect, unarchiveSnapshot } from '../../../usecases/safety.js';
import { ackThenRun, type CommandArgs } from './common.js';

export type SafetyCommand = CommandOf<'snapshot.lock' | 'snapshot.unlock' | 'snapshot.archive' | 'snapshot.unarchive' | 'ami.protect' | 'ami.unprotect'>;

export function safetyCommand(args: CommandArgs, deps: Deps, inv: Invocation, cmd: SafetyCommand): Promise<void> {
  switch (cmd.kind) {
    case 'snapshot.lock':
      return ackThenRun(args, deps, inv, cmd, () => lockSnapshot(deps, inv, cmd));
    case 'snapshot.unlock':
      return ackThenRun(args, deps, inv, cmd, () => requestUnlock(deps, inv, cmd.snapshotId, cmd.reason));
    case 'snapshot.archive':
      return ackThenRun(args, deps, inv, cmd, () => archiveSnapshot(deps, inv, cmd.snapshotId));
    case 'snapshot.unarchive':
      return ackThenRun(args, deps, inv, cmd, () => unarchiveSnapshot(deps, inv, cmd.snapshotId, cmd.days));
    case 'ami.protect':
      return ackThenRun(args, deps, inv, cmd, () => protectImage(deps, inv, cmd.imageId));
    case 'ami.unprotect':
      return ackThenRun(args, deps, inv, cmd, () => requestUnprotect(deps, inv, cmd.imageId, cmd.reason));
  }
}
