// The only reader of the environment. Everything else receives a validated Config.
import { Cron } from 'croner';
import { z } from 'zod';
import { ACCOUNT_ALIAS, type ManagedAccount } from './core/accounts.js';

export type Mode = 'production' | 'sandbox';

export interface Config {
  mode: Mode;
  /** appToken (SLACK_APP_TOKEN, xapp-…): connect through Socket Mode instead of receiving HTTP. */
  slack: { botToken: string; signingSecret: string; apiUrl?: string; appToken?: string };
  port: number;
  /** HOST: the address the HTTP server listens on (loopback in sandbox mode, every interface in production). */
  host: string;
  /** METRICS_PORT: when set, /metrics is served there only, and not on `port`. */
  metricsPort?: number;
  awsRegion: string;
  regions: string[];
  /** Only set when the user set AWS_ENDPOINT_URL(_EC2|_DYNAMODB): never invent an endpoint. */
  endpoints: {
    ec2?: string;
    dynamodb?: string;
    dlm?: string;
    rbin?: string;
    sts?: string;
    ebs?: string;
    cloudtrail?: string;
    autoScaling?: string;
    serviceQuotas?: string;
  };
  /** DLM_ROLE_NAME: the execution role lifecycle policies run as, in the policy's own account. */
  dlmRoleName: string;
  /** ACCOUNTS: the other accounts snapbot manages (assuming `assumeRole` in each); empty = its own account only. */
  accounts: ManagedAccount[];
  /** ASSUME_ROLE_NAME, ASSUME_ROLE_EXTERNAL_ID: the role assumed in each account of `accounts`. */
  assumeRole: { name: string; externalId?: string };
  /** CHANNEL_ACCOUNTS: channel ID → the alias or ID its commands act on when no --account is given. */
  channelAccounts: Record<string, string>;
  dynamodbTable: string;
  approvalChannel: string;
  digestChannel: string;
  approvers: string[];
  shareAllowedAccounts: string[];
  approvalTtlHours: number;
  staleAfterDays: number;
  /** KEEP_PER_VOLUME: the newest N completed snapshots of an existing volume are never cleanup candidates. */
  keepPerVolume: number;
  /** BACKUP_RPO_HOURS: the recovery point objective an in-use volume's newest snapshot is held to. */
  backupRpoHours: number;
  /** DRILL_EVERY_DAYS (0: scheduled drills off), DRILL_MAX_PER_RUN, DRILL_SAMPLE_BLOCKS: restore drills. */
  drills: { everyDays: number; maxPerRun: number; sampleBlocks: number };
  /** COST_TAGS: tag keys that group spend (the first present on the resource, else on its volume, else "untagged"). */
  costTags: string[];
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
    super(`snapbot cannot start: ${problems.length === 1 ? '1 configuration problem' : `${problems.length} configuration problems`}\n- ${problems.join('\n- ')}`);
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

/** ACCOUNTS entries (`ID` or `alias=ID`), each ID and alias once. */
function parseAccounts(entries: string[], problems: string[]): ManagedAccount[] {
  const accounts: ManagedAccount[] = [];
  for (const entry of entries) {
    const [alias, id] = entry.includes('=') ? entry.split('=') : [undefined, entry];
    if (accounts.some((a) => a.id === id)) problems.push(`ACCOUNTS lists ${id} twice: give each account once`);
    else if (alias !== undefined && accounts.some((a) => a.alias === alias)) problems.push(`ACCOUNTS uses the alias "${alias}" twice: each alias names one account`);
    else accounts.push(alias === undefined ? { id } : { id, alias });
  }
  return accounts;
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

// ───────────────────────────── the environment, as one schema ─────────────────────────────
// Each variable is one entry: how its text becomes a value, and — the issue's message — what is allowed. A failed
// entry becomes "NAME="value" is not valid: <allowed>". Rules that join several variables (what production needs,
// DIGEST_SCHEDULE in TZ) follow the schema.

/** Absent and blank are the same: the default applies. */
const text = () => z.preprocess((v) => nonEmpty(typeof v === 'string' ? v : undefined), z.string().optional());

/** A number the check accepts, or the default; `allowed` is said when it is not. */
function numberVar(fallback: number, check: (n: number) => boolean, allowed: string) {
  return text().pipe(
    z
      .string()
      .optional()
      .transform((raw, ctx) => {
        if (raw === undefined) return fallback;
        const n = Number(raw);
        if (Number.isFinite(n) && check(n)) return n;
        ctx.addIssue({ code: 'custom', message: allowed });
        return z.NEVER;
      }),
  );
}

/** A value matching `re` (after `normalise`), or undefined when absent. */
function patternVar(re: RegExp, allowed: string, normalise: (v: string) => string = (v) => v) {
  return text().pipe(
    z
      .string()
      .optional()
      .transform((raw, ctx) => {
        if (raw === undefined) return undefined;
        const v = normalise(raw);
        if (re.test(v)) return v;
        ctx.addIssue({ code: 'custom', message: allowed });
        return z.NEVER;
      }),
  );
}

/** A comma list whose every item matches `re`; `allowed(item)` names the first that does not. */
function listVar(re: RegExp, allowed: (item: string) => string, normalise: (v: string) => string = (v) => v) {
  return z
    .preprocess((v) => (typeof v === 'string' ? v : undefined), z.string().optional())
    .transform((raw, ctx) => {
      const items = list(raw).map(normalise);
      const wrong = items.find((i) => !re.test(i));
      if (wrong !== undefined) {
        ctx.addIssue({ code: 'custom', message: allowed(wrong) });
        return z.NEVER;
      }
      return items;
    });
}

const urlVar = () =>
  text().pipe(
    z
      .string()
      .optional()
      .transform((raw, ctx) => {
        if (raw === undefined) return undefined;
        if (z.url().safeParse(raw).success && /^https?:\/\//.test(raw)) return raw;
        ctx.addIssue({ code: 'custom', message: 'an http(s) URL such as http://localhost:4566' });
        return z.NEVER;
      }),
  );

const SLACK_ID = (what: string) => (i: string) => `${what}; "${i}" is not one`;

/** The environment snapbot reads: every variable of the contract, one entry each. */
export const EnvSchema = z.object({
  SLACK_BOT_TOKEN: text(),
  SLACK_SIGNING_SECRET: text(),
  SLACK_APP_TOKEN: patternVar(/^xapp-[\w-]+$/, 'an app-level token starting with xapp- (Basic Information → App-Level Tokens, scope connections:write)'),
  SLACK_API_URL: urlVar(),
  PORT: numberVar(3000, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'a TCP port, 0–65535'),
  HOST: patternVar(/^(?:[0-9.]+|[0-9a-fA-F:]+|[A-Za-z0-9.-]+)$/, 'an address to listen on, such as 127.0.0.1, 0.0.0.0 or ::'),
  METRICS_PORT: text().pipe(
    z
      .string()
      .optional()
      .transform((raw, ctx) => {
        if (raw === undefined) return undefined;
        const n = Number(raw);
        if (Number.isInteger(n) && n >= 0 && n <= 65535) return n;
        ctx.addIssue({ code: 'custom', message: 'a TCP port, 0–65535, other than PORT' });
        return z.NEVER;
      }),
  ),
  AWS_REGION: patternVar(REGION, 'an AWS region name such as us-east-1'),
  AWS_DEFAULT_REGION: text(),
  REGIONS: listVar(REGION, (r) => `a comma list of AWS region names; "${r}" is not one`),
  AWS_ENDPOINT_URL: urlVar(),
  AWS_ENDPOINT_URL_EC2: urlVar(),
  AWS_ENDPOINT_URL_DYNAMODB: urlVar(),
  AWS_ENDPOINT_URL_DLM: urlVar(),
  AWS_ENDPOINT_URL_RBIN: urlVar(),
  AWS_ENDPOINT_URL_STS: urlVar(),
  AWS_ENDPOINT_URL_EBS: urlVar(),
  AWS_ENDPOINT_URL_CLOUDTRAIL: urlVar(),
  AWS_ENDPOINT_URL_AUTO_SCALING: urlVar(),
  AWS_ENDPOINT_URL_SERVICE_QUOTAS: urlVar(),
  DLM_ROLE_NAME: patternVar(/^[\w+=,.@/-]{1,512}$/, 'an IAM role name (or path/name) such as AWSDataLifecycleManagerDefaultRole'),
  DYNAMODB_TABLE: patternVar(/^[a-zA-Z0-9_.-]{3,255}$/, 'a DynamoDB table name: 3–255 letters, digits, "_", "-" or "."'),
  APPROVAL_CHANNEL: patternVar(CHANNEL, 'a Slack channel ID such as C0123ABCD (not a #name)'),
  DIGEST_CHANNEL: patternVar(CHANNEL, 'a Slack channel ID such as C0123ABCD (not a #name)'),
  APPROVERS: listVar(APPROVER, SLACK_ID('Slack user IDs (U…/W…) or user-group IDs (S…)')),
  SHARE_ALLOWED_ACCOUNTS: listVar(ACCOUNT, SLACK_ID('12-digit AWS account IDs')),
  ACCOUNTS: listVar(
    new RegExp(`^(?:${ACCOUNT_ALIAS.source.slice(1, -1)}=)?\\d{12}$`),
    (a) => `a comma list of 12-digit account IDs, each optionally named alias=ID (e.g. dev=222222222222,prod=333333333333); "${a}" is not one`,
  ),
  ASSUME_ROLE_NAME: patternVar(/^[\w+=,.@-]{1,64}$/, 'an IAM role name such as snapbot (1–64 letters, digits and +=,.@_-)'),
  ASSUME_ROLE_EXTERNAL_ID: patternVar(/^[\w+=,.@:/-]{2,1224}$/, 'an external ID of 2–1224 letters, digits and +=,.@:/-'),
  CHANNEL_ACCOUNTS: listVar(
    new RegExp(`^[CGD][A-Z0-9]{2,}=(?:\\d{12}|${ACCOUNT_ALIAS.source.slice(1, -1)})$`),
    (c) => `a comma list of channel=account pairs such as C0123ABCD=dev or C0123ABCD=222222222222; "${c}" is not one`,
  ),
  COST_TAGS: listVar(/^[^,]{1,128}$/, (k) => `a comma list of tag keys (1–128 characters each) such as team,cost-center; "${k}" is not one`),
  BACKUP_RPO_HOURS: numberVar(24, (n) => n > 0 && n <= 24 * 365, 'a number of hours above 0, at most 8760 (a year)'),
  DRILL_EVERY_DAYS: numberVar(7, (n) => Number.isInteger(n) && n >= 0 && n <= 3650, 'a whole number of days, 0 (scheduled drills off) to 3650'),
  DRILL_MAX_PER_RUN: numberVar(3, (n) => Number.isInteger(n) && n >= 0 && n <= 100, 'a whole number of drills per run, 0–100'),
  DRILL_SAMPLE_BLOCKS: numberVar(32, (n) => Number.isInteger(n) && n >= 1 && n <= 10_000, 'a whole number of blocks, 1–10000'),
  APPROVAL_TTL_HOURS: numberVar(24, (n) => n > 0 && n <= 24 * 30, 'a number of hours above 0, at most 720'),
  STALE_AFTER_DAYS: numberVar(90, (n) => Number.isInteger(n) && n >= 1 && n <= 3650, 'a whole number of days, 1–3650'),
  KEEP_PER_VOLUME: numberVar(1, (n) => Number.isInteger(n) && n >= 1 && n <= 1000, 'a whole number of snapshots, 1–1000'),
  SNAPSHOT_PRICE_GB_MONTH: numberVar(0.05, (n) => n >= 0, 'a USD price per GB-month, 0 or more'),
  ARCHIVE_PRICE_GB_MONTH: numberVar(0.0125, (n) => n >= 0, 'a USD price per GB-month, 0 or more'),
  PROGRESS_POLL_SECONDS: numberVar(2, (n) => n > 0 && n <= 300, 'seconds between progress checks, above 0, at most 300'),
  PROGRESS_TIMEOUT_MINUTES: numberVar(360, (n) => n > 0, 'minutes before progress tracking gives up, above 0'),
  TZ: text().pipe(
    z
      .string()
      .optional()
      .transform((raw, ctx) => {
        const tz = raw ?? 'UTC';
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: tz });
          return tz;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'an IANA time zone such as UTC or Europe/Berlin' });
          return z.NEVER;
        }
      }),
  ),
  DIGEST_SCHEDULE: text(),
  OPERATORS: listVar(APPROVER, SLACK_ID('Slack user IDs (U…/W…) or user-group IDs (S…)')),
  COMMAND_CHANNELS: listVar(CHANNEL, (c) => `Slack channel IDs such as C0123ABCD (not #names); "${c}" is not one`),
  LAUNCH_INSTANCE_TYPES: listVar(INSTANCE_TYPE_GLOB, (t) => `a comma list of instance types or globs such as t3.*,m7g.large; "${t}" is not one`, (t) => t.toLowerCase()),
  BURST_LIMIT: numberVar(20, (n) => Number.isInteger(n) && n >= 0 && n <= 10_000, 'a whole number of commands per 10 minutes, 0 (no limit) to 10000'),
  LOG_LEVEL: patternVar(/^(fatal|error|warn|info|debug|trace|silent)$/, 'one of fatal, error, warn, info, debug, trace, silent'),
});

