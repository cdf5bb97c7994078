// The only user of the EC2 SDK. One client per region; the SDK's own retry strategy, paginators and waiters.
import {
  AttachVolumeCommand,
  CopyImageCommand,
  CopySnapshotCommand,
  CreateImageCommand,
  CreateSnapshotCommand,
  CreateSnapshotsCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  GetImageBlockPublicAccessStateCommand,
  GetSnapshotBlockPublicAccessStateCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  DisableFastSnapshotRestoresCommand,
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
  paginateDescribeFastSnapshotRestores,
  RegisterImageCommand,
  RunInstancesCommand,
  paginateDescribeImages,
  paginateDescribeInstances,
  paginateDescribeLaunchTemplateVersions,
  paginateDescribeSnapshots,
  paginateDescribeVolumes,
  waitUntilInstanceRunning,
  waitUntilVolumeAvailable,
  waitUntilVolumeInUse,
  type DescribeSnapshotsCommandInput,
  type Filter,
  type ResourceType,
  type Snapshot as SdkSnapshot,
  type VolumeType as SdkVolumeType,
} from '@aws-sdk/client-ec2';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/service-error-classification';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryErrorType, SdkError } from '@smithy/types';
import { StandardRetryStrategy } from '@smithy/util-retry';
import type { CommandOf, ShareTarget } from '../core/commands.js';
import type { Image, Instance, RecycleBinItem, Sharing, Snapshot, SnapshotLock, Tags, Volume } from '../core/types.js';
import { imageSnapshotIds, TAG } from '../core/types.js';
import { AwsActionError, translateAwsError, type AwsCallContext } from './errors.js';
import { toImage, toInstance, toLock, toSnapshot, toTagList, toVolume } from './mappers.js';
import { RegionalClients, type Instrumentable } from './regional.js';

export interface Ec2GatewayOptions {
  /** Only when the user set AWS_ENDPOINT_URL(_EC2); otherwise the SDK resolves the regional endpoint. */
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** SDK retry attempts (standard mode, exponential backoff with jitter). */
  maxAttempts?: number;
  /** Called once per new client (metrics add their middleware here). */
  instrument?: (client: Instrumentable) => void;
  /**
   * After a create call that may have acted failed, how long to wait before each look for what it made (EC2's
   * reads are eventually consistent, so it looks more than once).
   */
  lookDelaysMs?: number[];
}

export type BlockPublicAccessState = 'unblocked' | 'block-all-sharing' | 'block-new-sharing' | 'unknown';

/** What `/restore` asks for, less the attachment (a separate call), plus the tags. */
export type CreateVolumeParams = Omit<CommandOf<'restore.create'>, 'kind' | 'attach' | 'volumeType'> & {
  /** gp3, io2, …, or whatever type the volume being copied has (standard included). */
  volumeType: string;
  tags: Tags;
  /** Encrypt on create: EC2 encrypts a volume made from an unencrypted snapshot (the default EBS key, or this one). */
  encrypted?: boolean;
  kmsKeyId?: string;
};

export interface CopyParams {
  encrypted: boolean;
  kmsKeyId?: string;
  description?: string;
  name?: string;
  tags: Tags;
}

/** What launch templates (default and latest versions) reference. */
export interface LaunchTemplateUsage {
  snapshotIds: Set<string>;
  imageIds: Set<string>;
}

const PAGE = 1000;
/** How long the pickers' lookups are remembered. */
const REMEMBER_MS = 60_000;
/** Values EC2 accepts in one filter. */
const FILTER_VALUES = 200;

export class Ec2Gateway {
  private readonly clients: RegionalClients<EC2Client>;
  /** The same, without the SDK's retries: for the create calls EC2 cannot make idempotent (see createOnce). */
  private readonly onceClients: RegionalClients<EC2Client>;
  /** Decides whether and when such a call is tried again: the SDK's own standard strategy, with its attempts. */
  private readonly retry: StandardRetryStrategy;
  private readonly lookDelaysMs: number[];
  private readonly recent = new Map<string, { at: number; value: Promise<unknown> }>();
  /** EC2 API calls made (each command once, retries not counted), for the benchmark. */
  calls = 0;

  constructor(opts: Ec2GatewayOptions = {}) {
    const maxAttempts = opts.maxAttempts ?? 6;
    const shared = {
      endpoint: opts.endpoint,
      credentials: opts.credentials,
      // A connection that hangs must fail (and be retried), not hold a command's work forever.
      timeouts: { connectionTimeout: 5_000, requestTimeout: 60_000 },
      instrument: (c: Instrumentable) => {
        c.middlewareStack.add(
          ((next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
            this.calls++;
            return next(args);
          }) as never,
          { step: 'initialize', name: 'snapbotCallCounter' },
        );
        opts.instrument?.(c);
      },
    };
    this.clients = new RegionalClients((config) => new EC2Client(config), { ...shared, maxAttempts });
    this.onceClients = new RegionalClients((config) => new EC2Client(config), { ...shared, maxAttempts: 1 });
    this.retry = new StandardRetryStrategy(maxAttempts);
    this.lookDelaysMs = opts.lookDelaysMs ?? [300, 1_000, 2_500];
  }

