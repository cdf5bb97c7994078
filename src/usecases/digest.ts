// The cost-cleanup digest: scan every region (paginated, bounded concurrency), find what looks outdated, post it
// with buttons and a CSV, and remind each owner of their own resources.
import type { Ec2Gateway } from '../aws/ec2.js';
import type { Config } from '../config.js';
import { findingsByOwner, summarise, type DigestSummary } from '../core/digest.js';
import { findOutdated, indexImagesBySnapshotId, type RegionScan } from '../core/staleness/index.js';
import type { Finding } from '../core/staleness/types.js';
import type { Snapshot } from '../core/types.js';
import { digestCsv, digestMessage, reminderMessage } from '../slack/views/digest.js';
import type { Store } from '../store/index.js';
import { replyPrivately, type Deps, type Invocation } from './context.js';

const REGION_CONCURRENCY = 4;

export interface DigestResult {
  summary: DigestSummary;
  findings: Finding[];
  /** What could not be read (snoozes, usage lookups), said next to the digest. */
  warning?: string;
}

/**
 * One region's inventory: each call is paginated (pages of 1000) and independent, so they run side by side.
 * Snapshots, AMIs and volumes are essential; the usage lookups are not, so an EC2 that cannot answer one of them
 * yields a digest with a warning rather than none.
 */
async function scanRegion(ec2: Ec2Gateway, region: string, warnings: string[]): Promise<RegionScan> {
  const snapshots: Snapshot[] = [];
  const soft = <T>(what: string, p: Promise<T>, fallback: T): Promise<T> =>
    p.catch((err: Error) => {
      warnings.push(`${region}: ${what} could not be read (${err.message}); check before deleting.`);
      return fallback;
    });
  const [, images, existingVolumeIds, lt, runningImageIds, publicSnapshotIds] = await Promise.all([
    ec2.forEachOwnSnapshotPage(region, {}, (page) => {
      for (const s of page) snapshots.push(s);
    }),
    ec2.listOwnImages(region),
    ec2.listVolumeIds(region),
    soft('launch templates', ec2.launchTemplateUsage(region), { snapshotIds: new Set<string>(), imageIds: new Set<string>() }),
    soft('running instances', ec2.imageIdsInUseByInstances(region), new Set<string>()),
    soft('public snapshots', ec2.publicSnapshotIds(region), new Set<string>()),
  ]);
  return {
    region,
    snapshots,
    images,
    usage: {
      existingVolumeIds,
      imageIdsBySnapshotId: indexImagesBySnapshotId(images),
      launchTemplateSnapshotIds: lt.snapshotIds,
      launchTemplateImageIds: lt.imageIds,
      runningImageIds,
      publicSnapshotIds,
    },
  };
}

async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Scans the configured regions and returns the findings; usable without Slack (`npm run digest -- --print`). */
export async function buildDigest(
  o: { config: Config; ec2: Ec2Gateway; store?: Pick<Store, 'snoozes'>; now: Date },
): Promise<DigestResult> {
  let hiddenUntil = new Map<string, Date>();
  const warnings: string[] = [];
  if (o.store) {
    try {
      hiddenUntil = await o.store.snoozes.activeMap(o.now);
    } catch (err) {
      warnings.push(`Snoozes and keeps could not be read (${(err as Error).message}); snoozed items may show.`);
    }
  }
  // Regions are scanned one region's worth at a time per worker, and only findings are kept afterwards.
  const perRegion = await mapBounded(o.config.regions, REGION_CONCURRENCY, async (region) => {
    const scan = await scanRegion(o.ec2, region, warnings);
    return findOutdated([scan], {
      now: o.now,
      staleAfterDays: o.config.staleAfterDays,
      prices: o.config.prices,
      hiddenUntil,
    });
  });
  const findings = perRegion.flat();
  return { summary: summarise(findings, o.now), findings, warning: warnings.length ? warnings.join('\n') : undefined };
}

/** Posts the digest in `channel`, with the full list as CSV in its thread when not everything fits. */
export async function postDigest(deps: Deps, channel: string, result: DigestResult): Promise<void> {
  const day = deps.now().toISOString().slice(0, 10);
  const csvName = `snapbot-digest-${day}.csv`;
  const msg = digestMessage(result.summary, { csvFileName: csvName });
  const posted = await deps.out.post(channel, msg);
  if (result.warning) await deps.out.post(channel, { text: `:warning: ${result.warning}` }, posted.ts).catch(() => undefined);
  if (result.findings.length > 0) {
    await deps.out
      .uploadCsv(posted.channel, posted.ts, csvName, digestCsv(result.findings), `All ${result.findings.length} findings`)
      .catch((err) => deps.log.warn({ err }, 'digest CSV upload failed'));
  }
}

/** One direct message per owner (snapbot:requested-by) listing their own outdated resources. */
export async function sendReminders(deps: Deps, findings: Finding[]): Promise<number> {
  let sent = 0;
  for (const [owner, own] of findingsByOwner(findings)) {
    try {
      await deps.out.dm(owner, reminderMessage(owner, own));
      sent++;
    } catch (err) {
      deps.log.warn({ err, owner }, 'reminder not sent');
    }
  }
  return sent;
}

/** `/snapshot digest`: the digest in the asking channel, now. */
export async function postDigestHere(deps: Deps, inv: Invocation): Promise<void> {
  try {
    const result = await buildDigest({ config: deps.config, ec2: deps.ec2, store: deps.store, now: deps.now() });
    await postDigest(deps, inv.channelId, result);
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: The digest could not be built: ${(err as Error).message}` });
  }
}

/** The scheduled run: DIGEST_CHANNEL plus owners' reminders. The caller holds the run's lease. */
export async function runScheduledDigest(deps: Deps): Promise<void> {
  const result = await buildDigest({ config: deps.config, ec2: deps.ec2, store: deps.store, now: deps.now() });
  await postDigest(deps, deps.config.digestChannel, result);
  await sendReminders(deps, result.findings);
}
