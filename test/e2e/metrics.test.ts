// GET /metrics: Prometheus text with snapbot_* series after a command, a refusal, an approval and a digest;
// labels bounded (names, outcomes, codes — never a resource ID).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/ec2/index.js';
import { textOf } from '../../src/sandbox/slack/webapi.js';
import { CHANNEL, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ env: { BURST_LIMIT: '0', OPERATORS: REQUESTER } });
});
afterAll(async () => {
  await t?.stop();
});

const scrape = async () => {
  const res = await fetch(`http://127.0.0.1:${t.bot.port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
};

describe('GET /metrics', () => {
  it('counts decisions, refusals, AWS calls, acks and the digest, with bounded labels', async () => {
    await t.command('/snapshot', 'list');
    await t.slack.waitFor((m) => m.ephemeralFor === REQUESTER && /snapshots? in this account/.test(textOf(m)), 15_000);
    await t.command('/snapshot', `${DEMO.volumes.webRoot} from metrics`, { userId: 'U0NOTOPERATOR' });
    await t.slack.waitFor((m) => m.ephemeralFor === 'U0NOTOPERATOR' && /Only snapbot's operators/.test(textOf(m)), 15_000);
    await t.command('/snapshot', 'digest');
    await t.slack.waitFor((m) => m.channel === CHANNEL && /Cost-cleanup digest/.test(m.text), 30_000);
    const body = await scrape();
    expect(body).toMatch(/snapbot_decisions_total\{kind="command",name="snapshot.list",decision="allow"\} 1/);
    expect(body).toMatch(/snapbot_refusals_total\{rule="not-operator"\} 1/);
    expect(body).toMatch(/snapbot_aws_calls_total\{service="ec2",action="DescribeSnapshots"\} \d+/);
    expect(body).toMatch(/snapbot_ack_seconds_count [3-9]/);
    expect(body).toMatch(/snapbot_ack_seconds_bucket\{le="3"\} [3-9]/);
    expect(body).toMatch(/snapbot_digest_duration_seconds_count 1/);
    expect(body).toMatch(/snapbot_digest_findings\{section="backup_gaps"\} \d+/);
    expect(body).toMatch(/snapbot_operations_followed \d+/);
    expect(body).toMatch(/snapbot_process_cpu_seconds_total/);
    // No resource IDs in any label.
    expect(body).not.toMatch(/(vol|snap|ami|i)-[0-9a-f]{8,17}/);
  });

  it('counts AWS errors by code', async () => {
    t.ec2.injectErrors('InvalidParameterValue', 1, 'DescribeVolumes');
    await t.command('/restore', `${DEMO.snapshots.webRootDaily} --az us-east-1a`);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await scrape()).toMatch(/snapbot_aws_errors_total\{service="ec2",action="[A-Za-z]+",code="[A-Za-z.]+"\} \d+/);
  });
});
