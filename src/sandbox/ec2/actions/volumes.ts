import { Ec2Error, errors } from '../errors.js';
import { compileFilters, readFilters, type FilterFields } from '../filters.js';
import { isZoneOf } from '../regions.js';
import { defaultIops, type VolumeRecord } from '../state.js';
import { tagSet, type XmlObject } from '../xml.js';
import { checkId, iso, maxResults, tagsFor, type ActionContext, type ActionHandler } from './context.js';
import { findSnapshot } from './snapshots.js';

export function volumeXml(ctx: ActionContext, v: VolumeRecord): XmlObject {
  const a = v.attachment;
  return {
    volumeId: v.id,
    size: v.sizeGiB,
    // Real EC2 sends an empty snapshotId for volumes not made from a snapshot.
    snapshotId: v.snapshotId ?? '',
    availabilityZone: v.availabilityZone,
    status: ctx.state.volumeState(v, ctx.now),
    createTime: iso(v.createMs),
    attachmentSet: a
      ? [
          {
            volumeId: v.id,
            instanceId: a.instanceId,
            device: a.device,
            status: 'attached',
            attachTime: iso(a.attachMs),
            deleteOnTermination: a.deleteOnTermination,
          },
        ]
      : [],
    volumeType: v.type,
    iops: v.iops,
    throughput: v.throughput,
    encrypted: v.encrypted,
    kmsKeyId: v.encrypted ? v.kmsKeyId : undefined,
    tagSet: Object.keys(v.tags).length ? tagSet(v.tags) : undefined,
    multiAttachEnabled: v.multiAttachEnabled ?? false,
  };
}

const volumeFilters = (ctx: ActionContext): FilterFields<VolumeRecord> => ({
  'volume-id': (v) => v.id,
  status: (v) => ctx.state.volumeState(v, ctx.now),
  'availability-zone': (v) => v.availabilityZone,
  'attachment.instance-id': (v) => v.attachment?.instanceId,
  'attachment.device': (v) => v.attachment?.device,
  'attachment.status': (v) => (v.attachment ? 'attached' : undefined),
  'attachment.delete-on-termination': (v) => v.attachment?.deleteOnTermination,
  'snapshot-id': (v) => v.snapshotId,
  'volume-type': (v) => v.type,
  size: (v) => v.sizeGiB,
  encrypted: (v) => v.encrypted,
  'create-time': (v) => new Date(v.createMs).toISOString(),
});

export function findVolume(ctx: ActionContext, id: string): VolumeRecord {
  checkId(id, 'vol');
  const v = ctx.r.volumes.get(id);
  if (!v) throw errors.volumeNotFound(id);
  return v;
}

const describeVolumes: ActionHandler = (ctx) => {
  const { p, r } = ctx;
  const ids = p.strList('VolumeId');
  const max = maxResults(p, 5, 500);
  if (ids.length && max !== undefined) {
    throw errors.combination('The parameter volumeSet cannot be used with the parameter maxResults');
  }
  const match = compileFilters(readFilters(p), volumeFilters(ctx));
  if (ids.length) return { volumeSet: ids.map((id) => findVolume(ctx, id)).filter(match).map((v) => volumeXml(ctx, v)) };
  const page = r.volumes.page(match, max, p.str('NextToken'));
  return { volumeSet: page.items.map((v) => volumeXml(ctx, v)), nextToken: page.nextToken };
};

const VOLUME_SIZES: Record<string, [number, number]> = {
  standard: [1, 1024],
  gp2: [1, 16384],
  gp3: [1, 65536],
  io1: [4, 16384],
  io2: [4, 65536],
  st1: [125, 16384],
  sc1: [125, 16384],
};

