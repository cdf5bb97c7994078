import {
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  paginateDescribeImages,
  paginateDescribeSnapshots,
  paginateDescribeVolumes,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { createSandboxState, startSandboxEc2 } from '../../src/sandbox/ec2/index.js';
import { ec2 } from './helpers.js';

describe('sandbox EC2: synthetic accounts for benchmarks', () => {
  it('is deterministic', () => {
    const seed = { snapshots: 200, images: 30, volumes: 60, regions: ['us-east-1', 'eu-west-1'] };
    const fixed = () => new Date('2026-11-22T00:00:00Z');
    const a = createSandboxState({ seed, now: fixed });
    const b = createSandboxState({ seed, now: fixed });
    const ids = (s: typeof a) => [...s.region('eu-west-1').snapshots.values()].map((x) => `${x.id}:${x.startMs}:${x.volumeId}`);
    expect(ids(a)).toEqual(ids(b));
    expect(a.region('us-east-1').snapshots.size + a.region('eu-west-1').snapshots.size).toBe(200);
    expect(a.region('us-east-1').images.size).toBe(15);
  });

  // Behaviour only: how fast it seeds and lists is for `npm run bench`, never a limit in npm test.
  it('seeds 100k snapshots, 20k AMIs and 50k volumes and pages through them in pages of 1000', async () => {
    const sandbox = await startSandboxEc2({ seed: { snapshots: 100_000, images: 20_000, volumes: 50_000 } });
    const client = ec2(sandbox);
    try {
      const r = sandbox.state.region('us-east-1');
      expect([r.snapshots.size, r.images.size, r.volumes.size]).toEqual([100_000, 20_000, 50_000]);
      for (const id of [...r.snapshots.values()].slice(0, 50).map((s) => s.id)) expect(id).toMatch(/^snap-[0-9a-f]{17}$/);

      // Raw HTTP: the sandbox's own paging, without the SDK's.
      const seen = new Set<string>();
      let token: string | undefined;
      let pages = 0;
      do {
        const body = new URLSearchParams({ Action: 'DescribeSnapshots', Version: '2016-11-15', 'Owner.1': 'self', MaxResults: '1000' });
        if (token) body.set('NextToken', token);
        const xml = await (await fetch(sandbox.url, { method: 'POST', body })).text();
        for (const m of xml.matchAll(/<snapshotId>(snap-[0-9a-f]{17})<\/snapshotId>/g)) seen.add(m[1]);
        token = /<nextToken>([^<]+)<\/nextToken>/.exec(xml)?.[1];
        pages++;
      } while (token);
      expect(pages).toBe(100);
      expect(seen.size).toBe(100_000);

      // Deleting volumes the next page would start with must not break or repeat the listing.
      const order = [...r.volumes.values()].map((v) => v.id);
      const deleted = new Set<string>();
      const ids: string[] = [];
      for await (const page of paginateDescribeVolumes({ client, pageSize: 500 }, {})) {
        ids.push(...page.Volumes!.map((v) => v.VolumeId!));
        if (deleted.size === 0) {
          const next = order.indexOf(ids.at(-1)!) + 1;
          for (const id of order.slice(next, next + 50)) {
            sandbox.state.deleteVolume('us-east-1', id);
            deleted.add(id);
          }
        }
      }
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(50_000 - 50);
      expect(ids.some((id) => deleted.has(id))).toBe(false);

      const one = [...r.volumes.values()][123].id;
      const byVolume = await client.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'volume-id', Values: [one] }] }));
      expect(byVolume.Snapshots!.length).toBeGreaterThan(0);
      expect(byVolume.Snapshots!.every((s) => s.VolumeId === one)).toBe(true);
      const disabled = await client.send(
        new DescribeImagesCommand({ Owners: ['self'], IncludeDisabled: true, Filters: [{ Name: 'state', Values: ['disabled'] }] }),
      );
      expect(disabled.Images!.length).toBeGreaterThan(100);
    } finally {
      client.destroy();
      await sandbox.stop();
    }
  }, 120_000);

  it('pages a mid-sized account through the SDK paginators', async () => {
    const sandbox = await startSandboxEc2({ seed: { snapshots: 3_000, images: 600, volumes: 1_000, regions: ['us-east-1', 'eu-west-1'] } });
    const client = ec2(sandbox, 'eu-west-1');
    try {
      let snapshots = 0;
      for await (const page of paginateDescribeSnapshots({ client, pageSize: 1000 }, { OwnerIds: ['self'] })) snapshots += page.Snapshots!.length;
      expect(snapshots).toBe(1_500);
      let images = 0;
      for await (const page of paginateDescribeImages({ client, pageSize: 100 }, { Owners: ['self'], IncludeDisabled: true })) images += page.Images!.length;
      expect(images).toBe(300);
      let volumes = 0;
      for await (const page of paginateDescribeVolumes({ client, pageSize: 1000 }, {})) {
        expect(page.Volumes!.length).toBeLessThanOrEqual(500);
        volumes += page.Volumes!.length;
      }
      expect(volumes).toBe(500);
    } finally {
      client.destroy();
      await sandbox.stop();
    }
  });
});
