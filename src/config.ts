// The only reader of the environment. Everything else receives a validated Config.
import { Cron } from 'croner';
import { z } from 'zod';

export type Mode = 'production' | 'sandbox';

export interface Config {
  mode: Mode;
  /** appToken (SLACK_APP_TOKEN, xapp-…): connect through Socket Mode instead of receiving HTTP. */
  slack: { botToken: string; signingSecret: string; apiUrl?: string; appToken?: string };
  port: number;
  awsRegion: string;
  regions: string[];
  /** Only set when the user set AWS_ENDPOINT_URL(_EC2|_DYNAMODB): never invent an endpoint. */
  endpoints: { ec2?: string; dynamodb?: string; dlm?: string; rbin?: string; sts?: string; ebs?: string };
  /** DLM_ROLE_NAME: the execution role lifecycle policies run as, in the policy's own account. */
  dlmRoleName: string;
  dynamodbTable: string;
  approvalChannel: string;
  digestChannel: string;
  approvers: string[];
  shareAllowedAccounts: string[];
  approvalTtlHours: number;
  staleAfterDays: number;
  /** KEEP_PER_VOLUME: the newest N completed snapshots of an existing volume are never cleanup candidates. */
  keepPerVolume: number;
  digestSchedule: string;
  timezone: string;
  prices: { snapshotGbMonth: number; archiveGbMonth: number };
  progress: { pollSeconds: number; timeoutMinutes: number };
  logLevel: string;
  access: AccessConfig;
}

