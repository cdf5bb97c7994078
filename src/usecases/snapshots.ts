// /snapshot: create (one volume or a whole instance), list, copy/encrypt.
import { AwsActionError } from '../aws/errors.js';
import type { CommandOf } from '../core/commands.js';
import type { Snapshot } from '../core/types.js';
import { TAG, nameTag } from '../core/types.js';
import { expiryDay } from '../core/expiry.js';
import { auditBestEffort, creationTags, replyPrivately, type Deps, type Invocation } from './context.js';
import { startOperation } from './operation.js';
import { snapshotListing } from '../core/listing.js';

/** What an EC2 answers for an action it does not implement. */
const UNSUPPORTED = new Set(['InvalidAction', 'NotImplemented', 'UnsupportedOperation']);

/** The headline: `/snapshot vol-…` → one channel message that follows the snapshot to completed. */
export async function createSnapshot(deps: Deps, inv: Invocation, volumeId: string, description?: string, expiresInDays?: number): Promise<void> {
  const region = deps.scope.region;
  // The person's own words lead: "Snapshot of vol-… — before the kernel upgrade".
  const said = description ? ` — ${description.slice(0, 120)}` : '';
  const expires = expiresInDays !== undefined ? expiryDay(deps.now(), expiresInDays, deps.config.timezone) : undefined;
  const until = expires ? ` (temporary: its deletion is requested on ${expires})` : '';
  const title = `Snapshot of ${volumeId}${said}${until}`;
  await startOperation(deps, inv, {
    kind: 'snapshot',
    title,
    region,
    run: async (opId) => {
      const volume = await deps.ec2.getVolume(region, volumeId);
      const label = nameTag(volume.tags);
      const snapshot = await deps.ec2.createSnapshot(
        region,
        volumeId,
        description ?? `snapbot: requested by ${inv.userId}${label ? ` (${label})` : ''}`,
        { ...creationTags(inv, opId), ...(expires ? { [TAG.expires]: expires } : {}) },
      );
      await auditBestEffort(deps, {
        resourceId: snapshot.id,
        actor: inv.userId,
        event: 'created',
        detail: `snapshot of ${volumeId}${expires ? `, expires ${expires}` : ''}`,
        requestId: opId,
      });
      return {
        resourceIds: [snapshot.id],
        labels: { [snapshot.id]: `of ${volumeId}${label ? ` (${label})` : ''}` },
        title: label ? `Snapshot of ${volumeId} (${label})${said}${until}` : title,
      };
    },
  });
}

/** `/snapshot instance i-…`: crash-consistent snapshots of every volume, in one CreateSnapshots call. */
export async function snapshotInstance(deps: Deps, inv: Invocation, cmd: CommandOf<'snapshot.instance'>): Promise<void> {
  const region = deps.scope.region;
  const title = `Crash-consistent snapshots of ${cmd.instanceId}${cmd.excludeBoot ? ' (boot volume excluded)' : ''}`;
  await startOperation(deps, inv, {
    kind: 'snapshot',
    title,
    region,
    run: async (opId) => {
      const instance = await deps.ec2.getInstance(region, cmd.instanceId);
      const description = `snapbot: ${cmd.instanceId} requested by ${inv.userId}`;
      let consistent = true;
      let snaps: Snapshot[];
      try {
        snaps = await deps.ec2.createSnapshotsOfInstance(region, cmd.instanceId, cmd.excludeBoot, description, creationTags(inv, opId));
      } catch (err) {
        // An EC2 without CreateSnapshots (some emulators) still gets snapshots, one volume at a time, and says so.
        if (!(err instanceof AwsActionError && UNSUPPORTED.has(err.code))) throw err;
        consistent = false;
        const volumes = instance.volumes.filter((v) => !(cmd.excludeBoot && v.device === instance.rootDeviceName));
        snaps = [];
        for (const v of volumes) snaps.push(await deps.ec2.createSnapshot(region, v.volumeId, description, creationTags(inv, opId)));
      }
      if (snaps.length === 0) throw new Error(`${cmd.instanceId} has no EBS volumes to snapshot${cmd.excludeBoot ? ' besides its boot volume' : ''}.`);
      const deviceOf = new Map(instance.volumes.map((v) => [v.volumeId, v.device]));
      const labels: Record<string, string> = {};
      for (const s of snaps) {
        const device = deviceOf.get(s.volumeId ?? '');
        labels[s.id] = `of ${s.volumeId ?? '?'}${device ? ` (${device})` : ''}`;
        await auditBestEffort(deps, { resourceId: s.id, actor: inv.userId, event: 'created', detail: `snapshot of ${s.volumeId} on ${cmd.instanceId}`, requestId: opId });
      }
      const name = nameTag(instance.tags);
      const shown = consistent ? title : `${title.replace('Crash-consistent snapshots', 'Snapshots')} — one volume at a time, not crash-consistent: this EC2 has no CreateSnapshots`;
      return { resourceIds: snaps.map((s) => s.id), labels, title: name ? `${shown} (${name})` : shown };
    },
  });
}

export async function listSnapshots(deps: Deps, inv: Invocation, volumeId?: string): Promise<void> {
  const region = deps.scope.region;
  try {
    const listing = snapshotListing(deps.config.prices);
    await deps.ec2.forEachOwnSnapshotPage(region, { volumeId }, (page) => listing.add(page));
    await replyPrivately(deps, inv, deps.views.snapshotListMessage(listing.result(), { now: deps.now(), prices: deps.config.prices, region, volumeId }));
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: Could not list snapshots: ${(err as Error).message}` });
  }
}

/** `/snapshot copy snap-… [--to-region R] [--encrypt] [--kms-key K]` */
export async function copySnapshot(deps: Deps, inv: Invocation, cmd: CommandOf<'snapshot.copy'>): Promise<void> {
  const source = deps.scope.region;
  const dest = cmd.toRegion ?? source;
  const encrypt = cmd.encrypt || Boolean(cmd.kmsKeyId);
  await startOperation(deps, inv, {
    kind: 'copy-snapshot',
    title: `Copy of ${cmd.snapshotId}${dest !== source ? ` to ${dest}` : ''}${encrypt ? ', encrypted' : ''}`,
    region: dest,
    run: async (opId) => {
      const snap = await deps.ec2.getSnapshot(source, cmd.snapshotId);
      if (snap.state !== 'completed') {
        throw new Error(`${cmd.snapshotId} is still ${snap.state} (${snap.progress}%): EC2 copies only completed snapshots. Try again when it has completed.`);
      }
      const copyId = await deps.ec2.copySnapshot(source, cmd.snapshotId, dest, {
        encrypted: encrypt,
        kmsKeyId: cmd.kmsKeyId,
        description: `snapbot: copy of ${cmd.snapshotId} from ${source}${snap.description ? ` — ${snap.description}` : ''}`.slice(0, 255),
        // The copy belongs to its source's volume: the digest keeps a live volume's newest copies in each region.
        tags: { ...creationTags(inv, opId), [TAG.copyOf]: `${source}/${cmd.snapshotId}` },
      });
      await auditBestEffort(deps, { resourceId: cmd.snapshotId, actor: inv.userId, event: 'copied', detail: `to ${copyId} in ${dest}${encrypt ? ' (encrypted)' : ''}`, requestId: opId });
      await auditBestEffort(deps, { resourceId: copyId, actor: inv.userId, event: 'created', detail: `copy of ${cmd.snapshotId} from ${source}`, requestId: opId });
      return { resourceIds: [copyId], labels: { [copyId]: `copy of ${cmd.snapshotId}` } };
    },
  });
}
