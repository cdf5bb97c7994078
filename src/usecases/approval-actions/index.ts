// The running half of every approval action, one entry per kind (the pure half: src/core/approval-actions.ts).
import type { ApprovalAction, ApprovalRequest } from '../../core/approvals.js';
import type { Deps } from '../context.js';
import { deregister, launch } from './ami.js';
import { complianceLock, unlock, unprotect } from './safety.js';
import { scheduleChange } from './schedule.js';
import { keepShared, share } from './share.js';
import { snapshotDelete } from './snapshot-delete.js';
import { cleanupBatch } from './cleanup-batch.js';
import type { ApprovalRunner, ApprovalRunners, Assessment } from './types.js';

export { Refusal, type Assessment } from './types.js';
export { lockRefusal, lockText, protectionRefusal } from './safety.js';

export const APPROVAL_RUNNERS: ApprovalRunners = {
  'share.public': share,
  'share.account': share,
  'share.keep': keepShared,
  'snapshot.delete': snapshotDelete,
  'ami.deregister': deregister,
  'ami.launch': launch,
  'schedule.pause': scheduleChange,
  'schedule.delete': scheduleChange,
  'snapshot.lock': complianceLock,
  'snapshot.unlock': unlock,
  'ami.unprotect': unprotect,
  'cleanup.batch': cleanupBatch,
};

function runnerOf<A extends ApprovalAction>(action: A): ApprovalRunner<A> {
  return APPROVAL_RUNNERS[action.type] as unknown as ApprovalRunner<A>;
}

/** What the approver is shown for `action` in deps' scope; throws Refusal when it cannot be asked at all. */
export function assessApproval(deps: Deps, action: ApprovalAction): Promise<Assessment> {
  return runnerOf(action).assess(deps, action);
}

/** Runs an approved request's action with deps acting in its account and region. */
export function runApproval(deps: Deps, request: ApprovalRequest): Promise<string> {
  return runnerOf(request.action).run(deps, request, request.action);
}
