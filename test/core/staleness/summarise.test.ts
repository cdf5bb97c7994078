// The digest's figures (src/core/digest.ts): totals, cost by age, sections by primary reason.
import { describe, expect, it } from 'vitest';
import { ageBucket, DigestTally, KEPT_PER_LIST, Largest, summarise } from '../../../src/core/digest.js';
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

  it('groups findings by owner: how many and what they save, the largest kept', () => {
    const t = summarise([finding({ id: 'a', ownerUserId: 'U1', monthlyUsd: 1 }), finding({ id: 'b' }), finding({ id: 'c', ownerUserId: 'U1', monthlyUsd: 2 })], NOW);
    expect([...t.owners.keys()]).toEqual(['U1']);
    expect(t.owners.get('U1')).toMatchObject({ count: 2, monthlyUsd: 3 });
    expect(t.owners.get('U1')!.findings.map((f) => f.id)).toEqual(['c', 'a']);
  });
});

describe('DigestTally (one finding at a time)', () => {
  // 5 000 candidates over three rules and two regions, 300 exposures, 200 managed: far more than any list keeps.
  const rules = ['source-volume-gone', 'superseded', 'stale-copy'];
  const all: Finding[] = [
    ...Array.from({ length: 5_000 }, (_, i) =>
      finding({ id: `snap-${String(i).padStart(5, '0')}`, region: i % 2 ? 'us-east-1' : 'eu-west-1', monthlyUsd: (i % 997) / 10, ageDays: 100 + (i % 500), reasons: [{ rule: rules[i % 3], text: rules[i % 3] }], ownerUserId: i % 10 === 0 ? 'U1' : undefined, costGroup: i % 4 ? 'team-a' : 'untagged', account: i % 5 ? undefined : '111122223333' }),
    ),
    ...Array.from({ length: 300 }, (_, i) => finding({ id: `snap-pub-${i}`, exposure: true, deletable: false, monthlyUsd: i, reasons: [{ rule: 'public', text: 'public' }] })),
    ...Array.from({ length: 200 }, (_, i) => finding({ id: `snap-man-${i}`, managedBy: 'AWS Backup', deletable: false, sizeGiB: 2 })),
  ];
  const byCost = (xs: Finding[]) => [...xs].sort((a, b) => b.monthlyUsd - a.monthlyUsd || b.ageDays - a.ageDays || (a.id < b.id ? -1 : 1));
  const candidates = all.filter((f) => f.deletable);
  const tally = new DigestTally((f) => f.account ?? '');
  for (const f of all) tally.add(f);
  const s = tally.summary(NOW);

  it('counts and adds up everything, and keeps only the largest of each list', () => {
    expect(s.totals.count).toBe(5_000);
    expect(s.totals.monthlyUsd).toBeCloseTo(candidates.reduce((n, f) => n + Math.round(f.monthlyUsd * 100) / 100, 0), 6);
    expect(s.counts).toMatchObject({ exposures: 300, notOffered: 200, notOfferedGiB: 400 });
    expect(s.totals.managedCount).toBe(200);
    expect(s.findings.map((f) => f.id)).toEqual(byCost(candidates).slice(0, KEPT_PER_LIST).map((f) => f.id));
    expect(s.exposures).toHaveLength(KEPT_PER_LIST);
    expect(s.exposures[0].id).toBe('snap-pub-299');
    expect(s.byAge.reduce((n, b) => n + b.count, 0)).toBe(5_000);
    expect(s.byGroup.map((g) => [g.group, g.count])).toEqual([['team-a', 3_750], ['untagged', 1_250]]);
    expect(s.owners.get('U1')).toMatchObject({ count: 500 });
  });

  it('each section counts all of its findings and keeps its largest; a section over two regions offers no batch', () => {
    expect(s.byReason.reduce((n, r) => n + r.count, 0)).toBe(5_000);
    for (const r of s.byReason) {
      const mine = candidates.filter((f) => f.reasons[0].rule === r.rule);
      expect(r.count).toBe(mine.length);
      expect(r.findings.map((f) => f.id)).toEqual(byCost(mine).slice(0, KEPT_PER_LIST).map((f) => f.id));
      expect(r.batch).toBeUndefined();
    }
  });

  it("gives each account its own part, adding up to the whole", () => {
    const managed = s.parts!.get('111122223333')!;
    const own = s.parts!.get('')!;
    expect(managed.totals.count).toBe(1_000);
    expect(own.totals.count + managed.totals.count).toBe(5_000);
    expect(own.counts.exposures).toBe(300);
  });

  it('names one batch where a section is one kind in one account and region', () => {
    const one = summarise([finding({ id: 'snap-1' }), finding({ id: 'snap-2' })], NOW);
    expect(one.byReason[0].batch).toEqual({ kind: 'orphaned', region: 'us-east-1' });
    expect(summarise([finding({ id: 'snap-1' })], NOW).byReason[0].batch).toBeUndefined();
  });

  it('Largest keeps the first by its order whatever was pushed', () => {
    const l = new Largest<number>((a, b) => b - a, 3);
    for (let i = 0; i < 1_000; i++) l.push((i * 7919) % 1_000);
    expect(l.list()).toEqual([999, 998, 997]);
  });
});
