// Composes everything: config → clients → stores → listeners → jobs. The only module that knows them all.
import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import type { AwsCredentialIdentity } from '@smithy/types';
import { AwsEstate } from './aws/estate.js';
import type { Instrumentable } from './aws/regional.js';
import { Metrics } from './metrics.js';
import type { Config } from './config.js';
import { ProgressTracker, operationLog } from './usecases/progress-tracker.js';
import { startJobs, type Jobs } from './jobs/index.js';
import { slackLogger } from './slack/logger.js';
import { SlackOut } from './slack/out.js';
import { VIEWS } from './slack/views/index.js';
import { register as registerActions } from './slack/listeners/actions/index.js';
import { register as registerCommands } from './slack/listeners/commands/index.js';
import { register as registerEvents } from './slack/listeners/events/index.js';
import { register as registerViews } from './slack/listeners/views/index.js';
import { register as registerReplayGuard } from './slack/listeners/replays.js';
import { createDocumentClient, createDynamoClient, createStore, ensureTable, type Store } from './store/index.js';
import type { Deps } from './usecases/context.js';
import { WorkQueue } from './work-queue.js';
import { Health } from './health.js';
import { createLogger } from './log.js';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** How far a signed request's timestamp may be from now, either way (Slack's own figure). */
const REQUEST_TIMESTAMP_TOLERANCE_S = 5 * 60;

/** Whether Slack's X-Slack-Request-Timestamp (Unix seconds) is within the tolerance of `nowMs`. */
export function freshTimestamp(header: string | string[] | undefined, nowMs: number): boolean {
  const ts = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(ts) && Math.abs(nowMs / 1000 - ts) <= REQUEST_TIMESTAMP_TOLERANCE_S;
}

/** How many acknowledged commands do their AWS and Slack work at once; the rest queue, in order. */
const BACKGROUND_CONCURRENCY = 8;
/** Queued work starts once no Slack request arrived for this long… */
const BACKGROUND_QUIET_MS = 5;
/** …or once it has waited this long, whatever the traffic. */
const BACKGROUND_MAX_DEFER_MS = 1_000;

export interface SnapbotOptions {
  logger?: Logger;
  now?: () => Date;
  /** Only the sandbox and tests pass these; production uses the SDK's default credential chain. */
  credentials?: AwsCredentialIdentity;
  /** Start the scheduler, expiry sweep and recovery (default true). */
  jobs?: boolean;
  /** How often a replica renews the lease on an approved action it runs, and when another may take it over. */
  lease?: { heartbeatMs: number; staleAfterMs: number };
}

/** A replica renews its lease on a running approved action this often… */
const LEASE_HEARTBEAT_MS = 10_000;
/** …and another takes it over only once the lease is this old (six missed renewals: a crash, not a slow call). */
const LEASE_STALE_MS = 60_000;

