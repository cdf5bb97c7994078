// Restore drills in words: the message that follows a drill, /snapshot drills, the scheduled drills' summary, what
// the sweep removed, and the evidence CSV. Pure functions of the facts usecases/drill.ts gathers.
import type { KnownBlock } from '@slack/types';
import { EVIDENCE_COLUMNS, type DrillRecord, type EvidenceRow } from '../../core/drills.js';
import { formatUsd } from '../../core/cost.js';
import { count } from '../../core/words.js';
import type { DrillView, Message, SweptDrillVolume } from '../../usecases/ports.js';
import { context, section } from './blockkit.js';
import { csvField, textCell } from './digest/csv.js';
import { hoursText as ageText } from './digest/words.js';
import { ago, mention } from './format.js';

/** "4.2 s": the time to available, as the contract writes it. */
export function seconds(s: number): string {
  return `${s.toFixed(1)} s`;
}

/** A drill costs fractions of a cent: said to the hundredth of a cent, never "$0.00". */
export function drillCost(usd: number): string {
  return usd >= 0.01 ? formatUsd(usd) : `$${usd.toFixed(4)}`;
}

function who(by: string): string {
  return by === 'schedule' ? 'the schedule' : mention(by);
}

function what(v: { volumeId?: string; volumeName?: string }): string {
  return v.volumeId ? `\`${v.volumeId}\`${v.volumeName ? ` “${v.volumeName}”` : ''}` : 'a volume that is gone';
}

/** Why a drill failed, or what it could not check. */
function resultWords(d: DrillRecord): string {
  if (d.result === 'failed') return d.badBlock !== undefined ? `block ${d.badBlock} is bad: ${d.detail ?? 'it failed its checksum'}` : (d.detail ?? 'the restore did not complete');
  return d.detail ? `${count(d.blocksVerified, 'block')} read back and matched their checksums; ${d.detail}` : `${count(d.blocksVerified, 'block')} read back and matched their SHA-256 checksums`;
}

/** The message that follows one drill: each step, then the result, ending with passed or failed. */
export function drillMessage(v: DrillView): Message {
  const head = `:test_tube: Restore drill of ${what(v)} — ${v.where}, run by ${who(v.by)}`;
  const source = `Snapshot \`${v.snapshotId}\`, ${ageText(v.snapshotAgeHours)} old (the recovery point it proves), restored in ${v.availabilityZone}${v.zoneChosen ? " (the region's first available zone: its volume is gone)" : ''}${v.drillVolumeId ? ` as \`${v.drillVolumeId}\`` : ''}`;
  const lines = [head, source];
  if (v.phase === 'restoring') lines.push(':hourglass_flowing_sand: Restoring: waiting for the volume to become available…');
  if (v.secondsToAvailable !== undefined) {
    lines.push(`Time to available: *${seconds(v.secondsToAvailable)}*. Its data loads lazily from S3 on first read, unless fast snapshot restore is on for this snapshot in ${v.availabilityZone}: the first reads of a real restore are slower.`);
  }
  if (v.phase === 'verifying') lines.push(`:mag: Reading up to ${count(v.sampleBlocks, 'block')} back through the EBS direct APIs…`);
  if (v.phase === 'cleaning') lines.push(':broom: Deleting the drill volume…');
  const d = v.record;
  if (v.phase === 'done' && d) {
    lines.push(`Blocks verified: ${d.blocksVerified}${d.result === 'failed' || d.detail ? ` — ${resultWords(d)}` : ' (SHA-256 checksums matched)'}`);
    lines.push(`What the drill cost: ${drillCost(d.costUsd)} (the volume's time, billed per second with a 60-second minimum, and the direct-API requests)`);
    if (v.leftBehind) lines.push(`:warning: ${v.leftBehind}`);
    else if (v.drillVolumeId) lines.push(`The drill volume \`${v.drillVolumeId}\` was deleted.`);
    // The last word is the result, bare, so the message ends with it whichever way it is read.
    lines.push(`*Result:* ${d.result}`);
  }
  const text = lines.join('\n');
  return { text, blocks: [section(text.slice(0, 2900))] };
}

export function drillLine(d: DrillRecord, now: Date): string {
  const mark = d.result === 'passed' ? ':white_check_mark:' : ':x:';
  const time = d.secondsToAvailable !== undefined ? `available in ${seconds(d.secondsToAvailable)}` : 'never available';
  return `${mark} *${d.result}* · ${d.volumeId ? `\`${d.volumeId}\`` : 'volume gone'} from \`${d.snapshotId}\` (${ageText(d.snapshotAgeHours)} old) · ${d.region} ${d.availabilityZone} · ${time} · ${count(d.blocksVerified, 'block')} verified · by ${who(d.by)}, ${ago(new Date(d.at), now)}${d.result === 'failed' || d.detail ? `\n      ${resultWords(d)}` : ''}`;
}

