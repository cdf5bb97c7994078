// Batch cleanups in words: the message in the card's thread that follows the batch. Pure.
import { formatMonthlyUsd, formatUsd, groupThousands } from '../../core/cost.js';
import type { BatchProgressView, Message } from '../../usecases/ports.js';
import { section } from './blockkit.js';
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
