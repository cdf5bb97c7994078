// A drill outlives its bot: one recorded half-way (its volume made, not yet read) is resumed by the next bot, which
// reads the blocks, deletes the volume and records the result; a drill volume nobody follows is swept after an
// hour, and the sweep says so. And the demo's damaged block: a newcomer's drill of web-1-root fails, naming it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAG } from '../../src/core/types.js';
import { DEMO, DEMO_DAMAGED_BLOCK, startSandboxEc2, type SandboxEc2 } from '../../src/sandbox/ec2/index.js';
import { textOf } from '../../src/sandbox/slack/webapi.js';
import { APPROVAL_CHANNEL, CHANNEL, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';
import { uniqueTableName } from '../support/dynamodb.js';

const R = 'us-east-1';
const HOUR = 3_600_000;
let ec2: SandboxEc2;
let first: TestBot;
let second: TestBot | undefined;
const table = uniqueTableName('snapbot-drill-restart');

beforeAll(async () => {
  ec2 = await startSandboxEc2({ seed: 'demo', snapshotSeconds: 0.6, imageSeconds: 0.8 });
  first = await startTestBot({ sharedEc2: ec2, env: { DYNAMODB_TABLE: table, BURST_LIMIT: '0' } });
});
afterAll(async () => {
  await second?.stop();
  await ec2?.stop();
});

/** Polls `probe` until it answers something truthy (EC2's state and the table change without a Slack message). */
async function until<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = await probe();
    if (hit) return hit as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a drill across a restart', () => {
  it('the next bot resumes a half-done drill, deletes its volume, and sweeps a forgotten drill volume', async () => {
    const state = first.ec2.state;
    const volume = state.addVolume(R, { sizeGiB: 2, availabilityZone: 'us-east-1a', createTime: new Date(Date.now() - 72 * HOUR) });
    const snap = state.addSnapshot(R, { volumeId: volume.id, volumeSizeGiB: 2, startTime: new Date(Date.now() - 6 * HOUR) });
    first.ec2.ebs.setContent(snap.id, [{ start: 0, end: 20, version: 'restart' }]);
    const drillId = '01JDRILLRESUMED00000000000';
    const made = state.addVolume(R, { sizeGiB: 2, availabilityZone: 'us-east-1a', snapshotId: snap.id, tags: { [TAG.drill]: drillId, [TAG.request]: drillId } });
    const forgotten = state.addVolume(R, { sizeGiB: 2, availabilityZone: 'us-east-1a', createTime: new Date(Date.now() - 2 * HOUR), tags: { [TAG.drill]: '01JDRILLFORGOTTEN000000000' } });
    const startedAt = new Date(Date.now() - 60_000).toISOString();
    // What the first bot had recorded when it stopped: the volume made and available, its blocks not yet read.
    const run = {
      id: drillId,
      by: REQUESTER,
      channelId: CHANNEL,
      message: { channel: CHANNEL, ts: '' },
      region: R,
      where: R,
      volumeId: volume.id,
      snapshotId: snap.id,
      snapshotStartMs: snap.startMs,
      sizeGiB: 2,
      availabilityZone: 'us-east-1a',
      zoneChosen: false,
      step: 'verify',
      startedAt,
      drillVolumeId: made.id,
      createdMs: Date.parse(startedAt),
      secondsToAvailable: 3.4,
    };
    await first.bot.deps.store.operations.put({ id: drillId, kind: 'drill', resourceId: snap.id, region: R, channel: CHANNEL, ts: '', requesterId: REQUESTER, startedAt, extra: { run: JSON.stringify(run) } });
    await first.stop();

    second = await startTestBot({ sharedEc2: ec2, env: { DYNAMODB_TABLE: table, BURST_LIMIT: '0' }, jobs: true });
    const volumes = () => state.region(R).volumes;
    await until(() => !volumes().get(made.id) && !volumes().get(forgotten.id), 'both drill volumes deleted');
    const swept = await second.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && m.text.includes(forgotten.id), 15_000);
    expect(swept.text).toMatch(/left behind for over an hour/);
    expect(swept.text).not.toContain(made.id);
    const drills = await until(async () => (await second!.bot.deps.store.drills.since(new Date(Date.now() - HOUR))).find((d) => d.id === drillId), 'the resumed drill recorded');
    expect(drills).toMatchObject({ result: 'passed', volumeId: volume.id, snapshotId: snap.id, blocksVerified: 20, secondsToAvailable: 3.4 });
    // Deleted once: the resumed drill and the sweep never both delete the same volume.
    expect(second.ec2.calls.filter((c) => c.action === 'DeleteVolume' && c.params.VolumeId === made.id)).toHaveLength(1);
  });
});

describe('the demo\'s damaged block', () => {
  it('a drill of web-1-root fails, naming the block, and its volume is removed', async () => {
    await second!.command('/snapshot', `drill ${DEMO.volumes.webRoot}`);
    const m = await second!.slack.waitFor((x) => x.channel === CHANNEL && textOf(x).includes(`Restore drill of \`${DEMO.volumes.webRoot}\``) && /Result:\* (passed|failed)$/.test(x.text), 30_000);
    expect(m.text).toMatch(/Result:\* failed$/);
    expect(textOf(m)).toContain(`block ${DEMO_DAMAGED_BLOCK} is bad`);
    expect(textOf(m)).toContain(DEMO.snapshots.webRootDaily);
    expect([...first.ec2.state.region(R).volumes.values()].filter((v) => v.tags[TAG.drill] !== undefined)).toEqual([]);
  });
});

describe('scheduled drills', () => {
  it('ride on the scheduled digest: up to DRILL_MAX_PER_RUN volumes not drilled within DRILL_EVERY_DAYS, one summary message', async () => {
    const before = second!.ec2.calls.filter((c) => c.action === 'CreateVolume').length;
    expect(await second!.bot.jobs!.runDigestOnce(new Date(Date.now() - 60_000))).toBe(true);
    const summary = await second!.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && m.text.startsWith(':test_tube: Scheduled restore drills'), 60_000);
    expect(summary.text).toMatch(/Scheduled restore drills: 3 drills/);
    // web-1-root was drilled minutes ago (and failed): not due again; the three drilled are others.
    expect(summary.text).not.toContain(DEMO.volumes.webRoot);
    expect(second!.ec2.calls.filter((c) => c.action === 'CreateVolume').length - before).toBe(3);
    // Each scheduled drill has no message of its own: the summary is the one message.
    expect(second!.slack.messages.filter((m) => m.text.includes('Restore drill of') && m.text.includes('the schedule'))).toEqual([]);
    expect([...ec2.state.region(R).volumes.values()].filter((v) => v.tags[TAG.drill] !== undefined)).toEqual([]);
  });
});
