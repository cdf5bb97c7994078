// The policy that turns rule hits into findings: what is skipped (hidden, another account's, still being created),
// what is never offered for deletion (used by an AMI or launch template, managed by AWS Backup or DLM), and what a
// finding keeps (only the fields the digest needs, so 100 000 snapshots stay cheap).
import {
  archiveEarlyDeletionWarning,
  fastRestoreMonthlyUsd,
  imageMonthlyUsd,
  imageSizeGiB,
  snapshotMonthlyUsd,
  snapshotSizeGiB,
} from '../cost.js';
import { imageSnapshotIds, isInstanceStore, nameTag, TAG, type Image, type Snapshot, type Tags } from '../types.js';
import {
  ageInDays,
  boundedCache,
  compactReasons,
  sharedReasonList,
  imageReasons,
  imageRules,
  ruleRole,
  RULES,
  snapshotReasons,
  snapshotRules,
} from './rules.js';
import type {
  Finding,
  ImageRule,
  ManagedBy,
  NewestOfVolume,
  Reason,
  Rule,
  ScanContext,
  SnapshotRule,
} from './types.js';
import { isoDay } from '../time.js';
import { costGroup, UNTAGGED } from '../cost.js';

/** What the region's scan found besides the snapshots and images themselves. */
export type RegionUsage = Pick<
  ScanContext,
  | 'existingVolumeIds'
  | 'volumeCostGroups'
  | 'imageIdsBySnapshotId'
  | 'launchTemplateSnapshotIds'
  | 'launchTemplateImageIds'
  | 'launchConfigurationSnapshotIds'
  | 'launchConfigurationImageIds'
  | 'runningImageIds'
  | 'publicSnapshotIds'
  | 'foreignShares'
  | 'fastRestoreZones'
>;

/** What is the same for every region of one scan. */
export type ScanSettings = Pick<ScanContext, 'now' | 'staleAfterDays' | 'keepPerVolume' | 'prices' | 'hiddenUntil' | 'keptShared' | 'accountId' | 'costTags'>;

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
  /**
   * Which snapshots are their volume's newest, when `snapshots` is not the region's whole list (a streaming caller
   * passes TENTATIVELY_SUPERSEDED and settles the superseded findings once it has seen every page). Defaults to
   * the newest among `snapshots`.
   */
  newestOfVolume?: NewestOfVolume;
}

/**
 * The newest `keep` completed snapshots of each volume, learned one snapshot at a time: what a volume's backups
 * are, so they are never offered for deletion. Holds `keep` start times per volume, nothing else: with one kept
 * (KEEP_PER_VOLUME's default), the entry itself rather than a list of one (a scan of 50 000 volumes holds 50 000).
 */
export class NewestPerVolume implements NewestOfVolume {
  private readonly newest = new Map<string, Kept | Kept[]>();
  constructor(private readonly keep: number) {}

  see(s: Pick<Snapshot, 'id' | 'volumeId' | 'startTime' | 'state'>): void {
    if (s.state !== 'completed' || !s.volumeId || this.keep <= 0) return;
    const entry: Kept = { ms: s.startTime.getTime(), id: s.id };
    const known = this.newest.get(s.volumeId);
    if (!known) {
      this.newest.set(s.volumeId, this.keep === 1 ? entry : [entry]);
      return;
    }
    if (!Array.isArray(known)) {
      if (newerFirst(entry, known) < 0) this.newest.set(s.volumeId, entry);
      return;
    }
    if (known.some((e) => e.id === s.id)) return;
    known.push(entry);
    known.sort(newerFirst);
    if (known.length > this.keep) known.length = this.keep;
  }

  isAmongNewest(s: Pick<Snapshot, 'id' | 'volumeId' | 'startTime'>): boolean {
    if (!s.volumeId) return false;
    const known = this.newest.get(s.volumeId);
    return known !== undefined && (Array.isArray(known) ? known.some((e) => e.id === s.id) : known.id === s.id);
  }

  /** The same answers for the snapshots of `ids` only: a small NewestOfVolume that lets this one go. */
  only(ids: ReadonlySet<string>): NewestOfVolume {
    const among = new Set<string>();
    for (const known of this.newest.values()) for (const e of Array.isArray(known) ? known : [known]) if (ids.has(e.id)) among.add(e.id);
    return { isAmongNewest: (s) => s.volumeId !== undefined && among.has(s.id) };
  }
}

interface Kept {
  ms: number;
  id: string;
}

const newerFirst = (a: Kept, b: Kept) => b.ms - a.ms || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** While pages stream, every old snapshot of a live volume is taken as superseded; the caller settles it after. */
export const TENTATIVELY_SUPERSEDED: NewestOfVolume = { isAmongNewest: () => false };

/** What pricing an AMI needs of each of its snapshots. */
export type PricedSnapshot = Pick<Snapshot, 'fullSizeBytes' | 'volumeSizeGiB' | 'storageTier'>;

