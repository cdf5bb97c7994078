// Small builders for snapshots, images and scan contexts, with a fixed clock.
import type { Finding, ScanContext } from '../../../src/core/staleness/index.js';
import type { Image, Snapshot } from '../../../src/core/types.js';

export const NOW = new Date('2025-06-01T09:00:00Z');
export const DAY = 86_400_000;
export const ACCOUNT = '111122223333';
export const PRICES = { snapshotGbMonth: 0.05, archiveGbMonth: 0.0125 };

export function daysAgo(days: number, from: Date = NOW): Date {
  return new Date(from.getTime() - days * DAY);
}

export function snap(over: Partial<Snapshot> = {}): Snapshot {
  return {
    id: 'snap-0123456789abcdef0',
    region: 'us-east-1',
    ownerId: ACCOUNT,
    volumeId: 'vol-0aaaaaaaaaaaaaaa1',
    volumeSizeGiB: 100,
    state: 'completed',
    progress: 100,
    startTime: daysAgo(10),
    encrypted: true,
    storageTier: 'standard',
    tags: {},
    ...over,
  };
}

export function image(over: Partial<Image> = {}): Image {
  return {
    id: 'ami-0123456789abcdef0',
    region: 'us-east-1',
    ownerId: ACCOUNT,
    name: 'web-2025-01',
    state: 'available',
    creationDate: daysAgo(10),
    public: false,
    blockDevices: [{ device: '/dev/xvda', snapshotId: 'snap-0ami0000000000001', volumeSizeGiB: 8, encrypted: true }],
    tags: {},
    ...over,
  };
}

export function ctx(over: Partial<ScanContext> = {}): ScanContext {
  return {
    now: NOW,
    staleAfterDays: 90,
    keepPerVolume: 1,
    // No snapshot is its volume's newest unless a test says so.
    newestOfVolume: { isAmongNewest: () => false },
    prices: PRICES,
    existingVolumeIds: new Set(['vol-0aaaaaaaaaaaaaaa1']),
    imageIdsBySnapshotId: new Map(),
    launchTemplateSnapshotIds: new Set(),
    launchTemplateImageIds: new Set(),
    launchConfigurationSnapshotIds: new Set(),
    launchConfigurationImageIds: new Set(),
    runningImageIds: new Set(),
    publicSnapshotIds: new Set(),
    foreignShares: new Map(),
    fastRestoreZones: new Map(),
    hiddenUntil: new Map(),
    keptShared: new Map(),
    accountId: ACCOUNT,
    ...over,
  };
}

export function finding(over: Partial<Finding> & { id: string }): Finding {
  return {
    kind: 'snapshot',
    region: 'us-east-1',
    reasons: [{ rule: 'source-volume-gone', text: 'source volume vol-0dead0000000000001 no longer exists; 400 days old' }],
    ageDays: 10,
    sizeGiB: 10,
    monthlyUsd: 0.5,
    deletable: true,
    ...over,
  };
}
