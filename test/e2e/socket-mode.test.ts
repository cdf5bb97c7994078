// Socket Mode end to end: with SLACK_APP_TOKEN the bot asks the (fake) Web API for a socket, Slack's stand-in sends
// slash commands and clicks as envelopes, the bot acks each by envelope ID and answers as it does over HTTP; a
// dropped connection is opened again; PORT still serves /healthz and /metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, textOf } from '../../src/sandbox/slack/webapi.js';
import { CHANNEL, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';
import { SocketSlack } from '../support/socket-slack.js';

let slack: FakeSlack;
let socket: SocketSlack;
let t: TestBot;

beforeAll(async () => {
  slack = await new FakeSlack().start();
  socket = await SocketSlack.start();
  slack.socketUrl = () => socket.url;
  t = await startTestBot({ sharedSlack: slack, env: { SLACK_APP_TOKEN: 'xapp-1-A0SNAPBOT-test', BURST_LIMIT: '0' } });
  await socket.until(() => socket.connections > 0, 10_000, 'the bot to connect');
});
afterAll(async () => {
  await t?.stop();
  await socket?.stop();
  await slack?.stop();
});

const command = (text: string, trigger = `${Date.now()}.${Math.random().toString(16).slice(2)}`) =>
  socket.send('slash_commands', {
    token: 'unused',
    team_id: 'T0SANDBOX',
    team_domain: 'sandbox',
    channel_id: CHANNEL,
    channel_name: 'devops',
    user_id: REQUESTER,
    user_name: 'requester',
    command: '/snapshot',
    text,
    api_app_id: 'A0SNAPBOT',
    response_url: `${slack.url}/response/commands/${trigger}`,
    trigger_id: trigger,
  });

describe('Socket Mode', () => {
  it('opens the socket through apps.connections.open with the app token, and serves /healthz and /metrics on PORT', async () => {
    expect(slack.callsOf('apps.connections.open').length).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${t.bot.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, transport: 'socket' });
    expect(await (await fetch(`http://127.0.0.1:${t.bot.port}/metrics`)).text()).toMatch(/snapbot_process_cpu_seconds_total/);
    await command('help');
    expect(await (await fetch(`http://127.0.0.1:${t.bot.port}/metrics`)).text()).toMatch(/snapbot_ack_seconds_count [1-9]/);
    expect((await fetch(`http://127.0.0.1:${t.bot.port}/slack/events`, { method: 'POST' })).status).toBe(404);
  });

  it('acks a slash command by its envelope, with the same answer as over HTTP', async () => {
    const ack = await command('help');
    expect(String(ack.payload?.text)).toContain('/snapshot schedule');
    const bad = await command('frobnicate');
    expect(String(bad.payload?.text)).toContain('unknown subcommand');
  });

  it('runs work after the ack and answers privately', async () => {
    const ack = await command('list');
    expect(ack.payload ?? {}).not.toHaveProperty('text');
    await slack.waitFor((m) => m.ephemeralFor === REQUESTER && /snapshots? in this account/.test(textOf(m)), 15_000, 'the list');
  });

  it('acks a button click, and answers the clicker', async () => {
    const ack = await socket.send('interactive', {
      type: 'block_actions',
      team: { id: 'T0SANDBOX', domain: 'sandbox' },
      user: { id: REQUESTER, username: 'requester', team_id: 'T0SANDBOX' },
      api_app_id: 'A0SNAPBOT',
      token: 'unused',
      container: { type: 'message', message_ts: '1.0001', channel_id: CHANNEL, is_ephemeral: false },
      trigger_id: `${Date.now()}.click`,
      channel: { id: CHANNEL, name: 'devops' },
      message: { type: 'message', ts: '1.0001', text: '' },
      response_url: `${slack.url}/response/actions/1.0001`,
      actions: [{ type: 'button', action_id: 'digest_snooze', block_id: 'b', text: { type: 'plain_text', text: 'Snooze 30 days' }, value: 'not ours', action_ts: '1.0002' }],
    });
    expect(ack.envelope_id).toBeTruthy();
    await slack.waitFor((m) => m.ephemeralFor === REQUESTER && /unknown digest/.test(textOf(m)), 15_000, 'the answer to the click');
  });

  it('opens a new socket after the connection drops, and goes on answering; a redelivered command runs once', async () => {
    const before = socket.connections;
    socket.drop();
    await socket.until(() => socket.connections > before, 20_000, 'the bot to reconnect');
    const trigger = `${Date.now()}.again`;
    const ack = await command('help', trigger);
    expect(String(ack.payload?.text)).toContain('/snapshot');
    // The same command delivered twice (a retry across the reconnect) runs once.
    const lists = () => slack.messages.filter((m) => m.ephemeralFor === REQUESTER && /snapshots? in this account/.test(textOf(m))).length;
    const n = lists();
    const retried = `${Date.now()}.retried`;
    await command('list', retried);
    await command('list', retried);
    await slack.waitUntil(() => lists() > n || undefined, 15_000, 'the list');
    await new Promise((r) => setTimeout(r, 800));
    expect(lists()).toBe(n + 1);
  });
});
