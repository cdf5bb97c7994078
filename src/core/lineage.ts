// What deleting snapshots really frees. EBS snapshots are incremental: a snapshot stores only the 512 KiB blocks that
// changed since the snapshot before it in its lineage, and refers to the rest. A block version is stored once, by the
// snapshot that introduced it, and kept while any snapshot still refers to it. So deleting B frees nothing that C
// (its successor) still uses, and deleting A frees only what B overwrote.
//
// The lineage is a tree: each snapshot's parent is the one before it of the same volume, or — for the first snapshot
// of a volume restored from a snapshot — the snapshot it was restored from; one snapshot can be the root of several
// lineages. The facts come from the EBS direct APIs: for a root, the blocks it holds (ListSnapshotBlocks); for every
// parent → child edge, the blocks that differ (ListChangedBlocks), and of those, the ones the child has at all.
// Pure: block sets are sorted, non-overlapping [start, end) ranges, so a 16 TiB volume's sets stay small.
import type { Snapshot } from './types.js';

export const BLOCK_BYTES = 512 * 1024;

/** Sorted, non-overlapping, non-adjacent half-open ranges of block indexes, flattened: [s0, e0, s1, e1, …]. */
export class BlockSet {
  private constructor(readonly ranges: readonly number[]) {}

  static readonly EMPTY = new BlockSet([]);

  /** From block indexes in any order, duplicates allowed. */
  static of(indexes: Iterable<number>): BlockSet {
    const sorted = [...indexes].sort((a, b) => a - b);
    const out: number[] = [];
    for (const i of sorted) {
      if (out.length && i <= out[out.length - 1]) {
        if (i === out[out.length - 1]) out[out.length - 1] = i + 1;
        continue;
      }
      out.push(i, i + 1);
    }
    return new BlockSet(out);
  }

  /** From ranges as stored ([start, end) pairs, sorted and disjoint); merged where they touch. */
  static fromRanges(ranges: readonly number[]): BlockSet {
    const out: number[] = [];
    for (let k = 0; k + 1 < ranges.length; k += 2) {
      const [s, e] = [ranges[k], ranges[k + 1]];
      if (e <= s) continue;
      if (out.length && s <= out[out.length - 1]) out[out.length - 1] = Math.max(out[out.length - 1], e);
      else out.push(s, e);
    }
    return new BlockSet(out);
  }

  get size(): number {
    let n = 0;
    for (let k = 0; k < this.ranges.length; k += 2) n += this.ranges[k + 1] - this.ranges[k];
    return n;
  }

  get bytes(): number {
    return this.size * BLOCK_BYTES;
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  has(i: number): boolean {
    for (let k = 0; k < this.ranges.length; k += 2) if (i >= this.ranges[k] && i < this.ranges[k + 1]) return true;
    return false;
  }

  union(o: BlockSet): BlockSet {
    return combine(this, o, (a, b) => a || b);
  }

  intersect(o: BlockSet): BlockSet {
    return combine(this, o, (a, b) => a && b);
  }

  minus(o: BlockSet): BlockSet {
    return combine(this, o, (a, b) => a && !b);
  }
}

/** Sweeps both range lists once; `keep` says whether a stretch in (a?, b?) belongs to the result. */
function combine(x: BlockSet, y: BlockSet, keep: (inA: boolean, inB: boolean) => boolean): BlockSet {
  const points = new Set<number>();
  for (const r of [x.ranges, y.ranges]) for (const p of r) points.add(p);
  const edges = [...points].sort((a, b) => a - b);
  const out: number[] = [];
  let ia = 0;
  let ib = 0;
  for (let k = 0; k + 1 < edges.length; k++) {
    const start = edges[k];
    while (ia < x.ranges.length && x.ranges[ia + 1] <= start) ia += 2;
    while (ib < y.ranges.length && y.ranges[ib + 1] <= start) ib += 2;
    const inA = ia < x.ranges.length && x.ranges[ia] <= start;
    const inB = ib < y.ranges.length && y.ranges[ib] <= start;
    if (!keep(inA, inB)) continue;
    const end = edges[k + 1];
    if (out.length && out[out.length - 1] === start) out[out.length - 1] = end;
    else out.push(start, end);
  }
  return BlockSet.fromRanges(out);
}

/** What the direct APIs said about one parent → child edge. */
export interface EdgeDiff {
  /** Blocks that differ between parent and child (ListChangedBlocks). */
  changed: BlockSet;
  /** Of those, the ones the child holds data for (a SecondBlockToken); the rest the child no longer has. */
  childHas: BlockSet;
}

export interface Lineage {
  /** Snapshot ID → its parent's ID (absent for a root). */
  parentOf: ReadonlyMap<string, string | undefined>;
  /** Roots: every block the snapshot holds (ListSnapshotBlocks). */
  rootBlocks: ReadonlyMap<string, BlockSet>;
  /** `${parent}>${child}` → the edge's diff. */
  edges: ReadonlyMap<string, EdgeDiff>;
}

export const edgeKey = (parent: string, child: string) => `${parent}>${child}`;

function childrenOf(l: Lineage): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const [id, parent] of l.parentOf) {
    if (parent === undefined) continue;
    const list = children.get(parent);
    if (list) list.push(id);
    else children.set(parent, [id]);
  }
  return children;
}

