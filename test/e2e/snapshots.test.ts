// /snapshot end to end: signed requests in, what the bot posted to Slack and did in EC2 out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/ec2/index.js';
import { textOf } from '../../src/sandbox/slack/webapi.js';
import { CHANNEL, REQUESTER, SECRET, ec2Actions, startTestBot, type TestBot } from '../support/bot.js';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot();
});
afterAll(async () => {
  await t?.stop();
});

describe('/snapshot vol-…', () => {
  it('acks at once, posts who asked for what, and follows the snapshot to completed', async () => {
    const vol = DEMO.volumes.webRoot;
    const res = await t.command('/snapshot', `${vol} before the 14.2 upgrade`);
    expect(res.status).toBe(200);

    const done = await t.slack.waitFor((m) => m.channel === CHANNEL && /completed/.test(textOf(m)) && textOf(m).includes(vol), 20_000, 'the completed snapshot');
    const text = textOf(done);
    expect(text).toContain(`<@${REQUESTER}>`);
    expect(text).toMatch(/snap-[0-9a-f]{17}/);
    expect(text).toContain('/restore snap-');
    expect(done.updates).toBeGreaterThan(0);

    const snapId = text.match(/snap-[0-9a-f]{17}/)![0];
    const snap = t.ec2.state.getSnapshot('us-east-1', snapId)!;
    expect(snap).toBeDefined();
    expect(snap.tags).toMatchObject({ 'snapbot:requested-by': REQUESTER, 'snapbot:channel': CHANNEL });
    expect(snap.tags['snapbot:request']).toBeTruthy();
    expect(snap.description).toBe('before the 14.2 upgrade');
    // The person's own words show on the message and in the list.
    expect(text).toContain('before the 14.2 upgrade');
    await t.command('/snapshot', `list ${vol}`);
    const list = await t.slack.waitFor((m) => m.ephemeralFor === REQUESTER && textOf(m).includes(snapId) && /newest first/.test(textOf(m)), 15_000, 'the list');
    expect(textOf(list)).toContain('“before the 14.2 upgrade”');
  });

  it('shows a progress bar while the snapshot is pending', async () => {
    const slow = await startTestBot({ ec2: { seed: 'demo', snapshotSeconds: 3 } });
    try {
      await slow.command('/snapshot', DEMO.volumes.dbData);
      const m = await slow.slack.waitFor((x) => /█|░/.test(textOf(x)), 15_000, 'a progress bar');
      expect(textOf(m)).toMatch(/\d+%/);
      await slow.slack.waitFor((x) => x === m && /completed/.test(textOf(x)), 20_000, 'completion of the same message');
    } finally {
      await slow.stop();
    }
  });

  it('replaces the bar with the AWS reason when the volume does not exist', async () => {
    const missing = 'vol-0123456789abcdef0';
    await t.command('/snapshot', missing);
    const m = await t.slack.waitFor((x) => textOf(x).includes(missing) && /failed/.test(textOf(x)), 15_000, 'the failure');
    expect(textOf(m)).toMatch(/does not exist in us-east-1/);
  });

  it('names the missing IAM action when EC2 says not permitted', async () => {
    t.ec2.deny.add('CreateSnapshot');
    try {
      await t.command('/snapshot', DEMO.volumes.webData);
      const m = await t.slack.waitFor((x) => /failed/.test(textOf(x)) && textOf(x).includes(DEMO.volumes.webData), 15_000, 'the failure');
      expect(textOf(m)).toContain('ec2:CreateSnapshot');
    } finally {
      t.ec2.deny.delete('CreateSnapshot');
    }
  });
});

describe('bad input never reaches AWS', () => {
  it.each([
    ['vol-123', /vol-123/],
    ['frobnicate', /unknown subcommand/],
    ['copy snap-zzz', /snap-zzz/],
    ['delete', /snap/],
    ['x'.repeat(3500), /too long/],
  ])('/snapshot %s answers privately with the usage', async (text, problem) => {
    const before = t.ec2.calls.length;
    const res = await t.command('/snapshot', text);
    expect(res.status).toBe(200);
    expect(res.json?.response_type).toBe('ephemeral');
    expect(String(res.json?.text)).toMatch(problem);
    expect(String(res.json?.text)).toContain('/snapshot');
    expect(ec2Actions(t.ec2).slice(before)).toEqual([]);
  });
});

describe('signatures', () => {
  it('rejects a forged signature with 401 and does nothing', async () => {
    const before = t.slack.calls.length;
    const res = await t.sender.command({ command: '/snapshot', text: DEMO.volumes.webRoot, userId: REQUESTER, channelId: CHANNEL }, { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.slack.calls.length).toBe(before);
  });

  it('rejects a stale (6 minutes old) request', async () => {
    const res = await t.sender.command(
      { command: '/snapshot', text: 'help', userId: REQUESTER, channelId: CHANNEL },
      { timestamp: Math.floor(Date.now() / 1000) - 360 },
    );
    expect(res.status).toBe(401);
  });

  it('rejects a body changed after signing', async () => {
    const body = t.sender.commandBody({ command: '/snapshot', text: 'help', userId: REQUESTER, channelId: CHANNEL });
    const res = await t.sender.post(body.replace('help', DEMO.volumes.webRoot), { signBody: body });
    expect(res.status).toBe(401);
    expect(SECRET).toBeTruthy();
  });

  it('runs a replayed command (same trigger_id) only once', async () => {
    const before = ec2Actions(t.ec2).filter((a) => a === 'CreateSnapshot').length;
    const c = { command: '/snapshot', text: DEMO.volumes.web2Root, userId: REQUESTER, channelId: CHANNEL, triggerId: 'trigger-replay-1' };
    await t.sender.command(c);
    await t.sender.command(c);
    await t.slack.waitFor((m) => textOf(m).includes(DEMO.volumes.web2Root) && /completed/.test(textOf(m)), 15_000);
    expect(ec2Actions(t.ec2).filter((a) => a === 'CreateSnapshot').length - before).toBe(1);
  });
});
