// /snapshot schedule (one-line or the form), schedules, schedule pause|resume, unschedule.
import type { CommandOf } from '../../../core/commands.js';
import { modalScope, type Deps, type Invocation } from '../../../usecases/context.js';
import { createSchedule, listSchedules, requestScheduleChange, resumeSchedule } from '../../../usecases/schedules.js';
import { scheduleModal } from '../../views/backups.js';
import { scopedModal } from '../../views/modals.js';
import { ackThenOpen, ackThenRun, type CommandArgs } from './common.js';

export type ScheduleCommand = CommandOf<
  'snapshot.schedule' | 'snapshot.schedule.modal' | 'snapshot.schedule.pause' | 'snapshot.schedule.resume' | 'snapshot.schedules' | 'snapshot.unschedule'
>;

export function scheduleCommand(args: CommandArgs, deps: Deps, inv: Invocation, cmd: ScheduleCommand): Promise<void> {
  switch (cmd.kind) {
    case 'snapshot.schedule.modal':
      return ackThenOpen(args, deps, inv, cmd, () =>
        deps.out.openModal(args.command.trigger_id, scopedModal(scheduleModal({ channelId: inv.channelId, responseUrl: inv.responseUrl }), modalScope(deps))),
      );
    case 'snapshot.schedule': {
      const { kind: _kind, ...spec } = cmd;
      return ackThenRun(args, deps, inv, cmd, () => createSchedule(deps, inv, spec));
    }
    case 'snapshot.schedules':
      return ackThenRun(args, deps, inv, cmd, () => listSchedules(deps, inv));
    case 'snapshot.schedule.pause':
      return ackThenRun(args, deps, inv, cmd, () => requestScheduleChange(deps, inv, 'pause', cmd.policy, cmd.reason));
    case 'snapshot.unschedule':
      return ackThenRun(args, deps, inv, cmd, () => requestScheduleChange(deps, inv, 'delete', cmd.policy, cmd.reason));
    case 'snapshot.schedule.resume':
      return ackThenRun(args, deps, inv, cmd, () => resumeSchedule(deps, inv, cmd.policy));
  }
}