function checkPerformance(type: string, size: number, iops: number | undefined, throughput: number | undefined): void {
  if (iops !== undefined && !['gp3', 'io1', 'io2'].includes(type)) {
    throw errors.combination(`The parameter iops is not supported for ${type} volumes.`);
  }
  if (iops === undefined && (type === 'io1' || type === 'io2')) throw errors.missingParameter('iops');
  if (throughput !== undefined && type !== 'gp3') {
    throw errors.combination(`The parameter throughput is not supported for ${type} volumes.`);
  }
  if (iops !== undefined) {
    const [min, max, perGiB] = type === 'gp3' ? [3000, 80000, 500] : type === 'io1' ? [100, 64000, 50] : [100, 256000, 1000];
    if (iops < min || iops > max) {
      throw errors.invalidValue(`Value (${iops}) for parameter iops is invalid. Expected a value between ${min} and ${max} for ${type} volumes.`);
    }
    if (iops > size * perGiB) {
      throw errors.invalidValue(`Iops to volume size ratio of ${(iops / size).toFixed(1)} is too high; maximum is ${perGiB}.`);
    }
  }
  if (throughput !== undefined) {
    if (throughput < 125 || throughput > 2000) {
      throw errors.invalidValue(`Value (${throughput}) for parameter throughput is invalid. Expected a value between 125 and 2000.`);
    }
    if (throughput > (iops ?? 3000) / 4) {
      throw errors.invalidValue(`Throughput (MiBps) to iops ratio of ${(throughput / (iops ?? 3000)).toFixed(3)} is too high; maximum is 0.25 MiBps per iops.`);
    }
  }
}

const createVolume: ActionHandler = (ctx) => {
  const { p, state } = ctx;
  const zone = p.req('AvailabilityZone');
  if (!isZoneOf(ctx.region, zone)) throw errors.invalidValue(`Invalid availability zone: [${zone}]`);
  // EC2 still defaults to gp2 when no type is given.
  const type = p.str('VolumeType') ?? 'gp2';
  const limits = VOLUME_SIZES[type];
  if (!limits) {
    throw errors.invalidValue(`Value (${type}) for parameter volumeType is invalid. Valid types: ${Object.keys(VOLUME_SIZES).join(', ')}`);
  }
  const snapshotId = p.str('SnapshotId');
  const snapshot = snapshotId ? findSnapshot(ctx, snapshotId) : undefined;
  if (snapshot) {
    if (state.snapshotState(snapshot, ctx.now) !== 'completed') {
      throw errors.incorrectState(`Snapshot '${snapshot.id}' is not in the 'completed' state; wait for it to complete.`);
    }
    if (snapshot.storageTier === 'archive') {
      throw errors.incorrectState(`Snapshot '${snapshot.id}' is in the archive tier; restore it before creating a volume from it.`);
    }
  }
  const size = p.int('Size') ?? snapshot?.volumeSizeGiB;
  if (size === undefined) throw errors.missingParameter('size or snapshotId');
  if (snapshot && size < snapshot.volumeSizeGiB) {
    throw errors.invalidValue(
      `Volume of size ${size}GB is smaller than snapshot '${snapshot.id}', expect size >= ${snapshot.volumeSizeGiB}GB`,
    );
  }
  if (size < limits[0] || size > limits[1]) {
    throw errors.invalidValue(`Volume of ${size}GiB is not a valid size for ${type} volumes; valid sizes are ${limits[0]}-${limits[1]}GiB.`);
  }
  const iops = p.int('Iops');
  const throughput = p.int('Throughput');
  checkPerformance(type, size, iops, throughput);
  const kmsKeyId = p.str('KmsKeyId');
  const encryptRequested = p.bool('Encrypted') ?? false;
  if (kmsKeyId && !encryptRequested && !snapshot?.encrypted) {
    throw new Ec2Error('InvalidParameterDependency', 'The parameter KmsKeyId requires the parameter Encrypted to be set.');
  }
  const encrypted = encryptRequested || (snapshot?.encrypted ?? false);
  const v = state.addVolume(ctx.region, {
    availabilityZone: zone,
    sizeGiB: size,
    type,
    iops: iops ?? defaultIops(type, size),
    throughput: throughput ?? (type === 'gp3' ? 125 : undefined),
    encrypted,
    kmsKeyId: encrypted ? (kmsKeyId ?? snapshot?.kmsKeyId ?? state.defaultKmsKeyArn(ctx.region)) : undefined,
    snapshotId: snapshot?.id,
    createTime: new Date(ctx.now),
    state: 'creating',
    multiAttachEnabled: p.bool('MultiAttachEnabled') ?? false,
    tags: tagsFor(p, 'volume', ['volume']),
  });
  return volumeXml(ctx, v);
};

