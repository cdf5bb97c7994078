import type { SavingKind } from './savings.js';
import { batchWords, type CleanupWhat } from './cleanup.js';
import { article } from './words.js';
// Every kind of action a second person must approve, one entry each — the way COMMAND_POLICY keeps commands and the
// staleness RULES keep findings. An entry says what the action is in words, why it needs approval, which resource it
// names and which IAM actions running it needs. How it is assessed and run is its twin in
// src/usecases/approval-actions/. Adding a kind is one entry here, one there, and their tests.

/** What an approved request does, by kind. */
export type ApprovalAction =
  | { type: 'share.public'; resourceId: string }
  | { type: 'share.account'; resourceId: string; accountId: string }
  | { type: 'snapshot.delete'; snapshotId: string }
  | { type: 'ami.deregister'; imageId: string; deleteSnapshots: boolean }
  /** An instance type outside LAUNCH_INSTANCE_TYPES. */
  | { type: 'ami.launch'; imageId: string; instanceType: string; subnetId?: string; keyName?: string }
  /** An exposure finding (public, or shared outside the allowed accounts) that its owner wants to keep. */
  | { type: 'share.keep'; resourceId: string }
  /** Backups stop: a lifecycle policy disabled, or removed. */
  | { type: 'schedule.pause'; policyId: string; name?: string }
  | { type: 'schedule.delete'; policyId: string; name?: string }
  /** A compliance-mode lock: nobody, root included, can delete the snapshot or shorten the lock until it expires. */
  | { type: 'snapshot.lock'; snapshotId: string; days: number }
  /** A governance-mode lock removed: the snapshot can be deleted again. */
  | { type: 'snapshot.unlock'; snapshotId: string }
  | { type: 'ami.unprotect'; imageId: string }
  /** A batch cleanup: every candidate of a kind in the account and region, listed apart (store: BATCH#<batchId>). */
  | { type: 'cleanup.batch'; batchId: string; what: CleanupWhat; count: number };

export type ApprovalActionType = ApprovalAction['type'];

export interface ApprovalActionSpec<A extends ApprovalAction> {
  /** What is asked, as a verb phrase: "delete snapshot snap-…". */
  describe(action: A): string;
  /** One line for the card and the requester: why a second person has to agree. */
  why(action: A): string;
  /** The resource the action is about (snapshot, AMI or policy ID); its audit history shows the request. */
  resourceId(action: A): string;
  /** The IAM actions running it calls (iam-policy.json must grant each; a test holds it to that). */
  iam: readonly string[];
  /** What running it saves, for the savings ledger (its request's monthlyUsdFreed). */
  saves?: SavingKind;
}

type Of<K extends ApprovalActionType> = Extract<ApprovalAction, { type: K }>;

export type ApprovalActionRegistry = { readonly [K in ApprovalActionType]: ApprovalActionSpec<Of<K>> };

function scheduleLabel(a: { policyId: string; name?: string }): string {
  return a.name ? `“${a.name}” (${a.policyId})` : a.policyId;
}

const RECYCLE_BIN = 'unless a Recycle Bin rule keeps it; the card says whether one does';

