// An approved action is run by one replica at a time. The replica running it renews a lease; another replica's
// recovery takes it over only once that lease is stale (a crash), never while a slow action is still working. And a
// resumed deregistration still deletes the AMI's snapshots when the AMI itself went before the crash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute, recoverInFlight } from '../../src/usecases/approvals.js';
import { DEMO, startSandboxEc2, type SandboxEc2 } from '../../src/sandbox/ec2/index.js';
import { FakeSlack } from '../../src/sandbox/slack/webapi.js';
import type { ApprovalAction } from '../../src/core/approvals.js';
import { APPROVER, CHANNEL, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';

const R = 'us-east-1';
const LEASE = { heartbeatMs: 100, staleAfterMs: 700 };
let slack: FakeSlack;
let ec2: SandboxEc2;
let a: TestBot;
let b: TestBot;

beforeAll(async () => {
  slack = await new FakeSlack().start();
  ec2 = await startSandboxEc2({ seed: 'demo' });
  a = await startTestBot({ sharedEc2: ec2, sharedSlack: slack, lease: LEASE });
  b = await startTestBot({ sharedEc2: ec2, sharedSlack: slack, lease: LEASE, env: { DYNAMODB_TABLE: a.config.dynamodbTable } });
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await ec2?.stop();
  await slack?.stop();
});

/** A request recorded and approved (as a click would), ready to run. */
async function approved(t: TestBot, action: ApprovalAction, relatedIds?: string[]): Promise<string> {
  const store = t.bot.deps.store.approvals;
  const r = await store.create({
    action,
    region: R,
    requester: { userId: REQUESTER, channelId: CHANNEL },
    risk: { lines: ['test'] },
    ...(relatedIds ? { relatedIds } : {}),
    decideBy: new Date(Date.now() + 3_600_000),
  });
  await store.decide(r.id, { decision: 'approved', by: APPROVER, now: new Date() });
  return r.id;
}

const calls = (action: string, key: string, id: string) => ec2.calls.filter((c) => c.action === action && c.params[key] === id).length;

async function until(probe: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the lease on an approved action', () => {
  it('keeps a slow action (slower than the lease) with its replica: recovery elsewhere runs nothing twice', async () => {
    const snap = DEMO.snapshots.buildRootStale;
    const id = await approved(a, { type: 'snapshot.delete', snapshotId: snap });
    // DeleteSnapshot takes 2.5 s, over three times the lease.
    ec2.service.latencyMs = (action) => (action === 'DeleteSnapshot' ? 2_500 : 0);
    try {
      const running = execute(a.bot.deps, id);
      await until(async () => (await a.bot.deps.store.approvals.get(id))?.status === 'executing', 5_000);
      // The other replica looks, again and again, while the first is still deleting.
      for (let i = 0; i < 8; i++) {
        await recoverInFlight(b.bot.deps);
        await new Promise((r) => setTimeout(r, 250));
      }
      await running;
    } finally {
      ec2.service.latencyMs = 0;
    }
    expect(calls('DeleteSnapshot', 'SnapshotId', snap)).toBe(1);
    const done = await a.bot.deps.store.approvals.get(id);
    expect(done?.status).toBe('done');
    expect(done?.outcome?.message).toBe(`${snap} deleted.`);
  });

  it('is taken over once stale (the replica crashed), and the action then runs once', async () => {
    const snap = DEMO.snapshots.webDataQuarterly;
    const id = await approved(a, { type: 'snapshot.delete', snapshotId: snap });
    // A replica started it a while ago and died: its lease was never renewed.
    await a.bot.deps.store.approvals.startExecution(id, { now: new Date(Date.now() - 5_000), owner: 'crashed-replica' });
    await recoverInFlight(b.bot.deps);
    await recoverInFlight(a.bot.deps);
    expect(calls('DeleteSnapshot', 'SnapshotId', snap)).toBe(1);
    expect((await b.bot.deps.store.approvals.get(id))?.status).toBe('done');
  });

  it('a resumed deregistration deletes the snapshots even though the AMI went before the crash', async () => {
    const image = DEMO.images.legacyApp;
    const snapIds = ec2.state.region(R).images.get(image)!.blockDevices.flatMap((d) => (d.snapshotId ? [d.snapshotId] : []));
    expect(snapIds.length).toBeGreaterThan(0);
    const id = await approved(a, { type: 'ami.deregister', imageId: image, deleteSnapshots: true }, snapIds);
    await a.bot.deps.store.approvals.startExecution(id, { now: new Date(Date.now() - 5_000), owner: 'crashed-replica' });
    // The crash came right after DeregisterImage.
    await a.bot.deps.ec2.client(R).send(new (await import('@aws-sdk/client-ec2')).DeregisterImageCommand({ ImageId: image }));
    await recoverInFlight(b.bot.deps);
    const done = await b.bot.deps.store.approvals.get(id);
    expect(done?.status).toBe('done');
    expect(done?.outcome?.message).toContain('was already deregistered');
    for (const s of snapIds) {
      expect(calls('DeleteSnapshot', 'SnapshotId', s)).toBe(1);
      expect(ec2.state.region(R).snapshots.get(s)).toBeUndefined();
    }
  });
});
