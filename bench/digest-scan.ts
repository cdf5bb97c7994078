// One digest scan in a process of its own, so its peak RSS is the scan's: the bot's own buildDigest (every
// region, paginated, over HTTP through the SDK) plus what /snapshot digest renders from it (message and CSV).
import { Ec2Gateway } from '../src/aws/ec2/index.js';
import { loadConfig } from '../src/config.js';
import { collectStartupGarbage, tuneRuntime } from '../src/runtime.js';
import { digestCsvLines, digestMessage } from '../src/slack/views/digest/index.js';
import { digestCsvSpool, finishCsv } from '../src/usecases/digest-post.js';
import { findingCount } from '../src/core/digest.js';
import type { ShareState, Store } from '../src/store/index.js';
import { buildDigest } from '../src/usecases/digest.js';
import { DlmGateway } from '../src/aws/dlm.js';
import { AutoScalingGateway } from '../src/aws/auto-scaling.js';
import { CloudTrailGateway } from '../src/aws/cloudtrail.js';
import { FAKE_CREDENTIALS } from './common.js';

export interface ScanResult {
  type: 'scanned';
  wallMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** process.resourceUsage().maxRSS: the process's peak, in MB. */
  peakRssMb: number;
  /** RSS once everything was imported, before the scan. */
  baselineRssMb: number;
  /** The highest RSS seen by a 20 ms sampler during the scan. */
  sampledPeakRssMb: number;
  /** The most live JavaScript heap the sampler saw (RSS minus this is the runtime, code and GC headroom). */
  peakHeapUsedMb: number;
  findings: number;
  csvBytes: number;
  gatewayCalls: number;
  /** The account-share checks: attribute calls made, the run's budget, days to check every resource once. */
  shareChecks: { calls: number; budget: number; total: number; fullCycleDays: number };
  /** Resources CloudTrail's event history said changed sharing, all checked this run. */
  trailResources: number;
}

/**
 * The share check's memory between runs, as the store would hold it after the first daily run: the region's size is
 * known, so the budget is the steady one (a thirtieth of the resources), not the first run's minimum.
 */
function steadyShareStore(total: number): Pick<Store, 'snoozes' | 'shares'> {
  const states = new Map<string, ShareState>();
  return {
    snoozes: {
      put: async () => undefined,
      activeMap: async () => new Map(),
      active: async () => ({ hidden: new Map(), keptShared: new Map() }),
    },
    shares: {
      get: async (region) => states.get(region) ?? { shared: {}, total },
      put: async (region, state) => void states.set(region, state),
      note: async () => undefined,
    },
  };
}

async function main(): Promise<void> {
  // As the bot's entry points do; `--v8-defaults` leaves V8's own heap growth, for comparison.
  if (!process.argv.includes('--v8-defaults')) tuneRuntime();
  const config = loadConfig(process.env, 'sandbox');
  const ec2 = new Ec2Gateway({ endpoint: config.endpoints.ec2, credentials: FAKE_CREDENTIALS });
  // The bot's path whole: lifecycle policies too (the sandbox answers DLM on the EC2 endpoint), for backup gaps.
  const dlm = new DlmGateway({ endpoint: config.endpoints.dlm ?? config.endpoints.ec2, credentials: FAKE_CREDENTIALS });
  // And CloudTrail's event history and launch configurations, which the sandbox answers on the same endpoint.
  const cloudTrail = new CloudTrailGateway({ endpoint: config.endpoints.ec2, credentials: FAKE_CREDENTIALS });
  const autoScaling = new AutoScalingGateway({ endpoint: config.endpoints.ec2, credentials: FAKE_CREDENTIALS });
  const mb = (bytes: number) => bytes / 1024 / 1024;
  if (global.gc) global.gc();
  // As the bot does once it is up (src/main.ts), unless started as V8 would by default.
  if (!process.argv.includes('--v8-defaults')) collectStartupGarbage();
  const baselineRssMb = mb(process.memoryUsage().rss);
  let sampled = baselineRssMb;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    sampled = Math.max(sampled, mb(m.rss));
    heap = Math.max(heap, mb(m.heapUsed));
  };
  const sampler = setInterval(sample, 20);

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const now = new Date();
  const total = Number(process.env.BENCH_RESOURCES ?? 0);
  // As the bot does: every finding written to the CSV's spool as the scan settles it, the message from the tally.
  const { spool, sink } = digestCsvSpool(digestCsvLines);
  const result = await buildDigest({ config, ec2, dlm, cloudTrail, autoScaling, now, store: steadyShareStore(total), sink });
  const message = digestMessage(result.summary, { csvFileName: 'digest.csv' });
  const csv = finishCsv(spool, digestCsvLines, result.summary, 'digest.csv');
  spool.dispose();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  sample();
  if (message.blocks.length === 0) throw new Error('the digest rendered no blocks');

  const out: ScanResult = {
    type: 'scanned',
    wallMs,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    baselineRssMb,
    sampledPeakRssMb: sampled,
    peakHeapUsedMb: heap,
    findings: findingCount(result.summary),
    csvBytes: csv.bytes,
    gatewayCalls: ec2.calls,
    trailResources: result.shareChecks.reduce((n, r) => n + (r.trail && 'resources' in r.trail ? r.trail.resources : 0), 0),
    shareChecks: result.shareChecks.reduce(
      (a, r) => ({ calls: a.calls + r.calls, budget: a.budget + r.budget, total: a.total + r.total, fullCycleDays: Math.max(a.fullCycleDays, r.fullCycleDays) }),
      { calls: 0, budget: 0, total: 0, fullCycleDays: 0 },
    ),
  };
  ec2.destroy();
  dlm.destroy();
  cloudTrail.destroy();
  autoScaling.destroy();
  process.send!(out, () => process.exit(0));
}

main().catch((err: Error) => {
  process.send?.({ error: err.stack ?? err.message }, () => process.exit(1));
});
