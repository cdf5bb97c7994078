// The digest's figures, decided once so that Slack, the terminal and the CSV all say the same thing.
import type { ArchiveSuggestion, BackupGap, BackupPosture } from './backups.js';
import type { DrillRecord } from './drills.js';
import { ruleRank, ruleTitle } from './staleness/rules.js';
import type { Finding } from './staleness/types.js';
import { roundCents } from './cost.js';
import { cleanupKindOf } from './cleanup.js';
import type { CleanupKind } from './commands.js';

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
  /** Candidates EC2 cannot price (an instance store-backed AMI's S3 bundle): said instead of a dollar figure. */
  unpricedCount: number;
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
  /** The largest of the section's findings (at most KEPT_PER_LIST), largest cost first; `count` says how many in all. */
  findings: Finding[];
  /** Findings whose primary (first) reason is this rule. */
  count: number;
  deletableCount: number;
  unpricedCount: number;
  /** What cleanup of this section would save (deletable findings only). */
  monthlyUsd: number;
  /** Its deletable findings are one batch kind in one account and region (*Request deletion of all*): which. */
  batch?: { kind: CleanupKind; region: string; account?: string };
}

/** A list of which only the largest are kept: how many there are in all, what they add up to. */
export interface Listed {
  count: number;
  monthlyUsd: number;
}

export interface DigestSummary {
  generatedAt: Date;
  /** Cleanup candidates: the largest (at most KEPT_PER_LIST), largest cost first; `totals` counts them all. */
  findings: Finding[];
  /** Public or foreign-shared resources, whatever their age: listed first, never crowded out (the largest kept). */
  exposures: Finding[];
  /** Snapshots with fast snapshot restore left on (not exposed): turned off, not deleted. Largest cost first. */
  fastRestores: Finding[];
  /** Old and unneeded, but not offered (managed by AWS Backup or DLM): one line in Slack, rows in the CSV. */
  notOffered: Finding[];
  /** How many of each list there are in all (the lists keep the largest): fast restore's cost, what is not offered's size. */
  counts: { exposures: number; fastRestores: number; fastRestoreUsd: number; notOffered: number; notOfferedGiB: number };
  /** Exposures an approver accepted (Keep shared), still in force: one line, not items. */
  keptSharedCount: number;
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
  /** Each owner's (snapbot:requested-by) findings, the largest kept, for their direct reminder. */
  owners: Map<string, Listed & { findings: Finding[] }>;
  /** Each account's own part (key: the managed account's ID, '' for snapbot's own), where the tally was told accounts. */
  parts?: Map<string, DigestSummary>;
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

const compareFastRestores = (a: Finding, b: Finding) => (b.fastRestore?.monthlyUsd ?? 0) - (a.fastRestore?.monthlyUsd ?? 0) || compareFindings(a, b);

/** The cost cleanup would save: 0 for what snapbot will not offer for deletion. */
export function savingUsd(f: Finding): number {
  return f.deletable ? roundCents(f.monthlyUsd) : 0;
}

/** An account the digest covers: a managed account's ID (none for snapbot's own) and how the digest names it. */
export interface DigestAccountRef {
  id?: string;
  label: string;
}

/**
 * The summary of one account's part: its findings' tally, backup gaps and archive suggestions. A finding's account
 * is EC2's OwnerId: a managed account's ID, else snapbot's own.
 */
export function accountPart(summary: DigestSummary, account: DigestAccountRef, managed: ReadonlySet<string>): DigestSummary {
  const mine = (id: string | undefined) => (account.id === undefined ? id === undefined || !managed.has(id) : id === account.id);
  const part = summary.parts?.get(account.id ?? '') ?? new DigestTally().summary(summary.generatedAt);
  return {
    ...part,
    backupGaps: summary.backupGaps.filter((g) => mine(g.account)),
    backupPosture: summary.backupPosture.filter((p) => mine(p.account)),
    ...(summary.rpoHours !== undefined ? { rpoHours: summary.rpoHours } : {}),
    ...(summary.drillEveryDays !== undefined ? { drillEveryDays: summary.drillEveryDays } : {}),
    failedDrills: summary.failedDrills.filter((d) => mine(d.account)),
    archiveSuggestions: summary.archiveSuggestions.filter((a) => mine(a.account)),
  };
}

/** How many findings the digest has in all (every list's count, not only what it keeps). */
export function findingCount(summary: Pick<DigestSummary, 'counts' | 'totals'>): number {
  return summary.counts.exposures + summary.counts.fastRestores + summary.totals.count + summary.counts.notOffered;
}

/** What a digest keeps of each list: the message shows 15 items, the printed digest and reminders a few more. */
export const KEPT_PER_LIST = 50;

/**
 * The largest `cap` items by `compare`, in memory that does not grow with how many are pushed: the buffer is cut
 * back to `cap` whenever it doubles (n log cap in all).
 */
export class Largest<T> {
  private items: T[] = [];
  constructor(
    private readonly compare: (a: T, b: T) => number,
    private readonly cap = KEPT_PER_LIST,
  ) {}

