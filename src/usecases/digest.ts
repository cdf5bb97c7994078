// The cost-cleanup digest's scan: every account and region (paginated, bounded concurrency), what looks outdated,
// the recovery points of volumes in use, and the counts the history keeps. Posting it is ./digest-post.ts.
import { accountLabel, allowedShareAccounts, shareKey, type ManagedAccount } from '../core/accounts.js';
import type { AutoScalingGateway } from '../aws/auto-scaling.js';
import type { CloudTrailGateway } from '../aws/cloudtrail.js';
import type { DlmGateway } from '../aws/dlm.js';
import type { Ec2Gateway } from '../aws/ec2/index.js';
import {
  archiveSuggestion,
  backupSourceVolume,
  keepUntilOf,
  recoveryPoints,
  type ArchiveSuggestion,
  type BackupGap,
  type BackupPosture,
  type VolumeBackupCandidate,
} from '../core/backups.js';
import { policyCovers, type LifecyclePolicy } from '../core/schedules.js';
import type { Config } from '../config.js';
import { DigestTally, savingUsd, type DigestAccountRef, type DigestSummary } from '../core/digest.js';
import { findOutdatedInRegion, indexImagesBySnapshotId, NewestPerVolume, priceImageFinding, reshared, superseded, TENTATIVELY_SUPERSEDED, type PricedSnapshot, type RegionUsage, type ScanSettings } from '../core/staleness/index.js';
import { nameTag, TAG, type Image, type Snapshot, type Tags, type Volume } from '../core/types.js';
import type { Finding } from '../core/staleness/types.js';
import type { ShareRepository, Store } from '../store/index.js';
import { RegionShareCheck, type ShareCheckReport, type TrailRead } from './share-check.js';
import { within } from './context.js';
import { daysAfter } from '../core/time.js';
import { costGroup } from '../core/cost.js';
import { provenSince, standingFailures, type DrillRecord, type VolumePoint } from '../core/drills.js';
import { copyOrigin, type CopyJudgement, type CopyRecord } from '../core/copies.js';
import { LineSpool } from '../store/spool.js';
import { applyCopyJudgements, isCopyFinding, judgeAccountCopies, mapBounded, readUseAcrossAccounts, SCAN_CONCURRENCY, type RegionUse } from './digest-across.js';

/** A managed account the digest scans besides snapbot's own, with its gateways. */
export interface DigestAccount {
  account: ManagedAccount;
  ec2: Ec2Gateway;
  dlm?: DlmGateway;
  /** Launch configurations (absent: not read). */
  autoScaling?: AutoScalingGateway;
  /** The event history that finds today's shares (absent: the rolling check alone). */
  cloudTrail?: CloudTrailGateway;
}

export interface DigestResult {
  /** The figures of every finding, and only the largest of each list: every finding went to the caller's sink. */
  summary: DigestSummary;
  /** Per region: the account-share attribute calls made, the budget, and how soon every resource is re-checked. */
  shareChecks: ShareCheckReport[];
  /** What could not be read (snoozes, usage lookups), said next to the digest. */
  warning?: string;
  /** Kept on purpose but sharing blocks with other snapshots: archiving pays only if what it alone holds says so. */
  toMeasureForArchive: ArchiveSuggestion[];
  /** The accounts it covers, as the digest names them (one, or snapbot's own first and then ACCOUNTS's). */
  accounts: DigestAccountRef[];
  /** Every in-use volume's recovery point (the evidence report's rows, the scheduled drills' candidates). */
  points: VolumePoint[];
  /** Each account-region scanned: how many snapshots it holds (the history's and the quota line's count), what its cleanup would save. */
  regions: { account?: string; region: string; snapshots: number; cleanupUsd: number }[];
}

/**
 * One region's scan. The usage lookups come first (each one paginated call, pages of 1000) and the AMIs are
 * judged then; snapshot pages then stream through the rules one at a time, so a region of 100 000 snapshots is
 * never in memory at once, and its findings go to a spill file as they are found. What is kept is per volume (the
 * newest snapshots, the recovery points), the flagged AMIs' block devices and the few snapshots behind them (to
 * price those AMIs once their snapshots have streamed past). Settled, its findings wait in the spill for emitRegion.
 */
