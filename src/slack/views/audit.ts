// /snapshot audit <id>: the resource's history as snapbot saw it, oldest first.
import type { AuditEntry } from '../../core/approvals.js';
import { BOT_ACTOR, formatTime } from '../../core/approvals.js';
import type { Message } from '../../usecases/ports.js';
import { LIMITS } from './blockkit.js';
import { escapeMrkdwn, mention } from './format.js';

/** The newest entries shown; the oldest beyond them are left out. */
const SHOWN_ENTRIES = 60;
const SECTION_CHARS = LIMITS.sectionText - 100;
const MAX_SECTIONS = 40;

export function auditMessage(resourceId: string, entries: readonly AuditEntry[]): Message {
  if (entries.length === 0) {
    return { text: `snapbot has no history for \`${resourceId}\`: it was not created, shared or requested through snapbot.` };
  }
  const lines = entries.slice(-SHOWN_ENTRIES).map((e) => {
    const actor = e.actor === BOT_ACTOR ? 'snapbot' : mention(e.actor);
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
    if ((current + '\n' + l).length > SECTION_CHARS) {
      chunks.push(current);
      current = l;
    } else current = current ? `${current}\n${l}` : l;
  }
  if (current) chunks.push(current);
  return {
    text: `History of ${resourceId} (${entries.length} entries): ${lines.slice(-3).join(' | ')}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*History of \`${resourceId}\`* — ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, oldest first` } },
      ...chunks.slice(0, MAX_SECTIONS).map((c) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text: c } })),
    ],
  };
}
