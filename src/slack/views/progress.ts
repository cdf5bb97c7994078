// The one message that follows a long AWS operation (snapshot, AMI, copy, volume) from start to finish.
import type { KnownBlock } from '@slack/types';
import { LIMITS, truncateLines } from './blockkit.js';
import { escapeMrkdwn, formatDuration, mention, progressBar } from './format.js';
import type { Message, ProgressItem, ProgressPhase, ProgressView } from '../../usecases/ports.js';

const ICON: Record<ProgressPhase, string> = {
  starting: ':hourglass_flowing_sand:',
  running: ':hourglass_flowing_sand:',
  done: ':white_check_mark:',
  failed: ':x:',
  timeout: ':warning:',
};

const PHASE_TEXT: Record<ProgressPhase, string> = {
  starting: 'starting',
  running: 'in progress',
  done: 'done',
  failed: 'failed',
  timeout: 'still not finished: snapbot stopped watching',
};

export function progressMessage(v: ProgressView): Message {
  const head = `${ICON[v.phase]} *${escapeMrkdwn(v.title)}* — ${PHASE_TEXT[v.phase]}`;
  const who = `Requested by ${mention(v.requesterId)}${v.region ? ` · ${v.region}` : ''}${
    v.elapsedMs !== undefined ? ` · ${formatDuration(v.elapsedMs)}` : ''
  }`;
  const lines = v.items.slice(0, 40).map((i) => itemLine(i, v.phase));
  if (v.items.length > 40) lines.push(`…and ${v.items.length - 40} more`);
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: head } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: who }] },
  ];
  if (lines.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n')) } });
  if (v.failure) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`*Why:* ${escapeMrkdwn(v.failure)}`) } });
  if (v.hint) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(v.hint) }] });
  const ids = v.items.map((i) => i.id).filter(Boolean).join(', ');
  const text = `${escapeMrkdwn(v.title)} — ${PHASE_TEXT[v.phase]}${ids ? ` (${ids})` : ''}${v.failure ? `: ${escapeMrkdwn(v.failure)}` : ''}`;
  return { text, blocks };
}

function itemLine(i: ProgressItem, phase: ProgressPhase): string {
  const id = i.id ? `\`${i.id}\`` : '';
  const label = i.label ? ` ${escapeMrkdwn(i.label)}` : '';
  const size = i.sizeGiB ? ` · ${i.sizeGiB} GiB volume size` : '';
  if (i.error) return `${id}${label} — ${i.state}: ${escapeMrkdwn(i.error)}`;
  if (i.percent !== undefined && phase !== 'done') return `${id}${label}\n\`${progressBar(i.percent)}\` ${i.state}${size}`;
  return `${id}${label} — ${i.state}${size}`;
}

function clip(text: string): string {
  return truncateLines(text, LIMITS.sectionText);
}
