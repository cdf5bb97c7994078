import { describe, expect, it } from 'vitest';
import { summarise } from '../../../src/core/digest.js';
import { emptyUsage, findOutdated, type Finding } from '../../../src/core/staleness/index.js';
import { assertWithinBlockKitLimits, blockKitViolations, type KnownBlock } from '../../../src/slack/views/blockkit.js';
import {
  costByAgeChart,
  digestCsv,
  digestMessage,
  digestText,
  parseDigestButtonValue,
  reminderMessage,
} from '../../../src/slack/views/digest/index.js';
import { ACCOUNT, daysAgo, finding, image, NOW, PRICES, snap } from '../../core/staleness/fixtures.js';

const RULE_TEXTS: Record<string, string> = {
  'source-volume-gone': 'source volume vol-0gone no longer exists; 400 days old',
  superseded: "400 days old; the volume's newest snapshot is newer and kept",
  'stale-copy': 'a copy, 400 days old, that nothing uses',
  'ami-not-launched': 'not launched for 400 days, and no instance or launch template uses it',
};
const RULE_IDS = Object.keys(RULE_TEXTS);

function many(n: number): Finding[] {
  return Array.from({ length: n }, (_, i) => {
    const rules = [RULE_IDS[i % RULE_IDS.length]];
    return finding({
      id: `snap-${i.toString(16).padStart(17, '0')}`,
      region: i % 3 === 0 ? 'eu-west-1' : 'us-east-1',
      name: i % 7 === 0 ? `<!channel> ${'very long name '.repeat(30)}` : `backup-${i}`,
      reasons: rules.map((rule) => ({ rule, text: RULE_TEXTS[rule] })),
      facts: i % 2 === 0 ? ['used by no AMI', 'unencrypted'] : undefined,
      ageDays: (i * 37) % 800,
      sizeGiB: (i % 500) + 1,
      monthlyUsd: ((i % 500) + 1) * 0.05,
      ownerUserId: i % 4 === 0 ? 'U0123ABCD' : undefined,
      managedBy: i % 11 === 0 ? 'AWS Backup' : undefined,
      deletable: i % 11 !== 0,
      notDeletableBecause: i % 11 === 0 ? 'managed by AWS Backup; delete it there' : undefined,
      warning: i % 13 === 0 ? 'in the archive tier and created 3 days ago: deleting it now may incur an early-deletion charge' : undefined,
    });
  });
}

type Loose = { type: string; text?: { text: string }; elements?: { action_id?: string; value?: string; text?: { text: string } | string }[] };
const loose = (blocks: KnownBlock[]) => blocks as unknown as Loose[];
const allText = (blocks: KnownBlock[]) =>
  loose(blocks)
    .flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? '')))])
    .join('\n');
const buttons = (blocks: KnownBlock[]) => loose(blocks).flatMap((b) => (b.type === 'actions' ? b.elements ?? [] : []));

