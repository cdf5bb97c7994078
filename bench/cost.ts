// What pricing snapshots by their blocks costs: EBS direct-API calls per snapshot priced, against the minimum the
// page sizes allow, and the time to price every snapshot of a 365-day daily lineage of a 500 GiB volume — through
// the bot's own measureSnapshot (pairs kept in DynamoDB Local) against the sandbox's direct APIs.
import pino from 'pino';
import { EbsGateway } from '../src/aws/ebs.js';
import { Ec2Gateway } from '../src/aws/ec2/index.js';
import { AccountIdentity } from '../src/aws/sts.js';
import { loadConfig } from '../src/config.js';
import { startSandboxEc2 } from '../src/sandbox/ec2/index.js';
import type { Segment } from '../src/sandbox/ebs.js';
import { createDocumentClient, createDynamoClient, createStore, ensureTable } from '../src/store/index.js';
import type { Deps } from '../src/usecases/context.js';
import { measureSnapshot } from '../src/usecases/cost.js';
import { FAKE_CREDENTIALS, emit, note, round } from './common.js';

const REGION = 'us-east-1';
const DAYS = 365;
const SIZE_GIB = 500;
const BLOCKS = (SIZE_GIB * 2 ** 30) / (512 * 1024);
const PAGE = 10_000;

export async function runCostBench(o: { dynamodbEndpoint: string }): Promise<void> {
  const ec2 = await startSandboxEc2({ seed: 'none' });
  const dynamo = createDynamoClient({ endpoint: o.dynamodbEndpoint, region: REGION, credentials: FAKE_CREDENTIALS });
  const doc = createDocumentClient(dynamo);
  const table = `snapbot-bench-cost-${Date.now().toString(36)}`;
  const gateway = new Ec2Gateway({ endpoint: ec2.url, credentials: FAKE_CREDENTIALS });
  const ebs = new EbsGateway({ endpoint: ec2.url, credentials: FAKE_CREDENTIALS });
  const identity = new AccountIdentity(REGION, { endpoint: ec2.url, credentials: FAKE_CREDENTIALS });
  try {
    await ensureTable(doc, table);
    note(`cost: a ${DAYS}-day daily lineage of a ${SIZE_GIB} GiB volume, 40 % written, 1 % rewritten a day`);
    const vol = ec2.state.addVolume(REGION, { sizeGiB: SIZE_GIB });
    const ids: string[] = [];
    let content: Segment[] = [{ start: 0, end: Math.floor(BLOCKS * 0.4), version: 'base' }];
    let minimum = Math.ceil(content[0].end / PAGE); // the first snapshot's blocks
    let seed = 7;
    for (let d = 0; d < DAYS; d++) {
      const snap = ec2.state.addSnapshot(REGION, { volumeId: vol.id, volumeSizeGiB: SIZE_GIB, startTime: new Date(Date.now() - (DAYS - d) * 86_400_000) });
      if (d > 0) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        const len = Math.floor(BLOCKS * 0.01);
        const start = seed % (Math.floor(BLOCKS * 0.4) - len);
        const next: Segment[] = [];
        for (const s of content) {
          if (s.end <= start || s.start >= start + len) next.push(s);
          else {
            if (s.start < start) next.push({ ...s, end: start });
            if (s.end > start + len) next.push({ ...s, start: start + len });
          }
        }
        next.push({ start, end: start + len, version: `d${d}` });
        next.sort((a, b) => a.start - b.start);
        // A pair's changed blocks are the old and new stretches (up to 2 % of the volume): this many pages at least.
        minimum += Math.ceil(changedCount(content, next) / PAGE);
        content = next;
      }
      ec2.ebs.setContent(snap.id, content);
      ids.push(snap.id);
    }
    const config = loadConfig({ AWS_REGION: REGION, LOG_LEVEL: 'silent' }, 'sandbox');
    const deps = {
      config,
      ec2: gateway,
      ebs,
      identity,
      store: createStore({ client: doc, table }),
      log: pino({ level: 'silent' }),
      now: () => new Date(),
    } as unknown as Deps;
    const t0 = performance.now();
    for (const id of ids) {
      const r = await measureSnapshot(deps, REGION, id);
      if (!r.measured) throw new Error(`${id} was not measured: ${r.why}`);
    }
    const wall = (performance.now() - t0) / 1000;
    emit({ name: 'cost.calls_per_snapshot', value: round(ebs.calls / DAYS, 3), unit: 'calls', baseline: round(minimum / DAYS, 3), ratio: round(ebs.calls / minimum, 3), snapshots: DAYS, volume_gib: SIZE_GIB });
    emit({ name: 'cost.lineage_365.wall', value: round(wall), unit: 's', snapshots: DAYS, volume_gib: SIZE_GIB, direct_api_calls: ebs.calls });
    const calls0 = ebs.calls;
    const t1 = performance.now();
    for (const id of ids.slice(0, 30)) await measureSnapshot(deps, REGION, id);
    emit({ name: 'cost.cached.ms_per_snapshot', value: round((performance.now() - t1) / 30), unit: 'ms', direct_api_calls: ebs.calls - calls0, baseline: 0 });
  } finally {
    gateway.destroy();
    ebs.destroy();
    identity.destroy();
    dynamo.destroy();
    await ec2.stop();
  }
}

function changedCount(a: Segment[], b: Segment[]): number {
  const at = (segs: Segment[], i: number) => segs.find((s) => s.start <= i && i < s.end)?.version;
  const points = [...new Set([...a, ...b].flatMap((s) => [s.start, s.end]))].sort((x, y) => x - y);
  let n = 0;
  for (let k = 0; k + 1 < points.length; k++) if (at(a, points[k]) !== at(b, points[k])) n += points[k + 1] - points[k];
  return n;
}
