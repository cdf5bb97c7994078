/**
 * The sandbox EC2 service: an in-process HTTP server speaking the EC2 Query API, so the real
 * `EC2Client` (and the bot's real src/aws/ code) runs against it unchanged. One server serves every
 * region (taken from the request's SigV4 credential scope); resource states follow a clock.
 *
 * Actions: CreateSnapshot(s), DescribeSnapshots, Describe/ModifySnapshotAttribute, CopySnapshot,
 * DeleteSnapshot, DescribeVolumes, CreateVolume, Attach/DetachVolume, DeleteVolume, DescribeInstances,
 * RunInstances, CreateImage, RegisterImage, DescribeImages, Describe/ModifyImageAttribute, CopyImage,
 * DeregisterImage, DescribeRegions, DescribeAvailabilityZones, Create/DeleteTags,
 * DescribeLaunchTemplates, DescribeLaunchTemplateVersions, GetSnapshotBlockPublicAccessState,
 * GetImageBlockPublicAccessState. Anything else answers InvalidAction.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO, seedDemo, seedDevAccount, seedSynthetic, type SyntheticSeed } from './seed.js';
import { Ec2Service, type SandboxCall, type ThrottleOptions } from './server.js';
import { Ec2State } from './state.js';

export { DEMO, seedDevAccount, seedSynthetic, type SyntheticSeed } from './seed.js';
export { Ec2State } from './state.js';
export type {
  BlockDeviceRecord,
  ImageBlockPublicAccess,
  ImageInput,
  ImageRecord,
  InstanceInput,
  InstanceRecord,
  LaunchTemplateInput,
  LaunchTemplateRecord,
  SnapshotBlockPublicAccess,
  SnapshotInput,
  SnapshotRecord,
  VolumeInput,
  VolumeRecord,
} from './state.js';
export { Ec2Service, type SandboxCall, type ThrottleOptions } from './server.js';

export interface SandboxEc2Options {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  accountId?: string;
  seed?: 'demo' | 'none' | SyntheticSeed;
  now?: () => Date;
  /** How long a new snapshot stays pending (default 8). */
  snapshotSeconds?: number;
  /** How long a new AMI and its snapshots stay pending (default 12). */
  imageSeconds?: number;
  /** How long a new volume stays `creating` (default snapshotSeconds / 4). */
  volumeSeconds?: number;
  /** How long a launched instance stays `pending` (default imageSeconds / 2). */
  instanceSeconds?: number;
  throttle?: ThrottleOptions;
  /** Actions answered with UnauthorizedOperation, e.g. ['CreateSnapshot']; '*' denies all. */
  deny?: string[];
  /** How long one hour of a lifecycle policy's schedule lasts (default a real hour). */
  dlmHourSeconds?: number;
  /**
   * Further accounts, reached through STS AssumeRole of `roleName` (default snapbot) with `externalId` when given;
   * each seeded like the primary one (or as said).
   */
  accounts?: Array<{ accountId: string; seed?: SandboxEc2Options['seed'] | 'dev'; roleName?: string; externalId?: string }>;
  /** Answer each EC2 request after this many ms, or as long as the function says for the action (benchmarks). */
  latencyMs?: number | ((action: string) => number);
}

export interface SandboxEc2 {
  /** Give this to the SDK as `endpoint`. */
  url: string;
  port: number;
  state: Ec2State;
  /** Every request received, oldest first. */
  calls: SandboxCall[];
  /** Live: add or remove actions during a test. */
  deny: Set<string>;
  service: Ec2Service;
  /** The EBS direct APIs' block contents (tests seed exact lineages with setContent). */
  ebs: Ec2Service['ebs'];
  /** Service Quotas: `quotas.applied.set(region, n)` raises the snapshot quota of a region. */
  quotas: Ec2Service['quotas'];
  stop(): Promise<void>;
  /**
   * The next `count` calls (of `action`, or of any action) fail with `code`, e.g. 'RequestLimitExceeded';
   * `afterActing`: each does its work first, then fails.
   */
  injectErrors(code: string, count: number, action?: string, opts?: { afterActing?: boolean }): void;
}

export const SANDBOX_ACCOUNT_ID = '123456789012';

/** Builds the account without a server, for code that wants the model alone. */
export function createSandboxState(opts: SandboxEc2Options = {}): Ec2State {
  const snapshotSeconds = opts.snapshotSeconds ?? 8;
  const imageSeconds = opts.imageSeconds ?? 12;
  const state = new Ec2State({
    accountId: opts.accountId ?? SANDBOX_ACCOUNT_ID,
    now: opts.now ?? (() => new Date()),
    snapshotSeconds,
    imageSeconds,
    volumeSeconds: opts.volumeSeconds ?? snapshotSeconds / 4,
    instanceSeconds: opts.instanceSeconds ?? imageSeconds / 2,
  });
  const seed = opts.seed ?? 'none';
  if (seed === 'demo') seedDemo(state);
  else if (seed !== 'none') seedSynthetic(state, seed);
  return state;
}

/** The block of DEMO.snapshots.webRootDaily whose data no longer matches its checksum. */
export const DEMO_DAMAGED_BLOCK = 1280;

/** Starts the EC2 Query API sandbox; point `new EC2Client({ endpoint: sandbox.url, … })` at it. */
export async function startSandboxEc2(opts: SandboxEc2Options = {}): Promise<SandboxEc2> {
  const state = createSandboxState(opts);
  const service = new Ec2Service(state, {
    deny: opts.deny,
    throttle: opts.throttle,
    dlm: opts.dlmHourSeconds !== undefined ? { hourMs: opts.dlmHourSeconds * 1000 } : undefined,
  });
  // One damaged block, so a newcomer sees what a failing restore drill says: /snapshot drill on web-1-root reads its
  // daily snapshot, and block 1280 (the first written block at the second of 32 sample points) no longer matches.
  if (opts.seed === 'demo') service.ebs.damage(DEMO.snapshots.webRootDaily, DEMO_DAMAGED_BLOCK);
  for (const a of opts.accounts ?? []) {
    const member = createSandboxState({ ...opts, accountId: a.accountId, seed: a.seed === 'dev' ? 'none' : (a.seed ?? 'none') });
    if (a.seed === 'dev') seedDevAccount(member);
    service.addAccount(member, { roleName: a.roleName, externalId: a.externalId });
  }
  service.latencyMs = opts.latencyMs ?? 0;
  const server = createServer(service.handle);
  // The SDK keeps connections alive; don't let an idle one hold stop() open.
  server.keepAliveTimeout = 5_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    state,
    calls: service.calls,
    deny: service.deny,
    service,
    ebs: service.ebs,
    quotas: service.quotas,
    injectErrors: (code, count, action, o) => service.injectErrors(code, count, action, o),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
