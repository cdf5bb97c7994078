import { estimateFullSize } from './actions/snapshots.js';
import { namedId, sequentialId } from './ids.js';
import { availabilityZones } from './regions.js';
import type { Ec2State, Tags } from './state.js';

const DAY_MS = 86_400_000;

const vol = (name: string) => namedId('vol', name);
const snap = (name: string) => namedId('snap', name);
const ami = (name: string) => namedId('ami', name);
const inst = (name: string) => namedId('i', name);

/** IDs of the demo account's notable resources, stable across runs so tests and docs can name them. */
export const DEMO = {
  region: 'us-east-1',
  /** A second account snapbot manages (ACCOUNTS=dev=…), reached through STS AssumeRole of its snapbot role. */
  devAccountId: '222233334444',
  devAccount: {
    volumes: { apiRoot: vol('dev-api-root'), apiData: vol('dev-api-data') },
    instances: { api: inst('dev-api') },
    snapshots: { apiDaily: snap('dev-api-data-daily'), oldMigration: snap('dev-migration-2025'), publicFixture: snap('dev-public-fixture') },
    /** Bundled in S3 and registered by hand, as seed 004 does: instance store-backed, no EBS snapshots. */
    images: { s3Bundle: ami('dev-legacy-web-2019-s3') },
  },
  otherRegion: 'eu-west-1',
  requesterUserId: 'U0SANDBOXREQ',
  partnerAccountId: '210987654321',
  /** Someone else's lifecycle policy: the db logs volume's daily backups. */
  dlmPolicyId: 'policy-0a1b2c3d4e5f67890',
  volumes: {
    webRoot: vol('web-1-root'),
    webData: vol('web-1-data'),
    web2Root: vol('web-2-root'),
    dbRoot: vol('db-primary-root'),
    dbData: vol('db-primary-data'),
    dbLogs: vol('db-primary-logs'),
    buildRoot: vol('build-runner-root'),
    /** Unattached, restored from a snapshot and forgotten. */
    scratch: vol('scratch-restore'),
    /** Unattached, old-generation st1. */
    oldReports: vol('old-reports'),
    /** Deleted long ago; only its snapshots remain. */
    goneLegacyRoot: vol('legacy-app-root'),
    goneReports2023: vol('reports-2023'),
  },
  instances: {
    web1: inst('web-1'),
    web2: inst('web-2'),
    db: inst('db-primary'),
    /** Stopped. */
    build: inst('build-runner'),
  },
  snapshots: {
    webRootDaily: snap('web-1-root-daily'),
    webRootBeforeUpgrade: snap('web-1-root-45d'),
    webDataQuarterly: snap('web-1-data-120d'),
    /** Shared with DEMO.partnerAccountId. */
    webDataPartnerExport: snap('web-1-data-partner'),
    /** AWS Backup-managed (tag aws:backup:source-resource). */
    dbBackupRecent: snap('db-backup-1d'),
    dbBackupOld: snap('db-backup-35d'),
    /** Data Lifecycle Manager (tag aws:dlm:lifecycle-policy-id). */
    dbLogsDlm: snap('db-logs-dlm'),
    /** Still pending when the sandbox starts. */
    dbRootInProgress: snap('db-root-in-progress'),
    /** 420 days old, source volume gone, unencrypted. */
    legacyFinal: snap('legacy-final-420d'),
    /** Archive tier, source volume gone. */
    reportsArchive: snap('reports-2023-archive'),
    /** Public, unencrypted. */
    publicDataset: snap('public-dataset'),
    /** Created through snapbot by DEMO.requesterUserId. */
    requestedViaSnapbot: snap('web-2-root-snapbot'),
    buildRootStale: snap('build-root-130d'),
    /** Root of AMI webGolden. */
    webGoldenRoot: snap('ami-web-golden-root'),
    /** Root of AMI legacyApp (not launched for 200 days). */
    legacyAppRoot: snap('ami-legacy-app-root'),
    publicBaseRoot: snap('ami-public-base-root'),
    /** Used by the disabled, deprecated AMI oldBatch: still "in use". */
    oldBatchRoot: snap('ami-old-batch-root'),
    oldBatchData: snap('ami-old-batch-data'),
    /** Referenced only by the launch template's default version. */
    launchTemplateData: snap('lt-batch-data'),
  },
  images: {
    /** Launched yesterday. */
    webGolden: ami('web-golden-v42'),
    /** Last launched 200 days ago. */
    legacyApp: ami('legacy-app-v7'),
    /** Public. */
    publicBase: ami('demo-public-base'),
    /** Disabled and deprecated. */
    oldBatch: ami('batch-worker-2024'),
    /** An Amazon-owned AMI the db instance runs; not in the account. */
    amazonLinuxArm: ami('al2023-arm64-amazon'),
  },
  launchTemplates: {
    batchWorkers: namedId('lt', 'batch-workers'),
  },
  eu: {
    instance: inst('eu-web-1'),
    volume: vol('eu-web-1-root'),
    weeklySnapshot: snap('eu-web-1-root-weekly'),
    copiedSnapshot: snap('eu-copy-of-web-golden'),
    imageRoot: snap('eu-ami-root'),
    image: ami('web-golden-v40-eu'),
  },
} as const;

