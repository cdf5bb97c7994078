// The digest's CSV: one row per resource, the contract's columns.
import { missWords } from './words.js';
import { formatUsd } from '../../../core/cost.js';
import { type DigestSummary } from '../../../core/digest.js';
import type { Finding } from '../../../core/staleness/types.js';
import type { DigestCsvLines } from '../../../usecases/ports.js';
import { isoDay } from '../../../core/time.js';

export const CSV_COLUMNS = [
  'kind',
  'account',
  'region',
  'id',
  'name',
  'reasons',
  'age_days',
  'size_gib',
  'usd_month',
  'deletable',
  'managed_by',
  'owner',
  'cost_group',
] as const;

/** One row's cells, quoted where they must be. */
const plain = (cells: string[]) => cells.map(csvField).join(',');

/** The digest's CSV a line at a time: the header, a finding's row, the backups' rows (RFC 4180, without the line end). */
export const digestCsvLines: DigestCsvLines = {
  header: CSV_COLUMNS.join(','),
  finding: (f) =>
    plain([
      f.kind,
      f.account ?? '',
      f.region,
      f.id,
      textCell(f.name ?? ''),
      textCell(f.reasons.map((r) => r.text).join('; ')),
      String(f.ageDays),
      f.sizeGiB.toFixed(2),
      f.monthlyUsd.toFixed(4),
      f.deletable ? 'true' : 'false',
      f.managedBy ?? '',
      textCell(f.ownerUserId ?? ''),
      textCell(f.costGroup ?? ''),
    ]),
  // Not findings, but resources the digest names: snapshots cheaper archived, then volumes nobody backs up.
  backups: (b) => [
    ...(b.archiveSuggestions ?? []).map((a) =>
      plain(['snapshot', a.account ?? '', a.region, a.snapshotId, textCell(a.name ?? ''), `archive: ${formatUsd(a.archiveUsd)}/month instead of ${formatUsd(a.standardUsd)}/month, kept until ${isoDay(a.keptUntil)}`, '', a.fullGb.toFixed(2), a.standardUsd.toFixed(4), 'false', '', '', '']),
    ),
    ...(b.backupGaps ?? []).map((g) => plain(['volume', g.account ?? '', g.region, g.volumeId, textCell(g.name ?? ''), `backup: in use, ${missWords(g)}`, '', g.sizeGiB.toFixed(2), '0.0000', 'false', '', '', ''])),
  ],
};

/** RFC 4180: CRLF line ends, a header row, fields quoted when they hold a comma, quote or line break. */
export function digestCsv(findings: readonly Finding[], backups: Partial<Pick<DigestSummary, 'backupGaps' | 'archiveSuggestions'>> = {}): string {
  const rows = [digestCsvLines.header, ...findings.map(digestCsvLines.finding), ...digestCsvLines.backups(backups)];
  return `${rows.join('\r\n')}\r\n`;
}

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Free text from tags goes to spreadsheets: a leading = + - @ would be run as a formula, so it gets a leading
 * apostrophe (OWASP's advice for CSV injection).
 */
export function textCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
