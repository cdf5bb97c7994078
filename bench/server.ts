// A server for the benchmarks, in its own process so that neither the load generator nor the sandbox services
// share its event loop: `bot` is the real snapbot (createSnapbot, as production composes it, configured from the
// environment); `bare` is a Bolt app with the same HTTPReceiver and signing secret whose only listener acks.
import type { Server } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import pino from 'pino';
import { createSnapbot } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { collectStartupGarbage, tuneRuntime } from '../src/runtime.js';
import type { StoreMetrics } from '../src/store/index.js';
import { BOT_TOKEN, FAKE_CREDENTIALS, SECRET } from './common.js';

type Started = { port: number; stop(): Promise<void>; metrics?: () => StoreMetrics };

async function startBot(): Promise<Started> {
  tuneRuntime(); // as src/main.ts does; the bare app keeps Node's defaults
  const config = loadConfig(process.env, 'production');
  const bot = await createSnapbot(config, { credentials: FAKE_CREDENTIALS, logger: pino({ level: 'silent' }), jobs: true });
  await bot.start();
  collectStartupGarbage();
  return { port: bot.port, stop: () => bot.stop(), metrics: () => bot.deps.store.metrics() };
}

async function startBare(): Promise<Started> {
  const receiver = new HTTPReceiver({ signingSecret: SECRET, endpoints: '/slack/events' });
  const app = new App({ receiver, authorize: async () => ({ botToken: BOT_TOKEN }), logLevel: LogLevel.ERROR });
  app.command(/.*/, async ({ ack }) => {
    await ack();
  });
  const server = (await app.start(0)) as Server;
  return { port: (server.address() as AddressInfo).port, stop: () => app.stop().then(() => undefined) };
}

async function main(): Promise<void> {
  // How long the event loop was blocked, sampled every 5 ms; read and reset by the ack bench around each round.
  const eld = monitorEventLoopDelay({ resolution: 5 });
  eld.enable();
  const kind = process.argv[2];
  const started = kind === 'bot' ? await startBot() : kind === 'bare' ? await startBare() : undefined;
  if (!started) throw new Error(`usage: server.ts bot|bare (got ${kind})`);
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'metrics') process.send!({ type: 'metrics', metrics: started.metrics?.() });
    if (m?.type === 'cpu') process.send!({ type: 'cpu', usage: process.cpuUsage() });
    if (m?.type === 'eld') {
      process.send!({ type: 'eld', maxMs: eld.max / 1e6, p99Ms: eld.percentile(99) / 1e6 });
      eld.reset();
    }
    if (m?.type === 'stop') void started.stop().finally(() => process.exit(0));
  });
  process.send!({ type: 'ready', port: started.port });
}

main().catch((err: Error) => {
  process.send?.({ error: err.stack ?? err.message });
  process.exit(1);
});
