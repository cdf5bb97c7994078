// The digest's figures (src/core/digest.ts): totals, cost by age, sections by primary reason.
import { describe, expect, it } from 'vitest';
import { ageBucket, findingsByOwner, summarise } from '../../../src/core/digest.js';
import type { Finding } from '../../../src/core/staleness/index.js';
import { finding, NOW } from './fixtures.js';

describe('summarise', () => {
  const gone = (days: number) => [{ rule: 'source-volume-gone', text: `source volume vol-1 no longer exists; ${days} days old` }];
  const findings: Finding[] = [
    finding({ id: 'snap-small', monthlyUsd: 1, sizeGiB: 20, ageDays: 95, reasons: gone(95) }),
    finding({ id: 'snap-big', monthlyUsd: 40, sizeGiB: 800, ageDays: 500, reasons: gone(500) }),
    finding({ id: 'snap-superseded', monthlyUsd: 3, sizeGiB: 60, ageDays: 200, reasons: [{ rule: 'superseded', text: "200 days old; the volume's newest snapshot is newer and kept" }] }),
    finding({ id: 'snap-managed', monthlyUsd: 10, sizeGiB: 200, ageDays: 200, managedBy: 'AWS Backup', deletable: false, reasons: gone(200) }),
    finding({ id: 'ami-1', kind: 'image', monthlyUsd: 2, sizeGiB: 40, ageDays: 100, snapshotIds: ['snap-ami-root'], reasons: [{ rule: 'ami-not-launched', text: 'never launched' }] }),
    finding({ id: 'snap-public', monthlyUsd: 25, sizeGiB: 500, ageDays: 2, exposure: true, deletable: false, reasons: [{ rule: 'public', text: 'public' }] }),
  ];
  const s = summarise(findings, NOW, { keptSharedCount: 2 });

  it('splits exposures, cleanup candidates and what is not offered; candidates largest cost first, input untouched', () => {
    expect(s.exposures.map((f) => f.id)).toEqual(['snap-public']);
    expect(s.findings.map((f) => f.id)).toEqual(['snap-big', 'snap-superseded', 'ami-1', 'snap-small']);
    expect(s.notOffered.map((f) => f.id)).toEqual(['snap-managed']);
    expect(s.keptSharedCount).toBe(2);
    expect(findings[0].id).toBe('snap-small');
  });

  it('totals are exactly what the cleanup section lists', () => {
    expect(s.totals.count).toBe(4);
    expect(s.totals.deletableCount).toBe(4);
    expect(s.totals.monthlyUsd).toBeCloseTo(40 + 3 + 2 + 1, 10);
    expect(s.totals.sizeGiB).toBe(800 + 60 + 40 + 20);
    expect(s.totals.managedCount).toBe(1);
  });

  it('buckets cost by age, over the candidates', () => {
    expect(s.byAge.map((b) => b.bucket)).toEqual(['0–30 d', '30–90 d', '90–180 d', '180–365 d', 'over 365 d']);
    const by = Object.fromEntries(s.byAge.map((b) => [b.bucket, b]));
    expect(by['0–30 d']).toEqual({ bucket: '0–30 d', monthlyUsd: 0, count: 0 });
    expect(by['90–180 d']).toEqual({ bucket: '90–180 d', monthlyUsd: 3, count: 2 });
    expect(by['180–365 d']).toEqual({ bucket: '180–365 d', monthlyUsd: 3, count: 1 });
    expect(by['over 365 d'].monthlyUsd).toBe(40);
    expect(ageBucket(30)).toBe('30–90 d');
    expect(ageBucket(365)).toBe('over 365 d');
  });

  it('files each candidate once, under its first reason, sections by saving', () => {
    expect(s.byReason.map((r) => r.rule)).toEqual(['source-volume-gone', 'superseded', 'ami-not-launched']);
    const all = s.byReason.flatMap((r) => r.findings.map((f) => f.id));
    expect(all.sort()).toEqual(s.findings.map((f) => f.id).sort());
    expect(s.byReason.find((r) => r.rule === 'superseded')!.title).toBe('Superseded by newer snapshots');
  });

  it('groups findings by owner', () => {
    const byOwner = findingsByOwner([finding({ id: 'a', ownerUserId: 'U1' }), finding({ id: 'b' }), finding({ id: 'c', ownerUserId: 'U1' })]);
    expect([...byOwner.keys()]).toEqual(['U1']);
    expect(byOwner.get('U1')!.map((f) => f.id)).toEqual(['a', 'c']);
  });
});
