// The only user of the EBS direct APIs: which 512 KiB blocks a snapshot holds, and which differ between two
// snapshots of one lineage. Billed per call and throttled, so every call is counted (the caller keeps a budget).
import { createHash } from 'node:crypto';
import { EBSClient, GetSnapshotBlockCommand, ListSnapshotBlocksCommand, paginateListChangedBlocks, paginateListSnapshotBlocks } from '@aws-sdk/client-ebs';
import { samplePoints } from '../core/drills.js';
import { BlockSet, type EdgeDiff } from '../core/lineage.js';
import { translateAwsError } from './errors.js';
import { RegionalClients, type RegionalOptions } from './regional.js';

const SERVICE = { iamPrefix: 'ebs', name: 'EBS direct APIs' } as const;
/** The largest page the direct APIs allow. */
const PAGE = 10_000;
/** The smallest page the direct APIs allow: a sample point reads no more of the list than it needs. */
const SAMPLE_PAGE = 100;

/** A written block of a snapshot, with the token that reads it (good until `expires`). */
export interface SampledBlock {
  index: number;
  token: string;
  expires?: Date;
}

/** What reading a snapshot's sample of blocks back found. */
export interface BlockCheck {
  /** Blocks read whose data matched the SHA-256 checksum EBS returned. */
  verified: number;
  /** The first block (as EBS numbers it) whose data did not match, or could not be read, and why. */
  bad?: { index: number; why: string };
  /** The direct APIs were refused (a KMS key the role may not use): nothing was read, and why. */
  refused?: string;
  listCalls: number;
  blocksRead: number;
}

export class EbsGateway {
  private readonly clients: RegionalClients<EBSClient>;
  /** Direct-API calls made (pages, each billed), for budgets and the benchmark. */
  calls = 0;

  constructor(opts: RegionalOptions = {}) {
    this.clients = new RegionalClients((config) => new EBSClient(config), opts);
  }

  destroy(): void {
    this.clients.destroy();
  }

  /** Every block the snapshot holds data for. */
  async snapshotBlocks(region: string, snapshotId: string): Promise<BlockSet> {
    const indexes: number[] = [];
    try {
      for await (const page of paginateListSnapshotBlocks({ client: this.clients.get(region), pageSize: PAGE }, { SnapshotId: snapshotId })) {
        this.calls++;
        for (const b of page.Blocks ?? []) if (b.BlockIndex !== undefined) indexes.push(b.BlockIndex);
      }
    } catch (err) {
      throw translateAwsError(err, { action: 'ListSnapshotBlocks', region, resourceId: snapshotId, service: SERVICE });
    }
    return BlockSet.of(indexes);
  }

  /**
   * Up to `sample` written blocks spread over the snapshot: one small ListSnapshotBlocks page from each of `sample`
   * evenly spaced starting indexes, taking the first block there not taken yet (every block when there are fewer).
   */
  async sampleBlocks(region: string, snapshotId: string, sample: number, onCall: () => void = () => undefined): Promise<SampledBlock[]> {
    const client = this.clients.get(region);
    const taken = new Map<number, SampledBlock>();
    const list = async (from: number) => {
      this.calls++;
      onCall();
      try {
        return await client.send(new ListSnapshotBlocksCommand({ SnapshotId: snapshotId, StartingBlockIndex: from, MaxResults: SAMPLE_PAGE }));
      } catch (err) {
        // A refused KMS key is told apart by the caller: passed on as EBS said it.
        if (kmsRefusal(err)) throw err;
        throw translateAwsError(err, { action: 'ListSnapshotBlocks', region, resourceId: snapshotId, service: SERVICE });
      }
    };
    // Every block the pages showed: where points fall past the written data, the sample is filled from these.
    const pool: SampledBlock[] = [];
    const take = (page: Awaited<ReturnType<typeof list>>) => {
      const blocks = (page.Blocks ?? []).flatMap((b) =>
        b.BlockIndex !== undefined && b.BlockToken ? [{ index: b.BlockIndex, token: b.BlockToken, ...(page.ExpiryTime ? { expires: page.ExpiryTime } : {}) }] : [],
      );
      pool.push(...blocks);
      const first = blocks.find((b) => !taken.has(b.index));
      if (first) taken.set(first.index, first);
    };
    const first = await list(0);
    const total = Math.ceil(((first.VolumeSize ?? 0) * 1024 ** 3) / (first.BlockSize || 512 * 1024));
    take(first);
    // Few written blocks: the first page holds them all, and then every one is read.
    if (!first.NextToken && pool.length <= sample) {
      for (const b of pool) taken.set(b.index, b);
      return [...taken.values()].sort((a, b) => a.index - b.index);
    }
    for (const from of samplePoints(total, sample).slice(1)) {
      if (taken.size >= sample) break;
      const page = await list(from);
      take(page);
      // Nothing written from here on: the later points would list nothing either.
      if (!page.Blocks?.length) break;
    }
    const spare = [...new Map(pool.filter((b) => !taken.has(b.index)).map((b) => [b.index, b])).values()];
    const need = Math.min(spare.length, sample - taken.size);
    for (let k = 0; k < need; k++) {
      const b = spare[Math.floor((k * spare.length) / need)];
      taken.set(b.index, b);
    }
    return [...taken.values()].sort((a, b) => a.index - b.index);
  }

