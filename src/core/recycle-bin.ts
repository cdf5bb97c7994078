// Whether a deletion can be undone: which Recycle Bin retention rule would keep the snapshot or AMI, until when.
// Pure: the rules are read by src/aws/rbin.ts.
import type { Tags } from './types.js';
import { daysAfter, isoDay } from './time.js';

export interface RecycleBinRule {
  id: string;
  region: string;
  resourceType: 'snapshot' | 'image';
  description?: string;
  retentionDays: number;
  /** Empty: a region-level rule, for every resource of its type (but excludeTags). */
  resourceTags: { key: string; value?: string }[];
  excludeTags: { key: string; value?: string }[];
  /** A locked rule cannot be changed or deleted until it is unlocked and its unlock delay passes. */
  locked: boolean;
}

export type Recoverability =
  | { recoverable: true; until: Date; rule: RecycleBinRule }
  | { recoverable: false; why: string };

const hasTag = (tags: Tags, t: { key: string; value?: string }) => Object.hasOwn(tags, t.key) && (!t.value || tags[t.key] === t.value);

/** Rules that would keep this resource if it were deleted now; the longest retention applies. */
export function recoverability(kind: 'snapshot' | 'image', tags: Tags, rules: RecycleBinRule[], now: Date): Recoverability {
  const matching = rules.filter(
    (r) =>
      r.resourceType === kind &&
      r.retentionDays > 0 &&
      (r.resourceTags.length === 0 ? !r.excludeTags.some((t) => hasTag(tags, t)) : r.resourceTags.some((t) => hasTag(tags, t))),
  );
  if (matching.length === 0) {
    return { recoverable: false, why: `permanent: no Recycle Bin rule covers it` };
  }
  const rule = matching.reduce((a, b) => (b.retentionDays > a.retentionDays ? b : a));
  return { recoverable: true, until: daysAfter(now, rule.retentionDays), rule };
}

/** "recoverable from the Recycle Bin until 2026-12-08 (rule abc123, locked)" or "permanent: no Recycle Bin rule covers it". */
export function recoverabilityText(r: Recoverability): string {
  if (!r.recoverable) return r.why;
  return `recoverable from the Recycle Bin until ${isoDay(r.until)} (rule ${ruleLabel(r.rule)})`;
}

export function ruleLabel(rule: RecycleBinRule): string {
  return `${rule.id}${rule.description ? ` “${rule.description}”` : ''}${rule.locked ? ', locked' : ''}`;
}
