// What the access policy keeps in DynamoDB: withdrawals (a conditional write, like decisions) and the burst limit
// shared by every replica.
import { describe, expect, it } from 'vitest';
import { AlreadyDecidedError, ExpiredError, NotRequesterError } from '../../src/store/index.js';
import { freshTable } from '../support/dynamodb.js';
import { ALICE, REQUESTER, deletion } from './fixtures.js';

describe('withdrawing a request', () => {
  it('only the requester, only while pending; it leaves the pending index and the history says so', async () => {
    const store = await freshTable();
    const r = await store.approvals.create(deletion());
    await expect(store.approvals.withdraw(r.id, ALICE)).rejects.toBeInstanceOf(NotRequesterError);
    const withdrawn = await store.approvals.withdraw(r.id, REQUESTER.userId);
    expect(withdrawn).toMatchObject({ status: 'withdrawn', decidedBy: REQUESTER.userId });
    expect(await store.approvals.listPending()).toEqual([]);
    // Nobody can decide it afterwards, and a second withdrawal is told it already happened.
    await expect(store.approvals.decide(r.id, { decision: 'approved', by: ALICE })).rejects.toBeInstanceOf(AlreadyDecidedError);
    await expect(store.approvals.withdraw(r.id, REQUESTER.userId)).rejects.toThrow(/already withdrew/);
    const history = await store.audit.list('snap-0123456789abcdef0');
    expect(history.map((e) => e.event)).toEqual(['requested', 'withdrawn']);
  });

  it('a decided or expired request cannot be withdrawn', async () => {
    const store = await freshTable();
    const decided = await store.approvals.create(deletion());
    await store.approvals.decide(decided.id, { decision: 'rejected', by: ALICE, reason: 'still needed' });
    await expect(store.approvals.withdraw(decided.id, REQUESTER.userId)).rejects.toThrow(/Already decided by <@U0ALICE>: rejected/);

    const old = await store.approvals.create(deletion({ decideBy: new Date(Date.now() - 1000) }));
    await expect(store.approvals.withdraw(old.id, REQUESTER.userId)).rejects.toBeInstanceOf(ExpiredError);
  });

  it('racing a decision, exactly one of them wins', async () => {
    const store = await freshTable();
    const r = await store.approvals.create(deletion());
    const results = await Promise.allSettled([
      store.approvals.withdraw(r.id, REQUESTER.userId),
      store.approvals.decide(r.id, { decision: 'approved', by: ALICE }),
    ]);
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    expect(['withdrawn', 'approved']).toContain((await store.approvals.get(r.id))?.status);
  });
});

describe('the burst limit', () => {
  it('lets `limit` changing commands through per person, then refuses until the window moves on', async () => {
    let now = new Date('2030-01-01T12:01:00Z');
    const store = await freshTable({ now: () => now });
    for (let i = 0; i < 3; i++) expect(await store.burst.take('U0A', 3)).toEqual({ ok: true });
    const refused = await store.burst.take('U0A', 3);
    expect(refused).toEqual({ ok: false, retryAt: new Date('2030-01-01T12:10:00Z') });
    // Someone else is not affected.
    expect(await store.burst.take('U0B', 3)).toEqual({ ok: true });

    // Early in the next window most of the last one still counts (a sliding estimate), so it stays refused…
    now = new Date('2030-01-01T12:11:00Z');
    expect((await store.burst.take('U0A', 3)).ok).toBe(false);
    // …and late in it the old commands have mostly slid out.
    now = new Date('2030-01-01T12:19:00Z');
    expect(await store.burst.take('U0A', 3)).toEqual({ ok: true });
  });

  it('two replicas racing for the last slot let exactly one through', async () => {
    const store = await freshTable();
    const other = await freshTable({ table: store.table });
    await store.burst.take('U0RACE', 2);
    const results = await Promise.all([store.burst.take('U0RACE', 2), other.burst.take('U0RACE', 2), store.burst.take('U0RACE', 2)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});

describe('the share check\'s memory', () => {
  it('keeps the cursor and the shared resources per region, and notes what snapbot shared itself', async () => {
    const store = await freshTable();
    expect(await store.shares.get('us-east-1')).toEqual({ shared: {} });
    // Before the first digest run there is nothing to note into: no error, nothing written.
    await store.shares.note('us-east-1', 'snap-0001', ['999988887777']);
    expect(await store.shares.get('us-east-1')).toEqual({ shared: {} });
    await store.shares.put('us-east-1', { cursor: 'snap-0500', shared: { 'snap-0100': ['111122223333'] }, checkedAt: '2030-01-01T09:00:00.000Z', total: 1200 });
    await store.shares.note('us-east-1', 'snap-0001', ['999988887777']);
    await store.shares.note('us-east-1', 'snap-0100', []);
    expect(await store.shares.get('us-east-1')).toEqual({ cursor: 'snap-0500', shared: { 'snap-0001': ['999988887777'] }, checkedAt: '2030-01-01T09:00:00.000Z', total: 1200 });
    expect(await store.shares.get('eu-west-1')).toEqual({ shared: {} });
  });
});
