// The digest's picture, as a declarative Vega-Lite spec (slack/chart.ts renders it to PNG): what cleanup would save
// by age and by who pays (COST_TAGS), and the trend over the last 30 digests. Pure; its alt text says the same in
// words for people who cannot see it.
import type { TopLevelSpec } from 'vega-lite';
import { formatUsd, roundCents } from '../../../core/cost.js';
import type { DigestSummary } from '../../../core/digest.js';
import type { DigestHistoryDay } from '../../../usecases/ports.js';

const FONT = 'DejaVu Sans';
const TOP_GROUPS = 6;

export interface DigestChart {
  spec: TopLevelSpec;
  title: string;
  altText: string;
}

export function digestChart(summary: Pick<DigestSummary, 'byAge' | 'byGroup' | 'totals'>, history: readonly DigestHistoryDay[]): DigestChart {
  const ages = summary.byAge.map((a) => ({ bucket: a.bucket, usd: roundCents(a.monthlyUsd), count: a.count }));
  const top = summary.byGroup.slice(0, TOP_GROUPS).map((g) => ({ group: g.group, usd: roundCents(g.monthlyUsd) }));
  const rest = summary.byGroup.slice(TOP_GROUPS).reduce((n, g) => n + roundCents(g.monthlyUsd), 0);
  const groups = rest > 0 ? [...top, { group: `${summary.byGroup.length - TOP_GROUPS} more`, usd: roundCents(rest) }] : top;
  const trend = history.map((d) => ({ day: d.day, usd: roundCents(d.cleanupUsd), snapshots: d.snapshots }));
  const money = { type: 'quantitative' as const, title: 'USD a month', axis: { format: '$,.2f' } };
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `What cleanup would save: ${formatUsd(summary.totals.monthlyUsd)} a month`, subtitle: 'upper bounds where not measured; snapbot digest', anchor: 'start' },
    config: { font: FONT, view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 11 }, title: { fontSize: 15 } },
    background: 'white',
    vconcat: [
      {
        hconcat: [
          {
            title: 'By age',
            width: 300,
            height: 180,
            data: { values: ages },
            mark: { type: 'bar', color: '#4c78a8' },
            encoding: { x: { field: 'bucket', type: 'ordinal', sort: null, title: null, axis: { labelAngle: 0 } }, y: { field: 'usd', ...money } },
          },
          {
            title: 'By who pays',
            width: 300,
            height: 180,
            data: { values: groups.length ? groups : [{ group: 'nothing to clean up', usd: 0 }] },
            mark: { type: 'bar', color: '#f58518' },
            encoding: { y: { field: 'group', type: 'nominal', sort: '-x', title: null }, x: { field: 'usd', ...money } },
          },
        ],
      },
      {
        title: `Over the last ${trend.length === 1 ? 'digest' : `${trend.length} digests`}`,
        width: 660,
        height: 140,
        data: { values: trend },
        mark: { type: 'line', point: true, color: '#54a24b' },
        encoding: { x: { field: 'day', type: 'temporal', title: null, axis: { format: '%b %d' } }, y: { field: 'usd', ...money } },
      },
    ],
  };
  const ageWords = ages.filter((a) => a.usd > 0).map((a) => `${a.bucket} ${formatUsd(a.usd)}`);
  const groupWords = groups.map((g) => `${g.group} ${formatUsd(g.usd)}`);
  const first = trend[0];
  const last = trend[trend.length - 1];
  const altText = [
    `Bar charts of what cleanup would save a month: by age, ${ageWords.length ? ageWords.join(', ') : 'nothing'}; by who pays, ${groupWords.length ? groupWords.join(', ') : 'nothing'}.`,
    first && last ? `A line of the last ${trend.length === 1 ? 'digest' : `${trend.length} digests`}: ${formatUsd(first.usd)} on ${first.day}${trend.length > 1 ? ` to ${formatUsd(last.usd)} on ${last.day}` : ''}.` : '',
  ]
    .filter(Boolean)
    .join(' ')
    .slice(0, 1000);
  return { spec, title: 'What cleanup would save, by age and by who pays, and its trend', altText };
}
