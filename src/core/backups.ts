// The digest's two backup sections, decided here: volumes nobody backs up (Backup gaps), and snapshots kept on
// purpose that would cost less in the archive tier (Archive to save). Pure: the scan gathers the facts.
import { ARCHIVE_MINIMUM_DAYS, snapshotBillableGb, snapshotSizeGiB, type Prices } from './cost.js';
import { policyCovers, type LifecyclePolicy } from './schedules.js';
import { TAG, nameTag, type Snapshot, type Tags, type Volume } from './types.js';
import { daysAfter, wholeDaysSince } from './time.js';


/** An in-use volume with no recent snapshot that no lifecycle policy targets and AWS Backup has not backed up lately. */
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
}

/** What the scan learned about a volume's backups, beyond its tags. */
export interface VolumeBackupFacts {
  /** Start time (ms) of the newest completed snapshot of each volume, from any source (snapbot, AWS Backup, DLM, people). */
  newestSnapshotMs: ReadonlyMap<string, number>;
  /** Lifecycle policies in the region; undefined when they could not be read (then no gap is claimed). */
  policies?: readonly LifecyclePolicy[];
  /** Instance ID → tags, for policies that target instances. */
  instanceTags: ReadonlyMap<string, Tags>;
}

export function findBackupGaps(volumes: readonly Volume[], facts: VolumeBackupFacts, o: { now: Date; staleAfterDays: number }): BackupGap[] {
  if (!facts.policies) return [];
  const freshSince = daysAfter(o.now, -o.staleAfterDays).getTime();
  const gaps: BackupGap[] = [];
  for (const v of volumes) {
    const attachment = v.attachments[0];
    if (v.state !== 'in-use' && !attachment) continue;
    const newest = facts.newestSnapshotMs.get(v.id);
    if (newest !== undefined && newest >= freshSince) continue;
    const instanceTags = attachment ? facts.instanceTags.get(attachment.instanceId) : undefined;
    if (facts.policies.some((p) => policyCovers(p, v.tags, instanceTags))) continue;
    gaps.push({
      volumeId: v.id,
      region: v.region,
      name: nameTag(v.tags),
      sizeGiB: v.sizeGiB,
      instanceId: attachment?.instanceId,
      lastSnapshotDays: newest === undefined ? undefined : wholeDaysSince(new Date(newest), o.now),
    });
  }
  // Never backed up first, then the longest without one, then the biggest.
  return gaps.sort((a, b) => (b.lastSnapshotDays ?? Infinity) - (a.lastSnapshotDays ?? Infinity) || b.sizeGiB - a.sizeGiB || (a.volumeId < b.volumeId ? -1 : 1));
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
