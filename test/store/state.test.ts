import { describe, expect, it } from 'vitest';
import { freshTable } from '../support/dynamodb.js';

const DAY = 86_400_000;

describe('leases', () => {
  it('gives a scheduled run to exactly one of two racing owners, and never again', async () => {
    const store = await freshTable();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.leases.acquire('digest', '2030-01-01T09:00', i % 2 ? 'replica-a' : 'replica-b', 86_400)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.leases.acquire('digest', '2030-01-01T09:00', 'replica-a', 86_400)).toBe(false);
    // The next run and another job are separate leases.
    expect(await store.leases.acquire('digest', '2030-01-02T09:00', 'replica-b', 86_400)).toBe(true);
    expect(await store.leases.acquire('reminders', '2030-01-01T09:00', 'replica-b', 86_400)).toBe(true);
  });
});

describe('dedupe', () => {
  it('claims a key once while it lives, again after it lapsed', async () => {
    let now = new Date('2030-01-01T09:00:00Z');
    const store = await freshTable({ now: () => now });
    const claims = await Promise.all(Array.from({ length: 5 }, () => store.dedupe.claim('approve:01ABC:U0ALICE', 600)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.dedupe.claim('approve:01ABC:U0BOB', 600)).toBe(true);
    now = new Date(now.getTime() + 601_000);
    expect(await store.dedupe.claim('approve:01ABC:U0ALICE', 600)).toBe(true);
  });
});

describe('snoozes', () => {
  it('maps only snoozes and keeps still in force, and audits who set them', async () => {
    const now = new Date('2030-01-10T09:00:00Z');
    const store = await freshTable({ now: () => now });
    await store.snoozes.put('snap-00000000000000001', new Date(now.getTime() + 30 * DAY), 'U0ALICE', 'snooze');
    await store.snoozes.put('ami-00000000000000002', new Date(now.getTime() + 365 * DAY), 'U0BOB', 'keep');
    await store.snoozes.put('snap-00000000000000003', new Date(now.getTime() - DAY), 'U0ALICE', 'snooze');
    const before = store.metrics().reads;
    const active = await store.snoozes.activeMap(now);
    expect(store.metrics().reads - before).toBe(1);
    expect([...active.keys()].sort()).toEqual(['ami-00000000000000002', 'snap-00000000000000001']);
    expect(active.get('snap-00000000000000001')).toEqual(new Date(now.getTime() + 30 * DAY));
    expect((await store.audit.list('ami-00000000000000002')).map((e) => [e.event, e.actor])).toEqual([['kept', 'U0BOB']]);
    // A later snooze replaces the earlier one.
    await store.snoozes.put('snap-00000000000000001', new Date(now.getTime() - 1), 'U0ALICE', 'snooze');
    expect((await store.snoozes.activeMap(now)).has('snap-00000000000000001')).toBe(false);
  });
});

describe('audit', () => {
  it('lists a resource history oldest first, with events outside requests', async () => {
    const store = await freshTable();
    await store.audit.append({ resourceId: 'snap-00000000000000001', at: '2030-01-01T09:00:00.000Z', actor: 'U0ALICE', event: 'created' });
    await store.audit.append({ resourceId: 'snap-00000000000000001', at: '2030-01-03T09:00:00.000Z', actor: 'U0ALICE', event: 'revoked', detail: 'public' });
    await store.audit.append({ resourceId: 'snap-00000000000000001', at: '2030-01-02T09:00:00.000Z', actor: 'U0BOB', event: 'shared', detail: '123456789012' });
    await store.audit.append({ resourceId: 'snap-00000000000000009', at: '2030-01-02T09:00:00.000Z', actor: 'U0BOB', event: 'created' });
    expect((await store.audit.list('snap-00000000000000001')).map((e) => e.event)).toEqual(['created', 'shared', 'revoked']);
    expect(await store.audit.list('snap-0000000000000000f')).toEqual([]);
  });
});

describe('operations', () => {
  it('remembers in-flight operations until removed', async () => {
    const store = await freshTable();
    const op = {
      id: 'op-1',
      kind: 'snapshot' as const,
      resourceId: 'snap-00000000000000001',
      region: 'us-east-1',
      channel: 'C0OPS',
      ts: '1700000000.000100',
      requesterId: 'U0ALICE',
      startedAt: '2030-01-01T09:00:00.000Z',
      extra: { volumeId: 'vol-00000000000000001' },
    };
    await store.operations.put(op);
    await store.operations.put({ ...op, id: 'op-2', kind: 'image', resourceId: 'ami-00000000000000001', extra: undefined });
    expect((await store.operations.list()).map((o) => o.id).sort()).toEqual(['op-1', 'op-2']);
    expect((await store.operations.list()).find((o) => o.id === 'op-1')).toEqual(op);
    await store.operations.remove('op-1');
    expect((await store.operations.list()).map((o) => o.id)).toEqual(['op-2']);
  });
});
