// The safety nets EC2 added to snapshots and AMIs: snapshot locks, the archive tier, the Recycle Bin (what it holds
// and restoring from it) and AMI deregistration protection. Shapes follow EC2's model (LockSnapshotResult,
// SnapshotRecycleBinInfo, ImageRecycleBinInfo, …).
import { Ec2Error, errors } from '../errors.js';
import type { SnapshotRecord } from '../state.js';
import type { XmlObject } from '../xml.js';
import { checkId, iso, type ActionContext, type ActionHandler } from './context.js';
import { snapshotArn } from './snapshots.js';

const DAY = 86_400_000;

function ownSnapshot(ctx: ActionContext, action: string): SnapshotRecord {
  const id = checkId(ctx.p.req('SnapshotId'), 'snap');
  const s = ctx.r.snapshots.get(id);
  if (!s) throw errors.snapshotNotFound(id);
  if (s.ownerId !== ctx.state.accountId) throw errors.unauthorized(ctx.state.accountId, action, snapshotArn(ctx.region, id));
  return s;
}

function lockState(ctx: ActionContext, s: SnapshotRecord): string {
  const l = s.lock!;
  if (l.expiresMs <= ctx.now) return 'expired';
  if (l.mode === 'compliance') return l.coolOffUntilMs !== undefined && l.coolOffUntilMs > ctx.now ? 'compliance-cooloff' : 'compliance';
  return 'governance';
}

function lockXml(ctx: ActionContext, s: SnapshotRecord): XmlObject {
  const l = s.lock!;
  return {
    ownerId: s.ownerId,
    snapshotId: s.id,
    lockState: lockState(ctx, s),
    lockDuration: l.durationDays,
    coolOffPeriod: l.coolOffUntilMs !== undefined ? Math.round((l.coolOffUntilMs - l.createdMs) / 3_600_000) : undefined,
    coolOffPeriodExpiresOn: iso(l.coolOffUntilMs),
    lockCreatedOn: iso(l.createdMs),
    lockDurationStartTime: iso(l.createdMs),
    lockExpiresOn: iso(l.expiresMs),
  };
}

const lockSnapshot: ActionHandler = (ctx) => {
  const s = ownSnapshot(ctx, 'LockSnapshot');
  const mode = ctx.p.req('LockMode');
  if (mode !== 'governance' && mode !== 'compliance') throw errors.invalidValue(`Value (${mode}) for parameter lockMode is invalid.`);
  const days = ctx.p.int('LockDuration');
  const until = ctx.p.str('ExpirationDate');
  if ((days === undefined) === (until === undefined)) throw errors.combination('Specify either LockDuration or ExpirationDate, but not both.');
  if (days !== undefined && (days < 1 || days > 36500)) throw errors.invalidValue(`Value (${days}) for parameter lockDuration is invalid. Expecting 1–36500.`);
  const expiresMs = days !== undefined ? ctx.now + days * DAY : Date.parse(until!);
  if (ctx.state.snapshotState(s, ctx.now) !== 'completed' && ctx.state.snapshotState(s, ctx.now) !== 'pending') {
    throw errors.incorrectState(`Snapshot ${s.id} is in state ${ctx.state.snapshotState(s, ctx.now)} and cannot be locked.`);
  }
  const current = ctx.state.activeLock(s, ctx.now);
  if (current?.mode === 'compliance' && lockState(ctx, s) === 'compliance' && (mode === 'governance' || expiresMs < current.expiresMs)) {
    throw new Ec2Error('SnapshotLocked', `Snapshot ${s.id} is locked in compliance mode; its lock can only be extended.`);
  }
  const coolOff = ctx.p.int('CoolOffPeriod');
  s.lock = {
    mode,
    createdMs: current?.createdMs ?? ctx.now,
    durationDays: days ?? Math.ceil((expiresMs - ctx.now) / DAY),
    expiresMs,
    coolOffUntilMs: mode === 'compliance' && coolOff ? ctx.now + coolOff * 3_600_000 : undefined,
  };
  const { ownerId: _owner, ...result } = lockXml(ctx, s);
  return result;
};

