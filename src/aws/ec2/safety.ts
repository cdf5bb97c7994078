// What keeps snapshots and AMIs safe or cheap: locks, the archive tier, the Recycle Bin, deregistration protection.
import {
  DescribeLockedSnapshotsCommand,
  DisableImageDeregistrationProtectionCommand,
  EnableImageDeregistrationProtectionCommand,
  LockSnapshotCommand,
  ModifySnapshotTierCommand,
  RestoreImageFromRecycleBinCommand,
  RestoreSnapshotFromRecycleBinCommand,
  RestoreSnapshotTierCommand,
  UnlockSnapshotCommand,
  paginateListImagesInRecycleBin,
  paginateListSnapshotsInRecycleBin,
} from '@aws-sdk/client-ec2';
import type { RecycleBinItem, SnapshotLock } from '../../core/types.js';
import { toLock } from '../mappers.js';
import { Ec2Snapshots } from './snapshots.js';

export class Ec2Safety extends Ec2Snapshots {

  /** Locks a snapshot for `days`: governance (an authorised person may unlock it) or compliance (nobody may). */
  async lockSnapshot(region: string, snapshotId: string, mode: 'governance' | 'compliance', days: number): Promise<SnapshotLock> {
    return this.call({ action: 'LockSnapshot', region, resourceId: snapshotId }, async (c) => {
      const out = await c.send(new LockSnapshotCommand({ SnapshotId: snapshotId, LockMode: mode, LockDuration: days }));
      return toLock(out);
    });
  }

  async unlockSnapshot(region: string, snapshotId: string): Promise<void> {
    await this.call({ action: 'UnlockSnapshot', region, resourceId: snapshotId }, (c) => c.send(new UnlockSnapshotCommand({ SnapshotId: snapshotId })));
  }

  /** The lock on each of these snapshots that has one (expired locks are left out: they no longer protect). */
  async snapshotLocks(region: string, snapshotIds: string[]): Promise<Map<string, SnapshotLock>> {
    const locks = new Map<string, SnapshotLock>();
    if (snapshotIds.length === 0) return locks;
    await this.call({ action: 'DescribeLockedSnapshots', region, resourceId: snapshotIds[0] }, async (c) => {
      let NextToken: string | undefined;
      do {
        const out = await c.send(new DescribeLockedSnapshotsCommand({ SnapshotIds: snapshotIds, NextToken }));
        for (const l of out.Snapshots ?? []) {
          const lock = toLock(l);
          if (lock.state !== 'expired' && lock.snapshotId) locks.set(lock.snapshotId, lock);
        }
        NextToken = out.NextToken;
      } while (NextToken);
    });
    return locks;
  }

  /** Starts moving a completed snapshot to the archive tier (it takes EC2 hours to finish). */
  async archiveSnapshot(region: string, snapshotId: string): Promise<void> {
    await this.call({ action: 'ModifySnapshotTier', region, resourceId: snapshotId }, (c) =>
      c.send(new ModifySnapshotTierCommand({ SnapshotId: snapshotId, StorageTier: 'archive' })),
    );
  }

  /** Restores an archived snapshot: permanently, or for `days` (then it goes back to the archive). */
  async restoreSnapshotTier(region: string, snapshotId: string, days?: number): Promise<void> {
    await this.call({ action: 'RestoreSnapshotTier', region, resourceId: snapshotId }, (c) =>
      c.send(
        new RestoreSnapshotTierCommand(
          days === undefined ? { SnapshotId: snapshotId, PermanentRestore: true } : { SnapshotId: snapshotId, TemporaryRestoreDays: days },
        ),
      ),
    );
  }

  /** What the Recycle Bin holds in the region: snapshots, then AMIs; `only` asks for one resource alone. */
  async recycleBin(region: string, only?: string): Promise<RecycleBinItem[]> {
    const items: RecycleBinItem[] = [];
    const wantSnapshots = !only || only.startsWith('snap-');
    const wantImages = !only || only.startsWith('ami-');
    if (wantSnapshots) await this.call({ action: 'ListSnapshotsInRecycleBin', region, resourceId: only }, async (c) => {
      for await (const page of paginateListSnapshotsInRecycleBin({ client: c, pageSize: only ? undefined : 1000 }, only ? { SnapshotIds: [only] } : {})) {
        for (const s of page.Snapshots ?? []) {
          items.push({
            kind: 'snapshot',
            id: s.SnapshotId ?? '',
            region,
            description: s.Description || undefined,
            volumeId: s.VolumeId && s.VolumeId !== 'vol-ffffffff' ? s.VolumeId : undefined,
            enteredAt: s.RecycleBinEnterTime,
            exitsAt: s.RecycleBinExitTime,
          });
        }
      }
    });
    if (wantImages) await this.call({ action: 'ListImagesInRecycleBin', region, resourceId: only }, async (c) => {
      for await (const page of paginateListImagesInRecycleBin({ client: c, pageSize: only ? undefined : 1000 }, only ? { ImageIds: [only] } : {})) {
        for (const i of page.Images ?? []) {
          items.push({
            kind: 'image',
            id: i.ImageId ?? '',
            region,
            name: i.Name || undefined,
            description: i.Description || undefined,
            enteredAt: i.RecycleBinEnterTime,
            exitsAt: i.RecycleBinExitTime,
          });
        }
      }
    });
    return items;
  }

  async restoreSnapshotFromRecycleBin(region: string, snapshotId: string): Promise<void> {
    await this.call({ action: 'RestoreSnapshotFromRecycleBin', region, resourceId: snapshotId }, (c) =>
      c.send(new RestoreSnapshotFromRecycleBinCommand({ SnapshotId: snapshotId })),
    );
  }

  async restoreImageFromRecycleBin(region: string, imageId: string): Promise<void> {
    await this.call({ action: 'RestoreImageFromRecycleBin', region, resourceId: imageId }, (c) =>
      c.send(new RestoreImageFromRecycleBinCommand({ ImageId: imageId })),
    );
  }

  async setDeregistrationProtection(region: string, imageId: string, on: boolean): Promise<void> {
    await this.call({ action: on ? 'EnableImageDeregistrationProtection' : 'DisableImageDeregistrationProtection', region, resourceId: imageId }, (c) =>
      c.send(on ? new EnableImageDeregistrationProtectionCommand({ ImageId: imageId }) : new DisableImageDeregistrationProtectionCommand({ ImageId: imageId })),
    );
  }
}
