// The policy that turns rule hits into findings: what is skipped (hidden, another account's, still being created),
// what is never offered for deletion (used by an AMI or launch template, managed by AWS Backup or DLM), and what a
// finding keeps (only the fields the digest needs, so 100 000 snapshots stay cheap).
import {
  archiveEarlyDeletionWarning,
  imageMonthlyUsd,
  imageSizeGiB,
  snapshotMonthlyUsd,
  snapshotSizeGiB,
} from '../cost.js';
import { imageSnapshotIds, nameTag, TAG, type Image, type Snapshot, type Tags } from '../types.js';
import { ageInDays, imageReasons, imageRules, RULES, snapshotReasons, snapshotRules } from './rules.js';
import type { Finding, ImageRule, ManagedBy, Rule, ScanContext, SnapshotRule } from './types.js';

/** What the region's scan found besides the snapshots and images themselves. */
export type RegionUsage = Pick<
  ScanContext,
  | 'existingVolumeIds'
  | 'imageIdsBySnapshotId'
  | 'launchTemplateSnapshotIds'
  | 'launchTemplateImageIds'
  | 'runningImageIds'
  | 'publicSnapshotIds'
>;

/** What is the same for every region of one scan. */
export type ScanSettings = Pick<ScanContext, 'now' | 'staleAfterDays' | 'prices' | 'hiddenUntil' | 'accountId'>;

/** One region's inventory and usage. */
export interface RegionScan {
  region: string;
  snapshots: readonly Snapshot[];
  images: readonly Image[];
  usage: RegionUsage;
  /**
   * The snapshots behind the images, for pricing them, when `snapshots` is not the region's whole list (a caller
   * that streams snapshot pages keeps just these). Defaults to `snapshots`.
   */
  imageSnapshots?: ReadonlyMap<string, PricedSnapshot>;
}

/** What pricing an AMI needs of each of its snapshots. */
export type PricedSnapshot = Pick<Snapshot, 'fullSizeBytes' | 'volumeSizeGiB' | 'storageTier'>;

export function emptyUsage(): RegionUsage {
  return {
    existingVolumeIds: new Set(),
    imageIdsBySnapshotId: new Map(),
    launchTemplateSnapshotIds: new Set(),
    launchTemplateImageIds: new Set(),
    runningImageIds: new Set(),
    publicSnapshotIds: new Set(),
  };
}

/** Snapshot ID → AMI IDs. Pass every AMI, disabled and deprecated ones included. */
export function indexImagesBySnapshotId(images: Iterable<Pick<Image, 'id' | 'blockDevices'>>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const image of images) {
    for (const d of image.blockDevices) {
      if (!d.snapshotId) continue;
      const ids = index.get(d.snapshotId);
      if (!ids) index.set(d.snapshotId, [image.id]);
      else if (!ids.includes(image.id)) ids.push(image.id);
    }
  }
  return index;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The `snapbot:keep-until` tag when it is a real YYYY-MM-DD date; anything else is not honoured. */
export function keepUntil(tags: Tags): string | undefined {
  const value = tags[TAG.keepUntil]?.trim();
  const m = value ? DATE_ONLY.exec(value) : null;
  if (!m || !value) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value ? value : undefined;
}

/**
 * Snoozed or kept until after `now`, or tagged keep-until today or later. Dates are calendar days in UTC:
 * "keep until 2025-03-01" hides the resource through the whole of that day.
 */
export function isHidden(id: string, tags: Tags, ctx: Pick<ScanContext, 'now' | 'hiddenUntil'>): boolean {
  const until = ctx.hiddenUntil.get(id);
  if (until && until.getTime() > ctx.now.getTime()) return true;
  const keep = keepUntil(tags);
  return keep !== undefined && keep >= ctx.now.toISOString().slice(0, 10);
}

export function managedBy(tags: Tags): ManagedBy | undefined {
  if (tags[TAG.backupSource] !== undefined) return 'AWS Backup';
  if (tags[TAG.dlmPolicy] !== undefined) return 'Data Lifecycle Manager';
  return undefined;
}

/** Another account's resource is never ours to flag; unknown on either side means we cannot tell, so it counts. */
function ownedHere(ownerId: string | undefined, accountId: string | undefined): boolean {
  return !ownerId || !accountId || ownerId === accountId;
}

export function findOutdated(scans: readonly RegionScan[], settings: ScanSettings, rules: readonly Rule[] = RULES): Finding[] {
  return scans.flatMap((scan) => findOutdatedInRegion(scan, settings, rules));
}

/** One region at a time, so a caller can drop each region's inventory as soon as it has its findings. */
export function findOutdatedInRegion(scan: RegionScan, settings: ScanSettings, rules: readonly Rule[] = RULES): Finding[] {
  const ctx: ScanContext = {
    ...settings,
    ...scan.usage,
    // The inventory's own AMIs always count as users of their snapshots, even if the caller's index missed them:
    // offering an AMI's snapshot for deletion is the one mistake this scan must not make.
    imageIdsBySnapshotId: withImages(scan.usage.imageIdsBySnapshotId, scan.images),
  };
  const forSnapshots = snapshotRules(rules);
  const forImages = imageRules(rules);
  const findings: Finding[] = [];
  for (const s of scan.snapshots) {
    const f = snapshotFinding(s, scan.region, ctx, forSnapshots);
    if (f) findings.push(f);
  }
  if (scan.images.length > 0) {
    let snapshotsById = scan.imageSnapshots;
    if (!snapshotsById) {
      const byId = new Map<string, Snapshot>();
      for (const s of scan.snapshots) byId.set(s.id, s);
      snapshotsById = byId;
    }
    for (const i of scan.images) {
      const f = imageFinding(i, scan.region, ctx, forImages, snapshotsById);
      if (f) findings.push(f);
    }
  }
  return findings;
}

