// The pure pieces of backup automation: when a schedule next runs, what a policy covers, which volumes are backup
// gaps, which snapshots are cheaper archived, what day a temporary snapshot expires, and whether a deletion can be
// undone.
import { describe, expect, it } from 'vitest';
import { archiveSuggestion, backupSourceVolume, recoveryPoints, type VolumeBackupCandidate } from '../../src/core/backups.js';
import { dayIn, expiryDay, isExpired } from '../../src/core/expiry.js';
import { recoverability, recoverabilityText, type RecycleBinRule } from '../../src/core/recycle-bin.js';
import { copyRetentionDays, defaultScheduleName, findPolicy, nextRunWindow, policyCovers, policyDescription, type LifecyclePolicy } from '../../src/core/schedules.js';
import type { Volume } from '../../src/core/types.js';

const NOW = new Date('2026-12-01T10:30:00Z');
const PRICES = { snapshotGbMonth: 0.05, archiveGbMonth: 0.0125 };

describe('next run window: DLM starts within an hour of the planned time', () => {
  it.each([
    // [every, at, now, expected start]
    [24, '09:00', '2026-12-01T10:30:00Z', '2026-12-02T09:00:00.000Z'],
    [24, '11:00', '2026-12-01T10:30:00Z', '2026-12-01T11:00:00.000Z'],
    [24, '10:00', '2026-12-01T10:30:00Z', '2026-12-01T10:00:00.000Z'], // the window 10:00–11:00 is still open
    [12, '03:00', '2026-12-01T10:30:00Z', '2026-12-01T15:00:00.000Z'],
    [1, '00:15', '2026-12-01T10:30:00Z', '2026-12-01T10:15:00.000Z'],
    [8, '23:00', '2026-12-01T10:30:00Z', '2026-12-01T15:00:00.000Z'],
  ])('every %ih from %s at %s → from %s', (every, at, now, from) => {
    const w = nextRunWindow({ name: 's', everyHours: every, times: [at], copies: [] }, new Date(now))!;
    expect(w.from.toISOString()).toBe(from);
    expect(w.to.getTime() - w.from.getTime()).toBe(3_600_000);
  });

  it('has no window for cron schedules', () => {
    expect(nextRunWindow({ name: 's', cron: 'cron(0 9 ? * MON *)', times: [], copies: [] }, NOW)).toBeUndefined();
  });
});

const policy = (p: Partial<LifecyclePolicy>): LifecyclePolicy => ({
  id: 'policy-0123456789abcdef0',
  region: 'us-east-1',
  description: 'x',
  state: 'ENABLED',
  policyType: 'EBS_SNAPSHOT_MANAGEMENT',
  resourceTypes: ['VOLUME'],
  targetTags: [{ key: 'Backup', value: 'daily' }],
  schedules: [],
  tags: {},
  ...p,
});

describe('what a policy covers', () => {
  it.each([
    ['a volume with its target tag', policy({}), { Backup: 'daily' }, undefined, true],
    ['another value of the tag', policy({}), { Backup: 'weekly' }, undefined, false],
    ['a paused policy', policy({ state: 'DISABLED' }), { Backup: 'daily' }, undefined, false],
    ['an AMI policy', policy({ policyType: 'IMAGE_MANAGEMENT' }), { Backup: 'daily' }, undefined, false],
    ['an instance policy, through the instance', policy({ resourceTypes: ['INSTANCE'] }), {}, { Backup: 'daily' }, true],
    ['an instance policy, the volume tagged only', policy({ resourceTypes: ['INSTANCE'] }), { Backup: 'daily' }, {}, false],
    ['a default policy', policy({ defaultPolicy: true, targetTags: [] }), {}, undefined, true],
  ])('%s', (_what, p, volumeTags, instanceTags, covered) => {
    expect(policyCovers(p, volumeTags, instanceTags)).toBe(covered);
  });

  it('finds a policy by ID or by its snapbot name, case-insensitively', () => {
    const ps = [policy({ tags: { 'snapbot:schedule-name': 'Web-Daily' } }), policy({ id: 'policy-1111111111111111a' })];
    expect(findPolicy(ps, 'web-daily')).toBe(ps[0]);
    expect(findPolicy(ps, 'policy-1111111111111111a')).toBe(ps[1]);
    expect(findPolicy(ps, 'nope')).toBeUndefined();
  });

  it('names, describes and retains the way DLM allows', () => {
    expect(defaultScheduleName({ target: { type: 'tag', key: 'Team', value: 'web/app' }, everyHours: 12 })).toBe('Team-web-app-12h');
    expect(policyDescription('web.daily', { everyHours: 24, retention: { count: 7 } })).toMatch(/^[0-9A-Za-z _-]+$/);
    // Copies are kept by age: as long as the newest N source snapshots span.
    expect(copyRetentionDays({ everyHours: 12, retention: { count: 7 } })).toBe(4);
    expect(copyRetentionDays({ everyHours: 24, retention: { days: 30 } })).toBe(30);
  });
});

