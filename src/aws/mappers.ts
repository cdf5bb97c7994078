// SDK shapes → the project's own types (src/core/types.ts). Nothing outside src/aws/ sees an SDK shape.
import type {
  Image as SdkImage,
  Instance as SdkInstance,
  LockedSnapshotsInfo,
  Snapshot as SdkSnapshot,
  SnapshotInfo,
  Tag,
  Volume as SdkVolume,
} from '@aws-sdk/client-ec2';
import type {
  Image,
  ImageState,
  Instance,
  Snapshot,
  SnapshotLock,
  SnapshotState,
  Tags,
  Volume,
  VolumeState,
} from '../core/types.js';

function tagsOf(tags: Tag[] | undefined): Tags {
  const out: Tags = {};
  for (const t of tags ?? []) if (t.Key) out[t.Key] = t.Value ?? '';
  return out;
}

export function toTagList(tags: Tags): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

function date(v: Date | string | undefined): Date | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function progress(p: string | undefined, state: string | undefined): number {
  const n = parseInt((p ?? '').replace('%', ''), 10);
  if (Number.isFinite(n)) return Math.max(0, Math.min(100, n));
  return state === 'completed' ? 100 : 0;
}

export function toSnapshot(s: SdkSnapshot | SnapshotInfo, region: string): Snapshot {
  const full = (s as SdkSnapshot).FullSnapshotSizeInBytes;
  return {
    id: s.SnapshotId ?? '',
    region,
    ownerId: s.OwnerId,
    // EC2 reports vol-ffffffff for snapshots copied from another snapshot: no real source volume.
    volumeId: s.VolumeId && s.VolumeId !== 'vol-ffffffff' ? s.VolumeId : undefined,
    volumeSizeGiB: s.VolumeSize ?? 0,
    fullSizeBytes: typeof full === 'number' && full > 0 ? full : undefined,
    state: (s.State ?? 'pending') as SnapshotState,
    progress: progress(s.Progress, s.State),
    stateMessage: (s as SdkSnapshot).StateMessage || undefined,
    startTime: date(s.StartTime) ?? new Date(0),
    completionTime: date((s as SdkSnapshot).CompletionTime),
    description: s.Description || undefined,
    encrypted: s.Encrypted ?? false,
    kmsKeyId: (s as SdkSnapshot).KmsKeyId || undefined,
    storageTier: (s as SdkSnapshot).StorageTier === 'archive' ? 'archive' : 'standard',
    restoreExpiryTime: date((s as SdkSnapshot).RestoreExpiryTime),
    tags: tagsOf(s.Tags),
  };
}

export function toVolume(v: SdkVolume, region: string): Volume {
  return {
    id: v.VolumeId ?? '',
    region,
    availabilityZone: v.AvailabilityZone ?? '',
    sizeGiB: v.Size ?? 0,
    type: v.VolumeType ?? 'gp3',
    iops: v.Iops,
    throughput: v.Throughput,
    state: (v.State ?? 'creating') as VolumeState,
    encrypted: v.Encrypted ?? false,
    ...(v.KmsKeyId ? { kmsKeyId: v.KmsKeyId } : {}),
    ...(v.MultiAttachEnabled ? { multiAttachEnabled: true } : {}),
    snapshotId: v.SnapshotId || undefined,
    createTime: date(v.CreateTime),
    attachments: (v.Attachments ?? []).map((a) => ({
      instanceId: a.InstanceId ?? '',
      device: a.Device ?? '',
      state: a.State ?? '',
      deleteOnTermination: a.DeleteOnTermination,
    })),
    tags: tagsOf(v.Tags),
  };
}

export function toImage(i: SdkImage, region: string): Image {
  return {
    id: i.ImageId ?? '',
    region,
    ownerId: i.OwnerId,
    name: i.Name ?? '',
    description: i.Description || undefined,
    state: (i.State ?? 'pending') as ImageState,
    stateReason: i.StateReason?.Message || undefined,
    architecture: i.Architecture,
    creationDate: date(i.CreationDate),
    lastLaunchedTime: date(i.LastLaunchedTime),
    deprecationTime: date(i.DeprecationTime),
    public: i.Public ?? false,
    rootDeviceName: i.RootDeviceName,
    ...(i.RootDeviceType === 'instance-store' ? { rootDeviceType: 'instance-store' as const } : {}),
    ...(i.ImageLocation ? { imageLocation: i.ImageLocation } : {}),
    blockDevices: (i.BlockDeviceMappings ?? []).map((b) => ({
      device: b.DeviceName ?? '',
      snapshotId: b.Ebs?.SnapshotId || undefined,
      volumeSizeGiB: b.Ebs?.VolumeSize,
      volumeType: b.Ebs?.VolumeType,
      encrypted: b.Ebs?.Encrypted,
    })),
    deregistrationProtection: i.DeregistrationProtection || undefined,
    tags: tagsOf(i.Tags),
  };
}

export function toLock(l: LockedSnapshotsInfo): SnapshotLock {
  return {
    snapshotId: l.SnapshotId ?? '',
    state: (l.LockState ?? 'governance') as SnapshotLock['state'],
    expiresOn: date(l.LockExpiresOn),
    coolOffExpiresOn: date(l.CoolOffPeriodExpiresOn),
  };
}

export function toInstance(i: SdkInstance, region: string): Instance {
  return {
    id: i.InstanceId ?? '',
    region,
    availabilityZone: i.Placement?.AvailabilityZone ?? '',
    state: i.State?.Name ?? 'unknown',
    type: i.InstanceType ?? '',
    imageId: i.ImageId,
    rootDeviceName: i.RootDeviceName,
    ...(i.RootDeviceType === 'instance-store' ? { rootDeviceType: 'instance-store' as const } : {}),
    volumes: (i.BlockDeviceMappings ?? []).flatMap((b) =>
      b.Ebs?.VolumeId ? [{ device: b.DeviceName ?? '', volumeId: b.Ebs.VolumeId }] : [],
    ),
    launchTime: date(i.LaunchTime),
    tags: tagsOf(i.Tags),
  };
}
