// A Slack Web API stand-in: the methods snapbot calls, over HTTP, recording everything. The sandbox console shows
// what it holds; end-to-end tests assert on it. Set SLACK_API_URL to `${url}/api/`.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
}

export interface WorkspaceMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
  /** Set for ephemeral messages: only this user sees it. */
  ephemeralFor?: string;
  /** How many times chat.update changed it. */
  updates: number;
  files?: UploadedFile[];
  /** Set when a person wrote it (the sandbox console's composer); otherwise the bot posted it. */
  user?: string;
}

/** A file the bot uploaded (files.uploadV2): its bytes, and as text for the CSVs. */
export interface UploadedFile {
  name: string;
  title?: string;
  /** The bytes as UTF-8 text (what a CSV is). */
  content: string;
  data: Buffer;
  altText?: string;
}

export interface OpenView {
  id: string;
  userId?: string;
  view: Record<string, unknown>;
}

export interface FakeSlackOptions {
  port?: number;
  host?: string;
  botUserId?: string;
}

/** Injected failure for the next calls of a method: a Slack error code, or HTTP 429 with Retry-After. */
type Fault = { method: string; remaining: number } & ({ error: string } | { rateLimitSeconds: number });

export class FakeSlack extends EventEmitter {
  readonly calls: RecordedCall[] = [];
  readonly messages: WorkspaceMessage[] = [];
  readonly views = new Map<string, OpenView>();
  readonly homes = new Map<string, Record<string, unknown>>();
  /** User-group ID → members, for usergroups.users.list. */
  readonly userGroups = new Map<string, string[]>();
  /**
   * User ID → what users.info adds to a plain full member (is_restricted for a guest, is_stranger or another
   * team_id for Slack Connect, deleted, is_bot). Anyone not listed is a full member of T0SANDBOX.
   */
  readonly users = new Map<string, Record<string, unknown>>();
  /** Where apps.connections.open sends a Socket Mode client (a test's WebSocket stand-in); unset: not allowed. */
  socketUrl?: () => string;
  private readonly faults: Fault[] = [];
  private readonly uploads = new Map<string, UploadedFile>();
  private seq = 0;
  private server?: Server;
  url = '';
  readonly botUserId: string;

  constructor(private readonly opts: FakeSlackOptions = {}) {
    super();
    this.botUserId = opts.botUserId ?? 'U0SNAPBOT';
  }

  /** The value for SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  failNext(method: string, error: string, count = 1): void {
    this.faults.push({ method, remaining: count, error });
  }

  rateLimitNext(method: string, retryAfterSeconds: number, count = 1): void {
    this.faults.push({ method, remaining: count, rateLimitSeconds: retryAfterSeconds });
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages visible in a channel (or DM, by user ID), oldest first, ephemeral ones included and marked. */
  channel(id: string): WorkspaceMessage[] {
    return this.messages.filter((m) => m.channel === id);
  }

  find(pred: (m: WorkspaceMessage) => boolean): WorkspaceMessage | undefined {
    return this.messages.find(pred);
  }

  /** Resolves with the first message that satisfies `pred`, checking on every change (tests). */
  waitFor(pred: (m: WorkspaceMessage) => boolean, timeoutMs = 20_000, what = 'a matching Slack message'): Promise<WorkspaceMessage> {
    return this.waitUntil(() => this.messages.find(pred), timeoutMs, what);
  }

