// The project's own picture of EC2 resources. src/aws/ turns SDK shapes into these; everything else reads only these.

export type Tags = Record<string, string>;

export const TAG = {
  requestedBy: 'snapbot:requested-by',
  channel: 'snapbot:channel',
  request: 'snapbot:request',
  keepUntil: 'snapbot:keep-until',
  name: 'Name',
  backupSource: 'aws:backup:source-resource',
  dlmPolicy: 'aws:dlm:lifecycle-policy-id',
  /** YYYY-MM-DD: a temporary snapshot; on that day snapbot asks for its deletion. */
  expires: 'snapbot:expires',
  /** `snapbot:schedule:<name>`: the volume or instance is a target of snapbot's schedule <name>. */
  schedulePrefix: 'snapbot:schedule:',
  /** On a lifecycle policy: the schedule's name. */
  scheduleName: 'snapbot:schedule-name',
  /** `<region>/<snap-id>`: a copy snapbot made, and its source. */
  copyOf: 'snapbot:copy-of',
  /** On a volume a restore drill made (the drill's request ID): it is deleted when the drill ends. */
  drill: 'snapbot:drill',
} as const;

export type SnapshotState = 'pending' | 'completed' | 'error' | 'recoverable' | 'recovering';
export type StorageTier = 'standard' | 'archive';

export interface Snapshot {
  id: string;
  region: string;
  ownerId?: string;
  volumeId?: string;
  volumeSizeGiB: number;
  /** FullSnapshotSizeInBytes when AWS reports it. */
  fullSizeBytes?: number;
  state: SnapshotState;
  /** 0–100, from the snapshot's Progress ("42%"). */
  progress: number;
  stateMessage?: string;
  startTime: Date;
  completionTime?: Date;
  description?: string;
  encrypted: boolean;
  kmsKeyId?: string;
  storageTier: StorageTier;
  /** An archived snapshot restored for a while: back to the archive then. */
  restoreExpiryTime?: Date;
  tags: Tags;
}

/** A snapshot lock as EC2 reports it (DescribeLockedSnapshots). */
export interface SnapshotLock {
  snapshotId: string;
  /** compliance-cooloff: compliance mode, still changeable until coolOffExpiresOn. */
  state: 'governance' | 'compliance' | 'compliance-cooloff' | 'expired';
  expiresOn?: Date;
  coolOffExpiresOn?: Date;
}

/** A deleted snapshot or deregistered AMI that the Recycle Bin keeps until exitsAt. */
export interface RecycleBinItem {
  kind: 'snapshot' | 'image';
  id: string;
  region: string;
  name?: string;
  description?: string;
  volumeId?: string;
  enteredAt?: Date;
  exitsAt?: Date;
}

export type VolumeState = 'creating' | 'available' | 'in-use' | 'deleting' | 'deleted' | 'error';

export interface VolumeAttachment {
  instanceId: string;
  device: string;
  state: string;
  deleteOnTermination?: boolean;
}

export interface Volume {
  id: string;
  region: string;
  availabilityZone: string;
  sizeGiB: number;
  type: string;
  iops?: number;
  throughput?: number;
  state: VolumeState;
  encrypted: boolean;
  /** The KMS key of an encrypted volume. */
  kmsKeyId?: string;
  /** io1/io2 Multi-Attach: attached to (or attachable to) several instances at once. */
  multiAttachEnabled?: boolean;
  snapshotId?: string;
  createTime?: Date;
  attachments: VolumeAttachment[];
  tags: Tags;
}

export interface InstanceVolume {
  device: string;
  volumeId: string;
}

export interface Instance {
  id: string;
  region: string;
  availabilityZone: string;
  state: string;
  type: string;
  imageId?: string;
  rootDeviceName?: string;
  /** instance-store: booted from an S3 bundle, its root disk gone when it stops; EBS otherwise. */
  rootDeviceType?: 'ebs' | 'instance-store';
  volumes: InstanceVolume[];
  launchTime?: Date;
  tags: Tags;
}

export type ImageState =
  | 'pending'
  | 'available'
  | 'invalid'
  | 'deregistered'
  | 'transient'
  | 'failed'
  | 'error'
  | 'disabled';

export interface ImageBlockDevice {
  device: string;
  snapshotId?: string;
  volumeSizeGiB?: number;
  volumeType?: string;
  encrypted?: boolean;
}

export interface Image {
  id: string;
  region: string;
  ownerId?: string;
  name: string;
  description?: string;
  state: ImageState;
  stateReason?: string;
  architecture?: string;
  creationDate?: Date;
  lastLaunchedTime?: Date;
  deprecationTime?: Date;
  public: boolean;
  rootDeviceName?: string;
  /**
   * instance-store: an AMI bundled in S3 (seed 004's kind), registered from `imageLocation`; it has no EBS
   * snapshots, and deregistering it leaves the bundle in S3, still billed. EBS otherwise.
   */
  rootDeviceType?: 'ebs' | 'instance-store';
  /** Where the AMI was registered from: for an instance-store AMI, its bundle's manifest in S3 (bucket/key). */
  imageLocation?: string;
  blockDevices: ImageBlockDevice[];
  /** EC2's DeregistrationProtection: "disabled", or "enabled-with-cooldown"/"enabled-without-cooldown". */
  deregistrationProtection?: string;
  tags: Tags;
}

/** Who a snapshot or image is shared with. */
export interface Sharing {
  public: boolean;
  accounts: string[];
}

export type ResourceKind = 'snapshot' | 'image' | 'volume' | 'instance';

/** The Slack side of whoever asked for something. */
export interface Requester {
  userId: string;
  userName?: string;
  channelId: string;
  teamId?: string;
}

export function nameTag(tags: Tags): string | undefined {
  return tags[TAG.name] || undefined;
}

export function imageSnapshotIds(image: Image): string[] {
  return image.blockDevices.flatMap((d) => (d.snapshotId ? [d.snapshotId] : []));
}

export function isInstanceStore(x: { rootDeviceType?: string }): boolean {
  return x.rootDeviceType === 'instance-store';
}
