// /snapshot drill: a restore drill (changes AWS: an operator's); /snapshot drills and /snapshot evidence: what
// the drills and recovery points prove (read-only).
import type { CommandOf } from '../../../core/commands.js';
import type { Deps, Invocation } from '../../../usecases/context.js';
import { showDrills, startDrill, uploadEvidence } from '../../../usecases/drill.js';
import { volumePointsNow } from '../../../usecases/digest-post.js';
import { ackThenRun, type CommandArgs } from './common.js';

export function drillCommand(args: CommandArgs, deps: Deps, inv: Invocation, cmd: CommandOf<'snapshot.drill' | 'snapshot.drills' | 'snapshot.evidence'>): Promise<void> {
  switch (cmd.kind) {
    case 'snapshot.drill':
      return ackThenRun(args, deps, inv, cmd, () => startDrill(deps, inv, cmd));
    case 'snapshot.drills':
      return ackThenRun(args, deps, inv, cmd, () => showDrills(deps, inv, cmd.volumeId));
    case 'snapshot.evidence':
      return ackThenRun(args, deps, inv, cmd, () => uploadEvidence(deps, inv, cmd.days, () => volumePointsNow(deps)));
  }
}
