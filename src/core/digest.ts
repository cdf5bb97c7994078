// The digest's figures, decided once so that Slack, the terminal and the CSV all say the same thing.
import type { ArchiveSuggestion, BackupGap, BackupPosture } from './backups.js';
import type { DrillRecord } from './drills.js';
import { ruleRank, ruleTitle } from './staleness/rules.js';
import type { Finding } from './staleness/types.js';
import { roundCents } from './cost.js';

const AGE_BUCKETS = ['0–30 d', '30–90 d', '90–180 d', '180–365 d', 'over 365 d'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

export function ageBucket(ageDays: number): AgeBucket {
  if (ageDays < 30) return '0–30 d';
  if (ageDays < 90) return '30–90 d';
  if (ageDays < 180) return '90–180 d';
  if (ageDays < 365) return '180–365 d';
  return 'over 365 d';
}

export interface DigestTotals {
  /** Resources flagged. */
  count: number;
  /** Storage flagged; a snapshot behind a flagged AMI is counted once, with the AMI. */
  sizeGiB: number;
  /** What cleanup would save: deletable findings only, upper bound. */
  monthlyUsd: number;
  /** Old and unneeded but managed by AWS Backup or Data Lifecycle Manager: labelled, not offered (not in `count`). */
  managedCount: number;
  /** Findings that may be offered for deletion. */
  deletableCount: number;
}

export interface AgeBucketTotal {
  bucket: AgeBucket;
  /** What cleanup would save in this bucket (deletable findings only), so the bars add up to the total. */
  monthlyUsd: number;
  /** All findings of this age. */
  count: number;
}

export interface ReasonSection {
  rule: string;
  title: string;
  /** Findings whose primary (first) reason is this rule, largest cost first. */
  findings: Finding[];
  /** What cleanup of this section would save (deletable findings only). */
  monthlyUsd: number;
}

export interface DigestSummary {
  generatedAt: Date;
  /** Cleanup candidates: offered for deletion, largest cost first. What the totals, ages and sections count. */
  findings: Finding[];
  /** Public or foreign-shared resources, whatever their age: listed first, never crowded out. */
  exposures: Finding[];
  /** Snapshots with fast snapshot restore left on (not exposed): turned off, not deleted. Largest cost first. */
  fastRestores: Finding[];
  /** Old and unneeded, but not offered (managed by AWS Backup or DLM): one line in Slack, rows in the CSV. */
  notOffered: Finding[];
  /** Exposures an approver accepted (Keep shared), still in force: one line, not items. */
  keptSharedCount: number;
  /** In-use volumes nobody backs up: never backed up first. */
  /** Backups: in-use volumes that missed the recovery point objective, worst first. */
  backupGaps: BackupGap[];
  /** Per account-region: volumes in use and how many have a snapshot within the objective. */
  backupPosture: BackupPosture[];
  /** BACKUP_RPO_HOURS, as the recovery points were judged. */
  rpoHours?: number;
  /** DRILL_EVERY_DAYS, as the posture counts drills. */
  drillEveryDays?: number;
  /** Volumes in use whose latest restore drill failed: listed until a later drill of the volume passes. */
  failedDrills: DrillRecord[];
  /** Snapshots kept on purpose that cost less archived: largest saving first. Never cleanup candidates. */
  archiveSuggestions: ArchiveSuggestion[];
  totals: DigestTotals;
  byAge: AgeBucketTotal[];
  /** Sections by primary reason, largest saving first; each finding appears in exactly one. */
  byReason: ReasonSection[];
  /** What cleanup would save by who pays (COST_TAGS), largest first; "untagged" among them. Empty when not grouped. */
  byGroup: GroupTotal[];
}

export interface GroupTotal {
  group: string;
  count: number;
  /** What deleting its candidates would save (deletable findings only), so the groups add up to the total. */
  monthlyUsd: number;
}

/** Largest cost first, then oldest, then by ID so the order is stable. */
export function compareFindings(a: Finding, b: Finding): number {
  return b.monthlyUsd - a.monthlyUsd || b.ageDays - a.ageDays || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The cost cleanup would save: 0 for what snapbot will not offer for deletion. */
export function savingUsd(f: Finding): number {
  return f.deletable ? roundCents(f.monthlyUsd) : 0;
}

/** Every row the CSV has: exposures first, then candidates, then what is not offered. */
/** An account the digest covers: a managed account's ID (none for snapbot's own) and how the digest names it. */
export interface DigestAccountRef {
  id?: string;
  label: string;
}

/**
 * The summary of one account's part: its findings, backup gaps and archive suggestions. A finding's account is
 * EC2's OwnerId: a managed account's ID, else snapbot's own.
 */
export function accountPart(summary: DigestSummary, account: DigestAccountRef, managed: ReadonlySet<string>): DigestSummary {
  const mine = (id: string | undefined) => (account.id === undefined ? id === undefined || !managed.has(id) : id === account.id);
  return summarise(
    allFindings(summary).filter((f) => mine(f.account)),
    summary.generatedAt,
    {
      keptSharedCount: 0,
      backupGaps: summary.backupGaps.filter((g) => mine(g.account)),
      backupPosture: summary.backupPosture.filter((p) => mine(p.account)),
      ...(summary.rpoHours !== undefined ? { rpoHours: summary.rpoHours } : {}),
      ...(summary.drillEveryDays !== undefined ? { drillEveryDays: summary.drillEveryDays } : {}),
      failedDrills: summary.failedDrills.filter((d) => mine(d.account)),
      archiveSuggestions: summary.archiveSuggestions.filter((a) => mine(a.account)),
    },
  );
}

export function allFindings(summary: Pick<DigestSummary, 'exposures' | 'fastRestores' | 'findings' | 'notOffered'>): Finding[] {
  return [...summary.exposures, ...summary.fastRestores, ...summary.findings, ...summary.notOffered];
}

export function summarise(
  all: readonly Finding[],
  now: Date,
  opts: {
    keptSharedCount?: number;
    backupGaps?: BackupGap[];
    backupPosture?: BackupPosture[];
    rpoHours?: number;
    drillEveryDays?: number;
    failedDrills?: DrillRecord[];
    archiveSuggestions?: ArchiveSuggestion[];
  } = {},
): DigestSummary {
  const exposures: Finding[] = [];
  const fastRestores: Finding[] = [];
  const notOffered: Finding[] = [];
  const candidates: Finding[] = [];
  for (const f of all) (f.exposure ? exposures : f.fastRestore ? fastRestores : f.deletable ? candidates : notOffered).push(f);
  exposures.sort(compareFindings);
  fastRestores.sort((a, b) => (b.fastRestore?.monthlyUsd ?? 0) - (a.fastRestore?.monthlyUsd ?? 0) || compareFindings(a, b));
  notOffered.sort(compareFindings);
  const sorted = candidates.sort(compareFindings);

  const behindFlaggedImages = new Set<string>();
  for (const f of sorted) if (f.kind === 'image') for (const id of f.snapshotIds ?? []) behindFlaggedImages.add(id);

  const totals: DigestTotals = { count: sorted.length, sizeGiB: 0, monthlyUsd: 0, managedCount: 0, deletableCount: 0 };
  const byAge = new Map<AgeBucket, AgeBucketTotal>(AGE_BUCKETS.map((bucket) => [bucket, { bucket, monthlyUsd: 0, count: 0 }]));
  const byReason = new Map<string, ReasonSection>();
  const byGroup = new Map<string, GroupTotal>();

  for (const f of sorted) {
    if (!(f.kind === 'snapshot' && behindFlaggedImages.has(f.id))) totals.sizeGiB += f.sizeGiB;
    totals.monthlyUsd += savingUsd(f);
    if (f.managedBy) totals.managedCount += 1;
    if (f.deletable) totals.deletableCount += 1;

    const age = byAge.get(ageBucket(f.ageDays))!;
    age.count += 1;
    age.monthlyUsd += savingUsd(f);
    if (f.costGroup !== undefined) {
      const g = byGroup.get(f.costGroup) ?? { group: f.costGroup, count: 0, monthlyUsd: 0 };
      g.count += 1;
      g.monthlyUsd += savingUsd(f);
      byGroup.set(f.costGroup, g);
    }

    const rule = f.reasons[0]?.rule ?? 'other';
    let section = byReason.get(rule);
    if (!section) {
      section = { rule, title: ruleTitle(rule), findings: [], monthlyUsd: 0 };
      byReason.set(rule, section);
    }
    section.findings.push(f); // `sorted` is already largest cost first
    section.monthlyUsd += savingUsd(f);
  }

  for (const f of notOffered) if (f.managedBy) totals.managedCount += 1;
  const sections = [...byReason.values()].sort(
    (a, b) => b.monthlyUsd - a.monthlyUsd || ruleRank(a.rule) - ruleRank(b.rule),
  );
  return {
    generatedAt: now,
    findings: sorted,
    exposures,
    fastRestores,
    notOffered,
    keptSharedCount: opts.keptSharedCount ?? 0,
    backupGaps: opts.backupGaps ?? [],
    backupPosture: opts.backupPosture ?? [],
    rpoHours: opts.rpoHours,
    ...(opts.drillEveryDays !== undefined ? { drillEveryDays: opts.drillEveryDays } : {}),
    failedDrills: opts.failedDrills ?? [],
    archiveSuggestions: [...(opts.archiveSuggestions ?? [])].sort((a, b) => b.standardUsd - b.archiveUsd - (a.standardUsd - a.archiveUsd)),
    totals,
    byAge: [...byAge.values()],
    byReason: sections,
    byGroup: [...byGroup.values()].sort((a, b) => b.monthlyUsd - a.monthlyUsd || b.count - a.count || (a.group < b.group ? -1 : 1)),
  };
}

/** Each owner's findings (tag snapbot:requested-by), for the direct reminders; order is kept. */
export function findingsByOwner(findings: readonly Finding[]): Map<string, Finding[]> {
  const byOwner = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!f.ownerUserId) continue;
    const list = byOwner.get(f.ownerUserId);
    if (list) list.push(f);
    else byOwner.set(f.ownerUserId, [f]);
  }
  return byOwner;
}
