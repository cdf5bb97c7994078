// AMIs: read, create, register, copy, deregister, share, launch-template use, and tags.
import {
  CopyImageCommand,
  CreateImageCommand,
  CreateTagsCommand,
  DeregisterImageCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  GetImageBlockPublicAccessStateCommand,
  ModifyImageAttributeCommand,
  RegisterImageCommand,
  paginateDescribeImages,
  paginateDescribeLaunchTemplateVersions,
} from '@aws-sdk/client-ec2';
import type { ShareTarget } from '../../core/commands.js';
import type { Image, Sharing, Snapshot, Tags } from '../../core/types.js';
import { imageSnapshotIds, TAG } from '../../core/types.js';
import { AwsActionError } from '../errors.js';
import { toImage, toTagList } from '../mappers.js';
import { Ec2Safety } from './safety.js';
import {
  clientToken,
  notFound,
  tagSpecs,
  PAGE,
  type BlockPublicAccessState,
  type CopyParams,
  type LaunchTemplateUsage,
} from './base.js';

export class Ec2Images extends Ec2Safety {

  async getImage(region: string, imageId: string): Promise<Image> {
    return this.call({ action: 'DescribeImages', region, resourceId: imageId }, async (c) => {
      const out = await c.send(new DescribeImagesCommand({ ImageIds: [imageId], IncludeDisabled: true, IncludeDeprecated: true }));
      const i = out.Images?.[0];
      if (!i) throw notFound('InvalidAMIID.NotFound', imageId, region);
      return toImage(i, region);
    });
  }

  /** This account's AMIs, including disabled and deprecated ones (their snapshots are still in use). */
  async listOwnImages(region: string): Promise<Image[]> {
    return this.call({ action: 'DescribeImages', region }, async (c) => {
      const all: Image[] = [];
      for await (const page of paginateDescribeImages(
        { client: c, pageSize: PAGE },
        { Owners: ['self'], IncludeDisabled: true, IncludeDeprecated: true },
      )) {
        for (const i of page.Images ?? []) all.push(toImage(i, region));
      }
      return all;
    });
  }

  async createImage(
    region: string,
    p: { instanceId: string; name: string; noReboot: boolean; description?: string; tags: Tags },
  ): Promise<string> {
    const request = p.tags[TAG.request];
    return this.createOnce(
      { action: 'CreateImage', region, resourceId: p.instanceId },
      async (c) => {
        const out = await c.send(
          new CreateImageCommand({
            InstanceId: p.instanceId,
            Name: p.name,
            Description: p.description,
            NoReboot: p.noReboot,
            TagSpecifications: [...tagSpecs('image', p.tags), ...tagSpecs('snapshot', p.tags)],
          }),
        );
        if (!out.ImageId) throw new AwsActionError('unknown', `CreateImage returned no AMI ID for ${p.instanceId}`, 'Empty');
        return out.ImageId;
      },
      request ? () => this.imageOfRequest(region, p.name, request) : undefined,
    );
  }

  /** Registers an AMI whose root device is the given snapshot. */
  async registerImageFromSnapshot(
    region: string,
    p: { snapshot: Snapshot; name: string; architecture: 'x86_64' | 'arm64'; tags: Tags },
  ): Promise<string> {
    const request = p.tags[TAG.request];
    return this.createOnce(
      { action: 'RegisterImage', region, resourceId: p.snapshot.id },
      async (c) => {
      const out = await c.send(
        new RegisterImageCommand({
          Name: p.name,
          Architecture: p.architecture,
          RootDeviceName: '/dev/xvda',
          VirtualizationType: 'hvm',
          EnaSupport: true,
          BlockDeviceMappings: [
            {
              DeviceName: '/dev/xvda',
              Ebs: { SnapshotId: p.snapshot.id, VolumeSize: p.snapshot.volumeSizeGiB || undefined, VolumeType: 'gp3', DeleteOnTermination: true },
            },
          ],
          TagSpecifications: tagSpecs('image', p.tags),
        }),
      );
      if (!out.ImageId) throw new AwsActionError('unknown', `RegisterImage returned no AMI ID for ${p.snapshot.id}`, 'Empty');
      return out.ImageId;
      },
      request ? () => this.imageOfRequest(region, p.name, request) : undefined,
    );
  }

  async copyImage(sourceRegion: string, imageId: string, destRegion: string, p: CopyParams & { name: string }): Promise<string> {
    return this.call({ action: 'CopyImage', region: destRegion, resourceId: imageId }, async (c) => {
      const out = await c.send(
        new CopyImageCommand({
          SourceRegion: sourceRegion,
          SourceImageId: imageId,
          Name: p.name,
          Description: p.description,
          Encrypted: p.encrypted || undefined,
          KmsKeyId: p.kmsKeyId,
          TagSpecifications: tagSpecs('image', p.tags),
          ClientToken: clientToken(p.tags, 'copy-image'),
        }),
      );
      if (!out.ImageId) throw new AwsActionError('unknown', `CopyImage returned no AMI ID for ${imageId}`, 'Empty');
      return out.ImageId;
    });
  }