interface RegionScan {
  /** The region's findings, settled and written out (absent: the scan failed); see emitRegion. */
  findings?: SettledFindings;
  gaps: BackupGap[];
  /** The region's recovery points: volumes in use and how many are within the objective (undefined: not known). */
  posture?: BackupPosture;
  points: VolumePoint[];
  /** Snapshots the account holds in the region (every page counted). */
  snapshots: number;
  /** The scan failed (a warning says why): its zeros are not counts. */
  failed?: boolean;
  archive: ArchiveSuggestion[];
  /** Kept on purpose, one of several of their volume: a suggestion only once measured. */
  chained: ArchiveSuggestion[];
  /** Copies whose source can be told, to judge against their source's volume once every region is scanned. */
  copies: CopyRecord[];
}

async function scanRegion(
  ec2: Ec2Gateway,
  dlm: DlmGateway | undefined,
  region: string,
  settings: ScanSettings,
  warnings: string[],
  shares: { repo?: ShareRepository; allowed: readonly string[]; now: Date; reports: ShareCheckReport[] },
  account: ManagedAccount | undefined,
  across: { use: RegionUse; cloudTrail?: CloudTrailGateway; rpoHours: number },
): Promise<RegionScan> {
  const check = await RegionShareCheck.load(region, shares.allowed, shares.repo, warnings, shareKey({ account, region }));
  // The event history is read while the snapshots stream: its pacing (two calls a second) costs no wall time.
  const trailRead = across.cloudTrail ? check.readTrail(across.cloudTrail, shares.now) : undefined;
  const spill = new LineSpool(2, '\n');
  try {
    // What is kept per volume lives in streamRegion and is let go before the share checks make their garbage.
    const r = await streamRegion({ ec2, dlm, region, settings, warnings, check, across, account, spill }, trailRead);
    // The shares checked this run: whatever changed is judged again, now that every snapshot is known.
    const { changed, foreign, report } = await check.run(ec2, shares.repo, shares.now, warnings, r.trail);
    shares.reports.push(report);
    const replaced = new Set([...changed.snapshots, ...changed.images].map((x) => x.id));
    const rejudged =
      replaced.size === 0
        ? []
        : findOutdatedInRegion(
            { region, snapshots: changed.snapshots, images: changed.images, usage: { ...r.usage, foreignShares: foreign }, imageSnapshots: r.imageSnapshots, newestOfVolume: r.newestOfChecked },
            settings,
          );
    // Exposed snapshots are not suggestions of any kind but exposures.
    const exposed = (id: string) => r.usage.publicSnapshotIds.has(id) || foreign.has(id);
    return {
      copies: r.copies,
      gaps: r.gaps,
      points: r.points,
      snapshots: r.snapshotCount,
      posture: r.posture,
      archive: r.archive.filter((a) => !exposed(a.snapshotId)),
      chained: r.chained.filter((a) => !exposed(a.snapshotId)),
      findings: { spill, replaced, rejudged },
    };
  } catch (err) {
    spill.dispose();
    throw err;
  }
}

/**
 * The region read (readRegion), then its findings settled into the spill's second lane: the AMIs first (a snapshot
 * behind a flagged AMI is counted with it), then what was found, the newest of each volume let go. Only the newest
 * per volume outlives the reading; once settled, only whether the resources the share checks will look at are among
 * their volume's newest is kept, for judging again those whose sharing changed.
 */
async function streamRegion(r: RegionRead, trailRead: Promise<TrailRead> | undefined) {
  const { spill, check } = r;
  const { newest, imageFindings, ...read } = await readRegion(r);
  const settle = (f: Finding) => spill.write(SETTLED, JSON.stringify(f));
  for (const f of imageFindings) settle(f);
  for (const line of spill.read(FOUND)) {
    const held = JSON.parse(line) as Spilled;
    if (held.startMs === undefined || settleSuperseded(held.f, { id: held.f.id, volumeId: held.volumeId, startTime: new Date(held.startMs) }, newest)) settle(held.f);
  }
  const trail = await trailRead;
  return { ...read, trail, newestOfChecked: newest.only(check.candidates(trail)) };
}

/**
 * The region's usage lookups and its snapshot pages through the rules, each finding written to the spill as found;
 * then the recovery points and the archive suggestions. What it keeps per volume for those (the in-use ones, their
 * newest snapshot, how many each has) is gone when it returns.
 */
