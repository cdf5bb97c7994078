// Words the digest message and its printed form share: accounts, totals, a finding's facts, cost by age.
import { formatBytes } from '../../../core/lineage.js';
import { formatGiB, formatMonthlyUsd, formatUsd, groupThousands, UNTAGGED } from '../../../core/cost.js';
import { accountPart, type AgeBucketTotal, type DigestAccountRef, type DigestSummary, type ReasonSection } from '../../../core/digest.js';
import type { BackupGap } from '../../../core/backups.js';
import type { DrillRecord } from '../../../core/drills.js';
import type { QuotaOutlook } from '../../../core/quota.js';
import { isoDay } from '../../../core/time.js';
import type { Finding } from '../../../core/staleness/types.js';
import { count } from '../../../core/words.js';
import type { DigestMessageOptions } from '../../../usecases/ports.js';
import { escapeMrkdwn, section } from '../blockkit.js';

/** How items name their account where the digest covers several (undefined: it covers one, so nothing to say). */
export type AccountNamer = ((accountId: string | undefined) => string) | undefined;

export function accountNamer(accounts: readonly DigestAccountRef[] | undefined): AccountNamer {
  if (!accounts || accounts.length < 2) return undefined;
  const byId = new Map(accounts.flatMap((a) => (a.id ? [[a.id, a.label] as const] : [])));
  const own = accounts.find((a) => a.id === undefined)?.label ?? "snapbot's own account";
  return (id) => (id !== undefined && byId.get(id)) || own;
}

/** One line per account: what it holds of each part. */
export function accountLines(summary: DigestSummary, accounts: readonly DigestAccountRef[]): string[] {
  const managed = new Set(accounts.flatMap((a) => a.id ?? []));
  return accounts.map((a) => {
    const part = accountPart(summary, a, managed);
    const bits = [
      ...(part.counts.exposures ? [`${groupThousands(part.counts.exposures)} exposed`] : []),
      part.totals.count ? `${groupThousands(part.totals.count)} to clean up, ${saving(part.totals.count, part.totals.unpricedCount, part.totals.monthlyUsd)}` : 'nothing to clean up',
      ...(part.backupGaps.length ? [`${groupThousands(part.backupGaps.length)} backup ${part.backupGaps.length === 1 ? 'gap' : 'gaps'}`] : []),
    ];
    return `${a.label}: ${bits.join(' · ')}`;
  });
}

/**
 * What cleaning up saves a month, as much as is known: "up to $12.50/month", "up to $12.50/month, 1 more not priced",
 * or "not priced" when every candidate's cost is outside EC2 (an instance store-backed AMI's S3 bundle) — never
 * "$0.00" for something that costs money.
 */
export function saving(count: number, unpriced: number, monthlyUsd: number): string {
  if (unpriced > 0 && unpriced === count) return `not priced (${unpriced === 1 ? 'its cost is' : 'their costs are'} outside EC2)`;
  return `up to ${formatUsd(monthlyUsd)}/month${unpriced ? `, ${groupThousands(unpriced)} more not priced` : ''}`;
}

/** "Account shares: 230 of 12 000 snapshots and AMIs checked this run; each is re-checked within 30 days." */
export function shareCheckLine(checks: DigestMessageOptions['shareChecks']): string | undefined {
  if (!checks?.length) return undefined;
  let calls = 0;
  let total = 0;
  let days = 0;
  for (const c of checks) {
    calls += c.calls;
    total += c.total;
    days = Math.max(days, c.fullCycleDays);
  }
  const every = calls >= total ? 'all of them, every run' : `each is re-checked within ${days} ${days === 1 ? 'day' : 'days'}`;
  const line = `Account shares: ${groupThousands(calls)} of ${groupThousands(total)} snapshots and AMIs checked this run (${every}).`;
  const trails = checks.flatMap((c) => (c.trail ? [c.trail] : []));
  if (trails.length === 0) return line;
  const read = trails.filter((t): t is { since: string; events: number; resources: number } => 'since' in t);
  const failed = trails.length - read.length;
  const found = read.reduce((n, t) => n + t.resources, 0);
  const trail = read.length
    ? ` CloudTrail: every sharing change up to this run checked (${groupThousands(found)} ${found === 1 ? 'resource' : 'resources'} with changed sharing).`
    : '';
  const missing = failed ? ` CloudTrail could not be read in ${failed} of ${trails.length} ${trails.length === 1 ? 'place' : 'places'}: there, new shares wait for the rolling check.` : '';
  return `${line}${trail}${missing}`;
}


