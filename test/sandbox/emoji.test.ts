// Every emoji shortcode snapbot writes is one the console renders (Slack renders them; the console must too, or a
// newcomer reads ":zap:" literally). Read from the code, so a new shortcode without its emoji fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMOJI, emojify } from '../../src/sandbox/console/public/blocks.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'sandbox' ? [] : filesUnder(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** `:name:` standing on its own (not inside an ARN, a tag key or a time). */
const SHORTCODE = /(?<![\w:[/]):([a-z][a-z0-9_+-]*):(?![\w/])/g;
/** Not emoji: a tag's or an ARN's middle part, a dedupe key's separator. */
const NOT_EMOJI = new Set(['kms', 'after']);

describe('emoji in what snapbot writes', () => {
  const used = new Set(filesUnder('src').flatMap((f) => [...readFileSync(f, 'utf8').matchAll(SHORTCODE)].map((m) => m[1])));

  it('finds the shortcodes (a scan that finds none would pass for nothing)', () => {
    expect(used.has('x')).toBe(true);
    expect(used.has('zap')).toBe(true);
  });

  it('renders every one of them in the console, none left as a literal :shortcode:', () => {
    const missing = [...used].filter((name) => !NOT_EMOJI.has(name) && !(name in EMOJI));
    expect(missing).toEqual([]);
    for (const name of used) if (!NOT_EMOJI.has(name)) expect(emojify(`:${name}:`)).toContain(EMOJI[name]);
  });
});
