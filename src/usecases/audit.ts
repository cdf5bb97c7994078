// /snapshot audit <id>: the resource's history as snapbot saw it.
import { formatTime } from '../core/approvals.js';
import { escapeMrkdwn, mention } from '../slack/views/format.js';
import { replyPrivately, type Deps, type Invocation } from './context.js';

export async function showAudit(deps: Deps, inv: Invocation, resourceId: string): Promise<void> {
  let entries;
  try {
    entries = await deps.store.audit.list(resourceId);
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: Could not read the history of \`${resourceId}\`: ${(err as Error).message}` });
    return;
  }
  if (entries.length === 0) {
    await replyPrivately(deps, inv, { text: `snapbot has no history for \`${resourceId}\`: it was not created, shared or requested through snapbot.` });
    return;
  }
  const lines = entries.slice(-60).map((e) => {
    const actor = e.actor === 'snapbot' ? 'snapbot' : mention(e.actor);
    const where = e.account ? ` in ${e.account} · ${e.region ?? ''}` : e.region ? ` in ${e.region}` : '';
    const bits = [`${formatTime(e.at)} · *${e.event}* by ${actor}${where}`];
    if (e.detail) bits.push(escapeMrkdwn(e.detail));
    if (e.reason) bits.push(`why: ${escapeMrkdwn(e.reason)}`);
    if (e.outcome) bits.push(`${e.outcome.ok ? 'done' : 'failed'}: ${escapeMrkdwn(e.outcome.message)}`);
    if (e.requestId) bits.push(`request \`${e.requestId}\``);
    return bits.join(' — ');
  });
  const chunks: string[] = [];
  let current = '';
  for (const l of lines) {
    if ((current + '\n' + l).length > 2900) {
      chunks.push(current);
      current = l;
    } else current = current ? `${current}\n${l}` : l;
  }
  if (current) chunks.push(current);
  await replyPrivately(deps, inv, {
    text: `History of ${resourceId} (${entries.length} entries): ${lines.slice(-3).join(' | ')}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*History of \`${resourceId}\`* — ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, oldest first` } },
      ...chunks.slice(0, 40).map((c) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text: c } })),
    ],
  });
}
