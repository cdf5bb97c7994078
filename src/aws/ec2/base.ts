// The EC2 gateway's plumbing: one client per region, the SDK's retry strategy, calls translated into words,
// create calls that never run twice, short-lived memory of pickers' reads, lookups by ID filter.
import {
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  paginateDescribeImages,
  paginateDescribeSnapshots,
  paginateDescribeVolumes,
  type Filter,
  type ResourceType,
} from '@aws-sdk/client-ec2';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/service-error-classification';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryErrorType, SdkError } from '@smithy/types';
import { StandardRetryStrategy } from '@smithy/util-retry';
import type { CommandOf } from '../../core/commands.js';
import type { Image, Snapshot, Tags, Volume } from '../../core/types.js';
import { TAG } from '../../core/types.js';
import { translateAwsError, type AwsCallContext } from '../errors.js';
import { toImage, toSnapshot, toTagList, toVolume } from '../mappers.js';

import { RegionalClients, type Instrumentable } from '../regional.js';

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

export const PAGE = 1000;
/** How long the pickers' lookups are remembered. */
const REMEMBER_MS = 60_000;
/** Values EC2 accepts in one filter. */
const FILTER_VALUES = 200;

export class Ec2Base {
  protected readonly clients: RegionalClients<EC2Client>;
  /** The same, without the SDK's retries: for the create calls EC2 cannot make idempotent (see createOnce). */
  protected readonly onceClients: RegionalClients<EC2Client>;
  /** Decides whether and when such a call is tried again: the SDK's own standard strategy, with its attempts. */
  protected readonly retry: StandardRetryStrategy;
  protected readonly lookDelaysMs: number[];
  protected readonly recent = new Map<string, { at: number; value: Promise<unknown> }>();
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
  protected async createOnce<T>(ctx: AwsCallContext, attempt: (c: EC2Client) => Promise<T>, find: (() => Promise<T | undefined>) | undefined): Promise<T> {
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

  protected async lookFor<T>(find: () => Promise<T | undefined>): Promise<T | undefined> {
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
  protected async imageOfRequest(region: string, name: string, requestId: string): Promise<string | undefined> {
    const out = await this.client(region).send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: [name] }] }));
    const image = out.Images?.find((i) => i.Tags?.some((t) => t.Key === TAG.request && t.Value === requestId));
    return image?.ImageId;
  }

  protected async call<T>(ctx: AwsCallContext, fn: (client: EC2Client) => Promise<T>): Promise<T> {
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
  protected remembered<T>(region: string, what: string, read: () => Promise<T>): Promise<T> {
    const key = `${region}\u0000${what}`;
    const hit = this.recent.get(key);
    if (hit && performance.now() - hit.at < REMEMBER_MS) return hit.value as Promise<T>;
    const value = read();
    this.recent.set(key, { at: performance.now(), value });
    value.catch(() => this.recent.get(key)?.value === value && this.recent.delete(key));
    return value;
  }

  protected forget(region: string): void {
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

  /** This account's snapshots of the given volumes (a batch's re-check: which are now the newest of each). */
  async snapshotsOfVolumes(region: string, volumeIds: string[]): Promise<Snapshot[]> {
    return this.byIdFilter(region, 'DescribeSnapshots', volumeIds, async (c, ids) => {
      const found: Snapshot[] = [];
      for await (const page of paginateDescribeSnapshots({ client: c, pageSize: PAGE }, { OwnerIds: ['self'], Filters: [{ Name: 'volume-id', Values: ids }] })) {
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

  protected async byIdFilter<T>(region: string, action: string, ids: string[], read: (c: EC2Client, ids: string[]) => Promise<T[]>): Promise<T[]> {
    const unique = [...new Set(ids)];
    const out: T[] = [];
    for (let i = 0; i < unique.length; i += FILTER_VALUES) {
      out.push(...(await this.call({ action, region }, (c) => read(c, unique.slice(i, i + FILTER_VALUES)))));
    }
    return out;
  }

}

export function tagSpecs(type: ResourceType, tags: Tags) {
  return Object.keys(tags).length ? [{ ResourceType: type, Tags: toTagList(tags) }] : [];
}

export function notFound(code: string, id: string, region: string): Error {
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
export function clientToken(tags: Tags, what: string): string | undefined {
  const request = tags[TAG.request];
  return request ? `snapbot-${what}-${request}`.slice(0, 64) : undefined;
}

export function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}
