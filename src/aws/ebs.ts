// The only user of the EBS direct APIs: which 512 KiB blocks a snapshot holds, and which differ between two
// snapshots of one lineage. Billed per call and throttled, so every call is counted (the caller keeps a budget).
import { EBSClient, paginateListChangedBlocks, paginateListSnapshotBlocks } from '@aws-sdk/client-ebs';
import { BlockSet, type EdgeDiff } from '../core/lineage.js';
import { translateAwsError } from './errors.js';
import { RegionalClients, type RegionalOptions } from './regional.js';

const SERVICE = { iamPrefix: 'ebs', name: 'EBS direct APIs' } as const;
/** The largest page the direct APIs allow. */
const PAGE = 10_000;

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
