import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TokenBucket } from '../../core/token-bucket.js';
import { ACTIONS } from './actions/index.js';
import { Ec2Error, errors, injectedError } from './errors.js';
import { Params } from './query.js';
import { isRegionName } from './regions.js';
import type { Ec2State } from './state.js';
import { errorXml, escapeXml, responseXml } from './xml.js';
import { SandboxDlm, type DlmOptions } from '../dlm.js';
import { JsonApiError, jsonError } from '../json-api.js';
import { SandboxRecycleBin } from '../recycle-bin.js';
import { SandboxEbs } from '../ebs.js';
import { SandboxServiceQuotas } from '../service-quotas.js';
import { SandboxCloudTrail } from '../cloudtrail.js';
import { SandboxAutoScaling } from '../auto-scaling.js';

export interface SandboxCall {
  action: string;
  region: string;
  /** The account whose credentials signed it. */
  account?: string;
  /** The request's form parameters, without Action and Version. */
  params: Record<string, string>;
}

export interface ThrottleOptions {
  /** Requests allowed per second (also the burst size). */
  perSecond: number;
  /** One bucket per action instead of one for the whole account. */
  perAction?: boolean;
}

interface Injection {
  code: string;
  remaining: number;
  action?: string;
  /** The call acts first and fails after, as a 5xx or a timeout after EC2 did the work looks to a client. */
  afterActing?: boolean;
}

/** The actions EC2 makes idempotent with a ClientToken (a repeat answers what the first call made). */
const IDEMPOTENT = new Set(['RunInstances', 'CreateVolume', 'CopyImage']);

const DEFAULT_REGION = 'us-east-1';
/** Keeps the call log from growing without bound under benchmarks. */
const MAX_LOGGED_CALLS = 50_000;


/** The region a SigV4-signed request was signed for: `Credential=AKID/20261122/eu-west-1/ec2/aws4_request`. */
export function regionOf(req: IncomingMessage, params: Record<string, string>): string {
  const scope = req.headers.authorization ?? params['X-Amz-Credential'] ?? '';
  const m = /Credential=[^/,\s]+\/\d{8}\/([^/]+)\/[a-z0-9-]+\/aws4_request/.exec(scope) ?? /^[^/]+\/\d{8}\/([^/]+)\/[a-z0-9-]+\//.exec(scope);
  return m && isRegionName(m[1]) ? m[1] : DEFAULT_REGION;
}

/** The service a request was signed for (ec2, dlm, rbin, sts): one sandbox endpoint answers them all. */
export function serviceOf(req: IncomingMessage): string {
  return /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([a-z0-9-]+)\/aws4_request/.exec(req.headers.authorization ?? '')?.[1] ?? 'ec2';
}

function resourceArn(state: Ec2State, region: string, params: Record<string, string>): string {
  const id =
    params.VolumeId ?? params.SnapshotId ?? params.SourceSnapshotId ?? params.ImageId ?? params.SourceImageId ?? params.InstanceId;
  if (!id) return '*';
  const kind = id.startsWith('vol-') ? 'volume' : id.startsWith('snap-') ? 'snapshot' : id.startsWith('ami-') ? 'image' : 'instance';
  // Snapshot and image ARNs carry no account, as in real EC2.
  const account = kind === 'snapshot' || kind === 'image' ? '' : state.accountId;
  return `arn:aws:ec2:${region}:${account}:${kind}/${id}`;
}

/** One sandbox account: its EC2 state and the services over it. */
interface AccountServices {
  state: Ec2State;
  dlm: SandboxDlm;
  rbin: SandboxRecycleBin;
  ebs: SandboxEbs;
  cloudTrail: SandboxCloudTrail;
  quotas: SandboxServiceQuotas;
  autoScaling: SandboxAutoScaling;
  /** Who may assume a role in it: the role's name and the external ID its trust policy asks for. */
  trust?: { roleName: string; externalId?: string };
}

