// The vocabulary of the staleness scan: what a rule sees (ScanContext), what it says (Reason), and what the
// digest shows (Finding). Rules live in ./rules.ts; the policy that turns rule hits into findings in ./find.ts.
import type { Prices } from '../cost.js';
import type { Image, Snapshot, StorageTier } from '../types.js';

/** Why something looks outdated, for people: "older than 90 days (412 days)". */
export interface Reason {
  /** The id of the rule that fired. */
  rule: string;
  text: string;
}

/** Everything a rule may look at besides the resource itself. One per region; the sets hold that region's IDs. */
export interface ScanContext {
  now: Date;
  staleAfterDays: number;
  /** KEEP_PER_VOLUME: the newest N completed snapshots of an existing volume are never candidates. */
  keepPerVolume: number;
  /** Which snapshots are among their volume's newest KEEP_PER_VOLUME completed ones. */
  newestOfVolume: NewestOfVolume;
  prices: Prices;
  existingVolumeIds: ReadonlySet<string>;
  /** COST_TAGS, in order: the first present names who pays (absent: nothing is grouped). */
  costTags?: readonly string[];
  /** Volume ID → its cost group, for the volumes that carry one of COST_TAGS (a snapshot without the tag inherits it). */
  volumeCostGroups?: ReadonlyMap<string, string>;
  /** Snapshot ID → IDs of the AMIs that use it, counting ALL AMIs (disabled and deprecated ones too). */
  imageIdsBySnapshotId: ReadonlyMap<string, readonly string[]>;
  /** Snapshots referenced by a launch template's default or latest version. */
  launchTemplateSnapshotIds: ReadonlySet<string>;
  /** AMIs referenced by a launch template's default or latest version. */
  launchTemplateImageIds: ReadonlySet<string>;
  /** Snapshots and AMIs a launch configuration (Auto Scaling) uses: in use, like a launch template's. */
  launchConfigurationSnapshotIds: ReadonlySet<string>;
  launchConfigurationImageIds: ReadonlySet<string>;
  /** AMIs that a running (or pending/stopped-but-present) instance was launched from, in any account snapbot manages. */
  runningImageIds: ReadonlySet<string>;
  /** Snapshots restorable by all (DescribeSnapshots with RestorableByUserIds ['all']). */
  publicSnapshotIds: ReadonlySet<string>;
  /** Snapshot or AMI ID → accounts outside the allowed ones it is shared with (as last checked). */
  foreignShares: ReadonlyMap<string, readonly string[]>;
  /** Snapshot ID → zones where fast snapshot restore is on. */
  fastRestoreZones: ReadonlyMap<string, readonly string[]>;
  /** Resource ID → hidden until then (snoozes and keeps from the store): hides a cost finding, never an exposure. */
  hiddenUntil: ReadonlyMap<string, Date>;
  /** Resource ID → until then an approver accepted its exposure (Keep shared): the digest lists it in one line. */
  keptShared: ReadonlyMap<string, Date>;
  /** This account; when known, resources owned by any other account are never findings. */
  accountId?: string;
}

export interface NewestOfVolume {
  isAmongNewest(snapshot: Pick<Snapshot, 'id' | 'volumeId' | 'startTime'>): boolean;
}

/**
 * exposure: public or shared outside the allowed accounts, first in the digest whatever the age; cleanup: a ground
 * for deletion (always "old and no longer needed"); cost: something billed that can be turned off without deleting
 * (fast snapshot restore); fact: shown beside a finding, never a reason on its own.
 */
export type RuleRole = 'exposure' | 'cleanup' | 'cost' | 'fact';

interface RuleBase {
  /** Stable id, also the Reason's `rule`: "source-volume-gone". */
  id: string;
  /** Section title in the digest: "Source volume gone". */
  title: string;
  role: RuleRole;
}

export interface SnapshotRule extends RuleBase {
  appliesTo: 'snapshot';
  check(snapshot: Snapshot, ctx: ScanContext): Reason | undefined;
}

export interface ImageRule extends RuleBase {
  appliesTo: 'image';
  check(image: Image, ctx: ScanContext): Reason | undefined;
}

export type Rule = SnapshotRule | ImageRule;

export type ManagedBy = 'AWS Backup' | 'Data Lifecycle Manager';

/**
 * One outdated snapshot or AMI, holding only what the digest, the CSV and the buttons need (a scan can produce
 * 100 000 of these; never keep the whole Snapshot or Image).
 */
export interface Finding {
  kind: 'snapshot' | 'image';
  id: string;
  /** The AWS account that owns it (EC2's OwnerId), when EC2 said. */
  account?: string;
  region: string;
  name?: string;
  /** Exposure and cleanup reasons, most significant first (registry order); never empty. */
  reasons: Reason[];
  /** What the fact rules say ("used by no AMI", "unencrypted"): shown, never a reason. */
  facts?: string[];
  /** Public (or shared outside the allowed accounts): listed under Exposure, with Make private / Keep shared. */
  exposure?: boolean;
  /** Zones where fast snapshot restore is on, and what that costs a month: turned off with Disable fast restore. */
  fastRestore?: { zones: string[]; monthlyUsd: number };
  ageDays: number;
  sizeGiB: number;
  /** Upper-bound estimate, USD per month. */
  monthlyUsd: number;
  /** What sizeGiB measures: the data the snapshot stores (EC2's full size) or, when EC2 did not say, the volume's size. */
  sizeBasis?: 'data stored' | 'volume size';
  tier?: StorageTier;
  /** The Slack user who created it through snapbot (tag snapbot:requested-by). */
  ownerUserId?: string;
  /** Who pays (COST_TAGS): the resource's tag, else its volume's, else "untagged". */
  costGroup?: string;
  managedBy?: ManagedBy;
  /** False when snapbot must not offer deletion; then notDeletableBecause says why. */
  deletable: boolean;
  notDeletableBecause?: string;
  /** What still uses it: AMI IDs, "a launch template", "a running instance". */
  usedBy?: string[];
  /** Images only: the snapshots behind the AMI. */
  snapshotIds?: string[];
  /** What EC2 cannot price, and why (an instance store-backed AMI's S3 bundle): shown instead of a dollar figure. */
  unpriced?: string;
  /** An unencrypted snapshot of a volume that still exists: that volume, which *Encrypt this volume* fixes. */
  unencryptedVolumeId?: string;
  /** Something to know before deleting (archive-tier early-deletion charge). */
  warning?: string;
  /** Measured with the EBS direct APIs: what deleting it alone really frees (monthlyUsd stays the upper bound). */
  measured?: { freedBytes: number; usd: number; at: string };
}
