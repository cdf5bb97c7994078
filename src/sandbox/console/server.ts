// The sandbox console: a web page that plays Slack's part. It serves the page, a JSON API the page calls, and a
// Server-Sent Events stream that fires whenever the bot changes something in the Slack stand-in (FakeSlack).
// Everything the page does reaches the bot as Slack would send it: signed requests to the bot's /slack/events.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlackSender } from '../slack/requests.js';
import { readBody, type FakeSlack, type WorkspaceMessage } from '../slack/webapi.js';
import { SLASH_COMMANDS, type Banner, type Hint, type Workspace } from './workspace.js';

export interface SandboxConsoleOptions {
  slack: FakeSlack;
  /** The bot's base URL, e.g. http://127.0.0.1:41234 (its /slack/events and /healthz). */
  botUrl: string;
  signingSecret: string;
  workspace: Workspace;
  banner: Banner;
  hints?: Hint[];
  /** 0 picks a free port. */
  port?: number;
  /** Default: every interface, so the console is reachable from outside a container too. */
  host?: string;
}

/** Who did something that may lead to a modal or a response_url answer. */
interface Origin {
  userId: string;
  channelId: string;
  messageTs?: string;
}

/** What Slack accepts on a response_url and as a slash command's ack body. */
interface ResponseBody {
  text?: string;
  blocks?: unknown[];
  response_type?: string;
  replace_original?: boolean | string;
  delete_original?: boolean | string;
  thread_ts?: string;
}

type Json = Record<string, unknown>;