export interface Snapbot {
  deps: Deps;
  app: App;
  /** The port actually listened on (PORT=0 picks a free one). */
  port: number;
  /** Where /metrics is served when METRICS_PORT is set (0 picks a free one). */
  metricsPort?: number;
  /** Set once started with jobs. */
  jobs?: Jobs;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function createSnapbot(config: Config, opts: SnapbotOptions = {}): Promise<Snapbot> {
  const log = opts.logger ?? createLogger(config.logLevel, { app: 'snapbot' });
  const now = opts.now ?? (() => new Date());

  let tracking = () => 0;
  const metrics = new Metrics({ operations: () => tracking() });
  const instrument = (service: string) => (client: Instrumentable) =>
    client.middlewareStack.add(metrics.awsMiddleware(service) as never, { step: 'initialize', name: 'snapbotMetrics' });
  const estate = new AwsEstate({
    homeRegion: config.awsRegion,
    endpoints: config.endpoints,
    assumeRole: config.assumeRole,
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    instrument,
  });
  const { ec2, dlm, rbin, ebs, autoScaling, cloudTrail, identity } = estate.own;
  const dynamo = createDynamoClient({ region: config.awsRegion, endpoint: config.endpoints.dynamodb, credentials: opts.credentials });
  const store: Store = createStore({ client: createDocumentClient(dynamo), table: config.dynamodbTable, now });
  const out = new SlackOut(config.slack.botToken, config.slack.apiUrl, log);
  const tracker = new ProgressTracker({
    // Operations record the member account's ID; the account may have left ACCOUNTS since (then: its own clients).
    ec2For: (account) => estate.of(account === undefined ? undefined : (config.accounts.find((a) => a.id === account) ?? { id: account })).ec2,
    out,
    render: VIEWS.progressMessage,
    log: { warn: (m) => log.warn(m), info: (m) => log.info(m) },
    operations: operationLog(store.operations),
    pollSeconds: config.progress.pollSeconds,
    timeoutMinutes: config.progress.timeoutMinutes,
    now,
  });
  tracking = () => tracker.activeCount;

  let stopping = false;
  const work = new WorkQueue({
    concurrency: BACKGROUND_CONCURRENCY,
    quietMs: BACKGROUND_QUIET_MS,
    maxDeferMs: BACKGROUND_MAX_DEFER_MS,
    log,
  });
  const deps: Deps = {
    config,
    scope: { region: config.awsRegion },
    estate,
    ec2,
    dlm,
    rbin,
    ebs,
    autoScaling,
    cloudTrail,
    identity,
    out,
    views: VIEWS,
    tracker,
    store,
    log,
    metrics,
    now,
    replica: {
      id: `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`,
      heartbeatMs: opts.lease?.heartbeatMs ?? LEASE_HEARTBEAT_MS,
      staleAfterMs: opts.lease?.staleAfterMs ?? LEASE_STALE_MS,
    },
    background: (w) => work.background(w),
    detach: (w) => work.detach(w),
    stopping: () => stopping,
  };

  const health = new Health([
    { name: 'dynamodb', run: () => store.ping() },
    { name: 'slack', run: () => out.client.auth.test().then(() => undefined) },
  ]);
  // GET /metrics and GET /healthz, served beside POST /slack/events (HTTP), or on their own (Socket Mode). With
  // METRICS_PORT, /metrics is served on that port alone (src/app.ts `start`), never beside Slack's requests.
  const metricsRoute = {
    path: '/metrics',
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      metrics.registry.metrics().then(
        (body) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(body);
        },
        (err: Error) => {
          log.error({ err }, 'metrics could not be rendered');
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('metrics could not be rendered\n');
        },
      );
    },
  };
  const routes: { path: string; handler: (req: IncomingMessage, res: ServerResponse) => void }[] = [
    ...(config.metricsPort === undefined ? [metricsRoute] : []),
    {
      path: '/healthz',
      handler: (_req, res) => {
        const base = { mode: config.mode, transport: socketMode ? 'socket' : 'http', inFlight: work.size, tracking: tracker.activeCount };
        if (stopping) {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, status: 'stopping', ...base }));
          return;
        }
        void health.report().then((report) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: true, ...report, ...base }));
        });
      },
    },
  ];
  const socketMode = config.slack.appToken !== undefined;
  const receiver = socketMode
    ? new SocketModeReceiver({
        appToken: config.slack.appToken!,
        logger: slackLogger(log),
        // apps.connections.open goes where every other Web API call goes (SLACK_API_URL in tests and the sandbox).
        installerOptions: { clientOptions: config.slack.apiUrl ? { slackApiUrl: out.client.slackApiUrl } : {} },
      })
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret,
        endpoints: '/slack/events',
        logger: slackLogger(log),
        customRoutes: routes.map((r) => ({ path: r.path, method: ['GET'], handler: r.handler })),
      });
  const app = new App({
    receiver,
    // A single-workspace bot: the token is known, so no auth.test round trip is needed before the first ack.
    authorize: async () => ({ botToken: config.slack.botToken }),
    // Bolt's default conversation store looks every event's channel up in memory, and a miss (always, here:
    // snapbot keeps its state in DynamoDB) builds and rejects an Error — on the ack path of every request.
    convoStore: false,
    clientOptions: config.slack.apiUrl ? { slackApiUrl: out.client.slackApiUrl } : undefined,
    logger: slackLogger(log),
  });
  // Every Slack request marks the moment, so queued work can wait for a quiet one (src/work-queue.ts).
  app.use(async ({ next }) => {
    work.requestArrived();
    await next();
  });
  if (receiver instanceof SocketModeReceiver) {
    // Over the socket the ack is the envelope's answer: timed from the envelope's arrival (its type's event fires
    // before Bolt's handler) to the client sending that envelope's answer.
    const arrived = new Map<string, number>();
    for (const type of ['slash_commands', 'interactive', 'events_api']) {
      receiver.client.on(type, ({ envelope_id }: { envelope_id?: string }) => {
        if (envelope_id) arrived.set(envelope_id, performance.now());
      });
    }
    // Every ack goes through the client's send(envelope_id, body), private in its types: a library change that
    // moves it shows as test/e2e/socket-mode.test.ts's ack count staying 0, not as a broken bot.
    const socket = receiver.client as unknown as { send(id: string, body?: Record<string, unknown>): Promise<void> };
    const send = socket.send.bind(socket);
    socket.send = (id: string, body?: Record<string, unknown>) => {
      const started = arrived.get(id);
      if (started !== undefined) {
        arrived.delete(id);
        metrics.ackSeconds.observe((performance.now() - started) / 1000);
      }
      return send(id, body);
    };
  }
  if (receiver instanceof HTTPReceiver) {
    // The ack is the HTTP answer to Slack's POST: timed from the request's arrival to the answer's last byte.
    const listen = receiver.requestListener;
    receiver.requestListener = (req, res) => {
      if (req.method === 'POST' && req.url?.startsWith('/slack/events')) {
        // Slack's guidance: refuse a request whose timestamp is more than five minutes from now, either way. Bolt
        // refuses only old ones; a request dated ahead would stay replayable for as long as it is dated.
        if (!freshTimestamp(req.headers['x-slack-request-timestamp'], Date.now())) {
          log.warn({ timestamp: req.headers['x-slack-request-timestamp'] }, 'refused a Slack request dated more than 5 minutes from now');
          res.writeHead(401, { 'content-type': 'text/plain' });
          res.end('stale or future request timestamp\n');
          return;
        }
        const started = performance.now();
        res.once('finish', () => metrics.ackSeconds.observe((performance.now() - started) / 1000));
      }
      listen(req, res);
    };
  }
  app.error(async (err) => {
    log.error({ err }, 'unhandled error in a Slack listener');
  });

  registerReplayGuard(app, deps);
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerEvents(app, deps);

  let server: Server | undefined;
  let metricsServer: Server | undefined;
  const bot: Snapbot = {
    deps,
    app,
    port: config.port,
    async start() {
      // Bounded: without DynamoDB the bot still serves everything but approvals, which then say why they cannot.
      const tableReady = ensureTable(dynamo, config.dynamodbTable).then(
        () => undefined,
        (err: Error) => err.message,
      );
      const problem = await Promise.race([tableReady, new Promise<string>((r) => setTimeout(() => r('no answer within 15 s'), 15_000).unref())]);
      if (problem) log.warn(`DynamoDB table ${config.dynamodbTable} is not ready (${problem}); approvals will answer an error until it is`);
      if (config.access.operators === undefined) {
        log.warn(
          'OPERATORS is not set: every full member of the workspace may run the commands that change AWS (snapshot, copy, restore, create and launch AMIs, share, and ask for deletions); guests, outsiders and bots still may not. Set OPERATORS to user or user-group IDs to limit this.',
        );
      }
      if (socketMode) {
        // Socket Mode: Slack's requests come over the socket; PORT still serves /healthz and /metrics.
        const healthServer = createServer((req, res) => {
          const route = req.method === 'GET' ? routes.find((r) => r.path === (req.url ?? '').split('?')[0]) : undefined;
          if (route) route.handler(req, res);
          else {
            res.writeHead(404, { 'content-type': 'text/plain' });
            res.end('Socket Mode: Slack reaches snapbot over its socket; this port serves GET /healthz and GET /metrics.\n');
          }
        });
        await listenOn(healthServer, config.port, config.host);
        server = healthServer;
        await app.start();
      } else {
        server = (await app.start({ port: config.port, host: config.host })) as Server;
      }
      if (config.metricsPort !== undefined) {
        metricsServer = createServer((req, res) => {
          if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/metrics') metricsRoute.handler(req, res);
          else {
            res.writeHead(404, { 'content-type': 'text/plain' });
            res.end('this port serves GET /metrics only\n');
          }
        });
        await listenOn(metricsServer, config.metricsPort, config.host);
        bot.metricsPort = (metricsServer.address() as AddressInfo).port;
      }
      bot.port = (server.address() as AddressInfo).port;
      if (opts.jobs !== false) bot.jobs = startJobs(deps);
    },
    async stop() {
      stopping = true;
      bot.jobs?.stop();
      tracker.stop();
      // Let acked work finish (bounded), so a deploy never cuts an AWS call off halfway.
      await work.drain(25_000);
      await app.stop().catch(() => undefined);
      if (socketMode) await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
      await new Promise<void>((resolve) => metricsServer?.close(() => resolve()) ?? resolve());
      estate.destroy();
      dynamo.destroy();
    },
  };
  return bot;
}
