import { randomUUID } from 'node:crypto';
import { Collection } from './collection.js';
import { randomId } from './ids.js';
import { availabilityZones } from './regions.js';

export type Tags = Record<string, string>;
export type BlockPublicAccessKind = 'snapshot' | 'image';
export type SnapshotBlockPublicAccess = 'unblocked' | 'block-all-sharing' | 'block-new-sharing';
export type ImageBlockPublicAccess = 'unblocked' | 'block-new-sharing';

/** The volume ID real EC2 reports for snapshots made by CopySnapshot. */
export const COPIED_VOLUME_ID = 'vol-ffffffff';

export interface SnapshotRecord {
  seq: number;
  id: string;
  region: string;
  ownerId: string;
  ownerAlias?: string;
  volumeId: string;
  volumeSizeGiB: number;
  startMs: number;
  /** Pending until startMs + durationMs; state is computed from the clock at read time. */
  durationMs: number;
  /** Set when the snapshot failed; its state is then `error`. */
  failedMessage?: string;
  description: string;
  encrypted: boolean;
  kmsKeyId?: string;
  storageTier: 'standard' | 'archive';
  fullSizeBytes?: number;
  tags: Tags;
  public: boolean;
  sharedWith: string[];
  /** Availability zones where fast snapshot restore is enabled (billed per zone-hour). */
  fastRestoreZones: string[];
  lock?: SnapshotLockRecord;
  /** A temporary restore from the archive: back in the archive tier at this time. */
  restoreExpiryMs?: number;
}

export interface SnapshotLockRecord {
  mode: 'governance' | 'compliance';
  createdMs: number;
  durationDays: number;
  expiresMs: number;
  /** Compliance mode may still be changed until then. */
  coolOffUntilMs?: number;
}

/** What the Recycle Bin keeps of a deleted snapshot or deregistered AMI, until exitMs. */
export interface BinEntry {
  kind: 'snapshot' | 'image';
  id: string;
  enteredMs: number;
  exitMs: number;
  snapshot?: SnapshotRecord;
  image?: ImageRecord;
}

/** A Recycle Bin retention rule (the RBIN JSON API). */
export interface RbinRuleRecord {
  id: string;
  arn: string;
  resourceType: 'EBS_SNAPSHOT' | 'EC2_IMAGE';
  description?: string;
  retentionDays: number;
  resourceTags: { key: string; value?: string }[];
  excludeTags: { key: string; value?: string }[];
  lockState?: 'locked' | 'pending_unlock' | 'unlocked';
  unlockDelayDays?: number;
  tags: Tags;
}

/** A Data Lifecycle Manager policy, kept as the JSON DLM speaks, plus what the sandbox's runner remembers. */
export interface DlmPolicyRecord {
  id: string;
  arn: string;
  description: string;
  state: 'ENABLED' | 'DISABLED' | 'ERROR';
  executionRoleArn: string;
  createdMs: number;
  modifiedMs: number;
  /** PolicyDetails as sent (JSON). */
  details: DlmPolicyDetails;
  tags: Tags;
  /** The last planned run the runner carried out, per schedule name. */
  lastRunMs: Record<string, number>;
}

export interface DlmPolicyDetails {
  PolicyType?: string;
  ResourceTypes?: string[];
  TargetTags?: { Key: string; Value: string }[];
  Schedules?: DlmScheduleJson[];
  [more: string]: unknown;
}

export interface DlmScheduleJson {
  Name?: string;
  CopyTags?: boolean;
  TagsToAdd?: { Key: string; Value: string }[];
  CreateRule?: { Interval?: number; IntervalUnit?: string; Times?: string[]; CronExpression?: string; Location?: string };
  RetainRule?: { Count?: number; Interval?: number; IntervalUnit?: string };
  CrossRegionCopyRules?: {
    TargetRegion?: string;
    Target?: string;
    Encrypted?: boolean;
    CmkArn?: string;
    CopyTags?: boolean;
    RetainRule?: { Interval?: number; IntervalUnit?: string };
  }[];
  [more: string]: unknown;
}

export interface VolumeAttachmentRecord {
  instanceId: string;
  device: string;
  attachMs: number;
  deleteOnTermination: boolean;
}