  /**
   * Reads each sampled block back and checks its data against the SHA-256 checksum EBS sends with it. A token past
   * its expiry is listed again first. Stops at the first bad block; a refused KMS key is `refused`, not a failure.
   */
  async checkBlocks(region: string, snapshotId: string, sample: number, now: () => Date = () => new Date()): Promise<BlockCheck> {
    const result: BlockCheck = { verified: 0, listCalls: 0, blocksRead: 0 };
    const client = this.clients.get(region);
    let blocks: SampledBlock[];
    try {
      blocks = await this.sampleBlocks(region, snapshotId, sample, () => result.listCalls++);
    } catch (err) {
      const refused = kmsRefusal(err);
      if (refused) return { ...result, refused };
      throw err;
    }
    for (const block of blocks) {
      let token = block.token;
      if (block.expires && block.expires.getTime() <= now().getTime()) {
        this.calls++;
        result.listCalls++;
        const again = await client.send(new ListSnapshotBlocksCommand({ SnapshotId: snapshotId, StartingBlockIndex: block.index, MaxResults: SAMPLE_PAGE }));
        token = again.Blocks?.find((b) => b.BlockIndex === block.index)?.BlockToken ?? token;
      }
      this.calls++;
      result.blocksRead++;
      try {
        const out = await client.send(new GetSnapshotBlockCommand({ SnapshotId: snapshotId, BlockIndex: block.index, BlockToken: token }));
        const data = out.BlockData ? await out.BlockData.transformToByteArray() : new Uint8Array();
        const actual = createHash('sha256').update(data).digest('base64');
        if (!out.Checksum || actual !== out.Checksum) {
          result.bad = { index: block.index, why: `its data does not match the SHA-256 checksum EBS gave for it (${out.Checksum ?? 'none'}, read ${actual})` };
          return result;
        }
        if (out.DataLength !== undefined && out.DataLength !== data.length) {
          result.bad = { index: block.index, why: `EBS said it holds ${out.DataLength} bytes and ${data.length} came back` };
          return result;
        }
        result.verified++;
      } catch (err) {
        const refused = kmsRefusal(err);
        if (refused) return { ...result, refused };
        const translated = translateAwsError(err, { action: 'GetSnapshotBlock', region, resourceId: snapshotId, service: SERVICE });
        result.bad = { index: block.index, why: `it could not be read: ${translated.message}` };
        return result;
      }
    }
    return result;
  }

  /** The blocks that differ from `first` to `second` (same lineage, `first` older), and which of them `second` has. */
  async changedBlocks(region: string, first: string, second: string): Promise<EdgeDiff> {
    const changed: number[] = [];
    const childHas: number[] = [];
    try {
      for await (const page of paginateListChangedBlocks(
        { client: this.clients.get(region), pageSize: PAGE },
        { FirstSnapshotId: first, SecondSnapshotId: second },
      )) {
        this.calls++;
        for (const b of page.ChangedBlocks ?? []) {
          if (b.BlockIndex === undefined) continue;
          changed.push(b.BlockIndex);
          if (b.SecondBlockToken) childHas.push(b.BlockIndex);
        }
      }
    } catch (err) {
      throw translateAwsError(err, { action: 'ListChangedBlocks', region, resourceId: second, service: SERVICE });
    }
    return { changed: BlockSet.of(changed), childHas: BlockSet.of(childHas) };
  }
}

/** The direct APIs refused because of the snapshot's KMS key (DEPENDENCY_ACCESS_DENIED): why, in words. */
function kmsRefusal(err: unknown): string | undefined {
  const e = err as { name?: string; Reason?: string };
  if (e.name !== 'AccessDeniedException' || e.Reason !== 'DEPENDENCY_ACCESS_DENIED') return undefined;
  return "the snapshot's KMS key may not be used by snapbot's role to read blocks (EBS direct APIs: DEPENDENCY_ACCESS_DENIED), so its blocks were not read";
}
