// /snapshot cost: what deleting a snapshot really frees; /snapshot savings: what snapbot has freed (both read-only).
import type { CommandOf } from '../../../core/commands.js';
import type { Deps, Invocation } from '../../../usecases/context.js';
import { showCost, showSavings } from '../../../usecases/cost.js';
import { ackThenRun, type CommandArgs } from './common.js';

export function costCommand(args: CommandArgs, deps: Deps, inv: Invocation, cmd: CommandOf<'snapshot.cost' | 'snapshot.savings'>): Promise<void> {
  return ackThenRun(args, deps, inv, cmd, () => (cmd.kind === 'snapshot.cost' ? showCost(deps, inv, cmd.snapshotId) : showSavings(deps, inv)));
}
