// Restore drills, decided here: where a drill reads a snapshot's blocks, what a drill cost, which volumes are due
// for one, and the evidence rows an auditor reads. Pure: usecases/drill.ts runs the drill and gathers the facts.

/** A drill as it is kept (the store's drills) and reported (/snapshot drills, the evidence CSV). */
export interface DrillRecord {
  id: string;
  /** ISO time the drill started. */
  at: string;
  /** Who ran it: a Slack user ID, or 'schedule'. */
  by: string;
  account?: string;
  region: string;
  /** The volume whose backup it proves (absent: a snapshot whose volume is unknown). */
  volumeId?: string;
  snapshotId: string;
  /** How old the snapshot was when drilled, hours: the recovery point the drill proves. */
  snapshotAgeHours: number;
  availabilityZone: string;
  result: 'passed' | 'failed';
  /** Seconds from CreateVolume to `available` (absent: it never became available). */
  secondsToAvailable?: number;
  blocksVerified: number;
  /** Why it failed, or what it could not check (a refused KMS key). */
  detail?: string;
  /** The block index, as EBS numbers it, that failed its checksum or could not be read. */
  badBlock?: number;
  /** What the drill cost, USD: the volume's time and the direct-API requests. */
  costUsd: number;
}

/**
 * Where to start each ListSnapshotBlocks call of a sample: `sample` indexes evenly spread over the volume's blocks,
 * the first at 0. A call at each returns the first written blocks from there, so the sample follows the data.
 */
export function samplePoints(totalBlocks: number, sample: number): number[] {
  const n = Math.max(1, Math.min(sample, totalBlocks));
  const points = new Set<number>();
  for (let k = 0; k < n; k++) points.add(Math.floor((k * totalBlocks) / n));
  return [...points];
}

/** EBS prices a drill pays, USD, us-east-1 (2026-11): volume storage per GB-month by type, direct APIs per request. */
const VOLUME_GB_MONTH: Readonly<Record<string, number>> = { gp3: 0.08, gp2: 0.1, io1: 0.125, io2: 0.125, st1: 0.045, sc1: 0.015, standard: 0.05 };
/** GetSnapshotBlock: $0.003 per 1 000 blocks returned; ListSnapshotBlocks: $0.0006 per 1 000 requests. */
const GET_BLOCK_USD = 0.003 / 1000;
const LIST_USD = 0.0006 / 1000;
/** EBS bills a volume per second, with a 60-second minimum; a month is 730 hours. */
const MINIMUM_SECONDS = 60;
const SECONDS_PER_MONTH = 730 * 3600;

export const DRILL_VOLUME_TYPE = 'gp3';

export function drillCostUsd(o: { volumeType: string; sizeGiB: number; seconds: number; listCalls: number; blocksRead: number }): number {
  const gbMonth = VOLUME_GB_MONTH[o.volumeType] ?? VOLUME_GB_MONTH.gp3;
  const volume = (gbMonth * o.sizeGiB * Math.max(MINIMUM_SECONDS, o.seconds)) / SECONDS_PER_MONTH;
  return volume + o.listCalls * LIST_USD + o.blocksRead * GET_BLOCK_USD;
}

/** The newest drill of each volume (drills listed in any order). */
export function latestByVolume(drills: readonly DrillRecord[]): Map<string, DrillRecord> {
  const latest = new Map<string, DrillRecord>();
  for (const d of drills) {
    if (!d.volumeId) continue;
    const known = latest.get(d.volumeId);
    if (!known || known.at < d.at) latest.set(d.volumeId, d);
  }
  return latest;
}

/** Volumes whose latest drill failed: listed in the digest until a later drill of the volume passes. */
export function standingFailures(drills: readonly DrillRecord[]): DrillRecord[] {
  return [...latestByVolume(drills).values()].filter((d) => d.result === 'failed').sort((a, b) => (a.at < b.at ? 1 : -1));
}

/** Volumes a passed drill proved restorable since `since`. */
export function provenSince(drills: readonly DrillRecord[], since: Date): Set<string> {
  const iso = since.toISOString();
  return new Set(drills.filter((d) => d.result === 'passed' && d.volumeId && d.at >= iso).map((d) => d.volumeId!));
}

