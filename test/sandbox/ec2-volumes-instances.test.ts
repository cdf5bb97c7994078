import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  paginateDescribeInstances,
  paginateDescribeVolumes,
  waitUntilVolumeAvailable,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startSandboxEc2, type SandboxEc2 } from '../../src/sandbox/ec2/index.js';
import { ec2, failure, waitFast } from './helpers.js';

describe('sandbox EC2: volumes and instances through the real SDK', () => {
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

  it('describes the demo volumes with Name tags, attachments and states', async () => {
    const { Volumes } = await client.send(new DescribeVolumesCommand({ VolumeIds: [DEMO.volumes.webRoot, DEMO.volumes.scratch] }));
    const [web, scratch] = Volumes!;
    expect(web).toMatchObject({
      VolumeId: DEMO.volumes.webRoot,
      State: 'in-use',
      Size: 20,
      VolumeType: 'gp3',
      AvailabilityZone: 'us-east-1a',
      SnapshotId: '',
      Tags: [{ Key: 'Name', Value: 'web-1-root' }],
    });
    expect(web.Attachments).toEqual([
      expect.objectContaining({ InstanceId: DEMO.instances.web1, Device: '/dev/xvda', State: 'attached', DeleteOnTermination: true }),
    ]);
    expect(scratch).toMatchObject({ State: 'available', Attachments: [], SnapshotId: DEMO.snapshots.webDataQuarterly });

    const unattached = await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'status', Values: ['available'] }] }));
    expect(unattached.Volumes!.map((v) => v.VolumeId).sort()).toEqual([DEMO.volumes.scratch, DEMO.volumes.oldReports].sort());
    const onDb = await client.send(
      new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [DEMO.instances.db] }] }),
    );
    expect(onDb.Volumes).toHaveLength(3);
  });

  it('pages volumes and refuses IDs together with MaxResults, as EC2 does', async () => {
    const ids: string[] = [];
    for await (const page of paginateDescribeVolumes({ client, pageSize: 5 }, {})) ids.push(...page.Volumes!.map((v) => v.VolumeId!));
    expect(ids).toHaveLength(9);
    const combined = await failure(client.send(new DescribeVolumesCommand({ VolumeIds: [DEMO.volumes.webRoot], MaxResults: 5 })));
    expect(combined.name).toBe('InvalidParameterCombination');
    const missing = await failure(client.send(new DescribeVolumesCommand({ VolumeIds: ['vol-0123456789abcdef0'] })));
    expect(missing).toMatchObject({ name: 'InvalidVolume.NotFound', message: "The volume 'vol-0123456789abcdef0' does not exist." });
  });

  it('rejects restore parameters the way EC2 does', async () => {
    const snapshotId = DEMO.snapshots.webDataQuarterly; // 100 GiB
    const small = await failure(client.send(new CreateVolumeCommand({ SnapshotId: snapshotId, AvailabilityZone: 'us-east-1a', Size: 50 })));
    expect(small).toMatchObject({
      name: 'InvalidParameterValue',
      message: `Volume of size 50GB is smaller than snapshot '${snapshotId}', expect size >= 100GB`,
    });
    const badZone = await failure(client.send(new CreateVolumeCommand({ SnapshotId: snapshotId, AvailabilityZone: 'eu-west-1a' })));
    expect(badZone).toMatchObject({ name: 'InvalidParameterValue', message: 'Invalid availability zone: [eu-west-1a]' });
    const gp2Iops = await failure(
      client.send(new CreateVolumeCommand({ SnapshotId: snapshotId, AvailabilityZone: 'us-east-1a', VolumeType: 'gp2', Iops: 3000 })),
    );
    expect(gp2Iops).toMatchObject({ name: 'InvalidParameterCombination', message: 'The parameter iops is not supported for gp2 volumes.' });
    const archived = await failure(
      client.send(new CreateVolumeCommand({ SnapshotId: DEMO.snapshots.reportsArchive, AvailabilityZone: 'us-east-1a' })),
    );
    expect(archived.name).toBe('IncorrectState');
  });

  it('restores a snapshot and attaches the volume, with EC2\'s errors on the way', async () => {
    const elsewhere = await client.send(
      new CreateVolumeCommand({ SnapshotId: DEMO.snapshots.webRootDaily, AvailabilityZone: 'us-east-1b', VolumeType: 'gp3' }),
    );
    expect(elsewhere.State).toBe('creating');
    expect(elsewhere.VolumeId).toMatch(/^vol-[0-9a-f]{17}$/);
    const notYet = await failure(
      client.send(new AttachVolumeCommand({ VolumeId: elsewhere.VolumeId, InstanceId: DEMO.instances.web1, Device: '/dev/sdh' })),
    );
    expect(notYet.name).toBe('IncorrectState');
    await waitUntilVolumeAvailable({ client, ...waitFast }, { VolumeIds: [elsewhere.VolumeId!] });
    const mismatch = await failure(
      client.send(new AttachVolumeCommand({ VolumeId: elsewhere.VolumeId, InstanceId: DEMO.instances.web1, Device: '/dev/sdh' })),
    );
    expect(mismatch).toMatchObject({
      name: 'InvalidVolume.ZoneMismatch',
      message: `The volume '${elsewhere.VolumeId}' is not in the same availability zone as instance '${DEMO.instances.web1}'`,
    });

    const restored = await client.send(
      new CreateVolumeCommand({
        SnapshotId: DEMO.snapshots.webRootDaily,
        AvailabilityZone: 'us-east-1a',
        VolumeType: 'gp3',
        Size: 30,
        Iops: 4000,
        Throughput: 250,
        TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'restored' }] }],
      }),
    );
    expect(restored).toMatchObject({ Size: 30, Iops: 4000, Throughput: 250, SnapshotId: DEMO.snapshots.webRootDaily });
    await waitUntilVolumeAvailable({ client, ...waitFast }, { VolumeIds: [restored.VolumeId!] });
    const taken = await failure(
      client.send(new AttachVolumeCommand({ VolumeId: restored.VolumeId, InstanceId: DEMO.instances.web1, Device: '/dev/sdf' })),
    );
    expect(taken).toMatchObject({
      name: 'InvalidParameterValue',
      message: "Invalid value '/dev/sdf' for unixDevice. Attachment point /dev/sdf is already in use",
    });
    const attached = await client.send(
      new AttachVolumeCommand({ VolumeId: restored.VolumeId, InstanceId: DEMO.instances.web1, Device: '/dev/sdh' }),
    );
    expect(attached).toMatchObject({ State: 'attaching', Device: '/dev/sdh', InstanceId: DEMO.instances.web1 });
    const [v] = (await client.send(new DescribeVolumesCommand({ VolumeIds: [restored.VolumeId!] }))).Volumes!;
    expect(v.State).toBe('in-use');
    expect(v.Tags).toEqual([{ Key: 'Name', Value: 'restored' }]);
    const again = await failure(
      client.send(new AttachVolumeCommand({ VolumeId: restored.VolumeId, InstanceId: DEMO.instances.web1, Device: '/dev/sdi' })),
    );
    expect(again.name).toBe('VolumeInUse');
    const { Reservations } = await client.send(new DescribeInstancesCommand({ InstanceIds: [DEMO.instances.web1] }));
    expect(Reservations![0].Instances![0].BlockDeviceMappings!.map((b) => b.DeviceName)).toEqual(['/dev/xvda', '/dev/sdf', '/dev/sdh']);
  });

  it('describes instances with placement, devices, image and tags', async () => {
    const { Reservations } = await client.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: ['db-primary'] }] }),
    );
    expect(Reservations).toHaveLength(1);
    const [db] = Reservations![0].Instances!;
    expect(db).toMatchObject({
      InstanceId: DEMO.instances.db,
      State: { Code: 16, Name: 'running' },
      Placement: expect.objectContaining({ AvailabilityZone: 'us-east-1a' }),
      RootDeviceName: '/dev/xvda',
      ImageId: DEMO.images.amazonLinuxArm,
      Architecture: 'arm64',
      Tags: [{ Key: 'Name', Value: 'db-primary' }],
    });
    expect(db.BlockDeviceMappings!.map((b) => b.Ebs!.VolumeId)).toEqual([DEMO.volumes.dbRoot, DEMO.volumes.dbData, DEMO.volumes.dbLogs]);
    expect(db.LaunchTime).toBeInstanceOf(Date);

    const stopped = await client.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['stopped'] }] }));
    expect(stopped.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([DEMO.instances.build]);

    const ids: string[] = [];
    for await (const page of paginateDescribeInstances({ client, pageSize: 5 }, {})) {
      ids.push(...page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)));
    }
    expect(ids.sort()).toEqual(Object.values(DEMO.instances).sort());
    const missing = await failure(client.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })));
    expect(missing).toMatchObject({ name: 'InvalidInstanceID.NotFound', message: "The instance ID 'i-0123456789abcdef0' does not exist" });
  });
});