/** A believable small account: mostly us-east-1, a little eu-west-1. */
export function seedDemo(state: Ec2State): void {
  const now = state.now();
  const ago = (days: number) => new Date(now - days * DAY_MS);
  const account = state.accountId;
  const cmk = `arn:aws:kms:us-east-1:${account}:key/0f3c5a2e-7d41-4b8e-9a6c-2b1d8e4f7a90`;
  const R = DEMO.region;
  const V = DEMO.volumes;
  const S = DEMO.snapshots;
  const I = DEMO.images;
  const name = (n: string): Tags => ({ Name: n });

  const volume = (id: string, n: string, az: string, sizeGiB: number, type: string, extra: { iops?: number; kmsKeyId?: string; encrypted?: boolean; snapshotId?: string } = {}) =>
    state.addVolume(R, { id, availabilityZone: `us-east-1${az}`, sizeGiB, type, createTime: ago(300), tags: name(n), ...extra });
  volume(V.webRoot, 'web-1-root', 'a', 20, 'gp3');
  volume(V.webData, 'web-1-data', 'a', 100, 'gp3');
  volume(V.web2Root, 'web-2-root', 'b', 20, 'gp3');
  volume(V.dbRoot, 'db-primary-root', 'a', 30, 'gp3', { encrypted: true });
  volume(V.dbData, 'db-primary-data', 'a', 500, 'io2', { iops: 8000, kmsKeyId: cmk });
  volume(V.dbLogs, 'db-primary-logs', 'a', 50, 'gp3', { kmsKeyId: cmk });
  state.getVolume(R, V.dbLogs)!.tags.Backup = 'dlm-daily';
  volume(V.buildRoot, 'build-runner-root', 'c', 40, 'gp2');
  volume(V.scratch, 'scratch-restore', 'b', 100, 'gp3', { snapshotId: S.webDataQuarterly });
  volume(V.oldReports, 'old-reports', 'a', 500, 'st1');

  const instance = (id: string, n: string, az: string, type: string, imageId: string, volumes: [string, string][], extra: { state?: 'stopped'; architecture?: string } = {}) =>
    state.addInstance(R, {
      id,
      availabilityZone: `us-east-1${az}`,
      type,
      imageId,
      launchTime: ago(20),
      rootDeviceName: '/dev/xvda',
      volumes: volumes.map(([volumeId, device]) => ({ volumeId, device })),
      tags: name(n),
      keyName: 'ops-2026',
      ...extra,
    });
  instance(DEMO.instances.web1, 'web-1', 'a', 't3.medium', I.webGolden, [[V.webRoot, '/dev/xvda'], [V.webData, '/dev/sdf']]);
  instance(DEMO.instances.web2, 'web-2', 'b', 't3.medium', I.webGolden, [[V.web2Root, '/dev/xvda']]);
  instance(DEMO.instances.db, 'db-primary', 'a', 'r6g.large', I.amazonLinuxArm, [[V.dbRoot, '/dev/xvda'], [V.dbData, '/dev/sdf'], [V.dbLogs, '/dev/sdg']], {
    architecture: 'arm64',
  });
  instance(DEMO.instances.build, 'build-runner', 'c', 'c6i.xlarge', I.legacyApp, [[V.buildRoot, '/dev/xvda']], { state: 'stopped' });

  const snapshot = (id: string, volumeId: string, days: number, sizeGiB: number, description: string, extra: Parameters<Ec2State['addSnapshot']>[1] = {}) => {
    const s = state.addSnapshot(R, { id, volumeId, volumeSizeGiB: sizeGiB, startTime: ago(days), durationSeconds: 600, description, ...extra });
    if (extra.fullSizeBytes === undefined && !('fullSizeBytes' in extra)) s.fullSizeBytes = estimateFullSize(id, sizeGiB);
    return s;
  };
  const backupTags = (volumeId: string): Tags => ({
    'aws:backup:source-resource': `arn:aws:ec2:us-east-1:${account}:volume/${volumeId}`,
    Name: 'db-primary-data',
  });
  // Fast snapshot restore left on after an incident drill: a cost the digest lists to turn off.
  snapshot(S.webRootDaily, V.webRoot, 3, 20, 'Daily backup web-1-root', { tags: name('web-1-root-daily'), fastRestoreZones: ['us-east-1a'] });
  snapshot(S.webRootBeforeUpgrade, V.webRoot, 45, 20, 'web-1-root before kernel upgrade', { tags: name('web-1-root-pre-upgrade') });
  snapshot(S.webDataQuarterly, V.webData, 120, 100, 'web-1-data quarterly');
  snapshot(S.webDataPartnerExport, V.webData, 60, 100, 'web-1-data export for partner', { sharedWith: [DEMO.partnerAccountId] });
  snapshot(S.dbBackupRecent, V.dbData, 1, 500, 'This snapshot is created by the AWS Backup service.', { kmsKeyId: cmk, tags: backupTags(V.dbData) });
  snapshot(S.dbBackupOld, V.dbData, 35, 500, 'This snapshot is created by the AWS Backup service.', { kmsKeyId: cmk, tags: backupTags(V.dbData) });
  snapshot(S.dbLogsDlm, V.dbLogs, 7, 50, 'Created for policy: policy-0a1b2c3d4e5f67890 schedule: Daily', {
    kmsKeyId: cmk,
    tags: { 'aws:dlm:lifecycle-policy-id': 'policy-0a1b2c3d4e5f67890', 'dlm:managed': 'true', Name: 'db-primary-logs-dlm' },
  });
  // The policy behind that snapshot (someone else's, made in the console), and the Recycle Bin's rules: deleted
  // snapshots wait 7 days, deregistered AMIs 3, so a deletion in the sandbox can be undone.
  const r = state.region(R);
  r.dlmPolicies.set(DEMO.dlmPolicyId, {
    id: DEMO.dlmPolicyId,
    arn: `arn:aws:dlm:${R}:${account}:policy/${DEMO.dlmPolicyId}`,
    description: 'Daily backups of the db logs volume',
    state: 'ENABLED',
    executionRoleArn: `arn:aws:iam::${account}:role/AWSDataLifecycleManagerDefaultRole`,
    createdMs: now - 200 * DAY_MS,
    modifiedMs: now - 200 * DAY_MS,
    details: {
      PolicyType: 'EBS_SNAPSHOT_MANAGEMENT',
      ResourceTypes: ['VOLUME'],
      TargetTags: [{ Key: 'Backup', Value: 'dlm-daily' }],
      Schedules: [{ Name: 'Daily', CopyTags: true, CreateRule: { Interval: 24, IntervalUnit: 'HOURS', Times: ['03:00'] }, RetainRule: { Count: 7 } }],
    },
    tags: {},
    // It has run up to now: the sandbox's own runner carries on from here.
    lastRunMs: { Daily: now },
  });
  for (const [id, type, days] of [['demo-snapshots', 'EBS_SNAPSHOT', 7], ['demo-amis', 'EC2_IMAGE', 3]] as const) {
    r.rbinRules.set(id, {
      id,
      arn: `arn:aws:rbin:${R}:${account}:rule/${id}`,
      resourceType: type,
      description: type === 'EBS_SNAPSHOT' ? 'all snapshots, 7 days' : 'all AMIs, 3 days',
      retentionDays: days,
      resourceTags: [],
      excludeTags: [],
      tags: {},
    });
  }
  state.addSnapshot(R, {
    id: S.dbRootInProgress,
    volumeId: V.dbRoot,
    volumeSizeGiB: 30,
    state: 'pending',
    description: 'db-primary-root pre-upgrade',
    encrypted: true,
    tags: name('db-primary-root-pre-upgrade'),
  });
  snapshot(S.legacyFinal, V.goneLegacyRoot, 420, 30, 'legacy-app final snapshot before decommission', {
    tags: name('legacy-app-root-final'),
    fullSizeBytes: undefined,
  });
  snapshot(S.reportsArchive, V.goneReports2023, 760, 500, 'FY2023 year-end reports archive', { storageTier: 'archive', fullSizeBytes: undefined });
  snapshot(S.publicDataset, V.oldReports, 200, 500, 'Public sample dataset (shared)', { public: true, tags: name('public-dataset') });
  snapshot(S.requestedViaSnapbot, V.web2Root, 5, 20, 'web-2-root before deploy', {
    tags: {
      Name: 'web-2-root before deploy',
      'snapbot:requested-by': DEMO.requesterUserId,
      'snapbot:channel': 'C0SANDBOX01',
      'snapbot:request': 'req-sandbox-0001',
    },
  });
  snapshot(S.buildRootStale, V.buildRoot, 130, 40, 'build-runner root');
  snapshot(S.webGoldenRoot, V.webRoot, 30, 20, `Created by CreateImage(${DEMO.instances.web1}) for ${I.webGolden}`);
  snapshot(S.legacyAppRoot, V.goneLegacyRoot, 250, 30, `Created by CreateImage(i-0legacy0000000001) for ${I.legacyApp}`);
  snapshot(S.publicBaseRoot, vol('demo-base-build'), 90, 8, `Created by CreateImage(i-0demobase00000001) for ${I.publicBase}`);
  snapshot(S.oldBatchRoot, vol('batch-2024-root'), 500, 16, `Created by CreateImage(i-0batch20240000001) for ${I.oldBatch}`);
  snapshot(S.oldBatchData, vol('batch-2024-data'), 500, 100, `Created by CreateImage(i-0batch20240000001) for ${I.oldBatch}`);
  snapshot(S.launchTemplateData, vol('batch-data-seed'), 60, 100, 'batch worker seed data', { tags: name('batch-seed-data') });

  const root = (snapshotId: string, sizeGiB: number, device = '/dev/xvda') => ({
    device,
    snapshotId,
    volumeSizeGiB: sizeGiB,
    volumeType: 'gp3',
    deleteOnTermination: true,
    encrypted: false,
  });
  state.addImage(R, {
    id: I.webGolden,
    name: 'web-golden-v42',
    description: 'Web tier golden image',
    creationDate: ago(30),
    lastLaunchedTime: ago(1),
    blockDevices: [root(S.webGoldenRoot, 20)],
    tags: name('web-golden'),
    sourceInstanceId: DEMO.instances.web1,
  });
  state.addImage(R, {
    id: I.legacyApp,
    name: 'legacy-app-v7',
    description: 'Legacy app server',
    creationDate: ago(250),
    lastLaunchedTime: ago(200),
    blockDevices: [root(S.legacyAppRoot, 30)],
    tags: name('legacy-app'),
  });
  state.addImage(R, {
    id: I.publicBase,
    name: 'demo-public-base',
    description: 'Public base image for workshops',
    creationDate: ago(90),
    lastLaunchedTime: ago(10),
    public: true,
    blockDevices: [root(S.publicBaseRoot, 8)],
  });
  state.addImage(R, {
    id: I.oldBatch,
    name: 'batch-worker-2024',
    description: 'Batch worker (retired)',
    creationDate: ago(500),
    lastLaunchedTime: ago(400),
    deprecationTime: ago(100),
    state: 'disabled',
    blockDevices: [root(S.oldBatchRoot, 16), root(S.oldBatchData, 100, '/dev/sdf')],
    tags: name('batch-worker'),
  });
  state.addLaunchTemplate(R, {
    id: DEMO.launchTemplates.batchWorkers,
    name: 'batch-workers',
    createTime: ago(150),
    defaultVersion: 2,
    versions: [
      { description: 'initial', imageId: I.legacyApp, instanceType: 't3.large' },
      {
        description: 'golden image + seed data',
        imageId: I.webGolden,
        instanceType: 'm6i.large',
        blockDevices: [{ device: '/dev/sdf', snapshotId: S.launchTemplateData, volumeSizeGiB: 100, volumeType: 'gp3', deleteOnTermination: true }],
      },
    ],
    tags: name('batch-workers'),
  });

  const E = DEMO.eu;
  const EU = DEMO.otherRegion;
  state.addVolume(EU, { id: E.volume, availabilityZone: 'eu-west-1a', sizeGiB: 20, type: 'gp3', createTime: ago(200), tags: name('eu-web-1-root') });
  state.addInstance(EU, {
    id: E.instance,
    availabilityZone: 'eu-west-1a',
    type: 't3.small',
    imageId: E.image,
    launchTime: ago(190),
    volumes: [{ volumeId: E.volume, device: '/dev/xvda' }],
    tags: name('eu-web-1'),
  });
  const euSnapshot = (id: string, volumeId: string, days: number, description: string, tags: Tags = {}) => {
    const s = state.addSnapshot(EU, { id, volumeId, volumeSizeGiB: 20, startTime: ago(days), durationSeconds: 600, description, tags });
    s.fullSizeBytes = estimateFullSize(id, 20);
  };
  euSnapshot(E.weeklySnapshot, E.volume, 15, 'Weekly backup eu-web-1-root', name('eu-web-1-root-weekly'));
  euSnapshot(E.copiedSnapshot, 'vol-ffffffff', 200, `[Copied ${S.webGoldenRoot} from us-east-1]`);
  euSnapshot(E.imageRoot, 'vol-ffffffff', 200, `Copied for DestinationAmi ${E.image} from SourceAmi ${I.webGolden}`);
  state.addImage(EU, {
    id: E.image,
    name: 'web-golden-v40-eu',
    creationDate: ago(200),
    lastLaunchedTime: ago(190),
    blockDevices: [root(E.imageRoot, 20)],
    sourceImageId: I.webGolden,
    sourceImageRegion: 'us-east-1',
  });
}

