// /ami: create from an instance or a snapshot, list, launch, copy to another region.
import type { CommandOf } from '../core/commands.js';
import type { Image, Sharing, Snapshot } from '../core/types.js';
import { imageSnapshotIds, isInstanceStore, nameTag } from '../core/types.js';
import type { Facts } from '../core/policy.js';
import {
  announce,
  auditBestEffort,
  creationTags,
  newId,
  replyPrivately,
  whereLabel,
  whereNote,
  type Deps,
  type Invocation,
} from './context.js';
import { startOperation } from './operation.js';

export async function createImage(deps: Deps, inv: Invocation, cmd: CommandOf<'ami.create'>): Promise<void> {
  const region = deps.scope.region;
  await startOperation(deps, inv, {
    kind: 'image',
    title: `AMI "${cmd.name}" from ${cmd.instanceId}${cmd.noReboot ? ' (no reboot)' : ''}`,
    region,
    run: async (opId) => {
      const instance = await deps.ec2.getInstance(region, cmd.instanceId);
      if (isInstanceStore(instance)) {
        throw new Error(
          `${instance.id} is instance store-backed: its root disk lives on the host, and CreateImage makes AMIs of EBS-backed instances only. Bundle it with the AMI tools (ec2-bundle-vol, ec2-upload-bundle) and register the bundle, or move it to an EBS-backed AMI first.`,
        );
      }
      const imageId = await deps.ec2.createImage(region, {
        instanceId: cmd.instanceId,
        name: cmd.name,
        noReboot: cmd.noReboot,
        description: cmd.description ?? `snapbot: from ${cmd.instanceId}${nameTag(instance.tags) ? ` (${nameTag(instance.tags)})` : ''}`,
        tags: creationTags(inv, opId, cmd.name),
      });
      await auditBestEffort(deps, { resourceId: imageId, actor: inv.userId, event: 'created', detail: `AMI "${cmd.name}" from ${cmd.instanceId}`, requestId: opId });
      return { resourceIds: [imageId], labels: { [imageId]: cmd.name } };
    },
  });
}

/** The policy wants a yes before rebooting a running instance: ask privately; nothing is created until a click. */
export async function askBeforeReboot(deps: Deps, inv: Invocation, cmd: CommandOf<'ami.create'>, facts: Facts): Promise<void> {
  const question = {
    q: newId(deps.now()),
    u: inv.userId,
    c: inv.channelId,
    i: cmd.instanceId,
    n: cmd.name,
    ...(cmd.description ? { d: cmd.description } : {}),
    ...whereNote(deps),
  };
  await replyPrivately(deps, inv, deps.views.rebootQuestion(question, facts.instance?.name));
}

export async function createImageFromSnapshot(deps: Deps, inv: Invocation, cmd: CommandOf<'ami.fromSnapshot'>): Promise<void> {
  const region = deps.scope.region;
  await startOperation(deps, inv, {
    kind: 'image',
    title: `AMI "${cmd.name}" from ${cmd.snapshotId} (${cmd.architecture})`,
    region,
    run: async (opId) => {
      const snapshot = await deps.ec2.getSnapshot(region, cmd.snapshotId);
      if (snapshot.state !== 'completed') {
        throw new Error(`${cmd.snapshotId} is still ${snapshot.state} (${snapshot.progress}%): an AMI needs a completed snapshot.`);
      }
      const imageId = await deps.ec2.registerImageFromSnapshot(region, {
        snapshot,
        name: cmd.name,
        architecture: cmd.architecture,
        tags: creationTags(inv, opId, cmd.name),
      });
      await auditBestEffort(deps, { resourceId: imageId, actor: inv.userId, event: 'created', detail: `AMI "${cmd.name}" from ${cmd.snapshotId}`, requestId: opId });
      await auditBestEffort(deps, { resourceId: cmd.snapshotId, actor: inv.userId, event: 'registered', detail: `as ${imageId}`, requestId: opId });
      return { resourceIds: [imageId], labels: { [imageId]: cmd.name } };
    },
  });
}

export async function copyImage(deps: Deps, inv: Invocation, cmd: CommandOf<'ami.copy'>): Promise<void> {
  const source = deps.scope.region;
  const encrypt = cmd.encrypt || Boolean(cmd.kmsKeyId);
  await startOperation(deps, inv, {
    kind: 'copy-image',
    title: `Copy of ${cmd.imageId} to ${cmd.toRegion}${encrypt ? ', encrypted' : ''}`,
    region: cmd.toRegion,
    run: async (opId) => {
      const image = await deps.ec2.getImage(source, cmd.imageId);
      if (encrypt && isInstanceStore(image)) {
        throw new Error(
          `${image.id} is instance store-backed: it has no EBS snapshots to encrypt (its bundle is in S3${image.imageLocation ? ` at ${image.imageLocation}` : ''}). Copy it without --encrypt, or make an EBS-backed AMI of an instance launched from it and encrypt that.`,
        );
      }
      const copyId = await deps.ec2.copyImage(source, cmd.imageId, cmd.toRegion, {
        name: image.name,
        description: `snapbot: copy of ${cmd.imageId} from ${source}`,
        encrypted: encrypt,
        kmsKeyId: cmd.kmsKeyId,
        tags: creationTags(inv, opId, image.name),
      });
      await auditBestEffort(deps, { resourceId: cmd.imageId, actor: inv.userId, event: 'copied', detail: `to ${copyId} in ${cmd.toRegion}`, requestId: opId });
      await auditBestEffort(deps, { resourceId: copyId, actor: inv.userId, event: 'created', detail: `copy of ${cmd.imageId} from ${source}`, requestId: opId });
      return { resourceIds: [copyId] };
    },
  });
}

