// The digest against the hand-labelled demo account (bench/demo-labels.ts, written from the contract's rules):
// exactly the resources that should go are offered for deletion, the exposures come first, and each is said once.
// The real SDK and the streaming scan against the sandbox EC2 serving the demo seed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LABELS, scoreDeletions } from '../../bench/demo-labels.js';
import { Ec2Gateway } from '../../src/aws/ec2/index.js';
import { loadConfig } from '../../src/config.js';
import { findingCount } from '../../src/core/digest.js';
import { readFileSync } from 'node:fs';
import { digestCsvSpool, finishCsv } from '../../src/usecases/digest-post.js';
import { everyFinding } from '../support/digest.js';
import { DEMO, startSandboxEc2, type SandboxEc2 } from '../../src/sandbox/ec2/index.js';
import { digestCsvLines, digestMessage } from '../../src/slack/views/digest/index.js';
import { buildDigest } from '../../src/usecases/digest.js';

let sandbox: SandboxEc2;
let ec2: Ec2Gateway;
const config = loadConfig({ REGIONS: `${DEMO.region},${DEMO.otherRegion}`, STALE_AFTER_DAYS: '90', SHARE_ALLOWED_ACCOUNTS: DEMO.partnerAccountId }, 'sandbox');

beforeAll(async () => {
  sandbox = await startSandboxEc2({ seed: 'demo' });
  ec2 = new Ec2Gateway({ endpoint: sandbox.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});
afterAll(async () => {
  ec2?.destroy();
  await sandbox?.stop();
});

describe('the digest on the labelled demo account', () => {
  it('offers exactly what should go: precision and recall 1.0', async () => {
    const { summary } = await buildDigest({ config, ec2, now: new Date() });
    const offered = summary.findings.filter((f) => f.deletable).map((f) => f.id);
    const score = scoreDeletions(offered);
    expect({ falsePositives: score.falsePositives, missed: score.missed }).toEqual({ falsePositives: [], missed: [] });
    expect(score.precision).toBe(1);
    expect(score.recall).toBe(1);
  });

  it('lists the exposures first, in the message itself, and never as deletions on that ground', async () => {
    const { summary } = await buildDigest({ config, ec2, now: new Date() });
    const exposed = Object.entries(DEMO_LABELS).filter(([, l]) => l.exposure).map(([id]) => id).sort();
    expect(summary.exposures.map((f) => f.id).sort()).toEqual(exposed);
    const msg = digestMessage(summary);
    const text = JSON.stringify(msg.blocks);
    expect(text.indexOf(DEMO.snapshots.publicDataset)).toBeGreaterThan(0);
    expect(text.indexOf('Exposure')).toBeLessThan(text.indexOf('Cleanup'));
    expect(text.indexOf(DEMO.snapshots.publicDataset)).toBeLessThan(text.indexOf('Cleanup'));
    for (const f of summary.exposures) expect(f.deletable).toBe(false);
  });

  it('says "used by no AMI" and "unencrypted" as facts, not reasons; managed snapshots are not offered', async () => {
    const { summary } = await buildDigest({ config, ec2, now: new Date() });
    for (const f of await everyFinding({ config, ec2, now: new Date() })) {
      expect(f.reasons.map((r) => r.rule)).not.toContain('unused-by-ami');
      expect(f.reasons.map((r) => r.rule)).not.toContain('unencrypted');
    }
    const legacy = summary.findings.find((f) => f.id === DEMO.snapshots.legacyFinal)!;
    expect(legacy.facts).toEqual(expect.arrayContaining(['used by no AMI', 'unencrypted']));
    for (const f of summary.findings) expect(f.managedBy).toBeUndefined();
  });

  it('counts and dollars agree: the totals are the sum of what is offered, and the CSV has every row once', async () => {
    // The CSV as the bot writes it: spooled as the scan settles each finding.
    const { spool, sink } = digestCsvSpool(digestCsvLines);
    try {
      const { summary } = await buildDigest({ config, ec2, now: new Date(), sink });
      // As shown: each row to the cent, and the total their sum (a reader adds up what is shown).
      const usd = summary.findings.reduce((a, f) => a + Math.round(f.monthlyUsd * 100) / 100, 0);
      expect(summary.totals.count).toBe(summary.findings.length);
      expect(summary.totals.monthlyUsd).toBeCloseTo(usd, 6);
      const csv = readFileSync(finishCsv(spool, digestCsvLines, summary, 'digest.csv').path, 'utf8').trim().split('\r\n');
      expect(csv[0]).toBe('kind,account,region,id,name,reasons,age_days,size_gib,usd_month,deletable,managed_by,owner,cost_group');
      const ids = csv.slice(1).map((row) => row.split(',')[3]);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(findingCount(summary) + summary.backupGaps.length + summary.archiveSuggestions.length);
      expect(ids).toEqual(expect.arrayContaining([...summary.findings.map((f) => f.id), ...summary.exposures.map((f) => f.id)]));
    } finally {
      spool.dispose();
    }
  });
});

describe('account shares on the demo account', () => {
  it('a share with an account outside the allowed ones is an exposure; remembered between runs, checked within the budget', async () => {
    const { freshTable } = await import('../support/dynamodb.js');
    const store = await freshTable();
    const strict = loadConfig({ REGIONS: DEMO.region, STALE_AFTER_DAYS: '90' }, 'sandbox');
    const first = await buildDigest({ config: strict, ec2, store, now: new Date() });
    const exposure = first.summary.exposures.find((f) => f.id === DEMO.snapshots.webDataPartnerExport);
    expect(exposure?.reasons.map((r) => r.text)).toEqual([`shared with ${DEMO.partnerAccountId}, outside the allowed accounts`]);
    expect(first.shareChecks[0]).toMatchObject({ region: DEMO.region, budget: 200, fullCycleDays: 1 });
    expect(first.shareChecks[0].calls).toBe(first.shareChecks[0].total);
    // The store remembers it: the next run shows it too.
    const second = await buildDigest({ config: strict, ec2, store, now: new Date() });
    expect(second.summary.exposures.map((f) => f.id)).toContain(DEMO.snapshots.webDataPartnerExport);
    // With the partner allowed, the same share is no exposure.
    const allowed = await buildDigest({ config, ec2, store, now: new Date() });
    expect(allowed.summary.exposures.map((f) => f.id)).not.toContain(DEMO.snapshots.webDataPartnerExport);
  });
});
