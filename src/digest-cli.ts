// `npm run digest -- --print`: the cost-cleanup digest as plain text on stdout, without Slack — for cron jobs and
// for looking at an account before installing the bot. Uses the same config, AWS code and scan as the bot.
import { ConfigError, loadConfig } from './config.js';
import { DlmGateway } from './aws/dlm.js';
import { Ec2Gateway } from './aws/ec2.js';
import { createDocumentClient, createDynamoClient, createStore } from './store/index.js';
import { buildDigest } from './usecases/digest.js';
import { allFindings } from './core/digest.js';
import { digestCsv, digestText } from './slack/views/digest.js';
import { tuneRuntime } from './runtime.js';

const USAGE = 'usage: npm run digest -- --print [--csv]\n  --print  the digest as plain text on stdout\n  --csv    the full list of findings as CSV instead';

async function main(argv: string[]): Promise<number> {
  tuneRuntime();
  const args = new Set(argv);
  const unknown = argv.filter((a) => a !== '--print' && a !== '--csv');
  if (unknown.length || (!args.has('--print') && !args.has('--csv'))) {
    process.stderr.write(`${unknown.length ? `unknown option ${unknown.join(' ')}\n` : ''}${USAGE}\n`);
    return 2;
  }
  // No Slack here, so the Slack-only requirements (APPROVAL_CHANNEL, APPROVERS) do not apply.
  const config = loadConfig(process.env, 'sandbox');
  const ec2 = new Ec2Gateway({ endpoint: config.endpoints.ec2 });
  const dlm = new DlmGateway({ endpoint: config.endpoints.dlm });
  // Snoozes live in DynamoDB; a digest without them is still worth printing, so the store gets a short leash.
  const dynamo = createDynamoClient({ region: config.awsRegion, endpoint: config.endpoints.dynamodb, timeoutMs: 2_000, maxAttempts: 1 });
  const store = createStore({ client: createDocumentClient(dynamo), table: config.dynamodbTable });
  try {
    const result = await buildDigest({ config, ec2, dlm, store, now: new Date() });
    if (result.warning) process.stderr.write(`note: ${result.warning}\n`);
    process.stdout.write(args.has('--csv') ? digestCsv(allFindings(result.summary), result.summary) : `${digestText(result.summary, { shareChecks: result.shareChecks })}\n`);
    return 0;
  } finally {
    ec2.destroy();
    dlm.destroy();
    dynamo.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `digest failed: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