/** The access key a request was signed with: `Credential=AKID/…`. */
function accessKeyOf(req: IncomingMessage, params: Record<string, string>): string {
  const scope = req.headers.authorization ?? params['X-Amz-Credential'] ?? '';
  return /Credential=([^/,\s]+)\//.exec(scope)?.[1] ?? /^([^/]+)\//.exec(scope)?.[1] ?? '';
}

/** Temporary keys name their account, as the sandbox hands them out: ASIA + the account's 12 digits + a suffix. */
const ASSUMED_KEY = /^ASIA(\d{12})[A-Z0-9]{4}$/;

export class Ec2Service {
  readonly calls: SandboxCall[] = [];
  /** Actions answered with UnauthorizedOperation, e.g. `CreateSnapshot` or `ec2:CreateSnapshot`; `*` denies all. */
  readonly deny: Set<string>;
  private readonly injections: Injection[] = [];
  private readonly buckets = new Map<string, TokenBucket>();
  /** Changeable at run time, e.g. to start throttling halfway through a test. */
  throttle: ThrottleOptions | undefined;
  /** Data Lifecycle Manager and Recycle Bin, on the same endpoint, over the same account. */
  readonly dlm: SandboxDlm;
  readonly rbin: SandboxRecycleBin;
  /** The EBS direct APIs (read side) over the same snapshots. */
  readonly ebs: SandboxEbs;
  readonly cloudTrail: SandboxCloudTrail;
  readonly quotas = new SandboxServiceQuotas();
  readonly autoScaling: SandboxAutoScaling;
  /** Other accounts, reached with credentials from STS AssumeRole (as snapbot reaches the accounts of ACCOUNTS). */
  private readonly members = new Map<string, AccountServices>();
  /** Answer each EC2 and STS request after this many ms, or as long as the function says for its action (benchmarks: EC2's latency, so a scan is I/O-bound). */
  latencyMs: number | ((action: string) => number) = 0;

  constructor(
    readonly state: Ec2State,
    private readonly opts: { deny?: string[]; throttle?: ThrottleOptions; dlm?: DlmOptions } = {},
  ) {
    this.deny = new Set(opts.deny ?? []);
    this.throttle = opts.throttle;
    this.dlm = new SandboxDlm(state, opts.dlm);
    this.rbin = new SandboxRecycleBin(state);
    this.ebs = new SandboxEbs(state);
    this.cloudTrail = new SandboxCloudTrail(state);
    this.autoScaling = new SandboxAutoScaling(state);
  }

  /** Another account, whose role `trust.roleName` (default snapbot) the primary account's credentials may assume. */
  addAccount(state: Ec2State, trust: { roleName?: string; externalId?: string } = {}): void {
    this.members.set(state.accountId, {
      state,
      dlm: new SandboxDlm(state, this.opts.dlm),
      rbin: new SandboxRecycleBin(state),
      ebs: new SandboxEbs(state),
      cloudTrail: new SandboxCloudTrail(state),
      quotas: new SandboxServiceQuotas(),
      autoScaling: new SandboxAutoScaling(state),
      trust: { roleName: trust.roleName ?? 'snapbot', ...(trust.externalId ? { externalId: trust.externalId } : {}) },
    });
  }

  /** The account's state (the primary one by default). */
  account(accountId?: string): Ec2State | undefined {
    return accountId === undefined || accountId === this.state.accountId ? this.state : this.members.get(accountId)?.state;
  }

  private primary(): AccountServices {
    return { state: this.state, dlm: this.dlm, rbin: this.rbin, ebs: this.ebs, cloudTrail: this.cloudTrail, autoScaling: this.autoScaling, quotas: this.quotas };
  }

  /** The account a request's credentials belong to: an assumed role's, or the primary account's. */
  private accountOf(req: IncomingMessage, params: Record<string, string>): AccountServices {
    const id = ASSUMED_KEY.exec(accessKeyOf(req, params))?.[1];
    return (id !== undefined && this.members.get(id)) || this.primary();
  }

