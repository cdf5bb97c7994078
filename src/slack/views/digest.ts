// The cost-cleanup digest as a Slack message, an owner's reminder, plain text for the terminal, and CSV.
// Pure functions of a DigestSummary (src/core/digest.ts); Slack's limits come from ./blockkit.ts.
import { formatBytes } from '../../core/blocks.js';
import { formatGiB, formatMonthlyUsd, formatUsd, groupThousands } from '../../core/cost.js';
import { accountPart, compareFindings, savingUsd, type AgeBucketTotal, type DigestAccountRef, type DigestSummary } from '../../core/digest.js';
import type { Finding } from '../../core/staleness/types.js';
import type { View } from '@slack/types';
import type { BlockMessage, DigestMessageOptions, ReminderOptions } from '../../usecases/ports.js';
import {
  actions,
  button,
  context,
  divider,
  escapeMrkdwn,
  header,
  LIMITS,
  section,
  truncate,
  userMention,
  type KnownBlock,
} from './blockkit.js';

export const DIGEST_ACTIONS = {
  requestDeletion: 'digest_request_deletion',
  snooze: 'digest_snooze',
  keep: 'digest_keep',
  makePrivate: 'digest_make_private',
  keepShared: 'digest_keep_shared',
  disableFastRestore: 'digest_disable_fast_restore',
  scheduleBackups: 'digest_schedule_backups',
  archive: 'digest_archive',
  encryptVolume: 'digest_encrypt_volume',
} as const;

/** The modal that asks why an exposure should stay, before the Keep shared request goes to an approver. */
export const KEEP_SHARED_MODAL = 'digest_keep_shared_reason';

/** What every digest button carries, as JSON in its value. */
export interface DigestButtonValue {
  id: string;
  region: string;
  /** The account that holds it, when the digest knew (EC2's OwnerId; the scanned account for volumes). */
  account?: string;
  /** volume: a backup gap (Schedule daily backups). */
  kind: Finding['kind'] | 'volume';
  /** Request deletion only: the digest's reason, carried onto the approval card. */
  why?: string;
}

export function digestButtonValue(
  f: Pick<DigestButtonValue, 'id' | 'region' | 'kind' | 'account'> & { reasons?: Finding['reasons'] },
  opts: { why?: boolean } = {},
): string {
  const value: DigestButtonValue = { id: f.id, region: f.region, kind: f.kind, ...(f.account ? { account: f.account } : {}) };
  if (opts.why && f.reasons) value.why = truncate(f.reasons.map((r) => r.text).join('; '), 400);
  return JSON.stringify(value);
}

/** A button about a snapshot or an AMI (every cleanup and exposure button), or undefined. */
export function parseFindingButtonValue(value: string | undefined): (DigestButtonValue & { kind: 'snapshot' | 'image' }) | undefined {
  const v = parseDigestButtonValue(value);
  return v && v.kind !== 'volume' ? (v as DigestButtonValue & { kind: 'snapshot' | 'image' }) : undefined;
}

/** The button value back, or undefined when it is not one of ours. */
export function parseDigestButtonValue(value: string | undefined): DigestButtonValue | undefined {
  if (!value) return undefined;
  try {
    const v = JSON.parse(value) as Partial<DigestButtonValue>;
    if (typeof v.id === 'string' && typeof v.region === 'string' && (v.kind === 'snapshot' || v.kind === 'image' || v.kind === 'volume')) {
      return {
        id: v.id,
        region: v.region,
        kind: v.kind,
        ...(typeof v.account === 'string' && /^\d{12}$/.test(v.account) ? { account: v.account } : {}),
        ...(typeof v.why === 'string' && v.why ? { why: v.why.slice(0, 400) } : {}),
      };
    }
  } catch {
    // not JSON: not ours
  }
  return undefined;
}

export const DEFAULT_TITLE = 'Cost-cleanup digest';
/** Enough to act on over coffee; the CSV has the rest. */
export const DEFAULT_MAX_ITEMS = 15;

