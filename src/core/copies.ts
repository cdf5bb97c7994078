// Copies belong to their source's volume. A snapshot made by CopySnapshot has no volume of its own (EC2 gives it a
// placeholder), but it is a backup of the volume its source was taken from: the newest KEEP_PER_VOLUME completed
// copies of a live volume in each other region are that volume's off-region backups — its disaster recovery — and
// never cleanup candidates; older ones there are superseded copies. A copy's source is told by snapbot's
// `snapbot:copy-of` tag, else by the description EC2 (or snapbot, before it tagged) wrote; copies of copies are
// followed to the first snapshot that has a volume. A copy whose source cannot be told is judged as before.
import { TAG, type Snapshot } from './types.js';

export interface SnapshotRef {
  region: string;
  snapshotId: string;
}

/** A copy as the digest remembers it while pages stream: small, and only for copies whose source can be told. */
export interface CopyRecord {
  id: string;
  region: string;
  startMs: number;
  completed: boolean;
  origin: SnapshotRef;
}

const EC2_DESCRIPTION = /\[Copied (snap-[0-9a-f]{8,17}) from ([a-z]{2}(?:-[a-z]+)+-\d)\]/;
const SNAPBOT_DESCRIPTION = /^snapbot: copy of (snap-[0-9a-f]{8,17}) from ([a-z]{2}(?:-[a-z]+)+-\d)/;
const TAG_VALUE = /^([a-z]{2}(?:-[a-z]+)+-\d)\/(snap-[0-9a-f]{8,17})$/;

/** Where a copy came from, or undefined for a snapshot of a volume and for a copy that does not say. */
export function copyOrigin(s: Pick<Snapshot, 'volumeId' | 'tags' | 'description'>): SnapshotRef | undefined {
  if (s.volumeId) return undefined;
  const tagged = TAG_VALUE.exec(s.tags[TAG.copyOf] ?? '');
  if (tagged) return { region: tagged[1], snapshotId: tagged[2] };
  const described = EC2_DESCRIPTION.exec(s.description ?? '') ?? SNAPBOT_DESCRIPTION.exec(s.description ?? '');
  return described ? { region: described[2], snapshotId: described[1] } : undefined;
}

/** The first snapshot up a copy's chain that is not itself a known copy (at most `depth` hops; a loop stops there). */
export function chainRoot(copy: CopyRecord, byId: ReadonlyMap<string, CopyRecord>, depth = 10): SnapshotRef {
  let ref = copy.origin;
  const seen = new Set([copy.id]);
  for (let i = 0; i < depth; i++) {
    const next = byId.get(ref.snapshotId);
    if (!next || seen.has(next.id)) break;
    seen.add(next.id);
    ref = next.origin;
  }
  return ref;
}

export interface CopyJudgement {
  /** The newest completed copies of a live volume in a region other than the volume's: never candidates. */
  kept: Map<string, { volumeId: string; volumeRegion: string }>;
  /** Older copies of a live volume there: superseded, with how many newer copies are kept in that region. */
  superseded: Map<string, { volumeId: string; kept: number }>;
}

/**
 * Judges every copy whose chain ends at a snapshot of a live volume (`volumeOfRoot`: root snapshot ID → its volume
 * and the volume's region, for live volumes only).
 */
export function judgeCopies(
  copies: readonly CopyRecord[],
  volumeOfRoot: ReadonlyMap<string, { volumeId: string; region: string }>,
  keepPerVolume: number,
): CopyJudgement {
  const byId = new Map(copies.map((c) => [c.id, c]));
  const groups = new Map<string, { volumeId: string; volumeRegion: string; copies: CopyRecord[] }>();
  for (const c of copies) {
    const volume = volumeOfRoot.get(chainRoot(c, byId).snapshotId);
    if (!volume || volume.region === c.region) continue;
    const key = `${volume.region}/${volume.volumeId}→${c.region}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { volumeId: volume.volumeId, volumeRegion: volume.region, copies: [] }));
    g.copies.push(c);
  }
  const judgement: CopyJudgement = { kept: new Map(), superseded: new Map() };
  for (const g of groups.values()) {
    const newestFirst = g.copies.filter((c) => c.completed).sort((a, b) => b.startMs - a.startMs);
    const kept = newestFirst.slice(0, keepPerVolume);
    for (const c of kept) judgement.kept.set(c.id, { volumeId: g.volumeId, volumeRegion: g.volumeRegion });
    for (const c of newestFirst.slice(keepPerVolume)) judgement.superseded.set(c.id, { volumeId: g.volumeId, kept: kept.length });
  }
  return judgement;
}