  push(item: T): void {
    this.items.push(item);
    if (this.items.length >= 2 * this.cap) this.cut();
  }

  /** The kept items, first by `compare`. */
  list(): T[] {
    this.cut();
    return [...this.items];
  }

  private cut(): void {
    this.items.sort(this.compare);
    if (this.items.length > this.cap) this.items.length = this.cap;
  }
}

interface SectionTally extends Omit<ReasonSection, 'findings'> {
  largest: Largest<Finding>;
  /** null: its deletable findings are of several kinds or places. */
  scope?: ReasonSection['batch'] | null;
}

/**
 * The digest's figures, one finding at a time: counts and dollars of everything, and only the largest items of
 * each list (what the message, the printed digest and the reminders show). Memory does not grow with findings;
 * every finding goes to the CSV as it is added (the caller's sink), not into the tally.
 */
export class DigestTally {
  private readonly exposures = new Largest(compareFindings);
  private readonly fastRestores = new Largest(compareFastRestores);
  private readonly candidates = new Largest(compareFindings);
  private readonly notOffered = new Largest(compareFindings);
  private readonly counts = { exposures: 0, fastRestores: 0, fastRestoreUsd: 0, notOffered: 0, notOfferedGiB: 0 };
  private readonly totals: DigestTotals = { count: 0, sizeGiB: 0, monthlyUsd: 0, managedCount: 0, deletableCount: 0, unpricedCount: 0 };
  private readonly byAge = new Map<AgeBucket, AgeBucketTotal>(AGE_BUCKETS.map((bucket) => [bucket, { bucket, monthlyUsd: 0, count: 0 }]));
  private readonly byReason = new Map<string, SectionTally>();
  private readonly byGroup = new Map<string, GroupTotal>();
  private readonly owners = new Map<string, Listed & { largest: Largest<Finding> }>();
  /** Snapshots behind flagged AMIs: their storage is counted with the AMI. */
  private readonly behindImages = new Set<string>();
  private readonly parts = new Map<string, DigestTally>();

  /** `partOf`: which account's part a finding belongs to ('' snapbot's own), where the digest covers several. */
  constructor(private readonly partOf?: (f: Finding) => string) {}

  /**
   * Adds a batch of findings (a region's, once settled): its AMIs first, so a snapshot behind a flagged AMI of the
   * same batch is counted with the AMI whatever the order.
   */
  addAll(findings: readonly Finding[]): void {
    for (const f of findings) if (f.kind === 'image') this.add(f);
    for (const f of findings) if (f.kind !== 'image') this.add(f);
  }

  add(f: Finding): void {
    if (this.partOf) {
      const key = this.partOf(f);
      let part = this.parts.get(key);
      if (!part) this.parts.set(key, (part = new DigestTally()));
      part.add(f);
    }
    if (f.ownerUserId) {
      let own = this.owners.get(f.ownerUserId);
      if (!own) this.owners.set(f.ownerUserId, (own = { count: 0, monthlyUsd: 0, largest: new Largest(compareFindings) }));
      own.count += 1;
      own.monthlyUsd += savingUsd(f);
      own.largest.push(f);
    }
    if (f.exposure) {
      this.counts.exposures += 1;
      this.exposures.push(f);
    } else if (f.fastRestore) {
      this.counts.fastRestores += 1;
      this.counts.fastRestoreUsd += f.fastRestore.monthlyUsd;
      this.fastRestores.push(f);
    } else if (!f.deletable) {
      this.counts.notOffered += 1;
      this.counts.notOfferedGiB += f.sizeGiB;
      if (f.managedBy) this.totals.managedCount += 1;
      this.notOffered.push(f);
    } else this.addCandidate(f);
  }

