// Block Kit and mrkdwn to HTML: pure functions from what the bot sent to markup, no DOM. The page renders with
// them and the unit tests check them (blocks.d.ts types them for TypeScript).
//
// Interactive elements carry what the page needs to answer like Slack: data-kind, data-block-id and data-el
// (the element as the bot sent it, as JSON). Everything the bot wrote goes through escapeHtml.

export const EMOJI = {
  white_check_mark: '✅', heavy_check_mark: '✔️', ballot_box_with_check: '☑️', x: '❌', warning: '⚠️', no_entry: '⛔',
  no_entry_sign: '🚫', hourglass_flowing_sand: '⏳', hourglass: '⌛', zzz: '💤', pushpin: '📌', lock: '🔒', unlock: '🔓',
  key: '🔑', information_source: 'ℹ️', handshake: '🤝', globe_with_meridians: '🌐', gear: '⚙️', alarm_clock: '⏰',
  camera: '📷', camera_with_flash: '📸', moneybag: '💰', money_with_wings: '💸', dollar: '💵', wastebasket: '🗑️',
  recycle: '♻️', package: '📦', floppy_disk: '💾', rocket: '🚀', tada: '🎉', eyes: '👀', bell: '🔔', calendar: '📅',
  date: '📅', mag: '🔍', test_tube: '🧪', chart_with_downwards_trend: '📉', chart_with_upwards_trend: '📈', bar_chart: '📊',
  large_green_circle: '🟢', red_circle: '🔴', large_yellow_circle: '🟡', large_blue_circle: '🔵', white_circle: '⚪',
  inbox_tray: '📥', outbox_tray: '📤', arrow_right: '➡️', arrows_counterclockwise: '🔄', repeat: '🔁', thumbsup: '👍',
  '+1': '👍', thumbsdown: '👎', broom: '🧹', card_file_box: '🗃️', file_cabinet: '🗄️', shield: '🛡️', fire: '🔥',
  sparkles: '✨', memo: '📝', clipboard: '📋', link: '🔗', scroll: '📜', bookmark_tabs: '📑', page_facing_up: '📄',
  cd: '💿', dvd: '📀', cloud: '☁️', robot_face: '🤖', stopwatch: '⏱️', hammer_and_wrench: '🛠️', wrench: '🔧',
  question: '❓', exclamation: '❗', heavy_plus_sign: '➕', heavy_minus_sign: '➖', speech_balloon: '💬', ok: '🆗',
  new: '🆕', point_right: '👉', snowflake: '❄️', ice_cube: '🧊', hourglass_done: '⌛', rotating_light: '🚨',
  label: '🏷️', bust_in_silhouette: '👤', busts_in_silhouette: '👥', earth_americas: '🌎', earth_africa: '🌍',
  zap: '⚡', white_small_square: '▫️', black_small_square: '▪️', leftwards_arrow_with_hook: '↩️', arrow_forward: '▶️',
  double_vertical_bar: '⏸️', arrow_backward: '◀️', heavy_multiplication_x: '✖️', stop_sign: '🛑',
};

