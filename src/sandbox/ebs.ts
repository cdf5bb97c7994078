// The sandbox's EBS direct APIs, read side (botocore's ebs service-2.json: GET /snapshots/{id}/blocks,
// GET /snapshots/{second}/changedblocks?firstSnapshotId=…), over block contents the sandbox gives its snapshots.
//
// Contents: a snapshot's blocks are segments [start, end) of one version each. A volume's snapshots, in time order,
// each take the one before (or, for a restored volume's first, the snapshot it was restored from) and rewrite a
// small deterministic stretch, as a volume's writes between backups would. Contents are fixed the first time any
// snapshot of the volume is read, so deleting one later never changes the others; tests can set them outright.
import { createHash } from 'node:crypto';
import type { Ec2State, SnapshotRecord } from './ec2/state.js';
import { JsonApiError, type JsonRequest, type JsonResponse } from './json-api.js';

export const BLOCK_BYTES = 512 * 1024;
const BLOCKS_PER_GIB = (1024 * 1024 * 1024) / BLOCK_BYTES;

export interface Segment {
  start: number;
  end: number;
  version: string;
}

const invalid = (message: string, reason: string) => Object.assign(new JsonApiError('ValidationException', message, 400), { reason });
const notFound = (id: string) => new JsonApiError('ResourceNotFoundException', `The snapshot '${id}' does not exist.`, 404);

function hash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** Writes `version` over [start, end) of a segment list (which it does not change). */
export function overwrite(segments: readonly Segment[], start: number, end: number, version: string): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    if (s.end <= start || s.start >= end) {
      out.push(s);
      continue;
    }
    if (s.start < start) out.push({ ...s, end: start });
    if (s.end > end) out.push({ ...s, start: end });
  }
  out.push({ start, end, version });
  return out.sort((a, b) => a.start - b.start);
}

/** What GetSnapshotBlock answers: the block's bytes, and its length and checksum as headers. */
export interface BinaryResponse {
  binary: Buffer;
  headers: Record<string, string>;
}

/** A block's data: 512 KiB made from its version and index, the same every time it is read. */
export function blockData(version: string, index: number): Buffer {
  const seed = createHash('sha256').update(`${version}:${index}`).digest();
  const out = Buffer.alloc(BLOCK_BYTES);
  for (let at = 0; at < BLOCK_BYTES; at += seed.length) seed.copy(out, at);
  return out;
}

export class SandboxEbs {
  private readonly contents = new Map<string, Segment[]>();
  /** Blocks whose stored data no longer matches its checksum (snapshot ID → block indexes). */
  private readonly damaged = new Map<string, Set<number>>();
  /** KMS keys snapbot's role may not use: the direct APIs refuse their snapshots (DEPENDENCY_ACCESS_DENIED). */
  readonly deniedKeys = new Set<string>();

  /** Damages one block of a snapshot: it reads back with data that does not match its checksum. */
  damage(snapshotId: string, blockIndex: number): void {
    this.damaged.set(snapshotId, (this.damaged.get(snapshotId) ?? new Set()).add(blockIndex));
  }

  /** Undoes `damage`: the snapshot's blocks read back as written. */
  repair(snapshotId: string): void {
    this.damaged.delete(snapshotId);
  }

  /** The written block indexes of a snapshot (tests pick one to damage). */
  writtenBlocks(region: string, snapshotId: string): number[] {
    const snap = this.snapshot(region, snapshotId);
    return this.content(region, snap).flatMap((s) => Array.from({ length: s.end - s.start }, (_, i) => s.start + i));
  }

  constructor(private readonly state: Ec2State) {}

  /** Sets a snapshot's blocks outright (tests seed exact lineages this way). */
  setContent(snapshotId: string, segments: Segment[]): void {
    this.contents.set(snapshotId, [...segments].sort((a, b) => a.start - b.start));
  }