export function gapsLine(summary: DigestSummary): string {
  const n = summary.backupGaps.length;
  return n > 0 ? `; ${groupThousands(n)} in-use ${n === 1 ? 'volume missed' : 'volumes missed'} the backup objective` : '';
}

/** "30 h", "3 days": an age in hours as a person reads it. */
export function hoursText(hours: number): string {
  return hours < 48 ? `${groupThousands(hours)} h` : `${groupThousands(Math.floor(hours / 24))} days`;
}

/**
 * What a volume that missed its recovery point has: never backed up, or its newest snapshot and its age against the
 * objective; and what was meant to back it up — the schedule that is not producing, named with its ID and state.
 */
export function missWords(g: BackupGap): string {
  const point =
    g.newestSnapshotId === undefined || g.newestAgeHours === undefined
      ? 'never backed up'
      : `newest snapshot ${g.newestSnapshotId} is ${hoursText(g.newestAgeHours)} old (objective ${hoursText(g.rpoHours)})`;
  const schedule = g.notProducing
    ? `; schedule “${g.notProducing.label}” (${g.notProducing.policyId}) is not producing: ${g.notProducing.state.toLowerCase()}${g.notProducing.statusMessage ? ` — ${g.notProducing.statusMessage}` : ''}`
    : g.coveredBy.includes('aws-backup')
      ? '; AWS Backup is meant to cover it and has not within the objective'
      : g.coverageUnknown
        ? '; whether a lifecycle policy is meant to cover it is unknown (they could not be read)'
        : '; no lifecycle policy or AWS Backup covers it';
  return `${point}${schedule}`;
}

/**
 * One line per account: volumes in use, how many have a snapshot within the objective, and how many a restore drill
 * proved restorable within DRILL_EVERY_DAYS.
 */
export function postureLines(summary: Pick<DigestSummary, 'backupPosture' | 'rpoHours' | 'drillEveryDays'>, accounts?: readonly DigestAccountRef[]): string[] {
  const byAccount = new Map<string, { inUse: number; within: number; proven?: number }>();
  for (const p of summary.backupPosture) {
    const k = p.account ?? '';
    const t = byAccount.get(k) ?? { inUse: 0, within: 0 };
    t.inUse += p.inUse;
    t.within += p.withinObjective;
    if (p.proven !== undefined) t.proven = (t.proven ?? 0) + p.proven;
    byAccount.set(k, t);
  }
  const rpo = summary.rpoHours !== undefined ? hoursText(summary.rpoHours) : 'the objective';
  const days = summary.drillEveryDays && summary.drillEveryDays > 0 ? summary.drillEveryDays : 7;
  const label = (id: string) => (accounts && accounts.length > 1 ? `${accounts.find((a) => (a.id ?? '') === id)?.label ?? id}: ` : '');
  return [...byAccount].map(
    ([id, t]) =>
      `${label(id)}${count(t.inUse, 'volume')} in use; ${groupThousands(t.within)} with a snapshot within ${rpo}${t.proven !== undefined ? `; ${groupThousands(t.proven)} proven restorable by a drill within ${count(days, 'day')}` : ''}`,
  );
}

/**
 * "Snapshots against the quota: us-east-1 1,234 of 100,000 — full in about 210 days at +5.2 a day": each region
 * scanned, its quota's source said where it is not the account's own (AWS's default, or assumed when unreadable).
 */
