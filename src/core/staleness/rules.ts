// The staleness rules, one small named function each, kept in one registry (the way Cloud Custodian keeps its
// filters). A new rule is one new entry in RULES. Registry order is significance order: a finding's first reason
// is the one the digest files it under.
import { fastRestoreMonthlyUsd, formatUsd } from '../cost.js';
import type { Image, Snapshot } from '../types.js';
import type { ImageRule, Reason, Rule, ScanContext, SnapshotRule } from './types.js';
import { olderThanDays, wholeDaysSince } from '../time.js';

/** Whole days from `since` to `now`, never negative. */
export function ageInDays(since: Date, now: Date): number {
  return wholeDaysSince(since, now);
}

/** Strictly older than `days` days: exactly STALE_AFTER_DAYS old is not yet stale. */
function olderThan(since: Date, now: Date, days: number): boolean {
  return olderThanDays(since, now, days);
}

/**
 * Made once per key and kept, up to 10 000 keys (then started afresh), so a long-running bot never grows past that.
 * The keys here are few: rule texts and day counts.
 */
export function boundedCache<K, V>(): (key: K, make: () => V) => V {
  const made = new Map<K, V>();
  return (key, make) => {
    let value = made.get(key);
    if (value === undefined) {
      if (made.size >= 10_000) made.clear();
      value = make();
      made.set(key, value);
    }
    return value;
  };
}

/**
 * A reason whose words depend only on a few small values (a rule's constant text, a number of days) is made once
 * and shared: a digest of 100 000 snapshots then holds a few hundred reason objects, not hundreds of thousands.
 * Shared reasons are frozen, so no caller can change one finding's reason under another.
 */
function sharedReasons(rule: string): (key: string | number, text: () => string) => Reason {
  const cache = boundedCache<string | number, Reason>();
  return (key, text) => cache(key, () => Object.freeze({ rule, text: text() }));
}

/** CopySnapshot and RegisterImage give snapshots this placeholder volume ID; it never named a real volume. */
const PLACEHOLDER_VOLUME_ID = 'vol-ffffffff';

// Three kinds of rule, each entry saying which it is:
// - exposure: public (or shared outside the allowed accounts), whatever the age; listed first, never for deletion
//   on that ground alone;
// - cleanup: a ground for deletion. Every one needs the resource older than STALE_AFTER_DAYS *and* no longer
//   needed; find.ts adds what is never a candidate (in use, managed, kept, another account's, still pending);
// - fact: shown beside a finding ("used by no AMI", "unencrypted"), never a reason by itself.

export const publicSnapshot: SnapshotRule = {
  id: 'public',
  title: 'Public',
  role: 'exposure',
  appliesTo: 'snapshot',
  check: (s, ctx) => (ctx.publicSnapshotIds.has(s.id) ? PUBLIC_SNAPSHOT : undefined),
};
const PUBLIC_SNAPSHOT: Reason = Object.freeze({ rule: 'public', text: 'public: any AWS account can create a volume from it' });

export const publicImage: ImageRule = {
  id: 'public',
  title: 'Public',
  role: 'exposure',
  appliesTo: 'image',
  check: (i) => (i.public ? PUBLIC_IMAGE : undefined),
};
const PUBLIC_IMAGE: Reason = Object.freeze({ rule: 'public', text: 'public: any AWS account can launch it' });

/** Shared with accounts outside the allowed ones (SHARE_ALLOWED_ACCOUNTS and ACCOUNTS), as the last check saw it. */
function sharedOutsideReason(id: string, ctx: ScanContext): Reason | undefined {
  const accounts = ctx.foreignShares.get(id);
  if (!accounts?.length) return undefined;
  const shown = accounts.slice(0, 5).join(', ');
  return { rule: 'shared-outside', text: `shared with ${shown}${accounts.length > 5 ? ` and ${accounts.length - 5} more` : ''}, outside the allowed accounts` };
}

const sharedOutsideSnapshot: SnapshotRule = {
  id: 'shared-outside',
  title: 'Shared outside the allowed accounts',
  role: 'exposure',
  appliesTo: 'snapshot',
  check: (s, ctx) => sharedOutsideReason(s.id, ctx),
};

const sharedOutsideImage: ImageRule = {
  id: 'shared-outside',
  title: 'Shared outside the allowed accounts',
  role: 'exposure',
  appliesTo: 'image',
  check: (i, ctx) => sharedOutsideReason(i.id, ctx),
};

