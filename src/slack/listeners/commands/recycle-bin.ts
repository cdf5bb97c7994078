// /snapshot recycle-bin, /snapshot undelete, /ami undelete.
import type { CommandOf } from '../../../core/commands.js';
import type { Deps, Invocation } from '../../../usecases/context.js';
import { showRecycleBin, undelete } from '../../../usecases/recycle-bin.js';
import { ackThenRun, type CommandArgs } from './common.js';

export type RecycleBinCommand = CommandOf<'snapshot.recycleBin' | 'snapshot.undelete' | 'ami.undelete'>;

export function recycleBinCommand(args: CommandArgs, deps: Deps, inv: Invocation, cmd: RecycleBinCommand): Promise<void> {
  switch (cmd.kind) {
    case 'snapshot.recycleBin':
      return ackThenRun(args, deps, inv, cmd, () => showRecycleBin(deps, inv));
    case 'snapshot.undelete':
      return ackThenRun(args, deps, inv, cmd, () => undelete(deps, inv, cmd.snapshotId));
    case 'ami.undelete':
      return ackThenRun(args, deps, inv, cmd, () => undelete(deps, inv, cmd.imageId));
  }
}