export interface SyntheticSeed {
  snapshots: number;
  images: number;
  volumes: number;
  /** Spread evenly over these; default us-east-1. */
  regions?: string[];
}

/** mulberry32: a tiny deterministic PRNG, so a synthetic account is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SIZES = [8, 20, 30, 50, 100, 200, 500, 1000];
const APPS = ['web', 'api', 'db', 'cache', 'batch', 'etl', 'search', 'ml', 'queue', 'auth'];

/**
 * A large account for benchmarks: volumes in pairs on instances (40 %) or loose, snapshots of
 * live and deleted volumes over two years, AMIs holding the newest snapshots.
 */
export function seedSynthetic(state: Ec2State, seed: SyntheticSeed): void {
  const regions = seed.regions?.length ? seed.regions : ['us-east-1'];
  const now = state.now();
  const share = (total: number, index: number) => Math.floor(total / regions.length) + (index < total % regions.length ? 1 : 0);
  regions.forEach((region, ri) => {
    const rand = prng(0x5eed + ri);
    const zones = availabilityZones(region);
    const nVolumes = share(seed.volumes, ri);
    const nSnapshots = share(seed.snapshots, ri);
    const nImages = share(seed.images, ri);
    const stream = ri * 8;
    const volumeIds: string[] = new Array(nVolumes);
    const attached = Math.floor((nVolumes * 0.4) / 2) * 2;
    for (let k = 0; k < nVolumes; k++) {
      const pair = k >> 1;
      const app = APPS[pair % APPS.length];
      const encrypted = rand() < 0.6;
      const v = state.addVolume(region, {
        id: sequentialId('vol', stream, k),
        availabilityZone: zones[(k < attached ? pair : k) % zones.length],
        sizeGiB: SIZES[Math.floor(rand() * SIZES.length)],
        type: rand() < 0.85 ? 'gp3' : 'gp2',
        encrypted,
        createTime: new Date(now - Math.floor(rand() * 900) * DAY_MS),
        tags: rand() < 0.9 ? { Name: `${app}-${pair}-${k % 2 ? 'data' : 'root'}` } : {},
      });
      volumeIds[k] = v.id;
    }
    for (let pair = 0; pair < attached / 2; pair++) {
      state.addInstance(region, {
        id: sequentialId('i', stream + 1, pair),
        reservationId: sequentialId('r', stream + 1, pair),
        availabilityZone: zones[pair % zones.length],
        type: rand() < 0.5 ? 't3.medium' : 'm6i.large',
        state: rand() < 0.85 ? 'running' : 'stopped',
        launchTime: new Date(now - Math.floor(rand() * 400) * DAY_MS),
        volumes: [
          { volumeId: volumeIds[2 * pair], device: '/dev/xvda' },
          { volumeId: volumeIds[2 * pair + 1], device: '/dev/sdf' },
        ],
        tags: { Name: `${APPS[pair % APPS.length]}-${pair}` },
      });
    }
    const snapshotIds: string[] = new Array(nSnapshots);
    for (let k = 0; k < nSnapshots; k++) {
      const live = nVolumes > 0 && rand() < 0.7;
      const volumeId = live ? volumeIds[k % nVolumes] : sequentialId('vol', stream + 2, k);
      const volume = live ? state.getVolume(region, volumeId) : undefined;
      const size = volume?.sizeGiB ?? SIZES[Math.floor(rand() * SIZES.length)];
      const roll = rand();
      const tags: Tags = {};
      if (roll < 0.2) tags['aws:backup:source-resource'] = `arn:aws:ec2:${region}:${state.accountId}:volume/${volumeId}`;
      else if (roll < 0.25) tags['aws:dlm:lifecycle-policy-id'] = 'policy-0123456789abcdef0';
      else if (roll < 0.27) tags['snapbot:requested-by'] = `U0SYNTH${(k % 97).toString().padStart(4, '0')}`;
      if (rand() < 0.3) tags.Name = `${volume?.tags.Name ?? 'gone'}-snap-${k}`;
      const id = sequentialId('snap', stream + 3, k);
      const encrypted = volume ? volume.encrypted : rand() < 0.5;
      snapshotIds[k] = state.addSnapshot(region, {
        id,
        volumeId,
        volumeSizeGiB: size,
        startTime: new Date(now - Math.floor(rand() * 800 * 24) * 3_600_000),
        durationSeconds: 300,
        description: roll < 0.2 ? 'This snapshot is created by the AWS Backup service.' : `snapshot ${k}`,
        encrypted,
        storageTier: rand() < 0.03 ? 'archive' : 'standard',
        fullSizeBytes: rand() < 0.8 ? estimateFullSize(id, size) : undefined,
        public: !encrypted && rand() < 0.003,
        tags,
      }).id;
    }
    // AMIs take the newest snapshots, one or two each, so no snapshot backs two AMIs.
    let next = nSnapshots - 1;
    for (let m = 0; m < nImages && next >= 0; m++) {
      const devices = [{ device: '/dev/xvda', snapshotId: snapshotIds[next--] }];
      if (m % 3 === 0 && next >= 0) devices.push({ device: '/dev/sdf', snapshotId: snapshotIds[next--] });
      const roll = rand();
      const created = now - Math.floor(rand() * 700) * DAY_MS;
      const launched = rand();
      state.addImage(region, {
        id: sequentialId('ami', stream + 4, m),
        name: `${APPS[m % APPS.length]}-image-${region}-${m}`,
        creationDate: new Date(created),
        state: roll < 0.03 ? 'disabled' : 'available',
        deprecationTime: roll < 0.08 ? new Date(now - Math.floor(rand() * 100) * DAY_MS) : undefined,
        lastLaunchedTime:
          launched < 0.6
            ? new Date(now - Math.floor(rand() * 30) * DAY_MS)
            : launched < 0.9
              ? new Date(Math.max(created, now - Math.floor(rand() * 400) * DAY_MS))
              : undefined,
        public: rand() < 0.01,
        blockDevices: devices.map((d) => ({
          ...d,
          volumeSizeGiB: state.getSnapshot(region, d.snapshotId)!.volumeSizeGiB,
          volumeType: 'gp3',
          deleteOnTermination: true,
          encrypted: state.getSnapshot(region, d.snapshotId)!.encrypted,
        })),
      });
    }
    const templates = Math.max(nImages > 0 ? 1 : 0, Math.floor(nImages / 1000));
    for (let t = 0; t < templates && t < nSnapshots; t++) {
      state.addLaunchTemplate(region, {
        id: sequentialId('lt', stream + 5, t),
        name: `synthetic-template-${t}`,
        versions: [{ imageId: sequentialId('ami', stream + 4, t), instanceType: 'm6i.large', blockDevices: [{ device: '/dev/sdf', snapshotId: snapshotIds[t], volumeSizeGiB: 100, volumeType: 'gp3' }] }],
      });
    }
  });
}

