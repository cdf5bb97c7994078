// Pausing or removing a backup schedule (a Data Lifecycle Manager policy): backups stop.
import { AwsActionError } from '../../aws/errors.js';
import type { ApprovalAction } from '../../core/approvals.js';
import { policyCovers, policyLabel } from '../../core/schedules.js';
import { nameTag } from '../../core/types.js';
import type { ApprovalRunner } from './types.js';
import { count } from '../../core/words.js';

type ScheduleChange = Extract<ApprovalAction, { type: 'schedule.pause' | 'schedule.delete' }>;

export const scheduleChange: ApprovalRunner<ScheduleChange> = {
  /** The approver's view of a pause or removal: what stops being backed up. */
  async assess(deps, action) {
    const region = deps.scope.region;
    const policy = await deps.dlm.getPolicy(region, action.policyId);
    const volumes = await deps.ec2.listVolumes(region).catch(() => undefined);
    const instances = await deps.ec2.listInstances(region).catch(() => []);
    const tagsOfInstance = new Map(instances.map((i) => [i.id, i.tags]));
    const covered = volumes?.filter((v) => policyCovers({ ...policy, state: 'ENABLED' }, v.tags, tagsOfInstance.get(v.attachments[0]?.instanceId ?? '')));
    const lines = [
      `${policyLabel(policy)}: ${policy.state.toLowerCase()}, ${count(policy.schedules.length, 'schedule')}.`,
      covered === undefined
        ? 'The volumes it backs up could not be read.'
        : covered.length
          ? `It backs up ${count(covered.length, 'volume')}: ${covered.slice(0, 8).map((v) => `${v.id}${nameTag(v.tags) ? ` (${nameTag(v.tags)})` : ''}`).join(', ')}${covered.length > 8 ? ', …' : ''}. They get no new snapshots from it.`
          : 'It backs up no volume right now.',
      action.type === 'schedule.delete'
        ? 'The snapshots it made are kept, but nothing deletes them on schedule any more: the digest will show them once they are old.'
        : 'Its snapshots are kept; retention stops while it is paused. Resuming is at once (`/snapshot schedule resume`).',
    ];
    return { risk: { lines } };
  },

  async run(deps, r, action) {
    if (action.type === 'schedule.pause') {
      await deps.dlm.setState(r.region, action.policyId, 'DISABLED');
      return `${action.name ?? action.policyId} is paused: no new backups until someone resumes it (\`/snapshot schedule resume ${action.name ?? action.policyId}\`).`;
    }
    try {
      await deps.dlm.deletePolicy(r.region, action.policyId);
    } catch (err) {
      if (err instanceof AwsActionError && err.kind === 'not-found') return `${action.policyId} was already gone.`;
      throw err;
    }
    return `${action.name ?? action.policyId} is removed; the snapshots it made are kept.`;
  },
};
