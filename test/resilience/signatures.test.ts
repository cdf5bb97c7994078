// Only Slack can drive the bot: an interaction (an approval click) that was forged, is stale, or was changed after
// Slack signed it is refused with 401 before anything is read or decided; an exact replay decides nothing twice.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/ec2/index.js';
import { sign } from '../../src/sandbox/slack/requests.js';
import { buttonsOf, textOf, type WorkspaceMessage } from '../../src/sandbox/slack/webapi.js';
import { APPROVAL_CHANNEL, APPROVER, APPROVER_2, OUTSIDER, SECRET, startTestBot, type TestBot } from '../support/bot.js';

let t: TestBot;
let request: WorkspaceMessage;
let requestId: string;
const snap = DEMO.snapshots.webRootBeforeUpgrade;

beforeAll(async () => {
  t = await startTestBot();
  await t.command('/share', `${snap} public --reason "signature tests"`);
  request = await t.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && textOf(m).includes(snap) && buttonsOf(m).length === 2, 20_000, 'the approval request');
  requestId = buttonsOf(request).find((b) => b.text === 'Approve')!.value!;
});
afterAll(async () => {
  await t?.stop();
});

/** The body Slack posts when `userId` clicks Approve on the request (as SlackSender.click builds it). */
function approveBody(userId: string, id = requestId): string {
  const payload = {
    type: 'block_actions',
    team: { id: 'T0SANDBOX', domain: 'sandbox' },
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: 'T0SANDBOX' },
    api_app_id: 'A0SNAPBOT',
    token: 'legacy-verification-token-unused',
    container: { type: 'message', message_ts: request.ts, channel_id: request.channel, is_ephemeral: false },
    trigger_id: `${Date.now()}.${randomBytes(6).toString('hex')}`,
    channel: { id: request.channel, name: request.channel },
    message: { type: 'message', ts: request.ts, text: '' },
    response_url: `${t.slack.url}/response/actions/${request.ts}`,
    actions: [
      {
        type: 'button',
        action_id: 'approval_approve',
        block_id: `approval:${id}`,
        text: { type: 'plain_text', text: 'Approve' },
        value: id,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

async function raw(body: string, headers: { timestamp: number; signature: string }) {
  const res = await fetch(`http://127.0.0.1:${t.bot.port}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(headers.timestamp),
      'x-slack-signature': headers.signature,
    },
    body,
  });
  await res.text();
  return res.status;
}

const now = () => Math.floor(Date.now() / 1000);
const shares = () => t.ec2.calls.filter((c) => c.action === 'ModifySnapshotAttribute' && c.params.SnapshotId === snap).length;
const stillPending = async () => (await t.bot.deps.store.approvals.get(requestId))?.status;

describe('signed interactions', () => {
  it('refuses an approval click whose body was changed after signing (outsider → approver) and decides nothing', async () => {
    const slackBefore = t.slack.calls.length;
    const signedBody = approveBody(OUTSIDER);
    const ts = now();
    const tampered = signedBody.replace(encodeURIComponent(`"id":"${OUTSIDER}"`), encodeURIComponent(`"id":"${APPROVER}"`));
    expect(tampered).not.toBe(signedBody);
    expect(tampered).toContain(encodeURIComponent(APPROVER));
    expect(await raw(tampered, { timestamp: ts, signature: sign(SECRET, ts, signedBody) })).toBe(401);

    // The same signature with the body as signed is accepted, so the 401 above was the change alone.
    expect(await raw(signedBody, { timestamp: ts, signature: sign(SECRET, ts, signedBody) })).toBe(200);
    await t.slack.waitFor((m) => m.ephemeralFor === OUTSIDER && /Only the approvers/.test(textOf(m)), 10_000, 'the outsider refused');
    await new Promise((r) => setTimeout(r, 300));
    expect(await stillPending()).toBe('pending');
    expect(shares()).toBe(0);
    expect(t.slack.calls.slice(slackBefore).filter((c) => c.args.user === APPROVER)).toEqual([]);
  });

  it('refuses a click pointed at another request after signing', async () => {
    const ts = now();
    const signedBody = approveBody(APPROVER, 'req-that-was-signed');
    const tampered = approveBody(APPROVER);
    expect(await raw(tampered, { timestamp: ts, signature: sign(SECRET, ts, signedBody) })).toBe(401);
    expect(await stillPending()).toBe('pending');
  });

  it('refuses a forged click (wrong secret), a stale one (6 minutes old) and an old signature under a new timestamp', async () => {
    const body = approveBody(APPROVER);
    const ts = now();
    expect(await raw(body, { timestamp: ts, signature: sign('not-the-signing-secret', ts, body) })).toBe(401);
    expect(await raw(body, { timestamp: ts - 360, signature: sign(SECRET, ts - 360, body) })).toBe(401);
    expect(await raw(body, { timestamp: ts, signature: sign(SECRET, ts - 360, body) })).toBe(401);
    expect(await raw(body, { timestamp: ts, signature: 'v0=' })).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(await stillPending()).toBe('pending');
    expect(shares()).toBe(0);
  });

  it('an exact replay of a genuine approval within the window decides nothing twice', async () => {
    const body = approveBody(APPROVER);
    const ts = now();
    const signature = sign(SECRET, ts, body);
    expect(await raw(body, { timestamp: ts, signature })).toBe(200);
    await t.slack.waitFor((m) => m === request && /now public/.test(textOf(m)), 15_000, 'the approved outcome');
    expect(await raw(body, { timestamp: ts, signature })).toBe(200);
    const other = approveBody(APPROVER_2);
    expect(await raw(other, { timestamp: ts, signature: sign(SECRET, ts, other) })).toBe(200);
    await t.slack.waitFor((m) => m.ephemeralFor === APPROVER_2 && /Already decided by <@U0[A-Z0-9]+>: approved/.test(textOf(m)), 10_000, 'already decided');
    await t.slack.waitFor((m) => m.ephemeralFor === APPROVER && /Already decided by <@U0[A-Z0-9]+>: approved/.test(textOf(m)), 10_000, 'the replay told it is already decided');
    expect(shares()).toBe(1);
    expect(await stillPending()).toBe('done');
  });
});
