// What a person types reaches EC2 and later messages as words, never as Slack markup.
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/core/grammar/index.js';
import { withoutSlackMarkup } from '../../src/core/user-text.js';

describe('withoutSlackMarkup', () => {
  it.each([
    ['<!channel> now', '@channel now'],
    ['<!here|here>', '@here'],
    ['<!subteam^S0OPS|@ops> please', '@ops please'],
    ['ask <@U0DANA|dana>', 'ask @dana'],
    ['ask <@U0DANA>', 'ask @U0DANA'],
    ['in <#C0OPS|ops>', 'in #ops'],
    ['<https://evil.example|click here>', 'click here'],
    ['<mailto:a@example.com>', 'a@example.com'],
    ['<<!here>!channel>', '@here!channel'],
    ['a < b and c > d', 'a < b and c > d'],
  ])('%s → %s', (input, words) => {
    expect(withoutSlackMarkup(input)).toBe(words);
  });

  it('applies to a description typed with Slack escaping on, and to one typed as entities', () => {
    const typed = parseCommand('/snapshot', 'vol-0123456789abcdef0 <!channel> &lt;@U0VICTIM&gt; &lt;https://evil.example|click&gt;');
    expect(typed).toMatchObject({ kind: 'snapshot.create', description: '@channel @U0VICTIM click' });
  });
});