  handle(req: JsonRequest): JsonResponse | BinaryResponse {
    const parts = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method === 'GET' && parts[0] === 'snapshots' && parts[2] === 'blocks' && parts.length === 4) return this.getBlock(req, parts[1], parts[3]);
    if (req.method !== 'GET' || parts[0] !== 'snapshots' || parts.length !== 3) {
      throw new JsonApiError('UnknownOperationException', `No EBS direct API at ${req.method} ${req.path}`, 404);
    }
    const max = this.maxResults(req.query.get('maxResults'));
    const from = Number(req.query.get('startingBlockIndex') ?? 0);
    const token = req.query.get('pageToken');
    const after = token ? this.decodeToken(token) : from;
    if (parts[2] === 'blocks') {
      const snap = this.snapshot(req.region, parts[1]);
      const blocks: { BlockIndex: number; BlockToken: string }[] = [];
      let next: number | undefined;
      for (const seg of this.content(req.region, snap)) {
        for (let i = Math.max(seg.start, after); i < seg.end; i++) {
          if (blocks.length === max) {
            next = i;
            break;
          }
          blocks.push({ BlockIndex: i, BlockToken: token64(`${seg.version}:${i}`) });
        }
        if (next !== undefined) break;
      }
      return this.page({ Blocks: blocks }, snap, next);
    }
    if (parts[2] === 'changedblocks') {
      const second = this.snapshot(req.region, parts[1]);
      const firstId = req.query.get('firstSnapshotId');
      const first = firstId ? this.snapshot(req.region, firstId) : undefined;
      const a = first ? this.content(req.region, first) : [];
      const b = this.content(req.region, second);
      // Snapshots of different lineages share no block versions; AWS refuses to compare them.
      if (first && a.length && b.length && !a.some((x) => b.some((y) => y.version === x.version))) {
        throw invalid(`The snapshots ${first} and ${second} are not of the same lineage.`, 'UNRELATED_SNAPSHOTS');
      }
      const changed: { BlockIndex: number; FirstBlockToken?: string; SecondBlockToken?: string }[] = [];
      let next: number | undefined;
      for (const [start, end, va, vb] of differences(a, b)) {
        for (let i = Math.max(start, after); i < end; i++) {
          if (changed.length === max) {
            next = i;
            break;
          }
          changed.push({
            BlockIndex: i,
            ...(va ? { FirstBlockToken: token64(`${va}:${i}`) } : {}),
            ...(vb ? { SecondBlockToken: token64(`${vb}:${i}`) } : {}),
          });
        }
        if (next !== undefined) break;
      }
      return this.page({ ChangedBlocks: changed }, second, next);
    }
    throw new JsonApiError('UnknownOperationException', `No EBS direct API at ${req.method} ${req.path}`, 404);
  }

  /** GetSnapshotBlock: the block's data for a token ListSnapshotBlocks gave, with its SHA-256 checksum. */
  private getBlock(req: JsonRequest, snapshotId: string, rawIndex: string): BinaryResponse {
    const snap = this.snapshot(req.region, snapshotId);
    const index = Number(rawIndex);
    const token = req.query.get('blockToken') ?? '';
    const seg = Number.isInteger(index) ? this.content(req.region, snap).find((s) => s.start <= index && index < s.end) : undefined;
    if (!seg || token !== token64(`${seg.version}:${index}`)) {
      throw invalid(`The block token for block ${rawIndex} of ${snapshotId} is not valid.`, 'INVALID_BLOCK_TOKEN');
    }
    const data = blockData(seg.version, index);
    const checksum = createHash('sha256').update(data).digest('base64');
    // A damaged block: the stored data changed after its checksum was taken.
    if (this.damaged.get(snapshotId)?.has(index)) data[12345 % data.length] ^= 0xff;
    return {
      binary: data,
      headers: { 'content-type': 'application/octet-stream', 'x-amz-Data-Length': String(data.length), 'x-amz-Checksum': checksum, 'x-amz-Checksum-Algorithm': 'SHA256' },
    };
  }

  private page(body: JsonResponse, snap: SnapshotRecord, next: number | undefined): JsonResponse {
    return {
      ...body,
      // REST-JSON timestamps are epoch seconds: tokens are good for a while, as AWS's are.
      ExpiryTime: Math.floor(this.state.now() / 1000) + 3600,
      VolumeSize: snap.volumeSizeGiB,
      BlockSize: BLOCK_BYTES,
      ...(next !== undefined ? { NextToken: Buffer.from(`next:${next}`).toString('base64') } : {}),
    };
  }

  private maxResults(raw: string | null): number {
    if (raw === null) return 10_000;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 100 || n > 10_000) throw invalid(`maxResults must be 100–10000, not ${raw}.`, 'INVALID_PAGE_SIZE');
    return n;
  }

  private decodeToken(token: string): number {
    const m = /^next:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
    if (!m) throw invalid('The page token is not valid.', 'INVALID_PAGE_TOKEN');
    return Number(m[1]);
  }

  private snapshot(region: string, id: string): SnapshotRecord {
    const s = this.state.getSnapshot(region, id);
    if (!s || s.ownerId !== this.state.accountId) throw notFound(id);
    if (s.encrypted && s.kmsKeyId && this.deniedKeys.has(s.kmsKeyId)) {
      throw Object.assign(new JsonApiError('AccessDeniedException', `The KMS key ${s.kmsKeyId} of ${id} may not be used by the caller.`, 403), { reason: 'DEPENDENCY_ACCESS_DENIED' });
    }
    if (this.state.snapshotState(s) !== 'completed') throw invalid(`The snapshot ${id} is not completed.`, 'SNAPSHOT_NOT_FOUND');
    if (s.storageTier === 'archive') throw invalid(`The snapshot ${id} is in the archive tier; EBS direct APIs read only standard-tier snapshots.`, 'INVALID_SNAPSHOT_TIER');
    return s;
  }

  /** A snapshot's blocks; a volume's whole lineage is fixed at once, the first time one of its snapshots is read. */
  content(region: string, snap: SnapshotRecord): Segment[] {
    const known = this.contents.get(snap.id);
    if (known) return known;
    const r = this.state.region(region);
    const copy = snap.volumeId === 'vol-ffffffff';
    const sameVolume = [...r.snapshots.values()]
      .filter((s) => s.volumeId === snap.volumeId && s.ownerId === this.state.accountId)
      .sort((a, b) => a.startMs - b.startMs || a.seq - b.seq);
    const volume = r.volumes.get(snap.volumeId);
    const blocks = Math.max(1, snap.volumeSizeGiB * BLOCKS_PER_GIB);
    // Where the lineage starts: the snapshot the volume was restored from, else a volume about a third written.
    const source = volume?.snapshotId ? r.snapshots.get(volume.snapshotId) : undefined;
    let current: Segment[] =
      source && source.id !== snap.id && this.state.snapshotState(source) === 'completed' && source.storageTier === 'standard'
        ? this.content(region, source)
        : [{ start: 0, end: Math.max(1, baseBlocks(copy ? snap : (sameVolume[0] ?? snap), blocks)), version: `${copy ? snap.id : snap.volumeId}:base` }];
    // A copy (no source volume) is a full snapshot of its own lineage.
    const lineage = copy ? [snap] : sameVolume;
    for (const s of lineage) {
      if (this.contents.has(s.id)) {
        current = this.contents.get(s.id)!;
        continue;
      }
      // Between backups a volume rewrites a few per cent of its blocks: mostly what it holds, now and then beyond.
      const h = hash(s.id);
      const len = Math.max(1, Math.floor(blocks * (0.01 + (h % 4) / 100)));
      const written = current.length ? current[current.length - 1].end : blocks;
      const start = h % Math.max(1, Math.min(blocks, written + len) - len);
      current = overwrite(current, start, start + len, `${s.id}:w`);
      this.contents.set(s.id, current);
    }
    return this.contents.get(snap.id) ?? current;
  }
}

