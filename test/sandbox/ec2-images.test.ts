import {
  CopyImageCommand,
  CreateImageCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSnapshotsCommand,
  GetImageBlockPublicAccessStateCommand,
  ModifyImageAttributeCommand,
  RegisterImageCommand,
  RunInstancesCommand,
  paginateDescribeImages,
  waitUntilImageAvailable,
  waitUntilInstanceRunning,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startSandboxEc2, type SandboxEc2 } from '../../src/sandbox/ec2/index.js';
import { ec2, failure, waitFast } from './helpers.js';

const AMI = /^ami-[0-9a-f]{17}$/;

describe('sandbox EC2: AMIs and launch templates through the real SDK', () => {
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

  it('lists the account\'s AMIs, hiding disabled ones unless asked', async () => {
    const own = await client.send(new DescribeImagesCommand({ Owners: ['self'] }));
    const ids = own.Images!.map((i) => i.ImageId);
    expect(ids).toEqual(expect.arrayContaining([DEMO.images.webGolden, DEMO.images.legacyApp, DEMO.images.publicBase]));
    expect(ids).not.toContain(DEMO.images.oldBatch);

    const all = await client.send(new DescribeImagesCommand({ Owners: ['self'], IncludeDisabled: true, IncludeDeprecated: true }));
    const old = all.Images!.find((i) => i.ImageId === DEMO.images.oldBatch)!;
    expect(old.State).toBe('disabled');
    expect(Date.parse(old.DeprecationTime!)).toBeLessThan(Date.now());
    expect(old.BlockDeviceMappings!.map((b) => b.Ebs!.SnapshotId)).toEqual([DEMO.snapshots.oldBatchRoot, DEMO.snapshots.oldBatchData]);

    const golden = all.Images!.find((i) => i.ImageId === DEMO.images.webGolden)!;
    expect(golden).toMatchObject({ State: 'available', Public: false, Architecture: 'x86_64', RootDeviceName: '/dev/xvda', OwnerId: '123456789012' });
    expect(Date.now() - Date.parse(golden.LastLaunchedTime!)).toBeLessThan(2 * 86_400_000);
    expect(typeof golden.CreationDate).toBe('string');
    const legacy = all.Images!.find((i) => i.ImageId === DEMO.images.legacyApp)!;
    expect(Date.now() - Date.parse(legacy.LastLaunchedTime!)).toBeGreaterThan(199 * 86_400_000);

    const publicOnes = await client.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'is-public', Values: ['true'] }] }));
    expect(publicOnes.Images!.map((i) => i.ImageId)).toEqual([DEMO.images.publicBase]);
    const missing = await failure(client.send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] })));
    expect(missing).toMatchObject({ name: 'InvalidAMIID.NotFound', message: "The image id '[ami-0123456789abcdef0]' does not exist" });
    const malformed = await failure(client.send(new DescribeImagesCommand({ ImageIds: ['ami-nope'] })));
    expect(malformed.name).toBe('InvalidAMIID.Malformed');
  });

  it('pages AMIs', async () => {
    const ids: string[] = [];
    for await (const page of paginateDescribeImages({ client, pageSize: 1 }, { Owners: ['self'], IncludeDisabled: true })) {
      expect(page.Images!.length).toBeLessThanOrEqual(1);
      ids.push(...page.Images!.map((i) => i.ImageId!));
    }
    expect(ids.length).toBeGreaterThanOrEqual(4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('creates an AMI from an instance: one snapshot per volume, pending then available', async () => {
    const { ImageId } = await client.send(
      new CreateImageCommand({
        InstanceId: DEMO.instances.web1,
        Name: 'web-1 before deploy',
        Description: 'made by a test',
        NoReboot: true,
        TagSpecifications: [
          { ResourceType: 'image', Tags: [{ Key: 'snapbot:requested-by', Value: 'U1' }] },
          { ResourceType: 'snapshot', Tags: [{ Key: 'snapbot:request', Value: 'r9' }] },
        ],
      }),
    );
    expect(ImageId).toMatch(AMI);
    let [image] = (await client.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images!;
    expect(image.State).toBe('pending');
    expect(image.Tags).toEqual([{ Key: 'snapbot:requested-by', Value: 'U1' }]);
    expect(image.BlockDeviceMappings!.map((b) => b.DeviceName)).toEqual(['/dev/xvda', '/dev/sdf']);
    const snapshotIds = image.BlockDeviceMappings!.map((b) => b.Ebs!.SnapshotId!);
    const { Snapshots } = await client.send(new DescribeSnapshotsCommand({ SnapshotIds: snapshotIds }));
    expect(Snapshots!.map((s) => s.Description)).toEqual(snapshotIds.map(() => `Created by CreateImage(${DEMO.instances.web1}) for ${ImageId}`));
    expect(Snapshots!.every((s) => s.Tags?.some((t) => t.Key === 'snapbot:request'))).toBe(true);

    await waitUntilImageAvailable({ client, ...waitFast }, { ImageIds: [ImageId!] });
    [image] = (await client.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images!;
    expect(image.State).toBe('available');

    const duplicate = await failure(client.send(new CreateImageCommand({ InstanceId: DEMO.instances.web2, Name: 'web-1 before deploy' })));
    expect(duplicate).toMatchObject({ name: 'InvalidAMIName.Duplicate', message: `AMI name web-1 before deploy is already in use by AMI ${ImageId}` });
    const inUse = await failure(client.send(new DeleteSnapshotCommand({ SnapshotId: snapshotIds[0] })));
    expect(inUse.name).toBe('InvalidSnapshot.InUse');
  });

  it('registers an AMI from a snapshot, launches it and records the launch', async () => {
    const { ImageId } = await client.send(
      new RegisterImageCommand({
        Name: 'from-snapshot',
        Architecture: 'x86_64',
        RootDeviceName: '/dev/xvda',
        VirtualizationType: 'hvm',
        EnaSupport: true,
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: DEMO.snapshots.webRootDaily, VolumeType: 'gp3', DeleteOnTermination: true } }],
        TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'Name', Value: 'from-snapshot' }] }],
      }),
    );
    const [image] = (await client.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images!;
    expect(image).toMatchObject({ State: 'available', Name: 'from-snapshot', EnaSupport: true });
    expect(image.LastLaunchedTime).toBeUndefined();
    expect(image.BlockDeviceMappings![0].Ebs).toMatchObject({ SnapshotId: DEMO.snapshots.webRootDaily, VolumeSize: 20 });

    const reservation = await client.send(
      new RunInstancesCommand({
        ImageId,
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        SubnetId: 'subnet-0abc1234',
        KeyName: 'ops',
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'launched' }] }],
      }),
    );
    const [instance] = reservation.Instances!;
    expect(instance).toMatchObject({ ImageId, State: { Name: 'pending', Code: 0 }, InstanceType: 't3.micro', KeyName: 'ops' });
    expect(instance.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
    await waitUntilInstanceRunning({ client, ...waitFast }, { InstanceIds: [instance.InstanceId!] });
    const [running] = (await client.send(new DescribeInstancesCommand({ InstanceIds: [instance.InstanceId!] }))).Reservations![0].Instances!;
    expect(running.BlockDeviceMappings).toHaveLength(1);
    expect(running.Tags).toEqual([{ Key: 'Name', Value: 'launched' }]);
    const [launched] = (await client.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images!;
    expect(Date.now() - Date.parse(launched.LastLaunchedTime!)).toBeLessThan(60_000);

    const pendingAmi = await client.send(new CreateImageCommand({ InstanceId: DEMO.instances.web2, Name: 'still-pending' }));
    const cannotRun = await failure(client.send(new RunInstancesCommand({ ImageId: pendingAmi.ImageId, MinCount: 1, MaxCount: 1 })));
    expect(cannotRun.name).toBe('InvalidAMIID.Unavailable');
  });

  it('shares an AMI publicly and back, honouring block public access', async () => {
    const id = DEMO.images.legacyApp;
    await client.send(new ModifyImageAttributeCommand({ ImageId: id, LaunchPermission: { Add: [{ Group: 'all' }, { UserId: '111122223333' }] } }));
    let attr = await client.send(new DescribeImageAttributeCommand({ ImageId: id, Attribute: 'launchPermission' }));
    expect(attr.LaunchPermissions).toEqual([{ Group: 'all' }, { UserId: '111122223333' }]);
    expect((await client.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0].Public).toBe(true);
    await client.send(new ModifyImageAttributeCommand({ ImageId: id, LaunchPermission: { Remove: [{ Group: 'all' }, { UserId: '111122223333' }] } }));
    attr = await client.send(new DescribeImageAttributeCommand({ ImageId: id, Attribute: 'launchPermission' }));
    expect(attr.LaunchPermissions).toEqual([]);

    sandbox.state.setBlockPublicAccess('us-east-1', 'image', 'block-new-sharing');
    try {
      expect((await client.send(new GetImageBlockPublicAccessStateCommand({}))).ImageBlockPublicAccessState).toBe('block-new-sharing');
      const blocked = await failure(client.send(new ModifyImageAttributeCommand({ ImageId: id, LaunchPermission: { Add: [{ Group: 'all' }] } })));
      expect(blocked.name).toBe('OperationNotPermitted');
    } finally {
      sandbox.state.setBlockPublicAccess('us-east-1', 'image', 'unblocked');
    }
  });

  it('copies an AMI to another region with its tags and fresh snapshots there', async () => {
    const eu = ec2(sandbox, 'eu-west-1');
    try {
      const { ImageId } = await eu.send(
        new CopyImageCommand({ SourceRegion: 'us-east-1', SourceImageId: DEMO.images.webGolden, Name: 'web-golden-v42-dr', CopyImageTags: true, Encrypted: true }),
      );
      expect(ImageId).toMatch(AMI);
      await waitUntilImageAvailable({ client: eu, ...waitFast }, { ImageIds: [ImageId!] });
      const [copy] = (await eu.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images!;
      expect(copy).toMatchObject({ Name: 'web-golden-v42-dr', Tags: [{ Key: 'Name', Value: 'web-golden' }], SourceImageId: DEMO.images.webGolden, SourceImageRegion: 'us-east-1' });
      const snapshotId = copy.BlockDeviceMappings![0].Ebs!.SnapshotId!;
      expect(snapshotId).not.toBe(DEMO.snapshots.webGoldenRoot);
      const [s] = (await eu.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }))).Snapshots!;
      expect(s).toMatchObject({ State: 'completed', Encrypted: true, VolumeId: 'vol-ffffffff' });
      expect((await failure(client.send(new DescribeImagesCommand({ ImageIds: [ImageId!] })))).name).toBe('InvalidAMIID.NotFound');
    } finally {
      eu.destroy();
    }
  });

  it('deregisters an AMI and deletes its snapshots when asked', async () => {
    const id = DEMO.images.publicBase;
    const result = await client.send(new DeregisterImageCommand({ ImageId: id, DeleteAssociatedSnapshots: true }));
    expect(result.DeleteSnapshotResults).toEqual([{ SnapshotId: DEMO.snapshots.publicBaseRoot, ReturnCode: 'success' }]);
    expect((await failure(client.send(new DescribeImagesCommand({ ImageIds: [id] })))).name).toBe('InvalidAMIID.NotFound');
    expect((await failure(client.send(new DescribeSnapshotsCommand({ SnapshotIds: [DEMO.snapshots.publicBaseRoot] })))).name).toBe(
      'InvalidSnapshot.NotFound',
    );
    // Without the flag the snapshot stays, and is free to delete.
    await client.send(new DeregisterImageCommand({ ImageId: DEMO.images.legacyApp }));
    await client.send(new DeleteSnapshotCommand({ SnapshotId: DEMO.snapshots.legacyAppRoot }));
  });

  it('describes the launch template whose default version uses a snapshot', async () => {
    const { LaunchTemplates } = await client.send(new DescribeLaunchTemplatesCommand({}));
    expect(LaunchTemplates).toEqual([
      expect.objectContaining({ LaunchTemplateId: DEMO.launchTemplates.batchWorkers, LaunchTemplateName: 'batch-workers', DefaultVersionNumber: 2, LatestVersionNumber: 2 }),
    ]);
    const { LaunchTemplateVersions } = await client.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: DEMO.launchTemplates.batchWorkers, Versions: ['$Default'] }),
    );
    expect(LaunchTemplateVersions).toHaveLength(1);
    const [v] = LaunchTemplateVersions!;
    expect(v).toMatchObject({ VersionNumber: 2, DefaultVersion: true });
    expect(v.LaunchTemplateData!.ImageId).toBe(DEMO.images.webGolden);
    expect(v.LaunchTemplateData!.BlockDeviceMappings![0]).toMatchObject({
      DeviceName: '/dev/sdf',
      Ebs: expect.objectContaining({ SnapshotId: DEMO.snapshots.launchTemplateData, VolumeSize: 100 }),
    });
    const all = await client.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'batch-workers' }));
    expect(all.LaunchTemplateVersions!.map((x) => x.VersionNumber)).toEqual([1, 2]);
    const latestOfAll = await client.send(new DescribeLaunchTemplateVersionsCommand({ Versions: ['$Latest'] }));
    expect(latestOfAll.LaunchTemplateVersions).toHaveLength(1);
  });
});
