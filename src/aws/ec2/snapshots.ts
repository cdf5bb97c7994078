// Snapshots: create, read, page through, copy, delete, share, fast restores and block public access.
import {
  CopySnapshotCommand,
  CreateSnapshotCommand,
  CreateSnapshotsCommand,
  DeleteSnapshotCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  GetSnapshotBlockPublicAccessStateCommand,
  ModifySnapshotAttributeCommand,
  DisableFastSnapshotRestoresCommand,
  paginateDescribeFastSnapshotRestores,
  paginateDescribeSnapshots,
  type DescribeSnapshotsCommandInput,
  type Filter,
  type Snapshot as SdkSnapshot,
} from '@aws-sdk/client-ec2';
import type { ShareTarget } from '../../core/commands.js';
import type { Sharing, Snapshot, Tags } from '../../core/types.js';
import { TAG } from '../../core/types.js';
import { AwsActionError, translateAwsError } from '../errors.js';
import { toSnapshot } from '../mappers.js';
import { Ec2Instances } from './instances.js';
import { nonEmpty, notFound, tagSpecs, PAGE, type BlockPublicAccessState, type CopyParams } from './base.js';

export class Ec2Snapshots extends Ec2Instances {

  async createSnapshot(region: string, volumeId: string, description: string | undefined, tags: Tags): Promise<Snapshot> {
    const request = tags[TAG.request];
    return this.createOnce(
      { action: 'CreateSnapshot', region, resourceId: volumeId },
      async (c) => toSnapshot(await c.send(new CreateSnapshotCommand({ VolumeId: volumeId, Description: description, TagSpecifications: tagSpecs('snapshot', tags) })), region),
      request ? async () => (await this.snapshotsOfRequest(region, request, volumeId))[0] : undefined,
    );
  }

  /** Crash-consistent snapshots of every EBS volume of an instance (one CreateSnapshots call). */
  async createSnapshotsOfInstance(
    region: string,
    instanceId: string,
    excludeBoot: boolean,
    description: string | undefined,
    tags: Tags,
  ): Promise<Snapshot[]> {
    const request = tags[TAG.request];
    return this.createOnce(
      { action: 'CreateSnapshots', region, resourceId: instanceId },
      async (c) => {
        const out = await c.send(
          new CreateSnapshotsCommand({
            InstanceSpecification: { InstanceId: instanceId, ExcludeBootVolume: excludeBoot },
            Description: description,
            CopyTagsFromSource: 'volume',
            TagSpecifications: tagSpecs('snapshot', tags),
          }),
        );
        return (out.Snapshots ?? []).map((s) => toSnapshot(s, region));
      },
      request ? async () => nonEmpty(await this.snapshotsOfRequest(region, request)) : undefined,
    );
  }

  async getSnapshot(region: string, snapshotId: string): Promise<Snapshot> {
    const [s] = await this.getSnapshots(region, [snapshotId]);
    if (!s) throw translateAwsError(notFound('InvalidSnapshot.NotFound', snapshotId, region), { action: 'DescribeSnapshots', region, resourceId: snapshotId });
    return s;
  }

  async getSnapshots(region: string, snapshotIds: string[]): Promise<Snapshot[]> {
    if (snapshotIds.length === 0) return [];
    return this.call({ action: 'DescribeSnapshots', region, resourceId: snapshotIds[0] }, async (c) => {
      const out = await c.send(new DescribeSnapshotsCommand({ SnapshotIds: snapshotIds }));
      return (out.Snapshots ?? []).map((s) => toSnapshot(s, region));
    });
  }