const volume = (id: string, o: Partial<Volume> = {}): Volume => ({
  id,
  region: 'us-east-1',
  availabilityZone: 'us-east-1a',
  sizeGiB: 20,
  type: 'gp3',
  state: 'in-use',
  encrypted: false,
  attachments: [{ instanceId: 'i-0123456789abcdef0', device: '/dev/xvda', state: 'attached' }],
  tags: {},
  ...o,
});

describe('recovery points', () => {
  const hour = 3_600_000;
  const old = new Date(NOW.getTime() - 30 * 24 * hour);
  const candidate = (id: string, o: Partial<VolumeBackupCandidate> = {}): VolumeBackupCandidate => ({ id, region: 'us-east-1', sizeGiB: 20, createTime: old, policyIds: [], ...o });
  const volumes = [
    candidate('vol-00000000000000001', { name: 'never' }),
    candidate('vol-00000000000000002'),
    candidate('vol-00000000000000003'),
    candidate('vol-00000000000000004', { policyIds: ['policy-0123456789abcdef0'] }),
    candidate('vol-00000000000000005', { createTime: new Date(NOW.getTime() - 2 * 60_000) }),
    candidate('vol-00000000000000006'),
  ];
  const facts = {
    newest: new Map([
      ['vol-00000000000000002', { id: 'snap-00000000000000002', ms: NOW.getTime() - 10 * hour }],
      ['vol-00000000000000003', { id: 'snap-00000000000000003', ms: NOW.getTime() - 200 * 24 * hour }],
      ['vol-00000000000000004', { id: 'snap-00000000000000004', ms: NOW.getTime() - 30 * hour }],
      ['vol-00000000000000006', { id: 'snap-00000000000000006', ms: NOW.getTime() - 30 * hour }],
    ]),
    awsBackup: new Set(['vol-00000000000000006']),
    policies: [policy({ state: 'DISABLED', statusMessage: 'Paused by an operator', tags: { 'snapbot:schedule-name': 'nightly' } })],
  };
  const points = recoveryPoints(volumes, facts, { now: NOW, rpoHours: 24 });

  it('holds every in-use volume older than the objective to it; a volume made minutes ago is not judged yet', () => {
    expect(points.inUse).toBe(5);
    expect(points.withinObjective).toBe(1);
    expect(points.misses.map((m) => m.volumeId)).not.toContain('vol-00000000000000005');
    expect(points.misses.map((m) => m.volumeId)).not.toContain('vol-00000000000000002');
  });

  it('lists never backed up first, then the oldest; names the newest snapshot and its age', () => {
    expect(points.misses.map((m) => [m.volumeId, m.newestAgeHours])).toEqual([
      ['vol-00000000000000001', undefined],
      ['vol-00000000000000003', 200 * 24],
      ['vol-00000000000000004', 30],
      ['vol-00000000000000006', 30],
    ]);
    expect(points.misses[0].name).toBe('never');
    expect(points.misses[1].newestSnapshotId).toBe('snap-00000000000000003');
  });

  it('says which schedule is not producing: its name, ID, state and status message; and AWS Backup where it covers', () => {
    const paused = points.misses.find((m) => m.volumeId === 'vol-00000000000000004')!;
    expect(paused.notProducing).toEqual({ policyId: 'policy-0123456789abcdef0', label: 'nightly', state: 'DISABLED', statusMessage: 'Paused by an operator' });
    expect(paused.coveredBy).toEqual(['nightly']);
    expect(points.misses.find((m) => m.volumeId === 'vol-00000000000000006')!.coveredBy).toEqual(['aws-backup']);
    expect(points.misses.find((m) => m.volumeId === 'vol-00000000000000001')!.coveredBy).toEqual([]);
  });

  it('every volume in use is a point of evidence; one made minutes ago has not missed the objective', () => {
    expect(points.points.map((p) => [p.volumeId, p.rpoMet])).toEqual([
      ['vol-00000000000000001', false],
      ['vol-00000000000000002', true],
      ['vol-00000000000000003', false],
      ['vol-00000000000000004', false],
      ['vol-00000000000000005', true],
      ['vol-00000000000000006', false],
    ]);
  });

  it('where the lifecycle policies could not be read, the misses are still listed and say coverage is unknown', () => {
    const blind = recoveryPoints(volumes, { ...facts, policies: undefined }, { now: NOW, rpoHours: 24 });
    expect(blind.misses.map((m) => m.volumeId)).toEqual(points.misses.map((m) => m.volumeId));
    expect(blind.misses.every((m) => m.coverageUnknown === true && m.notProducing === undefined)).toBe(true);
    expect(points.misses.some((m) => m.coverageUnknown)).toBe(false);
  });

  it('read AWS Backup snapshots by their source-resource tag', () => {
    expect(backupSourceVolume({ 'aws:backup:source-resource': 'arn:aws:ec2:us-east-1:123456789012:volume/vol-0abc1234def567890' })).toBe('vol-0abc1234def567890');
    expect(backupSourceVolume({})).toBeUndefined();
  });
});

