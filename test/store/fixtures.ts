import type { NewApprovalRequest } from '../../src/store/index.js';

export const REQUESTER = { userId: 'U0REQUESTER', channelId: 'C0OPS' };
export const ALICE = 'U0ALICE';
export const BOB = 'U0BOB';

export function deletion(overrides: Partial<NewApprovalRequest> = {}, now = new Date()): NewApprovalRequest {
  return {
    action: { type: 'snapshot.delete', snapshotId: 'snap-0123456789abcdef0' },
    region: 'us-east-1',
    requester: REQUESTER,
    reason: 'old build cache',
    risk: { lines: ['Frees about $4.00/month'], monthlyUsdFreed: 4 },
    decideBy: new Date(now.getTime() + 24 * 3_600_000),
    ...overrides,
  };
}
