// Restore drills end to end: /snapshot drill restores the newest snapshot in the volume's zone through the real SDK
// against the sandbox EC2, reads blocks back through the sandbox's EBS direct APIs (GetSnapshotBlock with its
// SHA-256 checksum), deletes its volume and reports; a damaged block fails the drill and names it; /snapshot drills
// lists both; /snapshot evidence uploads the contract's CSV.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, textOf } from '../../src/sandbox/slack/webapi.js';
import { TAG } from '../../src/core/types.js';
import { DEMO } from '../../src/sandbox/ec2/index.js';
import { CHANNEL, OUTSIDER, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';

const R = 'us-east-1';
const HOUR = 3_600_000;
let t: TestBot;
const ids = { good: '', goodSnap: '', bad: '', badSnap: '', never: '', locked: '', lockedSnap: '' };

beforeAll(async () => {
  t = await startTestBot({ env: { BURST_LIMIT: '0', DRILL_SAMPLE_BLOCKS: '8', OPERATORS: REQUESTER }, ec2: { volumeSeconds: 0.5 } });
  const old = new Date(Date.now() - 72 * HOUR);
  const good = t.ec2.state.addVolume(R, { sizeGiB: 8, availabilityZone: 'us-east-1b', createTime: old, tags: { Name: 'db-data' } });
  ids.good = good.id;
  t.ec2.state.addSnapshot(R, { volumeId: good.id, volumeSizeGiB: 8, startTime: new Date(Date.now() - 30 * HOUR) });
  ids.goodSnap = t.ec2.state.addSnapshot(R, { volumeId: good.id, volumeSizeGiB: 8, startTime: new Date(Date.now() - 5 * HOUR) }).id;
  const bad = t.ec2.state.addVolume(R, { sizeGiB: 4, availabilityZone: 'us-east-1b', createTime: old, tags: { Name: 'web-root' } });
  // Both in use on one instance: the digest's posture counts them, and lists the failed drill.
  t.ec2.state.addInstance(R, { availabilityZone: 'us-east-1b', type: 't3.micro', launchTime: old, volumes: [{ volumeId: good.id, device: '/dev/sdf' }, { volumeId: bad.id, device: '/dev/sdg' }] });
  ids.bad = bad.id;
  ids.badSnap = t.ec2.state.addSnapshot(R, { volumeId: bad.id, volumeSizeGiB: 4, startTime: new Date(Date.now() - 2 * HOUR) }).id;
  // Written in three stretches; the sample points at every 1024th block reach block 4096 first in the third.
  t.ec2.ebs.setContent(ids.badSnap, [
    { start: 0, end: 100, version: 'web' },
    { start: 2048, end: 2100, version: 'web' },
    { start: 4096, end: 4150, version: 'web' },
  ]);
  t.ec2.ebs.damage(ids.badSnap, 4096);
  ids.never = t.ec2.state.addVolume(R, { sizeGiB: 4 }).id;
  const locked = t.ec2.state.addVolume(R, { sizeGiB: 2, kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/denied' });
  ids.locked = locked.id;
  ids.lockedSnap = t.ec2.state.addSnapshot(R, { volumeId: locked.id, volumeSizeGiB: 2, encrypted: true, kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/denied', startTime: new Date(Date.now() - HOUR) }).id;
  t.ec2.ebs.deniedKeys.add('arn:aws:kms:us-east-1:123456789012:key/denied');
});
afterAll(async () => {
  await t?.stop();
});

const drillOf = async (target: string, volumeId: string) => {
  await t.command('/snapshot', `drill ${target}`);
  return t.slack.waitFor((m) => m.channel === CHANNEL && textOf(m).includes(`Restore drill of \`${volumeId}\``) && /Result:\* (passed|failed)$/.test(m.text), 30_000, `the drill of ${volumeId}`);
};

describe('/snapshot drill', () => {
  it('restores the newest snapshot in its zone, reads blocks back, deletes its volume and reports the time', async () => {
    const m = await drillOf(ids.good, ids.good);
    const text = textOf(m);
    expect(m.text).toMatch(/Result:\* passed$/);
    expect(text).toContain(`Snapshot \`${ids.goodSnap}\`, 5 h old`);
    expect(text).toContain('restored in us-east-1b');
    expect(text).toMatch(/Time to available: \*\d+\.\d s\*/);
    expect(text).toMatch(/Blocks verified: 8 /);
    expect(text).toMatch(/What the drill cost: \$0\.\d{4}/);
    const creates = t.ec2.calls.filter((c) => c.action === 'CreateVolume' && c.params.SnapshotId === ids.goodSnap);
    expect(creates).toHaveLength(1);
    expect(creates[0].params.AvailabilityZone).toBe('us-east-1b');
    // Its volume is gone, and every block read was a GetSnapshotBlock of the sample.
    const drillVolumes = [...t.ec2.state.region(R).volumes.values()].filter((v) => v.tags[TAG.drill] !== undefined);
    expect(drillVolumes).toEqual([]);
    expect(t.ec2.calls.filter((c) => c.action.startsWith('ebs:GET') && c.action.includes(`${ids.goodSnap}/blocks/`))).toHaveLength(8);
  });

  it('a damaged block fails the drill, naming the block, and the volume is still removed', async () => {
    const m = await drillOf(ids.bad, ids.bad);
    const text = textOf(m);
    expect(m.text).toMatch(/Result:\* failed$/);
    expect(text).toContain('block 4096 is bad');
    expect([...t.ec2.state.region(R).volumes.values()].filter((v) => v.tags[TAG.drill] !== undefined)).toEqual([]);
  });

  it('a snapshot whose KMS key the direct APIs may not use passes the restore and says its blocks were not read', async () => {
    const m = await drillOf(ids.lockedSnap, ids.locked);
    expect(m.text).toMatch(/Result:\* passed$/);
    expect(textOf(m)).toMatch(/Blocks verified: 0 .*KMS key/);
  });

  it('a volume never backed up gets a clear answer and nothing is created', async () => {
    const before = t.ec2.calls.filter((c) => c.action === 'CreateVolume').length;
    await t.command('/snapshot', `drill ${ids.never}`);
    const m = await t.slack.waitFor((x) => x.ephemeralFor === REQUESTER && x.text.includes(ids.never) && x.text.includes('never been backed up'), 15_000);
    expect(m.text).toContain(`/snapshot ${ids.never}`);
    expect(t.ec2.calls.filter((c) => c.action === 'CreateVolume').length).toBe(before);
  });

  it('a zone that is not the region\'s is answered privately before anything is created', async () => {
    const before = t.ec2.calls.filter((c) => c.action === 'CreateVolume').length;
    await t.command('/snapshot', `drill ${ids.good} --az us-east-1z`);
    const m = await t.slack.waitFor((x) => x.ephemeralFor === REQUESTER && x.text.includes('us-east-1z'), 15_000);
    expect(m.text).toMatch(/not an availability zone of us-east-1/);
    expect(t.ec2.calls.filter((c) => c.action === 'CreateVolume').length).toBe(before);
  });

  it('is an operator\'s command: anyone else is refused before AWS', async () => {
    const before = t.ec2.calls.length;
    await t.command('/snapshot', `drill ${ids.good}`, { userId: OUTSIDER });
    await t.slack.waitFor((x) => x.ephemeralFor === OUTSIDER, 15_000);
    expect(t.ec2.calls.filter((c) => c.action === 'CreateVolume').length).toBe(t.ec2.calls.slice(0, before).filter((c) => c.action === 'CreateVolume').length);
  });
});

describe('/snapshot drill: what cannot be restored is answered, never sent to EC2', () => {
  const privately = async (target: string, pattern: RegExp) => {
    const before = t.ec2.calls.filter((c) => c.action === 'CreateVolume').length;
    const mark = t.slack.messages.length;
    await t.command('/snapshot', `drill ${target}`);
    const m = await t.slack.waitFor((x) => t.slack.messages.indexOf(x) >= mark && x.ephemeralFor === REQUESTER && pattern.test(x.text), 15_000, `the answer about ${target}`);
    expect(t.ec2.calls.filter((c) => c.action === 'CreateVolume').length).toBe(before);
    return m.text;
  };
  it('an archived snapshot: unarchive it first, what that takes and costs', async () => {
    const text = await privately(DEMO.snapshots.reportsArchive, /archive tier/);
    expect(text).toContain(`/snapshot unarchive ${DEMO.snapshots.reportsArchive}`);
    expect(text).toMatch(/72 hours/);
    expect(text).toMatch(/\$0\.03 per GB/);
  });
  it('a pending snapshot: once it has completed', async () => {
    const pending = t.ec2.state.addSnapshot(R, { volumeId: ids.never, volumeSizeGiB: 4, durationSeconds: 3600 });
    expect(await privately(pending.id, /pending/)).toMatch(/once it has completed/);
  });
  it('an instance store-backed instance: nothing to drill', async () => {
    const i = t.ec2.state.addInstance(R, { type: 't3.micro', instanceStoreRoot: true });
    expect(await privately(i.id, /instance store-backed/)).toMatch(/nothing to drill/);
  });
  it('an instance: a drill of each of its volumes', async () => {
    await t.command('/snapshot', `drill ${DEMO.instances.web1}`);
    for (const v of [DEMO.volumes.webRoot, DEMO.volumes.webData]) {
      await t.slack.waitFor((x) => x.channel === CHANNEL && textOf(x).includes(`Restore drill of \`${v}\``) && /Result:\* (passed|failed)$/.test(x.text), 30_000, `the drill of ${v}`);
    }
  });
});

describe('/snapshot drills and /snapshot evidence', () => {
  it('lists the passed and the failed drill, with why', async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'drills');
    const m = await t.slack.waitFor((x) => t.slack.messages.indexOf(x) >= mark && x.ephemeralFor === REQUESTER && x.text.includes('Restore drills'), 15_000);
    const text = textOf(m);
    expect(text).toContain(ids.good);
    expect(text).toContain(ids.bad);
    expect(text).toMatch(/\*passed\*/);
    expect(text).toMatch(/\*failed\*.*\n.*block 4096/);
    await t.command('/snapshot', `drills ${ids.bad}`);
    const one = await t.slack.waitFor((x) => x.ephemeralFor === REQUESTER && x.text.includes(`Restore drills of ${ids.bad}`), 15_000);
    expect(textOf(one)).not.toContain(ids.good);
  });

  it('uploads the evidence CSV: the contract\'s columns, a row per volume in use and per drill', async () => {
    await t.command('/snapshot', 'evidence --days 30');
    const m = await t.slack.waitFor((x) => x.channel === CHANNEL && (x.files ?? []).some((f) => f.name.startsWith('snapbot-backup-evidence-')), 60_000);
    const csv = m.files![0].content.trim().split('\r\n');
    expect(csv[0]).toBe('kind,account,region,volume_id,name,newest_snapshot_id,newest_snapshot_age_hours,rpo_hours,rpo_met,covered_by,last_drill_at,drill_snapshot_id,drill_result,seconds_to_available,blocks_verified,drill_detail');
    const rows = csv.slice(1).map((l) => l.split(','));
    const inUse = [...t.ec2.state.region(R).volumes.values()].filter((v) => t.ec2.state.volumeState(v) === 'in-use' && v.tags[TAG.drill] === undefined);
    expect(rows.filter((r) => r[0] === 'volume').length).toBe(inUse.length);
    const drills = rows.filter((r) => r[0] === 'drill');
    // The drills so far: the three above, and the instance's two.
    expect(drills.length).toBe(5);
    expect(drills.find((r) => r[3] === ids.bad)?.[12]).toBe('failed');
    expect(drills.find((r) => r[3] === ids.good)?.[12]).toBe('passed');
    expect(drills.find((r) => r[3] === ids.locked)?.[14]).toBe('0');
  });
});

describe('the digest\'s Backups part', () => {
  it('counts the volumes a drill proved and lists the failed drill with Run a drill, until a drill of it passes', async () => {
    const mark = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    const d = await t.slack.waitFor((x) => t.slack.messages.indexOf(x) >= mark && x.channel === CHANNEL && (x.blocks?.length ?? 0) > 0 && textOf(x).includes('Backups'), 60_000);
    const text = textOf(d);
    expect(text).toMatch(/proven restorable by a drill within 7 days/);
    expect(text).toContain(`Volume \`${ids.bad}\``);
    expect(text).toMatch(/restore drill failed .*block 4096 is bad/);
    expect(d.blocks!.length).toBeLessThanOrEqual(50);
    const rerun = buttonsOf(d).find((b) => b.text === 'Run a drill' && (b.value ?? '').includes(ids.bad))!;
    expect(rerun).toBeDefined();
    // The damage is repaired: the drill the button runs passes, and the next digest no longer lists it.
    t.ec2.ebs.repair(ids.badSnap);
    await t.sender.click({ userId: REQUESTER, channelId: CHANNEL, messageTs: d.ts, actionId: rerun.actionId, value: rerun.value, blockId: rerun.blockId, text: rerun.text });
    await t.slack.waitFor((x) => x.channel === CHANNEL && textOf(x).includes(`Restore drill of \`${ids.bad}\``) && /Result:\* passed$/.test(x.text), 30_000);
    const mark2 = t.slack.messages.length;
    await t.command('/snapshot', 'digest');
    const d2 = await t.slack.waitFor((x) => t.slack.messages.indexOf(x) >= mark2 && x.channel === CHANNEL && (x.blocks?.length ?? 0) > 0 && textOf(x).includes('Backups'), 60_000);
    expect(textOf(d2)).not.toMatch(/restore drill failed/);
  });
});

describe('App Home', () => {
  it('shows the last digest\'s posture and the latest drills', async () => {
    await t.sender.event({ type: 'app_home_opened', user: REQUESTER, channel: 'D0HOME', tab: 'home' });
    const home = await t.slack.waitUntil(() => {
      const h = JSON.stringify(t.slack.homes.get(REQUESTER) ?? {});
      return h.includes('Latest restore drills') ? h : undefined;
    }, 10_000, 'the home tab');
    expect(home).toMatch(/proven restorable by a drill within 7 days/);
    expect(home).toContain(ids.bad);
  });
});

describe('npm run evidence', () => {
  it('--csv prints the contract\'s columns, a row per volume in use and per drill, without Slack', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/evidence-cli.ts', '--days', '30', '--csv'], {
      env: {
        ...process.env,
        SLACK_BOT_TOKEN: '',
        SLACK_SIGNING_SECRET: '',
        AWS_REGION: R,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL_EC2: t.ec2.url,
        AWS_ENDPOINT_URL_DLM: t.ec2.url,
        AWS_ENDPOINT_URL_STS: t.ec2.url,
        AWS_ENDPOINT_URL_DYNAMODB: t.config.endpoints.dynamodb,
        DYNAMODB_TABLE: t.config.dynamodbTable,
      },
      timeout: 60_000,
    });
    const lines = stdout.trim().split('\r\n');
    expect(lines[0]).toBe('kind,account,region,volume_id,name,newest_snapshot_id,newest_snapshot_age_hours,rpo_hours,rpo_met,covered_by,last_drill_at,drill_snapshot_id,drill_result,seconds_to_available,blocks_verified,drill_detail');
    const rows = lines.slice(1).map((l) => l.split(','));
    const inUse = [...t.ec2.state.region(R).volumes.values()].filter((v) => t.ec2.state.volumeState(v) === 'in-use' && v.tags[TAG.drill] === undefined);
    expect(rows.filter((r) => r[0] === 'volume').map((r) => r[3]).sort()).toEqual(inUse.map((v) => v.id).sort());
    const good = rows.find((r) => r[0] === 'volume' && r[3] === ids.good)!;
    expect(good[5]).toBe(ids.goodSnap);
    expect(good[8]).toBe('true');
    expect(good[12]).toBe('passed');
    expect(rows.filter((r) => r[0] === 'drill').length).toBeGreaterThanOrEqual(4);
    const text = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/evidence-cli.ts'], {
      env: { ...process.env, SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', AWS_REGION: R, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL_EC2: t.ec2.url, AWS_ENDPOINT_URL_DLM: t.ec2.url, AWS_ENDPOINT_URL_STS: t.ec2.url, AWS_ENDPOINT_URL_DYNAMODB: t.config.endpoints.dynamodb, DYNAMODB_TABLE: t.config.dynamodbTable },
      timeout: 60_000,
    });
    expect(text.stdout).toMatch(/^Backup evidence, .* drills of the last 90 days/);
    expect(text.stdout).toContain(ids.bad);
  });
});
