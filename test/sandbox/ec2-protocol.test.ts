import {
  CreateSnapshotCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeAvailabilityZonesCommand,
  DescribeRegionsCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startSandboxEc2, type SandboxEc2 } from '../../src/sandbox/ec2/index.js';
import { ec2, failure } from './helpers.js';

describe('sandbox EC2: protocol, errors and test controls', () => {
  let sandbox: SandboxEc2;
  let client: EC2Client;

  beforeAll(async () => {
    sandbox = await startSandboxEc2({ seed: 'demo', snapshotSeconds: 0.2 });
    client = ec2(sandbox);
  });
  afterAll(async () => {
    client.destroy();
    await sandbox.stop();
  });

  it('answers an unknown action with InvalidAction in EC2\'s error XML', async () => {
    const res = await fetch(sandbox.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=FrobnicateVolumes&Version=2016-11-15',
    });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('<Response><Errors><Error><Code>InvalidAction</Code>');
    expect(body).toContain('<Message>The action FrobnicateVolumes is not valid for this web service.</Message>');
    expect(body).toMatch(/<RequestID>[0-9a-f-]{36}<\/RequestID>/);
  });

  it('serves each region from the credential scope of the signature and logs the calls', async () => {
    const eu = ec2(sandbox, 'eu-west-1');
    try {
      const before = sandbox.calls.length;
      const { Volumes } = await eu.send(new DescribeVolumesCommand({}));
      expect(Volumes!.map((v) => v.VolumeId)).toEqual([DEMO.eu.volume]);
      const { AvailabilityZones } = await eu.send(new DescribeAvailabilityZonesCommand({}));
      expect(AvailabilityZones!.map((z) => z.ZoneName)).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
      expect(AvailabilityZones![0]).toMatchObject({ ZoneId: 'euw1-az1', State: 'available', RegionName: 'eu-west-1' });
      expect(sandbox.calls.slice(before)).toEqual([
        { action: 'DescribeVolumes', region: 'eu-west-1', params: {}, account: '123456789012' },
        { action: 'DescribeAvailabilityZones', region: 'eu-west-1', params: {}, account: '123456789012' },
      ]);
    } finally {
      eu.destroy();
    }
    const { Regions } = await client.send(new DescribeRegionsCommand({}));
    expect(Regions!.map((r) => r.RegionName)).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'ap-southeast-2']));
    expect(Regions!.find((r) => r.RegionName === 'eu-west-1')!.Endpoint).toBe('ec2.eu-west-1.amazonaws.com');
  });

  it('logs the parameters the SDK actually sent', async () => {
    await client.send(
      new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'volume-id', Values: [DEMO.volumes.webRoot] }], MaxResults: 5 }),
    );
    expect(sandbox.calls.at(-1)!.params).toEqual({
      'Owner.1': 'self',
      'Filter.1.Name': 'volume-id',
      'Filter.1.Value.1': DEMO.volumes.webRoot,
      MaxResults: '5',
    });
  });

  it('injects throttling that the SDK surfaces as RequestLimitExceeded and retries through', async () => {
    sandbox.injectErrors('RequestLimitExceeded', 1);
    const throttled = await failure(client.send(new DescribeVolumesCommand({})));
    expect(throttled).toMatchObject({ name: 'RequestLimitExceeded', message: 'Request limit exceeded.', status: 503 });
    await client.send(new DescribeVolumesCommand({}));

    sandbox.injectErrors('RequestLimitExceeded', 2, 'DescribeSnapshots');
    await client.send(new DescribeVolumesCommand({})); // other actions are untouched
    const patient = ec2(sandbox, 'us-east-1', 3);
    try {
      const before = sandbox.calls.length;
      await patient.send(new DescribeSnapshotsCommand({ SnapshotIds: [DEMO.snapshots.webRootDaily] }));
      expect(sandbox.calls.length - before).toBe(3);
    } finally {
      patient.destroy();
    }
  });

  it('throttles past the configured rate', async () => {
    const limited = await startSandboxEc2({ seed: 'none', throttle: { perSecond: 2 } });
    const c = ec2(limited);
    try {
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => c.send(new DescribeVolumesCommand({}))));
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(results.length - rejected.length).toBeGreaterThanOrEqual(2);
      expect(rejected.length).toBeGreaterThanOrEqual(5);
      expect(rejected.every((r) => (r.reason as Error).name === 'RequestLimitExceeded')).toBe(true);
    } finally {
      c.destroy();
      await limited.stop();
    }
  });

  it('denies configured actions with UnauthorizedOperation, and honours DryRun', async () => {
    sandbox.deny.add('CreateSnapshot');
    try {
      const denied = await failure(client.send(new CreateSnapshotCommand({ VolumeId: DEMO.volumes.webRoot })));
      expect(denied.name).toBe('UnauthorizedOperation');
      expect(denied.status).toBe(403);
      expect(denied.message).toContain('User: arn:aws:iam::123456789012:user/sandbox is not authorized to perform: ec2:CreateSnapshot');
      expect(denied.message).toContain(`volume/${DEMO.volumes.webRoot}`);
      const dry = await failure(client.send(new CreateSnapshotCommand({ VolumeId: DEMO.volumes.webRoot, DryRun: true })));
      expect(dry.name).toBe('UnauthorizedOperation');
    } finally {
      sandbox.deny.delete('CreateSnapshot');
    }
    const dry = await failure(client.send(new CreateSnapshotCommand({ VolumeId: DEMO.volumes.webRoot, DryRun: true })));
    expect(dry.name).toBe('DryRunOperation');
    const denyAtStart = await startSandboxEc2({ seed: 'none', deny: ['ec2:DescribeVolumes'] });
    const c = ec2(denyAtStart);
    try {
      expect((await failure(c.send(new DescribeVolumesCommand({})))).name).toBe('UnauthorizedOperation');
    } finally {
      c.destroy();
      await denyAtStart.stop();
    }
  });

  it('adds and removes tags, refusing the reserved aws: prefix', async () => {
    const id = DEMO.snapshots.webRootDaily;
    await client.send(new CreateTagsCommand({ Resources: [id, DEMO.volumes.webRoot], Tags: [{ Key: 'snapbot:keep-until', Value: '2027-01-01' }] }));
    let [s] = (await client.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }))).Snapshots!;
    expect(s.Tags).toContainEqual({ Key: 'snapbot:keep-until', Value: '2027-01-01' });
    await client.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: 'snapbot:keep-until', Value: 'not-this-value' }] }));
    [s] = (await client.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }))).Snapshots!;
    expect(s.Tags).toContainEqual({ Key: 'snapbot:keep-until', Value: '2027-01-01' });
    await client.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: 'snapbot:keep-until' }] }));
    [s] = (await client.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }))).Snapshots!;
    expect(s.Tags).not.toContainEqual(expect.objectContaining({ Key: 'snapbot:keep-until' }));
    const reserved = await failure(client.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'aws:backup:source-resource', Value: 'x' }] })));
    expect(reserved.name).toBe('InvalidParameterValue');
    const missing = await failure(client.send(new CreateTagsCommand({ Resources: ['vol-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] })));
    expect(missing.name).toBe('InvalidVolume.NotFound');
  });

  it('escapes XML in user text', async () => {
    const description = `<b>"quotes" & 'apostrophes'</b>`;
    const { SnapshotId } = await client.send(new CreateSnapshotCommand({ VolumeId: DEMO.volumes.webRoot, Description: description }));
    const [s] = (await client.send(new DescribeSnapshotsCommand({ SnapshotIds: [SnapshotId!] }))).Snapshots!;
    expect(s.Description).toBe(description);
  });
});
