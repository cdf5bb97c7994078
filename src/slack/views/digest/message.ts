// The digest as a Slack message (within Block Kit's limits) and an owner's reminder.
import { formatGiB, formatUsd, groupThousands } from '../../../core/cost.js';
import { compareFindings, savingUsd, type DigestAccountRef, type DigestSummary, type ReasonSection } from '../../../core/digest.js';
import type { Finding } from '../../../core/staleness/types.js';
import type { BlockMessage, DigestMessageOptions, ReminderOptions } from '../../../usecases/ports.js';
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
  type KnownBlock,
} from '../blockkit.js';
import { mention } from '../format.js';
import { DIGEST_ACTIONS, batchButtonValue, digestButtonValue } from './actions.js';
import {
  AccountNamer,
  accountLines,
  accountNamer,
  costByAgeChart,
  exposureLine,
  facts,
  gapsLine,
  kindLabel,
  missWords,
  notOfferedLine,
  oneLine,
  postureLines,
  failedDrillWords,
  quotaLine,
  resources,
  sectionSaving,
  shareCheckLine,
  totalsLine,
  totalsMrkdwn,
} from './words.js';
import { isoDay } from '../../../core/time.js';
import { savingsLine } from '../cost.js';

export const DEFAULT_TITLE = 'Cost-cleanup digest';
/** Enough to act on over coffee; the CSV has the rest. */
export const DEFAULT_MAX_ITEMS = 15;

/** Each shown item is a section and an actions block. */
const BLOCKS_PER_ITEM = 2;


export function digestMessage(summary: DigestSummary, options: DigestMessageOptions = {}): BlockMessage {
  const title = options.title ?? DEFAULT_TITLE;
  const { totals } = summary;
  const maxItems = options.maxItems ?? DEFAULT_MAX_ITEMS;
  const csv = options.csvFileName ? ` (${escapeMrkdwn(options.csvFileName)})` : '';
  const text = `${title}: ${exposureLine(summary)}${totalsLine(summary)}`;
  const blocks: KnownBlock[] = [header(title)];
  // One context block for the header's figures: what snapbot freed, and the regions against their snapshot quota.
  const headerLines = [
    ...(options.savings ? [`:moneybag: ${savingsLine(options.savings)} (\`/snapshot savings\`)`] : []),
    ...(options.quotas?.length ? [`:bar_chart: ${escapeMrkdwn(quotaLine(options.quotas, options.accounts))}`] : []),
  ];
  if (headerLines.length) blocks.push(context(truncate(headerLines.join('\n'), LIMITS.sectionText)));
  const where = accountNamer(options.accounts);
  if (where) {
    const lines = accountLines(summary, options.accounts!).map((l) => `• ${escapeMrkdwn(l).replace(/^([^:]+):/, '*$1*:')}`);
    blocks.push(section(truncate(`*Accounts* — ${options.accounts!.length} covered\n${lines.join('\n')}`, LIMITS.sectionText)));
  }
  // What always follows the exposures, so they can take the rest: totals, chart, divider, the "more" and
  // "not offered" lines, and one cleanup item with its section title.
  const backups = backupBlocks(summary, csv, options.accounts);
  const reserveForCleanup = (totals.count > 0 ? 4 + 2 + BLOCKS_PER_ITEM + 1 : 2) + backups.length;

  // 1. Exposure, first and never crowded out: as many as fit, then how many more (the CSV has all).
  if (summary.counts.exposures > 0) {
    blocks.push(section(`*:rotating_light: Exposure* — ${resources(summary.counts.exposures)} public or shared outside the allowed accounts: make each private, or keep it shared with an approver's agreement`));
    const room = Math.max(1, Math.floor((LIMITS.messageBlocks - blocks.length - 2 - reserveForCleanup) / BLOCKS_PER_ITEM));
    const shown = summary.exposures.slice(0, Math.min(room, Math.max(maxItems, 1)));
    for (const f of shown) blocks.push(...itemBlocks(f, { showOwner: true, where }));
    const more = summary.counts.exposures - shown.length;
    if (more > 0) blocks.push(context(`…and ${groupThousands(more)} more ${more === 1 ? 'exposure' : 'exposures'} — all in the attached CSV${csv}`));
    blocks.push(divider());
  }
  if (summary.keptSharedCount > 0) {
    blocks.push(context(`:handshake: ${resources(summary.keptSharedCount)} kept shared by an approver's decision (listed again once that lapses, after 90 days)`));
  }

  // 2. Costs to turn off, not resources to delete: fast snapshot restore left on.
  if (summary.counts.fastRestores > 0) {
    blocks.push(section(`*:zap: Fast snapshot restore left on* — ${resources(summary.counts.fastRestores)}, about ${formatUsd(summary.counts.fastRestoreUsd)}/month: turn it off unless restores must be instant`));
    const room = Math.max(1, Math.floor((LIMITS.messageBlocks - blocks.length - 2 - reserveForCleanup) / BLOCKS_PER_ITEM));
    const shown = summary.fastRestores.slice(0, Math.min(room, Math.max(maxItems, 1)));
    for (const f of shown) blocks.push(...itemBlocks(f, { showOwner: true, where }));
    if (summary.counts.fastRestores > shown.length) blocks.push(context(`…and ${groupThousands(summary.counts.fastRestores - shown.length)} more — all in the attached CSV${csv}`));
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
      const heading = `*${escapeMrkdwn(s.title)}* — ${resources(s.count)}, ${sectionSaving(s)}`;
      const all = requestAllButton(s);
      blocks.push(all ? accessorySection(heading, all) : section(heading));
      for (const f of items) blocks.push(...itemBlocks(f, { showOwner: true, where }));
    }
    const rest = totals.count - shown.size;
    if (rest > 0) {
      let restUsd = totals.monthlyUsd;
      for (const f of shown) restUsd -= savingUsd(f);
      blocks.push(context(`…and ${groupThousands(rest)} more, up to ${formatUsd(restUsd)}/month — full list in the attached CSV${csv}`));
    }
  }
  const notOffered = notOfferedLine(summary);
  if (notOffered) blocks.push(context(notOffered));
  blocks.push(...backups);
  return { text: `${text}${gapsLine(summary)}`, blocks };
}

