// Slack's side of Socket Mode for tests: a WebSocket server the bot's SocketModeClient is sent to by the fake Web
// API's apps.connections.open. It says hello, sends envelopes (slash commands, interactions) and collects the
// client's acks by envelope ID; it can drop the connection to see the client come back.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export class SocketSlack {
  private readonly server: WebSocketServer;
  private current?: WebSocket;
  readonly acks = new Map<string, Ack>();
  /** Connections opened so far (a reconnect makes it grow). */
  connections = 0;
  private waiters: (() => void)[] = [];

  private constructor(server: WebSocketServer) {
    this.server = server;
    server.on('connection', (ws) => {
      this.connections++;
      this.current = ws;
      ws.on('message', (data) => {
        const ack = JSON.parse(String(data)) as Ack;
        if (ack.envelope_id) this.acks.set(ack.envelope_id, ack);
        this.wake();
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'socket-slack-test' }, connection_info: { app_id: 'A0SNAPBOT' } }));
      this.wake();
    });
  }

  static async start(): Promise<SocketSlack> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    return new SocketSlack(server);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/link/?ticket=${randomUUID()}`;
  }

  /** Sends one envelope on the open connection; resolves with the client's ack. */
  async send(type: 'slash_commands' | 'interactive', payload: Record<string, unknown>, timeoutMs = 10_000): Promise<Ack> {
    await this.until(() => this.current?.readyState === 1, timeoutMs, 'an open socket');
    const envelope_id = randomUUID();
    this.current!.send(JSON.stringify({ envelope_id, type, payload, accepts_response_payload: type === 'slash_commands', retry_attempt: 0, retry_reason: '' }));
    return this.until(() => this.acks.get(envelope_id), timeoutMs, `the ack of ${type}`);
  }

  /** Drops the connection as a network blip would; the client should open a new one. */
  drop(): void {
    this.current?.terminate();
    this.current = undefined;
  }

  async until<T>(probe: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  async stop(): Promise<void> {
    for (const c of this.server.clients) c.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
