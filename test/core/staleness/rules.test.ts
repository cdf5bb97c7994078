// Each rule alone, with a fixed clock.
import { describe, expect, it } from 'vitest';
import {
  amiNotLaunched,
  olderThanStaleDays,
  publicImage,
  publicSnapshot,
  RULES,
  sourceVolumeGone,
  unencryptedImage,
  unencryptedSnapshot,
  unusedByAmi,
} from '../../../src/core/staleness/index.js';
import { ctx, DAY, daysAgo, image, NOW, snap } from './fixtures.js';

describe('older-than', () => {
  it('fires past STALE_AFTER_DAYS, saying the limit and the age', () => {
    expect(olderThanStaleDays.check(snap({ startTime: daysAgo(412) }), ctx())).toEqual({
      rule: 'older-than',
      text: 'older than 90 days (412 days)',
    });
  });

  it('does not fire at exactly STALE_AFTER_DAYS, and fires a minute later', () => {
    expect(olderThanStaleDays.check(snap({ startTime: daysAgo(90) }), ctx())).toBeUndefined();
    const justOver = new Date(NOW.getTime() - 90 * DAY - 60_000);
    expect(olderThanStaleDays.check(snap({ startTime: justOver }), ctx())?.rule).toBe('older-than');
  });

  it('follows the configured number of days', () => {
    expect(olderThanStaleDays.check(snap({ startTime: daysAgo(40) }), ctx({ staleAfterDays: 30 }))?.text).toBe(
      'older than 30 days (40 days)',
    );
    expect(olderThanStaleDays.check(snap({ startTime: daysAgo(40) }), ctx())).toBeUndefined();
  });
});

describe('source-volume-gone', () => {
  it('fires when the source volume is not among the existing volumes', () => {
    const r = sourceVolumeGone.check(snap({ volumeId: 'vol-0deadbeefdeadbeef' }), ctx());
    expect(r).toEqual({ rule: 'source-volume-gone', text: 'source volume vol-0deadbeefdeadbeef no longer exists' });
  });

  it('does not fire while the volume exists', () => {
    expect(sourceVolumeGone.check(snap(), ctx())).toBeUndefined();
  });

  it('does not fire for copies (vol-ffffffff) or snapshots without a volume', () => {
    expect(sourceVolumeGone.check(snap({ volumeId: 'vol-ffffffff' }), ctx())).toBeUndefined();
    expect(sourceVolumeGone.check(snap({ volumeId: undefined }), ctx())).toBeUndefined();
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
      expect.arrayContaining(['older-than', 'source-volume-gone', 'unused-by-ami', 'ami-not-launched', 'public', 'unencrypted']),
    );
    for (const r of RULES) expect(r.title.length).toBeGreaterThan(0);
  });
});