/** Who may change AWS, where, and how fast: the access policy's inputs (src/core/policy.ts). */
export interface AccessConfig {
  /** OPERATORS: user (U…/W…) and user-group (S…) IDs; undefined = every full member of the workspace. */
  operators?: string[];
  /** COMMAND_CHANNELS: channel IDs where changing commands are accepted; undefined = anywhere. */
  commandChannels?: string[];
  /** LAUNCH_INSTANCE_TYPES: globs of instance types /ami launch may start without an approval. */
  launchInstanceTypes: string[];
  /** BURST_LIMIT: changing commands one person may run in 10 minutes; 0 = no limit. */
  burstLimit: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`snapbot cannot start: ${problems.length} configuration problem(s)\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const CHANNEL = /^[CGD][A-Z0-9]{2,}$/;
const APPROVER = /^[UWS][A-Z0-9]{2,}$/;
const ACCOUNT = /^\d{12}$/;
/** An instance type or a glob of them: family.size with * and ? anywhere (t3.*, m7g.?xlarge, *.micro). */
const INSTANCE_TYPE_GLOB = /^[a-z0-9*?-]+\.[a-z0-9*?-]+$|^\*$/;

/** Neither Slack variable set means the embedded sandbox; both means production; one alone is an error. */
export function detectMode(env: Env): Mode {
  const token = nonEmpty(env.SLACK_BOT_TOKEN);
  const secret = nonEmpty(env.SLACK_SIGNING_SECRET);
  if (token && !secret) {
    throw new ConfigError([
      'SLACK_SIGNING_SECRET is missing while SLACK_BOT_TOKEN is set: set both for a real workspace, or neither for the sandbox',
    ]);
  }
  if (secret && !token) {
    throw new ConfigError([
      'SLACK_BOT_TOKEN is missing while SLACK_SIGNING_SECRET is set: set both for a real workspace, or neither for the sandbox',
    ]);
  }
  return token ? 'production' : 'sandbox';
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

function list(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Reads and validates the environment once. `mode` lets the sandbox launcher, which supplies its own generated
 * credentials and channels, keep the sandbox's relaxed requirements.
 */
export function loadConfig(env: Env, mode: Mode = detectMode(env)): Config {
  const problems: string[] = [];
  const bad = (name: string, value: string | undefined, allowed: string) =>
    problems.push(`${name}=${JSON.stringify(value ?? '')} is not valid: ${allowed}`);

  const number = (name: string, fallback: number, check: (n: number) => boolean, allowed: string): number => {
    const raw = nonEmpty(env[name]);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || !check(n)) {
      bad(name, raw, allowed);
      return fallback;
    }
    return n;
  };

  const port = number('PORT', 3000, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'a TCP port, 0–65535');

  const awsRegion = nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? 'us-east-1';
  if (!REGION.test(awsRegion)) bad('AWS_REGION', awsRegion, 'an AWS region name such as us-east-1');

  const regions = list(env.REGIONS);
  for (const r of regions) if (!REGION.test(r)) bad('REGIONS', env.REGIONS, `a comma list of AWS region names; "${r}" is not one`);

  const url = (name: string): string | undefined => {
    const raw = nonEmpty(env[name]);
    if (raw === undefined) return undefined;
    if (!z.url().safeParse(raw).success || !/^https?:\/\//.test(raw)) {
      bad(name, raw, 'an http(s) URL such as http://localhost:4566');
      return undefined;
    }
    return raw;
  };
  const endpointAll = url('AWS_ENDPOINT_URL');
  const ec2 = url('AWS_ENDPOINT_URL_EC2') ?? endpointAll;
  const dynamodb = url('AWS_ENDPOINT_URL_DYNAMODB') ?? endpointAll;
  const dlm = url('AWS_ENDPOINT_URL_DLM') ?? endpointAll;
  const rbin = url('AWS_ENDPOINT_URL_RBIN') ?? endpointAll;
  const sts = url('AWS_ENDPOINT_URL_STS') ?? endpointAll;
  const ebs = url('AWS_ENDPOINT_URL_EBS') ?? endpointAll;
  const dlmRoleName = nonEmpty(env.DLM_ROLE_NAME) ?? 'AWSDataLifecycleManagerDefaultRole';
  if (!/^[\w+=,.@/-]{1,512}$/.test(dlmRoleName)) {
    bad('DLM_ROLE_NAME', dlmRoleName, 'an IAM role name (or path/name) such as AWSDataLifecycleManagerDefaultRole');
  }
  const apiUrl = url('SLACK_API_URL');
  const appToken = nonEmpty(env.SLACK_APP_TOKEN);
  if (appToken !== undefined && !/^xapp-[\w-]+$/.test(appToken)) {
    bad('SLACK_APP_TOKEN', `${appToken.slice(0, 5)}…`, 'an app-level token starting with xapp- (Basic Information → App-Level Tokens, scope connections:write)');
  }
  if (appToken !== undefined && mode === 'sandbox') {
    problems.push('SLACK_APP_TOKEN is set without SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET: Socket Mode needs a real workspace; set those too, or unset SLACK_APP_TOKEN for the sandbox');
  }

  const table = nonEmpty(env.DYNAMODB_TABLE) ?? 'snapbot';
  if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(table)) {
    bad('DYNAMODB_TABLE', table, 'a DynamoDB table name: 3–255 letters, digits, "_", "-" or "."');
  }

  const approvalChannel = nonEmpty(env.APPROVAL_CHANNEL);
  if (approvalChannel === undefined && mode === 'production') {
    problems.push('APPROVAL_CHANNEL is missing: set the channel ID (C…/G…) where approval requests are posted');
  } else if (approvalChannel !== undefined && !CHANNEL.test(approvalChannel)) {
    bad('APPROVAL_CHANNEL', approvalChannel, 'a Slack channel ID such as C0123ABCD (not a #name)');
  }
  const digestChannel = nonEmpty(env.DIGEST_CHANNEL);
  if (digestChannel !== undefined && !CHANNEL.test(digestChannel)) {
    bad('DIGEST_CHANNEL', digestChannel, 'a Slack channel ID such as C0123ABCD (not a #name)');
  }

  const approvers = list(env.APPROVERS);
  if (approvers.length === 0 && mode === 'production') {
    problems.push('APPROVERS is missing: set a comma list of Slack user IDs (U…/W…) and user-group IDs (S…)');
  }
  for (const a of approvers) {
    if (!APPROVER.test(a)) bad('APPROVERS', env.APPROVERS, `Slack user IDs (U…/W…) or user-group IDs (S…); "${a}" is not one`);
  }

  const shareAllowedAccounts = list(env.SHARE_ALLOWED_ACCOUNTS);
  for (const a of shareAllowedAccounts) {
    if (!ACCOUNT.test(a)) bad('SHARE_ALLOWED_ACCOUNTS', env.SHARE_ALLOWED_ACCOUNTS, `12-digit AWS account IDs; "${a}" is not one`);
  }

  const approvalTtlHours = number('APPROVAL_TTL_HOURS', 24, (n) => n > 0 && n <= 24 * 30, 'a number of hours above 0, at most 720');
  const staleAfterDays = number('STALE_AFTER_DAYS', 90, (n) => Number.isInteger(n) && n >= 1 && n <= 3650, 'a whole number of days, 1–3650');
  const keepPerVolume = number('KEEP_PER_VOLUME', 1, (n) => Number.isInteger(n) && n >= 1 && n <= 1000, 'a whole number of snapshots, 1–1000');
  const snapshotGbMonth = number('SNAPSHOT_PRICE_GB_MONTH', 0.05, (n) => n >= 0, 'a USD price per GB-month, 0 or more');
  const archiveGbMonth = number('ARCHIVE_PRICE_GB_MONTH', 0.0125, (n) => n >= 0, 'a USD price per GB-month, 0 or more');
  const pollSeconds = number('PROGRESS_POLL_SECONDS', 2, (n) => n > 0 && n <= 300, 'seconds between progress checks, above 0, at most 300');
  const timeoutMinutes = number('PROGRESS_TIMEOUT_MINUTES', 360, (n) => n > 0, 'minutes before progress tracking gives up, above 0');

  const timezone = nonEmpty(env.TZ) ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    bad('TZ', timezone, 'an IANA time zone such as UTC or Europe/Berlin');
  }
  const digestSchedule = nonEmpty(env.DIGEST_SCHEDULE) ?? '0 9 * * *';
  try {
    new Cron(digestSchedule, { paused: true, timezone: problems.some((p) => p.startsWith('TZ=')) ? 'UTC' : timezone }).stop();
  } catch (e) {
    bad('DIGEST_SCHEDULE', digestSchedule, `a cron expression such as "0 9 * * *" (${(e as Error).message})`);
  }

  const operators = list(env.OPERATORS);
  for (const o of operators) {
    if (!APPROVER.test(o)) bad('OPERATORS', env.OPERATORS, `Slack user IDs (U…/W…) or user-group IDs (S…); "${o}" is not one`);
  }
  const commandChannels = list(env.COMMAND_CHANNELS);
  for (const c of commandChannels) {
    if (!CHANNEL.test(c)) bad('COMMAND_CHANNELS', env.COMMAND_CHANNELS, `Slack channel IDs such as C0123ABCD (not #names); "${c}" is not one`);
  }
  const launchInstanceTypes = nonEmpty(env.LAUNCH_INSTANCE_TYPES) === undefined ? ['t3.*', 't3a.*', 't4g.*'] : list(env.LAUNCH_INSTANCE_TYPES).map((t) => t.toLowerCase());
  for (const t of launchInstanceTypes) {
    if (!INSTANCE_TYPE_GLOB.test(t)) {
      bad('LAUNCH_INSTANCE_TYPES', env.LAUNCH_INSTANCE_TYPES, `a comma list of instance types or globs such as t3.*,m7g.large; "${t}" is not one`);
    }
  }
  const burstLimit = number('BURST_LIMIT', 20, (n) => Number.isInteger(n) && n >= 0 && n <= 10_000, 'a whole number of commands per 10 minutes, 0 (no limit) to 10000');

