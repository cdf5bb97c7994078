// The digest's figures (src/core/digest.ts): totals, cost by age, sections by primary reason.
import { describe, expect, it } from 'vitest';
import { ageBucket, findingsByOwner, summarise } from '../../../src/core/digest.js';
import type { Finding } from '../../../src/core/staleness/index.js';
import { finding, NOW } from './fixtures.js';

describe('summarise', () => {
  const findings: Finding[] = [
    finding({ id: 'snap-small', monthlyUsd: 1, sizeGiB: 20, ageDays: 5 }),
    finding({ id: 'snap-big', monthlyUsd: 40, sizeGiB: 800, ageDays: 500, reasons: [{ rule: 'source-volume-gone', text: 'source volume vol-1 no longer exists' }, { rule: 'older-than', text: 'older than 90 days (500 days)' }] }),
    finding({ id: 'snap-managed', monthlyUsd: 10, sizeGiB: 200, ageDays: 200, managedBy: 'AWS Backup', deletable: false, reasons: [{ rule: 'older-than', text: 'older than 90 days (200 days)' }] }),
    finding({ id: 'snap-ami-root', monthlyUsd: 2, sizeGiB: 40, ageDays: 100, deletable: false, reasons: [{ rule: 'older-than', text: 'older than 90 days (100 days)' }] }),
    finding({ id: 'ami-1', kind: 'image', monthlyUsd: 2, sizeGiB: 40, ageDays: 100, snapshotIds: ['snap-ami-root'], reasons: [{ rule: 'ami-not-launched', text: 'never launched' }] }),
  ];
  const s = summarise(findings, NOW);

  it('sorts findings by cost, largest first, without touching the input', () => {
    expect(s.findings.map((f) => f.id)).toEqual(['snap-big', 'snap-managed', 'ami-1', 'snap-ami-root', 'snap-small']);
    expect(findings[0].id).toBe('snap-small');
  });

  it('totals what cleanup would save from deletable findings only, and counts storage once', () => {
    expect(s.totals.count).toBe(5);
    expect(s.totals.monthlyUsd).toBeCloseTo(43, 10); // 40 + 1 + 2 (the AMI), not the managed or AMI-held snapshot
    expect(s.totals.sizeGiB).toBe(20 + 800 + 200 + 40); // snap-ami-root counted with its AMI
    expect(s.totals.managedCount).toBe(1);
    expect(s.totals.deletableCount).toBe(3);
  });

  it('buckets cost by age', () => {
    expect(s.byAge.map((b) => b.bucket)).toEqual(['0–30 d', '30–90 d', '90–180 d', '180–365 d', 'over 365 d']);
    const by = Object.fromEntries(s.byAge.map((b) => [b.bucket, b]));
    expect(by['0–30 d']).toEqual({ bucket: '0–30 d', monthlyUsd: 1, count: 1 });
    expect(by['90–180 d']).toEqual({ bucket: '90–180 d', monthlyUsd: 2, count: 2 });
    expect(by['180–365 d']).toEqual({ bucket: '180–365 d', monthlyUsd: 0, count: 1 });
    expect(by['over 365 d'].monthlyUsd).toBe(40);
    expect(ageBucket(30)).toBe('30–90 d');
    expect(ageBucket(365)).toBe('over 365 d');
  });

  it('files each finding once, under its first reason, sections by saving', () => {
    expect(s.byReason.map((r) => r.rule)).toEqual(['source-volume-gone', 'ami-not-launched', 'unused-by-ami', 'older-than']);
    const all = s.byReason.flatMap((r) => r.findings.map((f) => f.id));
    expect(all.sort()).toEqual(findings.map((f) => f.id).sort());
    const older = s.byReason.find((r) => r.rule === 'older-than')!;
    expect(older.title).toBe('Old snapshots');
    expect(older.findings.map((f) => f.id)).toEqual(['snap-managed', 'snap-ami-root']);
  });

  it('groups findings by owner', () => {
    const byOwner = findingsByOwner([finding({ id: 'a', ownerUserId: 'U1' }), finding({ id: 'b' }), finding({ id: 'c', ownerUserId: 'U1' })]);
    expect([...byOwner.keys()]).toEqual(['U1']);
    expect(byOwner.get('U1')!.map((f) => f.id)).toEqual(['a', 'c']);
  });
});
