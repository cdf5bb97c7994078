// The digest over a whole organisation, in a process of its own: the bot's own buildDigest over snapbot's account
// and every account of ACCOUNTS (each through STS AssumeRole, as in production) × REGIONS, against the sandbox EC2.
import { AwsEstate } from '../src/aws/estate.js';
import { loadConfig } from '../src/config.js';
import { collectStartupGarbage, tuneRuntime } from '../src/runtime.js';
import { digestCsvLines, digestMessage } from '../src/slack/views/digest/index.js';
import { digestCsvSpool, finishCsv } from '../src/usecases/digest-post.js';
import { findingCount } from '../src/core/digest.js';
import type { ShareState, Store } from '../src/store/index.js';
import { buildDigest } from '../src/usecases/digest.js';
import { FAKE_CREDENTIALS } from './common.js';
import { digestSources } from '../src/cli.js';

export interface OrgScanResult {
  type: 'org-scanned';
  wallMs: number;
  peakRssMb: number;
  baselineRssMb: number;
  findings: number;
  /** The CSV written as the scan went. */
  csvBytes: number;
  warnings: number;
  accountRegions: number;
}

/** The share check's memory as after the first daily run: each account-region's size known (BENCH_TOTALS). */
function steadyShareStore(totals: Record<string, number>): Pick<Store, 'snoozes' | 'shares'> {
  const states = new Map<string, ShareState>();
  return {
    snoozes: { put: async () => undefined, activeMap: async () => new Map(), active: async () => ({ hidden: new Map(), keptShared: new Map() }) },
    shares: {
      get: async (key) => states.get(key) ?? { shared: {}, total: totals[key] ?? 0 },
      put: async (key, state) => void states.set(key, state),
      note: async () => undefined,
    },
  };
}

async function main(): Promise<void> {
  tuneRuntime();
  const config = loadConfig(process.env, 'sandbox');
  const estate = new AwsEstate({ homeRegion: config.awsRegion, endpoints: config.endpoints, assumeRole: config.assumeRole, credentials: FAKE_CREDENTIALS });
  const totals = JSON.parse(process.env.BENCH_TOTALS ?? '{}') as Record<string, number>;
  collectStartupGarbage(); // as the bot does once it is up
  const baselineRssMb = process.memoryUsage().rss / 1024 / 1024;
  const t0 = performance.now();
  const { spool, sink } = digestCsvSpool(digestCsvLines);
  const result = await buildDigest({
    sink,
    config,
    // What the bot and `npm run digest` read, in every account: lifecycle policies, launch configurations, events.
    ...digestSources(config, estate),
    store: steadyShareStore(totals),
    now: new Date(),
  });
  const message = digestMessage(result.summary, { csvFileName: 'digest.csv', accounts: result.accounts });
  const csv = finishCsv(spool, digestCsvLines, result.summary, 'digest.csv');
  spool.dispose();
  const wallMs = performance.now() - t0;
  if (message.blocks.length === 0) throw new Error('the digest rendered no blocks');
  const out: OrgScanResult = {
    type: 'org-scanned',
    wallMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    baselineRssMb,
    findings: findingCount(result.summary),
    csvBytes: csv.bytes,
    warnings: result.warning ? result.warning.split('\n').length : 0,
    accountRegions: result.accounts.length * config.regions.length,
  };
  if (result.warning) process.stderr.write(`digest-org-scan warnings:\n${result.warning}\n`);
  estate.destroy();
  process.send!(out, () => process.exit(0));
}

main().catch((err: Error) => {
  process.send?.({ error: err.stack ?? err.message }, () => process.exit(1));
});
