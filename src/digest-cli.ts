// `npm run digest -- --print`: the cost-cleanup digest as plain text on stdout, without Slack — for cron jobs and
// for looking at an account before installing the bot. Uses the same config, AWS code and scan as the bot.
import { digestSources, openCli, runCli } from './cli.js';
import { buildDigest } from './usecases/digest.js';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { digestCsvLines, digestText } from './slack/views/digest/index.js';
import { digestCsvSpool, finishCsv } from './usecases/digest-post.js';
import { collectStartupGarbage, tuneRuntime } from './runtime.js';

const USAGE = 'usage: npm run digest -- --print [--csv]\n  --print  the digest as plain text on stdout\n  --csv    the full list of findings as CSV instead';

async function main(argv: string[]): Promise<number> {
  tuneRuntime();
  const args = new Set(argv);
  const unknown = argv.filter((a) => a !== '--print' && a !== '--csv');
  if (unknown.length || (!args.has('--print') && !args.has('--csv'))) {
    process.stderr.write(`${unknown.length ? `unknown option ${unknown.join(' ')}\n` : ''}${USAGE}\n`);
    return 2;
  }
  // Snoozes live in DynamoDB; a digest without them is still worth printing, so the store gets a short leash.
  const { config, estate, store, close } = openCli({ timeoutMs: 2_000, maxAttempts: 1 });
  collectStartupGarbage();
  try {
    // With several accounts, snapbot's own is named by its ID (STS, best effort).
    const ownAccountId = config.accounts.length > 0 ? await estate.own.identity.accountId().catch(() => undefined) : undefined;
    // Every finding goes to the CSV's spool as the scan settles it; the text shows the largest of each list.
    const csv = args.has('--csv') ? digestCsvSpool(digestCsvLines) : undefined;
    try {
      const result = await buildDigest({
        config,
        ...(ownAccountId ? { ownAccountId } : {}),
        ...digestSources(config, estate),
        store,
        ...(csv ? { sink: csv.sink } : {}),
        now: new Date(),
      });
      if (result.warning) process.stderr.write(`note: ${result.warning}\n`);
      if (csv) {
        await pipeline(createReadStream(finishCsv(csv.spool, digestCsvLines, result.summary, 'digest.csv').path), process.stdout, { end: false });
      } else {
        process.stdout.write(
          `${digestText(result.summary, { shareChecks: result.shareChecks, accounts: result.accounts })}${result.warning ? `\nNot everything could be read:\n${result.warning.split('\n').map((w) => `  ${w}`).join('\n')}\n` : ''}\n`,
        );
      }
    } finally {
      csv?.spool.dispose();
    }
    return 0;
  } finally {
    close();
  }
}

runCli('digest', main);