export function emptyUsage(): RegionUsage {
  return {
    existingVolumeIds: new Set(),
    imageIdsBySnapshotId: new Map(),
    launchTemplateSnapshotIds: new Set(),
    launchTemplateImageIds: new Set(),
    launchConfigurationSnapshotIds: new Set(),
    launchConfigurationImageIds: new Set(),
    runningImageIds: new Set(),
    publicSnapshotIds: new Set(),
    foreignShares: new Map(),
    fastRestoreZones: new Map(),
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
function keepUntil(tags: Tags): string | undefined {
  const value = tags[TAG.keepUntil]?.trim();
  const m = value ? DATE_ONLY.exec(value) : null;
  if (!m || !value) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && isoDay(d) === value ? value : undefined;
}

/**
 * Snoozed or kept until after `now`, or tagged keep-until today or later. Dates are calendar days in UTC:
 * "keep until 2025-03-01" hides the resource through the whole of that day.
 */
export function isHidden(id: string, tags: Tags, ctx: Pick<ScanContext, 'now' | 'hiddenUntil'>): boolean {
  const until = ctx.hiddenUntil.get(id);
  if (until && until.getTime() > ctx.now.getTime()) return true;
  const keep = keepUntil(tags);
  return keep !== undefined && keep >= isoDay(ctx.now);
}

function managedBy(tags: Tags): ManagedBy | undefined {
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
  let newestOfVolume = scan.newestOfVolume;
  if (!newestOfVolume) {
    const tracker = new NewestPerVolume(settings.keepPerVolume);
    for (const s of scan.snapshots) tracker.see(s);
    newestOfVolume = tracker;
  }
  const ctx: ScanContext = {
    ...settings,
    ...scan.usage,
    newestOfVolume,
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

/**
 * The few strings a scan repeats on every finding (the owning account, the storage tier) kept once: each parsed
 * page brings its own copies, and a large scan holds 100 000 findings.
 */
const sharedString = boundedCache<string, string>();
const once = (s: string) => sharedString(s, () => s);

/** Findings that state the same facts share one frozen list of them (most do: "used by no AMI; unencrypted"). */
const sharedFacts = boundedCache<string, string[]>();

/**
 * A finding read back from text (a region's spill): its repeated parts shared again, as the scan made them (the
 * same reasons and facts one frozen list, the account one string).
 */
export function reshared(f: Finding): Finding {
  f.reasons = sharedReasonList(f.reasons);
  if (f.facts) {
    const facts = f.facts;
    f.facts = sharedFacts(facts.join('\n'), () => Object.freeze(facts) as string[]);
  }
  if (f.account) f.account = once(f.account);
  return f;
}

/** The rules' hits, split by role: exposure and cleanup reasons (in registry order), and facts. */
function split(hits: readonly Reason[]): { exposure: Reason[]; cleanup: Reason[]; cost: Reason[]; facts: string[] } {
  const out = { exposure: [] as Reason[], cleanup: [] as Reason[], cost: [] as Reason[], facts: [] as string[] };
  for (const r of hits) {
    const role = ruleRole(r.rule);
    if (role === 'exposure') out.exposure.push(r);
    else if (role === 'cleanup') out.cleanup.push(r);
    else if (role === 'cost') out.cost.push(r);
    else out.facts.push(r.text);
  }
  if (out.facts.length > 0) {
    const facts = out.facts;
    out.facts = sharedFacts(facts.join('\n'), () => Object.freeze(facts) as string[]);
  }
  return out;
}

/** A cost finding is hidden by a snooze, a keep or a keep-until tag; an exposure only by an approved Keep shared. */
function hiddenFinding(id: string, tags: Tags, exposed: boolean, ctx: ScanContext): boolean {
  if (exposed) {
    const until = ctx.keptShared.get(id);
    return until !== undefined && until.getTime() > ctx.now.getTime();
  }
  return isHidden(id, tags, ctx);
}

function snapshotFinding(s: Snapshot, region: string, ctx: ScanContext, rules: readonly SnapshotRule[]): Finding | undefined {
  if (s.state === 'pending') return undefined; // still being created: not outdated yet
  if (!ownedHere(s.ownerId, ctx.accountId)) return undefined;
  const { exposure, cleanup, cost, facts } = split(snapshotReasons(s, ctx, rules));
  const exposed = exposure.length > 0;
  const amis = ctx.imageIdsBySnapshotId.get(s.id) ?? [];
  const inTemplate = ctx.launchTemplateSnapshotIds.has(s.id);
  const inConfiguration = ctx.launchConfigurationSnapshotIds.has(s.id);
  // In use: never a candidate (the AMI is judged instead), and nothing to say unless it is exposed or costly.
  const inUse = amis.length > 0 || inTemplate || inConfiguration;
  const candidate = cleanup.length > 0 && !inUse;
  if (!exposed && !candidate && cost.length === 0) return undefined;
  if (hiddenFinding(s.id, s.tags, exposed, ctx)) return undefined;

  const managed = managedBy(s.tags);
  const blockers: string[] = [];
  if (amis.length > 0) blockers.push(`used by ${amis.length === 1 ? 'AMI' : 'AMIs'} ${amis.join(', ')}`);
  if (inTemplate) blockers.push('used by a launch template');
  if (inConfiguration) blockers.push('used by a launch configuration');
  if (managed) blockers.push(`managed by ${managed}; it follows that service's retention`);
  if (cleanup.length === 0) blockers.push(`younger than ${ctx.staleAfterDays} days or still needed`);

  const f: Finding = {
    kind: 'snapshot',
    id: s.id,
    region,
    reasons: compactReasons([...exposure, ...cost, ...(inUse ? [] : cleanup)]),
    ageDays: ageInDays(s.startTime, ctx.now),
    sizeGiB: snapshotSizeGiB(s),
    sizeBasis: typeof s.fullSizeBytes === 'number' ? 'data stored' : 'volume size',
    monthlyUsd: snapshotMonthlyUsd(s, ctx.prices),
    tier: once(s.storageTier) as Snapshot['storageTier'],
    deletable: blockers.length === 0,
  };
  if (facts.length > 0) f.facts = facts;
  if (exposed) f.exposure = true;
  const zones = ctx.fastRestoreZones.get(s.id);
  if (cost.length > 0 && zones) f.fastRestore = { zones: [...zones], monthlyUsd: fastRestoreMonthlyUsd(zones.length) };
  if (s.ownerId) f.account = once(s.ownerId);
  if (!s.encrypted && s.volumeId && ctx.existingVolumeIds.has(s.volumeId)) f.unencryptedVolumeId = s.volumeId;
  const name = nameTag(s.tags);
  if (name) f.name = name;
  const owner = s.tags[TAG.requestedBy];
  if (owner) f.ownerUserId = owner;
  if (ctx.costTags) f.costGroup = costGroup(s.tags, ctx.costTags) ?? (s.volumeId ? ctx.volumeCostGroups?.get(s.volumeId) : undefined) ?? UNTAGGED;
  if (managed) f.managedBy = managed;
  if (blockers.length > 0) f.notDeletableBecause = once(blockers.join('; '));
  if (inUse) f.usedBy = [...amis, ...(inTemplate ? ['a launch template'] : []), ...(inConfiguration ? ['a launch configuration'] : [])];
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
  if (!ownedHere(i.ownerId, ctx.accountId)) return undefined;
  const { exposure, cleanup, facts } = split(imageReasons(i, ctx, rules));
  const exposed = exposure.length > 0;
  if (!exposed && cleanup.length === 0) return undefined;
  if (hiddenFinding(i.id, i.tags, exposed, ctx)) return undefined;

  const running = ctx.runningImageIds.has(i.id);
  const inTemplate = ctx.launchTemplateImageIds.has(i.id);
  const inConfiguration = ctx.launchConfigurationImageIds.has(i.id);
  const managed = managedBy(i.tags);
  const usedBy: string[] = [];
  if (running) usedBy.push('an instance');
  if (inTemplate) usedBy.push('a launch template');
  if (inConfiguration) usedBy.push('a launch configuration');
  const blockers = usedBy.map((u) => `used by ${u}`);
  if (managed) blockers.push(`managed by ${managed}; it follows that service's retention`);
  if (cleanup.length === 0) blockers.push(`launched within ${ctx.staleAfterDays} days or still in use`);

  const f: Finding = {
    kind: 'image',
    id: i.id,
    region,
    reasons: compactReasons([...exposure, ...cleanup]),
    ageDays: i.creationDate ? ageInDays(i.creationDate, ctx.now) : 0,
    sizeGiB: 0,
    monthlyUsd: 0,
    deletable: blockers.length === 0,
    snapshotIds: imageSnapshotIds(i),
  };
  if (facts.length > 0) f.facts = facts;
  if (exposed) f.exposure = true;
  if (i.ownerId) f.account = once(i.ownerId);
  priceImageFinding(f, i.blockDevices, snapshotsById, ctx.prices);
  const name = i.name || nameTag(i.tags);
  if (name) f.name = name;
  const owner = i.tags[TAG.requestedBy];
  if (owner) f.ownerUserId = owner;
  if (ctx.costTags) f.costGroup = costGroup(i.tags, ctx.costTags) ?? UNTAGGED;
  if (managed) f.managedBy = managed;
  if (blockers.length > 0) f.notDeletableBecause = once(blockers.join('; '));
  if (usedBy.length > 0) f.usedBy = usedBy;
  if (isInstanceStore(i)) {
    // EC2 knows nothing of the bundle's size: what it costs is S3's to say, and deregistering does not end it.
    f.warning = `instance store-backed: its bundle is in S3${i.imageLocation ? ` at ${i.imageLocation}` : ''}, billed by S3 (EC2 cannot tell its size, so it is not priced here) and left there when the AMI is deregistered`;
    f.unpriced = 'S3 bundle, size unknown to EC2';
  }
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