const IMAGE_ICON = '<svg class="icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"><rect x="3" y="4" width="18" height="16" rx="2"/><circle cx="9" cy="10" r="2"/><path d="m21 16-5-5-9 9"/></svg>';

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Slack escapes exactly these three in message text. */
function decodeEntities(s) {
  return String(s).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** `:shortcode:` to the emoji, for the names known here; anything else (e.g. 10:42:05) stays as written. */
export function emojify(html) {
  return String(html).replace(/:([a-z0-9_+-]+):/g, (m, name) => (EMOJI[name] ? `<span class="emoji" title=":${name}:">${EMOJI[name]}</span>` : m));
}

function attr(value) {
  return escapeHtml(typeof value === 'string' ? value : JSON.stringify(value));
}

const noContext = { userName: (id) => id, channelName: (id) => id };

/** Slack's mrkdwn: *bold*, _italic_, ~strike~, `code`, ```blocks```, > quotes, <links|labels>, <@U…>, <#C…>. */
export function mrkdwn(text, ctx = noContext) {
  const parts = String(text ?? '').split('```');
  let out = '';
  parts.forEach((part, i) => {
    const fenced = i % 2 === 1 && i < parts.length - 1;
    if (fenced) {
      out += `<pre class="code-block">${escapeHtml(decodeEntities(part.replace(/^\n/, '').replace(/\n$/, '')))}</pre>`;
      return;
    }
    // The newlines that touch a fence belong to the fence.
    let t = i % 2 === 1 ? '```' + part : part;
    if (i > 0 && i % 2 === 0) t = t.replace(/^\n/, '');
    if (i + 1 < parts.length - 1 && i % 2 === 0) t = t.replace(/\n$/, '');
    out += inline(t, ctx);
  });
  return out;
}

function inline(text, ctx) {
  if (!text) return '';
  const slots = [];
  const hold = (html) => `\u0000${slots.push(html) - 1}\u0000`;
  let s = text.replace(/`([^`\n]+)`/g, (_, code) => hold(`<code>${escapeHtml(decodeEntities(code))}</code>`));
  s = s.replace(/<([^<>\n]+)>/g, (_, inner) => hold(angle(inner, ctx)));
  const lines = s.split('\n');
  let html = '';
  let quote = [];
  const flushQuote = () => {
    if (quote.length) html += `<blockquote>${quote.join('<br>')}</blockquote>`;
    quote = [];
  };
  lines.forEach((line, i) => {
    const q = /^(?:>|&gt;) ?(.*)$/.exec(line);
    if (q) {
      quote.push(format(q[1]));
      return;
    }
    flushQuote();
    html += format(line) + (i < lines.length - 1 ? '<br>' : '');
  });
  flushQuote();
  return html.replace(/\u0000(\d+)\u0000/g, (_, n) => slots[Number(n)]);
}

function format(raw) {
  let h = escapeHtml(decodeEntities(raw));
  h = h.replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1<b>$2</b>');
  h = h.replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1<i>$2</i>');
  h = h.replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?!\w)/g, '$1<s>$2</s>');
  return emojify(h);
}

function angle(inner, ctx) {
  const bar = inner.indexOf('|');
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? decodeEntities(inner.slice(bar + 1)) : '';
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `<span class="mention" data-user="${attr(id)}">@${escapeHtml(label || ctx.userName(id))}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return `<a class="channel-link" href="#" data-channel="${attr(id)}">#${escapeHtml(label || ctx.channelName(id))}</a>`;
  }
  if (target.startsWith('!')) {
    const special = target.slice(1);
    if (['here', 'channel', 'everyone'].includes(special)) return `<span class="mention">@${special}</span>`;
    if (special.startsWith('subteam^')) return `<span class="mention">${escapeHtml(label || `@${special.slice(8)}`)}</span>`;
    if (special.startsWith('date^')) return `<time>${escapeHtml(label || formatSlackDate(special))}</time>`;
    return escapeHtml(label || special);
  }
  const url = decodeEntities(target);
  if (/^(https?:|mailto:)/i.test(url)) {
    return `<a href="${attr(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(label || url)}</a>`;
  }
  return escapeHtml(decodeEntities(`<${inner}>`));
}

/** `date^1392734382^{date_short} at {time}` without a fallback: formatted here. */
function formatSlackDate(special) {
  const [, seconds, pattern = '{date_short}'] = special.split('^');
  const d = new Date(Number(seconds) * 1000);
  if (Number.isNaN(d.getTime())) return special;
  const f = (o) => d.toLocaleString('en-US', o);
  const tokens = {
    date_num: d.toISOString().slice(0, 10),
    date: f({ month: 'long', day: 'numeric', year: 'numeric' }),
    date_short: f({ month: 'short', day: 'numeric', year: 'numeric' }),
    date_long: f({ weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }),
    date_pretty: f({ month: 'long', day: 'numeric', year: 'numeric' }),
    date_short_pretty: f({ month: 'short', day: 'numeric', year: 'numeric' }),
    date_long_pretty: f({ weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }),
    time: f({ hour: 'numeric', minute: '2-digit' }),
    time_secs: f({ hour: 'numeric', minute: '2-digit', second: '2-digit' }),
  };
  return pattern.replace(/\{(\w+)\}/g, (m, t) => tokens[t] ?? m);
}