export interface VolumeRecord {
  seq: number;
  id: string;
  region: string;
  availabilityZone: string;
  sizeGiB: number;
  type: string;
  iops?: number;
  throughput?: number;
  encrypted: boolean;
  kmsKeyId?: string;
  snapshotId?: string;
  createMs: number;
  /** `creating` until then. */
  readyMs: number;
  failed?: boolean;
  attachment?: VolumeAttachmentRecord;
  /** io1/io2 Multi-Attach: attachable to several instances at once. */
  multiAttachEnabled?: boolean;
  tags: Tags;
}

export interface BlockDeviceRecord {
  device: string;
  snapshotId?: string;
  volumeSizeGiB?: number;
  volumeType?: string;
  encrypted?: boolean;
  deleteOnTermination?: boolean;
  iops?: number;
  throughput?: number;
  kmsKeyId?: string;
}

export interface ImageRecord {
  seq: number;
  id: string;
  region: string;
  ownerId: string;
  ownerAlias?: string;
  name: string;
  description?: string;
  createMs: number;
  /** `pending` until then. */
  readyMs: number;
  disabled: boolean;
  failedMessage?: string;
  architecture: string;
  rootDeviceName: string;
  virtualizationType: string;
  enaSupport: boolean;
  blockDevices: BlockDeviceRecord[];
  tags: Tags;
  public: boolean;
  sharedWith: string[];
  lastLaunchedMs?: number;
  deprecationMs?: number;
  sourceInstanceId?: string;
  sourceImageId?: string;
  sourceImageRegion?: string;
  deregistrationProtection?: 'enabled-with-cooldown' | 'enabled-without-cooldown';
  /** An AMI bundled in S3 (registered from a manifest), not backed by EBS snapshots. */
  instanceStore?: { manifest: string };
}

export type InstanceStateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export interface InstanceRecord {
  seq: number;
  id: string;
  region: string;
  reservationId: string;
  availabilityZone: string;
  type: string;
  imageId?: string;
  /** The settled state; `running` reads as `pending` until readyMs. */
  state: Exclude<InstanceStateName, 'pending'>;
  launchMs: number;
  readyMs: number;
  rootDeviceName: string;
  architecture: string;
  keyName?: string;
  subnetId?: string;
  /** Attached volumes in attachment order; each volume's attachment holds its device. */
  volumeIds: string[];
  /** Booted from an instance-store AMI: its root is on the host's disks, not EBS. */
  instanceStoreRoot?: boolean;
  tags: Tags;
}

export interface LaunchTemplateVersionRecord {
  versionNumber: number;
  description?: string;
  createMs: number;
  imageId?: string;
  instanceType?: string;
  blockDevices: BlockDeviceRecord[];
}

export interface LaunchTemplateRecord {
  seq: number;
  id: string;
  region: string;
  name: string;
  createMs: number;
  defaultVersion: number;
  versions: LaunchTemplateVersionRecord[];
  tags: Tags;
}

/** An Auto Scaling launch configuration, as far as the digest reads one: its AMI and its block devices' snapshots. */
export interface LaunchConfigurationRecord {
  name: string;
  imageId: string;
  instanceType: string;
  createMs: number;
  snapshotIds: string[];
}

/** A management event in CloudTrail's event history (the sandbox records the sharing changes it makes). */
export interface TrailEventRecord {
  eventId: string;
  eventName: string;
  eventMs: number;
  username: string;
  accessKeyId: string;
  resources: { type: string; name: string }[];
  requestParameters: Record<string, unknown>;
}

export class RegionState {
  readonly snapshots = new Collection<SnapshotRecord>('snapshots');
  readonly volumes = new Collection<VolumeRecord>('volumes');
  readonly images = new Collection<ImageRecord>('images');
  readonly instances = new Collection<InstanceRecord>('instances');
  readonly launchTemplates = new Collection<LaunchTemplateRecord>('launch-templates');
  snapshotBlockPublicAccess: SnapshotBlockPublicAccess = 'unblocked';
  imageBlockPublicAccess: ImageBlockPublicAccess = 'unblocked';
  /** snapshot ID → registered images whose block devices reference it (for InvalidSnapshot.InUse). */
  readonly imagesBySnapshot = new Map<string, Set<string>>();
  /** AMI names are unique per account and region. */
  readonly imageNames = new Map<string, string>();
  /** Deleted snapshots and deregistered AMIs a retention rule keeps; read through Ec2State.binEntries. */
  readonly recycleBin = new Map<string, BinEntry>();
  readonly rbinRules = new Map<string, RbinRuleRecord>();
  readonly dlmPolicies = new Map<string, DlmPolicyRecord>();
  readonly launchConfigurations: LaunchConfigurationRecord[] = [];
  /** CloudTrail's event history, oldest first. */
  readonly trail: TrailEventRecord[] = [];

