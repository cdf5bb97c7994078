// What a load balancer and a monitoring system see: /healthz says how each dependency is doing and answers 503 only
// once the bot is stopping; METRICS_PORT moves /metrics off the port Slack's requests arrive on; HOST is honoured.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startTestBot } from '../support/bot.js';

describe('GET /healthz', () => {
  it('reports each dependency: ok while DynamoDB and Slack answer', async () => {
    const t = await startTestBot();
    try {
      const res = await fetch(`http://127.0.0.1:${t.bot.port}/healthz`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { ok: boolean; status: string; checks: Record<string, { ok: boolean }> };
      expect(body).toMatchObject({ ok: true, status: 'ok', checks: { dynamodb: { ok: true }, slack: { ok: true } } });
    } finally {
      await t.stop();
    }
  });

  it('says degraded, still 200, while DynamoDB is down, naming the check and no host or port', async () => {
    const t = await startTestBot({ env: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' } });
    try {
      const res = await fetch(`http://127.0.0.1:${t.bot.port}/healthz`);
      expect(res.status).toBe(200);
      const text = await res.text();
      const body = JSON.parse(text) as { status: string; checks: Record<string, { ok: boolean; error?: string }> };
      expect(body.status).toBe('degraded');
      expect(body.checks.dynamodb.ok).toBe(false);
      expect(body.checks.slack.ok).toBe(true);
      expect(body.checks.dynamodb.error).toBe('unreachable');
      expect(text).not.toMatch(/127\.0\.0\.1|localhost|http:|Error\b/);
    } finally {
      await t.stop();
    }
  }, 90_000);
});

describe('METRICS_PORT', () => {
  it('serves /metrics on its own port, and not beside Slack requests', async () => {
    const t = await startTestBot({ env: { METRICS_PORT: '0' } });
    try {
      expect(t.bot.metricsPort).toBeGreaterThan(0);
      const apart = await fetch(`http://127.0.0.1:${t.bot.metricsPort}/metrics`);
      expect(apart.status).toBe(200);
      expect(await apart.text()).toMatch(/snapbot_/);
      expect((await fetch(`http://127.0.0.1:${t.bot.port}/metrics`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${t.bot.metricsPort}/healthz`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${t.bot.port}/healthz`)).status).toBe(200);
    } finally {
      await t.stop();
    }
  });

  it('may not be PORT itself', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', APPROVAL_CHANNEL: 'C0APPROVALS', APPROVERS: 'U0A', PORT: '3000', METRICS_PORT: '3000' }, 'production')).toThrow(/METRICS_PORT="3000"/);
  });
});

describe('HOST', () => {
  it('is loopback in sandbox mode and every interface in production, unless set', () => {
    const prod = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', APPROVAL_CHANNEL: 'C0APPROVALS', APPROVERS: 'U0A' };
    expect(loadConfig({}, 'sandbox').host).toBe('127.0.0.1');
    expect(loadConfig(prod, 'production').host).toBe('0.0.0.0');
    expect(loadConfig({ ...prod, HOST: '127.0.0.1' }, 'production').host).toBe('127.0.0.1');
    expect(() => loadConfig({ ...prod, HOST: 'not an address!' }, 'production')).toThrow(/HOST/);
  });

  it('is where the bot listens', async () => {
    const t = await startTestBot({ env: { HOST: '127.0.0.1' } });
    try {
      expect((await fetch(`http://127.0.0.1:${t.bot.port}/healthz`)).status).toBe(200);
    } finally {
      await t.stop();
    }
  });
});
