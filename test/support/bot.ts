// The whole bot as Slack sees it: the real app (Bolt's HTTP receiver, signature checks) on a free port, the
// sandbox EC2 behind the real SDK, DynamoDB Local, and a fake Slack Web API recording what the bot posts.
import pino, { type Logger } from 'pino';
import { createSnapbot, type Snapbot } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { startSandboxEc2, type SandboxEc2, type SandboxEc2Options } from '../../src/sandbox/ec2/index.js';
import { SlackSender } from '../../src/sandbox/slack/requests.js';
import { FakeSlack } from '../../src/sandbox/slack/webapi.js';
import { dynamoEndpoint, FAKE_CREDENTIALS, uniqueTableName } from './dynamodb.js';

export const SECRET = 'test-signing-secret-0123456789';
export const REQUESTER = 'U0REQUESTER';
export const APPROVER = 'U0APPROVER';
export const APPROVER_2 = 'U0APPROVER2';
export const OUTSIDER = 'U0OUTSIDER';
export const CHANNEL = 'C0DEVOPS';
export const APPROVAL_CHANNEL = 'C0APPROVALS';

export interface TestBot {
  bot: Snapbot;
  slack: FakeSlack;
  ec2: SandboxEc2;
  sender: SlackSender;
  config: Config;
  /** Type a slash command as a user in a channel. */
  command(command: string, text: string, o?: { userId?: string; channelId?: string; triggerId?: string }): ReturnType<SlackSender['command']>;
  stop(): Promise<void>;
}

export interface TestBotOptions {
  env?: Record<string, string>;
  ec2?: SandboxEc2Options;
  /** Share an EC2 sandbox (and its state) with another bot. */
  sharedEc2?: SandboxEc2;
  sharedSlack?: FakeSlack;
  jobs?: boolean;
  /** Where the bot logs (default: nowhere). */
  logger?: Logger;
  /** Lease timings for approved actions (default: the bot's own). */
  lease?: { heartbeatMs: number; staleAfterMs: number };
}

export async function startTestBot(o: TestBotOptions = {}): Promise<TestBot> {
  const slack = o.sharedSlack ?? (await new FakeSlack().start());
  const ec2 = o.sharedEc2 ?? (await startSandboxEc2({ seed: 'demo', snapshotSeconds: 0.6, imageSeconds: 0.8, ...o.ec2 }));
  const config = loadConfig(
    {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_EC2: ec2.url,
      // The sandbox answers Data Lifecycle Manager, Recycle Bin and STS on the same endpoint.
      AWS_ENDPOINT_URL_DLM: ec2.url,
      AWS_ENDPOINT_URL_RBIN: ec2.url,
      AWS_ENDPOINT_URL_STS: ec2.url,
      AWS_ENDPOINT_URL_EBS: ec2.url,
      AWS_ENDPOINT_URL_CLOUDTRAIL: ec2.url,
      AWS_ENDPOINT_URL_AUTO_SCALING: ec2.url,
      AWS_ENDPOINT_URL_SERVICE_QUOTAS: ec2.url,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint(),
      DYNAMODB_TABLE: uniqueTableName('snapbot-e2e'),
      APPROVAL_CHANNEL,
      APPROVERS: `${APPROVER},${APPROVER_2}`,
      SHARE_ALLOWED_ACCOUNTS: '111122223333',
      PROGRESS_POLL_SECONDS: '0.2',
      LOG_LEVEL: 'silent',
      ...o.env,
    },
    'production',
  );
  const bot = await createSnapbot(config, { credentials: FAKE_CREDENTIALS, logger: o.logger ?? pino({ level: 'silent' }), jobs: o.jobs ?? false, ...(o.lease ? { lease: o.lease } : {}) });
  await bot.start();
  const sender = new SlackSender(`http://127.0.0.1:${bot.port}/slack/events`, SECRET, `${slack.url}/response/`);
  return {
    bot,
    slack,
    ec2,
    sender,
    config,
    command: (command, text, c = {}) =>
      sender.command({ command, text, userId: c.userId ?? REQUESTER, channelId: c.channelId ?? CHANNEL, triggerId: c.triggerId }),
    async stop() {
      await bot.stop();
      if (!o.sharedSlack) await slack.stop();
      if (!o.sharedEc2) await ec2.stop();
    },
  };
}

/** EC2 calls the bot made (by action name), for "never reaches AWS" assertions. */
export function ec2Actions(ec2: SandboxEc2): string[] {
  return ec2.calls.map((c) => c.action);
}