  constructor(readonly name: string) {}
}

// ---- inputs for tests and seeds: friendly shapes with Dates and defaults ----

export interface SnapshotInput {
  id?: string;
  volumeId?: string;
  volumeSizeGiB?: number;
  startTime?: Date;
  /** How long it stays pending after startTime; defaults to 0, or the sandbox's snapshot time when state is 'pending'. */
  durationSeconds?: number;
  state?: 'pending' | 'completed' | 'error';
  stateMessage?: string;
  description?: string;
  encrypted?: boolean;
  kmsKeyId?: string;
  storageTier?: 'standard' | 'archive';
  fullSizeBytes?: number;
  tags?: Tags;
  public?: boolean;
  sharedWith?: string[];
  /** Zones with fast snapshot restore enabled. */
  fastRestoreZones?: string[];
  ownerId?: string;
  ownerAlias?: string;
}

export interface VolumeInput {
  id?: string;
  availabilityZone?: string;
  sizeGiB: number;
  type?: string;
  iops?: number;
  throughput?: number;
  encrypted?: boolean;
  kmsKeyId?: string;
  snapshotId?: string;
  createTime?: Date;
  state?: 'creating' | 'available' | 'error';
  multiAttachEnabled?: boolean;
  tags?: Tags;
}

export interface ImageInput {
  id?: string;
  name: string;
  description?: string;
  creationDate?: Date;
  state?: 'pending' | 'available' | 'disabled' | 'failed';
  stateMessage?: string;
  architecture?: string;
  rootDeviceName?: string;
  virtualizationType?: string;
  enaSupport?: boolean;
  blockDevices?: BlockDeviceRecord[];
  public?: boolean;
  sharedWith?: string[];
  lastLaunchedTime?: Date;
  deprecationTime?: Date;
  tags?: Tags;
  ownerId?: string;
  ownerAlias?: string;
  sourceInstanceId?: string;
  sourceImageId?: string;
  sourceImageRegion?: string;
  /** Pending time after creationDate when state is 'pending'. */
  durationSeconds?: number;
  /** An instance-store AMI: the S3 manifest it was registered from (bucket/key). */
  instanceStoreManifest?: string;
}

export interface InstanceInput {
  id?: string;
  availabilityZone?: string;
  type?: string;
  imageId?: string;
  state?: InstanceStateName;
  launchTime?: Date;
  rootDeviceName?: string;
  architecture?: string;
  keyName?: string;
  subnetId?: string;
  reservationId?: string;
  /** Existing volumes to attach, in the instance's AZ. */
  volumes?: { volumeId: string; device: string; deleteOnTermination?: boolean }[];
  /** Booted from an instance-store AMI. */
  instanceStoreRoot?: boolean;
  tags?: Tags;
}

export interface LaunchTemplateInput {
  id?: string;
  name: string;
  createTime?: Date;
  defaultVersion?: number;
  versions: { description?: string; imageId?: string; instanceType?: string; blockDevices?: BlockDeviceRecord[] }[];
  tags?: Tags;
}

export interface Ec2StateOptions {
  accountId: string;
  now: () => Date;
  snapshotSeconds: number;
  imageSeconds: number;
  volumeSeconds: number;
  instanceSeconds: number;
}

/**
 * The sandbox account: resources per region, with states that progress with the clock
 * (computed when read, so no timers run and a fake clock drives everything).
 */
export class Ec2State {
  readonly accountId: string;
  readonly timing: { snapshotMs: number; imageMs: number; volumeMs: number; instanceMs: number };
  private readonly clock: () => Date;
  private readonly regionStates = new Map<string, RegionState>();
  private seq = 0;
  /** IAM roles that exist in the account (DLM refuses a policy whose execution role does not). */
  readonly iamRoles = new Set<string>(['AWSDataLifecycleManagerDefaultRole']);

