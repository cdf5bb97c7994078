// Every non-approval command of the contract, end to end over signed HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/ec2/index.js';
import { buttonsOf, textOf } from '../../src/sandbox/slack/webapi.js';
import { CHANNEL, REQUESTER, startTestBot, type TestBot } from '../support/bot.js';

let t: TestBot;
beforeAll(async () => {
  // One requester runs every command of the contract here, more than BURST_LIMIT's 20 in 10 minutes: that limit
  // has its own test (test/e2e/access.test.ts).
  t = await startTestBot({ env: { BURST_LIMIT: '0' } });
});
afterAll(async () => {
  await t?.stop();
});

const R = 'us-east-1';
const ephemeralTo = (user: string, pred: (text: string) => boolean) => (m: { ephemeralFor?: string; text: string; blocks?: unknown[] }) =>
  m.ephemeralFor === user && pred(textOf(m));

describe('/snapshot', () => {
  it('list shows snapshots newest first with age, size, tier, cost and state, privately', async () => {
    await t.command('/snapshot', 'list');
    const m = await t.slack.waitFor(ephemeralTo(REQUESTER, (x) => /snapshots? in this account/.test(x)), 15_000, 'the list');
    const text = textOf(m);
    expect(text).toContain(DEMO.snapshots.webRootDaily);
    expect(text).toMatch(/up to \$\d+\.\d\d\/mo/);
    expect(text).toMatch(/standard|archive/);
    expect(text).toMatch(/completed/);
    expect(text.indexOf(DEMO.snapshots.webRootDaily)).toBeLessThan(text.indexOf(DEMO.snapshots.legacyFinal));
  });

  it('list vol-… shows only that volume’s snapshots', async () => {
    await t.command('/snapshot', `list ${DEMO.volumes.webRoot}`);
    const m = await t.slack.waitFor(ephemeralTo(REQUESTER, (x) => x.includes(`of ${DEMO.volumes.webRoot}`)), 15_000);
    expect(textOf(m)).toContain(DEMO.snapshots.webRootDaily);
    expect(textOf(m)).not.toContain(DEMO.snapshots.legacyFinal);
  });

  it('instance i-… snapshots every volume of the instance, crash-consistently', async () => {
    const before = t.ec2.calls.length;
    await t.command('/snapshot', `instance ${DEMO.instances.db} --exclude-boot`);
    const m = await t.slack.waitFor((x) => textOf(x).includes(DEMO.instances.db) && /done/.test(textOf(x)), 20_000, 'instance snapshots done');
    const calls = t.ec2.calls.slice(before);
    const create = calls.find((c) => c.action === 'CreateSnapshots')!;
    expect(create.params['InstanceSpecification.InstanceId']).toBe(DEMO.instances.db);
    expect(create.params['InstanceSpecification.ExcludeBootVolume']).toBe('true');
    const ids = textOf(m).match(/snap-[0-9a-f]{17}/g)!;
    expect(new Set(ids).size).toBeGreaterThanOrEqual(2);
    for (const id of new Set(ids)) expect(t.ec2.state.getSnapshot(R, id)?.tags['snapbot:requested-by']).toBe(REQUESTER);
  });

  it('instance i-… still snapshots every volume, one at a time and saying so, on an EC2 without CreateSnapshots', async () => {
    t.ec2.injectErrors('InvalidAction', 1, 'CreateSnapshots');
    const before = t.ec2.calls.length;
    await t.command('/snapshot', `instance ${DEMO.instances.web1}`);
    const m = await t.slack.waitFor((x) => textOf(x).includes(DEMO.instances.web1) && /not crash-consistent/.test(textOf(x)) && /done/.test(textOf(x)), 20_000, 'per-volume snapshots done');
    const inst = t.ec2.state.getInstance(R, DEMO.instances.web1)!;
    const creates = t.ec2.calls.slice(before).filter((c) => c.action === 'CreateSnapshot');
    expect(creates.map((c) => c.params.VolumeId).sort()).toEqual([...inst.volumeIds].sort());
    expect(new Set(textOf(m).match(/snap-[0-9a-f]{17}/g)).size).toBe(inst.volumeIds.length);
  });

  it('copy --to-region --encrypt creates an encrypted copy in the other region and follows it', async () => {
    await t.command('/snapshot', `copy ${DEMO.snapshots.webDataQuarterly} --to-region eu-west-1 --encrypt`);
    const m = await t.slack.waitFor((x) => textOf(x).includes(`Copy of ${DEMO.snapshots.webDataQuarterly}`) && /done/.test(textOf(x)), 20_000, 'copy done');
    const copyId = textOf(m).match(/snap-[0-9a-f]{17}/g)!.find((id) => id !== DEMO.snapshots.webDataQuarterly)!;
    const copy = t.ec2.state.getSnapshot('eu-west-1', copyId)!;
    expect(copy.encrypted).toBe(true);
    // The hint names where the copy is, instead of a /restore that would look in the home region.
    expect(textOf(m)).toContain(`The copy \`${copyId}\` is in eu-west-1`);
    expect(textOf(m)).not.toContain(`/restore ${copyId}`);
    expect(copy.tags['snapbot:requested-by']).toBe(REQUESTER);
  });

  it('help lists every command privately', async () => {
    const res = await t.command('/snapshot', 'help');
    expect(res.json?.response_type).toBe('ephemeral');
    for (const c of ['/snapshot', '/restore', '/ami', '/share']) expect(String(res.json?.text)).toContain(c);
  });

  it('with no text opens the modal, and its volume picker searches by Name tag', async () => {
    const before = t.slack.callsOf('views.open').length;
    await t.command('/snapshot', '');
    await t.slack.waitUntil(() => t.slack.callsOf('views.open').length > before || undefined, 10_000, 'views.open');
    const res = await t.sender.suggest({ userId: REQUESTER, actionId: 'volume_pick', blockId: 'volume', value: 'db-primary' });
    const options = (res.json?.options ?? []) as { value: string; text: { text: string } }[];
    expect(options.map((o) => o.value)).toContain(DEMO.volumes.dbData);
    expect(options.every((o) => o.text.text.includes('db-primary'))).toBe(true);
  });

  it('the modal submission creates the snapshot; a bad pick comes back next to the field', async () => {
    const bad = await t.sender.submitView({ userId: REQUESTER, callbackId: 'snapshot_create', privateMetadata: JSON.stringify({ channelId: CHANNEL }), values: { volume: { volume_pick: { type: 'external_select', selected_option: { value: 'vol-nothex' } } } } });
    expect(bad.json?.response_action).toBe('errors');
    expect(Object.keys(bad.json?.errors as object)).toContain('volume');

    const ok = await t.sender.submitView({
      userId: REQUESTER,
      callbackId: 'snapshot_create',
      privateMetadata: JSON.stringify({ channelId: CHANNEL }),
      values: {
        volume: { volume_pick: { type: 'external_select', selected_option: { value: DEMO.volumes.buildRoot } } },
        description: { value: { type: 'plain_text_input', value: 'from the modal' } },
        expires: { value: { type: 'static_select', selected_option: { value: '7' } } },
      },
    });
    expect(ok.status).toBe(200);
    await t.slack.waitFor((x) => textOf(x).includes(DEMO.volumes.buildRoot) && /completed/.test(textOf(x)), 20_000, 'modal snapshot');
    // The form's "ask for its deletion after 7 days" is the one-line form's --expires-in 7d.
    const made = await t.slack.waitUntil(
      () => [...t.ec2.state.region(R).snapshots.values()].find((s) => s.volumeId === DEMO.volumes.buildRoot && s.description === 'from the modal'),
      20_000,
      'the snapshot the form made',
    );
    expect(made.tags['snapbot:expires']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('/restore', () => {
  it('creates a volume from a snapshot and attaches it to an instance in the same zone', async () => {
    const inst = t.ec2.state.getInstance(R, DEMO.instances.web1)!;
    const az = inst.availabilityZone;
    await t.command('/restore', `${DEMO.snapshots.webRootDaily} --az ${az} --type gp3 --size 40 --attach ${DEMO.instances.web1} --device /dev/sdk`);
    const m = await t.slack.waitFor((x) => textOf(x).includes(`Volume from ${DEMO.snapshots.webRootDaily}`) && /done/.test(textOf(x)), 30_000, 'restore done');
    const volId = textOf(m).match(/vol-[0-9a-f]{17}/)![0];
    const vol = t.ec2.state.getVolume(R, volId)!;
    expect(vol.sizeGiB).toBe(40);
    expect(vol.tags['snapbot:requested-by']).toBe(REQUESTER);
    expect(t.ec2.state.volumeState(vol)).toBe('in-use');
  });

  it('refuses a size below the snapshot, naming the minimum, without creating anything', async () => {
    const snap = t.ec2.state.getSnapshot(R, DEMO.snapshots.dbBackupRecent)!;
    const before = t.ec2.calls.filter((c) => c.action === 'CreateVolume').length;
    await t.command('/restore', `${snap.id} --az us-east-1a --size 1`);
    const m = await t.slack.waitFor((x) => textOf(x).includes(`Volume from ${snap.id}`) && /failed/.test(textOf(x)), 15_000);
    expect(textOf(m)).toContain(`at least ${snap.volumeSizeGiB} GiB`);
    expect(t.ec2.calls.filter((c) => c.action === 'CreateVolume').length).toBe(before);
  });

  it('answers a zone that does not exist privately, listing the region\'s zones, before any changing EC2 call', async () => {
    const before = t.ec2.calls.filter((c) => /^(Create|Attach|Run)/.test(c.action)).length;
    const posted = t.slack.messages.filter((m) => !m.ephemeralFor).length;
    await t.command('/restore', `${DEMO.snapshots.webRootDaily} --az us-east-1z`);
    const m = await t.slack.waitFor((x) => x.ephemeralFor !== undefined && textOf(x).includes('us-east-1z'), 15_000, 'the private answer');
    expect(textOf(m)).toMatch(/not an availability zone of us-east-1/);
    expect(textOf(m)).toContain('us-east-1a');
    expect(t.ec2.calls.filter((c) => /^(Create|Attach|Run)/.test(c.action)).length).toBe(before);
    expect(t.slack.messages.filter((x) => !x.ephemeralFor && textOf(x).includes('us-east-1z'))).toEqual([]);
    expect(t.slack.messages.filter((x) => !x.ephemeralFor).length).toBe(posted);
  });

  it('opens the modal for /restore snap-… and fills in the snapshot size', async () => {
    const before = t.slack.callsOf('views.open').length;
    await t.command('/restore', DEMO.snapshots.webRootDaily);
    // Opened filled in when EC2 answers quickly, or filled in by a views.update when it is slow.
    const filled = () => [...t.slack.callsOf('views.open').slice(before), ...t.slack.callsOf('views.update')].some((c) => String(c.args.view).includes('At least 20 GiB'));
    await t.slack.waitUntil(() => filled() || undefined, 10_000, 'the modal with the size');
    expect(t.slack.callsOf('views.open').length).toBe(before + 1);
  });

  it('answers /restore snap-<missing> with what is wrong, and opens no form', async () => {
    const before = t.slack.callsOf('views.open').length;
    await t.command('/restore', 'snap-0123456789abcdef0');
    await t.slack.waitFor(ephemeralTo(REQUESTER, (x) => /snap-0123456789abcdef0.*does not exist/.test(x)), 10_000, 'the answer');
    expect(t.slack.callsOf('views.open').length).toBe(before);
  });
});

describe('modal submissions', () => {
  const meta = (resourceId?: string) => JSON.stringify({ channelId: CHANNEL, resourceId });
  const select = (value: string) => ({ v: { type: 'static_select', selected_option: { value } } });
  const text = (value: string) => ({ value: { type: 'plain_text_input', value } });

  it('restore: a size below the snapshot and an instance in another zone come back next to their fields', async () => {
    const inst = t.ec2.state.getInstance(R, DEMO.instances.web1)!;
    const otherAz = inst.availabilityZone.endsWith('a') ? `${R}b` : `${R}a`;
    const res = await t.sender.submitView({
      userId: REQUESTER,
      callbackId: 'restore_create',
      privateMetadata: meta(DEMO.snapshots.webRootDaily),
      values: {
        az: select(otherAz),
        type: select('gp3'),
        size: { value: { type: 'number_input', value: '1' } },
        instance: { instance_pick: { type: 'external_select', selected_option: { value: DEMO.instances.web1 } } },
        device: text('/dev/sdg'),
      },
    });
    expect(res.json?.response_action).toBe('errors');
    const errors = res.json?.errors as Record<string, string>;
    expect(errors.size).toMatch(/at least \d+ GiB/);
    expect(errors.instance).toMatch(new RegExp(inst.availabilityZone));
  });

  it('restore: a throughput on gp2 is refused by the grammar, next to the field', async () => {
    const res = await t.sender.submitView({
      userId: REQUESTER,
      callbackId: 'restore_create',
      privateMetadata: meta(DEMO.snapshots.webRootDaily),
      values: { az: select(`${R}a`), type: select('gp2'), throughput: { value: { type: 'number_input', value: '500' } } },
    });
    expect(res.json?.response_action).toBe('errors');
    expect(Object.keys(res.json?.errors as object)).toEqual(['throughput']);
  });

  it('schedule: a volume that does not exist is answered next to the field, and the form stays open', async () => {
    const res = await t.sender.submitView({
      userId: REQUESTER,
      callbackId: 'snapshot_schedule',
      privateMetadata: meta(),
      values: { target: text('vol-0123456789abcdef0'), every: text('24'), at: text('09:00'), keep: text('7') },
    });
    expect(res.json?.response_action).toBe('errors');
    expect(Object.keys(res.json?.errors as object)).toEqual(['target']);
    expect(String((res.json?.errors as Record<string, string>).target)).toMatch(/vol-0123456789abcdef0 does not exist in us-east-1/);
  });

  it('ami: a bad name is refused next to the name field; a good one creates the AMI', async () => {
    const bad = await t.sender.submitView({
      userId: REQUESTER,
      callbackId: 'ami_create',
      privateMetadata: meta(),
      values: { instance: { instance_pick: { type: 'external_select', selected_option: { value: DEMO.instances.web1 } } }, name: text('x!') },
    });
    expect(bad.json?.response_action).toBe('errors');
    expect(Object.keys(bad.json?.errors as object)).toEqual(['name']);
    const ok = await t.sender.submitView({
      userId: REQUESTER,
      callbackId: 'ami_create',
      privateMetadata: meta(),
      values: {
        instance: { instance_pick: { type: 'external_select', selected_option: { value: DEMO.instances.web1 } } },
        name: text('web-1 from modal'),
        options: { v: { type: 'checkboxes', selected_options: [{ value: 'no-reboot' }] } },
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    await t.slack.waitFor((x) => textOf(x).includes('web-1 from modal') && /done/.test(textOf(x)), 20_000);
  });
});

describe('/ami', () => {
  it('create i-… <name> --no-reboot makes a tagged AMI and follows it to available', async () => {
    await t.command('/ami', `create ${DEMO.instances.web2} web-2-golden --no-reboot`);
    const m = await t.slack.waitFor((x) => textOf(x).includes('web-2-golden') && /done/.test(textOf(x)), 20_000, 'AMI available');
    const amiId = textOf(m).match(/ami-[0-9a-f]{17}/)![0];
    const ami = t.ec2.state.getImage(R, amiId)!;
    expect(ami.name).toBe('web-2-golden');
    expect(ami.tags).toMatchObject({ 'snapbot:requested-by': REQUESTER, Name: 'web-2-golden' });
    expect(textOf(m)).toContain(`/ami launch ${amiId}`);
  });

  it('from-snapshot registers an AMI whose root is that snapshot', async () => {
    await t.command('/ami', `from-snapshot ${DEMO.snapshots.buildRootStale} build-restore --arch arm64`);
    const m = await t.slack.waitFor((x) => textOf(x).includes('build-restore') && /done/.test(textOf(x)), 20_000);
    const ami = t.ec2.state.getImage(R, textOf(m).match(/ami-[0-9a-f]{17}/)![0])!;
    expect(ami.architecture).toBe('arm64');
    expect(JSON.stringify(ami.blockDevices)).toContain(DEMO.snapshots.buildRootStale);
  });

  it('list shows AMIs with age, last launch, sharing, snapshots and cost', async () => {
    await t.command('/ami', 'list');
    const m = await t.slack.waitFor(ephemeralTo(REQUESTER, (x) => /AMIs? in us-east-1/.test(x)), 15_000);
    const text = textOf(m);
    expect(text).toMatch(/never launched|launched .* ago/);
    expect(text).toMatch(/public|private|shared with/);
    expect(text).toMatch(/snapshot/);
    expect(text).toMatch(/\$\d+\.\d\d/);
  });

  it('launch starts an instance from an AMI', async () => {
    const ami = [...t.ec2.state.region(R).images.values()].find((i) => t.ec2.state.imageState(i) === 'available')!;
    await t.command('/ami', `launch ${ami.id} --type t3.small`);
    const m = await t.slack.waitFor((x) => textOf(x).includes(`Instance from ${ami.id}`) && /done/.test(textOf(x)), 15_000);
    const instanceId = textOf(m).match(/\bi-[0-9a-f]{17}/)![0];
    expect(t.ec2.state.getInstance(R, instanceId)?.type).toBe('t3.small');
    // "done" means running: the message followed the instance out of pending.
    expect(textOf(m)).toMatch(/running/);
    expect(t.ec2.state.instanceState(t.ec2.state.getInstance(R, instanceId)!)).toBe('running');
  });

  it('copy --to-region copies an AMI and follows the copy', async () => {
    const ami = [...t.ec2.state.region(R).images.values()].find((i) => t.ec2.state.imageState(i) === 'available')!;
    await t.command('/ami', `copy ${ami.id} --to-region eu-west-1`);
    const m = await t.slack.waitFor((x) => textOf(x).includes(`Copy of ${ami.id}`) && /done/.test(textOf(x)), 20_000);
    const copyId = textOf(m).match(/ami-[0-9a-f]{17}/g)!.find((id) => id !== ami.id)!;
    expect(t.ec2.state.getImage('eu-west-1', copyId)).toBeDefined();
  });

  it('an unknown AMI fails with a plain-words reason', async () => {
    await t.command('/ami', 'launch ami-0123456789abcdef0');
    const m = await t.slack.waitFor((x) => textOf(x).includes('ami-0123456789abcdef0') && /failed/.test(textOf(x)), 15_000);
    expect(textOf(m)).toMatch(/does not exist/);
  });
});

describe('/share', () => {
  it('shares with an allowed account at once, and --revoke removes it at once', async () => {
    const snap = DEMO.snapshots.webRootBeforeUpgrade;
    await t.command('/share', `${snap} 111122223333`);
    await t.slack.waitFor((x) => x.channel === CHANNEL && textOf(x).includes(`shared \`${snap}\` with account 111122223333`), 15_000);
    expect(t.ec2.state.getSnapshot(R, snap)!.sharedWith).toContain('111122223333');
    expect(buttonsOf(t.slack.messages.at(-1)!)).toEqual([]);

    await t.command('/share', `${snap} --revoke 111122223333`);
    await t.slack.waitFor((x) => textOf(x).includes(`revoked account 111122223333's access to \`${snap}\``), 15_000);
    expect(t.ec2.state.getSnapshot(R, snap)!.sharedWith).not.toContain('111122223333');
  });
});
