import { describe, expect, it } from 'vitest';
import {
  archiveEarlyDeletionWarning,
  formatGiB,
  formatMonthlyUsd,
  formatUsd,
  groupThousands,
  imageMonthlyUsd,
  imageSizeGiB,
  snapshotBillableGb,
  snapshotMonthlyUsd,
} from '../../src/core/cost.js';
import { daysAgo, image, NOW, PRICES, snap } from './staleness/fixtures.js';

describe('snapshot cost', () => {
  it('uses the full snapshot size in decimal GB when AWS reports it', () => {
    const s = snap({ volumeSizeGiB: 500, fullSizeBytes: 20e9 });
    expect(snapshotBillableGb(s)).toBe(20);
    expect(snapshotMonthlyUsd(s, PRICES)).toBeCloseTo(1.0, 10);
  });

  it('falls back to the volume size when the full size is unknown', () => {
    expect(snapshotMonthlyUsd(snap({ volumeSizeGiB: 100 }), PRICES)).toBeCloseTo(5.0, 10);
  });

  it('prices the archive tier at the archive price', () => {
    expect(snapshotMonthlyUsd(snap({ volumeSizeGiB: 100, storageTier: 'archive' }), PRICES)).toBeCloseTo(1.25, 10);
  });

  it('takes a zero full size at its word', () => {
    expect(snapshotMonthlyUsd(snap({ volumeSizeGiB: 100, fullSizeBytes: 0 }), PRICES)).toBe(0);
  });
});

describe('AMI cost', () => {
  const a = snap({ id: 'snap-a', volumeSizeGiB: 100, fullSizeBytes: 10e9 }); // $0.50
  const b = snap({ id: 'snap-b', volumeSizeGiB: 40, storageTier: 'archive' }); // $0.50
  const ami = image({
    blockDevices: [
      { device: '/dev/xvda', snapshotId: 'snap-a', volumeSizeGiB: 100 },
      { device: '/dev/xvdb', snapshotId: 'snap-b', volumeSizeGiB: 40 },
      { device: '/dev/xvdc', snapshotId: 'snap-missing', volumeSizeGiB: 20 }, // $1.00 from the device size
      { device: '/dev/xvdd' }, // instance store: free
    ],
  });

  it('is the sum of its snapshots, pricing missing ones by the block device size', () => {
    const byId = new Map([a, b].map((s) => [s.id, s]));
    expect(imageMonthlyUsd(ami, byId, PRICES)).toBeCloseTo(2.0, 10);
  });

  it('counts a snapshot referenced twice once', () => {
    const twice = image({ blockDevices: [{ device: 'a', snapshotId: 'snap-a' }, { device: 'b', snapshotId: 'snap-a' }] });
    expect(imageMonthlyUsd(twice, new Map([[a.id, a]]), PRICES)).toBeCloseTo(0.5, 10);
    expect(imageSizeGiB(twice, new Map([[a.id, a]]))).toBeCloseTo(10e9 / 2 ** 30, 10);
  });
});

describe('formatting', () => {
  it('says dollars with cents and "up to"', () => {
    expect(formatUsd(12.5)).toBe('$12.50');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd(0.005)).toBe('$0.01');
    expect(formatMonthlyUsd(12.5)).toBe('up to $12.50/mo');
  });

  it('groups thousands and sizes', () => {
    expect(groupThousands(9812)).toBe('9,812');
    expect(groupThousands(1234567)).toBe('1,234,567');
    expect(groupThousands(999)).toBe('999');
    expect(formatGiB(1234)).toBe('1,234 GiB');
    expect(formatGiB(2.54)).toBe('2.5 GiB');
    expect(formatGiB(8)).toBe('8 GiB');
  });
});

describe('archive early deletion', () => {
  it('says nothing for the standard tier', () => {
    expect(archiveEarlyDeletionWarning(snap({ startTime: daysAgo(5) }), NOW)).toBeUndefined();
  });

  it('says "may" when the archive time is approximated by the creation time', () => {
    const s = snap({ storageTier: 'archive', startTime: daysAgo(40), completionTime: daysAgo(39) });
    const w = archiveEarlyDeletionWarning(s, NOW, { prices: PRICES });
    expect(w).toMatch(/may incur an early-deletion charge of up to \$\d+\.\d\d \(archived snapshots are billed for at least 90 days\)/);
  });

  it('is definite, with the days left, when the archive time is known', () => {
    const s = snap({ storageTier: 'archive', volumeSizeGiB: 100, startTime: daysAgo(400) });
    const w = archiveEarlyDeletionWarning(s, NOW, { archivedAt: daysAgo(30), prices: PRICES });
    // 100 GB × $0.0125 × 60/30 days
    expect(w).toMatch(/incurs an early-deletion charge of up to \$2\.50 for the remaining 60 of the 90 days/);
  });

  it('says nothing once 90 days have passed since archiving (or the approximation of it)', () => {
    const s = snap({ storageTier: 'archive', startTime: daysAgo(120) });
    expect(archiveEarlyDeletionWarning(s, NOW)).toBeUndefined();
    expect(archiveEarlyDeletionWarning(s, NOW, { archivedAt: daysAgo(90) })).toBeUndefined();
  });
});
