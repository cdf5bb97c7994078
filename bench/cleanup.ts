// A batch cleanup at scale: 1 000 superseded snapshots deleted under one approval through the bot's own runner
// (re-checks, pacing, per-resource outcomes in DynamoDB Local) against the sandbox EC2 with a mutating-call throttle.
// EC2 refills its mutating bucket at 5 calls a second; here both the sandbox's throttle and the batch's pace are that
// rate scaled by SCALE (reported), so the bench fits beside the others. Midway the runner "crashes" (its store stops
// answering right after a deletion, before the outcome is written: the worst moment) and a second runner resumes the
// batch, as a restarted bot would. Figures: wall time, EC2 calls per resource beside the baseline (one DeleteSnapshot
// plus the re-check's share of its describe pages), and how many resources were deleted twice or never.
import pino from 'pino';
import { AutoScalingGateway } from '../src/aws/auto-scaling.js';
import { Ec2Gateway } from '../src/aws/ec2/index.js';
import type { ApprovalRequest } from '../src/core/approvals.js';
import type { BatchItem } from '../src/core/cleanup.js';
import { loadConfig } from '../src/config.js';
import { startSandboxEc2 } from '../src/sandbox/ec2/index.js';
import { VIEWS } from '../src/slack/views/index.js';
import { createDocumentClient, createDynamoClient, createStore, ensureTable } from '../src/store/index.js';
import { DELETE_RATE, runBatch } from '../src/usecases/approval-actions/cleanup-batch.js';
import type { Deps } from '../src/usecases/context.js';
import { FAKE_CREDENTIALS, emit, note, round } from './common.js';

const REGION = 'us-east-1';
const SNAPSHOTS = 1000;
/** The batch and the sandbox's throttle run at EC2's rate times this. */
const SCALE = 10;
const DAY = 86_400_000;

export async function runCleanupBench(o: { dynamodbEndpoint: string }): Promise<void> {
  const perSecond = DELETE_RATE.perSecond * SCALE;
  const ec2 = await startSandboxEc2({ seed: 'none', throttle: { perSecond, perAction: true } });
  const dynamo = createDynamoClient({ endpoint: o.dynamodbEndpoint, region: REGION, credentials: FAKE_CREDENTIALS });
  const doc = createDocumentClient(dynamo);
  const table = `snapbot-bench-cleanup-${Date.now().toString(36)}`;
  const gateway = new Ec2Gateway({ endpoint: ec2.url, credentials: FAKE_CREDENTIALS });
  const autoScaling = new AutoScalingGateway({ endpoint: ec2.url, credentials: FAKE_CREDENTIALS });
  try {
    await ensureTable(doc, table);
    note(`cleanup: ${SNAPSHOTS} superseded snapshots of 100 volumes, deleted at ${perSecond}/s (EC2's ${DELETE_RATE.perSecond}/s × ${SCALE}), a crash midway`);
    const items: BatchItem[] = [];
    for (let v = 0; v < 100; v++) {
      const vol = ec2.state.addVolume(REGION, { sizeGiB: 8, createTime: new Date(Date.now() - 800 * DAY) });
      for (let k = 0; k < 11; k++) {
        const s = ec2.state.addSnapshot(REGION, { volumeId: vol.id, volumeSizeGiB: 8, startTime: new Date(Date.now() - (700 - k * 50) * DAY) });
        // The newest of each volume stays: it is not in the batch (and the re-check would keep it if it were).
        if (k < 10) items.push({ id: s.id, kind: 'superseded', ageDays: 700 - k * 50, sizeGiB: 8, usd: 0.4, measured: false });
      }
    }
    const store = createStore({ client: doc, table });
    const batchId = 'BENCHBATCH0000000000000000';
    await store.batches.saveList(batchId, items);
    const request = { id: 'BENCHREQUEST00000000000000', region: REGION, action: { type: 'cleanup.batch', batchId, what: 'superseded', count: items.length } } as unknown as ApprovalRequest;
    // What the bot asked EC2 to delete, per snapshot (the SDK's throttling retries are one request to it).
    const asked = new Map<string, number>();
    const counting = new Proxy(gateway, {
      get(target, prop, receiver) {
        if (prop === 'deleteSnapshot') {
          return (region: string, id: string) => {
            asked.set(id, (asked.get(id) ?? 0) + 1);
            return target.deleteSnapshot(region, id);
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const deps = (crashAfter?: number): Deps => {
      let recorded = 0;
      const batches = crashAfter === undefined
        ? store.batches
        : {
            ...store.batches,
            record: async (...a: Parameters<typeof store.batches.record>) => {
              if (++recorded > crashAfter) throw new Error('crashed');
              return store.batches.record(...a);
            },
          };
      return {
        config: loadConfig({ AWS_REGION: REGION, LOG_LEVEL: 'silent' }, 'sandbox'),
        scope: { region: REGION },
        estate: { own: { identity: { known: undefined } } },
        ec2: counting,
        autoScaling,
        store: { ...store, batches },
        views: VIEWS,
        out: { post: async () => ({ channel: 'C0', ts: '1' }), tryUpdate: async () => undefined },
        log: pino({ level: 'silent' }),
        now: () => new Date(),
      } as unknown as Deps;
    };
    const rate = { perSecond, burst: 20 };
    const calls0 = ec2.calls.length;
    const gatewayCalls0 = gateway.calls;
    const t0 = performance.now();
    const crashed = await runBatch(deps(SNAPSHOTS / 2), request, request.action as never, rate).then(
      () => false,
      () => true,
    );
    const resumed = await runBatch(deps(), request, request.action as never, rate);
    const wall = (performance.now() - t0) / 1000;
    const calls = ec2.calls.slice(calls0);
    const duplicated = [...asked.values()].filter((n) => n > 1).length;
    const outcomes = await store.batches.outcomes(batchId);
    const lost = items.filter((i) => ec2.state.getSnapshot(REGION, i.id) !== undefined && outcomes.get(i.id)?.state !== 'skipped').length;
    // Requests EC2 received beyond the ones the bot made: the SDK's retries of throttled calls.
    const throttled = Math.max(0, calls.length - gateway.calls + gatewayCalls0);
    // The baseline: one DeleteSnapshot each, plus the re-check's describes (snapshots, locks, volumes, their snapshots)
    // for each chunk of 100, and the usage reads (AMIs, instances, launch templates) once.
    const chunks = Math.ceil(SNAPSHOTS / 100);
    const baseline = (SNAPSHOTS + chunks * 4 + 3) / SNAPSHOTS;
    emit({ name: 'cleanup.calls_per_resource', value: round((calls.length - throttled) / SNAPSHOTS, 3), unit: 'calls', baseline: round(baseline, 3), throttled_retries: throttled, resources: SNAPSHOTS });
    emit({ name: 'cleanup.wall', value: round(wall, 1), unit: 's', resources: SNAPSHOTS, rate_per_s: perSecond, scale: SCALE, at_ec2_rate_s: round(wall * SCALE, 0), crashed_midway: crashed });
    emit({ name: 'cleanup.duplicated', value: duplicated, unit: 'resources', baseline: 0 });
    emit({ name: 'cleanup.lost', value: lost, unit: 'resources', baseline: 0, outcome: resumed.slice(0, 160) });
  } finally {
    gateway.destroy();
    autoScaling.destroy();
    dynamo.destroy();
    await ec2.stop();
  }
}
