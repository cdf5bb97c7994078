// Each rule alone, with a fixed clock.
import { describe, expect, it } from 'vitest';
import {
  amiNotLaunched,
  fastRestoreOn,
  NewestPerVolume,
  publicImage,
  publicSnapshot,
  RULES,
  sourceVolumeGone,
  staleCopy,
  superseded,
  unencryptedImage,
  unencryptedSnapshot,
  unusedByAmi,
} from '../../../src/core/staleness/index.js';
import { ctx, DAY, daysAgo, image, NOW, snap } from './fixtures.js';

describe('source-volume-gone', () => {
  it('fires for a snapshot older than STALE_AFTER_DAYS whose source volume is gone, saying both', () => {
    const r = sourceVolumeGone.check(snap({ volumeId: 'vol-0deadbeefdeadbeef', startTime: daysAgo(412) }), ctx());
    expect(r).toEqual({ rule: 'source-volume-gone', text: 'source volume vol-0deadbeefdeadbeef no longer exists; 412 days old' });
  });

  it('never fires for a young snapshot, even of a deleted volume: exactly STALE_AFTER_DAYS is not old yet', () => {
    expect(sourceVolumeGone.check(snap({ volumeId: 'vol-0deadbeefdeadbeef', startTime: daysAgo(3) }), ctx())).toBeUndefined();
    expect(sourceVolumeGone.check(snap({ volumeId: 'vol-0deadbeefdeadbeef', startTime: daysAgo(90) }), ctx())).toBeUndefined();
    const justOver = new Date(NOW.getTime() - 90 * DAY - 60_000);
    expect(sourceVolumeGone.check(snap({ volumeId: 'vol-0deadbeefdeadbeef', startTime: justOver }), ctx())?.rule).toBe('source-volume-gone');
    expect(sourceVolumeGone.check(snap({ volumeId: 'vol-0deadbeefdeadbeef', startTime: daysAgo(40) }), ctx({ staleAfterDays: 30 }))?.rule).toBe('source-volume-gone');
  });

  it('does not fire while the volume exists', () => {
    expect(sourceVolumeGone.check(snap({ startTime: daysAgo(400) }), ctx())).toBeUndefined();
  });

  it('does not fire for copies (vol-ffffffff) or snapshots without a volume', () => {
    expect(sourceVolumeGone.check(snap({ volumeId: 'vol-ffffffff', startTime: daysAgo(400) }), ctx())).toBeUndefined();
    expect(sourceVolumeGone.check(snap({ volumeId: undefined, startTime: daysAgo(400) }), ctx())).toBeUndefined();
  });
});

