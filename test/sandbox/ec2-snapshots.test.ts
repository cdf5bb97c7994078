import {
  CopySnapshotCommand,
  CreateSnapshotCommand,
  CreateSnapshotsCommand,
  DeleteSnapshotCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  GetSnapshotBlockPublicAccessStateCommand,
  ModifySnapshotAttributeCommand,
  paginateDescribeSnapshots,
  waitUntilSnapshotCompleted,
  type EC2Client,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startSandboxEc2, type SandboxEc2 } from '../../src/sandbox/ec2/index.js';
import { ec2, failure, manualClock, waitFast } from './helpers.js';

const ID = /^snap-[0-9a-f]{17}$/;

describe('sandbox EC2: snapshots through the real SDK', () => {
  let sandbox: SandboxEc2;
  let client: EC2Client;

  beforeAll(async () => {
    sandbox = await startSandboxEc2({ seed: 'demo', snapshotSeconds: 0.2, imageSeconds: 0.3 });
    client = ec2(sandbox);
  });
  afterAll(async () => {
    client.destroy();
    await sandbox.stop();
  });

  it('creates a snapshot that goes from pending to completed', async () => {
    const created = await client.send(
      new CreateSnapshotCommand({
        VolumeId: DEMO.volumes.webRoot,
        Description: 'before deploy',
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'snapbot:requested-by', Value: 'U123' }] }],
      }),
    );
    expect(created.SnapshotId).toMatch(ID);
    expect(created.State).toBe('pending');
    expect(created.Progress).toMatch(/^\d{1,2}%$/);
    expect(created.VolumeSize).toBe(20);
    expect(created.StartTime).toBeInstanceOf(Date);
    expect(created.Tags).toEqual([{ Key: 'snapbot:requested-by', Value: 'U123' }]);

    const done = await waitUntilSnapshotCompleted({ client, ...waitFast }, { SnapshotIds: [created.SnapshotId!] });
    expect(done.state).toBe('SUCCESS');
    const { Snapshots } = await client.send(new DescribeSnapshotsCommand({ SnapshotIds: [created.SnapshotId!] }));
    expect(Snapshots).toHaveLength(1);
    expect(Snapshots![0]).toMatchObject({
      State: 'completed',
      Progress: '100%',
      VolumeId: DEMO.volumes.webRoot,
      Description: 'before deploy',
      OwnerId: '123456789012',
      Encrypted: false,
      StorageTier: 'standard',
    });
    expect(Snapshots![0].FullSnapshotSizeInBytes).toBeGreaterThan(0);
  });

  it('lists every snapshot exactly once through the paginator', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeSnapshots({ client, pageSize: 5 }, { OwnerIds: ['self'] })) {
      pages++;
      expect(page.Snapshots!.length).toBeLessThanOrEqual(5);
      seen.push(...page.Snapshots!.map((s) => s.SnapshotId!));
    }
    expect(pages).toBeGreaterThan(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(sandbox.state.region('us-east-1').snapshots.size);
    expect(seen).toContain(DEMO.snapshots.legacyFinal);
  });

  it('filters by volume, tag key and tag value', async () => {
    const byVolume = await client.send(
      new DescribeSnapshotsCommand({ Filters: [{ Name: 'volume-id', Values: [DEMO.volumes.dbData] }] }),
    );
    expect(byVolume.Snapshots!.map((s) => s.SnapshotId).sort()).toEqual(
      [DEMO.snapshots.dbBackupRecent, DEMO.snapshots.dbBackupOld].sort(),
    );
    const backup = await client.send(
      new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'tag-key', Values: ['aws:backup:source-resource'] }] }),
    );
    expect(backup.Snapshots).toHaveLength(2);
    const requested = await client.send(
      new DescribeSnapshotsCommand({ Filters: [{ Name: 'tag:snapbot:requested-by', Values: ['U0SANDBOXREQ'] }] }),
    );
    expect(requested.Snapshots!.map((s) => s.SnapshotId)).toEqual([DEMO.snapshots.requestedViaSnapbot]);
    const wildcard = await client.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'tag:Name', Values: ['web-1-root-*'] }] }));
    expect(wildcard.Snapshots!.length).toBe(2);
  });

  it('reports the demo account the way a user would see it', async () => {
    const { Snapshots } = await client.send(
      new DescribeSnapshotsCommand({
        SnapshotIds: [DEMO.snapshots.reportsArchive, DEMO.snapshots.dbBackupRecent, DEMO.snapshots.legacyFinal],
      }),
    );
    const byId = new Map(Snapshots!.map((s) => [s.SnapshotId, s] as [string, Snapshot]));
    expect(byId.get(DEMO.snapshots.reportsArchive)!.StorageTier).toBe('archive');
    expect(byId.get(DEMO.snapshots.dbBackupRecent)!.Encrypted).toBe(true);
    expect(byId.get(DEMO.snapshots.dbBackupRecent)!.KmsKeyId).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\//);
    const legacy = byId.get(DEMO.snapshots.legacyFinal)!;
    expect(Date.now() - legacy.StartTime!.getTime()).toBeGreaterThan(400 * 86_400_000);
    expect(legacy.FullSnapshotSizeInBytes).toBeUndefined();
    expect(sandbox.state.getVolume('us-east-1', legacy.VolumeId!)).toBeUndefined();
  });

  it('answers InvalidSnapshot.NotFound and the malformed-ID error as EC2 does', async () => {
    const missing = await failure(client.send(new DescribeSnapshotsCommand({ SnapshotIds: ['snap-0123456789abcdef0'] })));
    expect(missing).toMatchObject({ name: 'InvalidSnapshot.NotFound', message: "The snapshot 'snap-0123456789abcdef0' does not exist.", status: 400 });
    const malformed = await failure(client.send(new DeleteSnapshotCommand({ SnapshotId: 'snap-xyz' })));
    expect(malformed.name).toBe('InvalidSnapshotID.Malformed');
    const badFilter = await failure(client.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })));
    expect(badFilter).toMatchObject({ name: 'InvalidParameterValue', message: "The filter 'colour' is invalid" });
    const tooSmall = await failure(client.send(new DescribeSnapshotsCommand({ MaxResults: 2 })));
    expect(tooSmall.name).toBe('InvalidParameterValue');
  });

  it('refuses to delete a snapshot an AMI uses, even a disabled one', async () => {
    const inUse = await failure(client.send(new DeleteSnapshotCommand({ SnapshotId: DEMO.snapshots.webGoldenRoot })));
    expect(inUse).toMatchObject({
      name: 'InvalidSnapshot.InUse',
      message: `The snapshot ${DEMO.snapshots.webGoldenRoot} is currently in use by ${DEMO.images.webGolden}`,
    });
    const disabled = await failure(client.send(new DeleteSnapshotCommand({ SnapshotId: DEMO.snapshots.oldBatchData })));
    expect(disabled.message).toContain(DEMO.images.oldBatch);
    await client.send(new DeleteSnapshotCommand({ SnapshotId: DEMO.snapshots.buildRootStale }));
    const gone = await failure(client.send(new DescribeSnapshotsCommand({ SnapshotIds: [DEMO.snapshots.buildRootStale] })));
    expect(gone.name).toBe('InvalidSnapshot.NotFound');
  });

  it('snapshots all of an instance\'s volumes, copying their tags', async () => {
    const { Snapshots } = await client.send(
      new CreateSnapshotsCommand({
        InstanceSpecification: { InstanceId: DEMO.instances.db, ExcludeBootVolume: true },
        CopyTagsFromSource: 'volume',
        Description: 'db crash-consistent',
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'snapbot:request', Value: 'r1' }] }],
      }),
    );
    expect(Snapshots!.map((s) => s.VolumeId).sort()).toEqual([DEMO.volumes.dbData, DEMO.volumes.dbLogs].sort());
    for (const s of Snapshots!) {
      expect(s.State).toBe('pending');
      expect(s.Encrypted).toBe(true);
      expect(s.Tags).toEqual(expect.arrayContaining([{ Key: 'snapbot:request', Value: 'r1' }, { Key: 'Name', Value: expect.stringMatching(/^db-primary-/) }]));
    }
  });

  it('shares and unshares, refusing to make an encrypted snapshot public', async () => {
    const encrypted = await failure(
      client.send(
        new ModifySnapshotAttributeCommand({
          SnapshotId: DEMO.snapshots.dbBackupRecent,
          Attribute: 'createVolumePermission',
          CreateVolumePermission: { Add: [{ Group: 'all' }] },
        }),
      ),
    );
    expect(encrypted).toMatchObject({ name: 'OperationNotPermitted', message: 'Encrypted snapshots cannot be shared publicly.' });

    const id = DEMO.snapshots.webRootBeforeUpgrade;
    await client.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: id,
        Attribute: 'createVolumePermission',
        CreateVolumePermission: { Add: [{ Group: 'all' }, { UserId: '111122223333' }] },
      }),
    );
    let attr = await client.send(new DescribeSnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission' }));
    expect(attr.CreateVolumePermissions).toEqual([{ Group: 'all' }, { UserId: '111122223333' }]);
    const publicOnes = await client.send(new DescribeSnapshotsCommand({ RestorableByUserIds: ['all'], OwnerIds: ['self'] }));
    expect(publicOnes.Snapshots!.map((s) => s.SnapshotId).sort()).toEqual([DEMO.snapshots.publicDataset, id].sort());

    await client.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: id,
        Attribute: 'createVolumePermission',
        OperationType: 'remove',
        GroupNames: ['all'],
        UserIds: ['111122223333'],
      }),
    );
    attr = await client.send(new DescribeSnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission' }));
    expect(attr.CreateVolumePermissions).toEqual([]);
  });

  it('honours block public access for snapshots', async () => {
    const eu = ec2(sandbox, 'eu-west-1');
    try {
      sandbox.state.setBlockPublicAccess('eu-west-1', 'snapshot', 'block-all-sharing');
      const state = await eu.send(new GetSnapshotBlockPublicAccessStateCommand({}));
      expect(state.State).toBe('block-all-sharing');
      expect((await client.send(new GetSnapshotBlockPublicAccessStateCommand({}))).State).toBe('unblocked');
      const blocked = await failure(
        eu.send(
          new ModifySnapshotAttributeCommand({
            SnapshotId: DEMO.eu.weeklySnapshot,
            Attribute: 'createVolumePermission',
            CreateVolumePermission: { Add: [{ Group: 'all' }] },
          }),
        ),
      );
      expect(blocked.name).toBe('OperationNotPermitted');
      expect(blocked.message).toContain('block-all-sharing');
    } finally {
      eu.destroy();
    }
  });

  it('copies a snapshot into the region of the request, encrypting it', async () => {
    const eu = ec2(sandbox, 'eu-west-1');
    try {
      const copy = await eu.send(
        new CopySnapshotCommand({
          SourceRegion: 'us-east-1',
          SourceSnapshotId: DEMO.snapshots.webRootDaily,
          Encrypted: true,
          TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'Name', Value: 'dr-copy' }] }],
        }),
      );
      expect(copy.SnapshotId).toMatch(ID);
      expect(copy.Tags).toEqual([{ Key: 'Name', Value: 'dr-copy' }]);
      await waitUntilSnapshotCompleted({ client: eu, ...waitFast }, { SnapshotIds: [copy.SnapshotId!] });
      const { Snapshots } = await eu.send(new DescribeSnapshotsCommand({ SnapshotIds: [copy.SnapshotId!] }));
      expect(Snapshots![0]).toMatchObject({
        Encrypted: true,
        KmsKeyId: expect.stringContaining('arn:aws:kms:eu-west-1:123456789012:key/'),
        VolumeId: 'vol-ffffffff',
        VolumeSize: 20,
        Description: `[Copied ${DEMO.snapshots.webRootDaily} from us-east-1]`,
      });
      const notHome = await failure(client.send(new DescribeSnapshotsCommand({ SnapshotIds: [copy.SnapshotId!] })));
      expect(notHome.name).toBe('InvalidSnapshot.NotFound');
      const kmsAlone = await failure(
        eu.send(new CopySnapshotCommand({ SourceRegion: 'us-east-1', SourceSnapshotId: DEMO.snapshots.webRootDaily, KmsKeyId: 'alias/x' })),
      );
      expect(kmsAlone.name).toBe('InvalidParameterDependency');
    } finally {
      eu.destroy();
    }
  });
});

describe('sandbox EC2: progress follows the clock', () => {
  it('rises with time and can be filtered on', async () => {
    const clock = manualClock();
    const sandbox = await startSandboxEc2({ seed: 'none', now: clock.now, snapshotSeconds: 10 });
    const client = ec2(sandbox);
    try {
      const volume = sandbox.state.addVolume('us-east-1', { sizeGiB: 8 });
      const { SnapshotId } = await client.send(new CreateSnapshotCommand({ VolumeId: volume.id }));
      clock.advance(4.2);
      let [s] = (await client.send(new DescribeSnapshotsCommand({ SnapshotIds: [SnapshotId!] }))).Snapshots!;
      expect(s).toMatchObject({ State: 'pending', Progress: '42%' });
      const pending = await client.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'status', Values: ['pending'] }] }));
      expect(pending.Snapshots!.map((x) => x.SnapshotId)).toEqual([SnapshotId]);
      clock.advance(6);
      [s] = (await client.send(new DescribeSnapshotsCommand({ SnapshotIds: [SnapshotId!] }))).Snapshots!;
      expect(s).toMatchObject({ State: 'completed', Progress: '100%' });
    } finally {
      client.destroy();
      await sandbox.stop();
    }
  });
});