/** The block versions a snapshot introduced (stored itself): a root's blocks, or what changed with data on its edge. */
function introducedBy(l: Lineage, id: string): BlockSet | undefined {
  const parent = l.parentOf.get(id);
  if (parent === undefined) return l.rootBlocks.get(id);
  return l.edges.get(edgeKey(parent, id))?.childHas;
}

/**
 * Of the blocks `x` (versions present in `id`), those some snapshot outside `deleted` still refers to, in the subtree
 * of `id`: `id` itself when it stays, and every child that did not change them, recursively.
 */
function stillReferenced(l: Lineage, children: Map<string, string[]>, id: string, x: BlockSet, deleted: ReadonlySet<string>): BlockSet | undefined {
  if (x.isEmpty) return BlockSet.EMPTY;
  if (!deleted.has(id)) return x;
  let kept = BlockSet.EMPTY;
  for (const c of children.get(id) ?? []) {
    const diff = l.edges.get(edgeKey(id, c));
    if (!diff) return undefined;
    const inherited = x.minus(diff.changed);
    const sub = stillReferenced(l, children, c, inherited, deleted);
    if (!sub) return undefined;
    kept = kept.union(sub);
  }
  return kept;
}

/**
 * What deleting the set frees, in bytes (not the sum of the singles), or undefined where a needed diff is unknown.
 * Counted per snapshot, since two snapshots' versions of one block index are different data.
 */
export function freedBytes(l: Lineage, deleted: ReadonlySet<string>): number | undefined {
  const children = childrenOf(l);
  let bytes = 0;
  for (const id of deleted) {
    const own = introducedBy(l, id);
    if (!own) return undefined;
    const kept = stillReferenced(l, children, id, own, deleted);
    if (!kept) return undefined;
    bytes += own.minus(kept).bytes;
  }
  return bytes;
}

/** For one snapshot: what it stores, what deleting it alone frees, and which neighbours keep the rest. */
export interface SnapshotCost {
  id: string;
  /** Bytes of block versions it stores itself. */
  ownBytes: number;
  /** Bytes deleting it alone frees. */
  freedBytes: number;
  /** Children that keep using some of its blocks, and how much. */
  keptBy: { id: string; bytes: number }[];
}

export function snapshotCost(l: Lineage, id: string): SnapshotCost | undefined {
  const own = introducedBy(l, id);
  if (!own) return undefined;
  const keptBy: SnapshotCost['keptBy'] = [];
  for (const c of childrenOf(l).get(id) ?? []) {
    const diff = l.edges.get(edgeKey(id, c));
    if (!diff) return undefined;
    const kept = own.minus(diff.changed);
    if (!kept.isEmpty) keptBy.push({ id: c, bytes: kept.bytes });
  }
  const freed = freedBytes(l, new Set([id]));
  if (freed === undefined) return undefined;
  return { id, ownBytes: own.bytes, freedBytes: freed, keptBy };
}

/** What `/snapshot cost` and the deletion cards say: measured, or why not (with the upper bound). */
export type CostReport =
  | {
      measured: true;
      snapshot: Snapshot;
      cost: SnapshotCost;
      /** USD per month no longer paid once it is deleted. */
      freedUsd: number;
      parentId?: string;
      childIds: string[];
      /** When the oldest figure used was measured (they never change once measured). */
      measuredAt: Date;
      /** Direct-API pages this answer spent (0 when everything was known). */
      calls: number;
    }
  | { measured: false; snapshot?: Snapshot; why: string; upToUsd?: number };

// ── compact storage of block sets (DynamoDB items hold at most 400 KB) ─────────────────────────────────────────

/** Ranges as base-36 deltas: "0,a;14,2;…" (start delta from the previous end, length). */
export function encodeBlocks(s: BlockSet): string {
  const parts: string[] = [];
  let prev = 0;
  for (let k = 0; k < s.ranges.length; k += 2) {
    parts.push(`${(s.ranges[k] - prev).toString(36)},${(s.ranges[k + 1] - s.ranges[k]).toString(36)}`);
    prev = s.ranges[k + 1];
  }
  return parts.join(';');
}

export function decodeBlocks(text: string): BlockSet {
  if (!text) return BlockSet.EMPTY;
  const ranges: number[] = [];
  let prev = 0;
  for (const part of text.split(';')) {
    const [gap, len] = part.split(',').map((x) => parseInt(x, 36));
    const start = prev + gap;
    ranges.push(start, start + len);
    prev = start + len;
  }
  return BlockSet.fromRanges(ranges);
}

/** Binary units, as the direct APIs count (512 KiB blocks): "0 B", "512 KiB", "4 GiB", "1.5 TiB". */
export function formatBytes(bytes: number): string {
  if (bytes === 0) return '0 B';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 || Number.isInteger(v) ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}
