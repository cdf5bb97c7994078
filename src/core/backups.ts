// The digest's two backup sections, decided here: recovery points of volumes in use (Backups), and snapshots kept on
// purpose that would cost less in the archive tier (Archive to save). Pure: the scan gathers the facts.
import { ARCHIVE_MINIMUM_DAYS, snapshotBillableGb, snapshotSizeGiB, type Prices } from './cost.js';
import { policyName, type LifecyclePolicy } from './schedules.js';
import { TAG, nameTag, type Snapshot, type Tags } from './types.js';
import { daysAfter, wholeDaysSince } from './time.js';
import type { VolumePoint } from './drills.js';


/**
 * An in-use volume that missed its recovery point objective (BACKUP_RPO_HOURS): its newest completed snapshot, from
 * any source, is older than the objective, or it has none. Where a lifecycle policy or AWS Backup is meant to cover
 * it, the schedule is not producing, and the miss names it.
 */
export interface BackupGap {
  volumeId: string;
  region: string;
  /** The managed account it is in (ACCOUNTS); absent: snapbot's own. */
  account?: string;
  name?: string;
  sizeGiB: number;
  instanceId?: string;
  /** Days since its newest completed snapshot; undefined: it has none. */
  lastSnapshotDays?: number;
  /** Its newest completed snapshot, and how old, in hours. */
  newestSnapshotId?: string;
  newestAgeHours?: number;
  /** The objective it missed, hours. */
  rpoHours: number;
  /** What is meant to back it up: lifecycle policies by name (else description) and ID, and/or AWS Backup. */
  coveredBy: string[];
  /** The policy meant to cover it that has not produced a snapshot within the objective: named, with its state. */
  notProducing?: { policyId: string; label: string; state: string; statusMessage?: string };
  /** The lifecycle policies could not be read: whether one is meant to cover it is unknown. */
  coverageUnknown?: boolean;
}

/** One account-region's recovery points: volumes in use (older than the objective), and how many are within it. */
export interface BackupPosture {
  account?: string;
  region: string;
  inUse: number;
  withinObjective: number;
  /** How many a passed restore drill proved restorable within DRILL_EVERY_DAYS (undefined: drills not known). */
  proven?: number;
}

/** The posture a digest found, kept for App Home. */
export interface PostureSnapshot {
  /** ISO time of the digest that found it. */
  at: string;
  posture: BackupPosture[];
  rpoHours: number;
  drillEveryDays: number;
}

/** An in-use volume as the digest's scan keeps it for the recovery-point check: few fields, and what covers it. */
export interface VolumeBackupCandidate {
  id: string;
  region: string;
  name?: string;
  sizeGiB: number;
  instanceId?: string;
  createTime?: Date;
  /** IDs of the lifecycle policies (enabled or not) whose targets include it. */
  policyIds: string[];
}

/** What the scan learned about the volumes' snapshots. */
export interface VolumeBackupFacts {
  /** Each volume's newest completed snapshot, from any source (snapbot, AWS Backup, DLM, people). */
  newest: ReadonlyMap<string, { id: string; ms: number }>;
  /** Volumes AWS Backup has snapshotted (its snapshots' aws:backup:source-resource). */
  awsBackup: ReadonlySet<string>;
  /** The region's lifecycle policies (undefined: they could not be read, so what covers a volume is unknown). */
  policies: readonly LifecyclePolicy[] | undefined;
}

/**
 * The recovery points of a region's in-use volumes against the objective. A volume younger than the objective (made
 * by /restore a minute ago, or just launched) is not judged yet; a drill's own volume never is.
 */
