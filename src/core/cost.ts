// What a snapshot or AMI costs per month, as an upper bound.
//
// Size: AWS reports FullSnapshotSizeInBytes for some snapshots; we read it as decimal GB (bytes / 1e9), the unit
// AWS prices in ("per GB-month"). When it is missing we fall back to the source volume's size in GiB and treat that
// number as GB: the snapshot can never hold more than its volume, so this errs on the high side.
// Either way the figure is "up to": EBS snapshots are incremental, and blocks shared with older or newer snapshots
// of the same volume are billed once, so deleting one snapshot may free less than its full size.
import type { Image, Snapshot, StorageTier } from './types.js';
import { daysSince } from './time.js';

export interface Prices {
  /** USD per GB-month in the standard tier (SNAPSHOT_PRICE_GB_MONTH). */
  snapshotGbMonth: number;
  /** USD per GB-month in the archive tier (ARCHIVE_PRICE_GB_MONTH). */
  archiveGbMonth: number;
}

export const BYTES_PER_GB = 1e9;
export const BYTES_PER_GIB = 2 ** 30;
/** Archived snapshots are billed for at least this many days after archiving. */
export const ARCHIVE_MINIMUM_DAYS = 90;
/** AWS pro-rates a GB-month over the month; 30 days keeps the estimate on the high side. */
const DAYS_PER_MONTH = 30;

type SizedSnapshot = Pick<Snapshot, 'fullSizeBytes' | 'volumeSizeGiB'>;
type PricedSnapshot = SizedSnapshot & Pick<Snapshot, 'storageTier'>;

function pricePerGbMonth(tier: StorageTier, prices: Prices): number {
  return tier === 'archive' ? prices.archiveGbMonth : prices.snapshotGbMonth;
}

/** The GB a snapshot is billed for at most (see the note at the top of the file). */
export function snapshotBillableGb(snapshot: SizedSnapshot): number {
  const full = snapshot.fullSizeBytes;
  return typeof full === 'number' && Number.isFinite(full) && full >= 0 ? full / BYTES_PER_GB : snapshot.volumeSizeGiB;
}

/** The snapshot's size for people, in GiB: the stored data when known, else the volume size. */
export function snapshotSizeGiB(snapshot: SizedSnapshot): number {
  const full = snapshot.fullSizeBytes;
  return typeof full === 'number' && Number.isFinite(full) && full >= 0 ? full / BYTES_PER_GIB : snapshot.volumeSizeGiB;
}

/**
 * A snapshot's size, always saying which size it is: "7.6 GiB stored" (the data EC2 says it holds) or "20 GiB volume
 * size" (all EC2 said). Every message that sizes a snapshot uses this, so the list, the cards and the digest agree.
 */
export function snapshotSizeText(snapshot: SizedSnapshot): string {
  const full = snapshot.fullSizeBytes;
  return typeof full === 'number' && Number.isFinite(full) && full >= 0
    ? `${formatGiB(full / BYTES_PER_GIB)} stored`
    : `${formatGiB(snapshot.volumeSizeGiB)} volume size`;
}

export function snapshotMonthlyUsd(snapshot: PricedSnapshot, prices: Prices): number {
  return snapshotBillableGb(snapshot) * pricePerGbMonth(snapshot.storageTier, prices);
}

/**
 * An AMI costs the sum of its snapshots. A snapshot we do not have (another account's, or not listed) is priced
 * from the block device's volume size in the standard tier.
 */
export function imageMonthlyUsd(
  image: Pick<Image, 'blockDevices'>,
  snapshotsById: ReadonlyMap<string, PricedSnapshot>,
  prices: Prices,
): number {
  let usd = 0;
  for (const device of uniqueSnapshotDevices(image)) {
    const snapshot = snapshotsById.get(device.snapshotId);
    usd += snapshot
      ? snapshotMonthlyUsd(snapshot, prices)
      : (device.volumeSizeGiB ?? 0) * prices.snapshotGbMonth;
  }
  return usd;
}

/** An AMI's size in GiB: the sum of its snapshots (or their block devices' volume sizes). */
export function imageSizeGiB(image: Pick<Image, 'blockDevices'>, snapshotsById: ReadonlyMap<string, SizedSnapshot>): number {
  let gib = 0;
  for (const device of uniqueSnapshotDevices(image)) {
    const snapshot = snapshotsById.get(device.snapshotId);
    gib += snapshot ? snapshotSizeGiB(snapshot) : (device.volumeSizeGiB ?? 0);
  }
  return gib;
}