/** A text object: mrkdwn or plain_text (emoji shortcodes shown in both). */
export function textObject(t, ctx = noContext) {
  if (!t) return '';
  if (typeof t === 'string') return mrkdwn(t, ctx);
  if (t.type === 'mrkdwn') return mrkdwn(t.text, ctx);
  return emojify(escapeHtml(t.text)).replace(/\n/g, '<br>');
}

function plainString(t) {
  return typeof t === 'string' ? t : (t?.text ?? '');
}

// ---- blocks --------------------------------------------------------------------------------------------------

/**
 * Blocks as HTML. `opts.surface` is 'message', 'modal' or 'home'; `opts.errors` maps block_id to the error a
 * view_submission answered, shown under that input.
 */
export function renderBlocks(blocks, ctx = noContext, opts = {}) {
  const errors = opts.errors ?? {};
  return (blocks ?? []).map((b, i) => renderBlock(b, i, ctx, errors)).join('');
}

function renderBlock(b, index, ctx, errors) {
  const blockId = b.block_id ?? `b${index}`;
  const wrap = (cls, inner) => `<div class="bk ${cls}" data-block-id="${attr(blockId)}">${inner}</div>`;
  switch (b.type) {
    case 'header':
      return wrap('bk-header', textObject(b.text, ctx));
    case 'divider':
      return '<hr class="bk bk-divider">';
    case 'section': {
      const text = b.text ? `<div class="bk-text">${textObject(b.text, ctx)}</div>` : '';
      const fields = b.fields?.length ? `<div class="bk-fields">${b.fields.map((f) => `<div class="bk-field">${textObject(f, ctx)}</div>`).join('')}</div>` : '';
      const accessory = b.accessory ? `<div class="bk-accessory">${renderElement(b.accessory, blockId, ctx)}</div>` : '';
      return wrap(`bk-section${accessory ? ' has-accessory' : ''}`, `<div class="bk-section-main">${text}${fields}</div>${accessory}`);
    }
    case 'context':
      return wrap(
        'bk-context',
        (b.elements ?? [])
          .map((e) => (e.type === 'image' ? imageChip(e) : `<span class="bk-context-text">${textObject(e, ctx)}</span>`))
          .join(''),
      );
    case 'actions':
      return wrap('bk-actions', (b.elements ?? []).map((e) => renderElement(e, blockId, ctx)).join(''));
    case 'image':
      return wrap(
        'bk-image-block',
        `${b.title ? `<div class="bk-image-title">${textObject(b.title, ctx)}</div>` : ''}<div class="bk-image-placeholder" role="img" aria-label="${attr(b.alt_text ?? '')}">${IMAGE_ICON} ${escapeHtml(b.alt_text ?? 'image')}</div>`,
      );
    case 'input':
      return renderInput(b, blockId, ctx, errors[blockId]);
    case 'rich_text':
      return wrap('bk-rich-text', richText(b.elements ?? [], ctx));
    case 'file':
      return wrap('bk-unknown', `📎 file ${escapeHtml(b.external_id ?? '')}`);
    default:
      return wrap('bk-unknown', `[${escapeHtml(b.type ?? 'unknown')} block]`);
  }
}

function imageChip(e) {
  return `<span class="bk-image" role="img" aria-label="${attr(e.alt_text ?? '')}" title="${attr(e.alt_text ?? '')}">${IMAGE_ICON} ${escapeHtml(e.alt_text ?? 'image')}</span>`;
}