  /** What a ClientToken's first call answered, by account, region, action and token. */
  private readonly answeredTokens = new Map<string, { params: string; body: ReturnType<(typeof ACTIONS)[string]> }>();

  /**
   * The next `count` calls (of `action`, or of any action) fail with `code`; `afterActing`: each does its work
   * first and then fails, as EC2 can (a 5xx or a timeout after the snapshot was made).
   */
  injectErrors(code: string, count: number, action?: string, opts: { afterActing?: boolean } = {}): void {
    this.injections.push({ code, remaining: count, action, ...(opts.afterActing ? { afterActing: true } : {}) });
  }

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // Lifecycle policies run on the clock: whatever is due happens before anyone looks.
      this.dlm.catchUp();
      for (const m of this.members.values()) m.dlm.catchUp();
      const service = serviceOf(req);
      const account = this.accountOf(req, {});
      if (service === 'dlm' || service === 'rbin' || service === 'ebs') return this.answerJson(service, account, req, Buffer.concat(chunks).toString('utf8'), res);
      if (service === 'cloudtrail' || service === 'servicequotas') return this.answerJson11(service, account, req, Buffer.concat(chunks).toString('utf8'), res);
      const query = new URL(req.url ?? '/', 'http://sandbox').searchParams;
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const params: Record<string, string> = {};
      for (const [k, v] of query) params[k] = v;
      for (const [k, v] of form) params[k] = v;
      const requestId = randomUUID();
      const { status, body } =
        service === 'autoscaling' ? this.answerAutoScaling(req, this.accountOf(req, params), params) : this.dispatch(req, this.accountOf(req, params), params, requestId);
      const answer = () => {
        res.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId });
        res.end(body);
      };
      const delay = typeof this.latencyMs === 'number' ? this.latencyMs : this.latencyMs(params.Action ?? '');
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    });
  };

  private answerAutoScaling(req: IncomingMessage, account: AccountServices, params: Record<string, string>): { status: number; body: string } {
    const region = regionOf(req, params);
    const { Action: action = '', Version: _version, ...rest } = params;
    this.log({ action: `autoscaling:${action}`, region, params: rest, account: account.state.accountId });
    if (this.deny.has('*') || this.deny.has(`autoscaling:${action}`)) {
      return {
        status: 403,
        body: `<?xml version="1.0" encoding="UTF-8"?><ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::${account.state.accountId}:user/sandbox is not authorized to perform: autoscaling:${action}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
      };
    }
    return account.autoScaling.handle(region, params);
  }

  /** CloudTrail and Service Quotas: JSON 1.1, the operation in X-Amz-Target. */
  private answerJson11(service: 'cloudtrail' | 'servicequotas', account: AccountServices, req: IncomingMessage, text: string, res: ServerResponse): void {
    const region = regionOf(req, {});
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = `${service}:${target.split('.').pop() ?? ''}`;
    let status = 200;
    let body: string;
    let headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
    try {
      const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      this.log({ action, region, params: parsed as Record<string, string>, account: account.state.accountId });
      if (this.deny.has('*') || this.deny.has(action) || this.deny.has(`${service}:*`)) {
        throw new JsonApiError('AccessDeniedException', `User: arn:aws:iam::${account.state.accountId}:user/sandbox is not authorized to perform: ${action}`, 400);
      }
      this.takeInjection(action);
      body = JSON.stringify(service === 'cloudtrail' ? account.cloudTrail.handle(target, region, parsed) : account.quotas.handle(target, region, parsed));
    } catch (e) {
      const err = e instanceof JsonApiError ? e : e instanceof Ec2Error ? new JsonApiError(e.code, e.message, e.status) : new JsonApiError('InternalFailure', (e as Error).message, 500);
      status = err.status;
      headers = { 'content-type': 'application/x-amz-json-1.1' };
      body = JSON.stringify({ __type: err.code, message: err.message });
    }
    const answer = () => {
      res.writeHead(status, headers);
      res.end(body);
    };
    const delay = typeof this.latencyMs === 'number' ? this.latencyMs : this.latencyMs(action);
    if (delay > 0) setTimeout(answer, delay);
    else answer();
  }

  private answerJson(service: 'dlm' | 'rbin' | 'ebs', account: AccountServices, req: IncomingMessage, text: string, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const region = regionOf(req, {});
    const action = `${service}:${req.method} ${url.pathname}`;
    this.log({ action, region, params: Object.fromEntries(url.searchParams) });
    let status = 200;
    let body: string;
    let headers: Record<string, string> = { 'content-type': 'application/json' };
    try {
      const iamAction = `${service}:*`;
      if (this.deny.has('*') || this.deny.has(iamAction) || this.deny.has(action)) {
        throw new JsonApiError('AccessDeniedException', `User: arn:aws:iam::${account.state.accountId}:user/sandbox is not authorized to perform: ${iamAction}`, 403);
      }
      const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      this.takeInjection(action);
      const api = service === 'dlm' ? account.dlm : service === 'rbin' ? account.rbin : account.ebs;
      const answer = api.handle({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, region, body: parsed });
      // GetSnapshotBlock answers bytes, its length and checksum in headers (restJson1's streaming blob payload).
      if (Buffer.isBuffer(answer.binary)) {
        res.writeHead(200, { ...(answer.headers as Record<string, string>), 'x-amzn-requestid': randomUUID() });
        res.end(answer.binary);
        return;
      }
      body = JSON.stringify(answer);
    } catch (e) {
      const err = e instanceof JsonApiError ? e : new JsonApiError('InternalServerException', (e as Error).message, 500);
      ({ status, headers, body } = jsonError(err));
    }
    res.writeHead(status, { ...headers, 'x-amzn-requestid': randomUUID() });
    res.end(body);
  }

  private dispatch(req: IncomingMessage, account: AccountServices, params: Record<string, string>, requestId: string): { status: number; body: string } {
    const { Action: action = '', Version: _version, ...rest } = params;
    const region = regionOf(req, params);
    this.log({ action, region, params: rest, account: account.state.accountId });
    if (action === 'GetCallerIdentity') return { status: 200, body: callerIdentityXml(account.state.accountId, requestId, account.trust?.roleName) };
    if (action === 'AssumeRole') return this.assumeRole(account, rest, requestId);
    try {
      const body = this.run(account.state, action, region, rest);
      return { status: 200, body: responseXml(action, requestId, body) };
    } catch (e) {
      const err = e instanceof Ec2Error ? e : errors.internal(e instanceof Error ? e.message : String(e));
      return { status: err.status, body: errorXml(err.code, err.message, requestId) };
    }
  }

  /**
   * STS AssumeRole: the primary account's credentials may assume a member account's role when the role name and
   * the external ID match its trust; the answer's keys then reach that account. Anything else is AccessDenied.
   */
  private assumeRole(caller: AccountServices, params: Record<string, string>, requestId: string): { status: number; body: string } {
    try {
      this.takeInjection('AssumeRole');
    } catch (e) {
      const err = e instanceof Ec2Error ? e : errors.internal(String(e));
      return { status: err.status, body: stsErrorXml(err.code, err.message, requestId) };
    }
    const arn = params.RoleArn ?? '';
    const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
    const target = m ? this.members.get(m[1]) : undefined;
    const denied = () => ({
      status: 403,
      body: stsErrorXml('AccessDenied', `User: arn:aws:iam::${caller.state.accountId}:user/sandbox is not authorized to perform: sts:AssumeRole on resource: ${arn}`, requestId),
    });
    if (!m || !target?.trust || target.trust.roleName !== m[2]) return denied();
    if ((target.trust.externalId ?? '') !== (params.ExternalId ?? '')) return denied();
    const seconds = Number(params.DurationSeconds ?? 3600);
    const expiration = new Date(Date.now() + seconds * 1000).toISOString();
    const suffix = randomUUID().replace(/-/g, '').slice(0, 4).toUpperCase();
    const session = params.RoleSessionName ?? 'session';
    return {
      status: 200,
      body:
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>` +
        `<AccessKeyId>ASIA${m[1]}${suffix}</AccessKeyId><SecretAccessKey>sandbox-secret-${suffix}</SecretAccessKey>` +
        `<SessionToken>sandbox-session-${suffix}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
        `<AssumedRoleUser><AssumedRoleId>AROASANDBOX:${escapeXml(session)}</AssumedRoleId><Arn>${escapeXml(`arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${session}`)}</Arn></AssumedRoleUser>` +
        `</AssumeRoleResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    };
  }

  private run(state: Ec2State, action: string, region: string, params: Record<string, string>) {
    if (!action) throw new Ec2Error('MissingAction', 'The request must contain the parameter Action');
    const handler = ACTIONS[action];
    if (!handler) throw errors.invalidAction(action);
    this.takeInjection(action);
    if (this.throttle && !this.bucket(action).take()) throw errors.throttled();
    if (this.deny.has(action) || this.deny.has(`ec2:${action}`) || this.deny.has('*')) {
      throw errors.unauthorized(state.accountId, action, resourceArn(state, region, params));
    }
    const p = Params.parse(params);
    if (p.bool('DryRun')) throw errors.dryRun();
    const token = IDEMPOTENT.has(action) ? params.ClientToken : undefined;
    const tokenKey = `${state.accountId}/${region}/${action}/${token}`;
    const { ClientToken: _token, ...rest } = params;
    const seen = token ? this.answeredTokens.get(tokenKey) : undefined;
    if (seen) {
      if (seen.params !== JSON.stringify(rest)) {
        throw new Ec2Error('IdempotentParameterMismatch', `The client token ${token} was used before with different parameters.`);
      }
      return seen.body;
    }
    const body = handler({ state, region, r: state.region(region), p, now: state.now() });
    if (token) this.answeredTokens.set(tokenKey, { params: JSON.stringify(rest), body });
    this.takeInjection(action, true);
    return body;
  }

  private takeInjection(action: string, afterActing = false): void {
    const i = this.injections.findIndex((x) => x.remaining > 0 && (x.action === undefined || x.action === action) && Boolean(x.afterActing) === afterActing);
    if (i < 0) return;
    const injection = this.injections[i];
    if (--injection.remaining === 0) this.injections.splice(i, 1);
    throw injectedError(injection.code);
  }

  private bucket(action: string): TokenBucket {
    const { perAction, perSecond } = this.throttle!;
    const key = `${perAction ? action : '*'}@${perSecond}`;
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = new TokenBucket(perSecond, 1000)));
    return b;
  }

  private log(call: SandboxCall): void {
    if (this.calls.length >= MAX_LOGGED_CALLS) this.calls.splice(0, MAX_LOGGED_CALLS / 2);
    this.calls.push(call);
  }
}

/** STS's awsQuery error: an ErrorResponse (EC2's is a Response with Errors). */
function stsErrorXml(code: string, message: string, requestId: string): string {
  return (
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

/** STS's awsQuery answer (a Result element, unlike EC2's): who the sandbox's credentials are. */
function callerIdentityXml(accountId: string, requestId: string, assumedRole?: string): string {
  const arn = assumedRole ? `arn:aws:sts::${accountId}:assumed-role/${assumedRole}/snapbot` : `arn:aws:iam::${accountId}:user/sandbox`;
  return (
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
    `<Arn>${escapeXml(arn)}</Arn><UserId>AIDASANDBOX</UserId><Account>${accountId}</Account>` +
    `</GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`
  );
}
