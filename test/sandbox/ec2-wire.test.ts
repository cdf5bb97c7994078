// Pins the query-parameter names the real SDK sends, which the sandbox parses; if an SDK upgrade
// changes them, this fails before the bot silently loses a filter or a permission change.
import {
  CreateSnapshotsCommand,
  DescribeImagesCommand,
  DescribeLaunchTemplateVersionsCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  RegisterImageCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startSandboxEc2, type SandboxEc2 } from '../../src/sandbox/ec2/index.js';
import { ec2 } from './helpers.js';

describe('sandbox EC2: the wire names the SDK uses', () => {
  let sandbox: SandboxEc2;
  let client: EC2Client;
  const lastParams = () => sandbox.calls.at(-1)!.params;

  beforeAll(async () => {
    sandbox = await startSandboxEc2({ seed: 'demo', snapshotSeconds: 0, imageSeconds: 0 });
    client = ec2(sandbox);
  });
  afterAll(async () => {
    client.destroy();
    await sandbox.stop();
  });

  it('CreateSnapshots', async () => {
    await client.send(
      new CreateSnapshotsCommand({
        InstanceSpecification: { InstanceId: DEMO.instances.db, ExcludeBootVolume: true },
        CopyTagsFromSource: 'volume',
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'k', Value: 'v' }] }],
      }),
    );
    expect(lastParams()).toEqual({
      'InstanceSpecification.InstanceId': DEMO.instances.db,
      'InstanceSpecification.ExcludeBootVolume': 'true',
      'TagSpecification.1.ResourceType': 'snapshot',
      'TagSpecification.1.Tag.1.Key': 'k',
      'TagSpecification.1.Tag.1.Value': 'v',
      CopyTagsFromSource: 'volume',
    });
  });

  it('sharing: both permission forms', async () => {
    await client.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: DEMO.snapshots.webRootDaily,
        Attribute: 'createVolumePermission',
        CreateVolumePermission: { Add: [{ UserId: '111122223333' }] },
      }),
    );
    expect(lastParams()).toMatchObject({ 'CreateVolumePermission.Add.1.UserId': '111122223333' });
    await client.send(
      new ModifySnapshotAttributeCommand({ SnapshotId: DEMO.snapshots.webRootDaily, OperationType: 'remove', UserIds: ['111122223333'] }),
    );
    expect(lastParams()).toMatchObject({ OperationType: 'remove', 'UserId.1': '111122223333' });
    expect(sandbox.state.getSnapshot('us-east-1', DEMO.snapshots.webRootDaily)!.sharedWith).toEqual([]);
    await client.send(new ModifyImageAttributeCommand({ ImageId: DEMO.images.legacyApp, LaunchPermission: { Add: [{ Group: 'all' }] } }));
    expect(lastParams()).toMatchObject({ 'LaunchPermission.Add.1.Group': 'all' });
  });

  it('DescribeImages, RegisterImage and launch template versions', async () => {
    await client.send(new DescribeImagesCommand({ Owners: ['self'], ExecutableUsers: ['all'], IncludeDisabled: true, MaxResults: 10 }));
    expect(lastParams()).toEqual({ 'Owner.1': 'self', 'ExecutableBy.1': 'all', IncludeDisabled: 'true', MaxResults: '10' });
    await client.send(
      new RegisterImageCommand({
        Name: 'wire',
        RootDeviceName: '/dev/xvda',
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: DEMO.snapshots.webRootDaily } }],
      }),
    );
    expect(lastParams()).toMatchObject({ 'BlockDeviceMapping.1.DeviceName': '/dev/xvda', 'BlockDeviceMapping.1.Ebs.SnapshotId': DEMO.snapshots.webRootDaily });
    await client.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: DEMO.launchTemplates.batchWorkers, Versions: ['$Default', '$Latest'] }));
    expect(lastParams()).toEqual({
      LaunchTemplateId: DEMO.launchTemplates.batchWorkers,
      'LaunchTemplateVersion.1': '$Default',
      'LaunchTemplateVersion.2': '$Latest',
    });
  });
});
