// The whole digest for a terminal (npm run digest -- --print): every finding, nothing truncated.
import { formatGiB, formatUsd, groupThousands } from '../../../core/cost.js';
import { accountPart, type DigestAccountRef, type DigestSummary } from '../../../core/digest.js';
import type { Finding } from '../../../core/staleness/types.js';
import type { DigestMessageOptions } from '../../../usecases/ports.js';
import { section } from '../blockkit.js';
import {
  accountLines,
  costByAgeChart,
  exposureLine,
  facts,
  kindLabel,
  missWords,
  notOfferedLine,
  oneLine,
  postureLines,
  failedDrillWords,
  resources,
  sectionSaving,
  shareCheckLine,
  totalsLine,
  whoPaysLine,
} from './words.js';
import { DEFAULT_TITLE } from './message.js';
import { isoDay } from '../../../core/time.js';
import { count } from '../../../core/words.js';

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
  // Each list's largest items (the summary keeps those), then how many more the CSV has.
  const list = (items: readonly Finding[], total: number) => {
    items.forEach(item);
    if (total > items.length) out.push(`  …and ${groupThousands(total - items.length)} more (\`npm run digest -- --print --csv\` lists them all)`);
  };
  if (summary.counts.exposures > 0) {
    out.push('', `Exposure — ${resources(summary.counts.exposures)} public or shared outside the allowed accounts`);
    list(summary.exposures, summary.counts.exposures);
  }
  if (summary.keptSharedCount > 0) out.push('', `${resources(summary.keptSharedCount)} kept shared by an approver's decision`);
  if (summary.counts.fastRestores > 0) {
    out.push('', `Fast snapshot restore left on — ${resources(summary.counts.fastRestores)}`);
    list(summary.fastRestores, summary.counts.fastRestores);
  }
  if (coverage) out.push('', coverage);
  out.push('');
  if (summary.totals.count === 0) {
    out.push('Nothing to clean up: no snapshot or AMI is both old and no longer needed.');
  } else {
    out.push(totalsLine(summary));
    const who = whoPaysLine(summary);
    if (who) out.push(who);
    out.push('Estimates are upper bounds: snapshots are billed incrementally.');
    out.push('', 'Cost by age (what cleanup would save)', indent(costByAgeChart(summary.byAge), '  '));
    for (const s of summary.byReason) {
      out.push('', `${s.title} — ${resources(s.count)}, ${sectionSaving(s)}`);
      list(s.findings, s.count);
    }
  }
  const notOffered = notOfferedLine(summary);
  if (notOffered) {
    out.push('', notOffered);
    list(summary.notOffered, summary.counts.notOffered);
  }
  if (summary.archiveSuggestions.length > 0) {
    out.push('', `Cheaper in the archive — ${resources(summary.archiveSuggestions.length)} kept on purpose that cost less archived than what they alone hold now`);
    for (const a of summary.archiveSuggestions) {
      out.push(`  snapshot ${a.snapshotId}${a.name ? ` "${oneLine(a.name)}"` : ''}  ${a.region}`, `    ${formatGiB(a.fullGb)} kept until ${isoDay(a.keptUntil)}: ${formatUsd(a.standardUsd)}/month now, ${formatUsd(a.archiveUsd)}/month archived`);
    }
  }
  const posture = postureLines(summary);
  if (summary.backupGaps.length > 0 || posture.length > 0 || summary.failedDrills.length > 0) {
    out.push('', `Backups — ${posture.join(' · ') || 'recovery points not known'}`);
    if (summary.failedDrills.length > 0) out.push(`  ${count(summary.failedDrills.length, 'volume')} failed its latest restore drill:`);
    for (const d of summary.failedDrills) out.push(`  volume ${d.volumeId}  ${d.account ? `${d.account} ` : ''}${d.region}`, `    ${failedDrillWords(d)}`);
    if (summary.backupGaps.length > 0) out.push(`  ${count(summary.backupGaps.length, 'volume')} in use missed the recovery point objective:`);
    for (const g of summary.backupGaps) {
      out.push(`  volume ${g.volumeId}${g.name ? ` "${oneLine(g.name)}"` : ''}  ${g.account ? `${g.account} ` : ''}${g.region}`, `    ${formatGiB(g.sizeGiB)}${g.instanceId ? ` on ${g.instanceId}` : ''} · ${missWords(g)}`);
    }
  }
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}
