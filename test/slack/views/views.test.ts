// The bot's own messages and modals stay within Block Kit's limits however much there is to show.
import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../../src/core/approvals.js';
import type { Image, Snapshot } from '../../../src/core/types.js';
import { approvalRequestMessage, rejectModal } from '../../../src/slack/views/approvals.js';
import { assertWithinBlockKitLimits, blockKitViolations } from '../../../src/slack/views/blockkit.js';
import { imageListMessage, snapshotListMessage } from '../../../src/slack/views/lists.js';
import { amiModal, restoreModal, shareModal, snapshotModal } from '../../../src/slack/views/modals.js';
import { progressMessage } from '../../../src/slack/views/progress.js';
import { snapshotListing } from '../../../src/core/listing.js';

const now = new Date('2026-11-22T10:00:00Z');
const prices = { snapshotGbMonth: 0.05, archiveGbMonth: 0.0125 };
const hex = (n: number) => n.toString(16).padStart(17, '0');

function snapshot(i: number): Snapshot {
  return {
    id: `snap-${hex(i)}`,
    region: 'us-east-1',
    volumeId: `vol-${hex(i)}`,
    volumeSizeGiB: 100,
    state: 'completed',
    progress: 100,
    startTime: new Date(now.getTime() - i * 3_600_000),
    encrypted: false,
    storageTier: 'standard',
    description: 'x'.repeat(255),
    tags: { Name: `a very long name tag number ${i} `.repeat(4) },
  };
}

describe('view builders within Block Kit limits', () => {
  it('a list of 10 000 snapshots', () => {
    const listing = snapshotListing(prices);
    listing.add(Array.from({ length: 10_000 }, (_, i) => snapshot(i)));
    const msg = snapshotListMessage(listing.result(), { now, prices, region: 'us-east-1' });
    assertWithinBlockKitLimits(msg);
    expect(msg.blocks!.at(-1)).toMatchObject({ type: 'context' });
    expect(JSON.stringify(msg.blocks)).toContain('more, not shown');
  });

  it('/snapshot list counts and prices every page but keeps only the newest 200', () => {
    // 10 pages of 1000 in no particular order, as EC2 returns them.
    const all = Array.from({ length: 10_000 }, (_, i) => snapshot(i));
    const shuffled = all.map((s, i) => ({ s, k: (i * 7919) % 10_000 })).sort((a, b) => a.k - b.k).map((x) => x.s);
    const listing = snapshotListing(prices);
    for (let p = 0; p < 10; p++) listing.add(shuffled.slice(p * 1000, (p + 1) * 1000));
    const r = listing.result();
    expect(r.count).toBe(10_000);
    expect(r.monthlyUsd).toBeCloseTo(10_000 * 100 * prices.snapshotGbMonth, 6);
    expect(r.newest.map((s) => s.id)).toEqual(all.slice(0, 200).map((s) => s.id)); // snapshot(0) is the newest
    expect(snapshotListMessage(snapshotListing(prices).result(), { now, prices, region: 'us-east-1' }).text).toMatch(/^No snapshots in this account/);
  });

  it('a list of 5 000 AMIs', () => {
    const images: Image[] = Array.from({ length: 5_000 }, (_, i) => ({
      id: `ami-${hex(i)}`,
      region: 'us-east-1',
      name: `image-${i}-${'n'.repeat(100)}`,
      state: 'available',
      public: i % 7 === 0,
      creationDate: new Date(now.getTime() - i * 86_400_000),
      blockDevices: [{ device: '/dev/xvda', snapshotId: `snap-${hex(i)}`, volumeSizeGiB: 8 }],
      tags: {},
    }));
    assertWithinBlockKitLimits(imageListMessage(images.map((image) => ({ image })), { now, prices, region: 'us-east-1', snapshotsById: new Map() }));
  });

  it('progress of 500 snapshots of an instance, with a long failure', () => {
    const msg = progressMessage({
      title: 'Crash-consistent snapshots',
      requesterId: 'U0123ABCD',
      phase: 'failed',
      items: Array.from({ length: 500 }, (_, i) => ({ id: `snap-${hex(i)}`, label: 'of vol-… '.repeat(30), state: 'pending', percent: 42 })),
      failure: 'e'.repeat(5000),
    });
    assertWithinBlockKitLimits(msg);
  });

  it('an approval request with a 500-character reason and many risk lines, pending and decided', () => {
    const r: ApprovalRequest = {
      id: '01J0000000000000000000000',
      action: { type: 'ami.deregister', imageId: `ami-${hex(1)}`, deleteSnapshots: true },
      region: 'us-east-1',
      requester: { userId: 'U0REQ', channelId: 'C0DEV' },
      reason: 'r'.repeat(500),
      risk: { lines: Array.from({ length: 200 }, (_, i) => `risk line ${i} `.repeat(5)), monthlyUsdFreed: 12.5 },
      status: 'pending',
      createdAt: now.toISOString(),
      decideBy: now.toISOString(),
    };
    const pending = approvalRequestMessage(r);
    assertWithinBlockKitLimits(pending);
    const buttons = JSON.stringify(pending.blocks);
    expect(buttons).toContain('"Approve"');
    expect(buttons).toContain('"Reject"');
    const failed = approvalRequestMessage({ ...r, status: 'failed', decidedBy: 'U0APP', decidedAt: now.toISOString(), outcome: { ok: false, message: 'm'.repeat(4000), at: now.toISOString() } });
    assertWithinBlockKitLimits(failed);
    expect(JSON.stringify(failed.blocks)).not.toContain('"Approve"');
  });

  it('the modals', () => {
    const meta = { channelId: 'C0DEV', resourceId: `snap-${hex(1)}` };
    for (const view of [snapshotModal(meta), amiModal(meta), restoreModal(meta, snapshot(1)), restoreModal(meta), shareModal(meta), rejectModal('id', 'x'.repeat(3000))]) {
      expect(blockKitViolations({ blocks: view.blocks as never }, 'modal')).toEqual([]);
      expect(view.private_metadata!.length).toBeLessThanOrEqual(3000);
    }
  });
});