/** Fast snapshot restore left on: billed per zone-hour whether or not anyone restores. Turned off, not deleted. */
export const fastRestoreOn: SnapshotRule = {
  id: 'fast-restore',
  title: 'Fast snapshot restore left on',
  role: 'cost',
  appliesTo: 'snapshot',
  check: (s, ctx) => {
    const zones = ctx.fastRestoreZones.get(s.id);
    if (!zones?.length) return undefined;
    return {
      rule: 'fast-restore',
      text: `fast snapshot restore is on in ${zones.join(', ')}: about ${formatUsd(fastRestoreMonthlyUsd(zones.length))}/month whether or not anyone restores`,
    };
  },
};

export const sourceVolumeGone: SnapshotRule = {
  id: 'source-volume-gone',
  title: 'Source volume gone',
  role: 'cleanup',
  appliesTo: 'snapshot',
  check: (s, ctx) => {
    if (!s.volumeId || s.volumeId === PLACEHOLDER_VOLUME_ID || ctx.existingVolumeIds.has(s.volumeId)) return undefined;
    if (!olderThan(s.startTime, ctx.now, ctx.staleAfterDays)) return undefined;
    const days = ageInDays(s.startTime, ctx.now);
    return { rule: 'source-volume-gone', text: `source volume ${s.volumeId} no longer exists; ${days} days old` };
  },
};

/**
 * An old snapshot of a volume that still exists, when newer completed snapshots of the same volume are kept: the
 * newest KEEP_PER_VOLUME are the volume's backups and never candidates (ctx.newestOfVolume says which they are).
 */
export const superseded: SnapshotRule = {
  id: 'superseded',
  title: 'Superseded by newer snapshots',
  role: 'cleanup',
  appliesTo: 'snapshot',
  check: (s, ctx) => {
    if (!s.volumeId || s.volumeId === PLACEHOLDER_VOLUME_ID || !ctx.existingVolumeIds.has(s.volumeId)) return undefined;
    if (!olderThan(s.startTime, ctx.now, ctx.staleAfterDays) || ctx.newestOfVolume.isAmongNewest(s)) return undefined;
    const days = ageInDays(s.startTime, ctx.now);
    return supersededReason(`${ctx.keepPerVolume}/${days}`, () =>
      `${days} days old; the volume's ${ctx.keepPerVolume === 1 ? 'newest snapshot is' : `${ctx.keepPerVolume} newest snapshots are`} newer and kept`,
    );
  },
};
const supersededReason = sharedReasons('superseded');

/**
 * A copy (CopySnapshot's placeholder volume, which src/aws maps to no volume at all) has no volume to be superseded
 * on: judged by its age and use alone.
 */
export const staleCopy: SnapshotRule = {
  id: 'stale-copy',
  title: 'Old copies',
  role: 'cleanup',
  appliesTo: 'snapshot',
  check: (s, ctx) => {
    const copy = !s.volumeId || s.volumeId === PLACEHOLDER_VOLUME_ID;
    if (!copy || !olderThan(s.startTime, ctx.now, ctx.staleAfterDays)) return undefined;
    const days = ageInDays(s.startTime, ctx.now);
    return copyReason(days, () => `a copy, ${days} days old, that nothing uses`);
  },
};
const copyReason = sharedReasons('stale-copy');

export const amiNotLaunched: ImageRule = {
  id: 'ami-not-launched',
  title: 'AMIs not launched recently',
  role: 'cleanup',
  appliesTo: 'image',
  check: (i, ctx) => {
    const since = i.lastLaunchedTime ?? i.creationDate;
    if (!since || !olderThan(since, ctx.now, ctx.staleAfterDays)) return undefined;
    if (ctx.runningImageIds.has(i.id) || ctx.launchTemplateImageIds.has(i.id) || ctx.launchConfigurationImageIds.has(i.id)) return undefined;
    const days = ageInDays(since, ctx.now);
    return i.lastLaunchedTime
      ? notLaunched(days, () => `not launched for ${days} days, and no instance, launch template or launch configuration uses it`)
      : neverLaunched(days, () => `never launched in the ${days} days since it was created, and no instance, launch template or launch configuration uses it`);
  },
};
const notLaunched = sharedReasons('ami-not-launched');
const neverLaunched = sharedReasons('ami-not-launched');

