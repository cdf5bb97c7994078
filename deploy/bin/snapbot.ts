// `npx aws-cdk@2 deploy` entry: the stack's settings come from CDK context (-c key=value) or cdk.json.
import { App } from 'aws-cdk-lib';
import { SnapbotStack } from '../lib/snapbot-stack.js';

const app = new App();
const ctx = (key: string) => app.node.tryGetContext(key) as string | undefined;
const mode = ctx('mode') === 'socket' ? 'socket' : 'http';
const environment: Record<string, string> = {};
for (const key of ['APPROVAL_CHANNEL', 'DIGEST_CHANNEL', 'APPROVERS', 'OPERATORS', 'COMMAND_CHANNELS', 'REGIONS', 'SHARE_ALLOWED_ACCOUNTS', 'DIGEST_SCHEDULE', 'TZ', 'ACCOUNTS', 'ASSUME_ROLE_NAME', 'ASSUME_ROLE_EXTERNAL_ID', 'CHANNEL_ACCOUNTS']) {
  const v = ctx(key);
  if (v) environment[key] = v;
}
new SnapbotStack(app, ctx('stackName') ?? 'Snapbot', {
  mode,
  slackSecretName: ctx('slackSecretName') ?? 'snapbot/slack',
  environment,
  image: ctx('image'),
  certificateArn: ctx('certificateArn'),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