function richText(elements, ctx) {
  const leaf = (e) => {
    if (e.type === 'text') {
      let h = escapeHtml(e.text).replace(/\n/g, '<br>');
      if (e.style?.code) h = `<code>${h}</code>`;
      if (e.style?.bold) h = `<b>${h}</b>`;
      if (e.style?.italic) h = `<i>${h}</i>`;
      if (e.style?.strike) h = `<s>${h}</s>`;
      return h;
    }
    if (e.type === 'link') return `<a href="${attr(e.url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(e.text || e.url)}</a>`;
    if (e.type === 'user') return `<span class="mention">@${escapeHtml(ctx.userName(e.user_id))}</span>`;
    if (e.type === 'channel') return `<a class="channel-link" href="#" data-channel="${attr(e.channel_id)}">#${escapeHtml(ctx.channelName(e.channel_id))}</a>`;
    if (e.type === 'emoji') return EMOJI[e.name] ?? `:${escapeHtml(e.name)}:`;
    return '';
  };
  return elements
    .map((s) => {
      const inner = (s.elements ?? []).map((e) => (e.elements ? richText([e], ctx) : leaf(e))).join('');
      if (s.type === 'rich_text_preformatted') return `<pre class="code-block">${inner}</pre>`;
      if (s.type === 'rich_text_quote') return `<blockquote>${inner}</blockquote>`;
      if (s.type === 'rich_text_list') return `<ul>${(s.elements ?? []).map((e) => `<li>${richText([e], ctx)}</li>`).join('')}</ul>`;
      return `<div>${inner}</div>`;
    })
    .join('');
}

function optionHtml(o, selectedValues) {
  const selected = selectedValues.includes(o.value) ? ' selected' : '';
  return `<option value="${attr(o.value)}" data-opt="${attr(o)}"${selected}>${escapeHtml(plainString(o.text))}</option>`;
}

function selectOptions(el, selectedValues) {
  if (el.option_groups?.length) {
    return el.option_groups
      .map((g) => `<optgroup label="${attr(plainString(g.label))}">${(g.options ?? []).map((o) => optionHtml(o, selectedValues)).join('')}</optgroup>`)
      .join('');
  }
  return (el.options ?? []).map((o) => optionHtml(o, selectedValues)).join('');
}

/** An element in an actions block or a section's accessory: it acts as soon as it is used. */
export function renderElement(el, blockId, ctx = noContext) {
  const data = `data-block-id="${attr(blockId)}" data-el="${attr(el)}"`;
  switch (el.type) {
    case 'button': {
      const style = el.style === 'primary' || el.style === 'danger' ? ` bk-btn-${el.style}` : '';
      return `<button type="button" class="bk-btn${style}" data-kind="button" ${data}>${textObject(el.text, ctx)}</button>`;
    }
    case 'static_select':
    case 'overflow': {
      const placeholder = el.type === 'overflow' ? '⋯' : plainString(el.placeholder) || 'Select an item';
      const initial = el.initial_option ? [el.initial_option.value] : [];
      return `<select class="bk-select${el.type === 'overflow' ? ' bk-overflow' : ''}" data-kind="select" ${data}><option value="" disabled${initial.length ? '' : ' selected'}>${escapeHtml(placeholder)}</option>${selectOptions(el, initial)}</select>`;
    }
    case 'external_select':
      return externalSelect(el, `data-kind="external" ${data}`, '');
    case 'users_select':
    case 'conversations_select':
    case 'channels_select':
      return `<select class="bk-select" disabled ${data}><option>${escapeHtml(plainString(el.placeholder) || el.type)}</option></select>`;
    case 'datepicker':
      return `<input type="date" class="bk-date" data-kind="date" ${data} value="${attr(el.initial_date ?? '')}">`;
    case 'image':
      return imageChip(el);
    case 'checkboxes':
    case 'radio_buttons':
      return choices(el, `data-kind="choices" ${data}`, '', ctx);
    default:
      return `<span class="bk-unknown">[${escapeHtml(el.type ?? 'element')}]</span>`;
  }
}

function externalSelect(el, data, cls) {
  const initial = el.initial_option;
  return `<div class="ext-select${cls}" ${data} data-selected="${initial ? attr(initial) : ''}" data-min-query="${attr(String(el.min_query_length ?? 0))}">
    <input type="text" class="ext-input" autocomplete="off" placeholder="${attr(plainString(el.placeholder) || 'Select an item')}" value="${attr(initial ? plainString(initial.text) : '')}">
    <div class="ext-options" hidden></div>
  </div>`;
}

