// Typed failures of the store. Each message is fit to show a Slack user as it is.
import { alreadyDecidedText, formatTime, type ApprovalStatus } from '../core/approvals.js';

export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** DynamoDB cannot be used right now (network, credentials, missing table, throttling after retries). */
export class StoreUnavailableError extends StoreError {
  readonly table: string;
  constructor(
    table: string,
    readonly problem: 'unreachable' | 'missing' | 'forbidden' | 'throttled',
    detail: string,
    cause?: unknown,
  ) {
    const what = `The approvals database (DynamoDB table ${table})`;
    const text = {
      unreachable: `${what} is unreachable: ${detail}. Nothing was changed; try again in a minute.`,
      missing: `${what} does not exist: ${detail}. Restart snapbot with permission to create it, or create it.`,
      forbidden: `${what} refused access: ${detail}. Check snapbot's AWS credentials and IAM policy.`,
      throttled: `${what} is overloaded: ${detail}. Nothing was changed; try again in a minute.`,
    }[problem];
    super(text, { cause });
    this.table = table;
  }
}

export class NotFoundError extends StoreError {
  constructor(readonly requestId: string) {
    super(`Approval request ${requestId} does not exist (it may be older than the retention period).`);
  }
}

export class AlreadyExistsError extends StoreError {
  constructor(readonly requestId: string) {
    super(`Approval request ${requestId} already exists.`);
  }
}

/** Someone decided first (or the request is past its decision). Carries who and when, from DynamoDB itself. */
export class AlreadyDecidedError extends StoreError {
  constructor(
    readonly requestId: string,
    readonly status: ApprovalStatus,
    readonly decidedBy?: string,
    readonly decidedAt?: string,
  ) {
    super(alreadyDecidedText(status, decidedBy, decidedAt));
  }
}

export class ExpiredError extends StoreError {
  constructor(
    readonly requestId: string,
    readonly decideBy: string,
  ) {
    super(`This request expired at ${formatTime(decideBy)} and can no longer be decided; ask for it again if it is still needed.`);
  }
}

/** The requester tried to decide their own request (the store refuses it too, not only the policy). */
export class SelfDecisionError extends StoreError {
  constructor(readonly requestId: string) {
    super('You asked for this; another approver must decide.');
  }
}

/** Someone other than the requester tried to withdraw a request (the store checks it, not only the policy). */
export class NotRequesterError extends StoreError {
  constructor(
    readonly requestId: string,
    readonly requesterId: string,
  ) {
    super(`Only the person who asked (<@${requesterId}>) can withdraw this request; an approver can reject it instead.`);
  }
}

/** A transition the state machine does not allow from the request's current status. */
export class InvalidTransitionError extends StoreError {
  constructor(
    readonly requestId: string,
    readonly from: ApprovalStatus,
    readonly to: ApprovalStatus,
  ) {
    super(`Approval request ${requestId} is ${from}; it cannot become ${to}.`);
  }
}