export function recoveryPoints(
  volumes: readonly VolumeBackupCandidate[],
  facts: VolumeBackupFacts,
  o: { now: Date; rpoHours: number },
): { misses: BackupGap[]; inUse: number; withinObjective: number; points: VolumePoint[] } {
  const objectiveMs = o.rpoHours * 3_600_000;
  const since = o.now.getTime() - objectiveMs;
  const policies = new Map((facts.policies ?? []).map((p) => [p.id, p]));
  const unknown = facts.policies === undefined;
  const misses: BackupGap[] = [];
  const points: VolumePoint[] = [];
  let inUse = 0;
  let withinObjective = 0;
  for (const v of volumes) {
    const newest = facts.newest.get(v.id);
    const covering = v.policyIds.flatMap((id) => (policies.has(id) ? [policies.get(id)!] : []));
    const coveredBy = [...covering.map(scheduleName), ...(facts.awsBackup.has(v.id) ? ['aws-backup'] : [])];
    // Every volume in use is a row of evidence; one younger than the objective has not missed it (yet).
    const young = v.createTime !== undefined && v.createTime.getTime() > since;
    const within = newest !== undefined && newest.ms >= since;
    points.push({
      region: v.region,
      volumeId: v.id,
      ...(v.name ? { name: v.name } : {}),
      ...(newest ? { newestSnapshotId: newest.id, newestAgeHours: Math.floor((o.now.getTime() - newest.ms) / 3_600_000) } : {}),
      rpoHours: o.rpoHours,
      rpoMet: young || within,
      coveredBy,
    });
    if (young) continue;
    inUse++;
    if (within) {
      withinObjective++;
      continue;
    }
    const stalled = covering[0];
    misses.push({
      volumeId: v.id,
      region: v.region,
      ...(v.name ? { name: v.name } : {}),
      sizeGiB: v.sizeGiB,
      ...(v.instanceId ? { instanceId: v.instanceId } : {}),
      lastSnapshotDays: newest ? wholeDaysSince(new Date(newest.ms), o.now) : undefined,
      ...(newest ? { newestSnapshotId: newest.id, newestAgeHours: Math.floor((o.now.getTime() - newest.ms) / 3_600_000) } : {}),
      rpoHours: o.rpoHours,
      coveredBy,
      ...(unknown ? { coverageUnknown: true } : {}),
      ...(stalled
        ? { notProducing: { policyId: stalled.id, label: scheduleName(stalled), state: stalled.state, ...(stalled.statusMessage ? { statusMessage: stalled.statusMessage } : {}) } }
        : {}),
    });
  }
  // Never backed up first, then the longest without one, then the biggest.
  misses.sort((a, b) => (b.newestAgeHours ?? Infinity) - (a.newestAgeHours ?? Infinity) || b.sizeGiB - a.sizeGiB || (a.volumeId < b.volumeId ? -1 : 1));
  return { misses, inUse, withinObjective, points };
}

/** A lifecycle policy as people know it: snapbot's name tag, else its DLM description, else its ID. */
function scheduleName(p: LifecyclePolicy): string {
  return policyName(p) ?? (p.description || p.id);
}

/** The volume an AWS Backup snapshot was taken of, from its aws:backup:source-resource tag (an ARN or an ID). */
export function backupSourceVolume(tags: Tags): string | undefined {
  const v = tags[TAG.backupSource];
  return v ? /(vol-[0-9a-f]{8,17})/.exec(v)?.[1] : undefined;
}

/** A snapshot kept on purpose that costs less archived: the only snapshot of its volume, kept past the 90-day minimum. */
export interface ArchiveSuggestion {
  snapshotId: string;
  region: string;
  /** The account that holds it (EC2's OwnerId), when known. */
  account?: string;
  name?: string;
  volumeId?: string;
  /** What it holds in full, the size billed once archived (decimal GB, as AWS prices). */
  fullGb: number;
  /** The same in GiB, for people. */
  fullGiB: number;
  standardUsd: number;
  archiveUsd: number;
  /** Until when it is kept (keep-until tag, or a Keep click). */
  keptUntil: Date;
}

export function archiveSuggestion(
  s: Pick<Snapshot, 'id' | 'region' | 'volumeId' | 'state' | 'storageTier' | 'fullSizeBytes' | 'volumeSizeGiB' | 'tags'>,
  o: { onlyOfItsVolume: boolean; keptUntil?: Date; usedByImage: boolean; fastRestore: boolean; now: Date; prices: Prices },
): ArchiveSuggestion | undefined {
  if (s.state !== 'completed' || s.storageTier !== 'standard' || !o.onlyOfItsVolume || o.usedByImage || o.fastRestore) return undefined;
  if (s.tags[TAG.backupSource] || s.tags[TAG.dlmPolicy]) return undefined;
  // Kept on purpose, and for longer than the archive bills at least: otherwise archiving costs more than it saves.
  if (!o.keptUntil || o.keptUntil < daysAfter(o.now, ARCHIVE_MINIMUM_DAYS)) return undefined;
  const fullGb = snapshotBillableGb(s);
  // The only snapshot of its volume shares no blocks: what it holds now is its full size.
  const standardUsd = fullGb * o.prices.snapshotGbMonth;
  const archiveUsd = fullGb * o.prices.archiveGbMonth;
  if (archiveUsd >= standardUsd) return undefined;
  return { snapshotId: s.id, region: s.region, name: nameTag(s.tags), volumeId: s.volumeId, fullGb, fullGiB: snapshotSizeGiB(s), standardUsd, archiveUsd, keptUntil: o.keptUntil };
}

/** The keep-until tag as a date (end of that day, UTC), when it is well formed. */
export function keepUntilOf(tags: Tags): Date | undefined {
  const v = tags[TAG.keepUntil];
  return v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T23:59:59Z`) : undefined;
}
