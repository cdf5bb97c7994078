// The sandbox's EBS direct APIs through the real EBSClient: REST-JSON pages of blocks and changed blocks, tokens,
// and the errors AWS gives (archived snapshots, page sizes out of range, unknown snapshots).
import { EBSClient, ListChangedBlocksCommand, ListSnapshotBlocksCommand, paginateListSnapshotBlocks } from '@aws-sdk/client-ebs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxEc2, type SandboxEc2 } from '../../src/sandbox/ec2/index.js';
import { failure } from './helpers.js';

describe('sandbox EBS direct APIs', () => {
  let sandbox: SandboxEc2;
  let ebs: EBSClient;
  const R = 'us-east-1';

  beforeAll(async () => {
    sandbox = await startSandboxEc2({ seed: 'none' });
    ebs = new EBSClient({ region: R, endpoint: sandbox.url, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    ebs.destroy();
    await sandbox.stop();
  });

  it('lists a snapshot’s blocks in pages, with its size and block size', async () => {
    const s = sandbox.state.addSnapshot(R, { volumeSizeGiB: 1 });
    sandbox.ebs.setContent(s.id, [{ start: 10, end: 260, version: 'v' }]);
    const first = await ebs.send(new ListSnapshotBlocksCommand({ SnapshotId: s.id, MaxResults: 100 }));
    expect(first).toMatchObject({ VolumeSize: 1, BlockSize: 524288 });
    expect(first.Blocks).toHaveLength(100);
    expect(first.Blocks![0].BlockIndex).toBe(10);
    expect(first.ExpiryTime).toBeInstanceOf(Date);
    const all: number[] = [];
    for await (const page of paginateListSnapshotBlocks({ client: ebs, pageSize: 100 }, { SnapshotId: s.id })) all.push(...(page.Blocks ?? []).map((b) => b.BlockIndex!));
    expect(all).toEqual(Array.from({ length: 250 }, (_, i) => i + 10));
    const from = await ebs.send(new ListSnapshotBlocksCommand({ SnapshotId: s.id, StartingBlockIndex: 200 }));
    expect(from.Blocks![0].BlockIndex).toBe(200);
  });

  it('lists the blocks that changed between two snapshots, with tokens on the sides that have them', async () => {
    const vol = sandbox.state.addVolume(R, { sizeGiB: 1 });
    const a = sandbox.state.addSnapshot(R, { volumeId: vol.id });
    const b = sandbox.state.addSnapshot(R, { volumeId: vol.id });
    sandbox.ebs.setContent(a.id, [{ start: 0, end: 10, version: 'a' }]);
    sandbox.ebs.setContent(b.id, [
      { start: 0, end: 2, version: 'b' },
      { start: 2, end: 8, version: 'a' },
      { start: 12, end: 13, version: 'b' },
    ]);
    const out = await ebs.send(new ListChangedBlocksCommand({ FirstSnapshotId: a.id, SecondSnapshotId: b.id }));
    const rows = out.ChangedBlocks!.map((c) => [c.BlockIndex, Boolean(c.FirstBlockToken), Boolean(c.SecondBlockToken)]);
    expect(rows).toEqual([
      [0, true, true],
      [1, true, true],
      [8, true, false],
      [9, true, false],
      [12, false, true],
    ]);
  });

  it('gives its lineage to every seeded snapshot: a later one changes a few per cent of the blocks', async () => {
    const vol = sandbox.state.addVolume(R, { sizeGiB: 2 });
    const a = sandbox.state.addSnapshot(R, { volumeId: vol.id, startTime: new Date(Date.now() - 2 * 86_400_000) });
    const b = sandbox.state.addSnapshot(R, { volumeId: vol.id, startTime: new Date(Date.now() - 86_400_000) });
    const blocks = await ebs.send(new ListSnapshotBlocksCommand({ SnapshotId: a.id }));
    expect(blocks.Blocks!.length).toBeGreaterThan(0);
    const changed = await ebs.send(new ListChangedBlocksCommand({ FirstSnapshotId: a.id, SecondSnapshotId: b.id }));
    expect(changed.ChangedBlocks!.length).toBeGreaterThan(0);
    expect(changed.ChangedBlocks!.length).toBeLessThan(4096 * 0.06);
  });

  it('refuses what AWS refuses', async () => {
    const archived = sandbox.state.addSnapshot(R, { volumeSizeGiB: 1, storageTier: 'archive' });
    expect(await failure(ebs.send(new ListSnapshotBlocksCommand({ SnapshotId: archived.id })))).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(await failure(ebs.send(new ListSnapshotBlocksCommand({ SnapshotId: 'snap-0000000000000000f' })))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    const s = sandbox.state.addSnapshot(R, { volumeSizeGiB: 1 });
    expect(await failure(ebs.send(new ListSnapshotBlocksCommand({ SnapshotId: s.id, MaxResults: 5 })))).toMatchObject({ name: 'ValidationException' });
  });
});