/** Each shown item is a section and an actions block. */
const BLOCKS_PER_ITEM = 2;

/** How items name their account where the digest covers several (undefined: it covers one, so nothing to say). */
type AccountNamer = ((accountId: string | undefined) => string) | undefined;

function accountNamer(accounts: readonly DigestAccountRef[] | undefined): AccountNamer {
  if (!accounts || accounts.length < 2) return undefined;
  const byId = new Map(accounts.flatMap((a) => (a.id ? [[a.id, a.label] as const] : [])));
  const own = accounts.find((a) => a.id === undefined)?.label ?? "snapbot's own account";
  return (id) => (id !== undefined && byId.get(id)) || own;
}

/** One line per account: what it holds of each part. */
function accountLines(summary: DigestSummary, accounts: readonly DigestAccountRef[]): string[] {
  const managed = new Set(accounts.flatMap((a) => a.id ?? []));
  return accounts.map((a) => {
    const part = accountPart(summary, a, managed);
    const bits = [
      ...(part.exposures.length ? [`${groupThousands(part.exposures.length)} exposed`] : []),
      part.totals.count ? `${groupThousands(part.totals.count)} to clean up, up to ${formatUsd(part.totals.monthlyUsd)}/month` : 'nothing to clean up',
      ...(part.backupGaps.length ? [`${groupThousands(part.backupGaps.length)} backup ${part.backupGaps.length === 1 ? 'gap' : 'gaps'}`] : []),
    ];
    return `${a.label}: ${bits.join(' · ')}`;
  });
}

/** "Account shares: 230 of 12 000 snapshots and AMIs checked this run; each is re-checked within 30 days." */
function shareCheckLine(checks: DigestMessageOptions['shareChecks']): string | undefined {
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
  return `Account shares: ${groupThousands(calls)} of ${groupThousands(total)} snapshots and AMIs checked this run (${every}).`;
}

