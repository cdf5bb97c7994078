// The sandbox's Data Lifecycle Manager, Recycle Bin and STS, driven through the real SDK clients: each answers in
// its own protocol (REST-JSON for DLM and Recycle Bin, awsQuery for STS), and their state is the sandbox EC2's.
import { CreateLifecyclePolicyCommand, DLMClient, GetLifecyclePoliciesCommand, GetLifecyclePolicyCommand, UpdateLifecyclePolicyCommand } from '@aws-sdk/client-dlm';
import {
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeLockedSnapshotsCommand,
  DescribeSnapshotsCommand,
  EnableImageDeregistrationProtectionCommand,
  ListImagesInRecycleBinCommand,
  ListSnapshotsInRecycleBinCommand,
  LockSnapshotCommand,
  ModifySnapshotTierCommand,
  RestoreImageFromRecycleBinCommand,
  RestoreSnapshotFromRecycleBinCommand,
  RestoreSnapshotTierCommand,
  UnlockSnapshotCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { CreateRuleCommand, GetRuleCommand, ListRulesCommand, RbinClient } from '@aws-sdk/client-rbin';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxEc2, type SandboxEc2 } from '../../src/sandbox/ec2/index.js';
import { ec2, failure, manualClock } from './helpers.js';

const credentials = { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' };

describe('sandbox DLM, Recycle Bin and STS over their own protocols', () => {
  const clock = manualClock();
  let sandbox: SandboxEc2;
  let client: EC2Client;
  let dlm: DLMClient;
  let rbin: RbinClient;

  beforeAll(async () => {
    sandbox = await startSandboxEc2({ seed: 'none', now: clock.now, snapshotSeconds: 0, dlmHourSeconds: 10 });
    client = ec2(sandbox);
    dlm = new DLMClient({ region: 'us-east-1', endpoint: sandbox.url, credentials, maxAttempts: 1 });
    rbin = new RbinClient({ region: 'us-east-1', endpoint: sandbox.url, credentials, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    dlm.destroy();
    rbin.destroy();
    await sandbox.stop();
  });

  it('STS says which account the credentials belong to', async () => {
    const sts = new STSClient({ region: 'us-east-1', endpoint: sandbox.url, credentials });
    const out = await sts.send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe(sandbox.state.accountId);
    sts.destroy();
  });

  it('a lifecycle policy snapshots its tagged volume on schedule and keeps only the newest N', async () => {
    const vol = sandbox.state.addVolume('us-east-1', { sizeGiB: 8, tags: { 'snapbot:schedule:web': 'true', Name: 'web' } });
    sandbox.state.addVolume('us-east-1', { sizeGiB: 8, tags: { Name: 'other' } });
    const { PolicyId } = await dlm.send(
      new CreateLifecyclePolicyCommand({
        ExecutionRoleArn: `arn:aws:iam::${sandbox.state.accountId}:role/AWSDataLifecycleManagerDefaultRole`,
        Description: 'snapbot web every 1h keep 2',
        State: 'ENABLED',
        PolicyDetails: {
          PolicyType: 'EBS_SNAPSHOT_MANAGEMENT',
          ResourceTypes: ['VOLUME'],
          TargetTags: [{ Key: 'snapbot:schedule:web', Value: 'true' }],
          Schedules: [{ Name: 'web', CopyTags: true, CreateRule: { Interval: 1, IntervalUnit: 'HOURS', Times: ['09:00'] }, RetainRule: { Count: 2 } }],
        },
        Tags: { 'snapbot:schedule-name': 'web' },
      }),
    );
    expect(PolicyId).toMatch(/^policy-[0-9a-f]{17}$/);
    const listed = await dlm.send(new GetLifecyclePoliciesCommand({}));
    expect(listed.Policies).toEqual([expect.objectContaining({ PolicyId, State: 'ENABLED', Tags: { 'snapbot:schedule-name': 'web' } })]);
    const { Policy } = await dlm.send(new GetLifecyclePolicyCommand({ PolicyId }));
    expect(Policy?.PolicyDetails?.Schedules?.[0]?.RetainRule?.Count).toBe(2);
    expect(Policy?.DateCreated).toBeInstanceOf(Date);

    const policySnapshots = async () =>
      (await client.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'tag:aws:dlm:lifecycle-policy-id', Values: [PolicyId!] }] }))).Snapshots ?? [];
    expect(await policySnapshots()).toHaveLength(0);
    for (let run = 0; run < 4; run++) {
      clock.advance(10); // one sandbox hour
      await client.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    }
    const kept = await policySnapshots();
    expect(kept).toHaveLength(2);
    expect(kept.every((s) => s.VolumeId === vol.id)).toBe(true);
    expect(kept[0].Tags).toEqual(expect.arrayContaining([{ Key: 'Name', Value: 'web' }]));

    await dlm.send(new UpdateLifecyclePolicyCommand({ PolicyId, State: 'DISABLED' }));
    clock.advance(100);
    expect(await policySnapshots()).toHaveLength(2);
  });

  it('refuses what DLM refuses: a missing role, an unsupported interval, unencrypted copies', async () => {
    const base = {
      Description: 'x',
      State: 'ENABLED' as const,
      PolicyDetails: {
        PolicyType: 'EBS_SNAPSHOT_MANAGEMENT' as const,
        ResourceTypes: ['VOLUME' as const],
        TargetTags: [{ Key: 'a', Value: 'b' }],
        Schedules: [{ Name: 's', CreateRule: { Interval: 24, IntervalUnit: 'HOURS' as const }, RetainRule: { Count: 1 } }],
      },
    };
    const noRole = await failure(dlm.send(new CreateLifecyclePolicyCommand({ ...base, ExecutionRoleArn: `arn:aws:iam::${sandbox.state.accountId}:role/Nope` })));
    expect(noRole).toMatchObject({ name: 'InvalidRequestException', status: 400 });
    expect(noRole.message).toContain('role/Nope');
    const role = `arn:aws:iam::${sandbox.state.accountId}:role/AWSDataLifecycleManagerDefaultRole`;
    const badInterval = { ...base.PolicyDetails, Schedules: [{ Name: 's', CreateRule: { Interval: 5, IntervalUnit: 'HOURS' as const }, RetainRule: { Count: 1 } }] };
    expect(await failure(dlm.send(new CreateLifecyclePolicyCommand({ ...base, ExecutionRoleArn: role, PolicyDetails: badInterval })))).toMatchObject({
      name: 'InvalidRequestException',
    });
  });

  it('a deleted snapshot that a rule covers waits in the Recycle Bin and comes back; a locked one cannot be deleted', async () => {
    const rule = await rbin.send(
      new CreateRuleCommand({ ResourceType: 'EBS_SNAPSHOT', RetentionPeriod: { RetentionPeriodValue: 7, RetentionPeriodUnit: 'DAYS' }, Description: 'all snapshots' }),
    );
    const { Rules } = await rbin.send(new ListRulesCommand({ ResourceType: 'EBS_SNAPSHOT' }));
    expect(Rules?.map((r) => r.Identifier)).toContain(rule.Identifier);
    expect((await rbin.send(new GetRuleCommand({ Identifier: rule.Identifier }))).ResourceTags).toEqual([]);

    const snap = sandbox.state.addSnapshot('us-east-1', { volumeSizeGiB: 8, description: 'before upgrade' });
    await client.send(new LockSnapshotCommand({ SnapshotId: snap.id, LockMode: 'governance', LockDuration: 3 }));
    const { Snapshots: locks } = await client.send(new DescribeLockedSnapshotsCommand({ SnapshotIds: [snap.id] }));
    expect(locks?.[0]).toMatchObject({ SnapshotId: snap.id, LockState: 'governance', LockDuration: 3 });
    expect(await failure(client.send(new DeleteSnapshotCommand({ SnapshotId: snap.id })))).toMatchObject({ name: 'SnapshotLocked' });
    await client.send(new UnlockSnapshotCommand({ SnapshotId: snap.id }));

    await client.send(new DeleteSnapshotCommand({ SnapshotId: snap.id }));
    const bin = await client.send(new ListSnapshotsInRecycleBinCommand({}));
    expect(bin.Snapshots).toEqual([expect.objectContaining({ SnapshotId: snap.id, Description: 'before upgrade' })]);
    expect(bin.Snapshots![0].RecycleBinExitTime!.getTime() - bin.Snapshots![0].RecycleBinEnterTime!.getTime()).toBe(7 * 86_400_000);
    await client.send(new RestoreSnapshotFromRecycleBinCommand({ SnapshotId: snap.id }));
    const { Snapshots } = await client.send(new DescribeSnapshotsCommand({ SnapshotIds: [snap.id] }));
    expect(Snapshots?.[0]?.SnapshotId).toBe(snap.id);
  });

  it('archives and restores a snapshot, and protects an AMI from deregistration until told otherwise', async () => {
    const snap = sandbox.state.addSnapshot('us-east-1', { volumeSizeGiB: 8 });
    await client.send(new ModifySnapshotTierCommand({ SnapshotId: snap.id, StorageTier: 'archive' }));
    const tier = async () => (await client.send(new DescribeSnapshotsCommand({ SnapshotIds: [snap.id] }))).Snapshots?.[0];
    expect((await tier())?.StorageTier).toBe('archive');
    await client.send(new RestoreSnapshotTierCommand({ SnapshotId: snap.id, TemporaryRestoreDays: 3 }));
    expect(await tier()).toMatchObject({ StorageTier: 'standard', RestoreExpiryTime: expect.any(Date) });

    await rbin.send(new CreateRuleCommand({ ResourceType: 'EC2_IMAGE', RetentionPeriod: { RetentionPeriodValue: 3, RetentionPeriodUnit: 'DAYS' } }));
    const image = sandbox.state.addImage('us-east-1', { name: 'golden' });
    await client.send(new EnableImageDeregistrationProtectionCommand({ ImageId: image.id }));
    expect(await failure(client.send(new DeregisterImageCommand({ ImageId: image.id })))).toMatchObject({ name: 'InvalidParameterValue' });
    sandbox.state.getImage('us-east-1', image.id)!.deregistrationProtection = undefined;
    await client.send(new DeregisterImageCommand({ ImageId: image.id }));
    expect((await client.send(new ListImagesInRecycleBinCommand({}))).Images).toEqual([expect.objectContaining({ ImageId: image.id, Name: 'golden' })]);
    await client.send(new RestoreImageFromRecycleBinCommand({ ImageId: image.id }));
    expect(sandbox.state.getImage('us-east-1', image.id)?.name).toBe('golden');
  });
});
