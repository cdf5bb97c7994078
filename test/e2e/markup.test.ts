// User text is data, never markup: whatever someone types (a description, a reason) or writes into AWS (a snapshot's
// description, a Name tag), nothing snapbot posts — top-level text, blocks, ephemeral answers, acks — pings a channel,
// mentions someone or carries a link because of it. Every payload the bot sends is scanned.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/ec2/index.js';
import { buttonsOf, textOf } from '../../src/sandbox/slack/webapi.js';
import { APPROVAL_CHANNEL, CHANNEL, startTestBot, type TestBot } from '../support/bot.js';

const HOSTILE = '<!channel> <!here|here> <@U0VICTIM> <https://evil.example|click here> &lt;!everyone&gt; <#C0SECRET|secret> &lt;@U0VICTIM2&gt;';
/** What must never appear in anything snapbot sends: each came only from the hostile text above. */
const LEAKS = [/<!channel/, /<!here/, /<!everyone/, /<@U0VICTIM/, /<https?:\/\/evil/, /<#C0SECRET/];

let t: TestBot;
const acks: string[] = [];
const planted = 'snap-0badc0ffee0000001';
const plantedVolume = 'vol-0badc0ffee0000001';

beforeAll(async () => {
  t = await startTestBot();
  // Text written into AWS by someone else, not through snapbot: shown again by lists, cards and the digest.
  t.ec2.state.addSnapshot('us-east-1', {
    id: planted,
    volumeId: DEMO.volumes.webRoot,
    volumeSizeGiB: 20,
    startTime: new Date(Date.now() - 200 * 86_400_000),
    description: HOSTILE,
    tags: { Name: HOSTILE },
  });
  t.ec2.state.addVolume('us-east-1', { id: plantedVolume, availabilityZone: 'us-east-1a', sizeGiB: 8, type: 'gp3', tags: { Name: HOSTILE } });
});
afterAll(async () => {
  await t?.stop();
});

async function run(command: string, text: string): Promise<void> {
  const res = await t.command(command, text);
  acks.push(res.text);
}

function leaksIn(payload: string): string[] {
  return LEAKS.filter((re) => re.test(payload)).map(String);
}

describe('user text reaching Slack', () => {
  it('never becomes markup, in any payload snapbot sends', async () => {
    const vol = DEMO.volumes.webData;
    await run('/snapshot', `${vol} ${HOSTILE}`);
    await t.slack.waitFor((m) => m.channel === CHANNEL && textOf(m).includes(vol) && /completed/.test(textOf(m)), 20_000, 'the snapshot completed');
    await run('/snapshot', plantedVolume);
    await t.slack.waitFor((m) => m.channel === CHANNEL && textOf(m).includes(plantedVolume) && /completed/.test(textOf(m)), 20_000, 'the named volume snapshotted');
    await run('/snapshot', `delete ${planted} --reason ${HOSTILE}`);
    await t.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && textOf(m).includes(planted) && buttonsOf(m).length >= 2, 20_000, 'the deletion card');
    await run('/share', `${DEMO.snapshots.webRootBeforeUpgrade} public --reason ${HOSTILE}`);
    await t.slack.waitFor((m) => m.channel === APPROVAL_CHANNEL && textOf(m).includes(DEMO.snapshots.webRootBeforeUpgrade), 20_000, 'the share card');
    await run('/snapshot', `list ${DEMO.volumes.webRoot}`);
    await run('/snapshot', `audit ${planted}`);
    await run('/snapshot', 'digest');
    await t.slack.waitFor((m) => m.channel === CHANNEL && /digest/i.test(textOf(m)), 30_000, 'the digest');
    await run('/snapshot', `lsit ${HOSTILE}`);
    await run('/snapshot', `${HOSTILE}`);
    await new Promise((r) => setTimeout(r, 1_000));

    // The description EC2 keeps is the words, without markup.
    const made = [...t.ec2.state.region('us-east-1').snapshots.values()].find((s) => s.volumeId === vol && s.description?.includes('click here'));
    expect(made?.description).toBeDefined();
    expect(leaksIn(made!.description!)).toEqual([]);
    expect(made!.description).toContain('@channel');

    const sent = t.slack.calls.map((c) => JSON.stringify(c.args));
    expect(sent.length).toBeGreaterThan(10);
    const found = [...sent, ...acks].flatMap((p) => leaksIn(p).map((l) => `${l} in ${p.slice(0, 200)}`));
    expect(found).toEqual([]);
  });
});