/** How long a launch message follows the instance before it says to look in the console. */
const LAUNCH_WAIT_SECONDS = 600;

export async function launchImage(deps: Deps, inv: Invocation, cmd: CommandOf<'ami.launch'>): Promise<void> {
  const region = deps.scope.region;
  const opId = newId(deps.now());
  const title = `Instance from ${cmd.imageId} (${cmd.instanceType})`;
  const base = { title, requesterId: inv.userId, region: whereLabel(deps) };
  const msg = await announce(deps, inv, deps.views.progressMessage({ ...base, phase: 'starting', items: [] }));
  try {
    const image = await deps.ec2.getImage(region, cmd.imageId);
    if (image.state !== 'available') throw new Error(`${cmd.imageId} is ${image.state}: only an available AMI can be launched.`);
    if (isInstanceStore(image) && !(await deps.ec2.instanceStorageSupported(region, cmd.instanceType))) {
      throw new Error(
        `${cmd.imageId} is instance store-backed: it boots from the instance's local disks, and ${cmd.instanceType} has none. Pick a type with instance storage (a "d" type such as m5d.large or c5d.large), or launch an EBS-backed AMI.`,
      );
    }
    const instance = await deps.ec2.runInstance(region, {
      imageId: cmd.imageId,
      instanceType: cmd.instanceType,
      subnetId: cmd.subnetId,
      keyName: cmd.keyName,
      tags: creationTags(inv, opId),
    });
    await auditBestEffort(deps, { resourceId: cmd.imageId, actor: inv.userId, event: 'launched', detail: `as ${instance.id}`, requestId: opId });
    const item = (state: string) => [{ id: instance.id, label: `${instance.type} in ${instance.availabilityZone || region}`, state }];
    const hint = `It boots from "${image.name}". Stop or terminate it in the EC2 console when you are done: snapbot does not manage instances.`;
    if (instance.state === 'running') {
      await deps.out.tryUpdate(msg, deps.views.progressMessage({ ...base, phase: 'done', items: item('running'), hint }));
      return;
    }
    // Followed to running outside the command queue: booting takes a minute or two.
    await deps.out.tryUpdate(msg, deps.views.progressMessage({ ...base, phase: 'running', items: item(instance.state) }));
    deps.detach(async () => {
      try {
        await deps.ec2.waitForInstanceRunning(region, instance.id, LAUNCH_WAIT_SECONDS);
        await deps.out.tryUpdate(msg, deps.views.progressMessage({ ...base, phase: 'done', items: item('running'), hint }));
      } catch (err) {
        await deps.out.tryUpdate(msg, deps.views.progressMessage({ ...base, phase: 'failed', items: item('not running'), failure: (err as Error).message }));
      }
    });
  } catch (err) {
    await deps.out.tryUpdate(msg, deps.views.progressMessage({ ...base, phase: 'failed', items: [], failure: (err as Error).message }));
  }
}

/** The account's AMIs with age, last launch, sharing, snapshots and cost: a handful of calls, not one per AMI. */
export async function listImages(deps: Deps, inv: Invocation): Promise<void> {
  const region = deps.scope.region;
  try {
    const images: Image[] = await deps.ec2.listOwnImages(region);
    images.sort((a, b) => (b.creationDate?.getTime() ?? 0) - (a.creationDate?.getTime() ?? 0));
    const shown = images.slice(0, 100);
    const snapshotIds = [...new Set(shown.flatMap(imageSnapshotIds))];
    const snapshotsById = new Map<string, Snapshot>();
    for (let i = 0; i < snapshotIds.length; i += 200) {
      const batch = await deps.ec2.getSnapshots(region, snapshotIds.slice(i, i + 200)).catch(() => [] as Snapshot[]);
      for (const s of batch) snapshotsById.set(s.id, s);
    }
    // Account shares are an attribute per AMI; look them up only for the first page a person will read.
    const sharing = new Map<string, Sharing>();
    await Promise.all(
      shown.slice(0, 20).map(async (img) => {
        const s = await deps.ec2.imageSharing(region, img.id).catch(() => undefined);
        if (s) sharing.set(img.id, s);
      }),
    );
    await replyPrivately(
      deps,
      inv,
      deps.views.imageListMessage(
        images.map((image) => ({ image, sharing: sharing.get(image.id) })),
        { now: deps.now(), prices: deps.config.prices, region, snapshotsById },
      ),
    );
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: Could not list AMIs: ${(err as Error).message}` });
  }
}