describe('superseded, and the "newest of a live volume" guard', () => {
  const VOL = 'vol-0aaaaaaaaaaaaaaa1';
  const old = snap({ id: 'snap-0old000000000001', startTime: daysAgo(200) });
  const newer = snap({ id: 'snap-0new000000000001', startTime: daysAgo(5) });

  function newest(keep: number, ...seen: Parameters<NewestPerVolume['see']>[0][]) {
    const t = new NewestPerVolume(keep);
    for (const s of seen) t.see(s);
    return t;
  }

  it('fires for an old snapshot of a live volume when a newer completed one exists', () => {
    const r = superseded.check(old, ctx({ newestOfVolume: newest(1, old, newer) }));
    expect(r).toEqual({ rule: 'superseded', text: "200 days old; the volume's newest snapshot is newer and kept" });
  });

  it('never fires for the newest completed snapshot of a live volume, however old (its only backup)', () => {
    expect(superseded.check(old, ctx({ newestOfVolume: newest(1, old) }))).toBeUndefined();
  });

  it('a newer snapshot still pending does not supersede: only completed ones count', () => {
    const pending = snap({ id: 'snap-0pend00000000001', startTime: daysAgo(1), state: 'pending' });
    expect(superseded.check(old, ctx({ newestOfVolume: newest(1, old, pending) }))).toBeUndefined();
  });

  it('keeps the newest whatever order the snapshots come in, ties going to the larger ID, with one kept or more', () => {
    const twin = snap({ id: 'snap-0new000000000002', startTime: newer.startTime });
    for (const keep of [1, 3]) {
      for (const order of [[old, newer, twin], [twin, newer, old], [newer, old, twin]]) {
        const t = newest(keep, ...order);
        expect(t.isAmongNewest(twin)).toBe(true);
        expect(t.isAmongNewest(newer)).toBe(keep > 1);
        expect(t.isAmongNewest(old)).toBe(keep > 2);
      }
    }
  });

  it('answers the same for the snapshots it is narrowed to, and no for the rest', () => {
    const third = snap({ id: 'snap-0old000000000003', startTime: daysAgo(300) });
    const tracker = newest(2, third, old, newer);
    const narrowed = tracker.only(new Set([old.id, third.id]));
    expect(narrowed.isAmongNewest(old)).toBe(true);
    expect(narrowed.isAmongNewest(third)).toBe(false);
    expect(narrowed.isAmongNewest(newer)).toBe(false); // among the newest, but not asked for
    expect(superseded.check(old, ctx({ keepPerVolume: 2, newestOfVolume: narrowed }))).toBeUndefined();
  });

  it('keeps the newest KEEP_PER_VOLUME: with 2 kept, the second newest stays and the third goes', () => {
    const third = snap({ id: 'snap-0old000000000003', startTime: daysAgo(300) });
    const tracker = newest(2, third, old, newer);
    expect(superseded.check(old, ctx({ keepPerVolume: 2, newestOfVolume: tracker }))).toBeUndefined();
    expect(superseded.check(third, ctx({ keepPerVolume: 2, newestOfVolume: tracker }))?.text).toBe("300 days old; the volume's 2 newest snapshots are newer and kept");
  });

  it('never fires for a young snapshot, a deleted volume or a copy', () => {
    const tracker = newest(1, old, newer);
    const young = snap({ id: 'snap-0young0000000001', startTime: daysAgo(30) });
    expect(superseded.check(young, ctx({ newestOfVolume: newest(1, young, newer) }))).toBeUndefined();
    expect(superseded.check(snap({ ...old, volumeId: 'vol-0deadbeefdeadbeef' }), ctx({ newestOfVolume: tracker }))).toBeUndefined();
    expect(superseded.check(snap({ ...old, volumeId: undefined }), ctx({ newestOfVolume: tracker }))).toBeUndefined();
    expect(VOL).toBe(old.volumeId);
  });
});

describe('fast-restore', () => {
  it('is a cost to turn off, whatever the age, priced per zone-hour', () => {
    const s = snap({ startTime: daysAgo(2) });
    expect(fastRestoreOn.check(s, ctx({ fastRestoreZones: new Map([[s.id, ['us-east-1a', 'us-east-1b']]]) }))).toEqual({
      rule: 'fast-restore',
      text: 'fast snapshot restore is on in us-east-1a, us-east-1b: about $1,095.00/month whether or not anyone restores',
    });
    expect(fastRestoreOn.check(s, ctx())).toBeUndefined();
    expect(RULES.find((r) => r.id === 'fast-restore')?.role).toBe('cost');
  });
});

describe('stale-copy', () => {
  it('judges a copy by age alone: old copies fire, young ones do not', () => {
    expect(staleCopy.check(snap({ volumeId: undefined, startTime: daysAgo(200) }), ctx())).toEqual({ rule: 'stale-copy', text: 'a copy, 200 days old, that nothing uses' });
    expect(staleCopy.check(snap({ volumeId: 'vol-ffffffff', startTime: daysAgo(200) }), ctx())?.rule).toBe('stale-copy');
    expect(staleCopy.check(snap({ volumeId: undefined, startTime: daysAgo(20) }), ctx())).toBeUndefined();
  });

  it('never fires for a snapshot of a volume', () => {
    expect(staleCopy.check(snap({ startTime: daysAgo(200) }), ctx())).toBeUndefined();
  });
});

describe('unused-by-ami', () => {
  const s = snap({ id: 'snap-0aaaa000000000001' });

  it('fires when no AMI uses the snapshot', () => {
    expect(unusedByAmi.check(s, ctx())).toEqual({ rule: 'unused-by-ami', text: 'used by no AMI' });
    expect(unusedByAmi.check(s, ctx({ imageIdsBySnapshotId: new Map([[s.id, []]]) }))?.rule).toBe('unused-by-ami');
  });

  it('does not fire when an AMI uses it, whatever the AMI state (the index holds disabled and deprecated AMIs)', () => {
    expect(unusedByAmi.check(s, ctx({ imageIdsBySnapshotId: new Map([[s.id, ['ami-0disabled000000001']]]) }))).toBeUndefined();
  });

  it('does not fire when a launch template uses it', () => {
    expect(unusedByAmi.check(s, ctx({ launchTemplateSnapshotIds: new Set([s.id]) }))).toBeUndefined();
  });
});