  private addCandidate(f: Finding): void {
    const t = this.totals;
    const usd = savingUsd(f);
    this.candidates.push(f);
    if (f.kind === 'image') for (const id of f.snapshotIds ?? []) this.behindImages.add(id);
    t.count += 1;
    if (!(f.kind === 'snapshot' && this.behindImages.has(f.id))) t.sizeGiB += f.sizeGiB;
    t.monthlyUsd += usd;
    if (f.managedBy) t.managedCount += 1;
    t.deletableCount += 1;
    if (f.unpriced) t.unpricedCount += 1;
    const age = this.byAge.get(ageBucket(f.ageDays))!;
    age.count += 1;
    age.monthlyUsd += usd;
    if (f.costGroup !== undefined) {
      const g = this.byGroup.get(f.costGroup) ?? { group: f.costGroup, count: 0, monthlyUsd: 0 };
      g.count += 1;
      g.monthlyUsd += usd;
      this.byGroup.set(f.costGroup, g);
    }
    const rule = f.reasons[0]?.rule ?? 'other';
    let s = this.byReason.get(rule);
    if (!s) this.byReason.set(rule, (s = { rule, title: ruleTitle(rule), largest: new Largest(compareFindings), count: 0, deletableCount: 0, unpricedCount: 0, monthlyUsd: 0 }));
    s.largest.push(f);
    s.count += 1;
    s.monthlyUsd += usd;
    if (f.unpriced) s.unpricedCount += 1;
    s.deletableCount += 1;
    const kind = cleanupKindOf(f);
    const scope = kind ? { kind, region: f.region, ...(f.account ? { account: f.account } : {}) } : null;
    if (s.scope === undefined) s.scope = scope;
    else if (s.scope && (!scope || scope.kind !== s.scope.kind || scope.region !== s.scope.region || scope.account !== s.scope.account)) s.scope = null;
  }

  summary(
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
    const sections: ReasonSection[] = [...this.byReason.values()]
      .sort((a, b) => b.monthlyUsd - a.monthlyUsd || ruleRank(a.rule) - ruleRank(b.rule))
      .map(({ largest, scope, ...s }) => ({ ...s, findings: largest.list(), ...(scope && s.deletableCount >= 2 ? { batch: scope } : {}) }));
    return {
      generatedAt: now,
      findings: this.candidates.list(),
      exposures: this.exposures.list(),
      fastRestores: this.fastRestores.list(),
      notOffered: this.notOffered.list(),
      counts: { ...this.counts },
      keptSharedCount: opts.keptSharedCount ?? 0,
      backupGaps: opts.backupGaps ?? [],
      backupPosture: opts.backupPosture ?? [],
      rpoHours: opts.rpoHours,
      ...(opts.drillEveryDays !== undefined ? { drillEveryDays: opts.drillEveryDays } : {}),
      failedDrills: opts.failedDrills ?? [],
      archiveSuggestions: [...(opts.archiveSuggestions ?? [])].sort((a, b) => b.standardUsd - b.archiveUsd - (a.standardUsd - a.archiveUsd)),
      totals: { ...this.totals },
      byAge: [...this.byAge.values()].map((b) => ({ ...b })),
      byReason: sections,
      byGroup: [...this.byGroup.values()].sort((a, b) => b.monthlyUsd - a.monthlyUsd || b.count - a.count || (a.group < b.group ? -1 : 1)),
      owners: new Map([...this.owners].map(([owner, { largest, ...o }]) => [owner, { ...o, findings: largest.list() }])),
      ...(this.partOf ? { parts: new Map([...this.parts].map(([key, part]) => [key, part.summary(now)])) } : {}),
    };
  }
}

/** The summary of findings already in hand (tests, a small list): the same tally, fed at once. */
export function summarise(all: readonly Finding[], now: Date, opts: Parameters<DigestTally['summary']>[1] = {}): DigestSummary {
  const tally = new DigestTally();
  tally.addAll(all);
  return tally.summary(now, opts);
}