/** What reading a region takes: its gateways and settings, its share check, and the spill its findings go to. */
interface RegionRead {
  ec2: Ec2Gateway;
  dlm: DlmGateway | undefined;
  region: string;
  settings: ScanSettings;
  warnings: string[];
  check: RegionShareCheck;
  across: { use: RegionUse; rpoHours: number };
  account: ManagedAccount | undefined;
  spill: LineSpool;
}

async function readRegion({ ec2, dlm, region, settings, warnings, check, across, account, spill }: RegionRead) {
  const { usage, imageFindings, flaggedImageDevices, gapCandidates, policies } = await readUsage(ec2, dlm, region, settings, warnings, check, across.use);
  // Backups: the newest completed snapshot of each in-use volume, and how many snapshots each volume has (the
  // only one of its volume shares no blocks, so archiving it is a known saving).
  const inUse = new Set(gapCandidates.map((v) => v.id));
  const newestSnapshot = new Map<string, { id: string; ms: number }>();
  const awsBackup = new Set<string>();
  const snapshotsPerVolume = new Map<string, number>();
  /** Snapshots kept on purpose that would cost less archived, if they turn out to be their volume's only one. */
  const archivable: ArchiveSuggestion[] = [];
  const noteBackup = (volumeId: string | undefined, s: Snapshot) => {
    const ms = s.startTime.getTime();
    if (volumeId && inUse.has(volumeId) && ms > (newestSnapshot.get(volumeId)?.ms ?? -Infinity)) newestSnapshot.set(volumeId, { id: s.id, ms });
  };
  const wanted = new Set<string>();
  for (const f of imageFindings) for (const id of f.snapshotIds ?? []) wanted.add(id);
  const imageSnapshots = new Map<string, PricedSnapshot>();
  // "Superseded" needs every snapshot of the volume seen: while pages stream, old snapshots of live volumes are
  // taken as superseded (with their volume, to settle them once all pages are in). Findings are written out to
  // the region's spill as they are found, not held: a region of 100 000 snapshots holds its volumes, not its findings.
  const newest = new NewestPerVolume(settings.keepPerVolume);
  const copies: CopyRecord[] = [];
  let snapshotCount = 0;
  await ec2.forEachOwnSnapshotPage(region, {}, (page) => {
    snapshotCount += page.length;
    let byId: Map<string, Snapshot> | undefined;
    for (const s of page) {
      // Only a live volume's snapshots can be superseded (the rule asks no other): a gone volume's are not kept.
      if (s.volumeId && usage.existingVolumeIds.has(s.volumeId)) newest.see(s);
      const origin = copyOrigin(s);
      if (origin) copies.push({ id: s.id, region, startMs: s.startTime.getTime(), completed: s.state === 'completed', origin });
      check.picker.offer(s.id, null);
      if (s.state === 'completed') {
        noteBackup(s.volumeId, s);
        const backedUp = backupSourceVolume(s.tags);
        if (backedUp) {
          noteBackup(backedUp, s);
          if (inUse.has(backedUp)) awsBackup.add(backedUp);
        }
      }
      // A copy (no source volume) is a full snapshot of its own; only snapshots of a volume can share blocks.
      if (s.volumeId) snapshotsPerVolume.set(s.volumeId, Math.min(2, (snapshotsPerVolume.get(s.volumeId) ?? 0) + 1));
      const kept = keptUntil(s, settings);
      if (kept) {
        const a = archiveSuggestion(s, {
          onlyOfItsVolume: true,
          keptUntil: kept,
          usedByImage: usage.imageIdsBySnapshotId.has(s.id),
          fastRestore: usage.fastRestoreZones.has(s.id),
          now: settings.now,
          prices: settings.prices,
        });
        if (a) archivable.push(a);
      }
      if (wanted.has(s.id)) imageSnapshots.set(s.id, { fullSizeBytes: s.fullSizeBytes, volumeSizeGiB: s.volumeSizeGiB, storageTier: s.storageTier });
    }
    for (const f of findOutdatedInRegion({ region, snapshots: page, images: [], usage, newestOfVolume: TENTATIVELY_SUPERSEDED }, settings)) {
      let held: Spilled = { f };
      if (f.reasons.some((r) => r.rule === superseded.id)) {
        byId ??= new Map(page.map((s) => [s.id, s]));
        const s = byId.get(f.id)!;
        held = { f, volumeId: s.volumeId, startMs: s.startTime.getTime() };
      }
      spill.write(FOUND, JSON.stringify(held));
    }
  });
  for (const f of imageFindings) priceImageFinding(f, flaggedImageDevices.get(f.id) ?? [], imageSnapshots, settings.prices);
  // Recovery points: each in-use volume's newest snapshot against the objective. Where the policies could not be
  // read, the misses say that what covers them is unknown (a stalled schedule cannot be told from none).
  const points = recoveryPoints(gapCandidates, { newest: newestSnapshot, awsBackup, policies }, { now: settings.now, rpoHours: across.rpoHours });
  const posture: BackupPosture = { ...(account ? { account: account.id } : {}), region, inUse: points.inUse, withinObjective: points.withinObjective };
  if (account) {
    for (const p of points.points) p.account = account.id;
    for (const g of points.misses) g.account = account.id;
    for (const a of archivable) a.account = account.id;
  }
  const only = (a: ArchiveSuggestion) => a.volumeId === undefined || snapshotsPerVolume.get(a.volumeId) === 1;
  return {
    usage,
    imageFindings,
    imageSnapshots,
    newest,
    copies,
    gaps: points.misses,
    points: points.points,
    posture,
    snapshotCount,
    archive: archivable.filter(only),
    chained: archivable.filter((a) => !only(a)),
  };
}

