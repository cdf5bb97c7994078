// The drills' pure rules: where the sample points fall, what a drill costs, which volumes are due, failures that
// stand until a later drill passes, and the evidence rows.
import { describe, expect, it } from 'vitest';
import { drillCostUsd, dueForDrill, evidenceRows, EVIDENCE_COLUMNS, provenSince, samplePoints, standingFailures, type DrillRecord } from '../../src/core/drills.js';

const drill = (o: Partial<DrillRecord> & Pick<DrillRecord, 'id' | 'at'>): DrillRecord => ({
  by: 'U1',
  region: 'us-east-1',
  volumeId: 'vol-1',
  snapshotId: 'snap-1',
  snapshotAgeHours: 3,
  availabilityZone: 'us-east-1a',
  result: 'passed',
  secondsToAvailable: 4.2,
  blocksVerified: 32,
  costUsd: 0.0001,
  ...o,
});

describe('samplePoints', () => {
  it('spreads the points evenly from block 0, never more than the blocks', () => {
    expect(samplePoints(40_960, 4)).toEqual([0, 10_240, 20_480, 30_720]);
    expect(samplePoints(3, 32)).toEqual([0, 1, 2]);
    expect(samplePoints(0, 32)).toEqual([0]);
  });
});

describe('drillCostUsd', () => {
  it('bills the volume per second with a 60-second minimum, List calls per request and blocks per block read', () => {
    const short = drillCostUsd({ volumeType: 'gp3', sizeGiB: 100, seconds: 5, listCalls: 0, blocksRead: 0 });
    expect(short).toBeCloseTo((0.08 * 100 * 60) / (730 * 3600), 10);
    const reads = drillCostUsd({ volumeType: 'gp3', sizeGiB: 100, seconds: 5, listCalls: 1000, blocksRead: 1000 }) - short;
    expect(reads).toBeCloseTo(0.0006 + 0.003, 10);
    expect(drillCostUsd({ volumeType: 'gp2', sizeGiB: 100, seconds: 3600, listCalls: 0, blocksRead: 0 })).toBeCloseTo((0.1 * 100) / 730, 10);
  });
});

describe('which drills count', () => {
  const now = new Date('2026-12-03T12:00:00Z');
  const day = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
  it('a failure stands until a later drill of the volume passes', () => {
    const failed = drill({ id: 'a', at: day(3), result: 'failed', badBlock: 7 });
    expect(standingFailures([failed]).map((d) => d.id)).toEqual(['a']);
    expect(standingFailures([failed, drill({ id: 'b', at: day(1) })])).toEqual([]);
    expect(standingFailures([drill({ id: 'b', at: day(4) }), failed]).map((d) => d.id)).toEqual(['a']);
  });
  it('proven: a passed drill within the window', () => {
    const drills = [drill({ id: 'a', at: day(2), volumeId: 'vol-a' }), drill({ id: 'b', at: day(9), volumeId: 'vol-b' }), drill({ id: 'c', at: day(1), volumeId: 'vol-c', result: 'failed' })];
    expect([...provenSince(drills, new Date(day(7)))]).toEqual(['vol-a']);
  });
  it('due: never drilled first, then the longest unproven, none drilled within the days, at most max', () => {
    const c = (volumeId: string) => ({ volumeId, region: 'us-east-1' });
    const drills = [drill({ id: 'a', at: day(20), volumeId: 'vol-a' }), drill({ id: 'b', at: day(10), volumeId: 'vol-b' }), drill({ id: 'c', at: day(1), volumeId: 'vol-c' })];
    const due = dueForDrill([c('vol-a'), c('vol-b'), c('vol-c'), c('vol-d')], drills, { now, everyDays: 7, max: 3 });
    expect(due.map((x) => x.volumeId)).toEqual(['vol-d', 'vol-a', 'vol-b']);
    expect(dueForDrill([c('vol-d')], drills, { now, everyDays: 0, max: 3 })).toEqual([]);
  });
});

describe('evidenceRows', () => {
  it('one row per volume in use with its latest drill, then one per drill; every column filled as the contract says', () => {
    const rows = evidenceRows(
      [
        { region: 'us-east-1', volumeId: 'vol-1', name: 'db', newestSnapshotId: 'snap-9', newestAgeHours: 5, rpoHours: 24, rpoMet: true, coveredBy: ['daily', 'aws-backup'] },
        { region: 'us-east-1', volumeId: 'vol-2', rpoHours: 24, rpoMet: false, coveredBy: [] },
      ],
      [drill({ id: 'x', at: '2026-12-01T10:00:00.000Z', detail: "the snapshot's KMS key may not be used", blocksVerified: 0 })],
      { ownAccount: '123456789012' },
    );
    expect(rows.map((r) => Object.keys(r))).toEqual(rows.map(() => [...EVIDENCE_COLUMNS]));
    expect(rows.map((r) => [r.kind, r.volume_id])).toEqual([['volume', 'vol-1'], ['volume', 'vol-2'], ['drill', 'vol-1']]);
    expect(rows[0]).toMatchObject({ account: '123456789012', rpo_met: 'true', covered_by: 'daily; aws-backup', last_drill_at: '2026-12-01T10:00:00.000Z', drill_result: 'passed', seconds_to_available: '4.2', blocks_verified: '0' });
    expect(rows[1]).toMatchObject({ rpo_met: 'false', newest_snapshot_id: '', drill_result: '', last_drill_at: '' });
    expect(rows[2]).toMatchObject({ kind: 'drill', name: 'db', newest_snapshot_id: '', drill_snapshot_id: 'snap-1', drill_detail: "the snapshot's KMS key may not be used" });
  });
});

import { quotaOutlook } from '../../src/core/quota.js';

describe('quotaOutlook', () => {
  const today = { region: 'us-east-1', snapshots: 80_000, day: '2026-12-03' };
  it('the days until full at the growth since the earliest digest known', () => {
    const o = quotaOutlook(today, [{ day: '2026-11-23', snapshots: 79_000 }, { day: '2026-12-03', snapshots: 80_000 }], { value: 100_000, source: 'applied' });
    expect(o).toMatchObject({ perDay: 100, daysUntilFull: 200, quota: 100_000, source: 'applied' });
  });
  it('not growing, or not known yet', () => {
    expect(quotaOutlook(today, [{ day: '2026-11-23', snapshots: 81_000 }], { value: 100_000, source: 'default' })).toMatchObject({ perDay: -100 });
    expect(quotaOutlook(today, [{ day: '2026-11-23', snapshots: 81_000 }], { value: 100_000, source: 'default' }).daysUntilFull).toBeUndefined();
    expect(quotaOutlook(today, [today], { value: 100_000, source: 'assumed' }).perDay).toBeUndefined();
  });
});
