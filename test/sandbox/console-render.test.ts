// The console's Block Kit and mrkdwn renderer (the same file the browser loads), on what snapbot sends.
import { describe, expect, it } from 'vitest';
import { mrkdwn, parseCsv, renderBlocks, textObject } from '../../src/sandbox/console/public/blocks.js';

const ctx = {
  userName: (id: string) => ({ U0SANDBOXREQ: 'Dana', U0SNAPBOT: 'snapbot' })[id] ?? id,
  channelName: (id: string) => ({ C0SANDBOX01: 'devops' })[id] ?? id,
};

describe('mrkdwn', () => {
  it('renders bold, italic, strike, inline code and code blocks', () => {
    expect(mrkdwn('*Snapshot* _pending_ ~gone~', ctx)).toBe('<b>Snapshot</b> <i>pending</i> <s>gone</s>');
    expect(mrkdwn('run `/restore snap-0abc`', ctx)).toBe('run <code>/restore snap-0abc</code>');
    expect(mrkdwn('*Cost by age*\n```\n< 30 d  $1.00\n```\nafter', ctx)).toBe(
      '<b>Cost by age</b><pre class="code-block">&lt; 30 d  $1.00</pre>after',
    );
  });

  it('leaves what is not markup alone: snake_case, times, stars inside words', () => {
    expect(mrkdwn('snapbot:requested_by at 10:42:05, 2*3*4', ctx)).toBe('snapbot:requested_by at 10:42:05, 2*3*4');
  });

  it('shows mentions by name, channels by name, and links with their labels', () => {
    expect(mrkdwn('<@U0SANDBOXREQ> in <#C0SANDBOX01>', ctx)).toBe(
      '<span class="mention" data-user="U0SANDBOXREQ">@Dana</span> in <a class="channel-link" href="#" data-channel="C0SANDBOX01">#devops</a>',
    );
    expect(mrkdwn('<https://console.aws.amazon.com/ec2/|Open in the console>', ctx)).toBe(
      '<a href="https://console.aws.amazon.com/ec2/" target="_blank" rel="noopener noreferrer">Open in the console</a>',
    );
    expect(mrkdwn('<!here> and <!subteam^S0APPROVERS|@approvers>', ctx)).toBe('<span class="mention">@here</span> and <span class="mention">@approvers</span>');
  });

  it('turns emoji shortcodes into emoji and quotes into blockquotes', () => {
    expect(mrkdwn(':white_check_mark: done', ctx)).toContain('✅');
    expect(mrkdwn(':not_an_emoji:', ctx)).toBe(':not_an_emoji:');
    expect(mrkdwn('> quoted\nplain', ctx)).toBe('<blockquote>quoted</blockquote>plain');
  });

  it('never lets what the bot relays become HTML', () => {
    const hostile = mrkdwn('&lt;img src=x onerror=alert(1)&gt; <javascript:alert(1)|click> "quote"', ctx);
    expect(hostile).not.toContain('<img');
    expect(hostile).not.toContain('href="javascript');
    expect(hostile).toContain('&lt;img');
    expect(textObject({ type: 'plain_text', text: '<b>not bold</b>' }, ctx)).toBe('&lt;b&gt;not bold&lt;/b&gt;');
  });
});

