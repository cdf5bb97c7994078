// buildDigest over the real SDK against the sandbox EC2: the streaming scan judges AMIs before their snapshots
// have been read, so these check that what it keeps in the meantime still prices and labels everything right.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ec2Gateway } from '../../src/aws/ec2/index.js';
import { loadConfig } from '../../src/config.js';
import { BYTES_PER_GIB } from '../../src/core/cost.js';
import { startSandboxEc2, type SandboxEc2 } from '../../src/sandbox/ec2/index.js';
import { everyFinding } from '../support/digest.js';

const REGION = 'eu-west-1';
const DAY = 86_400_000;
const now = new Date('2026-06-01T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);

let sandbox: SandboxEc2;
let ec2: Ec2Gateway;
const config = loadConfig({ REGIONS: REGION, STALE_AFTER_DAYS: '90' }, 'sandbox');

beforeAll(async () => {
  sandbox = await startSandboxEc2({ seed: 'none', now: () => now });
  const s = sandbox.state;
  // An AMI nobody launched, behind two snapshots: one with a known full size, one priced from its volume size.
  s.addSnapshot(REGION, { id: 'snap-0a0000000000000a1', volumeSizeGiB: 100, fullSizeBytes: 3e9, startTime: daysAgo(400), encrypted: true });
  s.addSnapshot(REGION, { id: 'snap-0a0000000000000a2', volumeSizeGiB: 20, startTime: daysAgo(400), encrypted: true });
  s.addImage(REGION, {
    id: 'ami-0a0000000000000b1',
    name: 'old-golden',
    creationDate: daysAgo(400),
    blockDevices: [
      { device: '/dev/xvda', snapshotId: 'snap-0a0000000000000a1', volumeSizeGiB: 100, volumeType: 'gp3', encrypted: true },
      { device: '/dev/sdf', snapshotId: 'snap-0a0000000000000a2', volumeSizeGiB: 20, volumeType: 'gp3', encrypted: true },
    ],
  });
  // A live volume whose newest snapshot comes pages after its old one, and one whose only snapshot is old.
  s.addVolume(REGION, { id: 'vol-0c000000000000001', availabilityZone: 'eu-west-1a', sizeGiB: 50, type: 'gp3' });
  s.addVolume(REGION, { id: 'vol-0c000000000000002', availabilityZone: 'eu-west-1a', sizeGiB: 50, type: 'gp3' });
  s.addSnapshot(REGION, { id: 'snap-0c0000000000000a1', volumeId: 'vol-0c000000000000001', volumeSizeGiB: 50, startTime: daysAgo(300), encrypted: true });
  s.addSnapshot(REGION, { id: 'snap-0c0000000000000b1', volumeId: 'vol-0c000000000000002', volumeSizeGiB: 50, startTime: daysAgo(300), encrypted: true, fastRestoreZones: ['eu-west-1a'] });
  // Many plain old snapshots (copies: no source volume), more than one page's worth, all the same age.
  for (let i = 0; i < 1_200; i++) {
    s.addSnapshot(REGION, { volumeSizeGiB: 8, startTime: daysAgo(200), encrypted: true });
  }
  s.addSnapshot(REGION, { id: 'snap-0c0000000000000a2', volumeId: 'vol-0c000000000000001', volumeSizeGiB: 50, startTime: daysAgo(2), encrypted: true });
  ec2 = new Ec2Gateway({ endpoint: sandbox.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});

afterAll(async () => {
  ec2?.destroy();
  await sandbox?.stop();
});

describe('buildDigest (streaming scan)', () => {
  it('prices an AMI from its snapshots, read after the AMI was judged', async () => {
    const findings = await everyFinding({ config, ec2, now });
    const ami = findings.find((f) => f.id === 'ami-0a0000000000000b1')!;
    expect(ami.reasons.map((r) => r.rule)).toContain('ami-not-launched');
    const gib = 3e9 / BYTES_PER_GIB + 20;
    expect(ami.sizeGiB).toBeCloseTo(gib, 6);
    // Billed GB: the stored 3 GB, and the volume's 20 (cost.ts bills an unknown full size at the volume size).
    expect(ami.monthlyUsd).toBeCloseTo((3 + 20) * config.prices.snapshotGbMonth, 6);
    // Its snapshots are never candidates while the AMI exists: the AMI is.
    expect(findings.find((f) => f.id === 'snap-0a0000000000000a1')).toBeUndefined();
  });

  it('settles "superseded" once every page is read: an old snapshot goes only when a newer one of its volume exists', async () => {
    const findings = await everyFinding({ config, ec2, now });
    const old = findings.find((f) => f.id === 'snap-0c0000000000000a1');
    expect(old?.reasons.map((r) => r.rule)).toEqual(['superseded']);
    expect(old?.deletable).toBe(true);
    // The newest of a live volume is its backup, however old: never offered, though its fast restore still costs.
    const backup = findings.find((f) => f.id === 'snap-0c0000000000000b1')!;
    expect(backup.deletable).toBe(false);
    expect(backup.reasons.map((r) => r.rule)).toEqual(['fast-restore']);
    expect(backup.fastRestore).toEqual({ zones: ['eu-west-1a'], monthlyUsd: 547.5 });
    expect(findings.find((f) => f.id === 'snap-0c0000000000000a2')).toBeUndefined();
  });

  it('shares one reason object (and one list of them) among findings that say the same thing', async () => {
    const findings = await everyFinding({ config, ec2, now });
    const plain = findings.filter((f) => f.kind === 'snapshot' && f.ageDays === 200);
    expect(plain).toHaveLength(1_200);
    expect(plain[0].reasons.map((r) => r.text)).toEqual(['a copy, 200 days old, that nothing uses']);
    expect(plain[0].facts).toEqual(['used by no AMI']);
    expect(new Set(plain.map((f) => f.reasons)).size).toBe(1);
    expect(Object.isFrozen(plain[0].reasons) && Object.isFrozen(plain[0].reasons[0])).toBe(true);
  });
});
