// Small words every message needs right: "1 snapshot" / "2 snapshots", "a t3.micro" / "an m5.large".
import { groupThousands } from './cost.js';

/** "1 snapshot", "2 snapshots", "1,200 volumes": never a noun with "(s)" after it. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${groupThousands(n)} ${n === 1 ? noun : plural}`;
}

/**
 * "a" or "an" before a word as it is read aloud: instance types are read letter by letter ("an m5.large", "an r6i",
 * "a t3.micro"), except the families read as words ("a mac1", "an inf2").
 */
export function article(word: string): 'a' | 'an' {
  const w = word.toLowerCase();
  if (/^mac/.test(w)) return 'a';
  if (/^(inf|im|is)\d/.test(w)) return 'an';
  return /^[aefhilmnorsx]/.test(w) ? 'an' : 'a';
}
