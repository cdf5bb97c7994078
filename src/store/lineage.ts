// What the EBS direct APIs said, kept: the changed blocks between two snapshots (and a root's blocks) never change,
// so each pair is measured once. Stored compactly (base-36 ranges); a pair larger than one item (DynamoDB's 400 KB)
// is split into parts under one partition and read back with one Query.
import { decodeBlocks, encodeBlocks, type BlockSet, type EdgeDiff } from '../core/lineage.js';
import type { Dynamo } from './dynamo.js';
import { key } from './keys.js';

/** Characters per item part: well under 400 KB with the keys and attributes. */
const PART_CHARS = 300_000;

export interface BlockFacts {
  /** Changed blocks first → second, or (first undefined) a root's blocks as `childHas` and `changed`. */
  diff: EdgeDiff;
  /** ISO time it was measured. */
  measuredAt: string;
}

export interface BlockRepository {
  get(first: string | undefined, second: string): Promise<BlockFacts | undefined>;
  put(first: string | undefined, second: string, diff: EdgeDiff, measuredAt: Date): Promise<void>;
}

export function blockRepository(db: Dynamo): BlockRepository {
  return {
    async get(first, second) {
      const items = await db.query({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': key.blocksPartition(first, second) },
      });
      if (items.length === 0) return undefined;
      const parts = items.sort((a, b) => Number(a.part) - Number(b.part));
      // A pair written in parts is whole only when every part is there.
      if (parts.length !== Number(parts[0].parts)) return undefined;
      const text = (field: string) => parts.map((p) => String(p[field] ?? '')).join('');
      return {
        diff: { changed: decodeBlocks(text('changed')), childHas: decodeBlocks(text('childHas')) },
        measuredAt: String(parts[0].measuredAt),
      };
    },
    async put(first, second, diff, measuredAt) {
      const changed = encodeBlocks(diff.changed);
      const childHas = sameSet(diff.changed, diff.childHas) ? changed : encodeBlocks(diff.childHas);
      const n = Math.max(1, Math.ceil(changed.length / PART_CHARS), Math.ceil(childHas.length / PART_CHARS));
      for (let i = 0; i < n; i++) {
        await db.put({
          Item: {
            ...key.blocks(first, second, i),
            kind: 'blocks',
            part: i,
            parts: n,
            changed: cut(changed, i, n),
            childHas: cut(childHas, i, n),
            measuredAt: measuredAt.toISOString(),
          },
        });
      }
    },
  };
}

/** The i-th of n equal slices of the encoded text; the parts are joined back before decoding. */
function cut(text: string, i: number, n: number): string {
  const size = Math.ceil(text.length / n);
  return text.slice(i * size, (i + 1) * size);
}

function sameSet(a: BlockSet, b: BlockSet): boolean {
  return a.ranges.length === b.ranges.length && a.ranges.every((x, i) => x === b.ranges[i]);
}