const DEVICE_NAME = /^\/dev\/(sd[a-z][0-9]*|xvd[a-z]{1,2}|hd[a-z])$/;

const attachVolume: ActionHandler = (ctx) => {
  const { p, state } = ctx;
  const device = p.req('Device');
  const v = findVolume(ctx, p.req('VolumeId'));
  const instanceId = checkId(p.req('InstanceId'), 'i');
  const instance = ctx.r.instances.get(instanceId);
  if (!instance) throw errors.instanceNotFound(instanceId);
  if (!DEVICE_NAME.test(device)) throw errors.invalidValue(`Value (${device}) for parameter device is invalid. ${device} is not a valid EBS device name.`);
  const volumeState = state.volumeState(v, ctx.now);
  if (volumeState === 'in-use') throw new Ec2Error('VolumeInUse', `${v.id} is already attached to an instance`);
  if (volumeState !== 'available') throw errors.incorrectState(`${v.id} is not 'available'.`);
  if (v.availabilityZone !== instance.availabilityZone) {
    throw new Ec2Error(
      'InvalidVolume.ZoneMismatch',
      `The volume '${v.id}' is not in the same availability zone as instance '${instance.id}'`,
    );
  }
  const instanceState = state.instanceState(instance, ctx.now);
  if (instanceState !== 'running' && instanceState !== 'stopped') {
    throw errors.incorrectState(`Instance '${instance.id}' is not 'running'.`);
  }
  const taken = instance.volumeIds.some((id) => ctx.r.volumes.get(id)?.attachment?.device === device);
  if (taken) throw errors.invalidValue(`Invalid value '${device}' for unixDevice. Attachment point ${device} is already in use`);
  state.attachVolume(ctx.region, v.id, instance.id, device, false, ctx.now);
  return { volumeId: v.id, instanceId: instance.id, device, status: 'attaching', attachTime: iso(ctx.now), deleteOnTermination: false };
};

const detachVolume: ActionHandler = (ctx) => {
  const v = findVolume(ctx, ctx.p.req('VolumeId'));
  const a = v.attachment;
  if (!a) throw errors.incorrectState(`Volume '${v.id}' is in the '${ctx.state.volumeState(v, ctx.now)}' state.`);
  const instanceId = ctx.p.str('InstanceId');
  if (instanceId && instanceId !== a.instanceId) {
    throw new Ec2Error('InvalidAttachment.NotFound', `The volume '${v.id}' is not attached to instance '${instanceId}'.`);
  }
  ctx.state.detachVolume(ctx.region, v.id);
  return { volumeId: v.id, instanceId: a.instanceId, device: a.device, status: 'detaching', attachTime: iso(a.attachMs), deleteOnTermination: a.deleteOnTermination };
};

const deleteVolume: ActionHandler = (ctx) => {
  const v = findVolume(ctx, ctx.p.req('VolumeId'));
  if (v.attachment) throw new Ec2Error('VolumeInUse', `Volume ${v.id} is currently attached to ${v.attachment.instanceId}`);
  ctx.state.deleteVolume(ctx.region, v.id);
  return { return: true };
};

export const volumeActions: Record<string, ActionHandler> = {
  DescribeVolumes: describeVolumes,
  CreateVolume: createVolume,
  AttachVolume: attachVolume,
  DetachVolume: detachVolume,
  DeleteVolume: deleteVolume,
};