  client(region: string): EC2Client {
    return this.clients.get(region);
  }

  destroy(): void {
    this.clients.destroy();
    this.onceClients.destroy();
  }

  /**
   * A create call EC2 cannot make idempotent (it takes no ClientToken): sent without the SDK's own retries. When an
   * attempt fails in a way that may have acted (a 5xx, a timeout, a dropped connection), first look for what it
   * made — `find`, by the snapbot:request tag, more than once — and only then try again, when and as often as the
   * SDK's standard retry strategy allows. A repeat that EC2 refuses as a duplicate (InvalidAMIName.Duplicate) means
   * the first attempt acted: look again. So a 5xx never leaves two snapshots, nor reports as failed what was made.
   */
  private async createOnce<T>(ctx: AwsCallContext, attempt: (c: EC2Client) => Promise<T>, find: (() => Promise<T | undefined>) | undefined): Promise<T> {
    this.forget(ctx.region);
    let token = await this.retry.acquireInitialRetryToken(`${ctx.region}:${ctx.action}`);
    let tried = false;
    for (;;) {
      try {
        const out = await attempt(this.onceClients.get(ctx.region));
        this.forget(ctx.region);
        this.retry.recordSuccess(token);
        return out;
      } catch (err) {
        const kind = retryKind(err);
        const duplicate = tried && /\.Duplicate$/.test((err as { name?: string }).name ?? '');
        // Throttling is refused before EC2 acts; anything else retryable may have acted.
        if (find && (duplicate || (kind && kind !== 'THROTTLING'))) {
          const made = await this.lookFor(find);
          if (made !== undefined) return made;
        }
        if (!kind || (!find && kind !== 'THROTTLING')) throw translateAwsError(err, ctx);
        try {
          token = await this.retry.refreshRetryTokenForRetry(token, { errorType: kind });
        } catch {
          throw translateAwsError(err, ctx);
        }
        tried = true;
        await new Promise((r) => setTimeout(r, token.getRetryDelay()));
      }
    }
  }

  private async lookFor<T>(find: () => Promise<T | undefined>): Promise<T | undefined> {
    for (const delay of this.lookDelaysMs) {
      await new Promise((r) => setTimeout(r, delay));
      const made = await find().catch(() => undefined);
      if (made !== undefined) return made;
    }
    return undefined;
  }

