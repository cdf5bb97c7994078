// The digest in Slack: built by ./digest.ts's scan for every account (or the channel's), then posted with its CSV and
// chart in the thread, today's figures kept (the chart's trend, the quota's growth), owners reminded; `/snapshot
// digest` and the scheduled run (whose in-use volumes the scheduled drills take).
import type { ManagedAccount } from '../core/accounts.js';
import { findingCount, type DigestSummary } from '../core/digest.js';
import { LineSpool } from '../store/spool.js';
import type { DrillRecord, VolumePoint } from '../core/drills.js';
import { quotaOutlook, type QuotaOutlook } from '../core/quota.js';
import { summariseSavings } from '../core/savings.js';
import type { Finding } from '../core/staleness/types.js';
import { daysAfter, isoDay } from '../core/time.js';
import type { HistoryEntry } from '../store/index.js';
import { replyPrivately, within, type Deps, type Invocation } from './context.js';
import { archiveWhereItPays, measureFindings } from './cost.js';
import { buildDigest, type DigestResult } from './digest.js';
import type { DigestCsvLines, DigestHistoryDay } from './ports.js';
/** The CSV's parts in order: exposures, fast restore left on, cleanup candidates, what is not offered, backups. */
const enum Lane {
  Header,
  Exposure,
  FastRestore,
  Candidate,
  NotOffered,
  Backups,
}

/** The digest's CSV, a row per finding written out as the scan settles it (a list of any length is never held). */
export function digestCsvSpool(lines: DigestCsvLines): { spool: LineSpool; sink: (f: Finding) => void } {
  const spool = new LineSpool(Lane.Backups + 1);
  spool.write(Lane.Header, lines.header);
  const sink = (f: Finding) => spool.write(f.exposure ? Lane.Exposure : f.fastRestore ? Lane.FastRestore : f.deletable ? Lane.Candidate : Lane.NotOffered, lines.finding(f));
  return { spool, sink };
}

/** The spooled CSV with the backups' rows last, as one file. */
export function finishCsv(spool: LineSpool, lines: DigestCsvLines, summary: DigestSummary, name: string): { path: string; bytes: number } {
  for (const line of lines.backups(summary)) spool.write(Lane.Backups, line);
  // The few exposures and fast restores by kind, account, region and ID: the same file whichever way they were found.
  return spool.finish(name, [Lane.Exposure, Lane.FastRestore]);
}

/** Posts the digest in `channel`, with the full list (the spooled CSV) in its thread when not everything fits. */
async function postDigest(deps: Deps, channel: string, result: DigestResult, spool: LineSpool): Promise<void> {
  // The largest snapshot candidates get what deleting them really frees (EBS direct APIs, within a budget).
  await measureFindings(deps, result.summary.findings).catch((err) => deps.log.warn({ err }, 'measuring digest candidates failed'));
  // A kept snapshot that shares blocks: archived it is stored in full; worth it only where what it alone holds costs more.
  for (const a of await archiveWhereItPays(deps, result.toMeasureForArchive).catch(() => [])) result.summary.archiveSuggestions.push(a);
  result.summary.archiveSuggestions.sort((x, y) => y.standardUsd - y.archiveUsd - (x.standardUsd - x.archiveUsd));
  const day = isoDay(deps.now());
  const csvName = `snapbot-digest-${day}.csv`;
  const savings = await deps.store.savings.list().then(
    (entries) => summariseSavings(entries, deps.now()),
    (err: unknown) => void deps.log.warn({ err }, 'the savings ledger could not be read for the digest'),
  );
  // App Home shows the posture this digest found (a fresh one only every digest: it costs a full scan).
  if (result.summary.backupPosture.length > 0) {
    await deps.store.drills
      .savePosture({ at: deps.now().toISOString(), posture: result.summary.backupPosture, rpoHours: deps.config.backupRpoHours, drillEveryDays: deps.config.drills.everyDays })
      .catch((err) => deps.log.warn({ err }, 'the backup posture was not kept for App Home'));
  }
  // Today's figures kept, the last 30 days read: the quota line's growth and the chart's trend.
  const history = await historyDays(deps, result).catch((err: unknown) => (deps.log.warn({ err }, 'the digest history could not be read or kept'), { days: [], entries: [] }));
  const quotas = await quotaOutlooks(deps, result, history.entries);
  const msg = deps.views.digestMessage(result.summary, { quotas, csvFileName: csvName, shareChecks: result.shareChecks, accounts: result.accounts, ...(savings ? { savings } : {}) });
  const posted = await deps.out.post(channel, msg);
  if (result.warning) await deps.out.post(channel, { text: `:warning: ${result.warning}` }, posted.ts).catch(() => undefined);
  const { backupGaps, archiveSuggestions } = result.summary;
  const findings = findingCount(result.summary);
  if (findings + backupGaps.length + archiveSuggestions.length > 0) {
    const csv = finishCsv(spool, deps.views.digestCsvLines, result.summary, csvName);
    await deps.out
      .uploadCsv(posted.channel, posted.ts, csvName, csv, `All ${findings} findings, ${backupGaps.length} volumes that missed the backup objective`)
      .catch((err) => deps.log.warn({ err }, 'digest CSV upload failed'));
  }
  // The picture: what cleanup would save by age and by who pays, and its trend over the last 30 digests.
  await deps.out
    .uploadChart(posted.channel, posted.ts, `snapbot-digest-${day}.png`, deps.views.digestChart(result.summary, history.days))
    .catch((err) => deps.log.warn({ err }, 'digest chart upload failed'));
}