/** The region spill's lanes: what the stream found, then what the region settled on. */
const FOUND = 0;
const SETTLED = 1;

/**
 * Hands a scanned region's findings to `emit`, read back from its spill in the order settled, and removes the
 * spill. Regions are emitted in the order the digest lists them, whichever finished first: the same CSV every run.
 */
function emitRegion(findings: SettledFindings, emit: (f: Finding) => void): void {
  try {
    for (const line of findings.spill.read(SETTLED)) {
      const f = reshared(JSON.parse(line) as Finding);
      if (!findings.replaced.has(f.id)) emit(f);
    }
    for (const f of findings.rejudged) emit(f);
  } finally {
    findings.spill.dispose();
  }
}

/** A region's findings once settled: in its spill, less those whose sharing changed, which were judged again. */
interface SettledFindings {
  spill: LineSpool;
  replaced: ReadonlySet<string>;
  rejudged: Finding[];
}

/** A finding as the region's spill holds it: a tentatively superseded one with its volume and start time. */
interface Spilled {
  f: Finding;
  volumeId?: string;
  startMs?: number;
}

/** Until when a snapshot is kept on purpose: its keep-until tag, or a Keep click (snoozes are too short to count). */
function keptUntil(s: Snapshot, settings: ScanSettings): Date | undefined {
  const tagged = keepUntilOf(s.tags);
  const clicked = settings.hiddenUntil.get(s.id);
  return tagged && clicked ? (tagged > clicked ? tagged : clicked) : (tagged ?? clicked);
}

/**
 * A tentatively superseded finding, once every snapshot is known: it stays when newer snapshots of its volume are
 * kept; among the newest it goes, or stays for what else it is (an exposure, fast restore left on) without the
 * deletion.
 */
function settleSuperseded(f: Finding, s: Pick<Snapshot, 'id' | 'volumeId' | 'startTime'>, newest: NewestPerVolume): boolean {
  if (!newest.isAmongNewest(s)) return true;
  if (!f.exposure && !f.fastRestore) return false;
  f.reasons = f.reasons.filter((r) => r.rule !== superseded.id);
  f.deletable = false;
  f.notDeletableBecause = 'the newest snapshot of its volume';
  return true;
}

/**
 * The region's usage lookups, and its AMIs judged (priced later, from their snapshots). Snapshots, AMIs and
 * volumes are essential; the other lookups are not, so an EC2 that cannot answer one yields a digest with a
 * warning. The AMIs themselves are not kept past this function: only the flagged ones' block devices.
 */
