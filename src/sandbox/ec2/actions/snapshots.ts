import { Ec2Error, errors } from '../errors.js';
import { compileFilters, readFilters, type FilterFields } from '../filters.js';
import type { Params } from '../query.js';
import { COPIED_VOLUME_ID, type RegionState, type SnapshotRecord } from '../state.js';
import { tagSet, type XmlObject } from '../xml.js';
import { ACCOUNT_ID_SHAPE, checkId, iso, maxResults, tagsFor, type ActionContext, type ActionHandler } from './context.js';

/** The Snapshot shape (DescribeSnapshots items and the CreateSnapshot answer). */
export function snapshotXml(ctx: ActionContext, s: SnapshotRecord): XmlObject {
  const state = ctx.state.snapshotState(s, ctx.now);
  const completed = state === 'completed';
  return {
    snapshotId: s.id,
    volumeId: s.volumeId,
    status: state,
    statusMessage: s.failedMessage,
    startTime: iso(s.startMs),
    progress: `${ctx.state.snapshotProgress(s, ctx.now)}%`,
    ownerId: s.ownerId,
    ownerAlias: s.ownerAlias,
    description: s.description,
    volumeSize: s.volumeSizeGiB,
    encrypted: s.encrypted,
    kmsKeyId: s.encrypted ? s.kmsKeyId : undefined,
    storageTier: s.storageTier,
    restoreExpiryTime: s.storageTier === 'standard' ? iso(s.restoreExpiryMs) : undefined,
    // Real EC2 leaves tagSet out for untagged snapshots, so callers must cope with no Tags.
    tagSet: Object.keys(s.tags).length ? tagSet(s.tags) : undefined,
    completionTime: completed ? iso(s.startMs + s.durationMs) : undefined,
    fullSnapshotSizeInBytes: completed ? s.fullSizeBytes : undefined,
  };
}

/** Public sharing counts only while block public access lets it through. */
function publiclyVisible(r: RegionState, s: SnapshotRecord): boolean {
  return s.public && r.snapshotBlockPublicAccess !== 'block-all-sharing';
}

function restorableBy(r: RegionState, s: SnapshotRecord, account: string): boolean {
  return s.ownerId === account || s.sharedWith.includes(account) || publiclyVisible(r, s);
}

const snapshotFilters = (ctx: ActionContext): FilterFields<SnapshotRecord> => ({
  'snapshot-id': (s) => s.id,
  'volume-id': (s) => s.volumeId,
  status: (s) => ctx.state.snapshotState(s, ctx.now),
  progress: (s) => `${ctx.state.snapshotProgress(s, ctx.now)}%`,
  'owner-id': (s) => s.ownerId,
  'owner-alias': (s) => s.ownerAlias,
  description: (s) => s.description,
  encrypted: (s) => s.encrypted,
  'volume-size': (s) => s.volumeSizeGiB,
  'storage-tier': (s) => s.storageTier,
  'start-time': (s) => new Date(s.startMs).toISOString(),
  'kms-key-id': (s) => s.kmsKeyId,
});

/** The snapshot with that ID in the request's region, as the caller may see it. */
export function findSnapshot(ctx: ActionContext, id: string, region = ctx.region): SnapshotRecord {
  checkId(id, 'snap');
  const r = ctx.state.region(region);
  const s = r.snapshots.get(id);
  if (!s || !restorableBy(r, s, ctx.state.accountId)) throw errors.snapshotNotFound(id);
  return s;
}

function principal(ctx: ActionContext, value: string): string {
  return value === 'self' ? ctx.state.accountId : value;
}