export const APPROVAL_ACTIONS: ApprovalActionRegistry = {
  'share.public': {
    describe: (a) => `make ${a.resourceId} public`,
    why: () => 'Making a resource public lets anyone on AWS copy its data.',
    resourceId: (a) => a.resourceId,
    iam: ['ec2:ModifySnapshotAttribute', 'ec2:ModifyImageAttribute'],
  },
  'share.account': {
    describe: (a) => `share ${a.resourceId} with account ${a.accountId}`,
    why: (a) => `Account ${a.accountId} is not one of the accounts snapbot may share with at once.`,
    resourceId: (a) => a.resourceId,
    iam: ['ec2:ModifySnapshotAttribute', 'ec2:ModifyImageAttribute'],
  },
  'share.keep': {
    describe: (a) => `keep ${a.resourceId} shared as it is`,
    why: (a) => `${a.resourceId} is exposed (public, or shared outside the allowed accounts); keeping it so is a second person's call.`,
    resourceId: (a) => a.resourceId,
    iam: ['dynamodb:PutItem'],
  },
  'snapshot.delete': {
    describe: (a) => `delete snapshot ${a.snapshotId}`,
    why: () => `Deleting a snapshot cannot be undone ${RECYCLE_BIN}.`,
    resourceId: (a) => a.snapshotId,
    iam: ['ec2:DeleteSnapshot'],
    saves: 'snapshot-deleted',
  },
  'ami.deregister': {
    describe: (a) => `deregister ${a.imageId}${a.deleteSnapshots ? ' and delete its snapshots' : ''}`,
    why: (a) =>
      a.deleteSnapshots
        ? 'Deregistering an AMI and deleting its snapshots cannot be undone unless Recycle Bin rules keep them; the card says whether they do.'
        : `Deregistering an AMI cannot be undone ${RECYCLE_BIN}.`,
    resourceId: (a) => a.imageId,
    iam: ['ec2:DeregisterImage', 'ec2:DeleteSnapshot'],
    saves: 'ami-deregistered',
  },
  'ami.launch': {
    describe: (a) => `launch ${article(a.instanceType)} ${a.instanceType} instance from ${a.imageId}`,
    why: (a) => `${a.instanceType} is not among the instance types anyone may launch at once.`,
    resourceId: (a) => a.imageId,
    iam: ['ec2:RunInstances', 'ec2:CreateTags'],
  },
  'schedule.pause': {
    describe: (a) => `pause the backup schedule ${scheduleLabel(a)}`,
    why: () => 'Pausing a backup schedule stops its backups until someone resumes it.',
    resourceId: (a) => a.policyId,
    iam: ['dlm:UpdateLifecyclePolicy'],
  },
  'schedule.delete': {
    describe: (a) => `remove the backup schedule ${scheduleLabel(a)}`,
    why: () => 'Removing a backup schedule stops its backups for good.',
    resourceId: (a) => a.policyId,
    iam: ['dlm:DeleteLifecyclePolicy'],
  },
  'snapshot.lock': {
    describe: (a) => `lock ${a.snapshotId} in compliance mode for ${a.days} days`,
    why: (a) => `A compliance-mode lock cannot be removed or shortened by anyone, root included, for ${a.days} days.`,
    resourceId: (a) => a.snapshotId,
    iam: ['ec2:LockSnapshot'],
  },
  'snapshot.unlock': {
    describe: (a) => `unlock ${a.snapshotId}`,
    why: (a) => `Unlocking ${a.snapshotId} lets anyone with delete rights delete it.`,
    resourceId: (a) => a.snapshotId,
    iam: ['ec2:UnlockSnapshot'],
  },
  'cleanup.batch': {
    describe: (a) => `delete ${batchWords(a.what, a.count)}`,
    why: () => 'Deleting them cannot be undone unless a Recycle Bin rule keeps them (the card says whether one does); each is checked again just before it goes.',
    resourceId: (a) => a.batchId,
    iam: ['ec2:DeleteSnapshot', 'ec2:DeregisterImage'],
    // Each resource deleted is recorded in the savings ledger as it goes (a batch may stop half-way).
  },
  'ami.unprotect': {
    describe: (a) => `turn off deregistration protection of ${a.imageId}`,
    why: (a) => `Turning deregistration protection off lets ${a.imageId} be deregistered.`,
    resourceId: (a) => a.imageId,
    iam: ['ec2:DisableImageDeregistrationProtection'],
  },
};

/** The registry entry of `action`, typed for it. */
export function approvalActionSpec<A extends ApprovalAction>(action: A): ApprovalActionSpec<A> {
  return APPROVAL_ACTIONS[action.type] as unknown as ApprovalActionSpec<A>;
}