  /** Whether this account owns the snapshot (EC2's own "self"), rather than seeing it shared or public. */
  async ownsSnapshot(region: string, snapshotId: string): Promise<boolean> {
    return this.call({ action: 'DescribeSnapshots', region, resourceId: snapshotId }, async (c) => {
      const out = await c.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId], OwnerIds: ['self'] }));
      return (out.Snapshots ?? []).length > 0;
    });
  }

  /** This account's snapshots, one page (of 1000) at a time, so a large account never sits in memory twice. */
  async forEachOwnSnapshotPage(
    region: string,
    filter: { volumeId?: string; restorableByAll?: boolean; tagKey?: string },
    onPage: (page: Snapshot[]) => void,
  ): Promise<void> {
    const input: DescribeSnapshotsCommandInput = { OwnerIds: ['self'] };
    const Filters: Filter[] = [];
    if (filter.volumeId) Filters.push({ Name: 'volume-id', Values: [filter.volumeId] });
    if (filter.tagKey) Filters.push({ Name: 'tag-key', Values: [filter.tagKey] });
    if (Filters.length) input.Filters = Filters;
    if (filter.restorableByAll) input.RestorableByUserIds = ['all'];
    await this.call({ action: 'DescribeSnapshots', region, resourceId: filter.volumeId }, async (c) => {
      for await (const page of paginateDescribeSnapshots({ client: c, pageSize: PAGE }, input)) {
        onPage((page.Snapshots ?? []).map((s: SdkSnapshot) => toSnapshot(s, region)));
      }
    });
  }

  /**
   * Snapshot ID → zones where fast snapshot restore is on (enabling, optimizing or enabled: all of them billed), for
   * this account: one paginated call.
   */
  async fastRestoreZones(region: string): Promise<Map<string, string[]>> {
    return this.call({ action: 'DescribeFastSnapshotRestores', region }, async (c) => {
      const zones = new Map<string, string[]>();
      const Filters: Filter[] = [{ Name: 'state', Values: ['enabling', 'optimizing', 'enabled'] }];
      for await (const page of paginateDescribeFastSnapshotRestores({ client: c, pageSize: 200 }, { Filters })) {
        for (const r of page.FastSnapshotRestores ?? []) {
          if (!r.SnapshotId || !r.AvailabilityZone) continue;
          zones.set(r.SnapshotId, [...(zones.get(r.SnapshotId) ?? []), r.AvailabilityZone]);
        }
      }
      return zones;
    });
  }

  /** Turns fast snapshot restore off in those zones; the zones EC2 refused come back with its reason. */
  async disableFastRestores(region: string, snapshotId: string, zones: string[]): Promise<{ disabled: string[]; failed: string[] }> {
    return this.call({ action: 'DisableFastSnapshotRestores', region, resourceId: snapshotId }, async (c) => {
      const out = await c.send(new DisableFastSnapshotRestoresCommand({ SourceSnapshotIds: [snapshotId], AvailabilityZones: zones }));
      const disabled = (out.Successful ?? []).flatMap((x) => (x.AvailabilityZone ? [x.AvailabilityZone] : []));
      const failed = (out.Unsuccessful ?? []).flatMap((x) =>
        (x.FastSnapshotRestoreStateErrors ?? []).map((e) => `${e.AvailabilityZone ?? '?'}: ${e.Error?.Message ?? e.Error?.Code ?? 'refused'}`),
      );
      return { disabled, failed };
    });
  }

  /** IDs of this account's snapshots that anyone may restore: one paginated call, not one per snapshot. */
  async publicSnapshotIds(region: string): Promise<Set<string>> {
    const ids = new Set<string>();
    await this.forEachOwnSnapshotPage(region, { restorableByAll: true }, (page) => page.forEach((s) => ids.add(s.id)));
    return ids;
  }

  async copySnapshot(sourceRegion: string, snapshotId: string, destRegion: string, p: CopyParams): Promise<string> {
    const request = p.tags[TAG.request];
    return this.createOnce(
      { action: 'CopySnapshot', region: destRegion, resourceId: snapshotId },
      async (c) => {
        const out = await c.send(
          new CopySnapshotCommand({
            SourceRegion: sourceRegion,
            SourceSnapshotId: snapshotId,
            Encrypted: p.encrypted || undefined,
            KmsKeyId: p.kmsKeyId,
            Description: p.description,
            TagSpecifications: tagSpecs('snapshot', p.tags),
          }),
        );
        if (!out.SnapshotId) throw new AwsActionError('unknown', `CopySnapshot returned no snapshot ID for ${snapshotId}`, 'Empty');
        return out.SnapshotId;
      },
      request ? async () => (await this.snapshotsOfRequest(destRegion, request))[0]?.id : undefined,
    );
  }

  async deleteSnapshot(region: string, snapshotId: string): Promise<void> {
    await this.call({ action: 'DeleteSnapshot', region, resourceId: snapshotId }, (c) =>
      c.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId })),
    );
  }

  async snapshotSharing(region: string, snapshotId: string): Promise<Sharing> {
    return this.call({ action: 'DescribeSnapshotAttribute', region, resourceId: snapshotId }, async (c) => {
      const out = await c.send(new DescribeSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: 'createVolumePermission' }));
      const perms = out.CreateVolumePermissions ?? [];
      return {
        public: perms.some((p) => p.Group === 'all'),
        accounts: perms.flatMap((p) => (p.UserId ? [p.UserId] : [])),
      };
    });
  }

  async setSnapshotSharing(region: string, snapshotId: string, target: ShareTarget, op: 'add' | 'remove'): Promise<void> {
    const perm = target.type === 'public' ? { Group: 'all' as const } : { UserId: target.accountId };
    await this.call({ action: 'ModifySnapshotAttribute', region, resourceId: snapshotId }, (c) =>
      c.send(
        new ModifySnapshotAttributeCommand({
          SnapshotId: snapshotId,
          Attribute: 'createVolumePermission',
          CreateVolumePermission: op === 'add' ? { Add: [perm] } : { Remove: [perm] },
        }),
      ),
    );
  }

  async snapshotBlockPublicAccess(region: string): Promise<BlockPublicAccessState> {
    try {
      const out = await this.client(region).send(new GetSnapshotBlockPublicAccessStateCommand({}));
      return (out.State as BlockPublicAccessState | undefined) ?? 'unknown';
    } catch {
      return 'unknown';
    }
  }
}
