import { describe, expect, it } from 'vitest';
import {
  TRANSITIONS,
  auditedResourceIds,
  canTransition,
  mayDecide,
  requiresApproval,
  shareRequiresApproval,
  whyApprovalNeeded,
  type ApprovalAction,
  type ApprovalRequest,
  type ApprovalStatus,
  type ApprovalTransition,
} from '../../src/core/approvals.js';

const NOW = new Date('2030-01-01T12:00:00Z');
const APPROVERS = new Set(['U0ALICE', 'U0BOB', 'U0REQUESTER']);

function request(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id: '01HZZZZZZZZZZZZZZZZZZZZZZZ',
    action: { type: 'snapshot.delete', snapshotId: 'snap-0123456789abcdef0' },
    region: 'us-east-1',
    requester: { userId: 'U0REQUESTER', channelId: 'C0OPS' },
    risk: { lines: [] },
    status: 'pending',
    createdAt: '2030-01-01T09:00:00.000Z',
    decideBy: '2030-01-02T09:00:00.000Z',
    ...overrides,
  };
}

describe('mayDecide', () => {
  const cases: { name: string; req: ApprovalRequest; user: string; ok: boolean; reason?: RegExp }[] = [
    { name: 'an approver on an open request', req: request(), user: 'U0ALICE', ok: true },
    { name: 'the requester, even when an approver', req: request(), user: 'U0REQUESTER', ok: false, reason: /^You asked for this; another approver must decide\.$/ },
    { name: 'someone not in APPROVERS', req: request(), user: 'U0MALLORY', ok: false, reason: /^Only the approvers listed in APPROVERS can decide.*<@U0ALICE>.*<@U0BOB>/ },
    {
      name: 'an approver after someone approved',
      req: request({ status: 'approved', decidedBy: 'U0BOB', decidedAt: '2030-01-01T10:30:00.000Z' }),
      user: 'U0ALICE',
      ok: false,
      reason: /^Already decided by <@U0BOB>: approved at 2030-01-01 10:30 UTC\.$/,
    },
    {
      name: 'an approver after it ran',
      req: request({ status: 'done', decidedBy: 'U0BOB', decidedAt: '2030-01-01T10:30:00.000Z' }),
      user: 'U0ALICE',
      ok: false,
      reason: /^Already decided by <@U0BOB>: approved/,
    },
    {
      name: 'an approver after a rejection',
      req: request({ status: 'rejected', decidedBy: 'U0BOB', decidedAt: '2030-01-01T10:30:00.000Z', rejectReason: 'still used' }),
      user: 'U0ALICE',
      ok: false,
      reason: /^Already decided by <@U0BOB>: rejected at 2030-01-01 10:30 UTC, “still used”\.$/,
    },
    { name: 'an expired request', req: request({ status: 'expired' }), user: 'U0ALICE', ok: false, reason: /expired at 2030-01-02 09:00 UTC/ },
    {
      name: 'a pending request past its deadline (not swept yet)',
      req: request({ decideBy: '2030-01-01T11:59:59.000Z' }),
      user: 'U0ALICE',
      ok: false,
      reason: /expired at 2030-01-01 11:59 UTC/,
    },
    { name: 'the deadline instant itself', req: request({ decideBy: NOW.toISOString() }), user: 'U0ALICE', ok: false, reason: /expired/ },
  ];
  it.each(cases)('$name', ({ req, user, ok, reason }) => {
    const result = mayDecide(req, user, { approverUserIds: APPROVERS, now: NOW });
    expect(result.ok).toBe(ok);
    if (!result.ok) expect(result.reason).toMatch(reason!);
  });

  it('says nobody can decide when APPROVERS is empty', () => {
    const result = mayDecide(request(), 'U0ALICE', { approverUserIds: new Set(), now: NOW });
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('APPROVERS is empty') });
  });
});

describe('requiresApproval', () => {
  const policy = { shareAllowedAccounts: ['111111111111'] };
  const cases: [string, ApprovalAction, boolean][] = [
    ['public share', { type: 'share.public', resourceId: 'snap-0123456789abcdef0' }, true],
    ['share to an allowed account', { type: 'share.account', resourceId: 'snap-0123456789abcdef0', accountId: '111111111111' }, false],
    ['share to another account', { type: 'share.account', resourceId: 'snap-0123456789abcdef0', accountId: '222222222222' }, true],
    ['snapshot deletion', { type: 'snapshot.delete', snapshotId: 'snap-0123456789abcdef0' }, true],
    ['AMI deregistration', { type: 'ami.deregister', imageId: 'ami-0123456789abcdef0', deleteSnapshots: false }, true],
    ['AMI deregistration with snapshots', { type: 'ami.deregister', imageId: 'ami-0123456789abcdef0', deleteSnapshots: true }, true],
  ];
  it.each(cases)('%s → %s', (_name, action, expected) => {
    expect(requiresApproval(action, policy)).toBe(expected);
    expect(whyApprovalNeeded(action)).not.toBe('');
  });

  it('accepts the allow list as a Set too, and public shares never skip approval', () => {
    expect(shareRequiresApproval({ type: 'account', accountId: '111111111111' }, { shareAllowedAccounts: new Set(['111111111111']) })).toBe(false);
    expect(shareRequiresApproval({ type: 'public' }, { shareAllowedAccounts: new Set(['111111111111']) })).toBe(true);
  });
});

describe('transitions', () => {
  const allowed: [ApprovalStatus, ApprovalTransition][] = [
    ['pending', 'approve'],
    ['pending', 'reject'],
    ['pending', 'expire'],
    ['approved', 'start'],
    ['executing', 'succeed'],
    ['executing', 'fail'],
  ];
  const statuses: ApprovalStatus[] = ['pending', 'approved', 'rejected', 'expired', 'executing', 'done', 'failed'];
  const transitions = Object.keys(TRANSITIONS) as ApprovalTransition[];
  it.each(statuses.flatMap((s) => transitions.map((t) => [s, t] as const)))('%s --%s-->', (status, transition) => {
    expect(canTransition(status, transition)).toBe(allowed.some(([s, t]) => s === status && t === transition));
  });

  it('leaves final statuses final', () => {
    for (const status of ['rejected', 'expired', 'done', 'failed'] as const) {
      expect(transitions.some((t) => canTransition(status, t))).toBe(false);
    }
  });
});

describe('auditedResourceIds', () => {
  it('lists the AMI first, then its snapshots, without repeats', () => {
    expect(
      auditedResourceIds({
        action: { type: 'ami.deregister', imageId: 'ami-1', deleteSnapshots: true },
        relatedIds: ['snap-1', 'ami-1', 'snap-2', 'snap-1'],
      }),
    ).toEqual(['ami-1', 'snap-1', 'snap-2']);
  });
});
