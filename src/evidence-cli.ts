// `npm run evidence -- [--days N] [--csv]`: the backup evidence report without Slack — every in-use volume's recovery
// point in every account and region snapbot manages, and every restore drill of the last N days (default 90), as
// plain text or as the contract's CSV. Uses the same config, AWS code, scan and table as the bot.
import { digestSources, openCli, runCli } from './cli.js';
import { buildDigest } from './usecases/digest.js';
import { evidenceRows } from './core/drills.js';
import { evidenceCsv, evidenceText } from './slack/views/drills.js';
import { collectStartupGarbage, tuneRuntime } from './runtime.js';

const USAGE = 'usage: npm run evidence -- [--days N] [--csv]\n  --days N  drills of the last N days (1–400, default 90)\n  --csv     the CSV (the contract\'s columns) instead of text';

function parse(argv: string[]): { days: number; csv: boolean } | { problem: string } {
  let days = 90;
  let csv = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--csv') csv = true;
    else if (a === '--days' || a.startsWith('--days=')) {
      const raw = a.includes('=') ? a.slice(7) : argv[++i];
      const n = Number(raw);
      if (!raw || !Number.isInteger(n) || n < 1 || n > 400) return { problem: `--days must be a whole number of days from 1 to 400, not "${raw ?? ''}"` };
      days = n;
    } else return { problem: `unknown option ${a}` };
  }
  return { days, csv };
}

async function main(argv: string[]): Promise<number> {
  tuneRuntime();
  const args = parse(argv);
  if ('problem' in args) {
    process.stderr.write(`${args.problem}\n${USAGE}\n`);
    return 2;
  }
  const { config, estate, store, close } = openCli({ timeoutMs: 5_000, maxAttempts: 2 });
  collectStartupGarbage();
  try {
    const now = new Date();
    const ownAccountId = await estate.own.identity.accountId().catch(() => undefined);
    // The drills are the evidence's other half: without the table there is no report, rather than one that omits them.
    const drills = await store.drills.since(new Date(now.getTime() - args.days * 86_400_000));
    const result = await buildDigest({
      config,
      ...(ownAccountId ? { ownAccountId } : {}),
      // Recovery points need volumes, snapshots and policies: snapbot's own CloudTrail history is not read.
      ec2: estate.own.ec2,
      dlm: estate.own.dlm,
      accounts: digestSources(config, estate).accounts,
      drills,
      now,
    });
    if (result.warning) process.stderr.write(`note: ${result.warning}\n`);
    const rows = evidenceRows(result.points, drills, { ownAccount: ownAccountId ?? 'own' });
    process.stdout.write(args.csv ? evidenceCsv(rows) : evidenceText(rows, { days: args.days, now }));
    return 0;
  } finally {
    close();
  }
}

runCli('evidence', main);
