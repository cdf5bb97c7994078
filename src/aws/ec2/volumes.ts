// Volumes: read, search, create from a snapshot, attach and detach, and the waits between.
import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  ModifyInstanceAttributeCommand,
  paginateDescribeInstances,
  paginateDescribeVolumes,
  waitUntilInstanceRunning,
  waitUntilVolumeAvailable,
  waitUntilVolumeInUse,
  type Filter,
  type VolumeType as SdkVolumeType,
} from '@aws-sdk/client-ec2';
import type { Instance, Volume } from '../../core/types.js';
import { AwsActionError } from '../errors.js';
import { toInstance, toVolume } from '../mappers.js';
import { Ec2Base } from './base.js';
import { clientToken, notFound, tagSpecs, PAGE, type CreateVolumeParams } from './base.js';

export class Ec2Volumes extends Ec2Base {

  async getVolume(region: string, volumeId: string): Promise<Volume> {
    return this.call({ action: 'DescribeVolumes', region, resourceId: volumeId }, async (c) => {
      const out = await c.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }));
      const v = out.Volumes?.[0];
      if (!v) throw notFound('InvalidVolume.NotFound', volumeId, region);
      return toVolume(v, region);
    });
  }

  /**
   * Volumes whose ID or Name tag contains `query` (case-insensitive), for pickers. A picker asks at every keystroke:
   * the first few pages are read once a minute (see `remembered`) and searched here.
   */
  async searchVolumes(region: string, query: string, limit = 100): Promise<Volume[]> {
    const q = query.trim().toLowerCase();
    const all = await this.remembered(region, 'pickable volumes', () =>
      this.call({ action: 'DescribeVolumes', region }, async (c) => {
        const found: Volume[] = [];
        let pages = 0;
        for await (const page of paginateDescribeVolumes({ client: c, pageSize: PAGE }, {})) {
          for (const v of page.Volumes ?? []) found.push(toVolume(v, region));
          if (++pages >= 5) break;
        }
        return found;
      }),
    );
    return all.filter((v) => !q || v.id.includes(q) || (v.tags.Name ?? '').toLowerCase().includes(q)).slice(0, limit);
  }

  /** Every volume in the region, with tags and attachments (backup gaps, schedule targets). */
  async listVolumes(region: string): Promise<Volume[]> {
    const all: Volume[] = [];
    await this.forEachVolumePage(region, (page) => all.push(...page));
    return all;
  }

  /** Instances that are not terminated, with tags (a schedule's instance targets, backup gaps). */
  async listInstances(region: string): Promise<Instance[]> {
    return this.call({ action: 'DescribeInstances', region }, async (c) => {
      const all: Instance[] = [];
      const Filters: Filter[] = [{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }];
      for await (const page of paginateDescribeInstances({ client: c, pageSize: PAGE }, { Filters })) {
        for (const r of page.Reservations ?? []) for (const raw of r.Instances ?? []) all.push(toInstance(raw, region));
      }
      return all;
    });
  }

  /** Volumes created from the snapshot (their lineages start at it). */
  async volumesRestoredFrom(region: string, snapshotId: string): Promise<Volume[]> {
    return this.call({ action: 'DescribeVolumes', region, resourceId: snapshotId }, async (c) => {
      const out: Volume[] = [];
      const Filters: Filter[] = [{ Name: 'snapshot-id', Values: [snapshotId] }];
      for await (const page of paginateDescribeVolumes({ client: c, pageSize: PAGE }, { Filters })) for (const v of page.Volumes ?? []) out.push(toVolume(v, region));
      return out;
    });
  }

  /** Every volume, one page (of 1000) at a time, so the digest keeps only what it needs of each. */
  async forEachVolumePage(region: string, onPage: (page: Volume[]) => void): Promise<void> {
    await this.call({ action: 'DescribeVolumes', region }, async (c) => {
      for await (const page of paginateDescribeVolumes({ client: c, pageSize: PAGE }, {})) onPage((page.Volumes ?? []).map((v) => toVolume(v, region)));
    });
  }

  async createVolume(region: string, p: CreateVolumeParams): Promise<Volume> {
    return this.call({ action: 'CreateVolume', region, resourceId: p.snapshotId }, async (c) => {
      const out = await c.send(
        new CreateVolumeCommand({
          SnapshotId: p.snapshotId,
          AvailabilityZone: p.availabilityZone,
          VolumeType: p.volumeType as SdkVolumeType,
          Size: p.sizeGiB,
          Iops: p.iops,
          Throughput: p.throughput,
          ...(p.encrypted ? { Encrypted: true, ...(p.kmsKeyId ? { KmsKeyId: p.kmsKeyId } : {}) } : {}),
          TagSpecifications: tagSpecs('volume', p.tags),
          // The SDK's retries resend the same token: EC2 answers with the volume the first attempt made.
          ClientToken: clientToken(p.tags, 'volume'),
        }),
      );
      return toVolume(out, region);
    });
  }

  /** The SDK's waiter, bounded: a volume that never becomes available fails with a clear message. */
  async waitForVolume(region: string, volumeId: string, state: 'available' | 'in-use', maxWaitSeconds: number): Promise<void> {
    await this.call({ action: 'DescribeVolumes', region, resourceId: volumeId }, async (client) => {
      const waiter = state === 'available' ? waitUntilVolumeAvailable : waitUntilVolumeInUse;
      const res = await waiter({ client, maxWaitTime: maxWaitSeconds, minDelay: 1, maxDelay: 10 }, { VolumeIds: [volumeId] });
      if (res.state !== 'SUCCESS') {
        throw new AwsActionError('wrong-state', `${volumeId} did not become ${state} within ${maxWaitSeconds} s (${res.state}).`, 'WaiterTimeout');
      }
    });
  }

  /** The SDK's waiter, bounded: the instance is running, or a clear message says what it is instead. */
  async waitForInstanceRunning(region: string, instanceId: string, maxWaitSeconds: number): Promise<void> {
    await this.call({ action: 'DescribeInstances', region, resourceId: instanceId }, async (client) => {
      const res = await waitUntilInstanceRunning({ client, maxWaitTime: maxWaitSeconds, minDelay: 1, maxDelay: 15 }, { InstanceIds: [instanceId] });
      if (res.state !== 'SUCCESS') {
        throw new AwsActionError('wrong-state', `${instanceId} did not reach running within ${maxWaitSeconds} s (${res.state}); check it in the EC2 console.`, 'WaiterTimeout');
      }
    });
  }

  async attachVolume(region: string, volumeId: string, instanceId: string, device: string): Promise<void> {
    await this.createOnce(
      { action: 'AttachVolume', region, resourceId: volumeId },
      async (c) => {
        await c.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: device }));
        return true as const;
      },
      // Attached (or attaching) there already: the first attempt acted.
      async () => ((await this.getVolume(region, volumeId)).attachments.some((a) => a.instanceId === instanceId && a.device === device) ? (true as const) : undefined),
    );
  }

  /** Deletes a volume; one already gone counts as deleted (a retried or resumed clean-up). */
  async deleteVolume(region: string, volumeId: string): Promise<void> {
    await this.call({ action: 'DeleteVolume', region, resourceId: volumeId }, async (c) => {
      try {
        await c.send(new DeleteVolumeCommand({ VolumeId: volumeId }));
      } catch (err) {
        if ((err as { name?: string }).name === 'InvalidVolume.NotFound') return;
        throw err;
      }
    });
  }

  /** Volumes carrying a tag key (the drills' snapbot:drill), however many pages. */
  async volumesTagged(region: string, tagKey: string): Promise<Volume[]> {
    return this.call({ action: 'DescribeVolumes', region }, async (c) => {
      const found: Volume[] = [];
      for await (const page of paginateDescribeVolumes({ client: c, pageSize: PAGE }, { Filters: [{ Name: 'tag-key', Values: [tagKey] }] })) {
        for (const v of page.Volumes ?? []) found.push(toVolume(v, region));
      }
      return found;
    });
  }

  async detachVolume(region: string, volumeId: string, instanceId: string): Promise<void> {
    await this.call({ action: 'DetachVolume', region, resourceId: volumeId }, (c) => c.send(new DetachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId })));
  }

  /** Whether the volume at `device` goes with the instance when it is terminated (a new attachment says no). */
  async setDeleteOnTermination(region: string, instanceId: string, device: string, deleteOnTermination: boolean): Promise<void> {
    await this.call({ action: 'ModifyInstanceAttribute', region, resourceId: instanceId }, (c) =>
      c.send(new ModifyInstanceAttributeCommand({ InstanceId: instanceId, BlockDeviceMappings: [{ DeviceName: device, Ebs: { DeleteOnTermination: deleteOnTermination } }] })),
    );
  }
}