export function digestMessage(summary: DigestSummary, options: DigestMessageOptions = {}): BlockMessage {
  const title = options.title ?? DEFAULT_TITLE;
  const { totals } = summary;
  const maxItems = options.maxItems ?? DEFAULT_MAX_ITEMS;
  const csv = options.csvFileName ? ` (${escapeMrkdwn(options.csvFileName)})` : '';
  const text = `${title}: ${exposureLine(summary)}${totalsLine(summary)}`;
  const blocks: KnownBlock[] = [header(title)];
  const where = accountNamer(options.accounts);
  if (where) {
    const lines = accountLines(summary, options.accounts!).map((l) => `• ${escapeMrkdwn(l).replace(/^([^:]+):/, '*$1*:')}`);
    blocks.push(section(truncate(`*Accounts* — ${options.accounts!.length} covered\n${lines.join('\n')}`, LIMITS.sectionText)));
  }
  // What always follows the exposures, so they can take the rest: totals, chart, divider, the "more" and
  // "not offered" lines, and one cleanup item with its section title.
  const backups = backupBlocks(summary, csv);
  const reserveForCleanup = (totals.count > 0 ? 4 + 2 + BLOCKS_PER_ITEM + 1 : 2) + backups.length;

  // 1. Exposure, first and never crowded out: as many as fit, then how many more (the CSV has all).
  if (summary.exposures.length > 0) {
    blocks.push(section(`*:rotating_light: Exposure* — ${resources(summary.exposures.length)} public or shared outside the allowed accounts: make each private, or keep it shared with an approver's agreement`));
    const room = Math.max(1, Math.floor((LIMITS.messageBlocks - blocks.length - 2 - reserveForCleanup) / BLOCKS_PER_ITEM));
    const shown = summary.exposures.slice(0, Math.min(room, Math.max(maxItems, 1)));
    for (const f of shown) blocks.push(...itemBlocks(f, { showOwner: true, where }));
    const more = summary.exposures.length - shown.length;
    if (more > 0) blocks.push(context(`…and ${groupThousands(more)} more ${more === 1 ? 'exposure' : 'exposures'} — all in the attached CSV${csv}`));
    blocks.push(divider());
  }
  if (summary.keptSharedCount > 0) {
    blocks.push(context(`:handshake: ${resources(summary.keptSharedCount)} kept shared by an approver's decision (listed again once that lapses, after 90 days)`));
  }

  // 2. Costs to turn off, not resources to delete: fast snapshot restore left on.
  if (summary.fastRestores.length > 0) {
    let usd = 0;
    for (const f of summary.fastRestores) usd += f.fastRestore?.monthlyUsd ?? 0;
    blocks.push(section(`*:zap: Fast snapshot restore left on* — ${resources(summary.fastRestores.length)}, about ${formatUsd(usd)}/month: turn it off unless restores must be instant`));
    const room = Math.max(1, Math.floor((LIMITS.messageBlocks - blocks.length - 2 - reserveForCleanup) / BLOCKS_PER_ITEM));
    const shown = summary.fastRestores.slice(0, Math.min(room, Math.max(maxItems, 1)));
    for (const f of shown) blocks.push(...itemBlocks(f, { showOwner: true, where }));
    if (summary.fastRestores.length > shown.length) blocks.push(context(`…and ${groupThousands(summary.fastRestores.length - shown.length)} more — all in the attached CSV${csv}`));
    blocks.push(divider());
  }
  const coverage = shareCheckLine(options.shareChecks);
  if (coverage) blocks.push(context(coverage));

  // 3. Cleanup candidates.
  if (totals.count === 0) {
    blocks.push(section('Nothing to clean up: no snapshot or AMI is both old and no longer needed.'));
  } else {
    blocks.push(section(totalsMrkdwn(summary)));
    blocks.push(section(`*Cost by age* (what cleanup would save)\n\`\`\`\n${costByAgeChart(summary.byAge)}\n\`\`\``));
    blocks.push(divider());
    const budget = LIMITS.messageBlocks - blocks.length - 2 - backups.length; // the "more" and "not offered" lines, the backup sections
    const shown = chooseShown(summary, budget, maxItems);
    for (const s of summary.byReason) {
      const items = s.findings.filter((f) => shown.has(f));
      if (items.length === 0) continue;
      blocks.push(section(`*${escapeMrkdwn(s.title)}* — ${resources(s.findings.length)}, ${sectionSaving(s)}`));
      for (const f of items) blocks.push(...itemBlocks(f, { showOwner: true, where }));
    }
    const rest = summary.findings.length - shown.size;
    if (rest > 0) {
      let restUsd = 0;
      for (const f of summary.findings) if (!shown.has(f)) restUsd += savingUsd(f);
      blocks.push(context(`…and ${groupThousands(rest)} more, up to ${formatUsd(restUsd)}/month — full list in the attached CSV${csv}`));
    }
  }
  const notOffered = notOfferedLine(summary);
  if (notOffered) blocks.push(context(notOffered));
  blocks.push(...backups);
  return { text: `${text}${gapsLine(summary)}`, blocks };
}

const MAX_GAPS_SHOWN = 5;
const MAX_ARCHIVE_SHOWN = 3;