  const logLevel = nonEmpty(env.LOG_LEVEL) ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    bad('LOG_LEVEL', logLevel, 'one of fatal, error, warn, info, debug, trace, silent');
  }

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    mode,
    slack: {
      botToken: nonEmpty(env.SLACK_BOT_TOKEN) ?? '',
      signingSecret: nonEmpty(env.SLACK_SIGNING_SECRET) ?? '',
      apiUrl,
      ...(appToken ? { appToken } : {}),
    },
    port,
    awsRegion,
    regions: regions.length > 0 ? [...new Set(regions)] : [awsRegion],
    endpoints: { ec2, dynamodb, dlm, rbin, sts, ebs },
    dlmRoleName,
    dynamodbTable: table,
    approvalChannel: approvalChannel ?? '',
    digestChannel: digestChannel ?? approvalChannel ?? '',
    approvers,
    shareAllowedAccounts,
    approvalTtlHours,
    staleAfterDays,
    keepPerVolume,
    digestSchedule,
    timezone,
    prices: { snapshotGbMonth, archiveGbMonth },
    progress: { pollSeconds, timeoutMinutes },
    logLevel,
    access: {
      operators: operators.length > 0 ? [...new Set(operators)] : undefined,
      commandChannels: commandChannels.length > 0 ? [...new Set(commandChannels)] : undefined,
      launchInstanceTypes: [...new Set(launchInstanceTypes)],
      burstLimit,
    },
  };
}
