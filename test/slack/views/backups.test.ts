// The backup views stay inside Slack's limits however much there is: 50 blocks, 3000 characters a section.
import { describe, expect, it } from 'vitest';
import type { LifecyclePolicy } from '../../../src/core/schedules.js';
import type { RecycleBinItem } from '../../../src/core/types.js';
import { assertWithinBlockKitLimits } from '../../../src/slack/views/blockkit.js';
import { recycleBinMessage, scheduleModal, schedulesMessage } from '../../../src/slack/views/backups.js';

const NOW = new Date('2026-12-01T10:30:00Z');

const policy = (i: number): LifecyclePolicy => ({
  id: `policy-${String(i).padStart(17, '0')}`,
  region: 'us-east-1',
  description: `policy ${i} `.repeat(30),
  state: i % 3 ? 'ENABLED' : 'DISABLED',
  policyType: 'EBS_SNAPSHOT_MANAGEMENT',
  resourceTypes: ['VOLUME'],
  targetTags: [{ key: `snapbot:schedule:s${i}`, value: 'true' }],
  schedules: Array.from({ length: 4 }, (_, k) => ({ name: `s${k}`, everyHours: 24, times: ['09:00'], retention: { count: 7 }, copies: [{ region: 'eu-west-1', encrypted: true, retainDays: 7 }] })),
  tags: i % 2 ? { 'snapbot:schedule-name': `s${i}` } : {},
});

describe('backup views', () => {
  it('a region with a hundred policies lists what fits and says how many more', () => {
    const volumes = Array.from({ length: 500 }, (_, i) => ({
      id: `vol-${String(i).padStart(17, '0')}`,
      region: 'us-east-1',
      availabilityZone: 'us-east-1a',
      sizeGiB: 8,
      type: 'gp3',
      state: 'in-use' as const,
      encrypted: false,
      attachments: [],
      tags: { [`snapbot:schedule:s${i % 100}`]: 'true', Name: 'x'.repeat(200) },
    }));
    const m = schedulesMessage(Array.from({ length: 100 }, (_, i) => policy(i)), { volumes, instances: [], region: 'us-east-1', now: NOW });
    expect(() => assertWithinBlockKitLimits(m)).not.toThrow();
    expect(m.blocks!.length).toBeLessThanOrEqual(50);
    expect(m.text).toMatch(/next run between 09:00 and 10:00 UTC on 2026-12-02/);
  });

  it('a full Recycle Bin is cut at Slack’s limits, soonest to leave first', () => {
    const items: RecycleBinItem[] = Array.from({ length: 2000 }, (_, i) => ({
      kind: i % 2 ? 'snapshot' : 'image',
      id: i % 2 ? `snap-${String(i).padStart(17, '0')}` : `ami-${String(i).padStart(17, '0')}`,
      region: 'us-east-1',
      description: 'd'.repeat(300),
      enteredAt: new Date(NOW.getTime() - i * 60_000),
      exitsAt: new Date(NOW.getTime() + (2000 - i) * 60_000),
    }));
    const m = recycleBinMessage(items, { rules: [] }, { region: 'us-east-1', now: NOW });
    expect(() => assertWithinBlockKitLimits(m)).not.toThrow();
    // The soonest to leave the bin come first; the last to leave are what a cut drops.
    expect(m.text).toContain(items[1999].id);
    expect(m.text).not.toContain(items[0].id);
    expect(m.text).toMatch(/No retention rules: deleted snapshots and deregistered AMIs are gone for good/);
  });

  it('the schedule form opens filled in with what the digest knows', () => {
    const v = scheduleModal({ channelId: 'C0DEVOPS' }, 'vol-0abc1234def567890');
    expect(() => assertWithinBlockKitLimits({ text: '', blocks: v.blocks as never }, 'modal')).not.toThrow();
    expect(JSON.stringify(v)).toContain('"initial_value":"vol-0abc1234def567890"');
  });
});