const describeSnapshots: ActionHandler = (ctx) => {
  const { p, r, state } = ctx;
  const account = state.accountId;
  const owners = p.strList('Owner').map((o) => principal(ctx, o));
  const restorable = p.strList('RestorableBy').map((o) => (o === 'self' ? account : o));
  const ids = p.strList('SnapshotId');
  const max = maxResults(p, 5, 1000);
  const byFilter = compileFilters(readFilters(p), snapshotFilters(ctx));
  const match = (s: SnapshotRecord): boolean => {
    if (!restorableBy(r, s, account)) return false;
    if (owners.length && !owners.some((o) => (o === 'amazon' || o === 'aws-marketplace' ? s.ownerAlias === o : s.ownerId === o))) {
      return false;
    }
    if (restorable.length && !restorable.some((who) => (who === 'all' ? publiclyVisible(r, s) : restorableBy(r, s, who)))) {
      return false;
    }
    return byFilter(s);
  };
  if (ids.length) {
    const found = ids.map((id) => findSnapshot(ctx, id)).filter(match);
    return { snapshotSet: found.map((s) => snapshotXml(ctx, s)) };
  }
  const page = r.snapshots.page(match, max, p.str('NextToken'));
  return { snapshotSet: page.items.map((s) => snapshotXml(ctx, s)), nextToken: page.nextToken };
};

/** A plausible FullSnapshotSizeInBytes: a stable fraction (30–80 %) of the volume, since blocks are never all written. */
export function estimateFullSize(id: string, sizeGiB: number): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return Math.round(sizeGiB * 1024 ** 3 * (0.3 + (h % 50) / 100));
}

function newSnapshot(ctx: ActionContext, fields: Partial<SnapshotRecord> & Pick<SnapshotRecord, 'volumeId' | 'volumeSizeGiB'>, durationMs: number): SnapshotRecord {
  const s = ctx.state.addSnapshot(ctx.region, {
    volumeId: fields.volumeId,
    volumeSizeGiB: fields.volumeSizeGiB,
    startTime: new Date(ctx.now),
    durationSeconds: durationMs / 1000,
    description: fields.description,
    encrypted: fields.encrypted,
    kmsKeyId: fields.kmsKeyId,
    tags: fields.tags,
    fullSizeBytes: fields.fullSizeBytes,
  });
  if (s.fullSizeBytes === undefined) s.fullSizeBytes = estimateFullSize(s.id, s.volumeSizeGiB);
  return s;
}

function checkDescription(description: string | undefined): string {
  if (description && description.length > 255) {
    throw errors.invalidValue('Value for parameter description is invalid. The description cannot exceed 255 characters.');
  }
  return description ?? '';
}

const createSnapshot: ActionHandler = (ctx) => {
  const volumeId = checkId(ctx.p.req('VolumeId'), 'vol');
  const volume = ctx.r.volumes.get(volumeId);
  if (!volume) throw errors.volumeNotFound(volumeId);
  const tags = tagsFor(ctx.p, 'snapshot', ['snapshot']);
  const s = newSnapshot(
    ctx,
    {
      volumeId,
      volumeSizeGiB: volume.sizeGiB,
      description: checkDescription(ctx.p.str('Description')),
      encrypted: volume.encrypted,
      kmsKeyId: volume.kmsKeyId,
      tags,
    },
    ctx.state.timing.snapshotMs,
  );
  return snapshotXml(ctx, s);
};

const createSnapshots: ActionHandler = (ctx) => {
  const spec = ctx.p.child('InstanceSpecification');
  const instanceId = checkId(spec?.str('InstanceId') ?? '', 'i');
  const instance = ctx.r.instances.get(instanceId);
  if (!instance) throw errors.instanceNotFound(instanceId);
  const excludeBoot = spec?.bool('ExcludeBootVolume') ?? false;
  const excluded = new Set(spec?.strList('ExcludeDataVolumeId') ?? []);
  const copyTags = ctx.p.str('CopyTagsFromSource');
  if (copyTags !== undefined && copyTags !== 'volume') {
    throw errors.invalidValue(`Value (${copyTags}) for parameter copyTagsFromSource is invalid. Valid value: volume`);
  }
  const extraTags = tagsFor(ctx.p, 'snapshot', ['snapshot']);
  const description = checkDescription(ctx.p.str('Description'));
  const volumes = instance.volumeIds
    .map((id) => ctx.r.volumes.get(id)!)
    .filter((v) => v && !(excludeBoot && v.attachment?.device === instance.rootDeviceName) && !excluded.has(v.id));
  const snapshots = volumes.map((v) =>
    newSnapshot(
      ctx,
      {
        volumeId: v.id,
        volumeSizeGiB: v.sizeGiB,
        description,
        encrypted: v.encrypted,
        kmsKeyId: v.kmsKeyId,
        tags: { ...(copyTags ? v.tags : {}), ...extraTags },
      },
      ctx.state.timing.snapshotMs,
    ),
  );
  return {
    snapshotSet: snapshots.map((s) => ({
      snapshotId: s.id,
      volumeId: s.volumeId,
      state: ctx.state.snapshotState(s, ctx.now),
      progress: `${ctx.state.snapshotProgress(s, ctx.now)}%`,
      startTime: iso(s.startMs),
      volumeSize: s.volumeSizeGiB,
      ownerId: s.ownerId,
      description: s.description,
      encrypted: s.encrypted,
      tagSet: tagSet(s.tags),
    })),
  };
};

