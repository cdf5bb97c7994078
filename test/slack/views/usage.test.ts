// A usage answer fits Slack's code block: long lines fold at a space, nothing is lost.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/commands.js';
import { parseCommand } from '../../../src/core/grammar/index.js';
import { foldUsageLine, usageReply } from '../../../src/slack/views/usage.js';

describe('usageReply', () => {
  it('folds the long schedule line, keeping every word, and shows only that form', () => {
    let err: UsageError | undefined;
    try {
      parseCommand('/snapshot', 'schedule vol-0123456789abcdef0 --every 5h --keep 3');
    } catch (e) {
      err = e as UsageError;
    }
    const reply = usageReply(err!);
    const block = reply.text.split('```')[1];
    for (const line of block.split('\n')) expect(line.length).toBeLessThanOrEqual(72);
    expect(block.replace(/\n {4}/g, ' ').trim()).toContain('/snapshot schedule <vol-id|i-id|tag:Key=Value> --every <N>h');
    expect(block).not.toContain('/snapshot copy');
  });

  it('leaves short lines alone', () => {
    expect(foldUsageLine('/snapshot list [vol-id]')).toBe('/snapshot list [vol-id]');
  });
});
