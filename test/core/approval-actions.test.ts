// The approval-action registry: one entry per kind, its words, its resource and the IAM it needs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APPROVAL_ACTIONS, type ApprovalAction } from '../../src/core/approval-actions.js';
import { APPROVAL_RUNNERS } from '../../src/usecases/approval-actions/index.js';

const EXAMPLES: ApprovalAction[] = [
  { type: 'share.public', resourceId: 'snap-0123456789abcdef0' },
  { type: 'share.account', resourceId: 'ami-0123456789abcdef0', accountId: '444455556666' },
  { type: 'share.keep', resourceId: 'snap-0123456789abcdef0' },
  { type: 'snapshot.delete', snapshotId: 'snap-0123456789abcdef0' },
  { type: 'ami.deregister', imageId: 'ami-0123456789abcdef0', deleteSnapshots: true },
  { type: 'ami.launch', imageId: 'ami-0123456789abcdef0', instanceType: 'm5.large' },
  { type: 'schedule.pause', policyId: 'policy-0123456789abcdef0', name: 'nightly' },
  { type: 'schedule.delete', policyId: 'policy-0123456789abcdef0' },
  { type: 'snapshot.lock', snapshotId: 'snap-0123456789abcdef0', days: 30 },
  { type: 'snapshot.unlock', snapshotId: 'snap-0123456789abcdef0' },
  { type: 'ami.unprotect', imageId: 'ami-0123456789abcdef0' },
  { type: 'cleanup.batch', batchId: '01JB2Z3K4M5N6P7Q8R9S0T1V2W', what: 'superseded', count: 4 },
];

const policy = JSON.parse(readFileSync('iam-policy.json', 'utf8')) as { Statement: { Effect: string; Action: string | string[] }[] };
const granted = new Set(policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));

describe('APPROVAL_ACTIONS and APPROVAL_RUNNERS', () => {
  it('have one entry for every kind, the same kinds in both halves', () => {
    expect(Object.keys(APPROVAL_RUNNERS).sort()).toEqual(Object.keys(APPROVAL_ACTIONS).sort());
    expect(EXAMPLES.map((e) => e.type).sort()).toEqual(Object.keys(APPROVAL_ACTIONS).sort());
  });

  it.each(EXAMPLES)('$type names its resource and says what it does and why in words', (action) => {
    const spec = APPROVAL_ACTIONS[action.type] as { describe(a: ApprovalAction): string; why(a: ApprovalAction): string; resourceId(a: ApprovalAction): string };
    const id = spec.resourceId(action);
    if (action.type === 'cleanup.batch') {
      // A batch is named by its list (the request's own history holds it); the card says how many and what.
      expect(id).toBe(action.batchId);
      expect(spec.describe(action)).toBe('delete 4 superseded snapshots');
    } else {
      expect(id).toMatch(/^(snap|ami|policy)-[0-9a-f]+$/);
      expect(spec.describe(action)).toContain(id);
    }
    expect(spec.why(action).length).toBeGreaterThan(20);
  });

  it.each(Object.entries(APPROVAL_ACTIONS))('%s needs only what iam-policy.json grants', (_, spec) => {
    expect(spec.iam.length).toBeGreaterThan(0);
    expect(spec.iam.filter((a) => !granted.has(a))).toEqual([]);
  });
});