  constructor(opts: Ec2StateOptions) {
    this.accountId = opts.accountId;
    this.clock = opts.now;
    this.timing = {
      snapshotMs: opts.snapshotSeconds * 1000,
      imageMs: opts.imageSeconds * 1000,
      volumeMs: opts.volumeSeconds * 1000,
      instanceMs: opts.instanceSeconds * 1000,
    };
  }

  now(): number {
    return this.clock().getTime();
  }

  nextSeq(): number {
    return ++this.seq;
  }

  region(name: string): RegionState {
    let r = this.regionStates.get(name);
    if (!r) this.regionStates.set(name, (r = new RegionState(name)));
    return r;
  }

  /** Regions that hold any state. */
  regionNames(): string[] {
    return [...this.regionStates.keys()];
  }

  /** The account's AWS-managed `aws/ebs` key in a region: encrypting "by default" uses it. */
  defaultKmsKeyArn(region: string): string {
    return `arn:aws:kms:${region}:${this.accountId}:key/aws-ebs-default-${region}`;
  }

  // ---- computed states ----

  snapshotState(s: SnapshotRecord, now = this.now()): 'pending' | 'completed' | 'error' {
    if (s.failedMessage !== undefined) return 'error';
    return s.durationMs <= 0 || now - s.startMs >= s.durationMs ? 'completed' : 'pending';
  }

  snapshotProgress(s: SnapshotRecord, now = this.now()): number {
    const state = this.snapshotState(s, now);
    if (state === 'completed') return 100;
    if (state === 'error') return 0;
    return Math.max(0, Math.min(99, Math.floor(((now - s.startMs) / s.durationMs) * 100)));
  }

  volumeState(v: VolumeRecord, now = this.now()): 'creating' | 'available' | 'in-use' | 'error' {
    if (v.failed) return 'error';
    if (now < v.readyMs) return 'creating';
    return v.attachment ? 'in-use' : 'available';
  }

  imageState(i: ImageRecord, now = this.now()): 'pending' | 'available' | 'disabled' | 'failed' {
    if (i.failedMessage !== undefined) return 'failed';
    if (i.disabled) return 'disabled';
    return now < i.readyMs ? 'pending' : 'available';
  }

  instanceState(i: InstanceRecord, now = this.now()): InstanceStateName {
    return i.state === 'running' && now < i.readyMs ? 'pending' : i.state;
  }

  // ---- lookups ----

  getSnapshot(region: string, id: string): SnapshotRecord | undefined {
    return this.regionStates.get(region)?.snapshots.get(id);
  }
  getVolume(region: string, id: string): VolumeRecord | undefined {
    return this.regionStates.get(region)?.volumes.get(id);
  }
  getImage(region: string, id: string): ImageRecord | undefined {
    return this.regionStates.get(region)?.images.get(id);
  }
  getInstance(region: string, id: string): InstanceRecord | undefined {
    return this.regionStates.get(region)?.instances.get(id);
  }
  getLaunchTemplate(region: string, id: string): LaunchTemplateRecord | undefined {
    return this.regionStates.get(region)?.launchTemplates.get(id);
  }

  /** Registered (not deregistered) images whose block devices use the snapshot. */
  imagesUsingSnapshot(region: string, snapshotId: string): string[] {
    return [...(this.regionStates.get(region)?.imagesBySnapshot.get(snapshotId) ?? [])];
  }

  // ---- adding and removing resources ----

  addSnapshot(region: string, input: SnapshotInput): SnapshotRecord {
    const r = this.region(region);
    const startMs = (input.startTime ?? this.clock()).getTime();
    const volume = input.volumeId ? r.volumes.get(input.volumeId) : undefined;
    const durationMs =
      input.durationSeconds !== undefined
        ? input.durationSeconds * 1000
        : input.state === 'pending'
          ? this.timing.snapshotMs
          : 0;
    return r.snapshots.add({
      seq: this.nextSeq(),
      id: input.id ?? randomId('snap'),
      region,
      ownerId: input.ownerId ?? this.accountId,
      ownerAlias: input.ownerAlias,
      volumeId: input.volumeId ?? COPIED_VOLUME_ID,
      volumeSizeGiB: input.volumeSizeGiB ?? volume?.sizeGiB ?? 8,
      startMs,
      durationMs,
      failedMessage: input.state === 'error' ? (input.stateMessage ?? 'Snapshot failed') : undefined,
      description: input.description ?? '',
      encrypted: input.encrypted ?? input.kmsKeyId !== undefined,
      kmsKeyId: input.kmsKeyId ?? (input.encrypted ? this.defaultKmsKeyArn(region) : undefined),
      storageTier: input.storageTier ?? 'standard',
      fullSizeBytes: input.fullSizeBytes,
      tags: { ...input.tags },
      public: input.public ?? false,
      sharedWith: [...(input.sharedWith ?? [])],
      fastRestoreZones: [...(input.fastRestoreZones ?? [])],
    });
  }

