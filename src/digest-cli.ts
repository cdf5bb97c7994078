// `npm run digest -- --print`: the cost-cleanup digest as plain text on stdout, without Slack — for cron jobs and
// for looking at an account before installing the bot. Uses the same config, AWS code and scan as the bot.
import { loadConfig } from './config.js';
import { runCli } from './cli.js';
import { AwsEstate } from './aws/estate.js';
import { createDocumentClient, createDynamoClient, createStore } from './store/index.js';
import { buildDigest } from './usecases/digest.js';
import { allFindings } from './core/digest.js';
import { digestCsv, digestText } from './slack/views/digest/index.js';
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
  // The bot's own clients: its account through the default credential chain, each of ACCOUNTS through its role.
  const estate = new AwsEstate({ homeRegion: config.awsRegion, endpoints: config.endpoints, assumeRole: config.assumeRole });
  // Snoozes live in DynamoDB; a digest without them is still worth printing, so the store gets a short leash.
  const dynamo = createDynamoClient({ region: config.awsRegion, endpoint: config.endpoints.dynamodb, timeoutMs: 2_000, maxAttempts: 1 });
  const store = createStore({ client: createDocumentClient(dynamo), table: config.dynamodbTable });
  try {
    // With several accounts, snapbot's own is named by its ID (STS, best effort).
    const ownAccountId = config.accounts.length > 0 ? await estate.own.identity.accountId().catch(() => undefined) : undefined;
    const result = await buildDigest({
      config,
      ...(ownAccountId ? { ownAccountId } : {}),
      ec2: estate.own.ec2,
      dlm: estate.own.dlm,
      autoScaling: estate.own.autoScaling,
      cloudTrail: estate.own.cloudTrail,
      accounts: config.accounts.map((account) => ({ account, ...estate.of(account) })),
      store,
      now: new Date(),
    });
    if (result.warning) process.stderr.write(`note: ${result.warning}\n`);
    process.stdout.write(
      args.has('--csv')
        ? digestCsv(allFindings(result.summary), result.summary)
        : `${digestText(result.summary, { shareChecks: result.shareChecks, accounts: result.accounts })}${result.warning ? `\nNot everything could be read:\n${result.warning.split('\n').map((w) => `  ${w}`).join('\n')}\n` : ''}\n`,
    );
    return 0;
  } finally {
    estate.destroy();
    dynamo.destroy();
  }
}

runCli('digest', main);
