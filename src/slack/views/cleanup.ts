// Batch cleanups in words: the full list as a CSV for the card's thread, and the message there that follows the
// batch. Pure.
import { formatMonthlyUsd, formatUsd, groupThousands } from '../../core/cost.js';
import type { BatchProgressView, Message } from '../../usecases/ports.js';
import type { BatchItem } from '../../core/cleanup.js';
import { section } from './blockkit.js';
import { csvField, textCell } from './digest/csv.js';

/** The batch's full list: one row per resource, RFC 4180, names guarded against spreadsheet formulas. */
export function batchCsv(items: readonly BatchItem[], where: { account?: string; region: string }): string {
  const rows = ['kind,account,region,id,name,age_days,size_gib,usd_month,measured,cost_group'];
  for (const i of items) {
    rows.push(
      [i.kind, where.account ?? '', where.region, i.id, textCell(i.name ?? ''), String(i.ageDays), i.sizeGiB.toFixed(2), i.usd.toFixed(4), String(i.measured), textCell(i.costGroup ?? '')]
        .map(csvField)
        .join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}
import { progressBar } from './format.js';

export function batchProgressMessage(v: BatchProgressView): Message {
  const skipped = v.skipped.reduce((n, s) => n + s.n, 0);
  const failed = v.failed.reduce((n, s) => n + s.n, 0);
  const handled = v.done + skipped + failed;
  const head = v.finished
    ? `:broom: Batch \`${v.requestId}\` finished — ${v.what} in ${v.where}: ${groupThousands(v.done)} deleted, ${groupThousands(skipped)} skipped, ${groupThousands(failed)} failed`
    : `:broom: Deleting ${v.what} in ${v.where} (batch \`${v.requestId}\`)${v.resumed ? ', resumed after a restart' : ''}: ${groupThousands(handled)} of ${groupThousands(v.total)} handled\n${progressBar((handled / Math.max(1, v.total)) * 100)}`;
  const lines = [
    head,
    `Freed: ${v.measured ? `${formatUsd(v.usdFreed)}/month` : formatMonthlyUsd(v.usdFreed)} (${groupThousands(v.done)} deleted)`,
    ...v.skipped.map((s) => `• skipped ${groupThousands(s.n)}: ${s.why}`),
    ...v.failed.map((s) => `• failed ${groupThousands(s.n)}: ${s.why}`),
  ];
  const text = lines.join('\n');
  return { text, blocks: [section(text.slice(0, 2900))] };
}
