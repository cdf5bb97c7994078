// Sandbox mode: the real bot against the sandbox EC2, DynamoDB Local and the Slack stand-in, with the console on
// PORT playing Slack's part in a browser. Everything runs in this one process (DynamoDB Local as its child).
import { randomBytes } from 'node:crypto';
import { createSnapbot, type Snapbot } from '../app.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { SandboxConsole } from './console/server.js';
import { demoHints, sandboxBanner, SANDBOX_CHANNELS, SANDBOX_USERS, SANDBOX_WORKSPACE, type Banner } from './console/workspace.js';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';
import { DEMO, startSandboxEc2, type SandboxEc2 } from './ec2/index.js';
import { FakeSlack } from './slack/webapi.js';
import { createLogger } from '../log.js';

export interface SandboxOptions {
  /** The console's port; default PORT from the environment, else 3000. 0 picks a free one. */
  port?: number;
  /** The bot's own HTTP port (POST /slack/events, GET /healthz); default a free one. */
  botPort?: number;
  /** How long a new snapshot stays pending in the sandbox EC2 (default 8 s). */
  snapshotSeconds?: number;
  /** How long a new AMI stays pending (default 12 s). */
  imageSeconds?: number;
  /** Use this DynamoDB (e.g. one a test suite already runs) instead of starting DynamoDB Local. */
  dynamodbEndpoint?: string;
  /** No banner and no logs (tests). */
  quiet?: boolean;
  /** Stop everything and exit on SIGINT/SIGTERM (default true; the handlers go when stop() is called). */
  handleSignals?: boolean;
}

export interface Sandbox {
  /** The console, e.g. http://localhost:3000 */
  consoleUrl: string;
  /** The bot's own server, e.g. http://127.0.0.1:41234 */
  botUrl: string;
  config: Config;
  bot: Snapbot;
  slack: FakeSlack;
  ec2: SandboxEc2;
  console: SandboxConsole;
  dynamodbEndpoint: string;
  banner: Banner;
  stop(): Promise<void>;
}

const CREDENTIALS = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' };

export async function startSandbox(env: Record<string, string | undefined>, opts: SandboxOptions = {}): Promise<Sandbox> {
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    cleanups.length = 0;
  };
  // Only the console, in this process, signs requests for this bot.
  const secret = randomBytes(16).toString('hex');
  // Configuration errors (PORT=abc, a bad STALE_AFTER_DAYS) are told before anything starts.
  const placeholder = 'http://127.0.0.1:9';
  loadConfig(sandboxEnv(env, opts, { ec2: placeholder, dynamodb: placeholder, slackApi: `${placeholder}/api/`, secret }), 'sandbox');
  try {
    // Schedules run at sandbox speed: an hour of a lifecycle policy lasts 10 s, so a daily one runs every 4 minutes.
    // A second account, "dev", behind STS AssumeRole as a member account of ACCOUNTS would be.
    const ec2Ready = startSandboxEc2({
      seed: 'demo',
      snapshotSeconds: opts.snapshotSeconds,
      imageSeconds: opts.imageSeconds,
      dlmHourSeconds: 10,
      accounts: [{ accountId: DEMO.devAccountId, seed: 'dev' }],
    });
    const slackReady = new FakeSlack({ botUserId: SANDBOX_WORKSPACE.bot.id }).start();
    const dynamoReady: Promise<DynamoDbLocal | undefined> = opts.dynamodbEndpoint ? Promise.resolve(undefined) : startDynamoDbLocal();
    const [ec2, slack, dynamo] = await Promise.allSettled([ec2Ready, slackReady, dynamoReady]).then((results) => {
      for (const r of results) if (r.status === 'fulfilled' && r.value) cleanups.push(() => r.value!.stop());
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [SandboxEc2, FakeSlack, DynamoDbLocal | undefined];
    });
    const dynamodbEndpoint = opts.dynamodbEndpoint ?? dynamo!.endpoint;
    // users.info answers for the switcher's people as Slack would: Gus is a guest.
    for (const u of SANDBOX_WORKSPACE.users) if (u.slack) slack.users.set(u.id, u.slack);

    const base = loadConfig(sandboxEnv(env, opts, { ec2: ec2.url, dynamodb: dynamodbEndpoint, slackApi: slack.apiUrl, secret }), 'sandbox');
    const config: Config = { ...base, port: opts.botPort ?? 0 };
    const log = createLogger(config.logLevel, { app: 'snapbot', mode: 'sandbox' });

    const bot = await createSnapbot(config, { logger: log, credentials: CREDENTIALS });
    await bot.start();
    cleanups.push(() => bot.stop());
    const botUrl = `http://127.0.0.1:${bot.port}`;

    const banner = sandboxBanner({ ec2: ec2.url, dynamodb: dynamodbEndpoint, slackApi: slack.apiUrl, bot: botUrl });
    const consolePort = opts.port ?? base.port;
    const web = new SandboxConsole({
      slack,
      botUrl,
      signingSecret: config.slack.signingSecret,
      workspace: SANDBOX_WORKSPACE,
      banner,
      hints: demoHints(),
      port: consolePort,
      // Loopback unless HOST says otherwise: the console signs requests as whichever person is picked.
      host: config.host,
    });
    await web.start().catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        throw new ConfigError([`PORT=${consolePort} is already in use: stop what listens there, or set PORT to a free port (e.g. PORT=3001 npm start)`]);
      }
      throw err;
    });
    // Stopped first, before the bot, so no page can send work to a bot that is going away.
    cleanups.push(() => web.stop());

    let stopped: Promise<void> | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopped) {
        process.stderr.write(`${signal} again: exiting now\n`);
        process.exit(1);
      }
      if (!opts.quiet) process.stdout.write(`\n${signal}: stopping the console, the bot, the sandbox EC2 and DynamoDB Local…\n`);
      sandbox.stop().then(
        () => process.exit(0),
        (err: Error) => {
          process.stderr.write(`sandbox shutdown failed: ${err.message}\n`);
          process.exit(1);
        },
      );
    };
    const sandbox: Sandbox = {
      consoleUrl: web.url,
      botUrl,
      config,
      bot,
      slack,
      ec2,
      console: web,
      dynamodbEndpoint,
      banner,
      stop() {
        stopped ??= (async () => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          await cleanup();
        })();
        return stopped;
      },
    };
    if (opts.handleSignals !== false) {
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    }
    if (!opts.quiet) process.stdout.write(terminalBanner(web.url, banner));
    return sandbox;
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/**
 * The bot's environment in the sandbox. The sandbox's own values win over whatever the environment says about
 * Slack, AWS endpoints and channels; the environment still tunes the rest (STALE_AFTER_DAYS, prices, PORT, …).
 */