function withImages(
  index: ReadonlyMap<string, readonly string[]>,
  images: readonly Image[],
): ReadonlyMap<string, readonly string[]> {
  let merged: Map<string, readonly string[]> | undefined;
  for (const image of images) {
    for (const snapshotId of imageSnapshotIds(image)) {
      const known = (merged ?? index).get(snapshotId);
      if (known?.includes(image.id)) continue;
      merged ??= new Map(index);
      merged.set(snapshotId, [...(known ?? []), image.id]);
    }
  }
  return merged ?? index;
}

function snapshotFinding(s: Snapshot, region: string, ctx: ScanContext, rules: readonly SnapshotRule[]): Finding | undefined {
  if (s.state === 'pending') return undefined; // still being created: not outdated yet
  if (!ownedHere(s.ownerId, ctx.accountId) || isHidden(s.id, s.tags, ctx)) return undefined;
  const reasons = snapshotReasons(s, ctx, rules);
  if (reasons.length === 0) return undefined;

  const amis = ctx.imageIdsBySnapshotId.get(s.id) ?? [];
  const inTemplate = ctx.launchTemplateSnapshotIds.has(s.id);
  const managed = managedBy(s.tags);
  const blockers: string[] = [];
  if (amis.length > 0) blockers.push(`used by ${amis.length === 1 ? 'AMI' : 'AMIs'} ${amis.join(', ')}`);
  if (inTemplate) blockers.push('used by a launch template');
  if (managed) blockers.push(`managed by ${managed}; delete it there`);

  const f: Finding = {
    kind: 'snapshot',
    id: s.id,
    region,
    reasons,
    ageDays: ageInDays(s.startTime, ctx.now),
    sizeGiB: snapshotSizeGiB(s),
    monthlyUsd: snapshotMonthlyUsd(s, ctx.prices),
    tier: s.storageTier,
    deletable: blockers.length === 0,
  };
  const name = nameTag(s.tags);
  if (name) f.name = name;
  const owner = s.tags[TAG.requestedBy];
  if (owner) f.ownerUserId = owner;
  if (managed) f.managedBy = managed;
  if (blockers.length > 0) f.notDeletableBecause = blockers.join('; ');
  if (amis.length > 0 || inTemplate) f.usedBy = inTemplate ? [...amis, 'a launch template'] : [...amis];
  const warning = archiveEarlyDeletionWarning(s, ctx.now, { prices: ctx.prices });
  if (warning) f.warning = warning;
  return f;
}

function imageFinding(
  i: Image,
  region: string,
  ctx: ScanContext,
  rules: readonly ImageRule[],
  snapshotsById: ReadonlyMap<string, PricedSnapshot>,
): Finding | undefined {
  if (i.state === 'pending') return undefined;
  if (!ownedHere(i.ownerId, ctx.accountId) || isHidden(i.id, i.tags, ctx)) return undefined;
  const reasons = imageReasons(i, ctx, rules);
  if (reasons.length === 0) return undefined;

  const running = ctx.runningImageIds.has(i.id);
  const inTemplate = ctx.launchTemplateImageIds.has(i.id);
  const managed = managedBy(i.tags);
  const usedBy: string[] = [];
  if (running) usedBy.push('a running instance');
  if (inTemplate) usedBy.push('a launch template');
  const blockers = usedBy.map((u) => `used by ${u}`);
  if (managed) blockers.push(`managed by ${managed}; delete it there`);

  const f: Finding = {
    kind: 'image',
    id: i.id,
    region,
    reasons,
    ageDays: i.creationDate ? ageInDays(i.creationDate, ctx.now) : 0,
    sizeGiB: 0,
    monthlyUsd: 0,
    deletable: blockers.length === 0,
    snapshotIds: imageSnapshotIds(i),
  };
  priceImageFinding(f, i.blockDevices, snapshotsById, ctx.prices);
  const name = i.name || nameTag(i.tags);
  if (name) f.name = name;
  const owner = i.tags[TAG.requestedBy];
  if (owner) f.ownerUserId = owner;
  if (managed) f.managedBy = managed;
  if (blockers.length > 0) f.notDeletableBecause = blockers.join('; ');
  if (usedBy.length > 0) f.usedBy = usedBy;
  return f;
}

/**
 * An AMI costs the sum of its snapshots. A scan that streams snapshots judges the AMIs before it has read their
 * snapshots, and prices them again once it has.
 */
export function priceImageFinding(
  f: Finding,
  blockDevices: Image['blockDevices'],
  snapshotsById: ReadonlyMap<string, PricedSnapshot>,
  prices: ScanContext['prices'],
): void {
  f.sizeGiB = imageSizeGiB({ blockDevices }, snapshotsById);
  f.monthlyUsd = imageMonthlyUsd({ blockDevices }, snapshotsById, prices);
}