export function quotaLine(quotas: readonly QuotaOutlook[], accounts?: readonly DigestAccountRef[]): string {
  const many = (accounts?.length ?? 0) > 1;
  const label = (id?: string) => (many ? `${accounts!.find((a) => (a.id ?? '') === (id ?? ''))?.label ?? id ?? 'own'} · ` : '');
  const parts = [...quotas]
    .sort((a, b) => b.snapshots / b.quota - a.snapshots / a.quota)
    .slice(0, 8)
    .map((q) => {
      const source = q.source === 'default' ? ' (AWS default quota)' : q.source === 'assumed' ? ' (the default quota, assumed: Service Quotas could not be read)' : '';
      const outlook =
        q.daysUntilFull !== undefined
          ? ` — full in about ${groupThousands(q.daysUntilFull)} ${q.daysUntilFull === 1 ? 'day' : 'days'} at +${q.perDay} a day`
          : q.perDay !== undefined
            ? ' — not growing'
            : '';
      return `${label(q.account)}${q.region} ${groupThousands(q.snapshots)} of ${groupThousands(q.quota)}${source}${outlook}`;
    });
  const more = quotas.length > 8 ? `; ${quotas.length - 8} more regions further from theirs` : '';
  return `Snapshots against the quota: ${parts.join('; ')}${more}`;
}

/** A failed drill as the Backups part lists it, until a later drill of the volume passes. */
export function failedDrillWords(d: DrillRecord): string {
  const why = d.badBlock !== undefined ? `block ${d.badBlock} is bad (${d.detail ?? 'it failed its checksum'})` : (d.detail ?? 'the restore did not complete');
  return `restore drill failed ${isoDay(new Date(d.at))}: snapshot ${d.snapshotId} (${hoursText(d.snapshotAgeHours)} old) — ${why}`;
}

export function exposureLine(summary: DigestSummary): string {
  const n = summary.counts.exposures;
  return n > 0 ? `${groupThousands(n)} exposed (public or shared outside the allowed accounts); ` : '';
}

/** Old and unneeded, but left to the service that manages them: one line, never items. */
export function notOfferedLine(summary: DigestSummary): string | undefined {
  const n = summary.counts.notOffered;
  if (n === 0) return undefined;
  return `${resources(n)} (${formatGiB(summary.counts.notOfferedGiB)}) old enough to go but not offered: managed by AWS Backup or Data Lifecycle Manager, which delete them on their own schedule. The CSV lists them.`;
}

/** Age, size, cost, owner, managed label: the same facts in Slack and in the terminal. */
export function facts(f: Finding, owner: ((id: string) => string) | undefined, emphasise: (s: string) => string = (s) => s): string[] {
  // The same number and label as the deletion card: the data stored when EC2 said, else the volume's size.
  const size = f.sizeBasis ? `${formatGiB(f.sizeGiB)} ${f.sizeBasis}` : formatGiB(f.sizeGiB);
  const out = f.unpriced
    ? [`${groupThousands(f.ageDays)} ${f.ageDays === 1 ? 'day' : 'days'} old`, `not priced: ${f.unpriced}`]
    : [`${groupThousands(f.ageDays)} ${f.ageDays === 1 ? 'day' : 'days'} old`, size, formatMonthlyUsd(f.monthlyUsd)];
  if (f.measured) out.push(emphasise(`really frees ${formatBytes(f.measured.freedBytes)} (${formatUsd(f.measured.usd)}/month, measured)`));
  if (f.tier === 'archive') out.push('archive tier');
  if (owner && f.ownerUserId) out.push(`owner ${owner(f.ownerUserId)}`);
  if (f.managedBy) out.push(emphasise(`managed by ${f.managedBy}`));
  return out;
}

export function kindLabel(f: Finding): string {
  return f.kind === 'image' ? 'AMI' : 'Snapshot';
}

export function resources(n: number): string {
  return `${groupThousands(n)} ${n === 1 ? 'resource' : 'resources'}`;
}

export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export function totalsLine(summary: DigestSummary): string {
  const t = summary.totals;
  const said = saving(t.count, t.unpricedCount, t.monthlyUsd);
  return `${resources(t.count)} flagged for cleanup, ${formatGiB(t.sizeGiB)}, ${said.startsWith('up to') ? `${said} cleanup would save` : said}`;
}