const PUBLIC_FILES: Record<string, [file: string, type: string]> = {
  '/': ['page.html', 'text/html; charset=utf-8'],
  '/console.js': ['console.js', 'text/javascript; charset=utf-8'],
  '/blocks.js': ['blocks.js', 'text/javascript; charset=utf-8'],
  '/styles.css': ['styles.css', 'text/css; charset=utf-8'],
};
const PUBLIC_DIR = new URL('./public/', import.meta.url);
const MAX_REMEMBERED = 2_000;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class SandboxConsole {
  url = '';
  port = 0;
  private server?: Server;
  private sender?: SlackSender;
  private readonly triggers = new Map<string, Origin>();
  private readonly responseUrls = new Map<string, Origin>();
  /** Open modals per user, the top one last. */
  private readonly modals = new Map<string, string[]>();
  private readonly viewErrors = new Map<string, Record<string, string>>();
  private readonly sse = new Set<ServerResponse>();
  private version = 0;
  private broadcastTimer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private viewSeq = 0;

  constructor(private readonly opts: SandboxConsoleOptions) {}

  get slack(): FakeSlack {
    return this.opts.slack;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        const status = err instanceof HttpError ? err.status : 500;
        if (!res.headersSent) sendJson(res, status, { ok: false, error: (err as Error).message });
        else res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.opts.port ?? 0, this.opts.host, () => {
        this.server!.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://localhost:${this.port}`;
    // response_url answers come back here, to the console, which knows who and where they are for.
    this.sender = new SlackSender(`${this.opts.botUrl}/slack/events`, this.opts.signingSecret, `http://127.0.0.1:${this.port}/response/`);
    this.slack.on('change', this.onSlackChange);
    this.heartbeat = setInterval(() => {
      for (const res of this.sse) res.write(': keep-alive\n\n');
    }, 15_000);
    this.heartbeat.unref();
    return this;
  }

  async stop(): Promise<void> {
    this.slack.off('change', this.onSlackChange);
    clearInterval(this.heartbeat);
    clearTimeout(this.broadcastTimer);
    for (const res of this.sse) res.end();
    this.sse.clear();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  // ---- what the bot did ---------------------------------------------------------------------------------------

  private readonly onSlackChange = (method: string): void => {
    if (method === 'views.open' || method === 'views.push') this.adoptNewView(method);
    this.changed();
  };

  /**
   * FakeSlack records the call, answers it and emits 'change' in one synchronous step, so the newest call and the
   * newest view are the ones this event is about. The trigger_id says whose screen the modal opens on.
   */
  private adoptNewView(method: string): void {
    const call = this.slack.calls[this.slack.calls.length - 1];
    const viewId = [...this.slack.views.keys()].pop();
    if (!call || call.method !== method || !viewId) return;
    const origin = this.triggers.get(String(call.args.trigger_id ?? ''));
    if (!origin) return;
    const stack = method === 'views.open' ? [] : (this.modals.get(origin.userId) ?? []);
    stack.push(viewId);
    this.modals.set(origin.userId, stack);
    const view = this.slack.views.get(viewId);
    if (view) view.userId = origin.userId;
  }

  private changed(): void {
    this.version += 1;
    if (this.broadcastTimer) return;
    // Coalesce bursts (a progress update is often two or three calls) into one refresh of the page.
    this.broadcastTimer = setTimeout(() => {
      this.broadcastTimer = undefined;
      const data = `data: ${JSON.stringify({ version: this.version })}\n\n`;
      for (const res of this.sse) res.write(data);
    }, 25);
  }

  // ---- HTTP ---------------------------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (method === 'GET' && PUBLIC_FILES[path]) return this.serveFile(res, ...PUBLIC_FILES[path]);
    if (method === 'GET' && (path === '/healthz' || path === '/metrics')) return this.forwardGet(path, res);
    if (method === 'POST' && path === '/slack/events') return this.forwardEvents(req, res);
    if (method === 'POST' && path.startsWith('/response/')) return this.responseUrl(path.slice('/response/'.length), req, res);
    if (method === 'GET' && path === '/api/events') return this.events(req, res);
    if (method === 'GET' && path === '/api/state') return sendJson(res, 200, this.stateFor(url.searchParams.get('user') ?? ''));
    if (method === 'GET' && path === '/api/file') return this.file(url, res);
    if (method === 'POST' && path.startsWith('/api/')) {
      const body = await readJson(req);
      const handlers: Record<string, (b: Json) => Promise<Json>> = {
        '/api/command': (b) => this.command(b),
        '/api/message': (b) => this.message(b),
        '/api/action': (b) => this.action(b),
        '/api/suggest': (b) => this.suggest(b),
        '/api/view/submit': (b) => this.submitView(b),
        '/api/view/close': (b) => this.closeView(b),
        '/api/home': (b) => this.openHome(b),
      };
      const handler = handlers[path];
      if (!handler) throw new HttpError(404, `no such API: ${path}`);
      return sendJson(res, 200, await handler(body));
    }
    throw new HttpError(404, `not found: ${method} ${path}`);
  }

  private async serveFile(res: ServerResponse, file: string, type: string): Promise<void> {
    const content = await readFile(new URL(file, PUBLIC_DIR));
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(content);
  }

  /** The contract's GET /healthz and GET /metrics on PORT: the bot's own answers. */
  private async forwardGet(path: '/healthz' | '/metrics', res: ServerResponse): Promise<void> {
    try {
      const r = await fetch(`${this.opts.botUrl}${path}`, { signal: AbortSignal.timeout(5_000) });
      res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
      res.end(await r.text());
    } catch (err) {
      sendJson(res, 503, { ok: false, error: `the bot does not answer: ${(err as Error).message}` });
    }
  }

  /** Slack's requests may also come to PORT, as in production; they are passed to the bot untouched. */
  private async forwardEvents(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'x-slack-request-timestamp', 'x-slack-signature', 'x-slack-retry-num', 'x-slack-retry-reason']) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const r = await fetch(`${this.opts.botUrl}/slack/events`, { method: 'POST', headers, body: body.toString('utf8') });
    res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'text/plain' });
    res.end(Buffer.from(await r.arrayBuffer()));
  }

  private events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(`retry: 1000\ndata: ${JSON.stringify({ version: this.version })}\n\n`);
    this.sse.add(res);
    req.on('close', () => this.sse.delete(res));
  }

  private file(url: URL, res: ServerResponse): void {
    const m = this.slack.messages.find((x) => x.channel === url.searchParams.get('channel') && x.ts === url.searchParams.get('ts'));
    const f = m?.files?.[Number(url.searchParams.get('i') ?? 0)];
    if (!f) throw new HttpError(404, 'no such file');
    const image = f.name.endsWith('.png');
    const type = image ? 'image/png' : f.name.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'text/plain; charset=utf-8';
    const disposition = url.searchParams.has('download') ? 'attachment' : 'inline';
    res.writeHead(200, {
      'content-type': type,
      'content-disposition': `${disposition}; filename="${f.name.replace(/[^\w.-]/g, '_')}"`,
    });
    res.end(image ? f.data : f.content);
  }

  // ---- what the page shows ------------------------------------------------------------------------------------

  /** Everything one user can see: the channels, their DM with the app, ephemerals meant for them, their modal. */
  stateFor(userId: string): Json {
    const { workspace } = this.opts;
    const known = new Set(workspace.channels.map((c) => c.id));
    const others = [...new Set(this.slack.messages.map((m) => m.channel))].filter((c) => /^[CG]/.test(c) && !known.has(c));
    const visible = this.slack.messages.filter(
      (m) => (!m.ephemeralFor || m.ephemeralFor === userId) && (!/^[UWD]/.test(m.channel) || m.channel === userId || m.channel === `D${userId}`),
    );
    const stack = this.modals.get(userId) ?? [];
    const top = stack.length ? this.slack.views.get(stack[stack.length - 1]) : undefined;
    return {
      version: this.version,
      workspace: { name: workspace.name, bot: workspace.bot, users: workspace.users },
      channels: [...workspace.channels, ...others.map((id) => ({ id, name: id, topic: '' }))],
      commands: SLASH_COMMANDS,
      banner: this.opts.banner,
      hints: this.opts.hints ?? [],
      messages: visible.map((m) => messageJson(m)),
      modal: top ? { id: top.id, view: top.view, errors: this.viewErrors.get(top.id) ?? {}, depth: stack.length } : null,
      home: this.slack.homes.get(userId) ?? null,
    };
  }

  // ---- what the page does, as Slack would send it to the bot --------------------------------------------------

  private newTrigger(origin: Origin): string {
    const id = `${Date.now()}.${randomBytes(6).toString('hex')}`;
    remember(this.triggers, id, origin);
    return id;
  }

  /** A slash command typed in the composer: `{ user, channel, text: "/snapshot vol-…" }`. */
  async command(b: Json): Promise<Json> {
    const userId = requireString(b, 'user');
    const channelId = requireString(b, 'channel');
    const line = requireString(b, 'text').trim();
    const m = /^(\/\S+)\s*([\s\S]*)$/.exec(line);
    if (!m) throw new HttpError(400, 'a slash command starts with "/"');
    const [, command, text] = m;
    if (!SLASH_COMMANDS.some((c) => c.command === command)) {
      this.slack.addMessage({
        channel: channelId,
        ephemeralFor: userId,
        text: `\`${command}\` is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands. Try ${SLASH_COMMANDS.map((c) => `\`${c.command}\``).join(', ')}.`,
      });
      return { ok: false, error: 'unknown_command' };
    }
    // Slack shows nobody the command itself; the console shows it to the one who typed it (only), so their own page
    // reads as a conversation while everyone else's stays as Slack's would.
    this.slack.addMessage({ channel: channelId, user: userId, ephemeralFor: userId, text: text ? `${command} ${text}` : command });
    const triggerId = this.newTrigger({ userId, channelId });
    remember(this.responseUrls, `commands/${triggerId}`, { userId, channelId });
    const res = await this.sender!.command({ command, text, userId, channelId, triggerId });
    if (res.status !== 200) {
      this.slack.addMessage({ channel: channelId, ephemeralFor: userId, text: `:warning: ${command} failed with the error "dispatch_failed" (the app answered HTTP ${res.status}).` });
      return { ok: false, status: res.status, triggerId };
    }
    if (res.json) this.deliver({ userId, channelId }, res.json as ResponseBody);
    else if (res.text.trim()) this.slack.addMessage({ channel: channelId, ephemeralFor: userId, text: res.text });
    return { ok: true, status: res.status, triggerId };
  }

  /** A plain message typed in the composer. The bot does not listen to messages; it is there to read. */
  async message(b: Json): Promise<Json> {
    const m = this.slack.addMessage({
      channel: requireString(b, 'channel'),
      user: requireString(b, 'user'),
      text: requireString(b, 'text'),
      threadTs: typeof b.threadTs === 'string' ? b.threadTs : undefined,
    });
    return { ok: true, ts: m.ts };
  }

  /**
   * A click or a selection: `{ user, blockId, action, channel?, messageTs?, viewId?, values? }` where `action` is
   * the element as the bot sent it plus what was chosen (`selected_option(s)`).
   */
  async action(b: Json): Promise<Json> {
    const userId = requireString(b, 'user');
    const el = (b.action ?? {}) as Json;
    const blockId = String(b.blockId ?? '');
    const action: Json = {
      type: el.type,
      action_id: el.action_id,
      block_id: blockId,
      action_ts: (Date.now() / 1000).toFixed(6),
    };
    if (el.type === 'button') Object.assign(action, { text: el.text, value: el.value, ...(el.style ? { style: el.style } : {}) });
    if ('selected_option' in el) action.selected_option = el.selected_option;
    if ('selected_options' in el) action.selected_options = el.selected_options;
    if ('value' in el && el.type !== 'button') action.value = el.value;

    const common = this.interactionBase(userId);
    let payload: Json;
    if (typeof b.viewId === 'string') {
      const view = this.viewPayload(userId, b.viewId, (b.values ?? {}) as Json);
      const channelId = typeof b.channel === 'string' ? b.channel : userId;
      payload = { ...common, trigger_id: this.newTrigger({ userId, channelId }), container: { type: 'view', view_id: b.viewId }, view, actions: [action] };
    } else {
      const channelId = requireString(b, 'channel');
      const messageTs = requireString(b, 'messageTs');
      const msg = this.slack.messages.find((m) => m.channel === channelId && m.ts === messageTs);
      if (!msg) throw new HttpError(404, `no message ${messageTs} in ${channelId}`);
      const key = `actions/${randomBytes(8).toString('hex')}`;
      remember(this.responseUrls, key, { userId, channelId, messageTs });
      payload = {
        ...common,
        trigger_id: this.newTrigger({ userId, channelId, messageTs }),
        container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: Boolean(msg.ephemeralFor) },
        channel: { id: channelId, name: this.channelName(channelId) },
        message: { type: 'message', ts: messageTs, text: msg.text, blocks: msg.blocks ?? [], user: this.opts.workspace.bot.id, bot_id: 'B0SNAPBOT' },
        state: { values: {} },
        response_url: `http://127.0.0.1:${this.port}/response/${key}`,
        actions: [action],
      };
    }
    const res = await this.sender!.interaction(payload);
    return { ok: res.status === 200, status: res.status };
  }

  /** An external select asking for options while the user types: `{ user, actionId, blockId, value, viewId | channel + messageTs }`. */
  async suggest(b: Json): Promise<Json> {
    const userId = requireString(b, 'user');
    const where: Json =
      typeof b.viewId === 'string'
        ? { container: { type: 'view', view_id: b.viewId }, view: this.viewPayload(userId, b.viewId, (b.values ?? {}) as Json) }
        : {
            container: { type: 'message', message_ts: requireString(b, 'messageTs'), channel_id: requireString(b, 'channel') },
            channel: { id: b.channel, name: this.channelName(String(b.channel)) },
          };
    const payload = {
      ...this.interactionBase(userId),
      type: 'block_suggestion',
      action_id: requireString(b, 'actionId'),
      block_id: requireString(b, 'blockId'),
      value: String(b.value ?? ''),
      ...where,
    };
    const res = await this.sender!.interaction(payload);
    if (res.status !== 200 || !res.json) return { ok: false, status: res.status, options: [] };
    const groups = (res.json.option_groups ?? []) as { options?: unknown[] }[];
    const options = [...((res.json.options ?? []) as unknown[]), ...groups.flatMap((g) => g.options ?? [])];
    return { ok: true, options };
  }

  /** Submit pressed: `{ user, viewId, values }` with values shaped as Slack's view.state.values. */
  async submitView(b: Json): Promise<Json> {
    const userId = requireString(b, 'user');
    const viewId = requireString(b, 'viewId');
    const payload = {
      ...this.interactionBase(userId),
      type: 'view_submission',
      trigger_id: this.newTrigger({ userId, channelId: userId }),
      view: this.viewPayload(userId, viewId, (b.values ?? {}) as Json),
      response_urls: [],
    };
    const res = await this.sender!.interaction(payload);
    if (res.status !== 200) return { ok: false, status: res.status, error: 'We had some trouble connecting. Try again?' };
    const answer = (res.json ?? {}) as { response_action?: string; errors?: Record<string, string>; view?: Json };
    const stack = this.modals.get(userId) ?? [];
    let result: string;
    switch (answer.response_action) {
      case 'errors':
        this.viewErrors.set(viewId, answer.errors ?? {});
        result = 'errors';
        break;
      case 'update': {
        const v = this.slack.views.get(viewId);
        if (v && answer.view) v.view = answer.view;
        this.viewErrors.delete(viewId);
        result = 'updated';
        break;
      }
      case 'push': {
        const id = `VCONSOLE${String(++this.viewSeq).padStart(4, '0')}`;
        this.slack.views.set(id, { id, userId, view: answer.view ?? {} });
        stack.push(id);
        this.modals.set(userId, stack);
        result = 'pushed';
        break;
      }
      case 'clear':
        this.modals.delete(userId);
        result = 'closed';
        break;
      default:
        this.viewErrors.delete(viewId);
        this.modals.set(userId, stack.filter((id) => id !== viewId));
        result = 'closed';
    }
    this.changed();
    return { ok: true, result, errors: answer.errors ?? {} };
  }

  /** Cancel or ×: the modal goes; the bot hears of it only when the view asked (notify_on_close). */
  async closeView(b: Json): Promise<Json> {
    const userId = requireString(b, 'user');
    const viewId = requireString(b, 'viewId');
    const stack = this.modals.get(userId) ?? [];
    this.modals.set(userId, stack.filter((id) => id !== viewId));
    this.viewErrors.delete(viewId);
    this.changed();
    if (this.slack.views.get(viewId)?.view.notify_on_close) {
      await this.sender!.interaction({ ...this.interactionBase(userId), type: 'view_closed', is_cleared: false, view: this.viewPayload(userId, viewId, {}) });
    }
    return { ok: true };
  }

  /** The App Home tab opened: Slack sends app_home_opened and the bot publishes the view. */
  async openHome(b: Json): Promise<Json> {
    const userId = requireString(b, 'user');
    const res = await this.sender!.event({ type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home', event_ts: (Date.now() / 1000).toFixed(6) });
    return { ok: res.status === 200, status: res.status };
  }

  /** A response_url the bot posted to (Bolt's respond(), or a fallback for private answers). */
  /** The message each response_url posted, by its key. */
  private readonly postedThrough = new Map<string, string>();

  private async responseUrl(key: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = this.responseUrls.get(key);
    const raw = (await readBody(req)).toString('utf8');
    if (!origin) return sendJson(res, 404, { ok: false, error: 'expired_url' });
    let body: ResponseBody;
    try {
      body = JSON.parse(raw) as ResponseBody;
    } catch {
      const payload = new URLSearchParams(raw).get('payload');
      body = payload ? (JSON.parse(payload) as ResponseBody) : { text: raw };
    }
    // A command's URL replaces what it posted before (the requester's note once the request is decided), as Slack's does.
    const posted = this.postedThrough.get(key);
    const ts = this.deliver(posted ? { ...origin, messageTs: origin.messageTs ?? posted } : origin, body);
    if (ts) this.postedThrough.set(key, ts);
    sendJson(res, 200, { ok: true });
  }

  /** Shows a response the way Slack does: ephemeral by default, in the channel, or replacing/deleting the original. */
  private deliver(to: Origin, body: ResponseBody): string | undefined {
    const yes = (v: unknown) => v === true || v === 'true';
    const original = to.messageTs ? this.slack.messages.find((m) => m.channel === to.channelId && m.ts === to.messageTs) : undefined;
    if (yes(body.delete_original) && original) {
      this.slack.messages.splice(this.slack.messages.indexOf(original), 1);
      this.changed();
      return;
    }
    if (yes(body.replace_original) && original) {
      original.text = body.text ?? original.text;
      if (body.blocks !== undefined) original.blocks = body.blocks;
      original.updates += 1;
      this.changed();
      return;
    }
    if (!body.text && !body.blocks?.length) return undefined;
    return this.slack.addMessage({
      channel: to.channelId,
      text: body.text ?? '',
      blocks: body.blocks,
      threadTs: body.thread_ts,
      ...(body.response_type === 'in_channel' ? {} : { ephemeralFor: to.userId }),
    }).ts;
  }

  private interactionBase(userId: string): Json {
    return {
      type: 'block_actions',
      team: { id: 'T0SANDBOX', domain: 'sandbox' },
      user: { id: userId, username: userId.toLowerCase(), name: this.userName(userId), team_id: 'T0SANDBOX' },
      api_app_id: 'A0SNAPBOT',
      token: 'legacy-verification-token-unused',
      is_enterprise_install: false,
      enterprise: null,
    };
  }

  /** The view as Slack sends it back in interactions: the bot's view plus id, hash and the user's input. */
  private viewPayload(userId: string, viewId: string, values: Json): Json {
    const open = this.slack.views.get(viewId);
    const home = viewId === `VHOME${userId}` ? this.slack.homes.get(userId) : undefined;
    const view = open?.view ?? home;
    if (!view) throw new HttpError(404, `no open view ${viewId}`);
    const stack = this.modals.get(userId) ?? [];
    return {
      type: 'modal',
      ...view,
      id: viewId,
      team_id: 'T0SANDBOX',
      app_id: 'A0SNAPBOT',
      bot_id: 'B0SNAPBOT',
      state: { values },
      hash: `${Date.now()}.sandbox`,
      root_view_id: stack[0] ?? viewId,
      previous_view_id: stack.length > 1 ? stack[stack.length - 2] : null,
    };
  }

  private userName(id: string): string {
    return this.opts.workspace.users.find((u) => u.id === id)?.name.toLowerCase() ?? id.toLowerCase();
  }

  private channelName(id: string): string {
    return this.opts.workspace.channels.find((c) => c.id === id)?.name ?? (id.startsWith('U') ? 'directmessage' : id);
  }
}

function messageJson(m: WorkspaceMessage): Json {
  return {
    channel: m.channel,
    ts: m.ts,
    text: m.text,
    blocks: m.blocks ?? null,
    threadTs: m.threadTs ?? null,
    ephemeral: Boolean(m.ephemeralFor),
    user: m.user ?? null,
    updates: m.updates,
    files: (m.files ?? []).map((f, i) => ({
      index: i,
      name: f.name,
      title: f.title ?? f.name,
      bytes: f.data?.length ?? Buffer.byteLength(f.content),
      image: f.name.endsWith('.png'),
      alt: f.altText ?? '',
      lines: f.name.endsWith('.png') ? 0 : f.content.split('\n').filter(Boolean).length,
    })),
  };
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.set(key, value);
  if (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value as string);
}

function requireString(b: Json, key: string): string {
  const v = b[key];
  if (typeof v !== 'string' || v === '') throw new HttpError(400, `"${key}" is required`);
  return v;
}


async function readJson(req: IncomingMessage): Promise<Json> {
  const raw = (await readBody(req)).toString('utf8');
  if (!raw) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Json;
  } catch {
    // fall through
  }
  throw new HttpError(400, 'the body must be a JSON object');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