const MAX_GAPS_SHOWN = 5;
const MAX_FAILED_DRILLS_SHOWN = 3;
const MAX_ARCHIVE_SHOWN = 3;

/** 4. Archive to save, 5. Backups (posture, then the misses): one section each, an item a section with its button. */
function backupBlocks(summary: DigestSummary, csv: string, accounts?: readonly DigestAccountRef[]): KnownBlock[] {
  const out: KnownBlock[] = [];
  const archive = summary.archiveSuggestions;
  if (archive.length > 0) {
    let saving = 0;
    for (const a of archive) saving += a.standardUsd - a.archiveUsd;
    out.push(divider(), section(`*:file_cabinet: Cheaper in the archive* — ${resources(archive.length)} kept on purpose that cost less archived (stored in full) than what they alone hold now: about ${formatUsd(saving)}/month less (billed 90 days at least; restoring takes 24–72 h and costs $0.03/GB). Not cleanup: they stay.`));
    for (const a of archive.slice(0, MAX_ARCHIVE_SHOWN)) {
      const text = `*Snapshot \`${a.snapshotId}\`*${a.name ? ` “${escapeMrkdwn(truncate(oneLine(a.name), 80))}”` : ''} · ${escapeMrkdwn(a.region)}\n${formatGiB(a.fullGiB)} kept until ${isoDay(a.keptUntil)}: ${formatUsd(a.standardUsd)}/month now, ${formatUsd(a.archiveUsd)}/month archived`;
      out.push(accessorySection(text, button('Archive', DIGEST_ACTIONS.archive, digestButtonValue({ id: a.snapshotId, region: a.region, account: a.account, kind: 'snapshot' }))));
    }
    if (archive.length > MAX_ARCHIVE_SHOWN) out.push(context(`…and ${groupThousands(archive.length - MAX_ARCHIVE_SHOWN)} more; \`/snapshot archive <snap-id>\` archives one.`));
  }
  const gaps = summary.backupGaps;
  const failedDrills = summary.failedDrills;
  if (gaps.length > 0 || summary.backupPosture.length > 0 || failedDrills.length > 0) {
    const posture = postureLines(summary, accounts);
    out.push(divider(), section(`*:shield: Backups*${posture.length ? ` — ${posture.join(' · ')}` : ''}`));
  }
  // A failed drill stands first: a backup that does not restore is worse than a late one.
  for (const d of failedDrills.slice(0, MAX_FAILED_DRILLS_SHOWN)) {
    const value = digestButtonValue({ id: d.volumeId!, region: d.region, account: d.account, kind: 'volume' });
    out.push(section(`:x: *Volume \`${d.volumeId}\`* · ${escapeMrkdwn(d.region)}\n${escapeMrkdwn(failedDrillWords(d))}`), actions([button('Run a drill', DIGEST_ACTIONS.runDrill, value, 'primary')]));
  }
  if (failedDrills.length > MAX_FAILED_DRILLS_SHOWN) out.push(context(`…and ${groupThousands(failedDrills.length - MAX_FAILED_DRILLS_SHOWN)} more failed drills — \`/snapshot drills\` lists them`));
  if (gaps.length > 0) {
    out.push(section(`${gaps.length === 1 ? '1 volume' : `${groupThousands(gaps.length)} volumes`} in use missed the recovery point objective: a failure now would lose more than it allows`));
    for (const g of gaps.slice(0, MAX_GAPS_SHOWN)) {
      const text = `*Volume \`${g.volumeId}\`*${g.name ? ` “${escapeMrkdwn(truncate(oneLine(g.name), 80))}”` : ''} · ${escapeMrkdwn(g.region)}\n${formatGiB(g.sizeGiB)}${g.instanceId ? ` on ${g.instanceId}` : ''} · ${escapeMrkdwn(missWords(g))}`;
      // Snapshot now makes the recovery point; a volume nothing is meant to back up also gets a schedule (one whose
      // schedule stalled needs that schedule fixed, not a second one).
      const value = digestButtonValue({ id: g.volumeId, region: g.region, account: g.account, kind: 'volume' });
      out.push(
        section(text),
        actions([
          button('Snapshot now', DIGEST_ACTIONS.snapshotNow, value, 'primary'),
          ...(g.coveredBy.length === 0 && !g.coverageUnknown ? [button('Schedule daily backups', DIGEST_ACTIONS.scheduleBackups, value)] : []),
          // A volume with a snapshot, however old: a drill proves that recovery point restores.
          ...(g.newestSnapshotId ? [button('Run a drill', DIGEST_ACTIONS.runDrill, value)] : []),
        ]),
      );
    }
    if (gaps.length > MAX_GAPS_SHOWN) out.push(context(`…and ${groupThousands(gaps.length - MAX_GAPS_SHOWN)} more — all in the attached CSV${csv}`));
  }
  return out;
}

