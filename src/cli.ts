// What every command-line entry point (npm run digest, npm run evidence) does around its work: exit with its code;
// a configuration error is its own message (it names the variable), anything else is said in one line.
import { AwsEstate } from './aws/estate.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createDocumentClient, createDynamoClient, createStore, type Store } from './store/index.js';

export function runCli(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `${name} failed: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}

/**
 * What a command-line entry point works with: the config (no Slack here, so the Slack-only requirements do not
 * apply), the bot's own AWS clients (its account through the default credential chain, each of ACCOUNTS through its
 * role), and the table, with the leash the caller gives it. `close` releases them.
 */
export function openCli(store: { timeoutMs: number; maxAttempts: number }): { config: Config; estate: AwsEstate; store: Store; close(): void } {
  const config = loadConfig(process.env, 'sandbox');
  const estate = new AwsEstate({ homeRegion: config.awsRegion, endpoints: config.endpoints, assumeRole: config.assumeRole });
  const dynamo = createDynamoClient({ region: config.awsRegion, endpoint: config.endpoints.dynamodb, ...store });
  return {
    config,
    estate,
    store: createStore({ client: createDocumentClient(dynamo), table: config.dynamodbTable }),
    close() {
      estate.destroy();
      dynamo.destroy();
    },
  };
}

/** buildDigest's AWS inputs for every account the config manages, snapbot's own first. */
export function digestSources(config: Config, estate: AwsEstate) {
  const own = estate.own;
  return { ec2: own.ec2, dlm: own.dlm, autoScaling: own.autoScaling, cloudTrail: own.cloudTrail, accounts: config.accounts.map((account) => ({ account, ...estate.of(account) })) };
}
