// The running half of an approval action: what the approver is shown (found before anything is recorded) and what
// runs once approved. The pure half — words, resource, IAM — is src/core/approval-actions.ts.
import { AwsActionError } from '../../aws/errors.js';
import type { ApprovalAction, ApprovalActionType, ApprovalRequest, RiskSummary } from '../../core/approvals.js';
import type { Deps } from '../context.js';

/** A request that cannot be made at all, with the reason and what to do instead (said privately, nothing recorded). */
export class Refusal extends Error {}

/** What the approver weighs, and further resources the action touches (each gets audit entries too). */
export interface Assessment {
  risk: RiskSummary;
  relatedIds?: string[];
}

export interface ApprovalRunner<A extends ApprovalAction> {
  /** Facts for the card, and the refusals AWS would give anyway, found before the request is recorded. */
  assess(deps: Deps, action: A): Promise<Assessment>;
  /** Runs the approved action in the request's account and region; returns the outcome in words. */
  run(deps: Deps, request: ApprovalRequest, action: A): Promise<string>;
}

export type ApprovalRunners = { readonly [K in ApprovalActionType]: ApprovalRunner<Extract<ApprovalAction, { type: K }>> };

/** Deleting what is already gone counts as done: a crash may have run the action before it was recorded. */
export function alreadyGone(id: string): (err: unknown) => string {
  return (err) => {
    if (err instanceof AwsActionError && err.kind === 'not-found') return `${id} was already gone.`;
    throw err;
  };
}
