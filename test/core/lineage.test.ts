// The incremental-snapshot model against a brute-force block map: random lineages with branches and random
// deletions, and the seeds' own example (A holds 10 GiB, B the 4 GiB that changed, C the 2 GiB added).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BLOCK_BYTES,
  BlockSet,
  decodeBlocks,
  edgeKey,
  encodeBlocks,
  freedBytes,
  snapshotCost,
  type EdgeDiff,
  type Lineage,
} from '../../src/core/lineage.js';

type BlockMap = Map<number, string>;

/** Everything the direct APIs would report about a tree of snapshots with full block maps. */
function lineageOf(maps: Map<string, BlockMap>, parentOf: Map<string, string | undefined>): Lineage {
  const rootBlocks = new Map<string, BlockSet>();
  const edges = new Map<string, EdgeDiff>();
  for (const [id, parent] of parentOf) {
    const m = maps.get(id)!;
    if (parent === undefined) {
      rootBlocks.set(id, BlockSet.of(m.keys()));
      continue;
    }
    const p = maps.get(parent)!;
    const changed: number[] = [];
    for (const i of new Set([...p.keys(), ...m.keys()])) if (p.get(i) !== m.get(i)) changed.push(i);
    edges.set(edgeKey(parent, id), { changed: BlockSet.of(changed), childHas: BlockSet.of(changed.filter((i) => m.has(i))) });
  }
  return { parentOf, rootBlocks, edges };
}

/** A block version is freed when every snapshot holding it is deleted. */
function bruteForceFreed(maps: Map<string, BlockMap>, deleted: Set<string>): number {
  const holders = new Map<string, Set<string>>();
  for (const [id, m] of maps) for (const v of m.values()) (holders.get(v) ?? holders.set(v, new Set()).get(v)!).add(id);
  let n = 0;
  for (const hs of holders.values()) if ([...hs].every((h) => deleted.has(h))) n++;
  return n * BLOCK_BYTES;
}

const GiB = 2048; // blocks

describe("the seeds' incremental example", () => {
  // A: 10 GiB written. B: 4 GiB of it rewritten. C: 2 GiB added.
  const a: BlockMap = new Map(Array.from({ length: 10 * GiB }, (_, i) => [i, `a${i}`]));
  const b: BlockMap = new Map(a);
  for (let i = 0; i < 4 * GiB; i++) b.set(i, `b${i}`);
  const c: BlockMap = new Map(b);
  for (let i = 10 * GiB; i < 12 * GiB; i++) c.set(i, `c${i}`);
  const maps = new Map([['A', a], ['B', b], ['C', c]]);
  const parentOf = new Map<string, string | undefined>([['A', undefined], ['B', 'A'], ['C', 'B']]);
  const l = lineageOf(maps, parentOf);
  const gib = 2 ** 30;

  it('deleting A frees only what B overwrote; B frees nothing while C uses it; C frees what it added', () => {
    expect(snapshotCost(l, 'A')).toEqual({ id: 'A', ownBytes: 10 * gib, freedBytes: 4 * gib, keptBy: [{ id: 'B', bytes: 6 * gib }] });
    expect(snapshotCost(l, 'B')).toEqual({ id: 'B', ownBytes: 4 * gib, freedBytes: 0, keptBy: [{ id: 'C', bytes: 4 * gib }] });
    expect(snapshotCost(l, 'C')).toEqual({ id: 'C', ownBytes: 2 * gib, freedBytes: 2 * gib, keptBy: [] });
  });

  it('deleting a set frees what none of the rest uses: not the sum of the singles', () => {
    // B alone frees nothing and C alone 2 GiB; together B's 4 GiB go too, since only C still used them.
    expect(freedBytes(l, new Set(['B', 'C']))).toBe(6 * gib);
    // A and B: A's overwritten 4 GiB; the rest of A and all of B stay for C.
    expect(freedBytes(l, new Set(['A', 'B']))).toBe(4 * gib);
    expect(freedBytes(l, new Set(['A', 'B', 'C']))).toBe(16 * gib);
  });
});

