import { Ec2Error, errors } from '../errors.js';
import { compileFilters, readFilters, type FilterFields } from '../filters.js';
import { randomId } from '../ids.js';
import { availabilityZones, isZoneOf } from '../regions.js';
import type { InstanceRecord, InstanceStateName } from '../state.js';
import { tagSet, type XmlObject } from '../xml.js';
import { checkId, iso, maxResults, tagsFor, type ActionContext, type ActionHandler } from './context.js';
import { findImage } from './images.js';

const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

function privateIp(i: InstanceRecord): string {
  const n = parseInt(i.id.slice(-4), 16);
  return `10.0.${(n >> 8) & 0xff}.${(n & 0xfe) + 1}`;
}

function instanceXml(ctx: ActionContext, i: InstanceRecord): XmlObject {
  const state = ctx.state.instanceState(i, ctx.now);
  const ip = privateIp(i);
  return {
    instanceId: i.id,
    imageId: i.imageId,
    instanceState: { code: STATE_CODES[state], name: state },
    privateDnsName: `ip-${ip.replace(/\./g, '-')}.ec2.internal`,
    dnsName: '',
    reason: state === 'stopped' ? 'User initiated' : '',
    keyName: i.keyName,
    amiLaunchIndex: 0,
    productCodes: [],
    instanceType: i.type,
    launchTime: iso(i.launchMs),
    placement: { availabilityZone: i.availabilityZone, groupName: '', tenancy: 'default' },
    monitoring: { state: 'disabled' },
    subnetId: i.subnetId,
    privateIpAddress: ip,
    architecture: i.architecture,
    rootDeviceType: i.instanceStoreRoot ? 'instance-store' : 'ebs',
    rootDeviceName: i.rootDeviceName,
    blockDeviceMapping: i.volumeIds.flatMap((volumeId) => {
      const a = ctx.r.volumes.get(volumeId)?.attachment;
      if (!a) return [];
      return [
        {
          deviceName: a.device,
          ebs: { volumeId, status: 'attached', attachTime: iso(a.attachMs), deleteOnTermination: a.deleteOnTermination },
        },
      ];
    }),
    virtualizationType: 'hvm',
    tagSet: Object.keys(i.tags).length ? tagSet(i.tags) : undefined,
    hypervisor: 'xen',
    enaSupport: true,
  };
}

const instanceFilters = (ctx: ActionContext): FilterFields<InstanceRecord> => ({
  'instance-id': (i) => i.id,
  'instance-state-name': (i) => ctx.state.instanceState(i, ctx.now),
  'instance-state-code': (i) => STATE_CODES[ctx.state.instanceState(i, ctx.now)],
  'availability-zone': (i) => i.availabilityZone,
  'instance-type': (i) => i.type,
  'image-id': (i) => i.imageId,
  'key-name': (i) => i.keyName,
  'subnet-id': (i) => i.subnetId,
  'reservation-id': (i) => i.reservationId,
  architecture: (i) => i.architecture,
  'root-device-name': (i) => i.rootDeviceName,
  'block-device-mapping.volume-id': (i) => i.volumeIds,
  'block-device-mapping.device-name': (i) => i.volumeIds.map((id) => ctx.r.volumes.get(id)?.attachment?.device),
});

/** Reservations group the instances launched together, in page order. */
function reservations(ctx: ActionContext, instances: InstanceRecord[]): XmlObject[] {
  const groups = new Map<string, InstanceRecord[]>();
  for (const i of instances) {
    const group = groups.get(i.reservationId);
    if (group) group.push(i);
    else groups.set(i.reservationId, [i]);
  }
  return [...groups].map(([reservationId, members]) => ({
    reservationId,
    ownerId: ctx.state.accountId,
    groupSet: [],
    instancesSet: members.map((i) => instanceXml(ctx, i)),
  }));
}

const describeInstances: ActionHandler = (ctx) => {
  const { p, r } = ctx;
  const ids = p.strList('InstanceId');
  const max = maxResults(p, 5, 1000);
  if (ids.length && max !== undefined) {
    throw errors.combination('The parameter instancesSet cannot be used with the parameter maxResults');
  }
  const match = compileFilters(readFilters(p), instanceFilters(ctx));
  if (ids.length) {
    const found = ids.map((id) => {
      const i = r.instances.get(checkId(id, 'i'));
      if (!i) throw errors.instanceNotFound(id);
      return i;
    });
    return { reservationSet: reservations(ctx, found.filter(match)) };
  }
  const page = r.instances.page(match, max, p.str('NextToken'));
  return { reservationSet: reservations(ctx, page.items), nextToken: page.nextToken };
};

/**
 * Whether an instance type has instance store volumes (local disks): the "d" families (m5d, c6gd, r6id, x2idn…),
 * the storage families (i3, i4i, d2, d3, h1), and the old generations that all had them (m1, m3, c1, c3, r3, x1).
 */
export function hasInstanceStorage(type: string): boolean {
  const family = type.split('.')[0];
  return /^[a-z]+\d+[a-z]*d[a-z]*$/.test(family) || /^(i\d|d\d|h1|m1|m2|m3|c1|c3|r3|x1|f1)/.test(family);
}

/** DescribeInstanceTypes for the types asked (InstanceType.N), with whether each has instance storage. */
const describeInstanceTypes: ActionHandler = (ctx) => {
  const types = ctx.p.strList('InstanceType');
  for (const t of types) if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(t)) throw new Ec2Error('InvalidInstanceType', `The following supplied instance types do not exist: [${t}]`);
  return {
    instanceTypeSet: types.map((instanceType) => ({
      instanceType,
      currentGeneration: true,
      instanceStorageSupported: hasInstanceStorage(instanceType),
      ...(hasInstanceStorage(instanceType) ? { instanceStorageInfo: { totalSizeInGB: 75, disks: [{ sizeInGB: 75, count: 1, type: 'ssd' }] } } : {}),
    })),
  };
};