  waitUntil<T>(probe: () => T | undefined, timeoutMs = 20_000, what = 'a condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = probe();
        if (hit !== undefined && hit !== false) {
          cleanup();
          resolve(hit);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; messages so far:\n${this.dump()}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('change', check);
      };
      this.on('change', check);
      check();
    });
  }

  /** Everything posted, as text, for failure messages. */
  dump(): string {
    return this.messages
      .map((m) => `[${m.channel}${m.ephemeralFor ? ` ephemeral→${m.ephemeralFor}` : ''}${m.threadTs ? ` thread ${m.threadTs}` : ''} ${m.ts}] ${textOf(m)}`)
      .join('\n');
  }

  /**
   * Records a message that did not come through the Web API: what a person typed in the sandbox console, or the
   * answer Slack itself shows (a slash command's ack text). Emits 'change' like any call.
   */
  addMessage(m: { channel: string; text: string; blocks?: unknown[]; user?: string; threadTs?: string; ephemeralFor?: string }): WorkspaceMessage {
    const msg: WorkspaceMessage = {
      channel: m.channel,
      ts: this.nextTs(),
      text: m.text,
      blocks: m.blocks,
      threadTs: m.threadTs,
      ephemeralFor: m.ephemeralFor,
      user: m.user,
      updates: 0,
    };
    this.messages.push(msg);
    this.emit('change', 'console.message');
    return msg;
  }

  /** Message posted through each response_url, so a later replace_original finds it (as Slack does). */
  private readonly responded = new Map<string, string>();

  /**
   * A POST to a response_url: a command's (commands/<trigger>) or a click's (actions/<message ts>), with the user and
   * channel the test sender put in its query. Ephemeral unless in_channel; replace_original and delete_original act on
   * the message clicked, or on the one this URL posted before.
   */
  private respond(key: string, q: URLSearchParams, raw: Buffer): void {
    let body: { text?: string; blocks?: unknown[]; response_type?: string; replace_original?: unknown; delete_original?: unknown; thread_ts?: string };
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return;
    }
    const yes = (v: unknown) => v === true || v === 'true';
    const ts = key.startsWith('actions/') ? key.slice('actions/'.length) : this.responded.get(key);
    const channel = q.get('channel') ?? '';
    const original = ts ? this.messages.find((m) => m.ts === ts && (!channel || m.channel === channel)) : undefined;
    if (yes(body.delete_original) && original) {
      this.messages.splice(this.messages.indexOf(original), 1);
      this.emit('change', 'response.delete');
      return;
    }
    if (yes(body.replace_original) && original) {
      original.text = body.text ?? original.text;
      if (body.blocks !== undefined) original.blocks = body.blocks;
      original.updates += 1;
      this.emit('change', 'response.replace');
      return;
    }
    if (!body.text && !body.blocks?.length) return;
    const m = this.addMessage({
      channel,
      text: body.text ?? '',
      blocks: body.blocks,
      threadTs: body.thread_ts,
      ...(body.response_type === 'in_channel' ? {} : { ephemeralFor: q.get('user') ?? undefined }),
    });
    this.responded.set(key, m.ts);
  }

  private nextTs(): string {
    this.seq += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const raw = await readBody(req);
    if (url.pathname.startsWith('/response/')) {
      this.respond(url.pathname.slice('/response/'.length), url.searchParams, raw);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (url.pathname.startsWith('/upload/')) {
      const id = url.pathname.slice('/upload/'.length);
      const u = this.uploads.get(id);
      if (u) {
        u.data = uploadedFile(req.headers['content-type'] ?? '', raw);
        u.content = u.data.toString('utf8');
      }
      res.writeHead(200).end('OK');
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const args = parseArgs(req.headers['content-type'] ?? '', raw);
    this.calls.push({ method, args, at: Date.now() });
    const faultIndex = this.faults.findIndex((f) => f.method === method && f.remaining > 0);
    if (faultIndex >= 0) {
      const f = this.faults[faultIndex];
      f.remaining -= 1;
      if (f.remaining <= 0) this.faults.splice(faultIndex, 1);
      if ('rateLimitSeconds' in f) {
        res.writeHead(429, { 'retry-after': String(f.rateLimitSeconds), 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      return json(res, { ok: false, error: f.error });
    }
    const answer = this.answer(method, args);
    json(res, answer);
    this.emit('change', method);
  }

  private answer(method: string, a: Record<string, unknown>): Record<string, unknown> {
    const str = (k: string) => (a[k] === undefined ? undefined : String(a[k]));
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: this.botUserId, bot_id: 'B0SNAPBOT', team_id: 'T0SANDBOX', user: 'snapbot' };
      case 'apps.connections.open':
        return this.socketUrl ? { ok: true, url: this.socketUrl() } : { ok: false, error: 'not_allowed_token_type' };
      case 'chat.postMessage': {
        const channel = str('channel') ?? '';
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const m: WorkspaceMessage = { channel, ts: this.nextTs(), text: str('text') ?? '', blocks: jsonArray(a.blocks), threadTs: str('thread_ts'), updates: 0 };
        this.messages.push(m);
        return { ok: true, channel, ts: m.ts, message: { text: m.text, ts: m.ts, blocks: m.blocks } };
      }
      case 'chat.postEphemeral': {
        const channel = str('channel') ?? '';
        const m: WorkspaceMessage = { channel, ts: this.nextTs(), text: str('text') ?? '', blocks: jsonArray(a.blocks), ephemeralFor: str('user'), updates: 0 };
        this.messages.push(m);
        return { ok: true, message_ts: m.ts };
      }
      case 'chat.update': {
        const m = this.messages.find((x) => x.channel === str('channel') && x.ts === str('ts'));
        if (!m) return { ok: false, error: 'message_not_found' };
        m.text = str('text') ?? m.text;
        if (a.blocks !== undefined) m.blocks = jsonArray(a.blocks);
        m.updates += 1;
        return { ok: true, channel: m.channel, ts: m.ts, text: m.text };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: str('users') ?? '' } };
      case 'views.open':
      case 'views.push': {
        const id = `V${String(++this.seq).padStart(8, '0')}`;
        const view = jsonObject(a.view);
        this.views.set(id, { id, view });
        return { ok: true, view: { ...view, id } };
      }
      case 'views.update': {
        const id = str('view_id') ?? '';
        const existing = this.views.get(id);
        if (!existing) return { ok: false, error: 'not_found' };
        existing.view = jsonObject(a.view);
        return { ok: true, view: { ...existing.view, id } };
      }
      case 'views.publish':
        this.homes.set(str('user_id') ?? '', jsonObject(a.view));
        return { ok: true, view: { id: `VHOME${str('user_id')}` } };
      case 'usergroups.users.list':
        return { ok: true, users: this.userGroups.get(str('usergroup') ?? '') ?? [] };
      case 'users.info': {
        const id = str('user') ?? '';
        return { ok: true, user: { id, team_id: 'T0SANDBOX', name: id.toLowerCase(), real_name: id, tz: 'UTC', deleted: false, is_bot: false, is_restricted: false, is_ultra_restricted: false, ...this.users.get(id) } };
      }
      case 'files.getUploadURLExternal': {
        const id = `F${String(++this.seq).padStart(8, '0')}`;
        const alt = str('alt_text') ?? str('alt_txt');
        this.uploads.set(id, { name: str('filename') ?? 'file', content: '', data: Buffer.alloc(0), ...(alt ? { altText: alt } : {}) });
        return { ok: true, file_id: id, upload_url: `${this.url}/upload/${id}` };
      }
      case 'files.completeUploadExternal': {
        const files = jsonArray(a.files) as { id: string; title?: string }[];
        const channel = str('channel_id') ?? '';
        const attached = files.map((f) => ({ ...(this.uploads.get(f.id) ?? { name: f.id, content: '', data: Buffer.alloc(0) }), title: f.title }));
        const m: WorkspaceMessage = { channel, ts: this.nextTs(), text: str('initial_comment') ?? '', threadTs: str('thread_ts'), updates: 0, files: attached };
        this.messages.push(m);
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

/** All the text a message shows: its fallback text and every text in its blocks, for assertions and dumps. */
export function textOf(m: { text: string; blocks?: unknown[] }): string {
  const parts: string[] = [m.text];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) {
        if (k === 'text' && typeof v === 'string') parts.push(v);
        else walk(v);
      }
    }
  };
  walk(m.blocks);
  return parts.join('\n');
}

/** Buttons in a message: text, action_id, value — what a person could click. */
export function buttonsOf(m: { blocks?: unknown[] }): { text: string; actionId: string; value?: string; blockId?: string }[] {
  const out: { text: string; actionId: string; value?: string; blockId?: string }[] = [];
  for (const b of (m.blocks ?? []) as { type: string; block_id?: string; elements?: unknown[]; accessory?: unknown }[]) {
    const els = [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])] as { type: string; text?: { text: string }; action_id: string; value?: string }[];
    for (const e of els) if (e.type === 'button') out.push({ text: e.text?.text ?? '', actionId: e.action_id, value: e.value, blockId: b.block_id });
  }
  return out;
}

/** The file in an upload: the first part of a multipart/form-data body, or the body itself. */
function uploadedFile(contentType: string, raw: Buffer): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!contentType.startsWith('multipart/') || !boundary) return raw;
  // The first part's body, as bytes (a PNG is not text).
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const start = raw.indexOf(delimiter);
  const next = raw.indexOf(delimiter, start + delimiter.length);
  const part = raw.subarray(start + delimiter.length, next < 0 ? raw.length : next);
  const bodyStart = part.indexOf('\r\n\r\n');
  if (bodyStart < 0) return Buffer.alloc(0);
  const body = part.subarray(bodyStart + 4);
  return body.subarray(0, body.length >= 2 && body.subarray(-2).toString() === '\r\n' ? body.length - 2 : body.length);
}

/** The whole request body (the sandbox's servers read small bodies whole). */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseArgs(contentType: string, raw: Buffer): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (contentType.includes('application/json')) {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function jsonArray(v: unknown): unknown[] | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v;
  try {
    const parsed = JSON.parse(String(v));
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function jsonObject(v: unknown): Record<string, unknown> {
  if (v && typeof v === 'object') return v as Record<string, unknown>;
  try {
    return JSON.parse(String(v)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