describe('digestMessage', () => {
  it('stays within every Block Kit limit with 10 000 findings, and summarises the rest', () => {
    const summary = summarise(many(10_000), NOW);
    const message = digestMessage(summary, { csvFileName: 'snapbot-digest-2025-06-01.csv' });
    assertWithinBlockKitLimits(message);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    const last = loose(message.blocks).filter((b) => b.type === 'context' && JSON.stringify(b).includes('more, up to')).at(-1)!;
    // One actions block per item shown.
    const shown = loose(message.blocks).filter((b) => b.type === 'actions').length;
    expect(shown).toBeGreaterThan(0);
    expect(JSON.stringify(last)).toContain(`and ${(summary.totals.count - shown).toLocaleString('en')} more`);
    // What is not offered (managed) is one line, not items.
    expect(JSON.stringify(message.blocks.at(-1))).toMatch(/not offered: managed by AWS Backup or Data Lifecycle Manager/);
    expect(JSON.stringify(last)).toMatch(/\$[\d,]+\.\d\d\/month — full list in the attached CSV \(snapbot-digest-2025-06-01.csv\)/);
  });

  it('stays within the limits whatever maxItems asks for', () => {
    const summary = summarise(many(500), NOW);
    for (const maxItems of [0, 1, 25, 100, 10_000]) assertWithinBlockKitLimits(digestMessage(summary, { maxItems }));
  });

  it('puts the totals in the header area and the fallback text', () => {
    const summary = summarise(many(10_000), NOW);
    const message = digestMessage(summary);
    const saving = summary.totals.monthlyUsd;
    const usd = `$${Math.floor(saving).toLocaleString('en')}.${String(Math.round(saving * 100) % 100).padStart(2, '0')}`;
    expect(message.text).toContain(`${summary.totals.count.toLocaleString('en')} resources flagged for cleanup`);
    expect(summary.totals.count).toBe(many(10_000).filter((f) => f.deletable).length);
    expect(message.text).toContain(`up to ${usd}/month cleanup would save`);
    expect(allText(message.blocks)).toContain(`up to ${usd}/month`);
    expect(allText(message.blocks)).toMatch(/GiB/);
  });

  it('shows a bar chart of cost by age in a code block', () => {
    const text = allText(digestMessage(summarise(many(1000), NOW)).blocks);
    expect(text).toMatch(/```\n0–30 d +[█-▏]+ +\$[\d,]+\.\d\d\n/);
    expect(text).toMatch(/over 365 d █+/);
  });

  it('shows every reason section and each item with why, age, size, cost, owner and managed label', () => {
    const summary = summarise(many(200), NOW);
    const text = allText(digestMessage(summary).blocks);
    for (const section of summary.byReason) expect(text).toContain(`*${section.title}*`);
    expect(text).toMatch(/Why: .+; .+/);
    expect(text).toMatch(/\d+ days old · [\d .]+ GiB · up to \$[\d,]+\.\d\d\/mo/);
    expect(text).toContain('<@U0123ABCD>');
    expect(text).toContain('managed by AWS Backup');
    expect(text).not.toContain('<!channel>'); // tag text is escaped
  });

  it('offers Request deletion, Snooze and Keep on candidates; Make private and Keep shared on exposures, with the resource in the value', () => {
    const pub = snap({ id: 'snap-0public000000001', startTime: daysAgo(3) });
    const orphan = snap({ id: 'snap-0orphan000000001', volumeId: 'vol-0gone00000000001', startTime: daysAgo(400) });
    const findings = findOutdated(
      [{ region: 'us-east-1', snapshots: [pub, orphan], images: [], usage: { ...emptyUsage(), existingVolumeIds: new Set([pub.volumeId!]), publicSnapshotIds: new Set([pub.id]) } }],
      { now: NOW, staleAfterDays: 90, keepPerVolume: 1, prices: PRICES, hiddenUntil: new Map(), keptShared: new Map(), accountId: ACCOUNT },
    );
    const message = digestMessage(summarise(findings, NOW));
    assertWithinBlockKitLimits(message);
    const byResource = new Map<string, string[]>();
    for (const b of buttons(message.blocks)) {
      const v = parseDigestButtonValue(b.value)!;
      expect(v.region).toBe('us-east-1');
      byResource.set(v.id, [...(byResource.get(v.id) ?? []), b.action_id!]);
    }
    expect(byResource.get(pub.id)).toEqual(['digest_make_private', 'digest_keep_shared']);
    expect(byResource.get(orphan.id)).toEqual(['digest_request_deletion', 'digest_snooze', 'digest_keep']);
    const text = allText(message.blocks);
    expect(text.indexOf(pub.id)).toBeLessThan(text.indexOf(orphan.id));
    const value = buttons(message.blocks).find((b) => b.action_id === 'digest_request_deletion')!.value!;
    expect(JSON.parse(value)).toEqual({ id: orphan.id, region: 'us-east-1', account: '111122223333', kind: 'snapshot', why: 'source volume vol-0gone00000000001 no longer exists; 400 days old' });
  });

  it('summarises what is not offered in one line instead of items', () => {
    const managed = finding({ id: 'snap-0managed00000001', sizeGiB: 500, managedBy: 'AWS Backup', deletable: false, notDeletableBecause: 'managed by AWS Backup' });
    const message = digestMessage(summarise([managed], NOW));
    expect(buttons(message.blocks)).toEqual([]);
    expect(allText(message.blocks)).toContain('1 resource (500 GiB) old enough to go but not offered');
    expect(allText(message.blocks)).not.toContain('$0.00/month to save');
  });

  it('says so when there is nothing to clean up and nothing exposed', () => {
    const message = digestMessage(summarise([], NOW));
    assertWithinBlockKitLimits(message);
    expect(allText(message.blocks)).toMatch(/Nothing to clean up/);
    expect(message.text).toContain('0 resources flagged');
  });

  it('puts exposures first and never crowds them out: as many as fit, then how many more', () => {
    const big = Array.from({ length: 100 }, (_, i) => finding({ id: `snap-big-${i}`, monthlyUsd: 100 + i }));
    const exposed = Array.from({ length: 60 }, (_, i) =>
      finding({ id: `snap-pub-${i}`, monthlyUsd: 0.01, exposure: true, deletable: false, reasons: [{ rule: 'public', text: 'public: any AWS account can create a volume from it' }] }),
    );
    const message = digestMessage(summarise([...big, ...exposed], NOW), { csvFileName: 'd.csv' });
    assertWithinBlockKitLimits(message);
    const text = allText(message.blocks);
    expect(text.indexOf('snap-pub-')).toBeLessThan(text.indexOf('snap-big-'));
    const shownExposures = buttons(message.blocks).filter((b) => b.action_id === 'digest_make_private').length;
    expect(shownExposures).toBeGreaterThanOrEqual(10);
    expect(text).toContain(`…and ${60 - shownExposures} more exposures — all in the attached CSV (d.csv)`);
    // Cleanup still gets its summary.
    expect(text).toMatch(/Cleanup: 100 resources old and no longer needed/);
  });

  it('keeps one line for exposures an approver kept shared', () => {
    const text = allText(digestMessage(summarise([], NOW, { keptSharedCount: 3 })).blocks);
    expect(text).toContain("3 resources kept shared by an approver's decision");
  });
});

describe('reminderMessage', () => {
  it('lists the owner’s resources with the same buttons, within the limits', () => {
    const findings = many(3_000).map((f) => ({ ...f, ownerUserId: 'U0123ABCD' }));
    const message = reminderMessage('U0123ABCD', findings);
    assertWithinBlockKitLimits(message);
    const text = allText(message.blocks);
    expect(text).toContain('<@U0123ABCD>');
    expect(text).toMatch(/…and [\d,]+ more, up to \$[\d,]+\.\d\d\/month/);
    expect(message.text).toMatch(/3,000 resources you created through snapbot look outdated: up to \$/);
    const ids = new Set(buttons(message.blocks).map((b) => b.action_id));
    expect(ids).toEqual(new Set(['digest_request_deletion', 'digest_snooze', 'digest_keep']));
  });

  it('offers Make private and Keep shared on an exposure, never Snooze or Keep', () => {
    const [pub, cost] = many(2).map((f, i) =>
      i === 0 ? { ...f, reasons: [{ rule: 'public', text: 'public: any AWS account can create a volume from it' }] } : { ...f, reasons: [{ rule: 'older-than', text: 'older than 90 days' }] },
    );
    const message = reminderMessage('U0123ABCD', [pub, cost]);
    const blocks = loose(message.blocks).filter((b) => b.type === 'actions');
    const idsOf = (b: Loose) => (b.elements ?? []).map((e) => e.action_id);
    const forPublic = blocks.find((b) => (b.elements ?? []).some((e) => e.value?.includes(pub.id)))!;
    const forCost = blocks.find((b) => (b.elements ?? []).some((e) => e.value?.includes(cost.id)))!;
    expect(idsOf(forPublic)).toEqual(expect.arrayContaining(['digest_make_private', 'digest_keep_shared']));
    expect(idsOf(forPublic)).not.toContain('digest_snooze');
    expect(idsOf(forPublic)).not.toContain('digest_keep');
    expect(idsOf(forCost)).toEqual(expect.arrayContaining(['digest_snooze', 'digest_keep']));
    expect(idsOf(forCost)).not.toContain('digest_make_private');
  });

  it('shows everything when it fits', () => {
    const message = reminderMessage('U0123ABCD', many(3));
    expect(blockKitViolations(message)).toEqual([]);
    expect(loose(message.blocks).filter((b) => b.type === 'actions')).toHaveLength(3);
    expect(loose(message.blocks).at(-1)!.type).toBe('actions');
  });
});

describe('costByAgeChart', () => {
  it('draws the largest bucket full width, zero as a tick, amounts aligned', () => {
    const chart = costByAgeChart(
      [
        { bucket: '0–30 d', monthlyUsd: 0, count: 0 },
        { bucket: '30–90 d', monthlyUsd: 20.6, count: 1 },
        { bucket: 'over 365 d', monthlyUsd: 41.2, count: 2 },
      ],
      8,
    );
    const lines = chart.split('\n');
    expect(lines[0]).toBe('0–30 d     ▏         $0.00');
    expect(lines[1]).toBe('30–90 d    ████     $20.60');
    expect(lines[2]).toBe('over 365 d ████████ $41.20');
  });
});

describe('digestText', () => {
  it('prints the totals, the chart and the largest of every section with dollar figures, then how many more', () => {
    const findings = many(300);
    const summary = summarise(findings, NOW);
    const text = digestText(summary);
    expect(text).toContain(`${summary.totals.count} resources flagged for cleanup`);
    expect(text).toMatch(/up to \$[\d,]+\.\d\d\/month cleanup would save/);
    expect(text).toContain('Cost by age');
    expect(text).toMatch(/over 365 d █+/);
    for (const s of summary.byReason) {
      expect(text).toContain(`${s.title} — ${s.count} resources`);
      for (const f of s.findings) expect(text).toContain(f.id);
      if (s.count > s.findings.length) expect(text).toContain(`…and ${s.count - s.findings.length} more (\`npm run digest -- --print --csv\` lists them all)`);
    }
    expect(summary.byReason.some((s) => s.count > s.findings.length)).toBe(true);
    for (const f of summary.notOffered) expect(text).toContain(f.id);
    expect(text).toMatch(/up to \$\d+\.\d\d\/mo/);
    expect(text).toContain('owner U0123ABCD');
    expect(text).toContain('not offered for deletion: managed by AWS Backup; delete it there');
    expect(text).not.toContain('*'); // no Slack markup in a terminal
  });

  it('says when nothing looks outdated', () => {
    expect(digestText(summarise([], NOW))).toMatch(/Nothing to clean up/);
  });
});

