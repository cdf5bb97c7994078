import { describe, expect, it } from 'vitest';
import {
  actions,
  assertWithinBlockKitLimits,
  blockKitViolations,
  button,
  context,
  divider,
  escapeMrkdwn,
  header,
  LIMITS,
  section,
  truncate,
  truncateLines,
  userMention,
  type KnownBlock,
} from '../../../src/slack/views/blockkit.js';

describe('truncate', () => {
  it('leaves short text alone and cuts long text to the limit with "…"', () => {
    expect(truncate('hello', 5)).toBe('hello');
    expect(truncate('hello world', 8)).toBe('hello w…');
    expect(truncate('hello world', 8)).toHaveLength(8);
  });

  it('never splits an emoji in half', () => {
    const t = truncate('ab😀cd', 4);
    expect(t.length).toBeLessThanOrEqual(4);
    expect(t).toBe('ab…');
  });
});

describe('truncateLines', () => {
  it('cuts at a line boundary and ends with a "…" line', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const t = truncateLines(text, 50);
    expect(t.length).toBeLessThanOrEqual(50);
    expect(t.endsWith('\n…')).toBe(true);
    for (const line of t.split('\n').slice(0, -1)) expect(line).toMatch(/^line \d+$/);
  });

  it('closes a code block the cut left open', () => {
    const text = '```\n' + Array.from({ length: 100 }, () => 'bar bar bar').join('\n') + '\n```';
    const t = truncateLines(text, 60);
    expect(t.length).toBeLessThanOrEqual(60);
    expect(t.split('```').length - 1).toBe(2);
  });

  it('hard-cuts a single line that is too long', () => {
    expect(truncateLines('x'.repeat(5000), 3000).length).toBeLessThanOrEqual(3000);
  });
});

describe('builders', () => {
  it('keep people-written text within the limits', () => {
    const long = 'word '.repeat(2000);
    const blocks: KnownBlock[] = [
      header(long),
      section(long, { fields: Array.from({ length: 10 }, () => long) }),
      context(long),
      divider(),
      actions([button(long, 'a', 'v')]),
    ];
    expect(blockKitViolations({ blocks })).toEqual([]);
    expect((blocks[0] as { text: { text: string } }).text.text.length).toBe(LIMITS.headerText);
  });

  it('refuse what code got wrong rather than cut it', () => {
    expect(() => button('ok', 'a', 'x'.repeat(2001))).toThrow(/2000/);
    expect(() => actions(Array.from({ length: 26 }, (_, i) => button('b', `a${i}`, 'v')))).toThrow(/25/);
    expect(() => section('x', { fields: Array.from({ length: 11 }, () => 'f') })).toThrow(/10 fields/);
    expect(() => context(...Array.from({ length: 11 }, () => 'c'))).toThrow(/10 elements/);
  });

  it('escape mrkdwn and never turn a tag into a channel ping', () => {
    expect(escapeMrkdwn('<!channel> & co')).toBe('&lt;!channel&gt; &amp; co');
    expect(userMention('U0123ABC')).toBe('<@U0123ABC>');
    expect(userMention('<!channel>')).toBe('&lt;!channel&gt;');
  });
});

describe('assertWithinBlockKitLimits', () => {
  const ok: KnownBlock[] = [header('Title'), section('text'), divider()];

  it('accepts a valid message', () => {
    expect(() => assertWithinBlockKitLimits({ text: 'fallback', blocks: ok })).not.toThrow();
  });

  it('catches too many blocks for the surface', () => {
    const blocks = Array.from({ length: 51 }, () => divider());
    expect(() => assertWithinBlockKitLimits({ blocks })).toThrow(/51 blocks; a message allows 50/);
    expect(() => assertWithinBlockKitLimits({ blocks }, 'modal')).not.toThrow();
    expect(() => assertWithinBlockKitLimits({ blocks: Array.from({ length: 101 }, () => divider()) }, 'home')).toThrow(/100/);
  });

  it('catches text over the limits', () => {
    const cases: [KnownBlock, RegExp][] = [
      [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }, /3001 characters; Slack allows 3000/],
      [{ type: 'section', fields: [{ type: 'mrkdwn', text: 'x'.repeat(2001) }] }, /field 0: 2001 characters/],
      [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn' as const, text: 'f' })) }, /11 fields/],
      [{ type: 'section', text: { type: 'mrkdwn', text: '' } }, /empty/],
      [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }, /151 characters; Slack allows 150/],
      [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn' as const, text: 'c' })) }, /11 elements/],
    ];
    for (const [block, message] of cases) {
      expect(() => assertWithinBlockKitLimits({ blocks: [block] })).toThrow(message);
    }
  });

  it('catches bad buttons and actions blocks', () => {
    const b = (text: string, value = 'v', action_id = 'a') => ({ type: 'button' as const, text: { type: 'plain_text' as const, text }, action_id, value });
    const cases: [KnownBlock, RegExp][] = [
      [{ type: 'actions', elements: [b('x'.repeat(76))] }, /button text: 76 characters; Slack allows 75/],
      [{ type: 'actions', elements: [b('ok', 'x'.repeat(2001))] }, /button value is 2001 characters/],
      [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => b('ok', 'v', `a${i}`)) }, /26 elements; Slack allows 25/],
      [{ type: 'actions', elements: [b('ok'), b('ok')] }, /action_id "a" is used twice/],
      [{ type: 'actions', elements: [{ type: 'button', text: { type: 'mrkdwn', text: '*x*' } as never, action_id: 'a' }] }, /must be plain_text/],
    ];
    for (const [block, message] of cases) {
      expect(() => assertWithinBlockKitLimits({ blocks: [block] })).toThrow(message);
    }
  });

  it('catches duplicate block IDs and an oversized fallback text', () => {
    const blocks: KnownBlock[] = [{ type: 'divider', block_id: 'x' }, { type: 'divider', block_id: 'x' }];
    expect(() => assertWithinBlockKitLimits({ blocks })).toThrow(/block_id "x" is used twice/);
    expect(() => assertWithinBlockKitLimits({ text: 'x'.repeat(40_001), blocks: [] })).toThrow(/fallback text/);
  });
});
