// The policy: which rule hits become findings, and which findings may be offered for deletion.
import { describe, expect, it } from 'vitest';
import {
  emptyUsage,
  findOutdated,
  findOutdatedInRegion,
  indexImagesBySnapshotId,
  isHidden,
  type RegionScan,
  type ScanSettings,
} from '../../../src/core/staleness/index.js';
import { ACCOUNT, daysAgo, image, NOW, PRICES, snap } from './fixtures.js';

const settings = (over: Partial<ScanSettings> = {}): ScanSettings => ({
  now: NOW,
  staleAfterDays: 90,
  prices: PRICES,
  hiddenUntil: new Map(),
  accountId: ACCOUNT,
  ...over,
});

function scan(over: Partial<RegionScan> = {}): RegionScan {
  const usage = emptyUsage();
  return {
    region: 'us-east-1',
    snapshots: [],
    images: [],
    usage: { ...usage, existingVolumeIds: new Set(['vol-0aaaaaaaaaaaaaaa1']) },
    ...over,
  };
}

const old = (id: string, over = {}) => snap({ id, startTime: daysAgo(400), ...over });

describe('findOutdated', () => {
  it('flags an orphaned, unused snapshot with every reason, its age, size and cost, and offers deletion', () => {
    const [f] = findOutdated(
      [scan({ snapshots: [old('snap-orphan', { volumeId: 'vol-0gone000000000001', tags: { Name: 'db', 'snapbot:requested-by': 'U123' } })] })],
      settings(),
    );
    expect(f).toMatchObject({
      kind: 'snapshot',
      id: 'snap-orphan',
      region: 'us-east-1',
      name: 'db',
      ageDays: 400,
      sizeGiB: 100,
      tier: 'standard',
      ownerUserId: 'U123',
      deletable: true,
    });
    expect(f.monthlyUsd).toBeCloseTo(5, 10);
    expect(f.reasons.map((r) => r.rule)).toEqual(['source-volume-gone', 'older-than', 'unused-by-ami']);
    expect(f.notDeletableBecause).toBeUndefined();
  });

  it('keeps only what a finding needs', () => {
    const [f] = findOutdated([scan({ snapshots: [old('snap-1', { description: 'x'.repeat(1000) })] })], settings());
    expect(Object.keys(f)).not.toContain('description');
    expect(Object.keys(f)).not.toContain('tags');
  });

  it('never offers deletion of a snapshot an AMI uses, even a disabled AMI, and names the AMI', () => {
    const s = old('snap-behind-ami');
    const disabled = image({ id: 'ami-0disabled0000001', state: 'disabled', creationDate: daysAgo(10), blockDevices: [{ device: '/dev/xvda', snapshotId: s.id }] });
    // Index built from all AMIs by the caller...
    const usage = { ...emptyUsage(), existingVolumeIds: new Set(['vol-0aaaaaaaaaaaaaaa1']), imageIdsBySnapshotId: indexImagesBySnapshotId([disabled]) };
    const [f] = findOutdated([scan({ snapshots: [s], usage })], settings());
    expect(f.reasons.map((r) => r.rule)).toEqual(['older-than']);
    expect(f.deletable).toBe(false);
    expect(f.notDeletableBecause).toContain('ami-0disabled0000001');
    expect(f.usedBy).toEqual(['ami-0disabled0000001']);
  });

  it('counts the inventory AMIs as users even when the caller index misses them', () => {
    const s = old('snap-behind-ami');
    const ami = image({ id: 'ami-0deprecated00001', deprecationTime: daysAgo(5), blockDevices: [{ device: '/dev/xvda', snapshotId: s.id }] });
    const findings = findOutdated([scan({ snapshots: [s], images: [ami] })], settings());
    const f = findings.find((x) => x.id === s.id)!;
    expect(f.deletable).toBe(false);
    expect(f.reasons.map((r) => r.rule)).not.toContain('unused-by-ami');
  });

  it('never offers deletion of a snapshot a launch template uses', () => {
    const s = old('snap-in-template');
    const usage = { ...emptyUsage(), existingVolumeIds: new Set(['vol-0aaaaaaaaaaaaaaa1']), launchTemplateSnapshotIds: new Set([s.id]) };
    const [f] = findOutdated([scan({ snapshots: [s], usage })], settings());
    expect(f.deletable).toBe(false);
    expect(f.notDeletableBecause).toBe('used by a launch template');
  });

  it('labels AWS Backup and DLM snapshots and does not offer them for deletion', () => {
    const findings = findOutdated(
      [
        scan({
          snapshots: [
            old('snap-backup', { tags: { 'aws:backup:source-resource': 'arn:aws:ec2:…:volume/vol-1' } }),
            old('snap-dlm', { tags: { 'aws:dlm:lifecycle-policy-id': 'policy-0123' } }),
          ],
        }),
      ],
      settings(),
    );
    const backup = findings.find((f) => f.id === 'snap-backup')!;
    const dlm = findings.find((f) => f.id === 'snap-dlm')!;
    expect(backup).toMatchObject({ managedBy: 'AWS Backup', deletable: false, notDeletableBecause: 'managed by AWS Backup; delete it there' });
    expect(dlm).toMatchObject({ managedBy: 'Data Lifecycle Manager', deletable: false });
  });

  it('hides snoozed and kept resources until the date passes', () => {
    const s = old('snap-snoozed');
    expect(findOutdated([scan({ snapshots: [s] })], settings({ hiddenUntil: new Map([[s.id, daysAgo(-1)]]) }))).toEqual([]);
    expect(findOutdated([scan({ snapshots: [s] })], settings({ hiddenUntil: new Map([[s.id, daysAgo(1)]]) }))).toHaveLength(1);
  });

  it('honours snapbot:keep-until through the whole of that day', () => {
    const tagged = (d: string) => [scan({ snapshots: [old('snap-kept', { tags: { 'snapbot:keep-until': d } })] })];
    expect(findOutdated(tagged('2025-06-01'), settings())).toEqual([]); // today
    expect(findOutdated(tagged('2026-01-01'), settings())).toEqual([]);
    expect(findOutdated(tagged('2025-05-31'), settings())).toHaveLength(1); // yesterday
    expect(findOutdated(tagged('someday'), settings())).toHaveLength(1); // not a date: not honoured
  });

  it('excludes resources owned by another account', () => {
    const other = old('snap-other', { ownerId: '999988887777' });
    const otherAmi = image({ id: 'ami-other', ownerId: '999988887777', public: true });
    expect(findOutdated([scan({ snapshots: [other], images: [otherAmi] })], settings())).toEqual([]);
    // Unknown account: cannot tell, so it counts.
    expect(findOutdated([scan({ snapshots: [other] })], settings({ accountId: undefined }))).toHaveLength(1);
  });

  it('skips what no rule flags and what is still being created', () => {
    const fine = snap({ id: 'snap-fine' });
    const usage = { ...emptyUsage(), existingVolumeIds: new Set(['vol-0aaaaaaaaaaaaaaa1']), imageIdsBySnapshotId: new Map([['snap-fine', ['ami-1']]]) };
    expect(findOutdated([scan({ snapshots: [fine], usage })], settings())).toEqual([]);
    expect(findOutdated([scan({ snapshots: [old('snap-pending', { state: 'pending' })] })], settings())).toEqual([]);
  });

  it('flags an unlaunched AMI with the cost of its snapshots, and offers to deregister it', () => {
    const s1 = snap({ id: 'snap-root', volumeSizeGiB: 8, fullSizeBytes: 4e9 });
    const ami = image({ id: 'ami-old', name: 'web', creationDate: daysAgo(300), lastLaunchedTime: daysAgo(200), blockDevices: [{ device: '/dev/xvda', snapshotId: 'snap-root', volumeSizeGiB: 8 }] });
    const f = findOutdated([scan({ snapshots: [s1], images: [ami] })], settings()).find((x) => x.kind === 'image')!;
    expect(f).toMatchObject({ id: 'ami-old', name: 'web', ageDays: 300, deletable: true, snapshotIds: ['snap-root'] });
    expect(f.monthlyUsd).toBeCloseTo(0.2, 10);
    expect(f.reasons[0].rule).toBe('ami-not-launched');
  });

  it('does not offer deregistering a public AMI that a running instance or launch template uses', () => {
    const ami = image({ id: 'ami-pub', public: true });
    const usage = { ...emptyUsage(), runningImageIds: new Set(['ami-pub']), launchTemplateImageIds: new Set(['ami-pub']) };
    const [f] = findOutdated([scan({ images: [ami], usage })], settings());
    expect(f.reasons.map((r) => r.rule)).toEqual(['public']);
    expect(f.deletable).toBe(false);
    expect(f.usedBy).toEqual(['a running instance', 'a launch template']);
  });

  it('scans every region with its own usage sets', () => {
    const s = old('snap-a', { volumeId: 'vol-0aaaaaaaaaaaaaaa1' });
    const east = scan({ snapshots: [s] }); // volume exists in us-east-1
    const west = scan({ region: 'eu-west-1', snapshots: [old('snap-b', { region: 'eu-west-1' })], usage: emptyUsage() });
    const findings = findOutdated([east, west], settings());
    expect(findings.find((f) => f.id === 'snap-a')!.reasons.map((r) => r.rule)).not.toContain('source-volume-gone');
    const b = findings.find((f) => f.id === 'snap-b')!;
    expect(b.region).toBe('eu-west-1');
    expect(b.reasons.map((r) => r.rule)).toContain('source-volume-gone');
  });

  it('warns about early deletion of a recently archived snapshot', () => {
    const [f] = findOutdatedInRegion(scan({ snapshots: [snap({ id: 'snap-arch', storageTier: 'archive', startTime: daysAgo(30), encrypted: false })] }), settings());
    expect(f.tier).toBe('archive');
    expect(f.warning).toMatch(/may incur an early-deletion charge/);
  });
});

describe('isHidden', () => {
  it('is not hidden when the snooze ended exactly now', () => {
    expect(isHidden('snap-1', {}, { now: NOW, hiddenUntil: new Map([['snap-1', NOW]]) })).toBe(false);
  });
});
