import { Ec2Error, errors } from '../errors.js';
import { randomId } from '../ids.js';
import { compileFilters, readFilters, type FilterFields } from '../filters.js';
import type { Params } from '../query.js';
import { COPIED_VOLUME_ID, type BlockDeviceRecord, type ImageRecord, type RegionState } from '../state.js';
import { tagSet, type XmlObject } from '../xml.js';
import { checkId, iso, maxResults, mergeTags, tagsFor, type ActionContext, type ActionHandler } from './context.js';
import { applySharing, estimateFullSize, findSnapshot, permissionParameters, readPermissionChanges, recordSharingEvent } from './snapshots.js';

export function blockDeviceXml(d: BlockDeviceRecord): XmlObject {
  return {
    deviceName: d.device,
    ebs: d.snapshotId !== undefined || d.volumeSizeGiB !== undefined
      ? {
          snapshotId: d.snapshotId,
          volumeSize: d.volumeSizeGiB,
          deleteOnTermination: d.deleteOnTermination ?? true,
          volumeType: d.volumeType ?? 'gp3',
          iops: d.iops,
          throughput: d.throughput,
          kmsKeyId: d.encrypted ? d.kmsKeyId : undefined,
          encrypted: d.encrypted ?? false,
        }
      : undefined,
  };
}

function imageXml(ctx: ActionContext, i: ImageRecord): XmlObject {
  const state = ctx.state.imageState(i, ctx.now);
  return {
    imageId: i.id,
    imageLocation: i.instanceStore?.manifest ?? `${i.ownerId}/${i.name}`,
    imageState: state,
    imageOwnerId: i.ownerId,
    imageOwnerAlias: i.ownerAlias,
    creationDate: iso(i.createMs),
    isPublic: i.public,
    architecture: i.architecture,
    imageType: 'machine',
    name: i.name,
    description: i.description,
    rootDeviceType: i.instanceStore ? 'instance-store' : 'ebs',
    rootDeviceName: i.rootDeviceName,
    blockDeviceMapping: i.blockDevices.map(blockDeviceXml),
    virtualizationType: i.virtualizationType,
    hypervisor: 'xen',
    enaSupport: i.enaSupport,
    platformDetails: 'Linux/UNIX',
    usageOperation: 'RunInstances',
    tagSet: Object.keys(i.tags).length ? tagSet(i.tags) : undefined,
    stateReason: i.failedMessage ? { code: 'Server.InternalError', message: i.failedMessage } : undefined,
    deprecationTime: iso(i.deprecationMs),
    lastLaunchedTime: iso(i.lastLaunchedMs),
    deregistrationProtection: i.deregistrationProtection ?? 'disabled',
    sourceInstanceId: i.sourceInstanceId,
    sourceImageId: i.sourceImageId,
    sourceImageRegion: i.sourceImageRegion,
  };
}

function launchableBy(i: ImageRecord, account: string): boolean {
  return i.ownerId === account || i.public || i.sharedWith.includes(account);
}

const imageFilters = (ctx: ActionContext): FilterFields<ImageRecord> => ({
  'image-id': (i) => i.id,
  name: (i) => i.name,
  state: (i) => ctx.state.imageState(i, ctx.now),
  'is-public': (i) => i.public,
  'owner-id': (i) => i.ownerId,
  'owner-alias': (i) => i.ownerAlias,
  architecture: (i) => i.architecture,
  description: (i) => i.description,
  'root-device-name': (i) => i.rootDeviceName,
  'root-device-type': (i) => (i.instanceStore ? 'instance-store' : 'ebs'),
  'virtualization-type': (i) => i.virtualizationType,
  'image-type': () => 'machine',
  'block-device-mapping.snapshot-id': (i) => i.blockDevices.map((d) => d.snapshotId),
  'block-device-mapping.device-name': (i) => i.blockDevices.map((d) => d.device),
  'block-device-mapping.volume-size': (i) => i.blockDevices.map((d) => d.volumeSizeGiB?.toString()),
  'block-device-mapping.encrypted': (i) => i.blockDevices.map((d) => String(d.encrypted ?? false)),
  'creation-date': (i) => new Date(i.createMs).toISOString(),
  'source-instance-id': (i) => i.sourceInstanceId,
});