describe('blocks', () => {
  it('renders header, section text with fields and an accessory, context, divider and image by alt text', () => {
    const html = renderBlocks(
      [
        { type: 'header', text: { type: 'plain_text', text: 'Cost-cleanup digest' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*19 snapshots*' },
          fields: [
            { type: 'mrkdwn', text: '*Size*\n20 GiB' },
            { type: 'mrkdwn', text: '*Cost*\n$1.00/mo' },
          ],
          accessory: { type: 'button', action_id: 'open', text: { type: 'plain_text', text: 'Open' }, value: 'x' },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Requested by <@U0SANDBOXREQ>' }, { type: 'image', image_url: 'https://x/y.png', alt_text: 'snapbot logo' }] },
        { type: 'divider' },
        { type: 'image', image_url: 'https://x/chart.png', alt_text: 'cost chart' },
      ],
      ctx,
    );
    expect(html).toContain('<div class="bk bk-header" data-block-id="b0">Cost-cleanup digest</div>');
    expect(html).toContain('<b>19 snapshots</b>');
    expect(html).toContain('<div class="bk-field"><b>Size</b><br>20 GiB</div>');
    expect(html).toMatch(/bk-accessory"><button type="button" class="bk-btn" data-kind="button"/);
    expect(html).toContain('@Dana');
    expect(html).toContain('bk-divider');
    expect(html).toContain('snapbot logo');
    expect(html).toContain('cost chart');
    expect(html).not.toContain('https://x/chart.png');
  });

  it('renders buttons with their styles and what a click must send', () => {
    const html = renderBlocks(
      [
        {
          type: 'actions',
          block_id: 'decide',
          elements: [
            { type: 'button', action_id: 'approval_approve', text: { type: 'plain_text', text: 'Approve' }, style: 'primary', value: 'req-1' },
            { type: 'button', action_id: 'approval_reject', text: { type: 'plain_text', text: 'Reject' }, style: 'danger', value: 'req-1' },
            {
              type: 'static_select',
              action_id: 'snooze',
              placeholder: { type: 'plain_text', text: 'Snooze' },
              options: [{ text: { type: 'plain_text', text: '30 days' }, value: '30' }],
            },
          ],
        },
      ],
      ctx,
    );
    expect(html).toContain('class="bk-btn bk-btn-primary"');
    expect(html).toContain('class="bk-btn bk-btn-danger"');
    expect(html).toContain('data-block-id="decide"');
    expect(html).toContain('&quot;action_id&quot;:&quot;approval_approve&quot;');
    expect(html).toMatch(/<select class="bk-select" data-kind="select"[^>]*><option value="" disabled selected>Snooze<\/option><option value="30"/);
  });

  it('renders a modal’s inputs with labels, hints, optional marks and the errors a submission answered', () => {
    const html = renderBlocks(
      [
        {
          type: 'input',
          block_id: 'target',
          label: { type: 'plain_text', text: 'Account ID or "public"' },
          element: { type: 'plain_text_input', action_id: 'value', max_length: 20 },
        },
        {
          type: 'input',
          block_id: 'size',
          optional: true,
          label: { type: 'plain_text', text: 'Size (GiB)' },
          hint: { type: 'plain_text', text: 'At least 20 GiB' },
          element: { type: 'number_input', action_id: 'value', is_decimal_allowed: false, min_value: '20', initial_value: '20' },
        },
        { type: 'input', block_id: 'volume', label: { type: 'plain_text', text: 'Volume' }, element: { type: 'external_select', action_id: 'volume_pick', min_query_length: 0 } },
        {
          type: 'input',
          block_id: 'options',
          optional: true,
          label: { type: 'plain_text', text: 'Options' },
          element: { type: 'checkboxes', action_id: 'value', options: [{ text: { type: 'plain_text', text: 'No reboot' }, value: 'no-reboot' }] },
        },
      ],
      ctx,
      { surface: 'modal', errors: { target: 'Enter a 12-digit account ID or the word public.' } },
    );
    expect(html).toMatch(/class="bk bk-input has-error" data-block-id="target" data-optional="false"/);
    expect(html).toContain('<div class="bk-error" role="alert">Enter a 12-digit account ID or the word public.</div>');
    expect(html).toMatch(/<input type="text" class="bk-control" data-type="plain_text_input" data-action-id="value"[^>]* maxlength="20"/);
    expect(html).toContain('data-type="number_input"');
    expect(html).toContain('data-min="20"');
    expect(html).toContain('value="20"');
    expect(html).toContain('(optional)');
    expect(html).toContain('At least 20 GiB');
    expect(html).toMatch(/class="ext-select bk-control" data-type="external_select" data-action-id="volume_pick"/);
    expect(html).toMatch(/class="bk-choices bk-control" data-type="checkboxes"/);
  });

  it('names a block it does not know instead of dropping it', () => {
    expect(renderBlocks([{ type: 'video' }], ctx)).toContain('[video block]');
  });
});

describe('CSV files', () => {
  it('reads quoted fields with commas, quotes and newlines', () => {
    expect(parseCsv('id,description\nsnap-1,"a, b"\nsnap-2,"say ""hi""\nthere"\n')).toEqual([
      ['id', 'description'],
      ['snap-1', 'a, b'],
      ['snap-2', 'say "hi"\nthere'],
    ]);
  });
});