const deleteSnapshot: ActionHandler = (ctx) => {
  const id = checkId(ctx.p.req('SnapshotId'), 'snap');
  const s = ctx.r.snapshots.get(id);
  if (!s) throw errors.snapshotNotFound(id);
  if (s.ownerId !== ctx.state.accountId) throw errors.unauthorized(ctx.state.accountId, 'DeleteSnapshot', snapshotArn(ctx.region, id));
  const users = ctx.state.imagesUsingSnapshot(ctx.region, id);
  if (users.length) throw new Ec2Error('InvalidSnapshot.InUse', `The snapshot ${id} is currently in use by ${users[0]}`);
  const lock = ctx.state.activeLock(s, ctx.now);
  if (lock) {
    throw new Ec2Error('SnapshotLocked', `The snapshot ${id} is locked in ${lock.mode} mode until ${new Date(lock.expiresMs).toISOString()} and cannot be deleted.`);
  }
  ctx.state.retireSnapshot(ctx.region, id, ctx.now);
  return { return: true };
};

export function snapshotArn(region: string, id: string): string {
  return `arn:aws:ec2:${region}::snapshot/${id}`;
}

const describeSnapshotAttribute: ActionHandler = (ctx) => {
  const attribute = ctx.p.req('Attribute');
  const s = findSnapshot(ctx, ctx.p.req('SnapshotId'));
  if (attribute === 'createVolumePermission') {
    const permissions: XmlObject[] = [];
    if (s.public) permissions.push({ group: 'all' });
    for (const userId of s.sharedWith) permissions.push({ userId });
    return { snapshotId: s.id, createVolumePermission: permissions };
  }
  if (attribute === 'productCodes') return { snapshotId: s.id, productCodes: [] };
  throw errors.invalidValue(`Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
};

/** DescribeFastSnapshotRestores: one item per snapshot and zone, filters on snapshot-id, state and zone, pages of 200. */
const describeFastSnapshotRestores: ActionHandler = (ctx) => {
  const r = ctx.state.region(ctx.region);
  const filters = readFilters(ctx.p);
  const items: XmlObject[] = [];
  for (const s of r.snapshots.values()) {
    for (const zone of s.fastRestoreZones) {
      const item = { snapshotId: s.id, availabilityZone: zone, state: 'enabled', ownerId: s.ownerId, enabledTime: iso(s.startMs) };
      const ok = filters.every((f) => {
        const v = f.name === 'snapshot-id' ? s.id : f.name === 'availability-zone' ? zone : f.name === 'state' ? 'enabled' : f.name === 'owner-id' ? s.ownerId : undefined;
        return v !== undefined && f.values.includes(v);
      });
      if (ok) items.push(item);
    }
  }
  const max = maxResults(ctx.p, 0, 200) ?? 200;
  const start = Number(ctx.p.str('NextToken') ?? 0) || 0;
  const page = items.slice(start, start + max);
  return { fastSnapshotRestoreSet: page, nextToken: start + max < items.length ? String(start + max) : undefined };
};

/** DisableFastSnapshotRestores: SourceSnapshotId.N × AvailabilityZone.N; each pair succeeds or is listed as failed. */
const disableFastSnapshotRestores: ActionHandler = (ctx) => {
  const r = ctx.state.region(ctx.region);
  const zones = ctx.p.strList('AvailabilityZone');
  const successful: XmlObject[] = [];
  const unsuccessful: XmlObject[] = [];
  for (const id of ctx.p.strList('SourceSnapshotId')) {
    const s = r.snapshots.get(id);
    for (const zone of zones) {
      if (!s) {
        unsuccessful.push({ snapshotId: id, fastSnapshotRestoreStateErrorSet: [{ availabilityZone: zone, error: { code: 'InvalidSnapshot.NotFound', message: `The snapshot '${id}' does not exist.` } }] });
        continue;
      }
      s.fastRestoreZones = s.fastRestoreZones.filter((z) => z !== zone);
      successful.push({ snapshotId: id, availabilityZone: zone, state: 'disabling', ownerId: s.ownerId });
    }
  }
  return { successful, unsuccessful };
};

interface PermissionChanges {
  addAll: boolean;
  removeAll: boolean;
  addUsers: string[];
  removeUsers: string[];
}

/** Both request forms: `X.Add.N.Group/UserId` and the older `OperationType` + `UserId.N` / `UserGroup.N`. */
export function readPermissionChanges(p: Params, structName: string): PermissionChanges {
  const changes: PermissionChanges = { addAll: false, removeAll: false, addUsers: [], removeUsers: [] };
  const take = (items: Params[], add: boolean): void => {
    for (const item of items) {
      const group = item.str('Group');
      const userId = item.str('UserId');
      if (group !== undefined) takeGroup(group, add);
      if (userId !== undefined) takeUser(userId, add);
    }
  };
  const takeGroup = (group: string, add: boolean): void => {
    if (group !== 'all') throw errors.invalidValue(`Value (${group}) for parameter group is invalid. Only 'all' is supported.`);
    if (add) changes.addAll = true;
    else changes.removeAll = true;
  };
  const takeUser = (userId: string, add: boolean): void => {
    if (!ACCOUNT_ID_SHAPE.test(userId)) throw new Ec2Error('InvalidUserID.Malformed', `User ID '${userId}' is not valid`);
    (add ? changes.addUsers : changes.removeUsers).push(userId);
  };
  const struct = p.child(structName);
  if (struct) {
    take(struct.list('Add'), true);
    take(struct.list('Remove'), false);
  }
  const op = p.str('OperationType');
  const users = p.strList('UserId');
  const groups = p.strList('UserGroup');
  if (users.length || groups.length) {
    if (op !== 'add' && op !== 'remove') {
      throw errors.invalidValue(`Value (${op ?? ''}) for parameter operationType is invalid. Valid values: add, remove`);
    }
    for (const g of groups) takeGroup(g, op === 'add');
    for (const u of users) takeUser(u, op === 'add');
  }
  return changes;
}

export function applySharing(target: { public: boolean; sharedWith: string[] }, c: PermissionChanges): void {
  if (c.addAll) target.public = true;
  if (c.removeAll) target.public = false;
  const shared = new Set(target.sharedWith);
  for (const u of c.addUsers) shared.add(u);
  for (const u of c.removeUsers) shared.delete(u);
  target.sharedWith = [...shared];
}

const modifySnapshotAttribute: ActionHandler = (ctx) => {
  const s = findSnapshot(ctx, ctx.p.req('SnapshotId'));
  const attribute = ctx.p.str('Attribute') ?? 'createVolumePermission';
  if (attribute !== 'createVolumePermission') {
    throw errors.invalidValue(`Value (${attribute}) for parameter attribute is invalid. Only createVolumePermission can be modified.`);
  }
  const changes = readPermissionChanges(ctx.p, 'CreateVolumePermission');
  if (changes.addAll) {
    if (s.encrypted) throw new Ec2Error('OperationNotPermitted', 'Encrypted snapshots cannot be shared publicly.');
    if (ctx.r.snapshotBlockPublicAccess !== 'unblocked') {
      throw new Ec2Error(
        'OperationNotPermitted',
        `Public sharing of snapshots is blocked in ${ctx.region}: block public access for snapshots is '${ctx.r.snapshotBlockPublicAccess}'.`,
      );
    }
  }
  if (changes.addUsers.length && s.encrypted && s.kmsKeyId === ctx.state.defaultKmsKeyArn(ctx.region)) {
    throw new Ec2Error('OperationNotPermitted', 'Encrypted snapshots with EBS default key cannot be shared');
  }
  applySharing(s, changes);
  recordSharingEvent(ctx, 'ModifySnapshotAttribute', 'AWS::EC2::Snapshot', s.id, { snapshotId: s.id, attributeType: 'CREATE_VOLUME_PERMISSION', createVolumePermission: permissionParameters(changes) });
  return { return: true };
};

/** What CloudTrail writes as a sharing event's `requestParameters`: the add and remove lists as EC2 received them. */
export function permissionParameters(c: PermissionChanges): Record<string, unknown> {
  const items = (all: boolean, users: string[]) => [...(all ? [{ group: 'all' }] : []), ...users.map((userId) => ({ userId }))];
  const out: Record<string, unknown> = {};
  if (c.addAll || c.addUsers.length) out.add = { items: items(c.addAll, c.addUsers) };
  if (c.removeAll || c.removeUsers.length) out.remove = { items: items(c.removeAll, c.removeUsers) };
  return out;
}

/** A sharing change reaches the account's CloudTrail event history, as EC2's do. */
export function recordSharingEvent(ctx: ActionContext, eventName: string, type: string, id: string, requestParameters: Record<string, unknown>): void {
  ctx.state.recordEvent(ctx.region, { eventName, at: new Date(ctx.now), resources: [{ type, name: id }], requestParameters });
}

const copySnapshot: ActionHandler = (ctx) => {
  const { p, state } = ctx;
  const sourceRegion = p.req('SourceRegion');
  const source = findSnapshot(ctx, p.req('SourceSnapshotId'), sourceRegion);
  const encrypt = p.bool('Encrypted') ?? false;
  const kmsKeyId = p.str('KmsKeyId');
  if (kmsKeyId && !encrypt) {
    throw new Ec2Error('InvalidParameterDependency', 'The parameter KmsKeyId requires the parameter Encrypted to be set.');
  }
  if (state.snapshotState(source, ctx.now) !== 'completed') {
    throw errors.incorrectState(`Snapshot '${source.id}' is not in the 'completed' state; it cannot be copied yet.`);
  }
  if (source.storageTier === 'archive') {
    throw errors.incorrectState(`Snapshot '${source.id}' is in the archive tier; restore it before copying.`);
  }
  const encrypted = source.encrypted || encrypt;
  const sameKey = source.encrypted && sourceRegion === ctx.region ? source.kmsKeyId : undefined;
  const copy = newSnapshot(
    ctx,
    {
      volumeId: COPIED_VOLUME_ID,
      volumeSizeGiB: source.volumeSizeGiB,
      description: checkDescription(p.str('Description')) || `[Copied ${source.id} from ${sourceRegion}]`,
      encrypted,
      kmsKeyId: encrypted ? (kmsKeyId ?? sameKey ?? state.defaultKmsKeyArn(ctx.region)) : undefined,
      tags: tagsFor(p, 'snapshot', ['snapshot']),
      fullSizeBytes: source.fullSizeBytes,
    },
    state.timing.snapshotMs,
  );
  return { snapshotId: copy.id, tagSet: tagSet(copy.tags) };
};

const getSnapshotBlockPublicAccessState: ActionHandler = (ctx) => ({
  state: ctx.r.snapshotBlockPublicAccess,
  managedBy: 'account',
});

export const snapshotActions: Record<string, ActionHandler> = {
  CreateSnapshot: createSnapshot,
  CreateSnapshots: createSnapshots,
  DescribeSnapshots: describeSnapshots,
  DescribeSnapshotAttribute: describeSnapshotAttribute,
  DescribeFastSnapshotRestores: describeFastSnapshotRestores,
  DisableFastSnapshotRestores: disableFastSnapshotRestores,
  ModifySnapshotAttribute: modifySnapshotAttribute,
  CopySnapshot: copySnapshot,
  DeleteSnapshot: deleteSnapshot,
  GetSnapshotBlockPublicAccessState: getSnapshotBlockPublicAccessState,
};