describe('ami-not-launched', () => {
  it('fires when last launched more than STALE_AFTER_DAYS ago and nothing uses it', () => {
    const r = amiNotLaunched.check(image({ creationDate: daysAgo(400), lastLaunchedTime: daysAgo(200) }), ctx());
    expect(r?.rule).toBe('ami-not-launched');
    expect(r?.text).toMatch(/not launched for 200 days/);
  });

  it('uses the creation date when never launched', () => {
    const r = amiNotLaunched.check(image({ creationDate: daysAgo(120) }), ctx());
    expect(r?.text).toMatch(/never launched in the 120 days since it was created/);
  });

  it('does not fire when launched recently, even if created long ago', () => {
    expect(amiNotLaunched.check(image({ creationDate: daysAgo(900), lastLaunchedTime: daysAgo(3) }), ctx())).toBeUndefined();
  });

  it('does not fire at exactly STALE_AFTER_DAYS', () => {
    expect(amiNotLaunched.check(image({ creationDate: daysAgo(90) }), ctx())).toBeUndefined();
  });

  it('does not fire while a running instance or a launch template uses the AMI', () => {
    const i = image({ creationDate: daysAgo(400) });
    // runningImageIds holds the AMIs of instances that are pending, running, stopping or stopped.
    expect(amiNotLaunched.check(i, ctx({ runningImageIds: new Set([i.id]) }))).toBeUndefined();
    expect(amiNotLaunched.check(i, ctx({ launchTemplateImageIds: new Set([i.id]) }))).toBeUndefined();
  });

  it('does not fire when neither date is known', () => {
    expect(amiNotLaunched.check(image({ creationDate: undefined }), ctx())).toBeUndefined();
  });
});

describe('public', () => {
  it('fires for a snapshot in the public set only', () => {
    const s = snap();
    expect(publicSnapshot.check(s, ctx({ publicSnapshotIds: new Set([s.id]) }))?.rule).toBe('public');
    expect(publicSnapshot.check(s, ctx())).toBeUndefined();
  });

  it('fires for a public image only', () => {
    expect(publicImage.check(image({ public: true }), ctx())?.text).toMatch(/any AWS account can launch it/);
    expect(publicImage.check(image(), ctx())).toBeUndefined();
  });
});

describe('unencrypted', () => {
  it('fires for an unencrypted snapshot only', () => {
    expect(unencryptedSnapshot.check(snap({ encrypted: false }), ctx())).toEqual({ rule: 'unencrypted', text: 'unencrypted' });
    expect(unencryptedSnapshot.check(snap(), ctx())).toBeUndefined();
  });

  it('fires for an image with an unencrypted snapshot, naming it', () => {
    const i = image({ blockDevices: [{ device: '/dev/xvda', snapshotId: 'snap-0plain00000000001', encrypted: false }] });
    expect(unencryptedImage.check(i, ctx())?.text).toContain('snap-0plain00000000001');
    expect(unencryptedImage.check(image(), ctx())).toBeUndefined();
  });
});

describe('the registry', () => {
  it('holds every rule once per kind, with a title', () => {
    const keys = RULES.map((r) => `${r.appliesTo}:${r.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(RULES.map((r) => r.id)).toEqual(
      expect.arrayContaining(['source-volume-gone', 'superseded', 'stale-copy', 'unused-by-ami', 'ami-not-launched', 'public', 'unencrypted']),
    );
    for (const r of RULES) expect(r.title.length).toBeGreaterThan(0);
  });

  it('says what each rule is: exposures, grounds for deletion, and facts that are never a reason', () => {
    const role = (id: string) => [...new Set(RULES.filter((r) => r.id === id).map((r) => r.role))];
    expect(role('public')).toEqual(['exposure']);
    for (const id of ['source-volume-gone', 'superseded', 'stale-copy', 'ami-not-launched']) expect(role(id)).toEqual(['cleanup']);
    expect(role('unused-by-ami')).toEqual(['fact']);
    expect(role('unencrypted')).toEqual(['fact']);
  });
});