export function findImage(ctx: ActionContext, id: string, region = ctx.region): ImageRecord {
  checkId(id, 'ami');
  const i = ctx.state.region(region).images.get(id);
  if (!i || !launchableBy(i, ctx.state.accountId)) throw errors.imageNotFound(id);
  return i;
}

const describeImages: ActionHandler = (ctx) => {
  const { p, r, state } = ctx;
  const account = state.accountId;
  const owners = p.strList('Owner').map((o) => (o === 'self' ? account : o));
  const executableBy = p.strList('ExecutableBy').map((o) => (o === 'self' ? account : o));
  const ids = p.strList('ImageId');
  const includeDisabled = p.bool('IncludeDisabled') ?? false;
  const includeDeprecated = p.bool('IncludeDeprecated') ?? false;
  const max = maxResults(p, 1, 1000);
  const byFilter = compileFilters(readFilters(p), imageFilters(ctx));
  const match = (i: ImageRecord, askedById: boolean): boolean => {
    if (!launchableBy(i, account)) return false;
    if (i.disabled && !includeDisabled) return false;
    // Owners always see their own deprecated AMIs; others' only when asked for.
    const deprecated = i.deprecationMs !== undefined && i.deprecationMs <= ctx.now;
    if (deprecated && i.ownerId !== account && !includeDeprecated && !askedById) return false;
    if (owners.length && !owners.some((o) => (/^\d{12}$/.test(o) ? i.ownerId === o : i.ownerAlias === o))) return false;
    if (executableBy.length && !executableBy.some((who) => (who === 'all' ? i.public : launchableBy(i, who)))) return false;
    return byFilter(i);
  };
  if (ids.length) {
    const found = ids.map((id) => findImage(ctx, id)).filter((i) => match(i, true));
    return { imagesSet: found.map((i) => imageXml(ctx, i)) };
  }
  const page = r.images.page((i) => match(i, false), max, p.str('NextToken'));
  return { imagesSet: page.items.map((i) => imageXml(ctx, i)), nextToken: page.nextToken };
};

