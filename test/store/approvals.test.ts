import { describe, expect, it } from 'vitest';
import {
  AlreadyDecidedError,
  AlreadyExistsError,
  ExpiredError,
  InvalidTransitionError,
  NotFoundError,
  SelfDecisionError,
  type Store,
} from '../../src/store/index.js';
import { freshTable } from '../support/dynamodb.js';
import { ALICE, BOB, REQUESTER, deletion } from './fixtures.js';

const HOUR = 3_600_000;

describe('approval requests', () => {
  it('runs create → approve → execute → done, with an audit entry for each step', async () => {
    const store = await freshTable();
    const created = await store.approvals.create(deletion());
    expect(created.status).toBe('pending');
    expect(await store.approvals.get(created.id)).toEqual(created);
    expect(await store.approvals.listPending()).toEqual([created]);

    await store.approvals.setMessage(created.id, 'C0APPROVALS', '1700000000.000100');
    const approved = await store.approvals.decide(created.id, { decision: 'approved', by: ALICE });
    expect(approved).toMatchObject({ status: 'approved', decidedBy: ALICE, message: { channel: 'C0APPROVALS', ts: '1700000000.000100' } });
    expect(await store.approvals.listPending()).toEqual([]);
    expect((await store.approvals.listInFlight()).map((r) => r.id)).toEqual([created.id]);

    expect(await store.approvals.startExecution(created.id)).toBe(true);
    expect((await store.approvals.get(created.id))?.status).toBe('executing');
    expect((await store.approvals.listInFlight()).map((r) => r.status)).toEqual(['executing']);

    const done = await store.approvals.finish(created.id, { ok: true, message: 'snap-0123456789abcdef0 deleted' });
    expect(done).toMatchObject({ status: 'done', outcome: { ok: true, message: 'snap-0123456789abcdef0 deleted' } });
    expect(await store.approvals.listInFlight()).toEqual([]);

    const history = await store.audit.list('snap-0123456789abcdef0');
    expect(history.map((e) => [e.event, e.actor])).toEqual([
      ['requested', REQUESTER.userId],
      ['approved', ALICE],
      ['executing', 'snapbot'],
      ['done', 'snapbot'],
    ]);
    expect(history.every((e) => e.requestId === created.id && e.resourceId === 'snap-0123456789abcdef0')).toBe(true);
    expect(history[0].reason).toBe('old build cache');
    expect(history[3].outcome).toEqual({ ok: true, message: 'snap-0123456789abcdef0 deleted' });
  });

  it('records a failed execution with the AWS error', async () => {
    const store = await freshTable();
    const { id } = await store.approvals.create(deletion());
    await store.approvals.decide(id, { decision: 'approved', by: BOB });
    await store.approvals.startExecution(id);
    const failed = await store.approvals.finish(id, { ok: false, message: 'InvalidSnapshot.InUse: snap-… is in use by ami-…' });
    expect(failed.status).toBe('failed');
    expect(failed.outcome?.ok).toBe(false);
    await expect(store.approvals.finish(id, { ok: true, message: 'again' })).rejects.toBeInstanceOf(InvalidTransitionError);
    expect((await store.audit.list('snap-0123456789abcdef0')).at(-1)).toMatchObject({ event: 'failed', outcome: { ok: false } });
  });

  it('lets exactly one of 20 concurrent decisions from two approvers win; the others name the winner', async () => {
    const store = await freshTable();
    const { id } = await store.approvals.create(deletion());
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        store.approvals.decide(id, i % 2 ? { decision: 'approved', by: ALICE } : { decision: 'rejected', by: BOB, reason: 'no' }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<Store['approvals']['decide']>>>).value;
    for (const err of lost) {
      expect(err).toBeInstanceOf(AlreadyDecidedError);
      const e = err as AlreadyDecidedError;
      expect(e.decidedBy).toBe(winner.decidedBy);
      expect(e.status).toBe(winner.status);
      expect(e.message).toContain(`<@${winner.decidedBy}>`);
    }
    const decisions = (await store.audit.list('snap-0123456789abcdef0')).filter((e) => e.event === 'approved' || e.event === 'rejected');
    expect(decisions).toHaveLength(1);
  });

  it('starts execution exactly once under 20 concurrent attempts', async () => {
    const store = await freshTable();
    const { id } = await store.approvals.create(deletion());
    await store.approvals.decide(id, { decision: 'approved', by: ALICE });
    const started = await Promise.all(Array.from({ length: 20 }, () => store.approvals.startExecution(id)));
    expect(started.filter(Boolean)).toHaveLength(1);
    expect((await store.audit.list('snap-0123456789abcdef0')).filter((e) => e.event === 'executing')).toHaveLength(1);
  });

  it('refuses a decision after the deadline', async () => {
    let now = new Date('2030-01-01T09:00:00Z');
    const store = await freshTable({ now: () => now });
    const { id } = await store.approvals.create(deletion({}, now));
    now = new Date(now.getTime() + 25 * HOUR);
    await expect(store.approvals.decide(id, { decision: 'approved', by: ALICE })).rejects.toBeInstanceOf(ExpiredError);
    expect((await store.approvals.get(id))?.status).toBe('pending');
    // Not open any more, so not listed as pending either.
    expect(await store.approvals.listPending()).toEqual([]);
  });

  it('expires only overdue pending requests, once', async () => {
    const t0 = new Date('2030-01-01T09:00:00Z');
    let now = t0;
    const store = await freshTable({ now: () => now });
    const overdue = await store.approvals.create(deletion({ decideBy: new Date(t0.getTime() + HOUR) }));
    const open = await store.approvals.create(deletion({ decideBy: new Date(t0.getTime() + 48 * HOUR) }));
    const decided = await store.approvals.create(deletion({ decideBy: new Date(t0.getTime() + HOUR) }));
    await store.approvals.decide(decided.id, { decision: 'rejected', by: BOB, reason: 'keep it' });

    now = new Date(t0.getTime() + 2 * HOUR);
    const expired = await store.approvals.expireDue();
    expect(expired.map((r) => r.id)).toEqual([overdue.id]);
    expect(expired[0].status).toBe('expired');
    expect(await store.approvals.expireDue()).toEqual([]);
    expect((await store.approvals.get(overdue.id))?.status).toBe('expired');
    expect((await store.approvals.get(open.id))?.status).toBe('pending');
    expect((await store.approvals.get(decided.id))?.status).toBe('rejected');
    await expect(store.approvals.decide(overdue.id, { decision: 'approved', by: ALICE })).rejects.toBeInstanceOf(ExpiredError);
    const events = (await store.audit.list('snap-0123456789abcdef0')).filter((e) => e.requestId === overdue.id).map((e) => e.event);
    expect(events).toEqual(['requested', 'expired']);
  });

  it('records the reason for a rejection and never executes a rejected request', async () => {
    const store = await freshTable();
    const { id } = await store.approvals.create(deletion());
    const rejected = await store.approvals.decide(id, { decision: 'rejected', by: BOB, reason: 'still needed for the audit' });
    expect(rejected).toMatchObject({ status: 'rejected', decidedBy: BOB, rejectReason: 'still needed for the audit' });
    expect(await store.approvals.startExecution(id)).toBe(false);
    expect((await store.audit.list('snap-0123456789abcdef0')).at(-1)).toMatchObject({
      event: 'rejected',
      actor: BOB,
      reason: 'still needed for the audit',
    });
  });

  it('refuses self-approval in the store too', async () => {
    const store = await freshTable();
    const { id } = await store.approvals.create(deletion());
    await expect(store.approvals.decide(id, { decision: 'approved', by: REQUESTER.userId })).rejects.toBeInstanceOf(SelfDecisionError);
    expect((await store.approvals.get(id))?.status).toBe('pending');
  });

  it('reports unknown requests and duplicate IDs', async () => {
    const store = await freshTable();
    await expect(store.approvals.decide('01NOPE', { decision: 'approved', by: ALICE })).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.approvals.startExecution('01NOPE')).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.approvals.setMessage('01NOPE', 'C1', '1.2')).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.approvals.get('01NOPE')).toBeUndefined();
    const { id } = await store.approvals.create(deletion());
    await expect(store.approvals.create(deletion({ id }))).rejects.toBeInstanceOf(AlreadyExistsError);
  });

  it('files an AMI deregistration under the AMI and each of its snapshots', async () => {
    const store = await freshTable();
    const { id } = await store.approvals.create(
      deletion({
        action: { type: 'ami.deregister', imageId: 'ami-0123456789abcdef0', deleteSnapshots: true },
        relatedIds: ['snap-00000000000000001', 'snap-00000000000000002'],
      }),
    );
    await store.approvals.decide(id, { decision: 'approved', by: ALICE });
    for (const resource of ['ami-0123456789abcdef0', 'snap-00000000000000001', 'snap-00000000000000002']) {
      expect((await store.audit.list(resource)).map((e) => e.event)).toEqual(['requested', 'approved']);
    }
  });

  it('resumes an execution a crash left behind exactly once, and only when it is stale', async () => {
    let now = new Date('2030-01-01T09:00:00Z');
    const store = await freshTable({ now: () => now });
    const { id } = await store.approvals.create(deletion({}, now));
    await store.approvals.decide(id, { decision: 'approved', by: ALICE });
    await store.approvals.startExecution(id);
    // Right after start: another replica is still working on it.
    expect(await store.approvals.resumeExecution(id, { staleBefore: new Date(now.getTime() - 15 * 60_000) })).toBe(false);
    now = new Date(now.getTime() + HOUR);
    const staleBefore = new Date(now.getTime() - 15 * 60_000);
    const claims = await Promise.all(Array.from({ length: 10 }, () => store.approvals.resumeExecution(id, { staleBefore })));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect((await store.approvals.finish(id, { ok: true, message: 'already gone' })).status).toBe('done');
  });

  it("lists a user's own requests, newest first", async () => {
    let now = new Date('2030-01-01T09:00:00Z');
    const store = await freshTable({ now: () => now });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await store.approvals.create(deletion({}, now))).id);
      now = new Date(now.getTime() + 60_000);
    }
    await store.approvals.create(deletion({ requester: { userId: 'U0OTHER', channelId: 'C0OPS' } }, now));
    expect((await store.approvals.listByRequester(REQUESTER.userId, 10)).map((r) => r.id)).toEqual([...ids].reverse());
    expect((await store.approvals.listByRequester(REQUESTER.userId, 2)).map((r) => r.id)).toEqual([ids[2], ids[1]]);
    expect(await store.approvals.listByRequester('U0NOBODY', 5)).toEqual([]);
  });

  it('uses one conditional write per state change and no read before a decision', async () => {
    const store = await freshTable();
    const { id } = await store.approvals.create(deletion());
    const delta = async (run: () => Promise<unknown>) => {
      const before = store.metrics();
      await run();
      const after = store.metrics();
      return { reads: after.reads - before.reads, writes: after.writes - before.writes, conditionalWrites: after.conditionalWrites - before.conditionalWrites };
    };
    // decide reads once, after winning, to return the decided request.
    expect(await delta(() => store.approvals.decide(id, { decision: 'approved', by: ALICE }))).toEqual({ reads: 1, writes: 1, conditionalWrites: 1 });
    expect(await delta(() => store.approvals.startExecution(id))).toEqual({ reads: 0, writes: 1, conditionalWrites: 1 });
    expect(await delta(() => store.approvals.finish(id, { ok: true, message: 'ok' }))).toEqual({ reads: 1, writes: 1, conditionalWrites: 1 });
    // A losing click costs one write attempt and nothing else.
    expect(
      await delta(() => store.approvals.decide(id, { decision: 'approved', by: BOB }).catch((e: unknown) => e)),
    ).toEqual({ reads: 0, writes: 1, conditionalWrites: 1 });
  });
});