  addVolume(region: string, input: VolumeInput): VolumeRecord {
    const r = this.region(region);
    const createMs = (input.createTime ?? this.clock()).getTime();
    return r.volumes.add({
      seq: this.nextSeq(),
      id: input.id ?? randomId('vol'),
      region,
      availabilityZone: input.availabilityZone ?? availabilityZones(region)[0],
      sizeGiB: input.sizeGiB,
      type: input.type ?? 'gp3',
      iops: input.iops ?? defaultIops(input.type ?? 'gp3', input.sizeGiB),
      throughput: input.throughput ?? ((input.type ?? 'gp3') === 'gp3' ? 125 : undefined),
      encrypted: input.encrypted ?? input.kmsKeyId !== undefined,
      kmsKeyId: input.kmsKeyId ?? (input.encrypted ? this.defaultKmsKeyArn(region) : undefined),
      snapshotId: input.snapshotId,
      createMs,
      readyMs: input.state === 'creating' ? createMs + this.timing.volumeMs : createMs,
      failed: input.state === 'error' || undefined,
      ...(input.multiAttachEnabled ? { multiAttachEnabled: true } : {}),
      tags: { ...input.tags },
    });
  }

  /** Removes a volume outright (detaching it first), e.g. to make a snapshot's source "gone". */
  deleteVolume(region: string, id: string): boolean {
    const v = this.getVolume(region, id);
    if (!v) return false;
    if (v.attachment) this.detachVolume(region, id);
    this.region(region).volumes.delete(id);
    return true;
  }

  deleteSnapshot(region: string, id: string): boolean {
    return this.region(region).snapshots.delete(id) !== undefined;
  }

  /**
   * Deletes a snapshot as EC2 does with the Recycle Bin in play: a retention rule that covers it (the longest, where
   * several do) keeps it in the bin; otherwise it is gone. Returns where it went.
   */
  retireSnapshot(region: string, id: string, now = this.now()): 'bin' | 'deleted' {
    const r = this.region(region);
    const s = r.snapshots.get(id);
    if (!s) return 'deleted';
    r.snapshots.delete(id);
    const days = this.binRetentionDays(r, 'EBS_SNAPSHOT', s.tags);
    if (days === undefined) return 'deleted';
    r.recycleBin.set(id, { kind: 'snapshot', id, enteredMs: now, exitMs: now + days * 86_400_000, snapshot: s });
    return 'bin';
  }

  /** Deregisters an AMI; a retention rule for images keeps it in the bin. */
  retireImage(region: string, id: string, now = this.now()): 'bin' | 'deleted' {
    const r = this.region(region);
    const image = this.removeImage(region, id);
    if (!image) return 'deleted';
    const days = this.binRetentionDays(r, 'EC2_IMAGE', image.tags);
    if (days === undefined) return 'deleted';
    r.recycleBin.set(id, { kind: 'image', id, enteredMs: now, exitMs: now + days * 86_400_000, image });
    return 'bin';
  }

  /** What the region's bin holds now (entries past their exit time are gone for good). */
  binEntries(region: string, now = this.now()): BinEntry[] {
    const r = this.region(region);
    for (const [id, e] of r.recycleBin) if (e.exitMs <= now) r.recycleBin.delete(id);
    return [...r.recycleBin.values()];
  }