function sandboxEnv(
  env: Record<string, string | undefined>,
  opts: SandboxOptions,
  urls: { ec2: string; dynamodb: string; slackApi: string; secret: string },
): Record<string, string | undefined> {
  return {
    REGIONS: `${DEMO.region},${DEMO.otherRegion}`,
    SHARE_ALLOWED_ACCOUNTS: DEMO.partnerAccountId,
    ACCOUNTS: `dev=${DEMO.devAccountId}`,
    CHANNEL_ACCOUNTS: `${SANDBOX_CHANNELS.devTeam.id}=dev`,
    // Progress messages that move while you watch; quicker still when the sandbox's snapshots are.
    PROGRESS_POLL_SECONDS: (opts.snapshotSeconds ?? 8) < 3 ? '0.3' : '1',
    ...env,
    LOG_LEVEL: opts.quiet ? 'silent' : (env.LOG_LEVEL ?? 'info'),
    SLACK_BOT_TOKEN: 'xoxb-sandbox',
    SLACK_SIGNING_SECRET: urls.secret,
    SLACK_API_URL: urls.slackApi,
    AWS_REGION: DEMO.region,
    AWS_ENDPOINT_URL_EC2: urls.ec2,
    // Data Lifecycle Manager, Recycle Bin, the EBS direct APIs and STS answer on the sandbox EC2's endpoint, each in its own protocol.
    AWS_ENDPOINT_URL_DLM: urls.ec2,
    AWS_ENDPOINT_URL_RBIN: urls.ec2,
    AWS_ENDPOINT_URL_STS: urls.ec2,
    AWS_ENDPOINT_URL_EBS: urls.ec2,
    AWS_ENDPOINT_URL_CLOUDTRAIL: urls.ec2,
    AWS_ENDPOINT_URL_AUTO_SCALING: urls.ec2,
    AWS_ENDPOINT_URL_SERVICE_QUOTAS: urls.ec2,
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    APPROVAL_CHANNEL: SANDBOX_CHANNELS.approvals.id,
    DIGEST_CHANNEL: SANDBOX_CHANNELS.cost.id,
    APPROVERS: SANDBOX_USERS.approver.id,
    OPERATORS: env.OPERATORS ?? `${SANDBOX_USERS.requester.id},${SANDBOX_USERS.approver.id}`,
  };
}

function terminalBanner(url: string, banner: Banner): string {
  const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
  const yellow = (s: string) => (process.stdout.isTTY ? `\x1b[30;43m${s}\x1b[0m` : s);
  const rule = '─'.repeat(78);
  return [
    '',
    rule,
    `${yellow(` ${banner.title} `)}  snapbot is running on this machine against simulated services.`,
    '',
    `  Open the console:  ${bold(`${url}/`)}`,
    '',
    '  Simulated here, nothing reaches AWS or Slack:',
    ...banner.simulated.map((s) => `    • ${s}`),
    '',
    `  ${banner.realWorkspace}`,
    '',
    '  Ctrl+C stops everything.',
    rule,
    '',
  ].join('\n');
}