const unlockSnapshot: ActionHandler = (ctx) => {
  const s = ownSnapshot(ctx, 'UnlockSnapshot');
  if (!ctx.state.activeLock(s, ctx.now)) throw errors.invalidValue(`Snapshot ${s.id} is not locked.`);
  if (lockState(ctx, s) === 'compliance') {
    throw new Ec2Error('SnapshotLocked', `Snapshot ${s.id} is locked in compliance mode after its cooling-off period and cannot be unlocked.`);
  }
  s.lock = undefined;
  return { snapshotId: s.id };
};

const describeLockedSnapshots: ActionHandler = (ctx) => {
  const ids = new Set(ctx.p.strList('SnapshotId'));
  const items: XmlObject[] = [];
  for (const s of ctx.r.snapshots.values()) {
    if (!s.lock || (ids.size && !ids.has(s.id)) || s.ownerId !== ctx.state.accountId) continue;
    items.push(lockXml(ctx, s));
  }
  return { snapshotSet: items };
};

const modifySnapshotTier: ActionHandler = (ctx) => {
  const s = ownSnapshot(ctx, 'ModifySnapshotTier');
  const tier = ctx.p.str('StorageTier') ?? 'archive';
  if (tier !== 'archive') throw errors.invalidValue(`Value (${tier}) for parameter storageTier is invalid. Valid values: archive`);
  if (ctx.state.snapshotState(s, ctx.now) !== 'completed') throw errors.incorrectState(`Snapshot ${s.id} is not in the completed state.`);
  if (s.storageTier === 'archive') throw errors.incorrectState(`Snapshot ${s.id} is already in the archive tier.`);
  const users = ctx.state.imagesUsingSnapshot(ctx.region, s.id);
  if (users.length) throw errors.incorrectState(`Snapshot ${s.id} is associated with ${users[0]} and cannot be archived.`);
  if (s.fastRestoreZones.length) throw errors.incorrectState(`Snapshot ${s.id} has fast snapshot restore enabled and cannot be archived.`);
  s.storageTier = 'archive';
  s.restoreExpiryMs = undefined;
  return { snapshotId: s.id, tieringStartTime: iso(ctx.now) };
};

const restoreSnapshotTier: ActionHandler = (ctx) => {
  const s = ownSnapshot(ctx, 'RestoreSnapshotTier');
  if (s.storageTier !== 'archive') throw errors.incorrectState(`Snapshot ${s.id} is not in the archive tier.`);
  const permanent = ctx.p.bool('PermanentRestore') === true;
  const days = ctx.p.int('TemporaryRestoreDays');
  if (!permanent && days === undefined) throw errors.combination('Specify either PermanentRestore or TemporaryRestoreDays.');
  if (days !== undefined && (days < 1 || days > 180)) throw errors.invalidValue(`Value (${days}) for parameter temporaryRestoreDays is invalid. Expecting 1–180.`);
  s.storageTier = 'standard';
  s.restoreExpiryMs = permanent ? undefined : ctx.now + days! * DAY;
  return { snapshotId: s.id, restoreStartTime: iso(ctx.now), restoreDuration: permanent ? undefined : days, isPermanentRestore: permanent };
};

const listSnapshotsInRecycleBin: ActionHandler = (ctx) => {
  const ids = new Set(ctx.p.strList('SnapshotId'));
  const items = ctx.state
    .binEntries(ctx.region, ctx.now)
    .filter((e) => e.kind === 'snapshot' && (!ids.size || ids.has(e.id)))
    .map((e) => ({
      snapshotId: e.id,
      recycleBinEnterTime: iso(e.enteredMs),
      recycleBinExitTime: iso(e.exitMs),
      description: e.snapshot!.description,
      volumeId: e.snapshot!.volumeId,
    }));
  return { snapshotSet: items };
};

