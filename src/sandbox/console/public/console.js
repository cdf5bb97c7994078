// The sandbox console's page: shows what the bot posted (from /api/state, refreshed on every Server-Sent Event)
// and turns what the user does into the console API's calls, which reach the bot as Slack's signed requests.
import { escapeHtml, mrkdwn, parseCsv, renderBlocks, textObject } from './blocks.js';

const $ = (sel, root = document) => root.querySelector(sel);
// Icons as SVG: the page must look right on machines without an emoji font.
const ICON = {
  camera: '<svg class="icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M4 8h3l2-3h6l2 3h3a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V9a1 1 0 0 1 1-1z"/><circle cx="12" cy="13.5" r="3.5"/></svg>',
  eye: '<svg class="icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"><path d="M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12z"/><circle cx="12" cy="12" r="3"/></svg>',
  bolt: '<svg class="icon" viewBox="0 0 24 24" fill="currentColor"><path d="M13 2 3 14h9l-1 8 10-12h-9l1-8z"/></svg>',
};
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

const params = new URLSearchParams(location.search);
const ui = {
  user: params.get('user') || localStorage.getItem('snapbot.user') || '',
  channel: params.get('channel') || '',
  tab: 'messages',
  data: null,
  openThreads: new Set(),
  dismissed: new Set(),
  seen: {},
  messagesKey: '',
  modalKey: '',
  homeKey: '',
};

// ---- talking to the console server --------------------------------------------------------------------------

async function api(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error || `HTTP ${res.status}`);
  return json;
}