/** A fact, not a reason: a launch template's snapshot is in use too, so it is not said to be unused either. */
export const unusedByAmi: SnapshotRule = {
  id: 'unused-by-ami',
  title: 'Used by no AMI',
  role: 'fact',
  appliesTo: 'snapshot',
  check: (s, ctx) =>
    (ctx.imageIdsBySnapshotId.get(s.id)?.length ?? 0) === 0 && !ctx.launchTemplateSnapshotIds.has(s.id) && !ctx.launchConfigurationSnapshotIds.has(s.id)
      ? UNUSED_BY_AMI
      : undefined,
};
const UNUSED_BY_AMI: Reason = Object.freeze({ rule: 'unused-by-ami', text: 'used by no AMI' });

export const unencryptedSnapshot: SnapshotRule = {
  id: 'unencrypted',
  title: 'Unencrypted',
  role: 'fact',
  appliesTo: 'snapshot',
  check: (s) => (s.encrypted ? undefined : UNENCRYPTED),
};
const UNENCRYPTED: Reason = Object.freeze({ rule: 'unencrypted', text: 'unencrypted' });

export const unencryptedImage: ImageRule = {
  id: 'unencrypted',
  title: 'Unencrypted',
  role: 'fact',
  appliesTo: 'image',
  check: (i) => {
    const plain = i.blockDevices.filter((d) => d.snapshotId && d.encrypted === false).map((d) => d.snapshotId);
    return plain.length > 0 ? { rule: 'unencrypted', text: `unencrypted snapshot ${plain.join(', ')}` } : undefined;
  },
};

/** All rules, most significant first. */
export const RULES: readonly Rule[] = [
  publicSnapshot,
  publicImage,
  sharedOutsideSnapshot,
  sharedOutsideImage,
  fastRestoreOn,
  sourceVolumeGone,
  superseded,
  staleCopy,
  amiNotLaunched,
  unusedByAmi,
  unencryptedSnapshot,
  unencryptedImage,
];

export function snapshotRules(rules: readonly Rule[] = RULES): SnapshotRule[] {
  return rules.filter((r): r is SnapshotRule => r.appliesTo === 'snapshot');
}

export function imageRules(rules: readonly Rule[] = RULES): ImageRule[] {
  return rules.filter((r): r is ImageRule => r.appliesTo === 'image');
}

/** Every rule that fires, in registry order. */
export function snapshotReasons(s: Snapshot, ctx: ScanContext, rules: readonly SnapshotRule[] = snapshotRules()): Reason[] {
  const reasons: Reason[] = [];
  for (const rule of rules) {
    const reason = rule.check(s, ctx);
    if (reason) reasons.push(reason);
  }
  return compactReasons(reasons);
}

export function imageReasons(i: Image, ctx: ScanContext, rules: readonly ImageRule[] = imageRules()): Reason[] {
  const reasons: Reason[] = [];
  for (const rule of rules) {
    const reason = rule.check(i, ctx);
    if (reason) reasons.push(reason);
  }
  return compactReasons(reasons);
}

const sharedList = boundedCache<string, Reason[]>();

/**
 * The list a finding keeps: one shared frozen list for a combination of shared reasons (most findings), else an
 * exact-size copy (a pushed-to array reserves room for 16).
 */
export function compactReasons(reasons: Reason[]): Reason[] {
  if (reasons.length === 0) return reasons;
  if (!reasons.every((r) => Object.isFrozen(r))) return reasons.slice();
  const key = reasons.map((r) => `${r.rule}:${r.text}`).join('\n');
  return sharedList(key, () => Object.freeze(reasons.slice()) as Reason[]);
}

/** A list of reasons read back (from a scan's spill): shared again with every finding that says the same. */
export function sharedReasonList(reasons: readonly Reason[]): Reason[] {
  const key = reasons.map((r) => `${r.rule}:${r.text}`).join('\n');
  return sharedList(key, () => Object.freeze(reasons.map((r) => Object.freeze({ rule: r.rule, text: r.text }))) as Reason[]);
}

/** What a rule's hits mean (exposure, cleanup ground, or fact); unknown ids count as facts. */
export function ruleRole(ruleId: string, rules: readonly Rule[] = RULES): Rule['role'] {
  return rules.find((r) => r.id === ruleId)?.role ?? 'fact';
}

/** The digest's section title for a rule id; unknown ids stand for themselves. */
export function ruleTitle(ruleId: string, rules: readonly Rule[] = RULES): string {
  return rules.find((r) => r.id === ruleId)?.title ?? ruleId;
}

/** Position in the registry (lower = more significant); unknown ids sort last. */
export function ruleRank(ruleId: string, rules: readonly Rule[] = RULES): number {
  const i = rules.findIndex((r) => r.id === ruleId);
  return i < 0 ? rules.length : i;
}