describe('against a brute-force block map', () => {
  const tree = fc
    .record({
      rootBlocks: fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: 40 }),
      steps: fc.array(
        fc.record({ parent: fc.nat(), writes: fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: 12 }), drops: fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: 4 }) }),
        { maxLength: 10 },
      ),
      deleteMask: fc.array(fc.boolean(), { minLength: 11, maxLength: 11 }),
    })
    .map(({ rootBlocks, steps, deleteMask }) => {
      const ids = ['s0'];
      const maps = new Map<string, BlockMap>([['s0', new Map(rootBlocks.map((i) => [i, `s0:${i}`]))]]);
      const parentOf = new Map<string, string | undefined>([['s0', undefined]]);
      steps.forEach((st, k) => {
        const id = `s${k + 1}`;
        // Any earlier snapshot may be the parent: branches are volumes restored from it.
        const parent = ids[st.parent % ids.length];
        const m = new Map(maps.get(parent)!);
        for (const i of st.writes) m.set(i, `${id}:${i}`);
        for (const i of st.drops) m.delete(i);
        maps.set(id, m);
        parentOf.set(id, parent);
        ids.push(id);
      });
      const deleted = new Set(ids.filter((_, i) => deleteMask[i]));
      return { maps, parentOf, deleted, ids };
    });

  it('frees exactly what a block map says, for any lineage and any set of deletions', () => {
    fc.assert(
      fc.property(tree, ({ maps, parentOf, deleted }) => {
        expect(freedBytes(lineageOf(maps, parentOf), deleted)).toBe(bruteForceFreed(maps, deleted));
      }),
      { numRuns: 400 },
    );
  });

  it('each snapshot alone: freed ≤ own, and own − freed is what its children keep (at most)', () => {
    fc.assert(
      fc.property(tree, ({ maps, parentOf, ids }) => {
        const l = lineageOf(maps, parentOf);
        for (const id of ids) {
          const c = snapshotCost(l, id)!;
          expect(c.freedBytes).toBe(bruteForceFreed(maps, new Set([id])));
          expect(c.freedBytes).toBeLessThanOrEqual(c.ownBytes);
          for (const k of c.keptBy) expect(k.bytes).toBeLessThanOrEqual(c.ownBytes - c.freedBytes);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('is unknown, not guessed, when a diff it needs is missing', () => {
    const maps = new Map([['x', new Map([[1, 'x1']])], ['y', new Map([[1, 'y1']])]]);
    const l = lineageOf(maps, new Map([['x', undefined], ['y', 'x']]));
    const missing: Lineage = { ...l, edges: new Map() };
    expect(freedBytes(missing, new Set(['x']))).toBeUndefined();
    expect(snapshotCost(missing, 'y')).toBeUndefined();
  });
});

describe('block sets', () => {
  it('round-trip through their compact encoding, and set operations agree with plain sets', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 2000 })), fc.uniqueArray(fc.integer({ min: 0, max: 2000 })), (xs, ys) => {
        const a = BlockSet.of(xs);
        const b = BlockSet.of(ys);
        expect(decodeBlocks(encodeBlocks(a)).ranges).toEqual(a.ranges);
        const sa = new Set(xs);
        const sb = new Set(ys);
        expect(a.union(b).size).toBe(new Set([...xs, ...ys]).size);
        expect(a.intersect(b).size).toBe(xs.filter((x) => sb.has(x)).length);
        expect(a.minus(b).size).toBe(xs.filter((x) => !sb.has(x)).length);
        expect(b.minus(a).size).toBe(ys.filter((y) => !sa.has(y)).length);
      }),
    );
  });

  it('keep a contiguous volume as one range', () => {
    expect(BlockSet.of(Array.from({ length: 1000 }, (_, i) => i)).ranges).toEqual([0, 1000]);
    expect(encodeBlocks(BlockSet.fromRanges([0, 2_097_152]))).toBe('0,18y68');
  });
});