const listImagesInRecycleBin: ActionHandler = (ctx) => {
  const ids = new Set(ctx.p.strList('ImageId'));
  const items = ctx.state
    .binEntries(ctx.region, ctx.now)
    .filter((e) => e.kind === 'image' && (!ids.size || ids.has(e.id)))
    .map((e) => ({
      imageId: e.id,
      name: e.image!.name,
      description: e.image!.description,
      recycleBinEnterTime: iso(e.enteredMs),
      recycleBinExitTime: iso(e.exitMs),
    }));
  return { imageSet: items };
};

const restoreSnapshotFromRecycleBin: ActionHandler = (ctx) => {
  const id = checkId(ctx.p.req('SnapshotId'), 'snap');
  const entry = ctx.state.binEntries(ctx.region, ctx.now).find((e) => e.kind === 'snapshot' && e.id === id);
  if (!entry) throw errors.snapshotNotFound(id);
  // Back in the listing as if new (pages resume by insertion sequence), then out of the bin.
  const s = ctx.r.snapshots.add({ ...entry.snapshot!, seq: ctx.state.nextSeq() });
  ctx.r.recycleBin.delete(id);
  return {
    snapshotId: s.id,
    description: s.description,
    encrypted: s.encrypted,
    ownerId: s.ownerId,
    progress: '100%',
    startTime: iso(s.startMs),
    status: 'completed',
    volumeId: s.volumeId,
    volumeSize: s.volumeSizeGiB,
  };
};

const restoreImageFromRecycleBin: ActionHandler = (ctx) => {
  const id = checkId(ctx.p.req('ImageId'), 'ami');
  const entry = ctx.state.binEntries(ctx.region, ctx.now).find((e) => e.kind === 'image' && e.id === id);
  if (!entry) throw errors.imageNotFound(id);
  const image = entry.image!;
  if (ctx.r.imageNames.has(image.name)) {
    throw errors.invalidValue(`An AMI named '${image.name}' already exists in this Region; rename or deregister it first.`);
  }
  ctx.r.recycleBin.delete(id);
  ctx.state.addImage(ctx.region, {
    ...image,
    creationDate: new Date(image.createMs),
    state: image.disabled ? 'disabled' : 'available',
    lastLaunchedTime: image.lastLaunchedMs !== undefined ? new Date(image.lastLaunchedMs) : undefined,
    deprecationTime: image.deprecationMs !== undefined ? new Date(image.deprecationMs) : undefined,
  });
  return { return: true };
};

function ownImage(ctx: ActionContext, action: string) {
  const id = checkId(ctx.p.req('ImageId'), 'ami');
  const image = ctx.r.images.get(id);
  if (!image) throw errors.imageNotFound(id);
  if (image.ownerId !== ctx.state.accountId) throw errors.unauthorized(ctx.state.accountId, action, `arn:aws:ec2:${ctx.region}::image/${id}`);
  return image;
}

const enableImageDeregistrationProtection: ActionHandler = (ctx) => {
  const image = ownImage(ctx, 'EnableImageDeregistrationProtection');
  image.deregistrationProtection = ctx.p.bool('WithCooldown') ? 'enabled-with-cooldown' : 'enabled-without-cooldown';
  return { return: image.deregistrationProtection };
};

const disableImageDeregistrationProtection: ActionHandler = (ctx) => {
  const image = ownImage(ctx, 'DisableImageDeregistrationProtection');
  image.deregistrationProtection = undefined;
  return { return: 'disabled' };
};

export const safetyActions: Record<string, ActionHandler> = {
  LockSnapshot: lockSnapshot,
  UnlockSnapshot: unlockSnapshot,
  DescribeLockedSnapshots: describeLockedSnapshots,
  ModifySnapshotTier: modifySnapshotTier,
  RestoreSnapshotTier: restoreSnapshotTier,
  ListSnapshotsInRecycleBin: listSnapshotsInRecycleBin,
  ListImagesInRecycleBin: listImagesInRecycleBin,
  RestoreSnapshotFromRecycleBin: restoreSnapshotFromRecycleBin,
  RestoreImageFromRecycleBin: restoreImageFromRecycleBin,
  EnableImageDeregistrationProtection: enableImageDeregistrationProtection,
  DisableImageDeregistrationProtection: disableImageDeregistrationProtection,
};