/** Keeps today's figures (one item per account-region) and returns the last 30 days: summed per day, and as kept. */
async function historyDays(deps: Deps, result: DigestResult): Promise<{ days: DigestHistoryDay[]; entries: HistoryEntry[] }> {
  const day = isoDay(deps.now());
  await Promise.all(
    result.regions.map((r) => deps.store.history.record({ day, ...(r.account ? { account: r.account } : {}), region: r.region, snapshots: r.snapshots, cleanupUsd: r.cleanupUsd })),
  );
  const byDay = new Map<string, DigestHistoryDay>();
  const entries = await deps.store.history.since(isoDay(daysAfter(deps.now(), -29)));
  for (const e of entries) {
    const d = byDay.get(e.day) ?? { day: e.day, snapshots: 0, cleanupUsd: 0 };
    d.snapshots += e.snapshots;
    d.cleanupUsd += e.cleanupUsd;
    byDay.set(e.day, d);
  }
  return { days: [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : 1)), entries };
}

/** Each scanned region against its snapshot quota (Service Quotas, read once a day), with the days until full. */
async function quotaOutlooks(deps: Deps, result: DigestResult, entries: readonly HistoryEntry[]): Promise<QuotaOutlook[]> {
  const day = isoDay(deps.now());
  return Promise.all(
    result.regions.map(async (r) => {
      const account = r.account ? deps.config.accounts.find((a) => a.id === r.account) : undefined;
      const gateways = account ? deps.estate.of(account) : deps.estate.own;
      const quota = await gateways.quotas.snapshotQuota(r.region);
      const earlier = entries.filter((e) => (e.account ?? '') === (r.account ?? '') && e.region === r.region);
      return quotaOutlook({ ...r, day }, earlier, quota);
    }),
  );
}

/** One direct message per owner (snapbot:requested-by) listing their own outdated resources (the largest, and how many). */
async function sendReminders(deps: Deps, summary: DigestSummary): Promise<number> {
  let sent = 0;
  for (const [owner, own] of summary.owners) {
    try {
      await deps.out.dm(owner, deps.views.reminderMessage(owner, own.findings, { total: own }));
      sent++;
    } catch (err) {
      deps.log.warn({ err, owner }, 'reminder not sent');
    }
  }
  return sent;
}

/**
 * buildDigest for the bot, timed and counted on /metrics: every managed account, or only `only` (a channel of
 * CHANNEL_ACCOUNTS, or --account), where 'own' means snapbot's own account.
 */
async function digestNow(deps: Deps, only?: ManagedAccount | 'own', sink?: (f: Finding) => void): Promise<DigestResult> {
  const stop = deps.metrics.digestSeconds.startTimer();
  const { own } = deps.estate;
  const members = only === undefined ? deps.config.accounts : only === 'own' ? [] : [only];
  const result = await buildDigest({
    config: deps.config,
    ec2: own.ec2,
    dlm: own.dlm,
    autoScaling: own.autoScaling,
    cloudTrail: own.cloudTrail,
    accounts: members.map((account) => ({ account, ...deps.estate.of(account) })),
    ownAccount: only === undefined || only === 'own',
    ...(await ownAccountId(deps)),
    store: deps.store,
    ...(await recentDrills(deps)),
    ...(sink ? { sink } : {}),
    now: deps.now(),
  });
  stop();
  const s = result.summary;
  for (const [section, n] of [
    ['exposures', s.counts.exposures],
    ['fast_restores', s.counts.fastRestores],
    ['cleanup', s.totals.count],
    ['not_offered', s.counts.notOffered],
    ['archive', s.archiveSuggestions.length],
    ['backup_gaps', s.backupGaps.length],
  ] as const) {
    deps.metrics.digestFindings.set({ section }, n);
  }
  return result;
}

/** The drills of the last 90 days, for the posture and the failed drills (best effort: a digest without them still goes). */
async function recentDrills(deps: Deps): Promise<{ drills?: DrillRecord[] }> {
  const drills = await deps.store.drills.since(daysAfter(deps.now(), -90)).catch((err: unknown) => void deps.log.warn({ err }, 'drills could not be read for the digest'));
  return drills ? { drills } : {};
}

/** Every in-use volume's recovery point in every account and region snapbot manages (the evidence report). */
export async function volumePointsNow(deps: Deps): Promise<VolumePoint[]> {
  return (await digestNow(deps)).points;
}

/** snapbot's own account ID for the digest's account labels, where several accounts are covered (best effort, 3 s). */
async function ownAccountId(deps: Deps): Promise<{ ownAccountId?: string }> {
  if (deps.config.accounts.length === 0) return {};
  const id = await within(deps.estate.own.identity.accountId(), 3_000, 'STS').catch(() => undefined);
  return id ? { ownAccountId: id } : {};
}

/** `/snapshot digest`: the digest in the asking channel, now. */
export async function postDigestHere(deps: Deps, inv: Invocation): Promise<void> {
  try {
    // A channel of CHANNEL_ACCOUNTS (or --account) gets its account's digest; elsewhere, every account's.
    const only = deps.scope.account ?? (inv.ownAccountId !== undefined ? 'own' : undefined);
    const { spool, sink } = digestCsvSpool(deps.views.digestCsvLines);
    try {
      await postDigest(deps, inv.channelId, await digestNow(deps, only, sink), spool);
    } finally {
      spool.dispose();
    }
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: The digest could not be built: ${(err as Error).message}` });
  }
}

/** The scheduled run: DIGEST_CHANNEL plus owners' reminders. The caller holds the run's lease. */
export async function runScheduledDigest(deps: Deps): Promise<VolumePoint[]> {
  const { spool, sink } = digestCsvSpool(deps.views.digestCsvLines);
  try {
    const result = await digestNow(deps, undefined, sink);
    await postDigest(deps, deps.config.digestChannel, result, spool);
    await sendReminders(deps, result.summary);
    return result.points;
  } finally {
    spool.dispose();
  }
}