let inFlight = null;
let again = false;
async function refresh() {
  if (inFlight) {
    again = true;
    return inFlight;
  }
  inFlight = (async () => {
    do {
      again = false;
      const res = await fetch(`/api/state?user=${encodeURIComponent(ui.user)}`);
      ui.data = await res.json();
      render();
    } while (again);
  })().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

function listen() {
  const events = new EventSource('/api/events');
  events.onmessage = () => refresh().catch(() => undefined);
  events.onerror = () => showToast('Lost the connection to the sandbox; retrying…', 2000);
}

// ---- who and where ------------------------------------------------------------------------------------------

const ctx = {
  userName(id) {
    const d = ui.data;
    if (!d) return id;
    if (id === d.workspace.bot.id) return d.workspace.bot.name;
    return d.workspace.users.find((u) => u.id === id)?.name ?? id;
  },
  channelName(id) {
    const d = ui.data;
    if (d && /^[UD]/.test(id)) return `${ctx.userName(id.replace(/^D/, ''))} (DM)`;
    return d?.channels.find((c) => c.id === id)?.name ?? id;
  },
};

const isDm = (channel) => /^[UWD]/.test(channel);
const me = () => ui.data.workspace.users.find((u) => u.id === ui.user);

function avatar(id, cls = '') {
  const d = ui.data;
  if (id === d.workspace.bot.id) return `<span class="avatar bot ${cls}" aria-hidden="true">${ICON.camera}</span>`;
  const index = Math.max(0, d.workspace.users.findIndex((u) => u.id === id));
  return `<span class="avatar u${index % 4} ${cls}" aria-hidden="true">${escapeHtml(ctx.userName(id).slice(0, 1).toUpperCase())}</span>`;
}

function go(channel) {
  ui.channel = channel;
  ui.tab = 'messages';
  ui.messagesKey = '';
  syncUrl();
  render();
  $('#composer-input').focus();
}

function switchUser(id) {
  const wasDm = isDm(ui.channel);
  ui.user = id;
  localStorage.setItem('snapbot.user', id);
  if (wasDm) ui.channel = id;
  ui.messagesKey = '';
  ui.modalKey = '';
  ui.homeKey = '';
  syncUrl();
  refresh();
}

function syncUrl() {
  const p = new URLSearchParams({ user: ui.user, channel: ui.channel });
  history.replaceState(null, '', `?${p}`);
}

// ---- rendering ----------------------------------------------------------------------------------------------

function render() {
  const d = ui.data;
  if (!d) return;
  if (!d.workspace.users.some((u) => u.id === ui.user)) ui.user = d.workspace.users[0].id;
  const dmOfOther = isDm(ui.channel) && ui.channel !== ui.user;
  if (!ui.channel || dmOfOther || (!isDm(ui.channel) && !d.channels.some((c) => c.id === ui.channel))) ui.channel = d.channels[0].id;
  syncUrl();
  renderChrome();
  renderNav();
  renderHeader();
  if (ui.tab === 'home' && isDm(ui.channel)) renderHome();
  else renderMessages();
  renderModal();
}

let chromeDone = false;
function renderChrome() {
  const d = ui.data;
  const switcher = $('#user-switcher');
  if (!chromeDone) {
    chromeDone = true;
    document.title = `snapbot sandbox — ${d.workspace.name}`;
    $('#workspace-name').textContent = d.workspace.name;
    $('#banner').innerHTML = `<strong>${escapeHtml(d.banner.title)}</strong>
      <span class="banner-text">Simulated on this machine: <b>EC2</b> (sandbox service, demo account), <b>DynamoDB Local</b> and <b>Slack</b> (this page) — the bot itself is the real one.</span>
      <details><summary>Details · use a real workspace</summary><ul>${d.banner.simulated.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul><p>${escapeHtml(d.banner.realWorkspace)}</p></details>`;
    switcher.innerHTML = d.workspace.users.map((u) => `<option value="${escapeHtml(u.id)}">${escapeHtml(`${u.name} (${u.role})`)}</option>`).join('');
    $('#hint-list').innerHTML = d.hints
      .map((h) => `<li><button type="button" class="hint" data-command="${escapeHtml(h.command)}"><span class="hint-label">${escapeHtml(h.label)}</span><code>${escapeHtml(h.command)}</code></button></li>`)
      .join('');
  }
  switcher.value = ui.user;
  $('#me-avatar').innerHTML = avatar(ui.user, 'small');
}

function visibleTopLevel(channel) {
  return ui.data.messages.filter((m) => m.channel === channel && !m.threadTs && !ui.dismissed.has(m.ts));
}

function renderNav() {
  const d = ui.data;
  const item = (id, label, icon) => {
    const count = visibleTopLevel(id).length;
    // What was there when the page opened counts as read; what arrives later is unread until the channel is opened.
    if (id === ui.channel || !(id in ui.seen)) ui.seen[id] = count;
    const unread = count - (ui.seen[id] ?? 0);
    const active = id === ui.channel ? ' active' : '';
    return `<a href="#" class="nav-item${active}${unread > 0 ? ' unread' : ''}" data-nav-channel="${escapeHtml(id)}">
      <span class="nav-icon">${icon}</span><span class="nav-label">${escapeHtml(label)}</span>${unread > 0 ? `<span class="badge">${unread}</span>` : ''}</a>`;
  };
  $('#nav').innerHTML = `
    <div class="nav-section">Channels</div>
    ${d.channels.map((c) => item(c.id, c.name, '#')).join('')}
    <div class="nav-section">Direct messages</div>
    ${item(ui.user, d.workspace.bot.name, `<span class="nav-app">${ICON.camera}</span>`)}
    <div class="nav-section">Apps</div>
    <div class="nav-item static"><span class="nav-icon">${ICON.bolt}</span><span class="nav-label">snapbot · /snapshot /restore /ami /share</span></div>`;
}

function renderHeader() {
  const d = ui.data;
  const header = $('#channel-header');
  if (isDm(ui.channel)) {
    header.innerHTML = `<div class="ch-title">${avatar(d.workspace.bot.id, 'tiny')} ${escapeHtml(d.workspace.bot.name)} <span class="app-badge">APP</span></div>
      <div class="tabs"><button type="button" class="tab${ui.tab === 'messages' ? ' active' : ''}" data-tab="messages">Messages</button><button type="button" class="tab${ui.tab === 'home' ? ' active' : ''}" data-tab="home">Home</button></div>`;
  } else {
    const c = d.channels.find((x) => x.id === ui.channel);
    header.innerHTML = `<div class="ch-title"># ${escapeHtml(c?.name ?? ui.channel)}</div><div class="ch-topic">${escapeHtml(c?.topic ?? '')}</div>`;
  }
  const label = isDm(ui.channel) ? d.workspace.bot.name : `#${ctx.channelName(ui.channel)}`;
  $('#composer-input').placeholder = `Message ${label} — try /snapshot help`;
  $('#messages').hidden = ui.tab === 'home' && isDm(ui.channel);
  $('#home').hidden = !$('#messages').hidden;
  $('#composer').hidden = ui.tab === 'home' && isDm(ui.channel);
}

function formatTime(ts) {
  return new Date(Number(ts.split('.')[0]) * 1000).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

function messageBody(m) {
  if (m.user && m.text.startsWith('/')) {
    const [cmd, ...rest] = m.text.split(' ');
    return `<div class="slash-echo"><span class="slash-cmd">${escapeHtml(cmd)}</span> ${escapeHtml(rest.join(' '))}</div>`;
  }
  const content = m.blocks?.length ? renderBlocks(m.blocks, ctx, { surface: 'message' }) : `<div class="msg-text">${mrkdwn(m.text, ctx)}</div>`;
  const files = m.files
    .map((f) =>
      f.image
        ? `<figure class="file-image"><img src="/api/file?channel=${encodeURIComponent(m.channel)}&ts=${encodeURIComponent(m.ts)}&i=${f.index}" alt="${escapeHtml(f.alt)}" title="${escapeHtml(f.alt)}" loading="lazy"><figcaption>${escapeHtml(f.title)} · <a href="/api/file?channel=${encodeURIComponent(m.channel)}&ts=${encodeURIComponent(m.ts)}&i=${f.index}&download=1" download="${escapeHtml(f.name)}">Download</a></figcaption></figure>`
        : `<div class="file-card">
        <span class="file-icon">CSV</span>
        <span class="file-meta"><span class="file-name">${escapeHtml(f.title)}</span><span class="file-sub">${escapeHtml(f.name)} · CSV · ${(f.bytes / 1024).toFixed(1)} KB</span></span>
        <button type="button" class="file-view" data-channel="${escapeHtml(m.channel)}" data-ts="${escapeHtml(m.ts)}" data-i="${f.index}" data-title="${escapeHtml(f.title)}">View</button>
        <a class="file-download" href="/api/file?channel=${encodeURIComponent(m.channel)}&ts=${encodeURIComponent(m.ts)}&i=${f.index}&download=1" download="${escapeHtml(f.name)}">Download</a>
      </div>`,
    )
    .join('');
  return content + files;
}

function messageHtml(m, prev, replies) {
  const author = m.user ?? ui.data.workspace.bot.id;
  const prevAuthor = prev ? (prev.user ?? ui.data.workspace.bot.id) : null;
  const gap = prev ? Number(m.ts.split('.')[0]) - Number(prev.ts.split('.')[0]) : Infinity;
  const compact = prev && prevAuthor === author && !m.ephemeral && !prev.ephemeral && gap < 300;
  const isBot = author === ui.data.workspace.bot.id;
  const head = compact
    ? ''
    : `<div class="msg-head"><span class="msg-author">${escapeHtml(ctx.userName(author))}</span>${isBot ? '<span class="app-badge">APP</span>' : ''}<span class="msg-time">${formatTime(m.ts)}</span></div>`;
  const ephemeral = m.ephemeral
    ? `<div class="ephemeral-note">${ICON.eye} Only visible to you <button type="button" class="dismiss" data-dismiss="${escapeHtml(m.ts)}">Dismiss</button></div>`
    : '';
  let thread = '';
  if (replies.length) {
    const open = ui.openThreads.has(m.ts);
    const who = [...new Set(replies.map((r) => r.user ?? ui.data.workspace.bot.id))].map((id) => avatar(id, 'tiny')).join('');
    thread = `<button type="button" class="thread-summary" data-thread="${escapeHtml(m.ts)}">${who}<span class="thread-count">${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</span><span class="thread-last">${open ? 'Hide thread' : `Last reply ${formatTime(replies[replies.length - 1].ts)}`}</span></button>`;
    if (open) thread += `<div class="thread">${replies.map((r, i) => messageHtml(r, replies[i - 1], [])).join('')}</div>`;
  }
  return `<div class="message${compact ? ' compact' : ''}${m.ephemeral ? ' ephemeral' : ''}" data-surface="message" data-channel="${escapeHtml(m.channel)}" data-ts="${escapeHtml(m.ts)}">
    <div class="msg-gutter">${compact ? `<span class="msg-hover-time">${formatTime(m.ts).replace(/\s?[AP]M$/i, '')}</span>` : avatar(author)}</div>
    <div class="msg-main">${ephemeral}${head}<div class="msg-body">${messageBody(m)}</div>${thread}</div>
  </div>`;
}

function renderMessages() {
  const d = ui.data;
  const all = d.messages.filter((m) => m.channel === ui.channel && !ui.dismissed.has(m.ts));
  const key = JSON.stringify([ui.channel, ui.user, all, [...ui.openThreads]]);
  if (key === ui.messagesKey) return;
  ui.messagesKey = key;
  const list = $('#messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
  const tops = all.filter((m) => !m.threadTs || !all.some((p) => p.ts === m.threadTs));
  const repliesOf = (m) => all.filter((r) => r.threadTs === m.ts && r.ts !== m.ts);
  const intro = isDm(ui.channel)
    ? `<div class="channel-intro">${avatar(d.workspace.bot.id, 'large')}<h2>${escapeHtml(d.workspace.bot.name)}</h2><p>This is your direct message with snapbot. Reminders and answers for you alone land here. Commands work here too.</p></div>`
    : `<div class="channel-intro"><h2># ${escapeHtml(ctx.channelName(ui.channel))}</h2><p>${escapeHtml(d.channels.find((c) => c.id === ui.channel)?.topic ?? '')}</p></div>`;
  const body = tops.map((m, i) => messageHtml(m, tops[i - 1], repliesOf(m))).join('');
  list.innerHTML = `${intro}${tops.length ? '<div class="day-divider"><span>Today</span></div>' : ''}${body}`;
  if (atBottom || !list.dataset.channel || list.dataset.channel !== ui.channel) list.scrollTop = list.scrollHeight;
  list.dataset.channel = ui.channel;
}

function renderHome() {
  const home = ui.data.home;
  const key = JSON.stringify([ui.user, home]);
  if (key === ui.homeKey) return;
  ui.homeKey = key;
  $('#home').innerHTML = home
    ? `<div class="home-view" data-surface="home" data-view-id="VHOME${escapeHtml(ui.user)}">${renderBlocks(home.blocks, ctx, { surface: 'home' })}</div>`
    : '<div class="home-view empty">Loading the App Home…</div>';
}

// ---- modals -------------------------------------------------------------------------------------------------

function renderModal() {
  const m = ui.data.modal;
  const root = $('#modal-root');
  const key = m ? JSON.stringify([m.id, m.view, m.errors]) : '';
  if (key === ui.modalKey) return;
  const sameView = m && root.querySelector(`[data-view-id="${CSS.escape(m.id)}"]`);
  const kept = sameView ? readInputs(root, true) : null;
  ui.modalKey = key;
  if (!m) {
    root.innerHTML = '';
    return;
  }
  const v = m.view;
  root.innerHTML = `<div class="overlay modal-overlay">
    <div class="modal" role="dialog" aria-modal="true" aria-label="${escapeHtml(v.title?.text ?? 'Modal')}" data-surface="modal" data-view-id="${escapeHtml(m.id)}">
      <header class="modal-head">${avatar(ui.data.workspace.bot.id, 'tiny')}<h2>${textObject(v.title, ctx)}</h2><button type="button" class="modal-x" title="Close">×</button></header>
      <div class="modal-body">${renderBlocks(v.blocks, ctx, { surface: 'modal', errors: m.errors })}</div>
      <footer class="modal-foot">
        <button type="button" class="btn modal-cancel">${escapeHtml(v.close?.text ?? 'Cancel')}</button>
        ${v.submit ? `<button type="button" class="btn btn-primary modal-submit">${escapeHtml(v.submit.text)}</button>` : ''}
      </footer>
    </div></div>`;
  if (kept) writeInputs(root, kept);
  else root.querySelector('.bk-control input, input.bk-control, textarea.bk-control, .ext-input')?.focus();
}

/** The modal's inputs as Slack's view.state.values; with `raw`, what is needed to put them back after a re-render. */
function readInputs(root, raw = false) {
  const values = {};
  for (const block of $$('.bk-input', root)) {
    const control = $('.bk-control', block);
    if (!control) continue;
    const type = control.dataset.type;
    const actionId = control.dataset.actionId;
    let v;
    switch (type) {
      case 'plain_text_input':
      case 'number_input':
      case 'email_text_input':
      case 'url_text_input':
        v = { type, value: control.value === '' ? null : control.value };
        break;
      case 'static_select': {
        const opt = control.selectedOptions[0];
        v = { type, selected_option: opt?.dataset.opt ? JSON.parse(opt.dataset.opt) : null };
        break;
      }
      case 'multi_static_select':
        v = { type, selected_options: [...control.selectedOptions].map((o) => JSON.parse(o.dataset.opt)) };
        break;
      case 'external_select':
        v = { type, selected_option: control.dataset.selected ? JSON.parse(control.dataset.selected) : null };
        if (raw) v.typed = $('.ext-input', control).value;
        break;
      case 'checkboxes':
        v = { type, selected_options: $$('input:checked', control).map((i) => JSON.parse(i.dataset.opt)) };
        break;
      case 'radio_buttons': {
        const checked = $('input:checked', control);
        v = { type, selected_option: checked ? JSON.parse(checked.dataset.opt) : null };
        break;
      }
      case 'datepicker':
        v = { type, selected_date: control.value || null };
        break;
      default:
        continue;
    }
    (values[block.dataset.blockId] ??= {})[actionId] = v;
  }
  return values;
}

function writeInputs(root, values) {
  for (const block of $$('.bk-input', root)) {
    const control = $('.bk-control', block);
    const v = values[block.dataset.blockId]?.[control?.dataset.actionId];
    if (!control || !v || v.type !== control.dataset.type) continue;
    if ('value' in v) control.value = v.value ?? '';
    if (v.type === 'static_select') control.value = v.selected_option?.value ?? '';
    if (v.type === 'external_select') {
      control.dataset.selected = v.selected_option ? JSON.stringify(v.selected_option) : '';
      $('.ext-input', control).value = v.typed ?? '';
    }
    if (v.type === 'checkboxes') for (const i of $$('input', control)) i.checked = v.selected_options.some((o) => o.value === i.value);
    if (v.type === 'radio_buttons') for (const i of $$('input', control)) i.checked = v.selected_option?.value === i.value;
    if (v.type === 'datepicker') control.value = v.selected_date ?? '';
  }
}

/** What Slack checks in the browser before a submission ever reaches the app. */
function validate(root) {
  const errors = {};
  for (const block of $$('.bk-input', root)) {
    const control = $('.bk-control', block);
    if (!control) continue;
    const id = block.dataset.blockId;
    const type = control.dataset.type;
    const empty =
      type === 'external_select' ? !control.dataset.selected
      : type === 'checkboxes' || type === 'radio_buttons' ? !$('input:checked', control)
      : type === 'multi_static_select' ? control.selectedOptions.length === 0
      : !String(control.value ?? '').trim();
    if (empty) {
      if (block.dataset.optional !== 'true') errors[id] = 'Please fill out this field.';
      continue;
    }
    if (type === 'number_input') {
      const n = Number(control.value);
      const min = control.dataset.min === '' ? -Infinity : Number(control.dataset.min);
      const max = control.dataset.max === '' ? Infinity : Number(control.dataset.max);
      if (!Number.isFinite(n) || (control.dataset.decimal !== 'true' && !Number.isInteger(n))) errors[id] = control.dataset.decimal === 'true' ? 'Please enter a number.' : 'Please enter a whole number.';
      else if (n < min || n > max) errors[id] = max === Infinity ? `Please enter a number of at least ${min}.` : `Please enter a number between ${min} and ${max}.`;
    }
    if (type === 'plain_text_input' && control.value.length < Number(control.dataset.minLength || 0)) {
      errors[id] = `Please enter at least ${control.dataset.minLength} characters.`;
    }
  }
  return errors;
}

function showErrors(root, errors) {
  for (const block of $$('.bk-input', root)) {
    const e = errors[block.dataset.blockId];
    block.classList.toggle('has-error', Boolean(e));
    $('.bk-error', block).textContent = e ?? '';
  }
}

async function submitModal(modal) {
  const errors = validate(modal);
  showErrors(modal, errors);
  if (Object.keys(errors).length) return;
  const button = $('.modal-submit', modal);
  button.disabled = true;
  button.classList.add('busy');
  try {
    const r = await api('/api/view/submit', { user: ui.user, viewId: modal.dataset.viewId, values: readInputs(modal) });
    if (!r.ok) showToast(r.error || 'The app did not accept the submission.');
    if (r.result === 'errors') showErrors(modal, r.errors);
  } catch (err) {
    showToast(err.message);
  } finally {
    button.disabled = false;
    button.classList.remove('busy');
  }
  await refresh();
}

async function closeModal(modal) {
  await api('/api/view/close', { user: ui.user, viewId: modal.dataset.viewId }).catch((err) => showToast(err.message));
  await refresh();
}

// ---- interactive elements -----------------------------------------------------------------------------------

function surfaceOf(node) {
  const s = node.closest('[data-surface]');
  if (!s) return {};
  if (s.dataset.surface === 'message') return { channel: s.dataset.channel, messageTs: s.dataset.ts };
  const modal = s.dataset.surface === 'modal' ? s : null;
  return { viewId: s.dataset.viewId, channel: ui.channel, values: modal ? readInputs(modal) : {} };
}

async function act(node, extra = {}) {
  const el = JSON.parse(node.dataset.el);
  if (el.confirm && !(await confirmDialog(el.confirm))) return;
  if (el.url) window.open(el.url, '_blank', 'noopener');
  node.classList.add('busy');
  try {
    const r = await api('/api/action', { user: ui.user, blockId: node.dataset.blockId, action: { ...el, ...extra }, ...surfaceOf(node) });
    if (!r.ok) showToast(`snapbot did not answer the click (HTTP ${r.status}).`);
  } catch (err) {
    showToast(err.message);
  } finally {
    setTimeout(() => node.classList.remove('busy'), 300);
  }
}

function confirmDialog(c) {
  return new Promise((resolve) => {
    const root = $('#overlay-root');
    root.innerHTML = `<div class="overlay"><div class="modal confirm" role="alertdialog">
      <header class="modal-head"><h2>${textObject(c.title ?? { type: 'plain_text', text: 'Are you sure?' }, ctx)}</h2></header>
      <div class="modal-body">${textObject(c.text, ctx)}</div>
      <footer class="modal-foot"><button type="button" class="btn" data-answer="no">${escapeHtml(c.deny?.text ?? 'Cancel')}</button>
      <button type="button" class="btn ${c.style === 'danger' ? 'btn-danger' : 'btn-primary'}" data-answer="yes">${escapeHtml(c.confirm?.text ?? 'Yes')}</button></footer></div></div>`;
    root.onclick = (e) => {
      const a = e.target.closest('[data-answer]');
      if (!a) return;
      root.innerHTML = '';
      resolve(a.dataset.answer === 'yes');
    };
  });
}

const suggestTimers = new WeakMap();
function suggest(box) {
  clearTimeout(suggestTimers.get(box));
  const input = $('.ext-input', box);
  const list = $('.ext-options', box);
  if (input.value.length < Number(box.dataset.minQuery || 0)) {
    list.hidden = true;
    return;
  }
  suggestTimers.set(
    box,
    setTimeout(async () => {
      list.hidden = false;
      list.innerHTML = '<div class="ext-empty">Loading…</div>';
      const el = JSON.parse(box.dataset.el ?? '{}');
      const blockId = box.dataset.blockId ?? box.closest('[data-block-id]')?.dataset.blockId;
      const surface = surfaceOf(box);
      try {
        const r = await api('/api/suggest', {
          user: ui.user,
          viewId: surface.viewId,
          blockId,
          actionId: box.dataset.actionId ?? el.action_id,
          value: input.value,
          values: surface.values,
        });
        list.innerHTML = r.options.length
          ? r.options.map((o) => `<div class="ext-option" data-opt="${escapeHtml(JSON.stringify(o))}">${escapeHtml(o.text?.text ?? o.value)}</div>`).join('')
          : '<div class="ext-empty">No results</div>';
      } catch (err) {
        list.innerHTML = `<div class="ext-empty">${escapeHtml(err.message)}</div>`;
      }
    }, 150),
  );
}

function chooseSuggestion(option) {
  const box = option.closest('.ext-select');
  const opt = JSON.parse(option.dataset.opt);
  box.dataset.selected = JSON.stringify(opt);
  $('.ext-input', box).value = opt.text?.text ?? opt.value;
  $('.ext-options', box).hidden = true;
  const block = box.closest('.bk-input');
  if (block) {
    block.classList.remove('has-error');
    $('.bk-error', block).textContent = '';
  }
  if (box.dataset.kind === 'external') act(box, { selected_option: opt });
}

// ---- files --------------------------------------------------------------------------------------------------

async function viewFile(button) {
  const q = new URLSearchParams({ channel: button.dataset.channel, ts: button.dataset.ts, i: button.dataset.i });
  const text = await (await fetch(`/api/file?${q}`)).text();
  const rows = parseCsv(text);
  const [head = [], ...rest] = rows;
  $('#overlay-root').innerHTML = `<div class="overlay"><div class="modal file-modal" role="dialog">
    <header class="modal-head"><h2>${escapeHtml(button.dataset.title)}</h2><button type="button" class="modal-x file-close" title="Close">×</button></header>
    <div class="modal-body file-body"><table class="csv"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>
    <tbody>${rest.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table></div>
    <footer class="modal-foot"><a class="btn" href="/api/file?${q}&download=1">Download</a><button type="button" class="btn btn-primary file-close">Close</button></footer></div></div>`;
}

// ---- composer -----------------------------------------------------------------------------------------------

async function send() {
  const input = $('#composer-input');
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  autosize();
  hideAutocomplete();
  try {
    if (text.startsWith('/')) await api('/api/command', { user: ui.user, channel: ui.channel, text });
    else await api('/api/message', { user: ui.user, channel: ui.channel, text });
  } catch (err) {
    showToast(err.message);
  }
}

function autosize() {
  const input = $('#composer-input');
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
}

function showAutocomplete() {
  const value = $('#composer-input').value;
  const box = $('#autocomplete');
  const m = /^\/(\S*)$/.exec(value);
  if (!m || !ui.data) return hideAutocomplete();
  const matches = ui.data.commands.filter((c) => c.command.startsWith(`/${m[1]}`));
  if (!matches.length) return hideAutocomplete();
  box.hidden = false;
  box.innerHTML = `<div class="ac-title">Commands matching "${escapeHtml(value)}"</div>${matches
    .map(
      (c, i) => `<button type="button" class="ac-item${i === 0 ? ' active' : ''}" data-command="${escapeHtml(c.command)}">
        ${avatar(ui.data.workspace.bot.id, 'tiny')}<span class="ac-cmd">${escapeHtml(c.command)}</span> <span class="ac-usage">${escapeHtml(c.usage)}</span>
        <span class="ac-desc">${escapeHtml(c.description)}</span><span class="ac-app">snapbot</span></button>`,
    )
    .join('')}`;
}

function hideAutocomplete() {
  $('#autocomplete').hidden = true;
}

function pickCommand(command) {
  const input = $('#composer-input');
  input.value = `${command} `;
  hideAutocomplete();
  input.focus();
}

// ---- toast --------------------------------------------------------------------------------------------------

let toastTimer;
function showToast(text, ms = 5000) {
  const t = $('#toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    t.hidden = true;
  }, ms);
}

// ---- wiring -------------------------------------------------------------------------------------------------

document.addEventListener('click', (e) => {
  const t = e.target;
  const nav = t.closest('[data-nav-channel]');
  if (nav) {
    e.preventDefault();
    return go(nav.dataset.navChannel);
  }
  const link = t.closest('a.channel-link[data-channel]');
  if (link) {
    e.preventDefault();
    const id = link.dataset.channel;
    return go(isDm(id) ? ui.user : id);
  }
  const tab = t.closest('[data-tab]');
  if (tab) {
    ui.tab = tab.dataset.tab;
    ui.homeKey = '';
    ui.messagesKey = '';
    if (ui.tab === 'home') api('/api/home', { user: ui.user }).catch((err) => showToast(err.message));
    return render();
  }
  const button = t.closest('button.bk-btn');
  if (button) return act(button);
  const thread = t.closest('[data-thread]');
  if (thread) {
    const ts = thread.dataset.thread;
    if (ui.openThreads.has(ts)) ui.openThreads.delete(ts);
    else ui.openThreads.add(ts);
    return renderMessages();
  }
  const dismiss = t.closest('[data-dismiss]');
  if (dismiss) {
    ui.dismissed.add(dismiss.dataset.dismiss);
    ui.messagesKey = '';
    return render();
  }
  const file = t.closest('.file-view');
  if (file) return viewFile(file).catch((err) => showToast(err.message));
  if (t.closest('.file-close')) {
    $('#overlay-root').innerHTML = '';
    return undefined;
  }
  const hint = t.closest('.hint');
  if (hint) {
    const input = $('#composer-input');
    input.value = hint.dataset.command;
    autosize();
    input.focus();
    return undefined;
  }
  const ac = t.closest('.ac-item');
  if (ac) return pickCommand(ac.dataset.command);
  const modal = t.closest('.modal[data-view-id]');
  if (modal && t.closest('.modal-submit')) return submitModal(modal);
  if (modal && t.closest('.modal-cancel, .modal-x')) return closeModal(modal);
  if (!t.closest('.ext-select')) for (const list of $$('.ext-options')) list.hidden = true;
  return undefined;
});

document.addEventListener('mousedown', (e) => {
  const option = e.target.closest('.ext-option');
  if (option) {
    e.preventDefault();
    chooseSuggestion(option);
  }
});

document.addEventListener('focusin', (e) => {
  if (e.target.classList?.contains('ext-input')) suggest(e.target.closest('.ext-select'));
});

document.addEventListener('input', (e) => {
  const t = e.target;
  if (t.classList.contains('ext-input')) {
    t.closest('.ext-select').dataset.selected = '';
    suggest(t.closest('.ext-select'));
  }
  if (t.id === 'composer-input') {
    autosize();
    showAutocomplete();
  }
  const block = t.closest('.bk-input.has-error');
  if (block) {
    block.classList.remove('has-error');
    $('.bk-error', block).textContent = '';
  }
});

document.addEventListener('change', (e) => {
  const t = e.target;
  if (t.id === 'user-switcher') return switchUser(t.value);
  if (t.matches('select.bk-select[data-el]')) {
    const opt = t.selectedOptions[0];
    return act(t, { selected_option: opt?.dataset.opt ? JSON.parse(opt.dataset.opt) : null });
  }
  const choice = t.closest('.bk-choices[data-kind="choices"]');
  if (choice) {
    const selected = $$('input:checked', choice).map((i) => JSON.parse(i.dataset.opt));
    const el = JSON.parse(choice.dataset.el);
    return act(choice, el.type === 'checkboxes' ? { selected_options: selected } : { selected_option: selected[0] ?? null });
  }
  return undefined;
});

$('#composer-input').addEventListener('keydown', (e) => {
  const ac = $('#autocomplete');
  if (!ac.hidden && (e.key === 'Tab' || (e.key === 'Enter' && /^\/\S*$/.test(e.target.value) && !ui.data.commands.some((c) => c.command === e.target.value)))) {
    e.preventDefault();
    const first = $('.ac-item.active', ac) ?? $('.ac-item', ac);
    if (first) pickCommand(first.dataset.command);
    return;
  }
  if (e.key === 'Escape') hideAutocomplete();
  if (e.key === 'Enter' && !e.shiftKey) {
    e.preventDefault();
    send();
  }
});
$('#composer-send').addEventListener('click', () => send());

document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape') return;
  if ($('#overlay-root').innerHTML) {
    $('#overlay-root').innerHTML = '';
    return;
  }
  const modal = $('.modal[data-view-id]');
  if (modal) closeModal(modal);
});

refresh().then(listen, (err) => showToast(`The sandbox does not answer: ${err.message}`, 60_000));
