// `npm run bench`: snapbot's performance figures, one JSON object per line on stdout (progress goes to stderr).
// Starts and stops everything it needs: DynamoDB Local, the sandbox EC2, a fake Slack Web API. Loopback only.
// `npm run bench -- ack digest` runs only the named parts (ack, digest, org, progress, approvals, load, cost, drill, cleanup).
import { cpus, loadavg } from 'node:os';
import { startDynamoDbLocal } from '../src/sandbox/dynamodb-local.js';
import { runAckBench } from './ack.js';
import { runApprovalsBench } from './approvals.js';
import { runCostBench } from './cost.js';
import { runDrillBench } from './drill.js';
import { runCleanupBench } from './cleanup.js';
import { compileForBench, defaultRuntime, emit, isolateAwsEnvironment, note, round } from './common.js';
import { runDigestBench } from './digest.js';
import { runDigestOrgBench } from './digest-org.js';
import { runDigestQualityBench } from './digest-quality.js';
import { runProgressBench } from './progress.js';
import { runLoadBench } from './load.js';

const PARTS = ['ack', 'digest', 'org', 'progress', 'approvals', 'load', 'cost', 'drill', 'cleanup'] as const;
type Part = (typeof PARTS)[number];

async function main(argv: string[]): Promise<void> {
  const unknown = argv.filter((a) => !PARTS.includes(a as Part));
  if (unknown.length) throw new Error(`unknown part(s) ${unknown.join(', ')}; choose from ${PARTS.join(', ')}`);
  const parts = new Set<Part>(argv.length ? (argv as Part[]) : PARTS);
  isolateAwsEnvironment();
  const started = performance.now();
  // The figures are only as quiet as the machine: say how busy it was.
  const machine = (when: string) => emit({ name: `machine.load_${when}`, value: round(loadavg()[0]), unit: 'load-1min', cores: cpus().length, cpu: cpus()[0]?.model });
  machine('start');
  // Children run compiled JavaScript, as the Docker image runs the bot, unless BENCH_RUNTIME=tsx.
  if (defaultRuntime() === 'compiled') {
    note('compiling src/ and bench/ into .bench-build/ (tsc)');
    await compileForBench();
  }
  note('starting DynamoDB Local');
  const dynamo = await startDynamoDbLocal();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  try {
    if (parts.has('ack')) await runAckBench({ dynamodbEndpoint: dynamo.endpoint });
    if (parts.has('digest')) {
      await runDigestQualityBench();
      await runDigestBench();
    }
    if (parts.has('org')) await runDigestOrgBench();
    if (parts.has('progress')) await runProgressBench();
    if (parts.has('approvals')) await runApprovalsBench({ dynamodbEndpoint: dynamo.endpoint });
    if (parts.has('cost')) await runCostBench({ dynamodbEndpoint: dynamo.endpoint });
    if (parts.has('drill')) await runDrillBench();
    if (parts.has('cleanup')) await runCleanupBench({ dynamodbEndpoint: dynamo.endpoint });
    if (parts.has('load')) await runLoadBench({ dynamodbEndpoint: dynamo.endpoint });
  } finally {
    await dynamo.stop();
  }
  machine('end');
  emit({ name: 'bench.wall', value: round((performance.now() - started) / 1000, 1), unit: 's', parts: [...parts], node: process.version, runtime: defaultRuntime() });
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