/** 4. Archive to save, 5. Backup gaps: one section each, an item a section with its button. */
function backupBlocks(summary: DigestSummary, csv: string): KnownBlock[] {
  const out: KnownBlock[] = [];
  const archive = summary.archiveSuggestions;
  if (archive.length > 0) {
    let saving = 0;
    for (const a of archive) saving += a.standardUsd - a.archiveUsd;
    out.push(divider(), section(`*:file_cabinet: Cheaper in the archive* — ${resources(archive.length)} kept on purpose that cost less archived (stored in full) than what they alone hold now: about ${formatUsd(saving)}/month less (billed 90 days at least; restoring takes 24–72 h and costs $0.03/GB). Not cleanup: they stay.`));
    for (const a of archive.slice(0, MAX_ARCHIVE_SHOWN)) {
      const text = `*Snapshot \`${a.snapshotId}\`*${a.name ? ` “${escapeMrkdwn(truncate(oneLine(a.name), 80))}”` : ''} · ${escapeMrkdwn(a.region)}\n${formatGiB(a.fullGiB)} kept until ${a.keptUntil.toISOString().slice(0, 10)}: ${formatUsd(a.standardUsd)}/month now, ${formatUsd(a.archiveUsd)}/month archived`;
      out.push(accessorySection(text, button('Archive', DIGEST_ACTIONS.archive, digestButtonValue({ id: a.snapshotId, region: a.region, account: a.account, kind: 'snapshot' }))));
    }
    if (archive.length > MAX_ARCHIVE_SHOWN) out.push(context(`…and ${groupThousands(archive.length - MAX_ARCHIVE_SHOWN)} more; \`/snapshot archive <snap-id>\` archives one.`));
  }
  const gaps = summary.backupGaps;
  if (gaps.length > 0) {
    const days = summary.backupGapDays ? ` in ${summary.backupGapDays} days` : '';
    out.push(divider(), section(`*:warning: Backup gaps* — ${gaps.length === 1 ? '1 volume' : `${groupThousands(gaps.length)} volumes`} in use with no snapshot${days}, no lifecycle policy and no recent AWS Backup: a failure would lose their data`));
    for (const g of gaps.slice(0, MAX_GAPS_SHOWN)) {
      const last = g.lastSnapshotDays === undefined ? 'never snapshotted' : `last snapshot ${groupThousands(g.lastSnapshotDays)} days ago`;
      const text = `*Volume \`${g.volumeId}\`*${g.name ? ` “${escapeMrkdwn(truncate(oneLine(g.name), 80))}”` : ''} · ${escapeMrkdwn(g.region)}\n${formatGiB(g.sizeGiB)}${g.instanceId ? ` on ${g.instanceId}` : ''} · ${last}`;
      out.push(accessorySection(text, button('Schedule daily backups', DIGEST_ACTIONS.scheduleBackups, digestButtonValue({ id: g.volumeId, region: g.region, account: g.account, kind: 'volume' }), 'primary')));
    }
    if (gaps.length > MAX_GAPS_SHOWN) out.push(context(`…and ${groupThousands(gaps.length - MAX_GAPS_SHOWN)} more — all in the attached CSV${csv}`));
  }
  return out;
}

function accessorySection(text: string, accessory: ReturnType<typeof button>): KnownBlock {
  return { ...section(text), accessory } as KnownBlock;
}

function gapsLine(summary: DigestSummary): string {
  const n = summary.backupGaps.length;
  return n > 0 ? `; ${groupThousands(n)} in-use ${n === 1 ? 'volume has' : 'volumes have'} no backup` : '';
}

function exposureLine(summary: DigestSummary): string {
  const n = summary.exposures.length;
  return n > 0 ? `${groupThousands(n)} exposed (public or shared outside the allowed accounts); ` : '';
}

/** Old and unneeded, but left to the service that manages them: one line, never items. */
function notOfferedLine(summary: DigestSummary): string | undefined {
  const n = summary.notOffered.length;
  if (n === 0) return undefined;
  let gib = 0;
  for (const f of summary.notOffered) gib += f.sizeGiB;
  return `${resources(n)} (${formatGiB(gib)}) old enough to go but not offered: managed by AWS Backup or Data Lifecycle Manager, which delete them on their own schedule. The CSV lists them.`;
}

/**
 * Which findings fit: first the top item of every reason (so a small but alarming section, like "Public", is never
 * crowded out), then the largest costs overall, while the blocks last.
 */