const AMI_NAME = /^[a-zA-Z0-9()[\] ./\-'@_]{3,128}$/;

function checkNewImageName(r: RegionState, name: string): void {
  if (!AMI_NAME.test(name)) {
    throw new Ec2Error(
      'InvalidAMIName.Malformed',
      `AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_': ${name}`,
    );
  }
  const existing = r.imageNames.get(name);
  if (existing) throw new Ec2Error('InvalidAMIName.Duplicate', `AMI name ${name} is already in use by AMI ${existing}`);
}

const createImage: ActionHandler = (ctx) => {
  const { p, r, state } = ctx;
  const instanceId = checkId(p.req('InstanceId'), 'i');
  const instance = r.instances.get(instanceId);
  if (!instance) throw errors.instanceNotFound(instanceId);
  const name = p.req('Name');
  checkNewImageName(r, name);
  const instanceState = state.instanceState(instance, ctx.now);
  if (instanceState !== 'running' && instanceState !== 'stopped') {
    throw errors.incorrectState(`Instance '${instance.id}' is not in a state from which it can be imaged (${instanceState}).`);
  }
  if (instance.instanceStoreRoot) {
    throw new Ec2Error('UnsupportedOperation', `The instance '${instance.id}' is instance store-backed: CreateImage makes AMIs of EBS-backed instances only.`);
  }
  const imageTags = tagsFor(p, 'image', ['image', 'snapshot']);
  const snapshotTags = tagsFor(p, 'snapshot', ['image', 'snapshot']);
  // The AMI ID is needed in the snapshot descriptions before the image exists.
  const imageId = randomId('ami');
  const blockDevices: BlockDeviceRecord[] = instance.volumeIds.flatMap((volumeId) => {
    const v = r.volumes.get(volumeId);
    if (!v?.attachment) return [];
    const s = state.addSnapshot(ctx.region, {
      volumeId: v.id,
      volumeSizeGiB: v.sizeGiB,
      startTime: new Date(ctx.now),
      durationSeconds: state.timing.imageMs / 1000,
      description: `Created by CreateImage(${instance.id}) for ${imageId}`,
      encrypted: v.encrypted,
      kmsKeyId: v.kmsKeyId,
      tags: snapshotTags,
    });
    s.fullSizeBytes = estimateFullSize(s.id, s.volumeSizeGiB);
    return [
      {
        device: v.attachment.device,
        snapshotId: s.id,
        volumeSizeGiB: v.sizeGiB,
        volumeType: v.type,
        iops: v.type === 'gp3' || v.type.startsWith('io') ? v.iops : undefined,
        throughput: v.throughput,
        encrypted: v.encrypted,
        kmsKeyId: v.kmsKeyId,
        deleteOnTermination: v.attachment.deleteOnTermination,
      },
    ];
  });
  state.addImage(ctx.region, {
    id: imageId,
    name,
    description: p.str('Description'),
    creationDate: new Date(ctx.now),
    state: 'pending',
    architecture: instance.architecture,
    rootDeviceName: instance.rootDeviceName,
    blockDevices,
    tags: imageTags,
    sourceInstanceId: instance.id,
  });
  return { imageId };
};

function readBlockDeviceMappings(ctx: ActionContext, p: Params): BlockDeviceRecord[] {
  return p.list('BlockDeviceMapping').flatMap((m) => {
    const device = m.req('DeviceName');
    const ebs = m.child('Ebs');
    if (m.str('NoDevice') !== undefined || !ebs) return [];
    const snapshotId = ebs.str('SnapshotId');
    const snapshot = snapshotId ? findSnapshot(ctx, snapshotId) : undefined;
    if (snapshot && ctx.state.snapshotState(snapshot, ctx.now) !== 'completed') {
      throw errors.incorrectState(`Snapshot '${snapshot.id}' is not in the 'completed' state.`);
    }
    const size = ebs.int('VolumeSize') ?? snapshot?.volumeSizeGiB;
    if (size === undefined) throw errors.missingParameter(`BlockDeviceMapping ${device}: Ebs.VolumeSize or Ebs.SnapshotId`);
    if (snapshot && size < snapshot.volumeSizeGiB) {
      throw new Ec2Error(
        'InvalidBlockDeviceMapping',
        `Volume of size ${size}GB is smaller than snapshot '${snapshot.id}', expect size >= ${snapshot.volumeSizeGiB}GB`,
      );
    }
    const encrypted = ebs.bool('Encrypted') ?? snapshot?.encrypted ?? false;
    return [
      {
        device,
        snapshotId: snapshot?.id,
        volumeSizeGiB: size,
        volumeType: ebs.str('VolumeType') ?? 'gp3',
        iops: ebs.int('Iops'),
        throughput: ebs.int('Throughput'),
        encrypted,
        kmsKeyId: encrypted ? (ebs.str('KmsKeyId') ?? snapshot?.kmsKeyId) : undefined,
        deleteOnTermination: ebs.bool('DeleteOnTermination') ?? true,
      },
    ];
  });
}

const ARCHITECTURES = ['i386', 'x86_64', 'arm64', 'x86_64_mac', 'arm64_mac'];

const registerImage: ActionHandler = (ctx) => {
  const { p, r, state } = ctx;
  const name = p.req('Name');
  checkNewImageName(r, name);
  const architecture = p.str('Architecture') ?? 'x86_64';
  if (!ARCHITECTURES.includes(architecture)) {
    throw errors.invalidValue(`Value (${architecture}) for parameter architecture is invalid. Valid values: ${ARCHITECTURES.join(', ')}`);
  }
  const blockDevices = readBlockDeviceMappings(ctx, p);
  const rootDeviceName = p.str('RootDeviceName') ?? '/dev/sda1';
  if (!blockDevices.some((d) => d.device === rootDeviceName && d.snapshotId)) {
    throw new Ec2Error('InvalidBlockDeviceMapping', `The root device ${rootDeviceName} must be mapped to an EBS snapshot in BlockDeviceMapping.`);
  }
  const image = state.addImage(ctx.region, {
    name,
    description: p.str('Description'),
    creationDate: new Date(ctx.now),
    state: 'available',
    architecture,
    rootDeviceName,
    virtualizationType: p.str('VirtualizationType') ?? 'hvm',
    enaSupport: p.bool('EnaSupport') ?? false,
    blockDevices,
    tags: tagsFor(p, 'image', ['image']),
  });
  return { imageId: image.id };
};

const describeImageAttribute: ActionHandler = (ctx) => {
  const attribute = ctx.p.req('Attribute');
  const i = findImage(ctx, ctx.p.req('ImageId'));
  const base = { imageId: i.id };
  switch (attribute) {
    case 'launchPermission': {
      const permissions: XmlObject[] = [];
      if (i.public) permissions.push({ group: 'all' });
      for (const userId of i.sharedWith) permissions.push({ userId });
      return { ...base, launchPermission: permissions };
    }
    case 'description':
      return { ...base, description: { value: i.description } };
    case 'lastLaunchedTime':
      return { ...base, lastLaunchedTime: { value: iso(i.lastLaunchedMs) } };
    case 'blockDeviceMapping':
      return { ...base, blockDeviceMapping: i.blockDevices.map(blockDeviceXml) };
    case 'productCodes':
      return { ...base, productCodes: [] };
    case 'kernel':
    case 'ramdisk':
    case 'sriovNetSupport':
    case 'bootMode':
    case 'tpmSupport':
    case 'uefiData':
    case 'imdsSupport':
      return base;
    case 'deregistrationProtection':
      return { ...base, deregistrationProtection: { value: 'disabled' } };
    default:
      throw errors.invalidValue(`Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
  }
};

const modifyImageAttribute: ActionHandler = (ctx) => {
  const { p } = ctx;
  const i = findImage(ctx, p.req('ImageId'));
  if (i.ownerId !== ctx.state.accountId) {
    throw errors.unauthorized(ctx.state.accountId, 'ModifyImageAttribute', `arn:aws:ec2:${ctx.region}::image/${i.id}`);
  }
  const description = p.child('Description')?.str('Value') ?? (p.str('Attribute') === 'description' ? p.str('Value') : undefined);
  if (description !== undefined) i.description = description;
  const changes = readPermissionChanges(p, 'LaunchPermission');
  if (changes.addAll) {
    if (ctx.r.imageBlockPublicAccess !== 'unblocked') {
      throw new Ec2Error(
        'OperationNotPermitted',
        `Public sharing of AMIs is blocked in ${ctx.region}: block public access for AMIs is '${ctx.r.imageBlockPublicAccess}'.`,
      );
    }
    if (i.blockDevices.some((d) => d.encrypted)) {
      throw new Ec2Error('InvalidParameter', 'Images with encrypted snapshots cannot be made public.');
    }
  }
  if (changes.addUsers.length && i.blockDevices.some((d) => d.encrypted && d.kmsKeyId === ctx.state.defaultKmsKeyArn(ctx.region))) {
    throw new Ec2Error('InvalidParameter', "Snapshots encrypted with the AWS Managed CMK can't be shared. Specify another snapshot.");
  }
  applySharing(i, changes);
  if (changes.addAll || changes.removeAll || changes.addUsers.length || changes.removeUsers.length) {
    recordSharingEvent(ctx, 'ModifyImageAttribute', 'AWS::EC2::Ami', i.id, { imageId: i.id, attributeType: 'launchPermission', launchPermission: permissionParameters(changes) });
  }
  return { return: true };
};

const copyImage: ActionHandler = (ctx) => {
  const { p, r, state } = ctx;
  const sourceRegion = p.req('SourceRegion');
  const source = findImage(ctx, p.req('SourceImageId'), sourceRegion);
  const name = p.req('Name');
  checkNewImageName(r, name);
  if (state.imageState(source, ctx.now) !== 'available') {
    throw errors.incorrectState(`Image '${source.id}' is not in the 'available' state; it cannot be copied.`);
  }
  const encrypt = p.bool('Encrypted') ?? false;
  const kmsKeyId = p.str('KmsKeyId');
  if (kmsKeyId && !encrypt) {
    throw new Ec2Error('InvalidParameterDependency', 'The parameter KmsKeyId requires the parameter Encrypted to be set.');
  }
  const imageTags = tagsFor(p, 'image', ['image', 'snapshot']);
  const snapshotTags = tagsFor(p, 'snapshot', ['image', 'snapshot']);
  const imageId = randomId('ami');
  const sourceSnapshots = state.region(sourceRegion).snapshots;
  const blockDevices = source.blockDevices.map((d): BlockDeviceRecord => {
    if (!d.snapshotId) return { ...d };
    const encrypted = (d.encrypted ?? false) || encrypt;
    const keepKey = d.encrypted && sourceRegion === ctx.region ? d.kmsKeyId : undefined;
    const key = encrypted ? (kmsKeyId ?? keepKey ?? state.defaultKmsKeyArn(ctx.region)) : undefined;
    const copy = state.addSnapshot(ctx.region, {
      volumeId: COPIED_VOLUME_ID,
      volumeSizeGiB: sourceSnapshots.get(d.snapshotId)?.volumeSizeGiB ?? d.volumeSizeGiB ?? 8,
      startTime: new Date(ctx.now),
      durationSeconds: state.timing.imageMs / 1000,
      description: `Copied for DestinationAmi ${imageId} from SourceAmi ${source.id} for SourceSnapshot ${d.snapshotId}. Task created on ${ctx.now}.`,
      encrypted,
      kmsKeyId: key,
      tags: snapshotTags,
      fullSizeBytes: sourceSnapshots.get(d.snapshotId)?.fullSizeBytes,
    });
    return { ...d, snapshotId: copy.id, encrypted, kmsKeyId: key };
  });
  const tags = p.bool('CopyImageTags') ? { ...source.tags } : {};
  mergeTags(tags, imageTags);
  state.addImage(ctx.region, {
    id: imageId,
    name,
    description: p.str('Description') ?? source.description,
    creationDate: new Date(ctx.now),
    state: 'pending',
    architecture: source.architecture,
    rootDeviceName: source.rootDeviceName,
    virtualizationType: source.virtualizationType,
    enaSupport: source.enaSupport,
    blockDevices,
    tags,
    sourceImageId: source.id,
    sourceImageRegion: sourceRegion,
  });
  return { imageId };
};

const deregisterImage: ActionHandler = (ctx) => {
  const { p, state } = ctx;
  const id = checkId(p.req('ImageId'), 'ami');
  const image = ctx.r.images.get(id);
  if (!image) throw errors.imageNotFound(id);
  if (image.ownerId !== state.accountId) {
    throw errors.unauthorized(state.accountId, 'DeregisterImage', `arn:aws:ec2:${ctx.region}::image/${id}`);
  }
  if (image.deregistrationProtection) {
    throw new Ec2Error('InvalidParameterValue', `The image ${id} has deregistration protection enabled. Disable it before deregistering the image.`);
  }
  state.retireImage(ctx.region, id, ctx.now);
  if (!p.bool('DeleteAssociatedSnapshots')) return { return: true };
  const results = image.blockDevices.flatMap((d) => {
    if (!d.snapshotId) return [];
    const snapshotId = d.snapshotId;
    // A snapshot another AMI still uses is kept, as EC2 does.
    let returnCode = 'success';
    if (!ctx.r.snapshots.get(snapshotId)) returnCode = 'client-error';
    else if (state.imagesUsingSnapshot(ctx.region, snapshotId).length) returnCode = 'skipped';
    else state.retireSnapshot(ctx.region, snapshotId, ctx.now);
    return [{ snapshotId, returnCode }];
  });
  return { return: true, deleteSnapshotResultSet: results };
};

const getImageBlockPublicAccessState: ActionHandler = (ctx) => ({
  imageBlockPublicAccessState: ctx.r.imageBlockPublicAccess,
  managedBy: 'account',
});

export const imageActions: Record<string, ActionHandler> = {
  DescribeImages: describeImages,
  CreateImage: createImage,
  RegisterImage: registerImage,
  DescribeImageAttribute: describeImageAttribute,
  ModifyImageAttribute: modifyImageAttribute,
  CopyImage: copyImage,
  DeregisterImage: deregisterImage,
  GetImageBlockPublicAccessState: getImageBlockPublicAccessState,
};
