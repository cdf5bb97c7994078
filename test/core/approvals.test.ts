import { describe, expect, it } from 'vitest';
import {
  TRANSITIONS,
  auditedResourceIds,
  canTransition,
  mayDecide,
  whyApprovalNeeded,
  type ApprovalAction,
  type ApprovalRequest,
  type ApprovalStatus,
  type ApprovalTransition,
} from '../../src/core/approvals.js';

const NOW = new Date('2030-01-01T12:00:00Z');

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
    { name: 'the requester on a request that is withdrawn', req: request({ status: 'withdrawn', decidedBy: 'U0REQUESTER', decidedAt: '2030-01-01T10:30:00.000Z' }), user: 'U0ALICE', ok: false, reason: /^<@U0REQUESTER> withdrew this request at 2030-01-01 10:30 UTC/ },
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
    const result = mayDecide(req, user, { now: NOW });
    expect(result.ok).toBe(ok);
    if (!result.ok) expect(result.reason).toMatch(reason!);
  });

});

describe('whyApprovalNeeded', () => {
  const cases: [string, ApprovalAction, RegExp][] = [
    ['public share', { type: 'share.public', resourceId: 'snap-0123456789abcdef0' }, /anyone on AWS/],
    ['share to another account', { type: 'share.account', resourceId: 'snap-0123456789abcdef0', accountId: '222222222222' }, /222222222222 is not one of the accounts/],
    ['snapshot deletion', { type: 'snapshot.delete', snapshotId: 'snap-0123456789abcdef0' }, /cannot be undone/],
    ['AMI deregistration with snapshots', { type: 'ami.deregister', imageId: 'ami-0123456789abcdef0', deleteSnapshots: true }, /and deleting its snapshots/],
    ['a launch outside the allowed types', { type: 'ami.launch', imageId: 'ami-0123456789abcdef0', instanceType: 'm5.24xlarge' }, /m5\.24xlarge is not among/],
    ['keeping an exposure', { type: 'share.keep', resourceId: 'snap-0123456789abcdef0' }, /exposed/],
  ];
  it.each(cases)('%s', (_name, action, expected) => {
    const why = whyApprovalNeeded(action);
    expect(why).toMatch(expected);
    // A person reads this: it names the rule, never a variable of snapbot's environment.
    expect(why).not.toMatch(/[A-Z]{3,}_[A-Z_]+/);
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
    ['pending', 'withdraw'],
  ];
  const statuses: ApprovalStatus[] = ['pending', 'approved', 'rejected', 'expired', 'withdrawn', 'executing', 'done', 'failed'];
  const transitions = Object.keys(TRANSITIONS) as ApprovalTransition[];
  it.each(statuses.flatMap((s) => transitions.map((t) => [s, t] as const)))('%s --%s-->', (status, transition) => {
    expect(canTransition(status, transition)).toBe(allowed.some(([s, t]) => s === status && t === transition));
  });

  it('leaves final statuses final', () => {
    for (const status of ['rejected', 'expired', 'withdrawn', 'done', 'failed'] as const) {
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