/** The environment once parsed: typed values, defaults applied. */
export type ParsedEnv = z.infer<typeof EnvSchema>;

/**
 * Reads and validates the environment once. `mode` lets the sandbox launcher, which supplies its own generated
 * credentials and channels, keep the sandbox's relaxed requirements.
 */
export function loadConfig(env: Env, mode: Mode = detectMode(env)): Config {
  const parsed = EnvSchema.safeParse(env);
  const issues = parsed.success ? [] : parsed.error.issues;
  /** The variables that failed their entry. */
  const bad = new Set(issues.map((i) => String(i.path[0])));
  const problems = issues.map((i) => {
    const name = String(i.path[0]);
    const raw = nonEmpty(env[name]) ?? env[name] ?? '';
    // Secrets are not repeated in full, even in an error.
    const shown = name === 'SLACK_APP_TOKEN' ? `${raw.slice(0, 5)}…` : raw;
    return `${name}=${JSON.stringify(shown)} is not valid: ${i.message}`;
  });
  // A bad variable counts as unset for the rules below (its default), so they still read something sensible.
  const e: ParsedEnv = parsed.success ? parsed.data : EnvSchema.parse({ ...env, ...Object.fromEntries([...bad].map((name) => [name, undefined])) });

  // Rules across variables.
  if (e.APPROVAL_CHANNEL === undefined && mode === 'production' && !bad.has('APPROVAL_CHANNEL')) {
    problems.push('APPROVAL_CHANNEL is missing: set the channel ID (C…/G…) where approval requests are posted');
  }
  if ((e.APPROVERS ?? []).length === 0 && mode === 'production' && !bad.has('APPROVERS')) {
    problems.push('APPROVERS is missing: set a comma list of Slack user IDs (U…/W…) and user-group IDs (S…)');
  }
  if (e.SLACK_APP_TOKEN !== undefined && mode === 'sandbox') {
    problems.push('SLACK_APP_TOKEN is set without SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET: Socket Mode needs a real workspace; set those too, or unset SLACK_APP_TOKEN for the sandbox');
  }
  const awsRegion = e.AWS_REGION ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? 'us-east-1';
  if (e.AWS_REGION === undefined && !REGION.test(awsRegion)) problems.push(`AWS_REGION=${JSON.stringify(awsRegion)} is not valid: an AWS region name such as us-east-1`);
  const timezone = e.TZ ?? 'UTC';
  const digestSchedule = e.DIGEST_SCHEDULE ?? '0 9 * * *';
  try {
    new Cron(digestSchedule, { paused: true, timezone: bad.has('TZ') ? 'UTC' : timezone }).stop();
  } catch (err) {
    problems.push(`DIGEST_SCHEDULE=${JSON.stringify(digestSchedule)} is not valid: a cron expression such as "0 9 * * *" (${(err as Error).message})`);
  }
  const accounts = parseAccounts(e.ACCOUNTS ?? [], problems);
  const channelAccounts: Record<string, string> = {};
  for (const pair of e.CHANNEL_ACCOUNTS ?? []) {
    const [channel, ref] = pair.split('=');
    if (Object.hasOwn(channelAccounts, channel)) problems.push(`CHANNEL_ACCOUNTS names ${channel} twice: give each channel one account`);
    // An ID that is not in ACCOUNTS may be snapbot's own (known only once STS answers); an alias must be listed.
    if (!/^\d{12}$/.test(ref) && !accounts.some((a) => a.alias === ref)) {
      problems.push(
        `CHANNEL_ACCOUNTS=${JSON.stringify(env.CHANNEL_ACCOUNTS)} is not valid: "${ref}" (for ${channel}) is not an alias in ACCOUNTS${accounts.some((a) => a.alias) ? ` (${accounts.flatMap((a) => a.alias ?? []).join(', ')})` : ' (ACCOUNTS names none)'}`,
      );
    }
    channelAccounts[channel] = ref;
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    problems.push(`METRICS_PORT="${e.METRICS_PORT}" is not valid: a TCP port other than PORT (${e.PORT}); unset it to serve /metrics on PORT`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const all = e.AWS_ENDPOINT_URL;
  const regions = e.REGIONS ?? [];
  const operators = e.OPERATORS ?? [];
  const commandChannels = e.COMMAND_CHANNELS ?? [];
  const launchInstanceTypes = nonEmpty(env.LAUNCH_INSTANCE_TYPES) === undefined ? ['t3.*', 't3a.*', 't4g.*'] : (e.LAUNCH_INSTANCE_TYPES ?? []);
  return {
    mode,
    slack: {
      botToken: e.SLACK_BOT_TOKEN ?? '',
      signingSecret: e.SLACK_SIGNING_SECRET ?? '',
      apiUrl: e.SLACK_API_URL,
      ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
    },
    port: e.PORT,
    host: e.HOST ?? (mode === 'sandbox' ? '127.0.0.1' : '0.0.0.0'),
    ...(e.METRICS_PORT !== undefined ? { metricsPort: e.METRICS_PORT } : {}),
    awsRegion,
    regions: regions.length > 0 ? [...new Set(regions)] : [awsRegion],
    endpoints: {
      ec2: e.AWS_ENDPOINT_URL_EC2 ?? all,
      dynamodb: e.AWS_ENDPOINT_URL_DYNAMODB ?? all,
      dlm: e.AWS_ENDPOINT_URL_DLM ?? all,
      rbin: e.AWS_ENDPOINT_URL_RBIN ?? all,
      sts: e.AWS_ENDPOINT_URL_STS ?? all,
      ebs: e.AWS_ENDPOINT_URL_EBS ?? all,
      cloudtrail: e.AWS_ENDPOINT_URL_CLOUDTRAIL ?? all,
      autoScaling: e.AWS_ENDPOINT_URL_AUTO_SCALING ?? all,
      serviceQuotas: e.AWS_ENDPOINT_URL_SERVICE_QUOTAS ?? all,
    },
    dlmRoleName: e.DLM_ROLE_NAME ?? 'AWSDataLifecycleManagerDefaultRole',
    accounts,
    assumeRole: { name: e.ASSUME_ROLE_NAME ?? 'snapbot', ...(e.ASSUME_ROLE_EXTERNAL_ID ? { externalId: e.ASSUME_ROLE_EXTERNAL_ID } : {}) },
    channelAccounts,
    dynamodbTable: e.DYNAMODB_TABLE ?? 'snapbot',
    approvalChannel: e.APPROVAL_CHANNEL ?? '',
    digestChannel: e.DIGEST_CHANNEL ?? e.APPROVAL_CHANNEL ?? '',
    approvers: e.APPROVERS ?? [],
    shareAllowedAccounts: e.SHARE_ALLOWED_ACCOUNTS ?? [],
    approvalTtlHours: e.APPROVAL_TTL_HOURS,
    staleAfterDays: e.STALE_AFTER_DAYS,
    keepPerVolume: e.KEEP_PER_VOLUME,
    backupRpoHours: e.BACKUP_RPO_HOURS,
    drills: { everyDays: e.DRILL_EVERY_DAYS, maxPerRun: e.DRILL_MAX_PER_RUN, sampleBlocks: e.DRILL_SAMPLE_BLOCKS },
    costTags: e.COST_TAGS && e.COST_TAGS.length > 0 ? e.COST_TAGS : ['team'],
    digestSchedule,
    timezone,
    prices: { snapshotGbMonth: e.SNAPSHOT_PRICE_GB_MONTH, archiveGbMonth: e.ARCHIVE_PRICE_GB_MONTH },
    progress: { pollSeconds: e.PROGRESS_POLL_SECONDS, timeoutMinutes: e.PROGRESS_TIMEOUT_MINUTES },
    logLevel: e.LOG_LEVEL ?? 'info',
    access: {
      operators: operators.length > 0 ? [...new Set(operators)] : undefined,
      commandChannels: commandChannels.length > 0 ? [...new Set(commandChannels)] : undefined,
      launchInstanceTypes: [...new Set(launchInstanceTypes)],
      burstLimit: e.BURST_LIMIT,
    },
  };
}