function chooseShown(summary: DigestSummary, budget: number, maxItems: number): Set<Finding> {
  const shown = new Set<Finding>();
  const opened = new Set<string>();
  let left = budget;
  const sectionOf = new Map<Finding, string>();
  for (const s of summary.byReason) for (const f of s.findings) sectionOf.set(f, s.rule);

  const take = (f: Finding, rule: string): boolean => {
    const cost = BLOCKS_PER_ITEM + (opened.has(rule) ? 0 : 1);
    if (shown.size >= maxItems || cost > left) return false;
    shown.add(f);
    opened.add(rule);
    left -= cost;
    return true;
  };
  for (const s of summary.byReason) if (s.findings[0]) take(s.findings[0], s.rule);
  for (const f of summary.findings) {
    if (shown.size >= maxItems || left < BLOCKS_PER_ITEM) break;
    if (!shown.has(f)) take(f, sectionOf.get(f) ?? '');
  }
  return shown;
}

/** The owner's direct message: their own outdated resources, largest cost first, with the digest's buttons. */
export function reminderMessage(ownerUserId: string, findings: readonly Finding[], options: ReminderOptions = {}): BlockMessage {
  const sorted = [...findings].sort(compareFindings);
  let saving = 0;
  for (const f of sorted) saving += savingUsd(f);
  const summaryLine = `${resources(sorted.length)} you created through snapbot ${sorted.length === 1 ? 'looks' : 'look'} outdated: up to ${formatUsd(saving)}/month cleanup would save`;
  const text = `Reminder: ${summaryLine}`;
  const blocks: KnownBlock[] = [header('Your outdated snapshots and AMIs')];
  if (sorted.length === 0) {
    blocks.push(section('Nothing of yours looks outdated.'));
    return { text, blocks };
  }
  blocks.push(section(`${userMention(ownerUserId)}, ${summaryLine}. Request deletion, snooze for 30 days, or keep:`));
  blocks.push(divider());

  const budget = LIMITS.messageBlocks - blocks.length - 1;
  const count = Math.min(sorted.length, options.maxItems ?? DEFAULT_MAX_ITEMS, Math.floor(budget / BLOCKS_PER_ITEM));
  for (const f of sorted.slice(0, count)) blocks.push(...itemBlocks(f, { showOwner: false }));
  if (sorted.length > count) {
    let restUsd = 0;
    for (const f of sorted.slice(count)) restUsd += savingUsd(f);
    blocks.push(context(`…and ${groupThousands(sorted.length - count)} more, up to ${formatUsd(restUsd)}/month — the channel digest's CSV lists them all`));
  }
  return { text, blocks };
}

function itemBlocks(f: Finding, opts: { showOwner: boolean; where?: AccountNamer }): KnownBlock[] {
  const lines = [
    `*${kindLabel(f)} \`${f.id}\`*${f.name ? ` “${escapeMrkdwn(truncate(oneLine(f.name), 100))}”` : ''} · ${opts.where ? `${escapeMrkdwn(opts.where(f.account))} · ` : ''}${escapeMrkdwn(f.region)}`,
    `Why: ${escapeMrkdwn(f.reasons.map((r) => r.text).join('; '))}`,
    ...(f.facts?.length ? [`Also: ${escapeMrkdwn(f.facts.join('; '))}`] : []),
    facts(f, opts.showOwner ? (id) => userMention(id) : undefined, (s) => `_${s}_`).join(' · '),
  ];
  if (!f.deletable && f.notDeletableBecause) lines.push(`:no_entry: Not offered for deletion: ${escapeMrkdwn(f.notDeletableBecause)}`);
  if (f.warning) lines.push(`:warning: ${escapeMrkdwn(f.warning)}`);

  const value = digestButtonValue(f);
  // An exposure is never snoozed or kept like a cost: it is made private, or kept shared by an approver's decision.
  const exposed = f.reasons.some((r) => r.rule === 'public');
  const buttons = [
    ...(exposed ? [button('Make private', DIGEST_ACTIONS.makePrivate, value, 'danger'), button('Keep shared', DIGEST_ACTIONS.keepShared, value)] : []),
    ...(f.fastRestore ? [button('Disable fast restore', DIGEST_ACTIONS.disableFastRestore, value, 'primary')] : []),
    ...(f.deletable ? [button('Request deletion', DIGEST_ACTIONS.requestDeletion, digestButtonValue(f, { why: true }), 'primary')] : []),
    ...(exposed ? [] : [button('Snooze 30 days', DIGEST_ACTIONS.snooze, value), button('Keep', DIGEST_ACTIONS.keep, value)]),
    // "unencrypted" is a fact, not a reason: the fix is the volume's, not the snapshot's deletion.
    ...(f.unencryptedVolumeId
      ? [button('Encrypt this volume', DIGEST_ACTIONS.encryptVolume, digestButtonValue({ id: f.unencryptedVolumeId, region: f.region, account: f.account, kind: 'volume' }))]
      : []),
  ];
  return [section(lines.join('\n')), actions(buttons, truncate(`digest|${f.kind}|${f.region}|${f.id}`, LIMITS.blockId, ''))];
}

