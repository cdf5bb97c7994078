// digest.precision / digest.recall: the digest run by the bot's own code (real SDK) against the sandbox EC2 serving
// the demo account, scored against bench/demo-labels.ts, which was labelled by hand from the contract's rules.
// The baseline beside them, from the same run: the age filter most tools (and snapbot's first rules) apply, "older
// than STALE_AFTER_DAYS and used by no AMI" for snapshots and "not launched for STALE_AFTER_DAYS" for AMIs.
import { scoreDeletions } from './demo-labels.js';
import { Ec2Gateway } from '../src/aws/ec2/index.js';
import { loadConfig } from '../src/config.js';
import { DEMO, startSandboxEc2 } from '../src/sandbox/ec2/index.js';
import { buildDigest } from '../src/usecases/digest.js';
import { emit, note, round } from './common.js';

export async function runDigestQualityBench(): Promise<void> {
  note('digest quality: the labelled demo account');
  const sandbox = await startSandboxEc2({ seed: 'demo' });
  const ec2 = new Ec2Gateway({ endpoint: sandbox.url, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  try {
    const config = loadConfig({ REGIONS: `${DEMO.region},${DEMO.otherRegion}`, SHARE_ALLOWED_ACCOUNTS: DEMO.partnerAccountId }, 'sandbox');
    const { summary } = await buildDigest({ config, ec2, now: new Date() });
    const offered = summary.findings.filter((f) => f.deletable).map((f) => f.id);
    const score = scoreDeletions(offered);
    const naive = scoreDeletions(await ageFilter(ec2, config.regions, config.staleAfterDays));
    const detail = { offered: offered.length, false_positives: score.falsePositives, missed: score.missed, exposures: summary.exposures.length };
    emit({ name: 'digest.precision', value: round(score.precision, 3), unit: 'ratio', baseline: round(naive.precision, 3), target: 1, ...detail });
    emit({ name: 'digest.recall', value: round(score.recall, 3), unit: 'ratio', baseline: round(naive.recall, 3), target: 1 });
  } finally {
    ec2.destroy();
    await sandbox.stop();
  }
}

/** What an age filter alone would offer: old snapshots no AMI uses, and AMIs not launched lately. */
async function ageFilter(ec2: Ec2Gateway, regions: string[], staleAfterDays: number): Promise<string[]> {
  const cutoff = Date.now() - staleAfterDays * 86_400_000;
  const offered: string[] = [];
  for (const region of regions) {
    const images = await ec2.listOwnImages(region);
    const behindImages = new Set(images.flatMap((i) => i.blockDevices.flatMap((d) => (d.snapshotId ? [d.snapshotId] : []))));
    for (const i of images) if (((i.lastLaunchedTime ?? i.creationDate)?.getTime() ?? Date.now()) < cutoff) offered.push(i.id);
    await ec2.forEachOwnSnapshotPage(region, {}, (page) => {
      for (const s of page) if (s.state === 'completed' && s.startTime.getTime() < cutoff && !behindImages.has(s.id)) offered.push(s.id);
    });
  }
  return offered;
}
