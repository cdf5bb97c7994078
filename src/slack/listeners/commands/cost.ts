// /snapshot cost: what deleting a snapshot really frees (read-only).
import type { CommandOf } from '../../../core/commands.js';
import type { Deps, Invocation } from '../../../usecases/context.js';
import { showCost } from '../../../usecases/cost.js';
import { ackThenRun, type CommandArgs } from './common.js';

export function costCommand(args: CommandArgs, deps: Deps, inv: Invocation, cmd: CommandOf<'snapshot.cost'>): Promise<void> {
  return ackThenRun(args, deps, inv, cmd, () => showCost(deps, inv, cmd.snapshotId));
}
