// Approval requests as the bot decides about them: what a request is, who may decide it, which state changes
// are allowed, and which actions need a second person at all. Pure: no I/O, no clock, no randomness.
import { approvalActionSpec, type ApprovalAction } from './approval-actions.js';
import type { Requester } from './types.js';
import { hoursAfter } from './time.js';

export type { ApprovalAction, ApprovalActionType } from './approval-actions.js';

/** What the approver should weigh, ready for display. Plain data, rendered by slack/views. */
export interface RiskSummary {
  /** Human lines, most important first ("Anyone on AWS can copy this data"). */
  lines: string[];
  /** Estimated USD per month no longer paid once the action runs. */
  monthlyUsdFreed?: number;
  /** monthlyUsdFreed was measured (the blocks no other snapshot shares), not an upper bound. */
  monthlyUsdExact?: boolean;
  publicExposure?: boolean;
  /** AMIs, launch templates or instances that still use the resource. */
  usedBy?: string[];
  /** Archive-tier snapshot younger than 90 days: deleting it still bills the rest of the 90 days. */
  earlyDeletionCharge?: boolean;
  encrypted?: boolean;
  /** "unknown" when the account-level block-public-access state could not be read. */
  blockPublicAccess?: 'blocked' | 'unblocked' | 'unknown';
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'withdrawn' | 'executing' | 'done' | 'failed';

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
  /** The managed account it acts in (ACCOUNTS); absent: snapbot's own, as for every request made before ACCOUNTS. */
  account?: string;
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
  /**
   * The requester's private note (with *Withdraw*), when it went through the command's response_url: replaced once
   * the request is decided, withdrawn or expired, while Slack still accepts the URL (30 minutes).
   */
  notice?: { responseUrl: string; at: string };
}

export type AuditEvent =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'expired'
  | 'withdrawn'
  | 'refused'
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
  /** Where it happened: the region, and the managed account (absent: snapbot's own, as in entries before ACCOUNTS). */
  region?: string;
  account?: string;
  detail?: string;
  reason?: string;
  outcome?: { ok: boolean; message: string };
}

/** An approved *Keep shared* holds this long; then the exposure is a finding again. */
export const KEEP_SHARED_DAYS = 90;

/** The one who acts when no person does (expiry sweep, execution). */
export const BOT_ACTOR = 'snapbot';

// ---------------------------------------------------------------------------------------------------------------
// The state machine. The store builds its conditional writes from this table, so a transition that is not here
// cannot happen in DynamoDB either.

export type ApprovalTransition = 'approve' | 'reject' | 'expire' | 'withdraw' | 'start' | 'succeed' | 'fail';

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
  withdraw: { from: ['pending'], to: 'withdrawn', event: 'withdrawn' },
  start: { from: ['approved'], to: 'executing', event: 'executing' },
  succeed: { from: ['executing'], to: 'done', event: 'done' },
  fail: { from: ['executing'], to: 'failed', event: 'failed' },
};


export function canTransition(from: ApprovalStatus, transition: ApprovalTransition): boolean {
  return TRANSITIONS[transition].from.includes(from);
}

// ---------------------------------------------------------------------------------------------------------------
// Who may decide.

export interface DecidePolicy {
  now: Date;
}

export type Permission = { ok: true } | { ok: false; reason: string };

/**
 * Whether this request can still be decided by this person: it is open, and they did not ask for it. Whether they
 * are an approver at all is the access policy's (src/core/policy.ts) question, asked first.
 */
export function mayDecide(request: ApprovalRequest, userId: string, policy: DecidePolicy): Permission {
  const closed = whyClosed(request, policy.now);
  if (closed) return { ok: false, reason: closed };
  if (userId === request.requester.userId) {
    return { ok: false, reason: 'You asked for this; another approver must decide.' };
  }
  return { ok: true };
}

/** Why nobody can decide this request any more, or undefined while it is open. */
function whyClosed(request: ApprovalRequest, now: Date): string | undefined {
  switch (request.status) {
    case 'pending':
      if (Date.parse(request.decideBy) <= now.getTime()) {
        return `This request expired at ${formatTime(request.decideBy)} without a decision; ask for it again if it is still needed.`;
      }
      return undefined;
    case 'expired':
      return `This request expired at ${formatTime(request.decidedAt ?? request.decideBy)} without a decision; ask for it again if it is still needed.`;
    case 'withdrawn':
      return `${who(request.decidedBy)} withdrew this request${when(request.decidedAt)}; nothing is left to decide.`;
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
  if (status === 'withdrawn') return `${who(decidedBy)} already withdrew this request${when(decidedAt)}.`;
  const verb = status === 'rejected' ? 'rejected' : 'approved';
  return `Already decided by ${who(decidedBy)}: ${verb}${when(decidedAt)}.`;
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
// What each action is, in words: its entry in APPROVAL_ACTIONS (src/core/approval-actions.ts). Which actions need a
// second person at all is the access policy's table, src/core/policy.ts.

/** One line for the request message and the requester: why a second person has to agree. */
export function whyApprovalNeeded(action: ApprovalAction): string {
  return approvalActionSpec(action).why(action);
}

/** The resource the action is about (a snapshot, AMI or policy ID). */
export function actionResourceId(action: ApprovalAction): string {
  return approvalActionSpec(action).resourceId(action);
}

/** Every resource whose audit history should show the request: the main one first, then related ones, no repeats. */
export function auditedResourceIds(request: Pick<ApprovalRequest, 'action' | 'relatedIds'>): string[] {
  return [...new Set([actionResourceId(request.action), ...(request.relatedIds ?? [])])];
}

export function describeAction(action: ApprovalAction): string {
  return approvalActionSpec(action).describe(action);
}

/** The deadline for a request created at `now` with APPROVAL_TTL_HOURS = ttlHours. */
export function approvalDeadline(now: Date, ttlHours: number): Date {
  return hoursAfter(now, ttlHours);
}
