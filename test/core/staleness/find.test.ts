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
  keepPerVolume: 1,
  prices: PRICES,
  hiddenUntil: new Map(),
  keptShared: new Map(),
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

const GONE = 'vol-0gone000000000001';
const LIVE = 'vol-0aaaaaaaaaaaaaaa1';
/** Old, of a deleted volume, used by nothing: a candidate unless something says otherwise. */
const orphan = (id: string, over = {}) => old(id, { volumeId: GONE, ...over });

describe('findOutdated', () => {
  it('flags an old snapshot of a deleted volume with its reason and facts, its age, size and cost, and offers deletion', () => {
    const [f] = findOutdated(
      [scan({ snapshots: [orphan('snap-orphan', { encrypted: false, tags: { Name: 'db', 'snapbot:requested-by': 'U123' } })] })],
      settings(),
    );
    expect(f).toMatchObject({
      kind: 'snapshot',
      id: 'snap-orphan',
      account: ACCOUNT,
      region: 'us-east-1',
      name: 'db',
      ageDays: 400,
      sizeGiB: 100,
      tier: 'standard',
      ownerUserId: 'U123',
      deletable: true,
    });
    expect(f.monthlyUsd).toBeCloseTo(5, 10);
    expect(f.reasons.map((r) => r.rule)).toEqual(['source-volume-gone']);
    // Facts, shown beside it, never reasons.
    expect(f.facts).toEqual(['used by no AMI', 'unencrypted']);
    expect(f.notDeletableBecause).toBeUndefined();
  });

  it('keeps only what a finding needs', () => {
    const [f] = findOutdated([scan({ snapshots: [orphan('snap-1', { description: 'x'.repeat(1000) })] })], settings());
    expect(Object.keys(f)).not.toContain('description');
    expect(Object.keys(f)).not.toContain('tags');
  });

  it('a young snapshot is never a candidate, whatever else is true of it (unused, unencrypted, volume gone)', () => {
    const young = snap({ id: 'snap-young', volumeId: GONE, startTime: daysAgo(3), encrypted: false });
    expect(findOutdated([scan({ snapshots: [young] })], settings())).toEqual([]);
  });

  it('the newest completed snapshot of a live volume is never a candidate; an older one is, as superseded', () => {
    const newest = old('snap-newest', { startTime: daysAgo(200) });
    const older = old('snap-older', { startTime: daysAgo(300) });
    const pendingNewer = snap({ id: 'snap-pending', startTime: daysAgo(1), state: 'pending' });
    const findings = findOutdated([scan({ snapshots: [older, newest, pendingNewer] })], settings());
    expect(findings.map((f) => [f.id, f.reasons.map((r) => r.rule)])).toEqual([['snap-older', ['superseded']]]);
  });

  it('with KEEP_PER_VOLUME 2 the two newest of a live volume stay', () => {
    const ids = [400, 300, 200].map((d) => old(`snap-${d}`, { startTime: daysAgo(d) }));
    const findings = findOutdated([scan({ snapshots: ids })], settings({ keepPerVolume: 2 }));
    expect(findings.map((f) => f.id)).toEqual(['snap-400']);
  });

  it('a copy (no source volume) is judged by its age and use alone', () => {
    const copy = old('snap-copy', { volumeId: undefined });
    const [f] = findOutdated([scan({ snapshots: [copy] })], settings());
    expect(f.reasons.map((r) => r.rule)).toEqual(['stale-copy']);
    expect(findOutdated([scan({ snapshots: [snap({ id: 'snap-new-copy', volumeId: undefined, startTime: daysAgo(10) })] })], settings())).toEqual([]);
  });

  it('a snapshot an AMI uses (even a disabled one) or a launch template uses is never a candidate: the AMI is judged instead', () => {
    const s = orphan('snap-behind-ami');
    const disabled = image({ id: 'ami-0disabled0000001', state: 'disabled', creationDate: daysAgo(10), blockDevices: [{ device: '/dev/xvda', snapshotId: s.id }] });
    const usage = { ...emptyUsage(), imageIdsBySnapshotId: indexImagesBySnapshotId([disabled]) };
    expect(findOutdated([scan({ snapshots: [s], usage })], settings())).toEqual([]);
    const lt = { ...emptyUsage(), launchTemplateSnapshotIds: new Set([s.id]) };
    expect(findOutdated([scan({ snapshots: [s], usage: lt })], settings())).toEqual([]);
  });

  it('counts the inventory AMIs as users even when the caller index misses them', () => {
    const s = orphan('snap-behind-ami');
    const ami = image({ id: 'ami-0deprecated00001', deprecationTime: daysAgo(5), blockDevices: [{ device: '/dev/xvda', snapshotId: s.id }] });
    const findings = findOutdated([scan({ snapshots: [s], images: [ami] })], settings());
    expect(findings.find((x) => x.id === s.id)).toBeUndefined();
  });

  it('labels old AWS Backup and DLM snapshots and does not offer them for deletion', () => {
    const findings = findOutdated(
      [
        scan({
          snapshots: [
            orphan('snap-backup', { tags: { 'aws:backup:source-resource': 'arn:aws:ec2:…:volume/vol-1' } }),
            orphan('snap-dlm', { tags: { 'aws:dlm:lifecycle-policy-id': 'policy-0123' } }),
          ],
        }),
      ],
      settings(),
    );
    const backup = findings.find((f) => f.id === 'snap-backup')!;
    const dlm = findings.find((f) => f.id === 'snap-dlm')!;
    expect(backup).toMatchObject({ managedBy: 'AWS Backup', deletable: false, notDeletableBecause: "managed by AWS Backup; it follows that service's retention" });
    expect(dlm).toMatchObject({ managedBy: 'Data Lifecycle Manager', deletable: false });
  });

  it('hides snoozed and kept cost findings until the date passes', () => {
    const s = orphan('snap-snoozed');
    expect(findOutdated([scan({ snapshots: [s] })], settings({ hiddenUntil: new Map([[s.id, daysAgo(-1)]]) }))).toEqual([]);
    expect(findOutdated([scan({ snapshots: [s] })], settings({ hiddenUntil: new Map([[s.id, daysAgo(1)]]) }))).toHaveLength(1);
  });

  it('honours snapbot:keep-until through the whole of that day', () => {
    const tagged = (d: string) => [scan({ snapshots: [orphan('snap-kept', { tags: { 'snapbot:keep-until': d } })] })];
    expect(findOutdated(tagged('2025-06-01'), settings())).toEqual([]); // today
    expect(findOutdated(tagged('2026-01-01'), settings())).toEqual([]);
    expect(findOutdated(tagged('2025-05-31'), settings())).toHaveLength(1); // yesterday
    expect(findOutdated(tagged('someday'), settings())).toHaveLength(1); // not a date: not honoured
  });

  it('an exposure, however fresh, is listed and never offered for deletion on that ground; only an approved Keep shared hides it', () => {
    const fresh = snap({ id: 'snap-public', startTime: daysAgo(2), tags: { 'snapbot:keep-until': '2030-01-01' } });
    const usage = { ...emptyUsage(), existingVolumeIds: new Set([LIVE]), publicSnapshotIds: new Set([fresh.id]) };
    const [f] = findOutdated([scan({ snapshots: [fresh], usage })], settings({ hiddenUntil: new Map([[fresh.id, daysAgo(-30)]]) }));
    expect(f).toMatchObject({ id: 'snap-public', exposure: true, deletable: false });
    expect(f.reasons.map((r) => r.rule)).toEqual(['public']);
    // An approver's Keep shared is the one thing that takes it off the list (for its 90 days).
    expect(findOutdated([scan({ snapshots: [fresh], usage })], settings({ keptShared: new Map([[fresh.id, daysAgo(-30)]]) }))).toEqual([]);
  });

  it('an old public snapshot of a deleted volume is an exposure that may also be deleted', () => {
    const s = orphan('snap-old-public');
    const usage = { ...emptyUsage(), publicSnapshotIds: new Set([s.id]) };
    const [f] = findOutdated([scan({ snapshots: [s], usage })], settings());
    expect(f.exposure).toBe(true);
    expect(f.reasons.map((r) => r.rule)).toEqual(['public', 'source-volume-gone']);
    expect(f.deletable).toBe(true);
  });

  it('excludes resources owned by another account', () => {
    const other = orphan('snap-other', { ownerId: '999988887777' });
    const otherAmi = image({ id: 'ami-other', ownerId: '999988887777', public: true });
    expect(findOutdated([scan({ snapshots: [other], images: [otherAmi] })], settings())).toEqual([]);
    // Unknown account: cannot tell, so it counts.
    expect(findOutdated([scan({ snapshots: [other] })], settings({ accountId: undefined }))).toHaveLength(1);
  });

  it('skips what is still being created', () => {
    expect(findOutdated([scan({ snapshots: [orphan('snap-pending', { state: 'pending' })] })], settings())).toEqual([]);
  });

  it('flags an unlaunched AMI with the cost of its snapshots, and offers to deregister it', () => {
    const s1 = snap({ id: 'snap-root', volumeSizeGiB: 8, fullSizeBytes: 4e9 });
    const ami = image({ id: 'ami-old', name: 'web', creationDate: daysAgo(300), lastLaunchedTime: daysAgo(200), blockDevices: [{ device: '/dev/xvda', snapshotId: 'snap-root', volumeSizeGiB: 8 }] });
    const f = findOutdated([scan({ snapshots: [s1], images: [ami] })], settings()).find((x) => x.kind === 'image')!;
    expect(f).toMatchObject({ id: 'ami-old', name: 'web', ageDays: 300, deletable: true, snapshotIds: ['snap-root'] });
    expect(f.monthlyUsd).toBeCloseTo(0.2, 10);
    expect(f.reasons[0].rule).toBe('ami-not-launched');
  });

  it('lists a public AMI that an instance or launch template uses as an exposure, not offered for deregistration', () => {
    const ami = image({ id: 'ami-pub', public: true });
    const usage = { ...emptyUsage(), runningImageIds: new Set(['ami-pub']), launchTemplateImageIds: new Set(['ami-pub']) };
    const [f] = findOutdated([scan({ images: [ami], usage })], settings());
    expect(f.reasons.map((r) => r.rule)).toEqual(['public']);
    expect(f.exposure).toBe(true);
    expect(f.deletable).toBe(false);
    expect(f.usedBy).toEqual(['an instance', 'a launch template']);
  });

  it('scans every region with its own usage sets', () => {
    const s = old('snap-a', { volumeId: LIVE });
    const east = scan({ snapshots: [s] }); // the volume exists in us-east-1, and this is its newest snapshot
    const west = scan({ region: 'eu-west-1', snapshots: [old('snap-b', { region: 'eu-west-1' })], usage: emptyUsage() });
    const findings = findOutdated([east, west], settings());
    expect(findings.find((f) => f.id === 'snap-a')).toBeUndefined();
    const b = findings.find((f) => f.id === 'snap-b')!;
    expect(b.region).toBe('eu-west-1');
    expect(b.reasons.map((r) => r.rule)).toEqual(['source-volume-gone']);
  });

  it('warns about early deletion of a recently archived snapshot', () => {
    const archived = snap({ id: 'snap-arch', volumeId: GONE, storageTier: 'archive', startTime: daysAgo(30), encrypted: false });
    const [f] = findOutdatedInRegion(scan({ snapshots: [archived] }), settings({ staleAfterDays: 20 }));
    expect(f.tier).toBe('archive');
    expect(f.warning).toMatch(/may incur an early-deletion charge/);
  });
});

describe('isHidden', () => {
  it('is not hidden when the snooze ended exactly now', () => {
    expect(isHidden('snap-1', {}, { now: NOW, hiddenUntil: new Map([['snap-1', NOW]]) })).toBe(false);
  });
});
