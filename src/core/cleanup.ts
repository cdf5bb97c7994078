// Batch cleanup, decided here: which digest findings a `/snapshot cleanup <kind>` batch takes (one registered entry
// per kind, as the staleness RULES are), and the re-check each resource passes just before it is deleted. Pure:
// usecases/cleanup-batch.ts gathers the facts and deletes.
import type { Finding } from './staleness/types.js';
import { TAG, imageSnapshotIds, type Image, type Snapshot } from './types.js';
import { keepUntilOf } from './backups.js';

import type { CleanupKind, CleanupWhat } from './commands.js';

export type { CleanupKind, CleanupWhat };

export interface CleanupKindSpec {
  /** The staleness rule whose findings the kind takes (a finding's first reason). */
  rule: string;
  resource: 'snapshot' | 'image';
  /** "superseded snapshots": the batch's resources in words, plural. */
  plural: string;
  singular: string;
}

export const CLEANUP_KINDS: { readonly [K in CleanupKind]: CleanupKindSpec } = {
  superseded: { rule: 'superseded', resource: 'snapshot', plural: 'superseded snapshots', singular: 'superseded snapshot' },
  orphaned: { rule: 'source-volume-gone', resource: 'snapshot', plural: 'snapshots whose volume is gone', singular: 'snapshot whose volume is gone' },
  copies: { rule: 'stale-copy', resource: 'snapshot', plural: 'old copies', singular: 'old copy' },
  amis: { rule: 'ami-not-launched', resource: 'image', plural: 'AMIs nothing uses', singular: 'AMI nothing uses' },
};

/** The kind a digest finding belongs to, by its first reason, when snapbot may offer its deletion. */
export function cleanupKindOf(f: Pick<Finding, 'kind' | 'reasons' | 'deletable'>): CleanupKind | undefined {
  if (!f.deletable) return undefined;
  const rule = f.reasons[0]?.rule;
  return (Object.keys(CLEANUP_KINDS) as CleanupKind[]).find((k) => CLEANUP_KINDS[k].rule === rule && CLEANUP_KINDS[k].resource === f.kind);
}

/** One resource of a batch as it is kept (the list items): what it is, and what its deletion frees. */
export interface BatchItem {
  id: string;
  kind: CleanupKind;
  name?: string;
  ageDays: number;
  sizeGiB: number;
  /** USD a month deleting it frees: measured where the digest measured it, else the upper bound. */
  usd: number;
  measured: boolean;
  costGroup?: string;
}

/** The digest's findings a batch of `what` takes, largest saving first: deletable, of that kind, old enough. */
export function batchItems(findings: readonly Finding[], what: CleanupWhat, o: { olderThanDays?: number }): BatchItem[] {
  const items: BatchItem[] = [];
  for (const f of findings) {
    const kind = cleanupKindOf(f);
    if (!kind || (what !== 'all' && kind !== what)) continue;
    if (o.olderThanDays !== undefined && f.ageDays < o.olderThanDays) continue;
    items.push({
      id: f.id,
      kind,
      ...(f.name ? { name: f.name } : {}),
      ageDays: f.ageDays,
      sizeGiB: f.sizeGiB,
      usd: f.measured ? f.measured.usd : f.monthlyUsd,
      measured: f.measured !== undefined,
      ...(f.costGroup ? { costGroup: f.costGroup } : {}),
    });
  }
  return items.sort((a, b) => b.usd - a.usd || b.ageDays - a.ageDays || (a.id < b.id ? -1 : 1));
}

/** The batch in words: "4 superseded snapshots", "12 cleanup candidates" for all. */
export function batchWords(what: CleanupWhat, n: number): string {
  if (what === 'all') return `${n} cleanup ${n === 1 ? 'candidate' : 'candidates'}`;
  return `${n} ${n === 1 ? CLEANUP_KINDS[what].singular : CLEANUP_KINDS[what].plural}`;
}