describe('digestCsv', () => {
  it('writes a header row and one RFC 4180 row per finding', () => {
    const csv = digestCsv([
      finding({
        id: 'snap-1',
        name: 'db, "primary"\nnight',
        account: '111122223333',
        reasons: [{ rule: 'source-volume-gone', text: 'source volume vol-1 no longer exists; 400 days old' }, { rule: 'public', text: 'public' }],
        ageDays: 400,
        sizeGiB: 100,
        monthlyUsd: 5,
        ownerUserId: 'U1',
        costGroup: 'payments',
      }),
      finding({ id: 'ami-1', kind: 'image', managedBy: 'AWS Backup', deletable: false, monthlyUsd: 0.0125 }),
    ]);
    const rows = csv.split('\r\n');
    expect(rows[0]).toBe('kind,account,region,id,name,reasons,age_days,size_gib,usd_month,deletable,managed_by,owner,cost_group');
    expect(csv).toContain('snapshot,111122223333,us-east-1,snap-1,"db, ""primary""\nnight",source volume vol-1 no longer exists; 400 days old; public,400,100.00,5.0000,true,,U1,payments\r\n');
    expect(csv).toContain('image,,us-east-1,ami-1,,source volume vol-0dead0000000000001 no longer exists; 400 days old,10,10.00,0.0125,false,AWS Backup,,\r\n');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('defuses spreadsheet formulas in names', () => {
    const csv = digestCsv([finding({ id: 'snap-1', name: '=HYPERLINK("http://x")' })]);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it('is just the header for no findings', () => {
    expect(digestCsv([])).toBe('kind,account,region,id,name,reasons,age_days,size_gib,usd_month,deletable,managed_by,owner,cost_group\r\n');
  });
});
