// What a restore drill costs in EBS direct-API calls and time, through the bot's own gateways against the sandbox:
// `drill.direct_api_calls` per drill beside its minimum (one ListSnapshotBlocks per sample point plus one
// GetSnapshotBlock per sampled block), and the wall time split into restore (CreateVolume → available, the SDK's
// waiter) and verification (the sample read back and checked against EBS's SHA-256 checksums). Three shapes of data:
// a volume written evenly, one written only at its start (most sample points fall past the data), and a tiny one
// (fewer blocks than the sample: every block is read).
import { EbsGateway } from '../src/aws/ebs.js';
import { Ec2Gateway } from '../src/aws/ec2/index.js';
import { samplePoints } from '../src/core/drills.js';
import { startSandboxEc2 } from '../src/sandbox/ec2/index.js';
import type { Segment } from '../src/sandbox/ebs.js';
import { FAKE_CREDENTIALS, emit, note, round } from './common.js';

const REGION = 'us-east-1';
const SAMPLE = 32;
const BLOCKS_PER_GIB = 2048;

export async function runDrillBench(): Promise<void> {
  // A restore the sandbox answers in a second, as a small gp3 volume from a warm snapshot does.
  const ec2 = await startSandboxEc2({ seed: 'none', volumeSeconds: 1 });
  const gateway = new Ec2Gateway({ endpoint: ec2.url, credentials: FAKE_CREDENTIALS });
  const ebs = new EbsGateway({ endpoint: ec2.url, credentials: FAKE_CREDENTIALS });
  try {
    const shapes: { name: string; sizeGiB: number; content: Segment[] }[] = [
      { name: 'even', sizeGiB: 500, content: [{ start: 0, end: 500 * BLOCKS_PER_GIB, version: 'even' }] },
      { name: 'front', sizeGiB: 500, content: [{ start: 0, end: 50 * BLOCKS_PER_GIB, version: 'front' }] },
      { name: 'tiny', sizeGiB: 1, content: [{ start: 0, end: 20, version: 'tiny' }] },
    ];
    for (const shape of shapes) {
      note(`drill: a ${shape.sizeGiB} GiB snapshot written ${shape.name === 'even' ? 'throughout' : shape.name === 'front' ? 'in its first tenth' : 'in 20 blocks'}, ${SAMPLE} blocks sampled`);
      const vol = ec2.state.addVolume(REGION, { sizeGiB: shape.sizeGiB });
      const snap = ec2.state.addSnapshot(REGION, { volumeId: vol.id, volumeSizeGiB: shape.sizeGiB, startTime: new Date(Date.now() - 3_600_000) });
      ec2.ebs.setContent(snap.id, shape.content);
      const written = shape.content.reduce((n, s) => n + s.end - s.start, 0);
      const t0 = performance.now();
      const made = await gateway.createVolume(REGION, { snapshotId: snap.id, availabilityZone: `${REGION}a`, volumeType: 'gp3', tags: { 'snapbot:drill': `bench-${shape.name}`, 'snapbot:request': `bench-${shape.name}` } });
      await gateway.waitForVolume(REGION, made.id, 'available', 600);
      const restore = (performance.now() - t0) / 1000;
      const calls0 = ebs.calls;
      const t1 = performance.now();
      const check = await ebs.checkBlocks(REGION, snap.id, SAMPLE);
      const verify = (performance.now() - t1) / 1000;
      await gateway.deleteVolume(REGION, made.id);
      const calls = ebs.calls - calls0;
      // The minimum: every block read when there are no more than the sample (one list call), else one list per point.
      const points = written <= SAMPLE ? 1 : samplePoints(shape.sizeGiB * BLOCKS_PER_GIB, SAMPLE).length;
      const minimum = points + Math.min(SAMPLE, written);
      emit({ name: `drill.direct_api_calls.${shape.name}`, value: calls, unit: 'calls', baseline: minimum, ratio: round(calls / minimum, 3), blocks_verified: check.verified, list_calls: check.listCalls, block_reads: check.blocksRead, volume_gib: shape.sizeGiB });
      emit({ name: `drill.wall.${shape.name}`, value: round(restore + verify, 3), unit: 's', restore_s: round(restore, 3), verify_s: round(verify, 3), blocks_verified: check.verified });
      if (check.bad || check.refused) throw new Error(`drill bench: the ${shape.name} snapshot did not verify: ${check.bad?.why ?? check.refused}`);
    }
  } finally {
    gateway.destroy();
    ebs.destroy();
    await ec2.stop();
  }
}