/** A lineage's first snapshot holds what EC2 says it does (FullSnapshotSizeInBytes), else a quarter to under half. */
function baseBlocks(first: SnapshotRecord, blocks: number): number {
  if (first.fullSizeBytes !== undefined) return Math.min(blocks, Math.ceil(first.fullSizeBytes / BLOCK_BYTES));
  return Math.floor(blocks * (0.25 + (hash(first.volumeId) % 20) / 100));
}

/** Stretches [start, end) where two contents differ, with the version on each side (undefined: no data there). */
function* differences(a: readonly Segment[], b: readonly Segment[]): Generator<[number, number, string | undefined, string | undefined]> {
  const points = new Set<number>();
  for (const s of [...a, ...b]) points.add(s.start).add(s.end);
  const edges = [...points].sort((x, y) => x - y);
  let ia = 0;
  let ib = 0;
  for (let k = 0; k + 1 < edges.length; k++) {
    const at = edges[k];
    while (ia < a.length && a[ia].end <= at) ia++;
    while (ib < b.length && b[ib].end <= at) ib++;
    const va = ia < a.length && a[ia].start <= at ? a[ia].version : undefined;
    const vb = ib < b.length && b[ib].start <= at ? b[ib].version : undefined;
    if (va !== vb) yield [at, edges[k + 1], va, vb];
  }
}

function token64(text: string): string {
  return Buffer.from(text).toString('base64');
}