async function readUsage(ec2: Ec2Gateway, dlm: DlmGateway | undefined, region: string, settings: ScanSettings, warnings: string[], check: RegionShareCheck, use: RegionUse) {
  const soft = <T>(what: string, p: Promise<T>, fallback: T, consequence = 'check before deleting'): Promise<T> =>
    p.catch((err: Error) => {
      warnings.push(`${region}: ${what} could not be read (${err.message}); ${consequence}.`);
      return fallback;
    });
  const policiesRead: Promise<LifecyclePolicy[] | undefined> = dlm
    ? soft<LifecyclePolicy[] | undefined>('lifecycle policies', within(dlm.listPolicies(region), 8_000, 'Data Lifecycle Manager'), undefined, 'schedules that stopped producing cannot be named')
    : Promise.resolve(undefined);
  // Of the volumes: the IDs of all (is a snapshot's source gone?), and — once the policies are known — the in-use
  // ones, with the policies meant to cover them, for the recovery points (a few fields each; pages are not kept).
  const existingVolumeIds = new Set<string>();
  const volumeCostGroups = new Map<string, string>();
  const gapCandidates: VolumeBackupCandidate[] = [];
  const volumesRead = policiesRead.then(async (policies) => {
    // Instance tags matter only to policies that target instances: one more paginated call, only then.
    const instances = policies?.some((p) => p.resourceTypes.includes('INSTANCE'))
      ? await soft('instances', ec2.listInstances(region), [], 'recovery points may miss instance schedules')
      : [];
    const instanceTags = new Map<string, Tags>(instances.map((i) => [i.id, i.tags]));
    await ec2.forEachVolumePage(region, (page) => {
      for (const v of page) {
        existingVolumeIds.add(v.id);
        const group = settings.costTags ? costGroup(v.tags, settings.costTags) : undefined;
        if (group) volumeCostGroups.set(v.id, group);
        const attachment = v.attachments[0];
        // A drill's own volume is not a volume in use: it exists for minutes, to be read and deleted.
        if ((v.state !== 'in-use' && !attachment) || v.tags[TAG.drill] !== undefined) continue;
        const tagsOfInstance = attachment ? instanceTags.get(attachment.instanceId) : undefined;
        // Every policy meant to cover it, enabled or not: a paused one is a schedule that is not producing.
        const policyIds = (policies ?? []).filter((p) => policyCovers({ ...p, state: 'ENABLED' }, v.tags, tagsOfInstance)).map((p) => p.id);
        const name = nameTag(v.tags);
        gapCandidates.push({
          id: v.id,
          region,
          ...(name ? { name } : {}),
          sizeGiB: v.sizeGiB,
          ...(attachment ? { instanceId: attachment.instanceId } : {}),
          ...(v.createTime ? { createTime: v.createTime } : {}),
          policyIds,
        });
      }
    });
  });
  const [images, , lt, publicSnapshotIds, fastRestoreZones, policies] = await Promise.all([
    ec2.listOwnImages(region),
    volumesRead,
    soft('launch templates', ec2.launchTemplateUsage(region), { snapshotIds: new Set<string>(), imageIds: new Set<string>() }),
    soft('public snapshots', ec2.publicSnapshotIds(region), new Set<string>()),
    soft('fast snapshot restores', ec2.fastRestoreZones(region), new Map<string, string[]>()),
    policiesRead,
  ]);
  const usage: RegionUsage = {
    existingVolumeIds,
    volumeCostGroups,
    imageIdsBySnapshotId: indexImagesBySnapshotId(images),
    launchTemplateSnapshotIds: lt.snapshotIds,
    launchTemplateImageIds: lt.imageIds,
    launchConfigurationSnapshotIds: use.launchConfigurationSnapshotIds,
    launchConfigurationImageIds: use.launchConfigurationImageIds,
    runningImageIds: use.runningImageIds,
    publicSnapshotIds,
    foreignShares: check.foreign(),
    fastRestoreZones,
  };
  // The AMIs join the share check's round-robin here, so the list itself is not kept past this function.
  for (const i of images) check.picker.offer(i.id, null);
  const imageFindings = findOutdatedInRegion({ region, snapshots: [], images, usage, imageSnapshots: new Map() }, settings);
  const flagged = new Set(imageFindings.map((f) => f.id));
  const flaggedImageDevices = new Map<string, Image['blockDevices']>();
  for (const i of images) if (flagged.has(i.id)) flaggedImageDevices.set(i.id, i.blockDevices);
  return { usage, imageFindings, flaggedImageDevices, gapCandidates, policies };
}

/**
 * Scans every account × region and returns the findings; usable without Slack (`npm run digest -- --print`).
 * `ec2`/`dlm` are snapbot's own account (left out with `ownAccount: false`); `accounts` the managed ones. An
 * account or region that cannot be scanned is one warning line, never a missing digest.
 */