/** /snapshot drills [vol-id]: the latest drills, newest first. */
export function drillsMessage(drills: readonly DrillRecord[], o: { volumeId?: string; now: Date; shown: number }): Message {
  const of = o.volumeId ? ` of ${o.volumeId}` : '';
  if (drills.length === 0) {
    return { text: `No restore drills${of} yet. Run one: \`/snapshot drill ${o.volumeId ?? '<vol-id>'}\` restores its newest snapshot, reads blocks back and deletes the volume.` };
  }
  const shown = drills.slice(0, o.shown);
  const head = `*Restore drills${of}* — the latest ${count(shown.length, 'drill')}${drills.length > shown.length ? ` of ${drills.length}` : ''}:`;
  const text = [head, ...shown.map((d) => drillLine(d, o.now))].join('\n');
  const blocks: KnownBlock[] = [section(head)];
  let chunk = '';
  for (const line of shown.map((d) => drillLine(d, o.now))) {
    if (chunk.length + line.length + 1 > 2900) {
      blocks.push(section(chunk));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  if (chunk) blocks.push(section(chunk));
  blocks.push(context('`/snapshot evidence` uploads every volume’s recovery point and every drill as a CSV for your auditor.'));
  return { text: text.slice(0, 39_000), blocks: blocks.slice(0, 50) };
}

/** The scheduled drills of one run, in one message: failures first. */
export function drillSummaryMessage(drills: readonly DrillRecord[], o: { now: Date }): Message {
  const failed = drills.filter((d) => d.result === 'failed');
  const head = `:test_tube: Scheduled restore drills: ${count(drills.length, 'drill')}, ${drills.length - failed.length} passed${failed.length ? `, ${failed.length} failed` : ''}`;
  const ordered = [...failed, ...drills.filter((d) => d.result === 'passed')];
  const text = [head, ...ordered.map((d) => drillLine(d, o.now))].join('\n');
  return { text, blocks: [section(text.slice(0, 2900)), context('`/snapshot drills` lists every drill; `/snapshot evidence` gives the CSV.')] };
}

/** What the sweep removed: drill volumes left behind (a drill that stopped half-way). */
export function drillSweepMessage(removed: readonly SweptDrillVolume[]): Message {
  const lines = removed.map((r) => `• \`${r.volumeId}\` in ${r.where} (drill ${r.drillId}, made ${r.createdAt ? r.createdAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : 'at an unknown time'})`);
  return { text: [`:broom: Deleted ${count(removed.length, 'restore-drill volume')} left behind for over an hour:`, ...lines].join('\n') };
}

/** The evidence CSV: the contract's columns, RFC 4180. */
export function evidenceCsv(rows: readonly EvidenceRow[]): string {
  const out = [EVIDENCE_COLUMNS.join(',')];
  // Names and details are free text (tags, AWS's words): guarded against spreadsheet formulas like the digest's.
  for (const r of rows) out.push(EVIDENCE_COLUMNS.map((c) => csvField(c === 'name' || c === 'drill_detail' ? textCell(r[c]) : r[c])).join(','));
  return `${out.join('\r\n')}\r\n`;
}

/** The evidence report as plain text (npm run evidence without --csv). */
export function evidenceText(rows: readonly EvidenceRow[], o: { days: number; now: Date }): string {
  const volumes = rows.filter((r) => r.kind === 'volume');
  const drills = rows.filter((r) => r.kind === 'drill');
  const met = volumes.filter((r) => r.rpo_met === 'true').length;
  const out = [
    `Backup evidence, ${o.now.toISOString().slice(0, 16).replace('T', ' ')} UTC, drills of the last ${count(o.days, 'day')}`,
    `${count(volumes.length, 'volume')} in use; ${met} within the recovery point objective; ${count(drills.length, 'drill')}, ${drills.filter((d) => d.drill_result === 'passed').length} passed`,
    '',
    'Volumes:',
    ...volumes.map(
      (r) =>
        `  ${r.volume_id}${r.name ? ` "${r.name}"` : ''}  ${r.account} ${r.region}  ${r.rpo_met === 'true' ? 'within' : 'MISSED'} ${r.rpo_hours} h objective · newest ${r.newest_snapshot_id ? `${r.newest_snapshot_id} (${r.newest_snapshot_age_hours} h)` : 'none'}${r.covered_by ? ` · covered by ${r.covered_by}` : ''}${r.last_drill_at ? ` · last drill ${r.drill_result} ${r.last_drill_at}` : ' · never drilled'}`,
    ),
    '',
    'Drills:',
    ...(drills.length
      ? drills.map((r) => `  ${r.last_drill_at}  ${r.volume_id || '(volume gone)'} from ${r.drill_snapshot_id}: ${r.drill_result}, ${r.seconds_to_available ? `${r.seconds_to_available} s to available` : 'never available'}, ${r.blocks_verified} blocks verified${r.drill_detail ? ` — ${r.drill_detail}` : ''}`)
      : ['  none in the window']),
  ];
  return `${out.join('\n')}\n`;
}

export const DRILL_VIEWS = { drillMessage, drillsMessage, drillSummaryMessage, drillSweepMessage, evidenceCsv } as const;
