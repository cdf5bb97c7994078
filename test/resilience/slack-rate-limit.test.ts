// Slack answers 429 with Retry-After when the bot posts too fast. Messages must still arrive, once each, and in
// the order the bot meant them: a late retry must never put an old state on top of a newer one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/ec2/index.js';
import { buttonsOf, textOf, type WorkspaceMessage } from '../../src/sandbox/slack/webapi.js';
import { APPROVAL_CHANNEL, APPROVER, CHANNEL, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ ec2: { seed: 'demo', snapshotSeconds: 2 } });
});
afterAll(async () => {
  await t?.stop();
});

/** Every state a message was seen in, in the order the fake Slack accepted them (429s are not accepted). */
function recordStates(match: (m: WorkspaceMessage) => boolean): { states: { method: string; ts: string; text: string }[]; stop(): void } {
  const states: { method: string; ts: string; text: string }[] = [];
  const seen = new Map<string, string>();
  const onChange = (method: string) => {
    for (const m of t.slack.messages) {
      if (!match(m)) continue;
      const text = textOf(m);
      if (seen.get(m.ts) === text) continue;
      seen.set(m.ts, text);
      states.push({ method, ts: m.ts, text });
    }
  };
  t.slack.on('change', onChange);
  return { states, stop: () => t.slack.off('change', onChange) };
}

const percentOf = (text: string) => Number(/(\d+)%/.exec(text)?.[1] ?? Number.NaN);

describe('Slack Web API 429 with Retry-After', () => {
  it('a rate-limited post and progress updates still arrive, once, in order, ending at completed', async () => {
    const vol = DEMO.volumes.dbLogs;
    const about = (m: WorkspaceMessage) => m.channel === CHANNEL && textOf(m).includes(vol);
    const rec = recordStates(about);
    try {
      const postsBefore = t.slack.callsOf('chat.postMessage').length;
      t.slack.rateLimitNext('chat.postMessage', 1);
      t.slack.rateLimitNext('chat.update', 1, 2);
      await t.command('/snapshot', vol);
      const done = await t.slack.waitFor((m) => about(m) && /completed/.test(textOf(m)), 30_000, 'the completed snapshot');

      // The first post was refused once and retried after Retry-After: one message, not two.
      expect(t.slack.messages.filter(about)).toEqual([done]);
      const posts = t.slack.callsOf('chat.postMessage').slice(postsBefore).filter((c) => c.args.channel === CHANNEL);
      expect(posts).toHaveLength(2);
      expect(t.slack.callsOf('chat.update').filter((c) => c.args.ts === done.ts).length).toBeGreaterThan(2);

      // Its states, as Slack accepted them: first the post, completed last, progress never going backwards.
      const states = rec.states.filter((s) => s.ts === done.ts);
      expect(states[0].method).toBe('chat.postMessage');
      expect(states.at(-1)!.text).toMatch(/completed/);
      expect(states.filter((s) => /completed/.test(s.text))).toHaveLength(1);
      const percents = states.map((s) => percentOf(s.text)).filter((p) => !Number.isNaN(p));
      expect(percents).toEqual([...percents].sort((a, b) => a - b));
    } finally {
      rec.stop();
    }
  });

  it('an approval under 429s: the outcome is shown on the request before the requester is told, each once', async () => {
    const snap = DEMO.snapshots.webDataQuarterly;
    await t.command('/share', `${snap} 999988887777 --reason "429 test"`);
    const req = await t.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && textOf(m).includes(snap) && buttonsOf(m).length === 2, 20_000, 'the approval request');
    const rec = recordStates((m) => m === req || m.threadTs === req.ts);
    try {
      t.slack.rateLimitNext('chat.update', 1, 2);
      t.slack.rateLimitNext('chat.postMessage', 1);
      const approve = buttonsOf(req).find((b) => b.text === 'Approve')!;
      const res = await t.sender.click({ userId: APPROVER, channelId: req.channel, messageTs: req.ts, actionId: approve.actionId, value: approve.value, blockId: approve.blockId, text: approve.text });
      expect(res.status).toBe(200);
      const notice = await t.slack.waitFor((m) => m.threadTs === req.ts && textOf(m).includes(`<@${REQUESTER}>`), 30_000, 'the requester told in the thread');

      expect(textOf(req)).toMatch(/shared with account 999988887777/);
      expect(buttonsOf(req)).toEqual([]);
      expect(t.slack.messages.filter((m) => m.threadTs === req.ts)).toEqual([notice]);
      // Accepted in the order the bot sent them: approved → done on the request, then the thread notice.
      const order = rec.states.map((s) => (s.ts === req.ts ? (/Approved and done/.test(s.text) ? 'done' : 'request') : 'notice'));
      expect(order.indexOf('done')).toBeGreaterThan(-1);
      expect(order.indexOf('done')).toBeLessThan(order.indexOf('notice'));
      expect(order.at(-1)).toBe('notice');
      expect(t.ec2.calls.filter((c) => c.action === 'ModifySnapshotAttribute' && c.params.SnapshotId === snap)).toHaveLength(1);
    } finally {
      rec.stop();
    }
  });
});