/** The dev account of the sandbox: a small team account with one instance, a fresh backup, an orphan and an exposure. */
export function seedDevAccount(state: Ec2State): void {
  const now = state.now();
  const ago = (days: number) => new Date(now - days * DAY_MS);
  const R = DEMO.region;
  const { volumes: V, instances: I, snapshots: S } = DEMO.devAccount;
  state.addVolume(R, { id: V.apiRoot, availabilityZone: 'us-east-1a', sizeGiB: 20, type: 'gp3', createTime: ago(90), tags: { Name: 'dev-api-root' } });
  state.addVolume(R, { id: V.apiData, availabilityZone: 'us-east-1a', sizeGiB: 50, type: 'gp3', createTime: ago(90), tags: { Name: 'dev-api-data' } });
  state.addInstance(R, {
    id: I.api,
    availabilityZone: 'us-east-1a',
    type: 't3.small',
    imageId: ami('dev-api-base'),
    launchTime: ago(30),
    rootDeviceName: '/dev/xvda',
    volumes: [
      { volumeId: V.apiRoot, device: '/dev/xvda' },
      { volumeId: V.apiData, device: '/dev/sdf' },
    ],
    tags: { Name: 'dev-api' },
  });
  const snapshot = (id: string, volumeId: string, days: number, sizeGiB: number, description: string, extra: Parameters<Ec2State['addSnapshot']>[1] = {}) => {
    const s = state.addSnapshot(R, { id, volumeId, volumeSizeGiB: sizeGiB, startTime: ago(days), durationSeconds: 300, description, ...extra });
    s.fullSizeBytes = estimateFullSize(id, sizeGiB);
  };
  snapshot(S.apiDaily, V.apiData, 1, 50, 'dev-api-data daily', { tags: { Name: 'dev-api-data-daily' } });
  snapshot(S.oldMigration, vol('dev-migration-scratch'), 240, 100, 'scratch volume before the 2025 migration', { tags: { Name: 'dev-migration-2025' } });
  snapshot(S.publicFixture, V.apiData, 150, 50, 'test fixture someone made public', { public: true, tags: { Name: 'dev-public-fixture' } });
  state.addImage(R, {
    id: DEMO.devAccount.images.s3Bundle,
    name: 'legacy-web-2019 (instance store)',
    description: 'ec2-bundle-vol of legacy-web, uploaded with ec2-upload-bundle',
    creationDate: ago(600),
    lastLaunchedTime: ago(400),
    rootDeviceName: '/dev/sda1',
    virtualizationType: 'paravirtual',
    instanceStoreManifest: 'acme-dev-ami-bundles/legacy-web-2019/image.manifest.xml',
    tags: { Name: 'legacy-web-2019' },
  });
}
