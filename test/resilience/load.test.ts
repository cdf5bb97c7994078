// A bounded loopback load: approval-gated commands, plain commands and two approvers double-clicking Approve on
// every request, all at once. Every request is answered 200, every approved action runs exactly once, every plain
// command gets its answer. (Its figures, at a larger size, are in `npm run bench`.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPlainSnapshots, runLoadScenario } from '../../bench/load-scenario.js';
import { startSandboxEc2, type SandboxEc2 } from '../../src/sandbox/ec2/index.js';
import { textOf } from '../../src/sandbox/slack/webapi.js';
import { APPROVAL_CHANNEL, APPROVER, APPROVER_2, CHANNEL, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';

let ec2: SandboxEc2;
let t: TestBot;
beforeAll(async () => {
  ec2 = await startSandboxEc2({ seed: 'none' });
  // One requester sends 30 changing commands at once: a load, not a loop to stop, so the burst limit is off.
  t = await startTestBot({ sharedEc2: ec2, env: { BURST_LIMIT: '0' } });
});
afterAll(async () => {
  await t?.stop();
  await ec2?.stop();
});

describe('bounded load: commands and racing approval clicks', () => {
  it('answers every request 200 and runs every approved action exactly once', async () => {
    const ids = addPlainSnapshots(ec2, 30, 'resilience-load');
    const deletes = ids.slice(0, 15);
    const shares = ids.slice(15);
    const r = await runLoadScenario({
      sender: t.sender,
      slack: t.slack,
      ec2,
      requester: REQUESTER,
      approvers: [APPROVER, APPROVER_2],
      channel: CHANNEL,
      approvalChannel: APPROVAL_CHANNEL,
      deleteSnapshotIds: deletes,
      shareSnapshotIds: shares,
      shareAccount: '999988887777',
      listCommands: 15,
      clicksPerApprover: 2,
      concurrency: 12,
      deadlineMs: 50_000,
    });

    expect(r.commands).toBe(45);
    expect(r.clicks).toBe(30 * 4);
    expect(r.statuses).toEqual({ 200: 45 + 120 });
    expect(r.approvalRequests).toBe(30);
    expect(r.actionsDone).toBe(30);
    expect(r.lost).toEqual([]);
    expect(r.duplicated).toEqual([]);
    expect(r.mutatingCalls).toBe(30);
    expect(r.listReplies).toBe(15);

    // What EC2 holds agrees: every deleted snapshot is gone, every shared one is shared, with that account only.
    for (const id of deletes) expect(ec2.state.getSnapshot('us-east-1', id)).toBeUndefined();
    for (const id of shares) expect(ec2.state.getSnapshot('us-east-1', id)!.sharedWith).toEqual(['999988887777']);
    // One approval request per command, and each click beyond the first was told it was already decided.
    expect(t.slack.messages.filter((m) => m.channel === APPROVAL_CHANNEL && !m.threadTs && !m.ephemeralFor)).toHaveLength(30);
    const told = () => t.slack.messages.filter((m) => (m.ephemeralFor === APPROVER || m.ephemeralFor === APPROVER_2) && /Already decided by <@U0[A-Z0-9]+>: approved/.test(textOf(m)));
    await t.slack.waitUntil(() => (told().length >= 30 * 3 ? true : undefined), 15_000, 'every losing click to be told');
    expect(told()).toHaveLength(30 * 3);
  });
});