  /** What a create call tagged with `requestId` made (snapshots): for createOnce, and for a resumed encryption. */
  async snapshotsOfRequest(region: string, requestId: string, volumeId?: string): Promise<Snapshot[]> {
    const Filters: Filter[] = [{ Name: `tag:${TAG.request}`, Values: [requestId] }, ...(volumeId ? [{ Name: 'volume-id', Values: [volumeId] }] : [])];
    const out = await this.client(region).send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters }));
    return (out.Snapshots ?? []).map((s) => toSnapshot(s, region));
  }

  /** The AMI of this account with that name, when it carries the request's tag (AMI names are unique per region). */
  private async imageOfRequest(region: string, name: string, requestId: string): Promise<string | undefined> {
    const out = await this.client(region).send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: [name] }] }));
    const image = out.Images?.find((i) => i.Tags?.some((t) => t.Key === TAG.request && t.Value === requestId));
    return image?.ImageId;
  }

  private async call<T>(ctx: AwsCallContext, fn: (client: EC2Client) => Promise<T>): Promise<T> {
    // A write makes what was remembered of the region stale (before it, and after: a read that ran alongside it):
    // a person's own write is never hidden by it.
    const writes = !/^(Describe|Get|List)/.test(ctx.action);
    if (writes) this.forget(ctx.region);
    try {
      return await fn(this.client(ctx.region));
    } catch (err) {
      throw translateAwsError(err, ctx);
    } finally {
      if (writes) this.forget(ctx.region);
    }
  }

  /**
   * What the pickers ask at every keystroke, read once a minute per region (a failed read is not remembered).
   * Any write this gateway makes in the region forgets it at once.
   */
  private remembered<T>(region: string, what: string, read: () => Promise<T>): Promise<T> {
    const key = `${region}\u0000${what}`;
    const hit = this.recent.get(key);
    if (hit && performance.now() - hit.at < REMEMBER_MS) return hit.value as Promise<T>;
    const value = read();
    this.recent.set(key, { at: performance.now(), value });
    value.catch(() => this.recent.get(key)?.value === value && this.recent.delete(key));
    return value;
  }

  private forget(region: string): void {
    for (const key of this.recent.keys()) if (key.startsWith(`${region}\u0000`)) this.recent.delete(key);
  }

  // ── lookups by ID filter (progress tracking) ──────────────────────────────────
  // An ID *filter* answers with what exists; an ID list fails whole when one of them is gone. EC2 takes up to 200
  // values per filter, so larger batches are split; each chunk is one paginated call.

  async findSnapshots(region: string, snapshotIds: string[]): Promise<Snapshot[]> {
    return this.byIdFilter(region, 'DescribeSnapshots', snapshotIds, async (c, ids) => {
      const found: Snapshot[] = [];
      for await (const page of paginateDescribeSnapshots({ client: c, pageSize: PAGE }, { Filters: [{ Name: 'snapshot-id', Values: ids }] })) {
        for (const s of page.Snapshots ?? []) found.push(toSnapshot(s, region));
      }
      return found;
    });
  }

  async findImages(region: string, imageIds: string[]): Promise<Image[]> {
    return this.byIdFilter(region, 'DescribeImages', imageIds, async (c, ids) => {
      const found: Image[] = [];
      for await (const page of paginateDescribeImages(
        { client: c, pageSize: PAGE },
        { Filters: [{ Name: 'image-id', Values: ids }], IncludeDisabled: true, IncludeDeprecated: true },
      )) {
        for (const i of page.Images ?? []) found.push(toImage(i, region));
      }
      return found;
    });
  }

  async findVolumes(region: string, volumeIds: string[]): Promise<Volume[]> {
    return this.byIdFilter(region, 'DescribeVolumes', volumeIds, async (c, ids) => {
      const found: Volume[] = [];
      for await (const page of paginateDescribeVolumes({ client: c, pageSize: PAGE }, { Filters: [{ Name: 'volume-id', Values: ids }] })) {
        for (const v of page.Volumes ?? []) found.push(toVolume(v, region));
      }
      return found;
    });
  }

  private async byIdFilter<T>(region: string, action: string, ids: string[], read: (c: EC2Client, ids: string[]) => Promise<T[]>): Promise<T[]> {
    const unique = [...new Set(ids)];
    const out: T[] = [];
    for (let i = 0; i < unique.length; i += FILTER_VALUES) {
      out.push(...(await this.call({ action, region }, (c) => read(c, unique.slice(i, i + FILTER_VALUES)))));
    }
    return out;
  }

  // ── volumes ────────────────────────────────────────────────────────────────

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

  async detachVolume(region: string, volumeId: string, instanceId: string): Promise<void> {
    await this.call({ action: 'DetachVolume', region, resourceId: volumeId }, (c) => c.send(new DetachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId })));
  }

  /** Whether the volume at `device` goes with the instance when it is terminated (a new attachment says no). */
  async setDeleteOnTermination(region: string, instanceId: string, device: string, deleteOnTermination: boolean): Promise<void> {
    await this.call({ action: 'ModifyInstanceAttribute', region, resourceId: instanceId }, (c) =>
      c.send(new ModifyInstanceAttributeCommand({ InstanceId: instanceId, BlockDeviceMappings: [{ DeviceName: device, Ebs: { DeleteOnTermination: deleteOnTermination } }] })),
    );
  }

  // ── instances ──────────────────────────────────────────────────────────────

  async getInstance(region: string, instanceId: string): Promise<Instance> {
    return this.call({ action: 'DescribeInstances', region, resourceId: instanceId }, async (c) => {
      const out = await c.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      const i = out.Reservations?.[0]?.Instances?.[0];
      if (!i) throw notFound('InvalidInstanceID.NotFound', instanceId, region);
      return toInstance(i, region);
    });
  }

  /** Instances whose ID or Name tag contains `query`, not terminated, for pickers (read as searchVolumes reads). */
  async searchInstances(region: string, query: string, limit = 100): Promise<Instance[]> {
    const q = query.trim().toLowerCase();
    const all = await this.remembered(region, 'pickable instances', () =>
      this.call({ action: 'DescribeInstances', region }, async (c) => {
        const found: Instance[] = [];
        let pages = 0;
        const Filters: Filter[] = [{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }];
        for await (const page of paginateDescribeInstances({ client: c, pageSize: PAGE }, { Filters })) {
          for (const r of page.Reservations ?? []) for (const raw of r.Instances ?? []) found.push(toInstance(raw, region));
          if (++pages >= 5) break;
        }
        return found;
      }),
    );
    return all.filter((i) => !q || i.id.includes(q) || (i.tags.Name ?? '').toLowerCase().includes(q)).slice(0, limit);
  }


  /** AMIs that a not-terminated instance runs from. */
  async imageIdsInUseByInstances(region: string): Promise<Set<string>> {
    return this.call({ action: 'DescribeInstances', region }, async (c) => {
      const ids = new Set<string>();
      const Filters: Filter[] = [{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }];
      for await (const page of paginateDescribeInstances({ client: c, pageSize: PAGE }, { Filters })) {
        for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) if (i.ImageId) ids.add(i.ImageId);
      }
      return ids;
    });
  }

  async runInstance(
    region: string,
    p: { imageId: string; instanceType: string; subnetId?: string; keyName?: string; tags: Tags },
  ): Promise<Instance> {
    return this.call({ action: 'RunInstances', region, resourceId: p.imageId }, async (c) => {
      const out = await c.send(
        new RunInstancesCommand({
          ImageId: p.imageId,
          InstanceType: p.instanceType as never,
          MinCount: 1,
          MaxCount: 1,
          SubnetId: p.subnetId,
          KeyName: p.keyName,
          TagSpecifications: tagSpecs('instance', p.tags),
          ClientToken: clientToken(p.tags, 'launch'),
        }),
      );
      const i = out.Instances?.[0];
      if (!i) throw new AwsActionError('unknown', `RunInstances returned no instance for ${p.imageId}`, 'Empty');
      return toInstance(i, region);
    });
  }

  /** Whether the instance type has instance store volumes (what an instance store-backed AMI boots from). */
  async instanceStorageSupported(region: string, instanceType: string): Promise<boolean> {
    return this.call({ action: 'DescribeInstanceTypes', region }, async (c) => {
      const out = await c.send(new DescribeInstanceTypesCommand({ InstanceTypes: [instanceType as never] }));
      return out.InstanceTypes?.[0]?.InstanceStorageSupported ?? false;
    });
  }

  async availabilityZones(region: string): Promise<string[]> {
    return this.remembered(region, 'zones', () => this.availabilityZonesNow(region));
  }

  private async availabilityZonesNow(region: string): Promise<string[]> {
    return this.call({ action: 'DescribeAvailabilityZones', region }, async (c) => {
      const out = await c.send(
        new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-type', Values: ['availability-zone'] }] }),
      );
      return (out.AvailabilityZones ?? [])
        .filter((z) => !z.State || z.State === 'available')
        .map((z) => z.ZoneName ?? '')
        .filter(Boolean)
        .sort();
    });
  }

  // ── snapshots ──────────────────────────────────────────────────────────────

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

  // ── locks, tiers and the Recycle Bin ───────────────────────────────────────

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

  // ── images ─────────────────────────────────────────────────────────────────

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
  async deregisterImage(
    region: string,
    imageId: string,
    deleteSnapshots: boolean,
  ): Promise<{ deletedSnapshots: string[]; keptSnapshots: { id: string; why: string }[] }> {
    const image = await this.getImage(region, imageId);
    await this.call({ action: 'DeregisterImage', region, resourceId: imageId }, (c) =>
      c.send(new DeregisterImageCommand({ ImageId: imageId })),
    );
    const deletedSnapshots: string[] = [];
    const keptSnapshots: { id: string; why: string }[] = [];
    if (deleteSnapshots) {
      for (const snapshotId of imageSnapshotIds(image)) {
        try {
          await this.deleteSnapshot(region, snapshotId);
          deletedSnapshots.push(snapshotId);
        } catch (err) {
          if (err instanceof AwsActionError && err.kind === 'not-found') deletedSnapshots.push(snapshotId);
          else keptSnapshots.push({ id: snapshotId, why: (err as Error).message });
        }
      }
    }
    return { deletedSnapshots, keptSnapshots };
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
}

function tagSpecs(type: ResourceType, tags: Tags) {
  return Object.keys(tags).length ? [{ ResourceType: type, Tags: toTagList(tags) }] : [];
}

function notFound(code: string, id: string, region: string): Error {
  const e = new Error(`The resource '${id}' does not exist in ${region}.`);
  e.name = code;
  return e;
}

/** How createOnce may retry a failed attempt (the SDK's own classification), or undefined: not at all. */
function retryKind(err: unknown): RetryErrorType | undefined {
  const e = err as SdkError;
  if (isThrottlingError(e)) return 'THROTTLING';
  if (isTransientError(e)) return 'TRANSIENT';
  if (isServerError(e)) return 'SERVER_ERROR';
  return undefined;
}

/**
 * The ClientToken of a call EC2 makes idempotent, derived from the request recorded for it (its snapbot:request
 * tag), so a retry — the SDK's, or a restarted bot's — gets what the first attempt made. EC2 allows 64 characters.
 */
function clientToken(tags: Tags, what: string): string | undefined {
  const request = tags[TAG.request];
  return request ? `snapbot-${what}-${request}`.slice(0, 64) : undefined;
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}