describe('archive suggestions: only where archiving saves money', () => {
  const snap = { id: 'snap-0123456789abcdef0', region: 'us-east-1', volumeId: 'vol-0123456789abcdef0', state: 'completed' as const, storageTier: 'standard' as const, fullSizeBytes: 100e9, volumeSizeGiB: 200, tags: {} };
  const base = { onlyOfItsVolume: true, keptUntil: new Date(NOW.getTime() + 365 * 86_400_000), usedByImage: false, fastRestore: false, now: NOW, prices: PRICES };

  it('suggests the only snapshot of its volume kept for a year, at its full size', () => {
    const a = archiveSuggestion(snap, base)!;
    expect(a.fullGb).toBe(100);
    expect(a.standardUsd).toBeCloseTo(5);
    expect(a.archiveUsd).toBeCloseTo(1.25);
  });

  it.each([
    ['one of several (shares blocks: unknown saving)', { onlyOfItsVolume: false }],
    ['not kept on purpose', { keptUntil: undefined }],
    ['kept for less than the 90 days archive bills', { keptUntil: new Date(NOW.getTime() + 60 * 86_400_000) }],
    ['used by an AMI', { usedByImage: true }],
    ['fast restore on', { fastRestore: true }],
    ['archive priced like standard', { prices: { snapshotGbMonth: 0.05, archiveGbMonth: 0.05 } }],
  ])('not when %s', (_what, change) => {
    expect(archiveSuggestion(snap, { ...base, ...change })).toBeUndefined();
  });

  it('never for DLM- or AWS Backup-managed snapshots', () => {
    expect(archiveSuggestion({ ...snap, tags: { 'aws:dlm:lifecycle-policy-id': 'policy-0' } }, base)).toBeUndefined();
  });
});

describe('temporary snapshots: the day counted in TZ', () => {
  it.each([
    ['2026-12-01T10:00:00Z', 7, 'UTC', '2026-12-08'],
    ['2026-12-31T23:30:00Z', 1, 'UTC', '2027-01-01'],
    // Late evening in New York is already tomorrow in UTC: the day is New York's.
    ['2026-12-02T02:00:00Z', 7, 'America/New_York', '2026-12-08'],
    ['2026-12-01T23:30:00Z', 7, 'Asia/Tokyo', '2026-12-09'],
    ['2027-02-27T12:00:00Z', 2, 'UTC', '2027-03-01'],
  ])('made at %s, --expires-in %id in %s → %s', (at, days, tz, day) => {
    expect(expiryDay(new Date(at), days, tz)).toBe(day);
  });

  it('is due on its day and after, in TZ', () => {
    expect(isExpired('2026-12-01', NOW, 'UTC')).toBe(true);
    expect(isExpired('2026-12-02', NOW, 'UTC')).toBe(false);
    expect(isExpired('2026-12-02', NOW, 'Pacific/Kiritimati')).toBe(true);
    expect(isExpired('soon', NOW, 'UTC')).toBe(false);
    expect(dayIn(NOW, 'UTC')).toBe('2026-12-01');
  });
});

describe('recoverability: the longest matching Recycle Bin rule', () => {
  const rule = (r: Partial<RecycleBinRule>): RecycleBinRule => ({ id: 'r1', region: 'us-east-1', resourceType: 'snapshot', retentionDays: 7, resourceTags: [], excludeTags: [], locked: false, ...r });

  it.each([
    ['no rule', [], {}, undefined],
    ['a region-level rule', [rule({})], {}, 7],
    ['a region-level rule that excludes its tag', [rule({ excludeTags: [{ key: 'Temp' }] })], { Temp: 'yes' }, undefined],
    ['a tag rule that matches', [rule({ resourceTags: [{ key: 'Env', value: 'prod' }], retentionDays: 30 })], { Env: 'prod' }, 30],
    ['a tag rule that does not', [rule({ resourceTags: [{ key: 'Env', value: 'prod' }] })], { Env: 'dev' }, undefined],
    ['the longest of two', [rule({}), rule({ id: 'r2', retentionDays: 14 })], {}, 14],
    ['a rule for AMIs only', [rule({ resourceType: 'image' })], {}, undefined],
  ])('%s', (_what, rules, tags, days) => {
    const r = recoverability('snapshot', tags, rules, NOW);
    expect(r.recoverable ? Math.round((r.until.getTime() - NOW.getTime()) / 86_400_000) : undefined).toBe(days);
  });

  it('says so in words, naming a locked rule as such', () => {
    expect(recoverabilityText(recoverability('snapshot', {}, [rule({ locked: true, description: 'ransomware' })], NOW))).toBe(
      'recoverable from the Recycle Bin until 2026-12-08 (rule r1 “ransomware”, locked)',
    );
    expect(recoverabilityText(recoverability('snapshot', {}, [], NOW))).toBe('permanent: no Recycle Bin rule covers it');
  });
});