  private binRetentionDays(r: RegionState, type: RbinRuleRecord['resourceType'], tags: Tags): number | undefined {
    const has = (t: { key: string; value?: string }) => Object.hasOwn(tags, t.key) && (!t.value || tags[t.key] === t.value);
    let best: number | undefined;
    for (const rule of r.rbinRules.values()) {
      if (rule.resourceType !== type) continue;
      const covers = rule.resourceTags.length === 0 ? !rule.excludeTags.some(has) : rule.resourceTags.some(has);
      if (covers && (best === undefined || rule.retentionDays > best)) best = rule.retentionDays;
    }
    return best;
  }

  /** The lock that still protects a snapshot, if any. */
  activeLock(s: SnapshotRecord, now = this.now()): SnapshotLockRecord | undefined {
    return s.lock && s.lock.expiresMs > now ? s.lock : undefined;
  }

  addImage(region: string, input: ImageInput): ImageRecord {
    const r = this.region(region);
    const createMs = (input.creationDate ?? this.clock()).getTime();
    const pendingMs =
      input.state === 'pending' ? (input.durationSeconds !== undefined ? input.durationSeconds * 1000 : this.timing.imageMs) : 0;
    const image = r.images.add({
      seq: this.nextSeq(),
      id: input.id ?? randomId('ami'),
      region,
      ownerId: input.ownerId ?? this.accountId,
      ownerAlias: input.ownerAlias,
      name: input.name,
      description: input.description,
      createMs,
      readyMs: createMs + pendingMs,
      disabled: input.state === 'disabled',
      failedMessage: input.state === 'failed' ? (input.stateMessage ?? 'Image creation failed') : undefined,
      architecture: input.architecture ?? 'x86_64',
      rootDeviceName: input.rootDeviceName ?? input.blockDevices?.[0]?.device ?? '/dev/xvda',
      virtualizationType: input.virtualizationType ?? 'hvm',
      enaSupport: input.enaSupport ?? true,
      blockDevices: (input.blockDevices ?? []).map((d) => ({ ...d })),
      tags: { ...input.tags },
      public: input.public ?? false,
      sharedWith: [...(input.sharedWith ?? [])],
      lastLaunchedMs: input.lastLaunchedTime?.getTime(),
      deprecationMs: input.deprecationTime?.getTime(),
      sourceInstanceId: input.sourceInstanceId,
      sourceImageId: input.sourceImageId,
      sourceImageRegion: input.sourceImageRegion,
      ...(input.instanceStoreManifest ? { instanceStore: { manifest: input.instanceStoreManifest } } : {}),
    });
    for (const d of image.blockDevices) {
      if (!d.snapshotId) continue;
      let users = r.imagesBySnapshot.get(d.snapshotId);
      if (!users) r.imagesBySnapshot.set(d.snapshotId, (users = new Set()));
      users.add(image.id);
    }
    if (image.ownerId === this.accountId) r.imageNames.set(image.name, image.id);
    return image;
  }

  /** Deregisters: the image disappears and stops holding its snapshots. */
  removeImage(region: string, id: string): ImageRecord | undefined {
    const r = this.region(region);
    const image = r.images.delete(id);
    if (!image) return undefined;
    for (const d of image.blockDevices) {
      const users = d.snapshotId ? r.imagesBySnapshot.get(d.snapshotId) : undefined;
      users?.delete(id);
      if (users?.size === 0) r.imagesBySnapshot.delete(d.snapshotId!);
    }
    if (r.imageNames.get(image.name) === id) r.imageNames.delete(image.name);
    return image;
  }

  addInstance(region: string, input: InstanceInput): InstanceRecord {
    const r = this.region(region);
    const launchMs = (input.launchTime ?? this.clock()).getTime();
    const pending = input.state === 'pending';
    const instance = r.instances.add({
      seq: this.nextSeq(),
      id: input.id ?? randomId('i'),
      region,
      reservationId: input.reservationId ?? randomId('r'),
      availabilityZone: input.availabilityZone ?? availabilityZones(region)[0],
      type: input.type ?? 't3.micro',
      imageId: input.imageId,
      state: input.state === undefined || input.state === 'pending' ? 'running' : input.state,
      launchMs,
      readyMs: pending ? launchMs + this.timing.instanceMs : launchMs,
      rootDeviceName: input.rootDeviceName ?? input.volumes?.[0]?.device ?? '/dev/xvda',
      architecture: input.architecture ?? 'x86_64',
      keyName: input.keyName,
      subnetId: input.subnetId,
      volumeIds: [],
      ...(input.instanceStoreRoot ? { instanceStoreRoot: true } : {}),
      tags: { ...input.tags },
    });
    for (const v of input.volumes ?? []) {
      this.attachVolume(region, v.volumeId, instance.id, v.device, v.deleteOnTermination ?? v.device === instance.rootDeviceName, launchMs);
    }
    return instance;
  }

