// Copies belong to their source's volume: the newest copy of a live volume in each other region is its off-region
// backup and never a candidate, whatever its age; older copies there are superseded; a copy of a copy follows the
// chain; a copy whose source cannot be told, or whose volume is gone, is judged by age as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ec2Gateway } from '../../src/aws/ec2/index.js';
import { loadConfig } from '../../src/config.js';
import { chainRoot, copyOrigin, judgeCopies } from '../../src/core/copies.js';
import { startSandboxEc2, type SandboxEc2 } from '../../src/sandbox/ec2/index.js';
import { everyFinding } from '../support/digest.js';

const DAY = 86_400_000;
const now = new Date('2026-06-01T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);
const HOME = 'us-east-1';
const DR = 'us-west-2';
const FAR = 'eu-west-1';
const config = loadConfig({ REGIONS: `${HOME},${DR},${FAR}`, STALE_AFTER_DAYS: '90', KEEP_PER_VOLUME: '1' }, 'sandbox');

const V = 'vol-0c000000000000001';
const SOURCE = 'snap-0c0000000000000a1';
const COPY_OLD = 'snap-0d0000000000000a1';
const COPY_NEWEST = 'snap-0d0000000000000a2';
const COPY_OF_COPY = 'snap-0e0000000000000a1';
const COPY_UNKNOWN = 'snap-0d0000000000000f1';
const COPY_GONE = 'snap-0d0000000000000f2';
const SOURCE_GONE = 'snap-0c0000000000000f2';

let sandbox: SandboxEc2;
let ec2: Ec2Gateway;

beforeAll(async () => {
  sandbox = await startSandboxEc2({ seed: 'none', now: () => now });
  const s = sandbox.state;
  s.addVolume(HOME, { id: V, availabilityZone: `${HOME}a`, sizeGiB: 50, type: 'gp3' });
  s.addSnapshot(HOME, { id: SOURCE, volumeId: V, volumeSizeGiB: 50, startTime: daysAgo(300), encrypted: true });
  s.addSnapshot(HOME, { id: 'snap-0c0000000000000a2', volumeId: V, volumeSizeGiB: 50, startTime: daysAgo(1), encrypted: true });
  // Two copies in the DR region, both past STALE_AFTER_DAYS: the newer is the volume's off-region backup.
  s.addSnapshot(DR, { id: COPY_OLD, volumeSizeGiB: 50, startTime: daysAgo(200), encrypted: true, description: `[Copied ${SOURCE} from ${HOME}]` });
  s.addSnapshot(DR, { id: COPY_NEWEST, volumeSizeGiB: 50, startTime: daysAgo(150), encrypted: true, tags: { 'snapbot:copy-of': `${HOME}/${SOURCE}` } });
  // Copied on from the DR region: its chain starts at the same volume.
  s.addSnapshot(FAR, { id: COPY_OF_COPY, volumeSizeGiB: 50, startTime: daysAgo(120), encrypted: true, description: `[Copied ${COPY_NEWEST} from ${DR}]` });
  // A copy that does not say where it came from, and one whose source's volume is gone.
  s.addSnapshot(DR, { id: COPY_UNKNOWN, volumeSizeGiB: 8, startTime: daysAgo(200), encrypted: true, description: 'hand-made' });
  s.addSnapshot(HOME, { id: SOURCE_GONE, volumeId: 'vol-0c0000000000000ff', volumeSizeGiB: 8, startTime: daysAgo(400), encrypted: true });
  s.addSnapshot(DR, { id: COPY_GONE, volumeSizeGiB: 8, startTime: daysAgo(200), encrypted: true, description: `[Copied ${SOURCE_GONE} from ${HOME}]` });
  ec2 = new Ec2Gateway({ endpoint: sandbox.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});

afterAll(async () => {
  ec2?.destroy();
  await sandbox?.stop();
});

describe('copies in the digest', () => {
  it('never offers the newest copy of a live volume in another region, and calls older ones there superseded', async () => {
    const findings = await everyFinding({ config, ec2, now });
    const of = (id: string) => findings.find((f) => f.id === id);
    expect(of(COPY_NEWEST)).toBeUndefined();
    expect(of(COPY_OF_COPY)).toBeUndefined();
    expect(of(COPY_OLD)?.deletable).toBe(true);
    expect(of(COPY_OLD)?.reasons.map((r) => r.rule)).toEqual(['superseded']);
    expect(of(COPY_OLD)?.reasons[0].text).toContain(V);
    // Judged as before: by age, "a copy that nothing uses".
    expect(of(COPY_UNKNOWN)?.reasons.map((r) => r.rule)).toEqual(['stale-copy']);
    expect(of(COPY_GONE)?.reasons.map((r) => r.rule)).toEqual(['stale-copy']);
  });
});

describe('copyOrigin and judgeCopies', () => {
  it("reads snapbot's tag, EC2's description and snapbot's older description; a snapshot of a volume is no copy", () => {
    expect(copyOrigin({ tags: { 'snapbot:copy-of': 'us-east-1/snap-0123456789abcdef0' } })).toEqual({ region: 'us-east-1', snapshotId: 'snap-0123456789abcdef0' });
    expect(copyOrigin({ tags: {}, description: '[Copied snap-0123456789abcdef0 from eu-central-1]' })).toEqual({ region: 'eu-central-1', snapshotId: 'snap-0123456789abcdef0' });
    expect(copyOrigin({ tags: {}, description: 'snapbot: copy of snap-0123456789abcdef0 from ap-south-1 — nightly' })).toEqual({ region: 'ap-south-1', snapshotId: 'snap-0123456789abcdef0' });
    expect(copyOrigin({ volumeId: 'vol-1', tags: {}, description: '[Copied snap-0123456789abcdef0 from eu-central-1]' })).toBeUndefined();
    expect(copyOrigin({ tags: {}, description: 'nothing to say' })).toBeUndefined();
  });

  it('keeps KEEP_PER_VOLUME newest completed copies per volume and region, and follows a loop no further than itself', () => {
    const copies = [1, 2, 3].map((n) => ({ id: `snap-c${n}`, region: 'us-west-2', startMs: n, completed: true, origin: { region: 'us-east-1', snapshotId: 'snap-root' } }));
    const j = judgeCopies(copies, new Map([['snap-root', { volumeId: 'vol-1', region: 'us-east-1' }]]), 2);
    expect([...j.kept.keys()].sort()).toEqual(['snap-c2', 'snap-c3']);
    expect([...j.superseded.keys()]).toEqual(['snap-c1']);
    const loop = new Map([
      ['snap-a', { id: 'snap-a', region: 'r', startMs: 0, completed: true, origin: { region: 'r', snapshotId: 'snap-b' } }],
      ['snap-b', { id: 'snap-b', region: 'r', startMs: 0, completed: true, origin: { region: 'r', snapshotId: 'snap-a' } }],
    ]);
    expect(chainRoot(loop.get('snap-a')!, loop).snapshotId).toBe('snap-a');
  });
});
