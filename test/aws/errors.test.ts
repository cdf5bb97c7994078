// The AWS layer with aws-sdk-client-mock: error translation and pagination, edge cases a sandbox cannot easily make.
import {
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { Ec2Gateway } from '../../src/aws/ec2/index.js';
import { AwsActionError, translateAwsError } from '../../src/aws/errors.js';
import type { Snapshot } from '../../src/core/types.js';

const ec2Mock = mockClient(EC2Client);
afterEach(() => ec2Mock.reset());

function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

const gateway = () => new Ec2Gateway({ credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });

describe('translateAwsError', () => {
  const ctx = { action: 'CreateSnapshot', region: 'eu-west-1', resourceId: 'vol-0123456789abcdef0' };

  it.each([
    ['InvalidVolume.NotFound', "The volume 'vol-0123456789abcdef0' does not exist.", 'not-found', /volume vol-0123456789abcdef0 does not exist in eu-west-1/],
    ['UnauthorizedOperation', 'You are not authorized to perform this operation. User: arn:aws:iam::1:user/x is not authorized to perform: ec2:CreateSnapshot on resource', 'not-permitted', /lacks ec2:CreateSnapshot/],
    ['RequestLimitExceeded', 'Request limit exceeded.', 'throttled', /throttling/],
    ['InvalidSnapshot.InUse', 'The snapshot snap-0123456789abcdef0 is currently in use by ami-0fedcba9876543210', 'in-use', /in use by .*AMI ami-0fedcba9876543210.*\/ami deregister ami-0fedcba9876543210 --delete-snapshots/],
    ['IncorrectState', "The volume 'vol-0123456789abcdef0' is not in the 'available' state.", 'wrong-state', /cannot do that right now/],
    ['SnapshotLimitExceeded', 'The maximum number of snapshots has been reached.', 'limit', /quota/],
    ['InternalError', 'boom', 'unavailable', /did not answer/],
  ])('%s → %s', (code, message, kind, text) => {
    const e = translateAwsError(awsError(code, message), ctx);
    expect(e).toBeInstanceOf(AwsActionError);
    expect(e.kind).toBe(kind);
    expect(e.message).toMatch(text);
  });

  it('says how to give snapbot credentials when it has none', () => {
    const e = translateAwsError(awsError('CredentialsProviderError', 'Could not load credentials from any providers', 0), ctx);
    expect(e.message).toMatch(/no AWS credentials to call CreateSnapshot in eu-west-1: give it a role/);
  });

  it('names the IAM action from the call when the message does not', () => {
    const e = translateAwsError(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403), ctx);
    expect(e.iamAction).toBe('ec2:CreateSnapshot');
  });

  it('lists what uses a snapshot', () => {
    const e = translateAwsError(awsError('InvalidSnapshot.InUse', 'The snapshot snap-0123456789abcdef0 is currently in use by ami-0fedcba9876543210'), {
      action: 'DeleteSnapshot',
      region: 'us-east-1',
      resourceId: 'snap-0123456789abcdef0',
    });
    expect(e.usedBy).toEqual(['ami-0fedcba9876543210']);
  });
});

describe('Ec2Gateway', () => {
  it('turns SDK errors into typed errors', async () => {
    ec2Mock.on(CreateSnapshotCommand).rejects(awsError('InvalidVolume.NotFound', "The volume 'vol-0123456789abcdef0' does not exist."));
    await expect(gateway().createSnapshot('us-east-1', 'vol-0123456789abcdef0', undefined, {})).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('an empty DescribeVolumes answer is "does not exist", not a crash', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [] });
    await expect(gateway().getVolume('us-east-1', 'vol-0123456789abcdef0')).rejects.toThrow(/does not exist in us-east-1/);
  });

  it('follows NextToken across pages with the paginator, one call per page', async () => {
    ec2Mock
      .on(DescribeSnapshotsCommand)
      .resolvesOnce({ Snapshots: [{ SnapshotId: 'snap-00000001', State: 'completed', VolumeSize: 8, StartTime: new Date() }], NextToken: 't1' })
      .resolvesOnce({ Snapshots: [{ SnapshotId: 'snap-00000002', State: 'completed', VolumeSize: 8, StartTime: new Date() }], NextToken: 't2' })
      .resolvesOnce({ Snapshots: [{ SnapshotId: 'snap-00000003', State: 'pending', Progress: '42%', VolumeSize: 8, StartTime: new Date() }] });
    const g = gateway();
    const snaps: Snapshot[] = [];
    await g.forEachOwnSnapshotPage('us-east-1', {}, (page) => snaps.push(...page));
    expect(snaps.map((s) => s.id)).toEqual(['snap-00000001', 'snap-00000002', 'snap-00000003']);
    expect(snaps[2].progress).toBe(42);
    const calls = ec2Mock.commandCalls(DescribeSnapshotsCommand);
    expect(calls).toHaveLength(3);
    expect(calls[0].args[0].input).toMatchObject({ OwnerIds: ['self'], MaxResults: 1000 });
    // The paginator reuses one input object, so the last call shows the last token it sent.
    expect(calls[2].args[0].input.NextToken).toBe('t2');
  });

  it('lists AMIs including disabled and deprecated ones', async () => {
    ec2Mock.on(DescribeImagesCommand).resolves({ Images: [] });
    await gateway().listOwnImages('us-east-1');
    expect(ec2Mock.commandCalls(DescribeImagesCommand)[0].args[0].input).toMatchObject({ Owners: ['self'], IncludeDisabled: true, IncludeDeprecated: true });
  });

  it('deregistering with --delete-snapshots counts snapshots already gone as deleted and reports ones still in use', async () => {
    ec2Mock.on(DescribeImagesCommand).resolves({
      Images: [{ ImageId: 'ami-00000001', Name: 'x', State: 'available', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-00000001' } }, { DeviceName: '/dev/xvdb', Ebs: { SnapshotId: 'snap-00000002' } }] }],
    });
    ec2Mock
      .on(DeleteSnapshotCommand, { SnapshotId: 'snap-00000001' })
      .rejects(awsError('InvalidSnapshot.NotFound', "The snapshot 'snap-00000001' does not exist."))
      .on(DeleteSnapshotCommand, { SnapshotId: 'snap-00000002' })
      .rejects(awsError('InvalidSnapshot.InUse', 'The snapshot snap-00000002 is currently in use by ami-00000009'));
    const res = await gateway().deregisterImage('us-east-1', 'ami-00000001', true);
    expect(res.deletedSnapshots).toEqual(['snap-00000001']);
    expect(res.keptSnapshots[0]).toMatchObject({ id: 'snap-00000002' });
    expect(res.keptSnapshots[0].why).toMatch(/ami-00000009/);
  });

  it('never passes an endpoint the user did not set', async () => {
    const g = gateway();
    const endpoint = await g.client('eu-west-1').config.endpoint?.();
    expect(endpoint).toBeUndefined();
  });
});