  /**
   * Deregisters an AMI and, when asked, deletes its snapshots afterwards. Snapshots that are already gone count
   * as deleted; ones still used by another AMI are reported, not forced.
   */
  /**
   * Deregisters the AMI and, with deleteSnapshots, deletes its snapshots, each at most once: one already gone counts
   * as deleted. `knownSnapshotIds` (recorded when the request was made) lets a resumed run finish the snapshots even
   * when the AMI itself went in the attempt a crash cut short.
   */
  async deregisterImage(
    region: string,
    imageId: string,
    deleteSnapshots: boolean,
    knownSnapshotIds?: readonly string[],
  ): Promise<{ deletedSnapshots: string[]; keptSnapshots: { id: string; why: string }[]; imageWasGone: boolean }> {
    let snapshotIds: readonly string[] = knownSnapshotIds ?? [];
    let imageWasGone = false;
    try {
      const image = await this.getImage(region, imageId);
      snapshotIds = [...new Set([...snapshotIds, ...imageSnapshotIds(image)])];
      await this.call({ action: 'DeregisterImage', region, resourceId: imageId }, (c) =>
        c.send(new DeregisterImageCommand({ ImageId: imageId })),
      );
    } catch (err) {
      const gone = err instanceof AwsActionError && err.kind === 'not-found';
      if (!gone || !deleteSnapshots || !knownSnapshotIds?.length) throw err;
      imageWasGone = true;
    }
    const deletedSnapshots: string[] = [];
    const keptSnapshots: { id: string; why: string }[] = [];
    if (deleteSnapshots) {
      for (const snapshotId of snapshotIds) {
        try {
          await this.deleteSnapshot(region, snapshotId);
          deletedSnapshots.push(snapshotId);
        } catch (err) {
          if (err instanceof AwsActionError && err.kind === 'not-found') deletedSnapshots.push(snapshotId);
          else keptSnapshots.push({ id: snapshotId, why: (err as Error).message });
        }
      }
    }
    return { deletedSnapshots, keptSnapshots, imageWasGone };
  }

  async imageSharing(region: string, imageId: string): Promise<Sharing> {
    return this.call({ action: 'DescribeImageAttribute', region, resourceId: imageId }, async (c) => {
      const out = await c.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }));
      const perms = out.LaunchPermissions ?? [];
      return {
        public: perms.some((p) => p.Group === 'all'),
        accounts: perms.flatMap((p) => (p.UserId ? [p.UserId] : [])),
      };
    });
  }

  async setImageSharing(region: string, imageId: string, target: ShareTarget, op: 'add' | 'remove'): Promise<void> {
    const perm = target.type === 'public' ? { Group: 'all' as const } : { UserId: target.accountId };
    await this.call({ action: 'ModifyImageAttribute', region, resourceId: imageId }, (c) =>
      c.send(
        new ModifyImageAttributeCommand({
          ImageId: imageId,
          LaunchPermission: op === 'add' ? { Add: [perm] } : { Remove: [perm] },
        }),
      ),
    );
  }

  async imageBlockPublicAccess(region: string): Promise<BlockPublicAccessState> {
    try {
      const out = await this.client(region).send(new GetImageBlockPublicAccessStateCommand({}));
      return (out.ImageBlockPublicAccessState as BlockPublicAccessState | undefined) ?? 'unknown';
    } catch {
      return 'unknown';
    }
  }

  /** Snapshots and AMIs that launch templates' default and latest versions reference (one paginated call). */
  async launchTemplateUsage(region: string): Promise<LaunchTemplateUsage> {
    return this.call({ action: 'DescribeLaunchTemplateVersions', region }, async (c) => {
      const usage: LaunchTemplateUsage = { snapshotIds: new Set(), imageIds: new Set() };
      for await (const page of paginateDescribeLaunchTemplateVersions(
        { client: c, pageSize: 200 },
        { Versions: ['$Default', '$Latest'] },
      )) {
        for (const v of page.LaunchTemplateVersions ?? []) {
          const data = v.LaunchTemplateData;
          if (data?.ImageId) usage.imageIds.add(data.ImageId);
          for (const b of data?.BlockDeviceMappings ?? []) if (b.Ebs?.SnapshotId) usage.snapshotIds.add(b.Ebs.SnapshotId);
        }
      }
      return usage;
    });
  }

  // ── tags ───────────────────────────────────────────────────────────────────

  async tag(region: string, resourceId: string, tags: Tags): Promise<void> {
    await this.call({ action: 'CreateTags', region, resourceId }, (c) =>
      c.send(new CreateTagsCommand({ Resources: [resourceId], Tags: toTagList(tags) })),
    );
  }

  /** Who a snapshot (snap-…) or an AMI (ami-…) is shared with, whichever the ID names. */
  sharing(region: string, resourceId: string): Promise<Sharing> {
    return resourceId.startsWith('snap-') ? this.snapshotSharing(region, resourceId) : this.imageSharing(region, resourceId);
  }

  /** Adds or removes a share of a snapshot or an AMI, whichever the ID names. */
  setSharing(region: string, resourceId: string, target: ShareTarget, op: 'add' | 'remove'): Promise<void> {
    return resourceId.startsWith('snap-')
      ? this.setSnapshotSharing(region, resourceId, target, op)
      : this.setImageSharing(region, resourceId, target, op);
  }
}
