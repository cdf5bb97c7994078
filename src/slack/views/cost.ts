// `/snapshot cost`: what deleting one snapshot really frees, who keeps the rest, and when it was measured.
import { formatBytes, type CostReport } from '../../core/lineage.js';
import { formatGiB, formatMonthlyUsd, formatUsd, snapshotSizeGiB } from '../../core/cost.js';
import { SAVING_KINDS, type SavingKind, type SavingsSummary } from '../../core/savings.js';
import { nameTag } from '../../core/types.js';
import { count } from '../../core/words.js';
import { context, section } from './blockkit.js';
import type { Message } from '../../usecases/ports.js';

export function costMessage(r: CostReport): Message {
  const s = r.snapshot;
  const title = s ? `*${s.id}*${nameTag(s.tags) ? ` “${nameTag(s.tags)}”` : ''}${s.volumeId ? ` of ${s.volumeId}` : ''}` : '';
  if (!r.measured) {
    const upTo = r.upToUsd !== undefined && s ? ` It stores up to ${formatGiB(snapshotSizeGiB(s))}, ${formatMonthlyUsd(r.upToUsd)}.` : '';
    const text = `${title}: what deleting it frees was not measured: ${r.why}.${upTo}`;
    return { text, blocks: [section(text)] };
  }
  const full = s!.fullSizeBytes !== undefined ? `${formatBytes(s!.fullSizeBytes)} in full` : `${formatGiB(s!.volumeSizeGiB)} volume`;
  const lines = [
    r.parentId
      ? `${title} — ${full}; it stores ${formatBytes(r.cost.ownBytes)} of blocks itself and refers to ${r.parentId} for the rest.`
      : `${title} — ${full}; the first of its lineage, it stores all ${formatBytes(r.cost.ownBytes)} of its blocks itself.`,
    r.cost.freedBytes === 0
      ? `*Deleting it frees nothing (0 B)*, $0.00/month: every block it stores is still used by a later snapshot.`
      : `*Deleting it frees ${formatBytes(r.cost.freedBytes)}*, ${formatUsd(r.freedUsd)}/month.`,
    ...r.cost.keptBy.map((k) => `• ${k.id} still uses ${formatBytes(k.bytes)} of its blocks, so those stay (and stay billed).`),
    ...(r.childIds.length === 0 ? ['• No later snapshot uses its blocks.'] : []),
  ];
  const when = r.calls === 0 ? `measured ${r.measuredAt.toISOString().slice(0, 16).replace('T', ' ')} UTC (block maps never change)` : `measured now, ${r.calls} EBS direct API call${r.calls === 1 ? '' : 's'}`;
  const text = lines.join('\n');
  return { text, blocks: [section(text), context(`Exact, from the changed blocks between neighbouring snapshots (512 KiB blocks, binary units); ${when}.`)] };
}

const SAVING_WORDS: Record<SavingKind, [string, string]> = {
  'snapshot-deleted': ['snapshot deleted', 'snapshots deleted'],
  'ami-deregistered': ['AMI deregistered', 'AMIs deregistered'],
  'archive-move': ['archive move', 'archive moves'],
};

/** `/snapshot savings` and the digest's header: what snapbot has freed, in dollars a month ($0.00 when nothing yet). */
export function savingsLine(s: SavingsSummary): string {
  const upTo = s.anyUpperBound ? 'up to ' : '';
  return `snapbot has freed ${upTo}${formatUsd(s.totalUsdMonth)}/month since it began, ${upTo}${formatUsd(s.last30UsdMonth)}/month of it in the last 30 days`;
}

export function savingsMessage(s: SavingsSummary): Message {
  const byKind = SAVING_KINDS.map((k) => `• ${count(s.byKind[k].count, ...SAVING_WORDS[k])}: ${formatUsd(s.byKind[k].usdMonth)}/month`);
  const since = s.since ? `, since ${s.since.slice(0, 10)}` : '';
  const text = [`:moneybag: *${savingsLine(s)}*.`, ...byKind].join('\n');
  const note = s.anyUpperBound
    ? `Where what a snapshot really freed could not be measured (the blocks no other snapshot shares), its full size is counted: an upper bound${since}.`
    : `Measured from the blocks no other snapshot shares${since}.`;
  return { text, blocks: [section(text), context(s.since ? note : 'Nothing freed yet: approved deletions, deregistrations and archive moves are counted here as they run.')] };
}