function choices(el, data, cls, ctx) {
  const type = el.type === 'checkboxes' ? 'checkbox' : 'radio';
  const initial = (el.initial_options ?? (el.initial_option ? [el.initial_option] : [])).map((o) => o.value);
  const name = `c${Math.random().toString(36).slice(2)}`;
  return `<div class="bk-choices${cls}" ${data}>${(el.options ?? [])
    .map(
      (o) => `<label class="bk-choice"><input type="${type}" name="${name}" value="${attr(o.value)}" data-opt="${attr(o)}"${initial.includes(o.value) ? ' checked' : ''}>
        <span><span class="bk-choice-text">${textObject(o.text, ctx)}</span>${o.description ? `<span class="bk-choice-description">${textObject(o.description, ctx)}</span>` : ''}</span></label>`,
    )
    .join('')}</div>`;
}

/** An input block of a modal: label, the control (data-type says how to read it), hint and the submission's error. */
function renderInput(b, blockId, ctx, error) {
  const el = b.element ?? {};
  const aid = attr(el.action_id ?? 'value');
  const placeholder = attr(plainString(el.placeholder));
  const data = `data-type="${attr(el.type)}" data-action-id="${aid}"`;
  const common = `class="bk-control" ${data}`;
  let control;
  switch (el.type) {
    case 'plain_text_input': {
      const limits = `${el.max_length ? ` maxlength="${el.max_length}"` : ''} data-min-length="${attr(String(el.min_length ?? 0))}"`;
      control = el.multiline
        ? `<textarea ${common} rows="3" placeholder="${placeholder}"${limits}>${escapeHtml(el.initial_value ?? '')}</textarea>`
        : `<input type="text" ${common} placeholder="${placeholder}"${limits} value="${attr(el.initial_value ?? '')}">`;
      break;
    }
    case 'number_input':
      control = `<input type="text" inputmode="decimal" ${common} placeholder="${placeholder}" value="${attr(el.initial_value ?? '')}" data-decimal="${el.is_decimal_allowed ? 'true' : 'false'}" data-min="${attr(el.min_value ?? '')}" data-max="${attr(el.max_value ?? '')}">`;
      break;
    case 'email_text_input':
    case 'url_text_input':
      control = `<input type="text" ${common} placeholder="${placeholder}" value="${attr(el.initial_value ?? '')}">`;
      break;
    case 'static_select':
    case 'multi_static_select': {
      const initial = (el.initial_options ?? (el.initial_option ? [el.initial_option] : [])).map((o) => o.value);
      const multiple = el.type === 'multi_static_select' ? ' multiple' : '';
      const first = multiple ? '' : `<option value=""${initial.length ? '' : ' selected'}>${escapeHtml(plainString(el.placeholder) || 'Select an item')}</option>`;
      control = `<select ${common}${multiple}>${first}${selectOptions(el, initial)}</select>`;
      break;
    }
    case 'external_select':
      control = externalSelect(el, data, ' bk-control');
      break;
    case 'checkboxes':
    case 'radio_buttons':
      control = choices(el, data, ' bk-control', ctx);
      break;
    case 'datepicker':
      control = `<input type="date" ${common} value="${attr(el.initial_date ?? '')}">`;
      break;
    default:
      control = `<div ${common}><span class="bk-unknown">[${escapeHtml(el.type ?? 'element')}]</span></div>`;
  }
  return `<div class="bk bk-input${error ? ' has-error' : ''}" data-block-id="${attr(blockId)}" data-optional="${b.optional ? 'true' : 'false'}">
    <label class="bk-label">${textObject(b.label, ctx)}${b.optional ? ' <span class="bk-optional">(optional)</span>' : ''}</label>
    ${control}
    ${b.hint ? `<div class="bk-hint">${textObject(b.hint, ctx)}</div>` : ''}
    <div class="bk-error" role="alert">${error ? escapeHtml(error) : ''}</div>
  </div>`;
}

// ---- files ---------------------------------------------------------------------------------------------------

/** RFC 4180 CSV: quoted fields, doubled quotes, commas and newlines inside quotes. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const s = String(text ?? '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
