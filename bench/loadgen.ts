// The ack benchmark's client, in its own process: signed slash commands, as Slack sends them, at a fixed
// concurrency over keep-alive connections; answers the latency of every request (ms) and its status.
import { Agent, request } from 'node:http';
import { SlackSender, sign } from '../src/sandbox/slack/requests.js';
import { SECRET } from './common.js';

export interface LoadRun {
  type: 'run';
  url: string;
  n: number;
  concurrency: number;
  command: string;
  text: string;
  userId: string;
  channelId: string;
  responseUrlBase?: string;
}

export interface LoadResult {
  type: 'done';
  latenciesMs: number[];
  statuses: Record<string, number>;
  wallMs: number;
}


function post(url: URL, agent: Agent, body: string, signature: string, ts: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': signature,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(-1));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(-1));
    req.end(body);
  });
}

async function run(r: LoadRun): Promise<LoadResult> {
  const url = new URL(r.url);
  // Connections are kept alive within a run, never across runs: a server closes idle ones (keepAliveTimeout)
  // while the other server is measured, and reusing one just as it closes would count as an error.
  const agent = new Agent({ keepAlive: true, maxSockets: r.concurrency });
  // Every command has its own trigger_id, as Slack sends them: the bot drops a repeated one as a replay.
  const sender = new SlackSender(r.url, SECRET, r.responseUrlBase);
  const ts = Math.floor(Date.now() / 1000);
  const signed = Array.from({ length: r.n }, () => {
    const body = sender.commandBody({ command: r.command, text: r.text, userId: r.userId, channelId: r.channelId });
    return { body, signature: sign(SECRET, ts, body) };
  });
  const latenciesMs: number[] = new Array(r.n);
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < signed.length) {
      const i = next++;
      const t0 = performance.now();
      const status = await post(url, agent, signed[i].body, signed[i].signature, ts);
      latenciesMs[i] = performance.now() - t0;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(r.concurrency, r.n) }, worker));
  agent.destroy();
  return { type: 'done', latenciesMs, statuses, wallMs: performance.now() - started };
}

process.on('message', (m: LoadRun | { type: 'stop' }) => {
  if (m.type === 'stop') process.exit(0);
  if (m.type === 'run') {
    run(m).then(
      (res) => process.send!(res),
      (err: Error) => process.send!({ error: err.stack ?? err.message }),
    );
  }
});
process.send!({ type: 'ready' });