/**
 * *Request deletion of all* for a cleanup section whose candidates are one batch kind in one account and region
 * (`/snapshot cleanup <kind>` there); a section spread over several is left to that command, region by region.
 */
function requestAllButton(s: ReasonSection): ReturnType<typeof button> | undefined {
  if (!s.batch) return undefined;
  return button('Request deletion of all', DIGEST_ACTIONS.requestDeletionAll, batchButtonValue({ what: s.batch.kind, region: s.batch.region, ...(s.batch.account ? { account: s.batch.account } : {}) }));
}

function accessorySection(text: string, accessory: ReturnType<typeof button>): KnownBlock {
  return { ...section(text), accessory } as KnownBlock;
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
  // Of many, the largest are given with how many there are in all (options.total); else the list is all of them.
  let saving = 0;
  for (const f of sorted) saving += savingUsd(f);
  const all = options.total ?? { count: sorted.length, monthlyUsd: saving };
  const summaryLine = `${resources(all.count)} you created through snapbot ${all.count === 1 ? 'looks' : 'look'} outdated: up to ${formatUsd(all.monthlyUsd)}/month cleanup would save`;
  const text = `Reminder: ${summaryLine}`;
  const blocks: KnownBlock[] = [header('Your outdated snapshots and AMIs')];
  if (sorted.length === 0) {
    blocks.push(section('Nothing of yours looks outdated.'));
    return { text, blocks };
  }
  blocks.push(section(`${mention(ownerUserId)}, ${summaryLine}. Request deletion, snooze for 30 days, or keep:`));
  blocks.push(divider());

  const budget = LIMITS.messageBlocks - blocks.length - 1;
  const count = Math.min(sorted.length, options.maxItems ?? DEFAULT_MAX_ITEMS, Math.floor(budget / BLOCKS_PER_ITEM));
  for (const f of sorted.slice(0, count)) blocks.push(...itemBlocks(f, { showOwner: false }));
  if (all.count > count) {
    let restUsd = all.monthlyUsd;
    for (const f of sorted.slice(0, count)) restUsd -= savingUsd(f);
    blocks.push(context(`…and ${groupThousands(all.count - count)} more, up to ${formatUsd(restUsd)}/month — the channel digest's CSV lists them all`));
  }
  return { text, blocks };
}

function itemBlocks(f: Finding, opts: { showOwner: boolean; where?: AccountNamer }): KnownBlock[] {
  const lines = [
    `*${kindLabel(f)} \`${f.id}\`*${f.name ? ` “${escapeMrkdwn(truncate(oneLine(f.name), 100))}”` : ''} · ${opts.where ? `${escapeMrkdwn(opts.where(f.account))} · ` : ''}${escapeMrkdwn(f.region)}`,
    `Why: ${escapeMrkdwn(f.reasons.map((r) => r.text).join('; '))}`,
    ...(f.facts?.length ? [`Also: ${escapeMrkdwn(f.facts.join('; '))}`] : []),
    facts(f, opts.showOwner ? (id) => mention(id) : undefined, (s) => `_${s}_`).join(' · '),
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