  attachVolume(region: string, volumeId: string, instanceId: string, device: string, deleteOnTermination = false, atMs = this.now()): void {
    const v = this.getVolume(region, volumeId);
    const i = this.getInstance(region, instanceId);
    if (!v || !i) throw new Error(`sandbox: cannot attach ${volumeId} to ${instanceId} in ${region}: unknown resource`);
    v.attachment = { instanceId, device, attachMs: atMs, deleteOnTermination };
    i.volumeIds.push(volumeId);
  }

  detachVolume(region: string, volumeId: string): void {
    const v = this.getVolume(region, volumeId);
    if (!v?.attachment) return;
    const i = this.getInstance(region, v.attachment.instanceId);
    if (i) i.volumeIds = i.volumeIds.filter((id) => id !== volumeId);
    v.attachment = undefined;
  }

  addLaunchConfiguration(region: string, input: { name: string; imageId: string; instanceType?: string; snapshotIds?: string[]; createTime?: Date }): LaunchConfigurationRecord {
    const lc: LaunchConfigurationRecord = {
      name: input.name,
      imageId: input.imageId,
      instanceType: input.instanceType ?? 't3.micro',
      createMs: (input.createTime ?? this.clock()).getTime(),
      snapshotIds: [...(input.snapshotIds ?? [])],
    };
    this.region(region).launchConfigurations.push(lc);
    return lc;
  }

  /** Records a management event as CloudTrail's event history would show it (at `at`, default now). */
  recordEvent(region: string, e: Omit<TrailEventRecord, 'eventId' | 'eventMs' | 'username' | 'accessKeyId'> & { at?: Date; username?: string }): TrailEventRecord {
    const record: TrailEventRecord = {
      eventId: randomUUID(),
      eventName: e.eventName,
      eventMs: (e.at ?? this.clock()).getTime(),
      username: e.username ?? 'sandbox',
      accessKeyId: 'ASIASANDBOX',
      resources: e.resources,
      requestParameters: e.requestParameters,
    };
    const trail = this.region(region).trail;
    trail.push(record);
    // Kept in time order: an event recorded for the past goes where it belongs.
    if (trail.length > 1 && trail[trail.length - 2].eventMs > record.eventMs) trail.sort((a, b) => a.eventMs - b.eventMs);
    return record;
  }

  addLaunchTemplate(region: string, input: LaunchTemplateInput): LaunchTemplateRecord {
    const createMs = (input.createTime ?? this.clock()).getTime();
    return this.region(region).launchTemplates.add({
      seq: this.nextSeq(),
      id: input.id ?? randomId('lt'),
      region,
      name: input.name,
      createMs,
      defaultVersion: input.defaultVersion ?? 1,
      versions: input.versions.map((v, i) => ({
        versionNumber: i + 1,
        description: v.description,
        createMs,
        imageId: v.imageId,
        instanceType: v.instanceType,
        blockDevices: (v.blockDevices ?? []).map((d) => ({ ...d })),
      })),
      tags: { ...input.tags },
    });
  }

  setBlockPublicAccess(region: string, kind: 'snapshot', state: SnapshotBlockPublicAccess): void;
  setBlockPublicAccess(region: string, kind: 'image', state: ImageBlockPublicAccess): void;
  setBlockPublicAccess(region: string, kind: BlockPublicAccessKind, state: SnapshotBlockPublicAccess): void {
    const r = this.region(region);
    if (kind === 'snapshot') r.snapshotBlockPublicAccess = state;
    else r.imageBlockPublicAccess = state === 'unblocked' ? 'unblocked' : 'block-new-sharing';
  }
}

export function defaultIops(type: string, sizeGiB: number): number | undefined {
  if (type === 'gp3') return 3000;
  if (type === 'gp2') return Math.min(16000, Math.max(100, sizeGiB * 3));
  return undefined;
}
