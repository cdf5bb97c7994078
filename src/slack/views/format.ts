// Small text formatters shared by every view: ages, sizes, bars, mentions. Pure.

import { escapeMrkdwn, userMention } from './blockkit.js';

export { escapeMrkdwn };

export function mention(userId: string | undefined): string {
  return userId ? userMention(userId) : 'someone';
}

/** "just now", "5 min", "3 h", "12 days", "1 y 2 mo" — what a person scanning a list wants. */
export function formatAge(from: Date | undefined, now: Date): string {
  if (!from) return 'unknown age';
  const s = Math.max(0, (now.getTime() - from.getTime()) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  const days = Math.floor(s / 86_400);
  if (days < 365) return `${days} day${days === 1 ? '' : 's'}`;
  const years = Math.floor(days / 365);
  const months = Math.floor((days % 365) / 30);
  return months ? `${years} y ${months} mo` : `${years} y`;
}

/** "5 min ago", "3 days ago", or "just now" (never "just now ago"). */
export function ago(from: Date | undefined, now: Date): string {
  const age = formatAge(from, now);
  return age === 'just now' || age === 'unknown age' ? age : `${age} ago`;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A 20-cell bar: `██████████░░░░░░░░░░ 50%`. */
export function progressBar(percent: number, cells = 20): string {
  const p = Math.max(0, Math.min(100, Math.round(percent)));
  const full = Math.round((p / 100) * cells);
  return `${'█'.repeat(full)}${'░'.repeat(cells - full)} ${p}%`;
}