export async function buildDigest(o: {
  config: Config;
  ec2: Ec2Gateway;
  dlm?: DlmGateway;
  accounts?: readonly DigestAccount[];
  ownAccount?: boolean;
  /** snapbot's own account ID, when STS said: the digest names that account by it. */
  ownAccountId?: string;
  store?: Pick<Store, 'snoozes' | 'shares'>;
  /** snapbot's own account's launch configurations and event history (absent: not read). */
  autoScaling?: AutoScalingGateway;
  cloudTrail?: CloudTrailGateway;
  /** Restore drills of the last weeks (absent: drills not known): the posture's proven count, failed drills. */
  drills?: readonly DrillRecord[];
  /** Every finding, once settled (a region's as it finishes, copies once their account is scanned): the CSV's rows. */
  sink?: (f: Finding) => void;
  now: Date;
}): Promise<DigestResult> {
  let active = { hidden: new Map<string, Date>(), keptShared: new Map<string, Date>() };
  const warnings: string[] = [];
  let storeReachable = o.store !== undefined;
  if (o.store) {
    try {
      active = await o.store.snoozes.active(o.now);
    } catch (err) {
      // Said once: the share checks' memory is in the same table, so every account-region would say it again.
      storeReachable = false;
      warnings.push(`Snoozes and keeps could not be read (${(err as Error).message}); snoozed items may show, and the account-share checks start afresh this run.`);
    }
  }
  const settings: ScanSettings = {
    now: o.now,
    staleAfterDays: o.config.staleAfterDays,
    keepPerVolume: o.config.keepPerVolume,
    prices: o.config.prices,
    costTags: o.config.costTags,
    hiddenUntil: active.hidden,
    keptShared: active.keptShared,
  };
  const shareChecks: ShareCheckReport[] = [];
  const shares = { repo: storeReachable ? o.store?.shares : undefined, allowed: allowedShareAccounts(o.config), now: o.now, reports: shareChecks };
  const targets: Array<{ account?: ManagedAccount; ec2: Ec2Gateway; dlm?: DlmGateway; autoScaling?: AutoScalingGateway; cloudTrail?: CloudTrailGateway }> = [
    ...(o.ownAccount === false ? [] : [{ ec2: o.ec2, dlm: o.dlm, autoScaling: o.autoScaling, cloudTrail: o.cloudTrail }]),
    ...(o.accounts ?? []),
  ];
  const many = (o.accounts?.length ?? 0) > 0 || o.config.accounts.length > 0;
  const label = (account?: ManagedAccount) => accountLabel(account, o.ownAccountId);
  const pairs = targets.flatMap((t) => o.config.regions.map((region) => ({ ...t, region })));
  // Findings wait in each region's spill file until every region is scanned (copies are judged against their
  // account's other regions), then are tallied (counts, dollars, the largest of each list) and handed to the sink,
  // one at a time: what the digest holds does not grow with them.
  const managed = new Set(targets.flatMap((t) => (t.account ? [t.account.id] : [])));
  const partOf = (f: Finding) => (f.account && managed.has(f.account) ? f.account : '');
  const tally = new DigestTally(targets.length > 1 ? partOf : undefined);
  const cleanupUsd = new Map<string, number>();
  const emit = (f: Finding) => {
    tally.add(f);
    o.sink?.(f);
    // What cleanup would save there: the candidates' (an exposure or a fast restore is not one), as the tally counts.
    if (f.exposure || f.fastRestore) return;
    const at = `${partOf(f)}|${f.region}`;
    cleanupUsd.set(at, (cleanupUsd.get(at) ?? 0) + savingUsd(f));
  };
  // The largest scans first (by what the last run counted), so the slowest one never starts last.
  const sizes = await Promise.all(pairs.map((p) => (shares.repo ? shares.repo.get(shareKey(p)).then((s) => s.total ?? 0, () => 0) : Promise.resolve(0))));
  const order = pairs.map((p, i) => ({ p, size: sizes[i] })).sort((a, b) => b.size - a.size).map((x) => x.p);
  const failures = new Map<string, { region: string; message: string }[]>();
  // What uses AMIs and snapshots, in every account: read first, so each account's scan knows the others' instances.
  const use = await readUseAcrossAccounts(pairs, (p, what, err) =>
    warnings.push(`${many ? `${label(p.account)} · ` : ''}${p.region}: ${what} could not be read (${(err as Error).message}); what they use may be offered.`),
  );
  const perRegion = await mapBounded(order, SCAN_CONCURRENCY, async (p) => {
    const scanWarnings: string[] = [];
    try {
      const across = { use: use.get(p.region)!, cloudTrail: p.cloudTrail, rpoHours: o.config.backupRpoHours };
      const scan = await scanRegion(p.ec2, p.dlm, p.region, settings, scanWarnings, shares, p.account, across);
      for (const w of scanWarnings) warnings.push(many ? `${label(p.account)} · ${w}` : w);
      return scan;
    } catch (err) {
      const key = p.account?.id ?? '';
      failures.set(key, [...(failures.get(key) ?? []), { region: p.region, message: (err as Error).message }]);
      return { gaps: [], points: [], snapshots: 0, archive: [], chained: [], copies: [], failed: true } satisfies RegionScan;
    }
  });
  for (const t of targets) {
    const failed = failures.get(t.account?.id ?? '');
    if (!failed) continue;
    // One line per account when every region failed alike (a role that cannot be assumed), else one per region.
    if (failed.length === o.config.regions.length && new Set(failed.map((f) => f.message)).size === 1) {
      warnings.push(`${label(t.account)}: not scanned — ${failed[0].message}`);
    } else {
      for (const f of failed) warnings.push(`${many ? `${label(t.account)} · ` : ''}${f.region}: not scanned — ${f.message}`);
    }
  }
  try {
    // Copies belong to their source's volume: each account's copies judged once every region of it is scanned.
    const judged = await Promise.all(
      targets.map((t) =>
        judgeAccountCopies(t.ec2, order.flatMap((p, i) => (p.account?.id === t.account?.id ? perRegion[i].copies : [])), o.config.keepPerVolume).catch((err: Error) => {
          warnings.push(`${many ? `${label(t.account)} · ` : ''}copies could not be traced to their volumes (${err.message}); they are judged by age.`);
          return undefined;
        }),
      ),
    );
    const judgements = judged.filter((j): j is CopyJudgement => j !== undefined);
    // Each region's findings in the order the digest lists accounts and regions (whichever scan finished first).
    const scanOf = new Map(order.map((p, i) => [p, perRegion[i]]));
    for (const p of pairs) {
      const found = scanOf.get(p)?.findings;
      if (found) emitRegion(found, (f) => (isCopyFinding(f) ? applyCopyJudgements([f], judgements).forEach(emit) : emit(f)));
    }
  } finally {
    for (const r of perRegion) r.findings?.spill.dispose();
  }
  const points = perRegion.flatMap((r) => r.points);
  const proven = o.drills ? provenSince(o.drills, daysAfter(o.now, -Math.max(1, o.config.drills.everyDays))) : undefined;
  const inUse = new Set(points.map((p) => p.volumeId));
  const summary = tally.summary(o.now, {
    keptSharedCount: active.keptShared.size,
    backupGaps: perRegion.flatMap((r) => r.gaps),
    backupPosture: perRegion.flatMap((r) =>
      r.posture ? [{ ...r.posture, ...(proven ? { proven: Math.min(r.posture.inUse, r.points.filter((p) => proven.has(p.volumeId)).length) } : {}) }] : [],
    ),
    rpoHours: o.config.backupRpoHours,
    drillEveryDays: o.config.drills.everyDays,
    failedDrills: o.drills ? standingFailures(o.drills).filter((d) => d.volumeId !== undefined && inUse.has(d.volumeId)) : [],
    archiveSuggestions: perRegion.flatMap((r) => r.archive),
  });
  return {
    summary,
    shareChecks,
    warning: warnings.length ? warnings.join('\n') : undefined,
    toMeasureForArchive: perRegion.flatMap((r) => r.chained),
    accounts: targets.map((t) => ({ ...(t.account ? { id: t.account.id } : {}), label: label(t.account) })),
    points,
    regions: order.flatMap((p, i) =>
      perRegion[i].failed ? [] : [{ ...(p.account ? { account: p.account.id } : {}), region: p.region, snapshots: perRegion[i].snapshots, cleanupUsd: cleanupUsd.get(`${p.account?.id ?? ''}|${p.region}`) ?? 0 }],
    ),
  };
}