/** A volume the scheduled drills may pick: in use, with a snapshot to restore. */
export interface DrillCandidate {
  volumeId: string;
  region: string;
  account?: string;
}

/**
 * The volumes due for a scheduled drill: no drill within `everyDays`, longest-unproven first (never drilled before
 * all), at most `max`.
 */
export function dueForDrill<T extends DrillCandidate>(candidates: readonly T[], drills: readonly DrillRecord[], o: { now: Date; everyDays: number; max: number }): T[] {
  if (o.everyDays <= 0 || o.max <= 0) return [];
  const latest = latestByVolume(drills);
  const due = o.now.getTime() - o.everyDays * 86_400_000;
  const last = (c: T) => (latest.has(c.volumeId) ? Date.parse(latest.get(c.volumeId)!.at) : -Infinity);
  return candidates
    .filter((c) => last(c) < due)
    .sort((a, b) => last(a) - last(b) || (a.volumeId < b.volumeId ? -1 : 1))
    .slice(0, o.max);
}

/** One in-use volume's recovery point, as the evidence report lists it. */
export interface VolumePoint {
  account?: string;
  region: string;
  volumeId: string;
  name?: string;
  newestSnapshotId?: string;
  newestAgeHours?: number;
  rpoHours: number;
  rpoMet: boolean;
  coveredBy: string[];
}

/** The contract's evidence columns, in order. */
export const EVIDENCE_COLUMNS = [
  'kind',
  'account',
  'region',
  'volume_id',
  'name',
  'newest_snapshot_id',
  'newest_snapshot_age_hours',
  'rpo_hours',
  'rpo_met',
  'covered_by',
  'last_drill_at',
  'drill_snapshot_id',
  'drill_result',
  'seconds_to_available',
  'blocks_verified',
  'drill_detail',
] as const;

export type EvidenceRow = Record<(typeof EVIDENCE_COLUMNS)[number], string>;

/** One row per volume in use (with its latest drill), then one per drill in the window, newest first. */
export function evidenceRows(points: readonly VolumePoint[], drills: readonly DrillRecord[], o: { ownAccount: string }): EvidenceRow[] {
  const latest = latestByVolume(drills);
  const blank = (): EvidenceRow => Object.fromEntries(EVIDENCE_COLUMNS.map((c) => [c, ''])) as EvidenceRow;
  const drillColumns = (d: DrillRecord): Partial<EvidenceRow> => ({
    last_drill_at: d.at,
    drill_snapshot_id: d.snapshotId,
    drill_result: d.result,
    seconds_to_available: d.secondsToAvailable === undefined ? '' : d.secondsToAvailable.toFixed(1),
    blocks_verified: String(d.blocksVerified),
    drill_detail: d.detail ?? '',
  });
  const rows: EvidenceRow[] = [];
  for (const p of [...points].sort((a, b) => (a.account ?? '').localeCompare(b.account ?? '') || a.region.localeCompare(b.region) || a.volumeId.localeCompare(b.volumeId))) {
    const d = latest.get(p.volumeId);
    rows.push({
      ...blank(),
      kind: 'volume',
      account: p.account ?? o.ownAccount,
      region: p.region,
      volume_id: p.volumeId,
      name: p.name ?? '',
      newest_snapshot_id: p.newestSnapshotId ?? '',
      newest_snapshot_age_hours: p.newestAgeHours === undefined ? '' : String(p.newestAgeHours),
      rpo_hours: String(p.rpoHours),
      rpo_met: String(p.rpoMet),
      covered_by: p.coveredBy.join('; '),
      ...(d ? drillColumns(d) : {}),
    });
  }
  const names = new Map(points.map((p) => [p.volumeId, p.name]));
  for (const d of [...drills].sort((a, b) => (a.at < b.at ? 1 : -1))) {
    rows.push({
      ...blank(),
      kind: 'drill',
      account: d.account ?? o.ownAccount,
      region: d.region,
      volume_id: d.volumeId ?? '',
      name: (d.volumeId && names.get(d.volumeId)) || '',
      ...drillColumns(d),
    });
  }
  return rows;
}