/** What the re-check reads of the region, fresh, just before a chunk of the batch is deleted. */
export interface RecheckFacts {
  now: Date;
  staleAfterDays: number;
  keepPerVolume: number;
  /** The resources as EC2 describes them now (absent: gone). */
  snapshots: ReadonlyMap<string, Snapshot>;
  images: ReadonlyMap<string, Image>;
  /** Snapshots locked against deletion. */
  locked: ReadonlySet<string>;
  /** Every completed snapshot of the chunk's volumes, to tell the newest KEEP_PER_VOLUME. */
  snapshotsOfVolume: ReadonlyMap<string, readonly Pick<Snapshot, 'id' | 'startTime' | 'state'>[]>;
  /** Volumes of the chunk's snapshots that exist now. */
  existingVolumes: ReadonlySet<string>;
  /** Snapshot ID → AMIs using it; AMIs used by an instance or a launch template or configuration. */
  imageIdsBySnapshotId: ReadonlyMap<string, readonly string[]>;
  usedSnapshotIds: ReadonlySet<string>;
  usedImageIds: ReadonlySet<string>;
  /** Kept or snoozed since the batch was asked. */
  hidden: ReadonlySet<string>;
}

/**
 * Why a batch's resource must stay now, or undefined when it still goes: still there, not locked, not kept, not
 * managed, nothing uses it, still older than STALE_AFTER_DAYS, and still what its kind says.
 */
export function recheck(item: Pick<BatchItem, 'id' | 'kind'>, f: RecheckFacts): { gone: true } | { keep: string } | undefined {
  const old = (at: Date | undefined) => at !== undefined && (f.now.getTime() - at.getTime()) / 86_400_000 >= f.staleAfterDays;
  const kept = (tags: Readonly<Record<string, string>>) => {
    const until = keepUntilOf(tags);
    return until && until > f.now ? `kept until ${until.toISOString().slice(0, 10)} (snapbot:keep-until)` : f.hidden.has(item.id) ? 'kept or snoozed since the request' : undefined;
  };
  if (item.kind === 'amis') {
    const image = f.images.get(item.id);
    if (!image || image.state === 'deregistered') return { gone: true };
    if (image.deregistrationProtection?.startsWith('enabled')) return { keep: 'deregistration protection is on' };
    if (f.usedImageIds.has(image.id)) return { keep: 'an instance, launch template or launch configuration uses it now' };
    const keep = kept(image.tags);
    if (keep) return { keep };
    if (image.tags[TAG.dlmPolicy] || image.tags[TAG.backupSource]) return { keep: 'managed by Data Lifecycle Manager or AWS Backup' };
    if (!old(image.lastLaunchedTime ?? image.creationDate)) return { keep: `launched or made within ${f.staleAfterDays} days` };
    if (imageSnapshotIds(image).some((s) => f.locked.has(s))) return { keep: 'one of its snapshots is locked' };
    return undefined;
  }
  const s = f.snapshots.get(item.id);
  if (!s) return { gone: true };
  if (s.state !== 'completed') return { keep: `it is ${s.state}` };
  if (f.locked.has(s.id)) return { keep: 'it is locked' };
  const keep = kept(s.tags);
  if (keep) return { keep };
  if (s.tags[TAG.dlmPolicy] || s.tags[TAG.backupSource]) return { keep: 'managed by Data Lifecycle Manager or AWS Backup' };
  if ((f.imageIdsBySnapshotId.get(s.id) ?? []).length > 0) return { keep: `AMI ${(f.imageIdsBySnapshotId.get(s.id) ?? [])[0]} uses it` };
  if (f.usedSnapshotIds.has(s.id)) return { keep: 'a launch template or configuration uses it' };
  if (!old(s.startTime)) return { keep: `younger than ${f.staleAfterDays} days` };
  if (item.kind === 'orphaned' && s.volumeId && f.existingVolumes.has(s.volumeId)) return { keep: `its volume ${s.volumeId} exists again` };
  if (item.kind === 'superseded') {
    if (!s.volumeId || !f.existingVolumes.has(s.volumeId)) return undefined;
    const newest = [...(f.snapshotsOfVolume.get(s.volumeId) ?? [])]
      .filter((x) => x.state === 'completed')
      .sort((a, b) => (b.startTime?.getTime() ?? 0) - (a.startTime?.getTime() ?? 0))
      .slice(0, f.keepPerVolume);
    if (newest.some((x) => x.id === s.id)) return { keep: `now among the ${f.keepPerVolume === 1 ? 'newest snapshot' : `${f.keepPerVolume} newest snapshots`} of ${s.volumeId}` };
  }
  return undefined;
}
