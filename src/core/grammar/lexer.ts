// The words of a slash command: Slack's escapes undone, quotes honoured, flags told apart. Problems are Bad.
import { withoutSlackMarkup } from '../user-text.js';

export const MAX_TEXT_LENGTH = 3000;
/** EC2's limit for snapshot and AMI descriptions. */
export const MAX_DESCRIPTION_LENGTH = 255;
export const MAX_REASON_LENGTH = 500;

/**
 * A problem with the text; parseCommand attaches the usage lines and turns it into a UsageError. `about` is the flag
 * (`--every`) or argument (`<vol-id>`) it is about, when it is about one: forms put the problem next to that field.
 */
export class Bad extends Error {
  constructor(
    message: string,
    readonly about?: string,
  ) {
    super(message);
  }
}
export function bad(problem: string, about?: string): never {
  throw new Bad(problem, about);
}

/** Runs a check of `about` (a flag or an argument), so a problem it finds says which one it is about. */
export function checking<T>(about: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof Bad && e.about === undefined) throw new Bad(e.message, about);
    throw e;
  }
}

// ───────────────────────────── text clean-up and tokens ─────────────────────────────

/**
 * Slack sends links as <url|label>, escapes &, < and >, and people paste odd whitespace and invisible characters.
 * What is left is the words: no Slack markup survives (core/user-text.ts), not even one typed as &lt;!channel&gt;.
 */
export function clean(text: string): string {
  const words = text
    .replace(/[\t\n\r\v\f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/<((?:https?|mailto|ftp):[^|<>]*)(?:\|([^<>]*))?>/gi, (_m, url: string, label: string | undefined) =>
      label !== undefined && label !== '' ? label : url.replace(/^mailto:/i, ''),
    )
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return withoutSlackMarkup(words);
}

// Phones and Slack turn "…" into “…” and '…' into ‘…’; accept either curl (or the straight quote) as the closer.
const DOUBLE = '"\u201c\u201d\u201e';
const SINGLE = "'\u2018\u2019";
export const closersFor = (quote: string) => (DOUBLE.includes(quote) ? DOUBLE : SINGLE.includes(quote) ? SINGLE : undefined);

export interface Token {
  value: string;
  /** It began with a quote: never a flag or a subcommand word, whatever it says. */
  quoted: boolean;
}

/**
 * Splits on spaces, shell-like. A quote opens only at the start of a word (or right after `--flag=`), and closes
 * only where the word ends, so apostrophes inside words ("Bob's", "don't") are just characters.
 */
export class Lexer {
  private pos = 0;
  constructor(private readonly text: string) {}

  next(): Token | undefined {
    const s = this.text;
    let i = this.pos;
    while (s[i] === ' ') i++;
    if (i >= s.length) {
      this.pos = i;
      return undefined;
    }
    const start = i;
    let value = '';
    while (i < s.length && s[i] !== ' ') {
      const closers = closersFor(s[i]);
      if (closers !== undefined && (i === start || s[i - 1] === '=')) {
        const close = findCloser(s, i + 1, closers);
        if (close < 0) bad(`unterminated quote: ${s[i]} before "${excerpt(s.slice(i + 1), 30)}" has no closing quote`);
        value += s.slice(i + 1, close);
        i = close + 1;
      } else {
        value += s[i];
        i++;
      }
    }
    this.pos = i;
    return { value, quoted: closersFor(s[start]) !== undefined };
  }

  peek(): Token | undefined {
    const saved = this.pos;
    try {
      return this.next();
    } finally {
      this.pos = saved;
    }
  }

  /** The untokenized remainder, for free text such as a snapshot description. */
  rest(): string {
    const rest = this.text.slice(this.pos).trim();
    this.pos = this.text.length;
    return rest;
  }
}

function findCloser(s: string, from: number, closers: string): number {
  for (let j = from; j < s.length; j++) {
    if (closers.includes(s[j]) && (j + 1 === s.length || s[j + 1] === ' ')) return j;
  }
  return -1;
}

/** `--name`, `--name=value`; an em or en dash counts as `--` because autocorrect makes one of it. */
export function asFlag(token: Token): { name: string; inline?: string } | undefined {
  if (token.quoted) return undefined;
  const m = /^(?:--|[\u2013\u2014])([A-Za-z][^=]*)(?:=(.*))?$/s.exec(token.value);
  if (!m) return undefined;
  return { name: m[1].toLowerCase(), ...(m[2] !== undefined ? { inline: m[2] } : {}) };
}

function excerpt(value: string, max = 60): string {
  const chars = [...value];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : value;
}

export const q = (value: string) => `"${excerpt(value)}"`;
export const length = (value: string) => [...value].length;
