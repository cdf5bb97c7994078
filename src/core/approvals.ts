// Approval requests as the bot decides about them: what a request is, who may decide it, which state changes
// are allowed, and which actions need a second person at all. Pure: no I/O, no clock, no randomness.
import type { ShareTarget } from './commands.js';
import type { Requester } from './types.js';

export type ApprovalAction =
  | { type: 'share.public'; resourceId: string }
  | { type: 'share.account'; resourceId: string; accountId: string }
  | { type: 'snapshot.delete'; snapshotId: string }
  | { type: 'ami.deregister'; imageId: string; deleteSnapshots: boolean };

export type ApprovalActionType = ApprovalAction['type'];

/** What the approver should weigh, ready for display. Plain data, rendered by slack/views. */
export interface RiskSummary {
  /** Human lines, most important first ("Anyone on AWS can copy this data"). */
  lines: string[];
  /** Estimated USD per month no longer paid once the action runs. */
  monthlyUsdFreed?: number;
  publicExposure?: boolean;
  /** AMIs, launch templates or instances that still use the resource. */
  usedBy?: string[];
  /** Archive-tier snapshot younger than 90 days: deleting it still bills the rest of the 90 days. */
  earlyDeletionCharge?: boolean;
  encrypted?: boolean;
  /** "unknown" when the account-level block-public-access state could not be read. */
  blockPublicAccess?: 'blocked' | 'unblocked' | 'unknown';
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'executing' | 'done' | 'failed';

export interface ApprovalOutcome {
  ok: boolean;
  message: string;
  /** ISO time the outcome was recorded. */
  at: string;
}

export interface ApprovalRequest {
  /** Sortable (time first) and unique, e.g. 01J2Z3K4M5N6P7Q8R9S0T1V2W3. */
  id: string;
  action: ApprovalAction;
  region: string;
  requester: Requester;
  reason?: string;
  risk: RiskSummary;
  /** Further resources the action touches (an AMI's snapshots when they are deleted with it); each gets audit entries too. */
  relatedIds?: string[];
  status: ApprovalStatus;
  /** ISO times. */
  createdAt: string;
  /** The approval deadline: after it the request can only expire. */
  decideBy: string;
  decidedBy?: string;
  decidedAt?: string;
  rejectReason?: string;
  /** When the current execution attempt started (used to resume one a crash left behind). */
  executionStartedAt?: string;
  outcome?: ApprovalOutcome;
  /** Where the request was posted, once it was. */
  message?: { channel: string; ts: string };
}

export type AuditEvent =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'expired'
  | 'executing'
  | 'done'
  | 'failed'
  | 'created'
  | 'shared'
  | 'revoked'
  | 'snoozed'
  | 'kept'
  | (string & {});

export interface AuditEntry {
  resourceId: string;
  /** ISO time. */
  at: string;
  /** Slack user ID, or 'snapbot' for what the bot did on its own. */
  actor: string;
  event: AuditEvent;
  requestId?: string;
  detail?: string;
  reason?: string;
  outcome?: { ok: boolean; message: string };
}

/** The one who acts when no person does (expiry sweep, execution). */
export const BOT_ACTOR = 'snapbot';

// ---------------------------------------------------------------------------------------------------------------
// The state machine. The store builds its conditional writes from this table, so a transition that is not here
// cannot happen in DynamoDB either.

export type ApprovalTransition = 'approve' | 'reject' | 'expire' | 'start' | 'succeed' | 'fail';

export interface TransitionRule {
  from: readonly ApprovalStatus[];
  to: ApprovalStatus;
  /** The audit event written with it. */
  event: AuditEvent;
  /** Only while the deadline has not passed (decisions); or only once it has (expiry). */
  deadline?: 'before' | 'after';
}

export const TRANSITIONS: Readonly<Record<ApprovalTransition, TransitionRule>> = {
  approve: { from: ['pending'], to: 'approved', event: 'approved', deadline: 'before' },
  reject: { from: ['pending'], to: 'rejected', event: 'rejected', deadline: 'before' },
  expire: { from: ['pending'], to: 'expired', event: 'expired', deadline: 'after' },
  start: { from: ['approved'], to: 'executing', event: 'executing' },
  succeed: { from: ['executing'], to: 'done', event: 'done' },
  fail: { from: ['executing'], to: 'failed', event: 'failed' },
};

/** Statuses a crash can leave behind with work still to do. */
export const IN_FLIGHT_STATUSES: readonly ApprovalStatus[] = ['approved', 'executing'];
export const FINAL_STATUSES: readonly ApprovalStatus[] = ['rejected', 'expired', 'done', 'failed'];

export function canTransition(from: ApprovalStatus, transition: ApprovalTransition): boolean {
  return TRANSITIONS[transition].from.includes(from);
}

// ---------------------------------------------------------------------------------------------------------------
// Who may decide.

export interface DecidePolicy {
  /** APPROVERS with user groups already resolved to user IDs. */
  approverUserIds: ReadonlySet<string>;
  now: Date;
}

export type Permission = { ok: true } | { ok: false; reason: string };

export function mayDecide(request: ApprovalRequest, userId: string, policy: DecidePolicy): Permission {
  const closed = whyClosed(request, policy.now);
  if (closed) return { ok: false, reason: closed };
  if (userId === request.requester.userId) {
    return { ok: false, reason: 'You asked for this; another approver must decide.' };
  }
  if (!policy.approverUserIds.has(userId)) {
    return { ok: false, reason: `Only the approvers listed in APPROVERS can decide on this request${approverList(policy.approverUserIds)}.` };
  }
  return { ok: true };
}

/** Why nobody can decide this request any more, or undefined while it is open. */
export function whyClosed(request: ApprovalRequest, now: Date): string | undefined {
  switch (request.status) {
    case 'pending':
      if (Date.parse(request.decideBy) <= now.getTime()) {
        return `This request expired at ${formatTime(request.decideBy)} without a decision; ask for it again if it is still needed.`;
      }
      return undefined;
    case 'expired':
      return `This request expired at ${formatTime(request.decidedAt ?? request.decideBy)} without a decision; ask for it again if it is still needed.`;
    case 'rejected':
      return `Already decided by ${who(request.decidedBy)}: rejected${when(request.decidedAt)}${request.rejectReason ? `, “${request.rejectReason}”` : ''}.`;
    default:
      // approved, executing, done, failed: all were approved first.
      return `Already decided by ${who(request.decidedBy)}: approved${when(request.decidedAt)}.`;
  }
}

/** "already approved by <@U1> at 2024-05-01 09:00 UTC" — for a decision that lost the race. */
export function alreadyDecidedText(status: ApprovalStatus, decidedBy?: string, decidedAt?: string): string {
  if (status === 'expired') return `This request already expired${when(decidedAt)}.`;
  const verb = status === 'rejected' ? 'rejected' : 'approved';
  return `Already decided by ${who(decidedBy)}: ${verb}${when(decidedAt)}.`;
}

function approverList(ids: ReadonlySet<string>): string {
  if (ids.size === 0) return ' (APPROVERS is empty, so nobody can; ask an admin to set it)';
  const shown = [...ids].slice(0, 10).map((id) => `<@${id}>`);
  return `: ${shown.join(', ')}${ids.size > shown.length ? ` and ${ids.size - shown.length} more` : ''}`;
}

function who(userId: string | undefined): string {
  return userId ? (userId === BOT_ACTOR ? 'snapbot' : `<@${userId}>`) : 'someone';
}

function when(iso: string | undefined): string {
  return iso ? ` at ${formatTime(iso)}` : '';
}

/** 2024-05-01 09:00 UTC */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

// ---------------------------------------------------------------------------------------------------------------
// Which actions need a second person.

export interface SharePolicy {
  /** SHARE_ALLOWED_ACCOUNTS. */
  shareAllowedAccounts: ReadonlySet<string> | readonly string[];
}


/** Public: always. An account: unless it is in SHARE_ALLOWED_ACCOUNTS. */
export function shareRequiresApproval(target: ShareTarget, policy: SharePolicy): boolean {
  if (target.type === 'public') return true;
  const allowed = policy.shareAllowedAccounts;
  return !(allowed instanceof Set ? allowed.has(target.accountId) : (allowed as readonly string[]).includes(target.accountId));
}

export function requiresApproval(action: ApprovalAction, policy: SharePolicy): boolean {
  switch (action.type) {
    case 'share.public':
      return true;
    case 'share.account':
      return shareRequiresApproval({ type: 'account', accountId: action.accountId }, policy);
    case 'snapshot.delete':
    case 'ami.deregister':
      return true;
  }
}

/** One line for the request message and the requester: why a second person has to agree. */
export function whyApprovalNeeded(action: ApprovalAction): string {
  switch (action.type) {
    case 'share.public':
      return 'Making a resource public lets anyone on AWS copy its data.';
    case 'share.account':
      return `Account ${action.accountId} is not in SHARE_ALLOWED_ACCOUNTS.`;
    case 'snapshot.delete':
      return 'Deleting a snapshot cannot be undone.';
    case 'ami.deregister':
      return action.deleteSnapshots
        ? 'Deregistering an AMI and deleting its snapshots cannot be undone.'
        : 'Deregistering an AMI cannot be undone.';
  }
}

/** The resource the action is about (a snapshot or AMI ID). */
export function actionResourceId(action: ApprovalAction): string {
  switch (action.type) {
    case 'share.public':
    case 'share.account':
      return action.resourceId;
    case 'snapshot.delete':
      return action.snapshotId;
    case 'ami.deregister':
      return action.imageId;
  }
}

/** Every resource whose audit history should show the request: the main one first, then related ones, no repeats. */
export function auditedResourceIds(request: Pick<ApprovalRequest, 'action' | 'relatedIds'>): string[] {
  return [...new Set([actionResourceId(request.action), ...(request.relatedIds ?? [])])];
}

export function describeAction(action: ApprovalAction): string {
  switch (action.type) {
    case 'share.public':
      return `make ${action.resourceId} public`;
    case 'share.account':
      return `share ${action.resourceId} with account ${action.accountId}`;
    case 'snapshot.delete':
      return `delete snapshot ${action.snapshotId}`;
    case 'ami.deregister':
      return `deregister ${action.imageId}${action.deleteSnapshots ? ' and delete its snapshots' : ''}`;
  }
}

/** The deadline for a request created at `now` with APPROVAL_TTL_HOURS = ttlHours. */
export function approvalDeadline(now: Date, ttlHours: number): Date {
  return new Date(now.getTime() + ttlHours * 3_600_000);
}