export function totalsMrkdwn(summary: DigestSummary): string {
  const t = summary.totals;
  const who = whoPaysLine(summary, escapeMrkdwn);
  return [
    `*Cleanup: ${resources(t.count)} old and no longer needed* · *${formatGiB(t.sizeGiB)}* · *${saving(t.count, t.unpricedCount, t.monthlyUsd)}*${t.unpricedCount < t.count ? ' deleting them would save' : ''}`,
    ...(who ? [who] : []),
    '_Estimates are upper bounds: snapshots are billed incrementally._',
  ].join('\n');
}

/** Groups named in full; the rest are added up. */
const TOP_GROUPS = 5;

/**
 * Who pays for what cleanup would save (COST_TAGS): the top groups, the rest added up, and the untagged share —
 * always named, since that is the part nobody answers for. Undefined when the findings carry no group.
 */
export function whoPaysLine(summary: Pick<DigestSummary, 'byGroup' | 'totals'>, name: (group: string) => string = (g) => g): string | undefined {
  const groups = summary.byGroup;
  if (groups.length === 0) return undefined;
  const tagged = groups.filter((g) => g.group !== UNTAGGED);
  const untagged = groups.find((g) => g.group === UNTAGGED);
  const shown = tagged.slice(0, TOP_GROUPS);
  const rest = tagged.slice(TOP_GROUPS);
  const part = (label: string, usd: number, n: number) => `${label} ${formatUsd(usd)} (${groupThousands(n)})`;
  const bits = shown.map((g) => part(name(g.group.length > 40 ? `${g.group.slice(0, 39)}…` : g.group), g.monthlyUsd, g.count));
  if (rest.length > 0) bits.push(part(count(rest.length, 'other group'), rest.reduce((s, g) => s + g.monthlyUsd, 0), rest.reduce((s, g) => s + g.count, 0)));
  if (untagged) {
    const share = summary.totals.monthlyUsd > 0 ? `, ${Math.round((100 * untagged.monthlyUsd) / summary.totals.monthlyUsd)}% of it` : '';
    bits.push(`untagged ${formatUsd(untagged.monthlyUsd)} (${groupThousands(untagged.count)}${share})`);
  }
  return `Who pays: ${bits.join(' · ')}`;
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/**
 * Cost by age as text bars, one line per bucket, amounts aligned:
 * `0–30 d     ▏                    $0.00` … `over 365 d ████████             $41.20`.
 */
export function costByAgeChart(byAge: readonly AgeBucketTotal[], width = 20): string {
  const max = Math.max(0, ...byAge.map((b) => b.monthlyUsd));
  const labelWidth = Math.max(0, ...byAge.map((b) => b.bucket.length));
  const amounts = byAge.map((b) => formatUsd(b.monthlyUsd));
  const amountWidth = Math.max(0, ...amounts.map((a) => a.length));
  return byAge
    .map((b, i) => `${b.bucket.padEnd(labelWidth)} ${bar(b.monthlyUsd, max, width).padEnd(width)} ${amounts[i].padStart(amountWidth)}`)
    .join('\n');
}

function bar(value: number, max: number, width: number): string {
  if (max <= 0 || value <= 0) return '▏';
  const eighths = Math.round((value / max) * width * 8);
  const s = '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
  return s || '▏';
}

/** What cleaning up a section would save; a section of resources snapbot may not delete says so instead of "$0.00". */
export function sectionSaving(s: Pick<ReasonSection, 'count' | 'deletableCount' | 'unpricedCount' | 'monthlyUsd'>): string {
  if (s.deletableCount === 0) return 'none offered for deletion (in use or managed elsewhere)';
  const unpriced = s.unpricedCount;
  if (unpriced === s.count) return saving(s.count, unpriced, s.monthlyUsd);
  return `${formatUsd(s.monthlyUsd)}/month to save${unpriced ? ` (${unpriced} not priced: ${unpriced === 1 ? 'its cost is' : 'their costs are'} outside EC2)` : ''}`;
}
