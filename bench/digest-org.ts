// The digest over an organisation: 20 accounts × 3 regions in the sandbox EC2 (the other 19 reached through STS
// AssumeRole, as snapbot reaches ACCOUNTS), 300 000 snapshots unevenly spread (one account-region holds 60 000),
// every listing page answered after 250 ms as EC2 might, so the scan is I/O-bound as it is against AWS.
// Figures: EC2 calls against the fewest pages that can read it all, peak RSS, and wall time against the slowest
// single account-region scanned alone.
import { SANDBOX_ACCOUNT_ID, seedSynthetic, startSandboxEc2 } from '../src/sandbox/ec2/index.js';
import { emit, forkChild, nextMessage, note, round, stopChild } from './common.js';
import { minimumCalls, SHARE_CHECK_ACTIONS } from './digest.js';
import type { OrgScanResult } from './digest-org-scan.js';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const MEMBERS = Array.from({ length: 19 }, (_, i) => `2000000000${String(i + 1).padStart(2, '0')}`);
const TOTAL = 300_000;
const LARGEST = 60_000;
/** Listing pages wait as EC2's do; the per-resource attribute reads (the share check) are quicker. */
const LISTINGS = new Set(['DescribeSnapshots', 'DescribeImages', 'DescribeVolumes', 'DescribeInstances', 'DescribeLaunchTemplateVersions', 'DescribeFastSnapshotRestores']);
const PAGE_MS = 250;
const OTHER_MS = 50;

interface Pair {
  account: string;
  region: string;
  snapshots: number;
}

/** 60 000 in snapbot's own us-east-1; the other 240 000 over the other 59 account-regions, unevenly (weights 1–11). */
function spread(): Pair[] {
  const pairs: Pair[] = [];
  for (const account of [SANDBOX_ACCOUNT_ID, ...MEMBERS]) for (const region of REGIONS) pairs.push({ account, region, snapshots: 0 });
  pairs[0].snapshots = LARGEST;
  const rest = pairs.slice(1);
  const weights = rest.map((_, i) => 1 + ((i * 7) % 11));
  const sum = weights.reduce((a, b) => a + b, 0);
  let left = TOTAL - LARGEST;
  rest.forEach((p, i) => {
    p.snapshots = i === rest.length - 1 ? left : Math.floor(((TOTAL - LARGEST) * weights[i]) / sum);
    left -= p.snapshots;
  });
  return pairs;
}

const shareKey = (p: Pair) => (p.account === SANDBOX_ACCOUNT_ID ? p.region : `${p.account}/${p.region}`);

export async function runDigestOrgBench(): Promise<void> {
  const pairs = spread();
  note(`digest.org: seeding ${TOTAL} snapshots over ${pairs.length} account-regions (largest ${LARGEST})`);
  const ec2 = await startSandboxEc2({ seed: 'none', accounts: MEMBERS.map((accountId) => ({ accountId })) });
  try {
    const totals: Record<string, number> = {};
    let minimum = 0;
    for (const p of pairs) {
      const state = ec2.service.account(p.account)!;
      const images = Math.round(p.snapshots / 10);
      seedSynthetic(state, { snapshots: p.snapshots, images, volumes: Math.round(p.snapshots / 4), regions: [p.region] });
      totals[shareKey(p)] = p.snapshots + images;
      minimum += Object.values(minimumCalls(state, p.region)).reduce((a, b) => a + b, 0);
    }
    ec2.service.latencyMs = (action) => (LISTINGS.has(action) ? PAGE_MS : OTHER_MS);
    const env = {
      AWS_ENDPOINT_URL_EC2: ec2.url,
      AWS_ENDPOINT_URL_STS: ec2.url,
      AWS_ENDPOINT_URL_DLM: ec2.url,
      // Launch configurations and the event history too, as the bot reads them (the sandbox answers both here).
      AWS_ENDPOINT_URL_AUTO_SCALING: ec2.url,
      AWS_ENDPOINT_URL_CLOUDTRAIL: ec2.url,
      AWS_REGION: 'us-east-1',
      LOG_LEVEL: 'silent',
      BENCH_TOTALS: JSON.stringify(totals),
    };
    const scan = async (what: string, extra: Record<string, string>) => {
      const before = ec2.calls.length;
      const child = forkChild('./digest-org-scan.ts', { ...env, ...extra });
      const res = await nextMessage(child, (m): m is OrgScanResult => (m as { type?: string })?.type === 'org-scanned', 1_800_000, what);
      await stopChild(child);
      return { res, calls: ec2.calls.slice(before) };
    };
    note(`digest.org: scanning ${pairs.length} account-regions in a child process`);
    const org = await scan('the organisation digest', { ACCOUNTS: MEMBERS.join(','), REGIONS: REGIONS.join(',') });
    note('digest.org: scanning the largest account-region alone, for the wall-time baseline');
    const alone = await scan('the largest account-region alone', { REGIONS: pairs[0].region });

    const apart = /^(dlm|cloudtrail|autoscaling):/;
    const listing = org.calls.filter((c) => !SHARE_CHECK_ACTIONS.has(c.action) && !apart.test(c.action) && c.action !== 'AssumeRole' && c.action !== 'GetCallerIdentity');
    const byAction: Record<string, number> = {};
    for (const c of listing) byAction[c.action] = (byAction[c.action] ?? 0) + 1;
    const common = { accounts: MEMBERS.length + 1, regions: REGIONS.length, snapshots: TOTAL, largest: LARGEST, page_ms: PAGE_MS };
    emit({
      name: 'digest.org.ec2_calls',
      value: listing.length,
      unit: 'calls',
      baseline: minimum,
      ratio: round(listing.length / minimum, 3),
      by_action: byAction,
      assume_role_calls: org.calls.filter((c) => c.action === 'AssumeRole').length,
      share_checks: org.calls.filter((c) => SHARE_CHECK_ACTIONS.has(c.action)).length,
      dlm_calls: org.calls.filter((c) => c.action.startsWith('dlm:')).length,
      cloudtrail_calls: org.calls.filter((c) => c.action.startsWith('cloudtrail:')).length,
      launch_configuration_calls: org.calls.filter((c) => c.action.startsWith('autoscaling:')).length,
      ...common,
    });
    emit({ name: 'digest.org.peak_rss', value: round(org.res.peakRssMb, 0), unit: 'MB', baseline: round(org.res.baselineRssMb, 0), target: 250, findings: org.res.findings, csv_kb: round(org.res.csvBytes / 1024, 0), ...common });
    emit({
      name: 'digest.org.wall',
      value: round(org.res.wallMs / 1000, 1),
      unit: 's',
      baseline: round(alone.res.wallMs / 1000, 1),
      ratio: round(org.res.wallMs / alone.res.wallMs),
      account_regions: org.res.accountRegions,
      warnings: org.res.warnings,
      ...common,
    });
  } finally {
    await ec2.stop();
  }
}