/** A subnet ID stands for one AZ of the region; the same ID always lands in the same AZ. */
function zoneForSubnet(region: string, subnetId: string): string {
  const zones = availabilityZones(region);
  let h = 0;
  for (let i = 0; i < subnetId.length; i++) h = (h * 31 + subnetId.charCodeAt(i)) >>> 0;
  return zones[h % zones.length];
}

const runInstances: ActionHandler = (ctx) => {
  const { p, r, state } = ctx;
  const image = findImage(ctx, p.req('ImageId'));
  const imageState = state.imageState(image, ctx.now);
  if (imageState !== 'available') {
    throw new Ec2Error('InvalidAMIID.Unavailable', `AMI '${image.id}' is ${imageState}, and cannot be run`);
  }
  const requestedType = p.str('InstanceType') ?? 'm1.small';
  if (image.instanceStore && !hasInstanceStorage(requestedType)) {
    throw errors.combination(`The instance type ${requestedType} has no instance storage, which the instance store-backed AMI ${image.id} boots from.`);
  }
  const minCount = p.int('MinCount');
  const maxCount = p.int('MaxCount');
  if (minCount === undefined) throw errors.missingParameter('MinCount');
  if (maxCount === undefined) throw errors.missingParameter('MaxCount');
  if (minCount < 1 || maxCount < minCount) {
    throw errors.invalidValue(`Value (${minCount}) for parameter minCount is invalid. MinCount must be between 1 and MaxCount (${maxCount}).`);
  }
  const type = p.str('InstanceType') ?? 'm1.small';
  if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(type)) throw errors.invalidValue(`Invalid value '${type}' for InstanceType.`);
  const subnetId = p.str('SubnetId');
  if (subnetId !== undefined && !/^subnet-[0-9a-f]{8,17}$/.test(subnetId)) {
    throw new Ec2Error('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`);
  }
  const placementZone = p.child('Placement')?.str('AvailabilityZone');
  if (placementZone && !isZoneOf(ctx.region, placementZone)) throw errors.invalidValue(`Invalid availability zone: [${placementZone}]`);
  const zone = placementZone ?? (subnetId ? zoneForSubnet(ctx.region, subnetId) : availabilityZones(ctx.region)[0]);
  const instanceTags = tagsFor(p, 'instance', ['instance', 'volume', 'network-interface']);
  const volumeTags = tagsFor(p, 'volume', ['instance', 'volume', 'network-interface']);
  const reservationId = randomId('r');
  const launched: InstanceRecord[] = [];
  for (let n = 0; n < Math.min(maxCount, 20); n++) {
    const instance = state.addInstance(ctx.region, {
      availabilityZone: zone,
      type,
      imageId: image.id,
      state: 'pending',
      launchTime: new Date(ctx.now),
      rootDeviceName: image.rootDeviceName,
      architecture: image.architecture,
      keyName: p.str('KeyName'),
      subnetId,
      reservationId,
      ...(image.instanceStore ? { instanceStoreRoot: true } : {}),
      tags: instanceTags,
    });
    for (const d of image.blockDevices) {
      if (d.snapshotId === undefined && d.volumeSizeGiB === undefined) continue;
      const snapshot = d.snapshotId ? r.snapshots.get(d.snapshotId) : undefined;
      const v = state.addVolume(ctx.region, {
        availabilityZone: zone,
        sizeGiB: d.volumeSizeGiB ?? snapshot?.volumeSizeGiB ?? 8,
        type: d.volumeType ?? 'gp3',
        iops: d.iops,
        throughput: d.throughput,
        encrypted: d.encrypted,
        kmsKeyId: d.kmsKeyId,
        snapshotId: d.snapshotId,
        createTime: new Date(ctx.now),
        tags: volumeTags,
      });
      state.attachVolume(ctx.region, v.id, instance.id, d.device, d.deleteOnTermination ?? true, ctx.now);
    }
    launched.push(instance);
  }
  image.lastLaunchedMs = ctx.now;
  return { reservationId, ownerId: state.accountId, groupSet: [], instancesSet: launched.map((i) => instanceXml(ctx, i)) };
};

/**
 * ModifyInstanceAttribute, the block-device form only (what snapbot uses): DeleteOnTermination of attached volumes
 * by device name. Other attributes answer UnsupportedOperation rather than pretending.
 */
const modifyInstanceAttribute: ActionHandler = (ctx) => {
  const { p, r } = ctx;
  const instanceId = p.req('InstanceId');
  const instance = r.instances.get(instanceId);
  if (!instance) throw errors.instanceNotFound(instanceId);
  const mappings = p.list('BlockDeviceMapping');
  if (mappings.length === 0) throw new Ec2Error('UnsupportedOperation', 'The sandbox EC2 supports ModifyInstanceAttribute only with BlockDeviceMapping.');
  for (const m of mappings) {
    const device = m.req('DeviceName');
    const volume = instance.volumeIds.map((id) => r.volumes.get(id)).find((v) => v?.attachment?.device === device);
    if (!volume?.attachment) throw errors.invalidValue(`Value (${device}) for parameter blockDeviceMapping is invalid: no EBS volume is attached there.`);
    const value = m.child('Ebs')?.bool('DeleteOnTermination');
    if (value !== undefined) volume.attachment.deleteOnTermination = value;
  }
  return { return: true };
};

export const instanceActions: Record<string, ActionHandler> = {
  DescribeInstances: describeInstances,
  RunInstances: runInstances,
  ModifyInstanceAttribute: modifyInstanceAttribute,
  DescribeInstanceTypes: describeInstanceTypes,
};
