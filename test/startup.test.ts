// `npm start` as a process: configuration errors stop it before it listens; production mode serves /healthz.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FakeSlack } from '../src/sandbox/slack/webapi.js';
import { dynamoEndpoint } from './support/dynamodb.js';

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

/**
 * A port below Linux's ephemeral range (32768 and up, which outgoing connections of other tests take) that is free
 * now: a random one could be taken by then and fail the start with EADDRINUSE.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer().once('error', () => resolve(false));
      server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

describe('start-up', () => {
  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /SLACK_SIGNING_SECRET is missing/],
    [{ SLACK_SIGNING_SECRET: 's' }, /SLACK_BOT_TOKEN is missing/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', APPROVAL_CHANNEL: 'C0123ABCD', APPROVERS: 'U0123ABCD', PORT: 'http' }, /PORT="http" is not valid/],
  ])('exits non-zero before listening, naming the variable (%o)', async (env, message) => {
    const p = start(env);
    expect(await p.exited).not.toBe(0);
    expect(p.output()).toMatch(message);
  });

  it('with Slack credentials serves /healthz and stops cleanly on SIGTERM', async () => {
    const slack = await new FakeSlack().start();
    const port = await freePort();
    const p = start({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      SLACK_API_URL: slack.apiUrl,
      APPROVAL_CHANNEL: 'C0123ABCD',
      APPROVERS: 'U0123ABCD',
      PORT: String(port),
      AWS_ENDPOINT_URL_EC2: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint(),
      DYNAMODB_TABLE: `startup-${port}`,
    });
    try {
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
        if (status !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(status, p.output()).toBe(200);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
      await slack.stop();
    }
  });
});
