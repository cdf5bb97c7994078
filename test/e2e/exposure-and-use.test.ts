// Exposure found the day it happens, and "in use" that sees everything that uses an AMI: CloudTrail's event history
// finds today's shares in an account far larger than a run's rolling check; a launch configuration, or an instance
// in another managed account, keeps an AMI out of the cleanup candidates and on its deletion card.
import { ModifySnapshotAttributeCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startSandboxEc2, type SandboxEc2 } from '../../src/sandbox/ec2/index.js';
import { textOf } from '../../src/sandbox/slack/webapi.js';
import { APPROVAL_CHANNEL, CHANNEL, startTestBot, type TestBot } from '../support/bot.js';

const R = 'us-east-1';
const OUTSIDER_ACCOUNT = '999988887777';
const DAY = 86_400_000;

/** RFC 4180, as the digest writes it: quoted fields may hold commas, quotes ("") and line breaks. */
function csvRows(csv: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && csv[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      (field = ''), (record = []);
    } else field += c;
  }
  if (field || record.length) record.push(field), records.push(record);
  const [cols, ...rows] = records;
  return rows.map((r) => Object.fromEntries(r.map((v, i) => [cols[i], v])));
}

async function digestCsv(t: TestBot, channel: string): Promise<string> {
  const before = t.slack.messages.length;
  await t.command('/snapshot', 'digest', { channelId: channel });
  const msg = await t.slack.waitFor(
    (m) => t.slack.messages.indexOf(m) >= before && m.channel === channel && (m.files ?? []).some((f) => f.name.endsWith('.csv') && f.content.length > 0),
    60_000,
    'the digest CSV',
  );
  return msg.files!.find((f) => f.name.endsWith('.csv'))!.content;
}

describe('exposure through CloudTrail', () => {
  let ec2: SandboxEc2;
  let t: TestBot;
  const shared: string[] = [];
  beforeAll(async () => {
    ec2 = await startSandboxEc2({ seed: 'none' });
    ec2.state.addVolume(R, { id: 'vol-0aaaaaaaaaaaaaaa1', availabilityZone: `${R}a`, sizeGiB: 8, type: 'gp3' });
    const ids: string[] = [];
    for (let i = 0; i < 1_500; i++) {
      ids.push(ec2.state.addSnapshot(R, { volumeId: 'vol-0aaaaaaaaaaaaaaa1', volumeSizeGiB: 8, startTime: new Date(Date.now() - (5 + (i % 300)) * DAY), description: `bulk ${i}` }).id);
    }
    t = await startTestBot({ sharedEc2: ec2 });
    // Three shared today with an account outside the allowed ones, through EC2's API as anyone would.
    for (const id of [ids[100], ids[777], ids[1_400]]) {
      await t.bot.deps.ec2.client(R).send(new ModifySnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission', CreateVolumePermission: { Add: [{ UserId: OUTSIDER_ACCOUNT }] } }));
      shared.push(id);
    }
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await ec2?.stop();
  });

  it("puts all three in that day's digest CSV as exposures, though the rolling check reads a fraction of the region", async () => {
    const csv = await digestCsv(t, CHANNEL);
    const rows = csvRows(csv);
    for (const id of shared) {
      const row = rows.find((r) => r.id === id);
      expect(row, id).toBeDefined();
      expect(row!.reasons).toMatch(/shared/i);
    }
    // The event history was read, and the rolling check alone would not have covered the region.
    expect(ec2.calls.filter((c) => c.action === 'cloudtrail:LookupEvents').length).toBeGreaterThan(0);
    const attributeCalls = ec2.calls.filter((c) => c.action === 'DescribeSnapshotAttribute').length;
    expect(attributeCalls).toBeLessThan(1_500);
    const digest = t.slack.messages.find((m) => m.channel === CHANNEL && /CloudTrail/.test(textOf(m)));
    expect(digest).toBeDefined();
  }, 120_000);
});

describe('what uses an AMI', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('an AMI used only by a launch configuration is not offered, and its deregistration card says what uses it', async () => {
    const ami = DEMO.images.oldBatch;
    let rows = csvRows(await digestCsv(t, CHANNEL));
    expect(rows.find((r) => r.id === ami)?.deletable).toBe('true');

    t.ec2.state.addLaunchConfiguration(R, { name: 'legacy-app-asg', imageId: ami });
    rows = csvRows(await digestCsv(t, CHANNEL));
    const row = rows.find((r) => r.id === ami);
    expect(row?.deletable ?? 'false').toBe('false');

    await t.command('/ami', `deregister ${ami} --reason "cleanup"`);
    const card = await t.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && textOf(m).includes(ami), 20_000, 'the deregistration card');
    expect(textOf(card)).toMatch(/launch configuration uses/);
  }, 120_000);
});