/** Age, size, cost, owner, managed label: the same facts in Slack and in the terminal. */
function facts(f: Finding, owner: ((id: string) => string) | undefined, emphasise: (s: string) => string = (s) => s): string[] {
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

function kindLabel(f: Finding): string {
  return f.kind === 'image' ? 'AMI' : 'Snapshot';
}

function resources(n: number): string {
  return `${groupThousands(n)} ${n === 1 ? 'resource' : 'resources'}`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function totalsLine(summary: DigestSummary): string {
  const t = summary.totals;
  return `${resources(t.count)} flagged for cleanup, ${formatGiB(t.sizeGiB)}, up to ${formatUsd(t.monthlyUsd)}/month cleanup would save`;
}

function totalsMrkdwn(summary: DigestSummary): string {
  const t = summary.totals;
  return [
    `*Cleanup: ${resources(t.count)} old and no longer needed* · *${formatGiB(t.sizeGiB)}* · *up to ${formatUsd(t.monthlyUsd)}/month* deleting them would save`,
    '_Estimates are upper bounds: snapshots are billed incrementally._',
  ].join('\n');
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

/**
 * The whole digest for a terminal (`npm run digest -- --print`): every finding, nothing truncated. Covering several
 * accounts, it says what each holds, then gives each account its own section (its exposures first, as always).
 */
export function digestText(
  summary: DigestSummary,
  options: { title?: string; shareChecks?: DigestMessageOptions['shareChecks']; accounts?: readonly DigestAccountRef[] } = {},
): string {
  const out: string[] = [`${options.title ?? DEFAULT_TITLE} — ${summary.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`];
  const coverage = shareCheckLine(options.shareChecks);
  const accounts = options.accounts ?? [];
  if (accounts.length < 2) {
    textBody(summary, out, coverage);
    return `${out.join('\n')}\n`;
  }
  out.push('', `${accounts.length} accounts: ${exposureLine(summary)}${totalsLine(summary)}`);
  for (const line of accountLines(summary, accounts)) out.push(`  ${line}`);
  if (summary.keptSharedCount > 0) out.push('', `${resources(summary.keptSharedCount)} kept shared by an approver's decision`);
  if (coverage) out.push('', coverage);
  const managed = new Set(accounts.flatMap((a) => a.id ?? []));
  for (const a of accounts) {
    out.push('', `=== Account ${a.label} ===`);
    textBody(accountPart(summary, a, managed), out);
  }
  return `${out.join('\n')}\n`;
}

/** The digest's three parts as text, appended to `out`. */
function textBody(summary: DigestSummary, out: string[], coverage?: string): void {
  const item = (f: Finding) => {
    out.push(`  ${kindLabel(f)} ${f.id}${f.name ? ` "${oneLine(f.name)}"` : ''}  ${f.account ? `${f.account} ` : ''}${f.region}`);
    out.push(`    why: ${f.reasons.map((r) => r.text).join('; ')}`);
    if (f.facts?.length) out.push(`    also: ${f.facts.join('; ')}`);
    out.push(`    ${facts(f, (id) => id).join(' · ')}`);
    if (!f.deletable && f.notDeletableBecause) out.push(`    not offered for deletion: ${f.notDeletableBecause}`);
    if (f.warning) out.push(`    warning: ${f.warning}`);
  };
  if (summary.exposures.length > 0) {
    out.push('', `Exposure — ${resources(summary.exposures.length)} public or shared outside the allowed accounts`);
    summary.exposures.forEach(item);
  }
  if (summary.keptSharedCount > 0) out.push('', `${resources(summary.keptSharedCount)} kept shared by an approver's decision`);
  if (summary.fastRestores.length > 0) {
    out.push('', `Fast snapshot restore left on — ${resources(summary.fastRestores.length)}`);
    summary.fastRestores.forEach(item);
  }
  if (coverage) out.push('', coverage);
  out.push('');
  if (summary.totals.count === 0) {
    out.push('Nothing to clean up: no snapshot or AMI is both old and no longer needed.');
  } else {
    out.push(totalsLine(summary));
    out.push('Estimates are upper bounds: snapshots are billed incrementally.');
    out.push('', 'Cost by age (what cleanup would save)', indent(costByAgeChart(summary.byAge), '  '));
    for (const s of summary.byReason) {
      out.push('', `${s.title} — ${resources(s.findings.length)}, ${sectionSaving(s)}`);
      s.findings.forEach(item);
    }
  }
  const notOffered = notOfferedLine(summary);
  if (notOffered) {
    out.push('', notOffered);
    summary.notOffered.forEach(item);
  }
  if (summary.archiveSuggestions.length > 0) {
    out.push('', `Cheaper in the archive — ${resources(summary.archiveSuggestions.length)} kept on purpose that cost less archived than what they alone hold now`);
    for (const a of summary.archiveSuggestions) {
      out.push(`  snapshot ${a.snapshotId}${a.name ? ` "${oneLine(a.name)}"` : ''}  ${a.region}`, `    ${formatGiB(a.fullGb)} kept until ${a.keptUntil.toISOString().slice(0, 10)}: ${formatUsd(a.standardUsd)}/month now, ${formatUsd(a.archiveUsd)}/month archived`);
    }
  }
  if (summary.backupGaps.length > 0) {
    out.push('', `Backup gaps — ${summary.backupGaps.length} in-use volume(s) with no recent snapshot, no lifecycle policy and no recent AWS Backup`);
    for (const g of summary.backupGaps) {
      out.push(`  volume ${g.volumeId}${g.name ? ` "${oneLine(g.name)}"` : ''}  ${g.account ? `${g.account} ` : ''}${g.region}`, `    ${formatGiB(g.sizeGiB)}${g.instanceId ? ` on ${g.instanceId}` : ''} · ${g.lastSnapshotDays === undefined ? 'never snapshotted' : `last snapshot ${g.lastSnapshotDays} days ago`}`);
    }
  }
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

export const CSV_COLUMNS = [
  'kind',
  'account',
  'region',
  'id',
  'name',
  'reasons',
  'age_days',
  'size_gib',
  'usd_month',
  'deletable',
  'managed_by',
  'owner',
] as const;

/** RFC 4180: CRLF line ends, a header row, fields quoted when they hold a comma, quote or line break. */
export function digestCsv(
  findings: readonly Finding[],
  backups: Partial<Pick<DigestSummary, 'backupGaps' | 'archiveSuggestions'>> = {},
): string {
  const rows = [CSV_COLUMNS.join(',')];
  const plain = (cells: string[]) => rows.push(cells.map(csvField).join(','));
  for (const f of findings) {
    rows.push(
      [
        f.kind,
        f.account ?? '',
        f.region,
        f.id,
        textCell(f.name ?? ''),
        textCell(f.reasons.map((r) => r.text).join('; ')),
        String(f.ageDays),
        f.sizeGiB.toFixed(2),
        f.monthlyUsd.toFixed(4),
        f.deletable ? 'true' : 'false',
        f.managedBy ?? '',
        textCell(f.ownerUserId ?? ''),
      ]
        .map(csvField)
        .join(','),
    );
  }
  // Not findings, but resources the digest names: snapshots cheaper archived, then volumes nobody backs up.
  for (const a of backups.archiveSuggestions ?? []) {
    plain(['snapshot', a.account ?? '', a.region, a.snapshotId, textCell(a.name ?? ''), `archive: ${formatUsd(a.archiveUsd)}/month instead of ${formatUsd(a.standardUsd)}/month, kept until ${a.keptUntil.toISOString().slice(0, 10)}`, '', a.fullGb.toFixed(2), a.standardUsd.toFixed(4), 'false', '', '']);
  }
  for (const g of backups.backupGaps ?? []) {
    const last = g.lastSnapshotDays === undefined ? 'never snapshotted' : `last snapshot ${g.lastSnapshotDays} days ago`;
    plain(['volume', g.account ?? '', g.region, g.volumeId, textCell(g.name ?? ''), `backup gap: in use, ${last}, no lifecycle policy, no recent AWS Backup`, '', g.sizeGiB.toFixed(2), '0.0000', 'false', '', '']);
  }
  return `${rows.join('\r\n')}\r\n`;
}

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Free text from tags goes to spreadsheets: a leading = + - @ would be run as a formula, so it gets a leading
 * apostrophe (OWASP's advice for CSV injection).
 */
function textCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** What cleaning up a section would save; a section of resources snapbot may not delete says so instead of "$0.00". */
function sectionSaving(s: { findings: readonly Finding[]; monthlyUsd: number }): string {
  if (!s.findings.some((f) => f.deletable)) return 'none offered for deletion (in use or managed elsewhere)';
  const unpriced = s.findings.filter((f) => f.unpriced).length;
  return `${formatUsd(s.monthlyUsd)}/month to save${unpriced ? ` (${unpriced} not priced: ${unpriced === 1 ? 'its cost is' : 'their costs are'} outside EC2)` : ''}`;
}

/**
 * The digest (or reminder) as it was, with the clicked item's buttons replaced by what happened, so the channel sees
 * it. `blocks` are the message's own, as Slack sent them with the click.
 */
export function withItemNote(blocks: readonly KnownBlock[], itemId: string, note: string): KnownBlock[] {
  const ours = (e: unknown) => {
    const v = (e as { value?: unknown } | undefined)?.value;
    return typeof v === 'string' && parseDigestButtonValue(v)?.id === itemId;
  };
  return blocks.map((b) => {
    if (b.type === 'actions' && b.elements.some(ours)) return context(note);
    // Backup gaps and archive suggestions carry their button beside the text: the note takes its place.
    if (b.type === 'section' && ours(b.accessory) && b.text) return section(`${b.text.text}\n_${note}_`);
    return b;
  });
}

export function keepSharedModal(item: DigestButtonValue, channelId: string): View {
  return {
    type: 'modal',
    callback_id: KEEP_SHARED_MODAL,
    title: { type: 'plain_text', text: 'Keep shared' },
    submit: { type: 'plain_text', text: 'Ask an approver' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify({ item, channelId }),
    blocks: [
      section(`\`${item.id}\` (${escapeMrkdwn(item.region)}) is exposed: public, or shared outside the allowed accounts. An approver decides whether it stays that way; if so, the digest lists it in one line for 90 days.`),
      {
        type: 'input',
        block_id: 'reason',
        label: { type: 'plain_text', text: 'Why should it stay shared?' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 500 },
      },
    ],
  };
}
