// The outbox's last guard: nothing snapbot sends can notify a whole channel, whatever text it carries.
import { describe, expect, it } from 'vitest';
import { withoutBroadcasts } from '../../src/slack/out.js';

describe('withoutBroadcasts', () => {
  it('turns <!channel>, <!here> and <!everyone> into words in text and in every block string', () => {
    const msg = withoutBroadcasts({
      text: 'from a tag: <!channel> and <!here|here>, asked by <@U0DANA>',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '<!everyone> look' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'for <!subteam^S0OPS> and <#C0OPS>' }] },
      ],
    });
    expect(msg.text).toBe('from a tag: @channel and @here, asked by <@U0DANA>');
    expect(JSON.stringify(msg.blocks)).not.toMatch(/<!(channel|here|everyone)/);
    expect(JSON.stringify(msg.blocks)).toContain('@everyone look');
    // What snapbot itself writes stays: a person, a user group, a channel.
    expect(JSON.stringify(msg.blocks)).toContain('<!subteam^S0OPS>');
    expect(JSON.stringify(msg.blocks)).toContain('<#C0OPS>');
  });
});