function uniqueSnapshotDevices(image: Pick<Image, 'blockDevices'>) {
  const seen = new Set<string>();
  const devices: { snapshotId: string; volumeSizeGiB?: number }[] = [];
  for (const d of image.blockDevices) {
    if (!d.snapshotId || seen.has(d.snapshotId)) continue;
    seen.add(d.snapshotId);
    devices.push({ snapshotId: d.snapshotId, volumeSizeGiB: d.volumeSizeGiB });
  }
  return devices;
}

/**
 * The early-deletion charge an archived snapshot may carry, in words, or undefined when there is none to mention.
 * AWS bills archived snapshots for at least 90 days after archiving. The archive time is not in the Snapshot
 * type, so without `archivedAt` we use the completion (else start) time, which can only make the snapshot look
 * archived for longer than it was: hence "may".
 */
export function archiveEarlyDeletionWarning(
  snapshot: Pick<Snapshot, 'storageTier' | 'startTime' | 'completionTime' | 'fullSizeBytes' | 'volumeSizeGiB'>,
  now: Date,
  options: { archivedAt?: Date; prices?: Prices } = {},
): string | undefined {
  if (snapshot.storageTier !== 'archive') return undefined;
  const since = options.archivedAt ?? snapshot.completionTime ?? snapshot.startTime;
  const daysArchived = daysSince(since, now);
  if (daysArchived >= ARCHIVE_MINIMUM_DAYS) return undefined;
  const daysLeft = Math.ceil(ARCHIVE_MINIMUM_DAYS - daysArchived);
  const charge = options.prices
    ? ` of up to ${formatUsd((snapshotBillableGb(snapshot) * options.prices.archiveGbMonth * daysLeft) / DAYS_PER_MONTH)}`
    : '';
  return options.archivedAt
    ? `archived ${Math.floor(daysArchived)} days ago: deleting it now incurs an early-deletion charge${charge} for the remaining ${daysLeft} of the ${ARCHIVE_MINIMUM_DAYS} days archived snapshots are billed for`
    : `in the archive tier and created ${Math.floor(daysArchived)} days ago: deleting it now may incur an early-deletion charge${charge} (archived snapshots are billed for at least ${ARCHIVE_MINIMUM_DAYS} days)`;
}

/** "$12.50", "$1 234.50": cents, thousands grouped with a space. */
/**
 * An amount as it is shown, to the cent. Totals add these, not the unrounded amounts, so a total is always the sum
 * of the rows a reader sees (a figure that is not a sum, such as what deleting several frees together, is exempt).
 */
export function roundCents(usd: number): number {
  return Math.round(Math.max(0, usd) * 100) / 100;
}

export function formatUsd(usd: number): string {
  const cents = Math.round(Math.max(0, usd) * 100);
  const whole = Math.floor(cents / 100);
  const frac = String(cents % 100).padStart(2, '0');
  return `$${groupThousands(whole)}.${frac}`;
}

/** "up to $12.50/mo": every snapshot cost estimate is an upper bound. */
export function formatMonthlyUsd(usd: number): string {
  return `up to ${formatUsd(usd)}/mo`;
}

/** "9,812": whole numbers grouped by thousands with a comma, as US dollars are written. */
export function groupThousands(n: number): string {
  const s = String(Math.round(Math.abs(n)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** "0.4 GiB", "12 GiB", "1,234 GiB": one decimal only below 10 GiB. */
export function formatGiB(gib: number): string {
  if (gib > 0 && gib < 10 && !Number.isInteger(Math.round(gib * 10) / 10)) return `${(Math.round(gib * 10) / 10).toFixed(1)} GiB`;
  return `${groupThousands(gib)} GiB`;
}

/** Fast snapshot restore: USD per snapshot per zone-hour (US East, 2026), billed whether or not it is used. */
const FAST_RESTORE_USD_PER_ZONE_HOUR = 0.75;
const HOURS_PER_MONTH = 730;

export function fastRestoreMonthlyUsd(zones: number): number {
  return zones * FAST_RESTORE_USD_PER_ZONE_HOUR * HOURS_PER_MONTH;
}

/** What a resource without any of COST_TAGS (nor a volume with one) is grouped as. */
export const UNTAGGED = 'untagged';

/** Who pays, by COST_TAGS: the value of the first key present (and not empty) in `tags`; undefined when none is. */
export function costGroup(tags: Readonly<Record<string, string>>, costTags: readonly string[]): string | undefined {
  for (const k of costTags) {
    const v = tags[k]?.trim();
    if (v) return v;
  }
  return undefined;
}
