// /restore: its forms, flags and how they become a Command.
import { type Command, type VolumeType } from '../../commands.js';
import { bad } from '../lexer.js';
import { region, availabilityZone, device, volumeType, wholeNumber, snapshotId, instanceId } from '../checks.js';
import { opt, numberFlag, str, type CommandSpec, type FlagValues } from '../spec.js';

export const RESTORE: CommandSpec = {
  bare: {
    title: '/restore',
    lines: [
      ['/restore <snap-id>', 'open a form: zone, volume type, size, IOPS/throughput, attach to an instance'],
      [
        '/restore <snap-id> --az <az> [--type gp3] [--size GiB] [--iops N] [--throughput MiBps] [--attach <i-id> --device /dev/sdf]',
        'create the volume (and attach it) directly',
      ],
    ],
    args: [{ name: '<snap-id>', check: snapshotId }],
    flags: {
      az: { value: '<az>', check: availabilityZone },
      type: { value: 'gp3', check: volumeType },
      size: { value: 'GiB', check: wholeNumber('--size', 1, 16384, ' GiB', /\s*gi?b?$/i) },
      iops: { value: 'N', check: wholeNumber('--iops', 0, 999_999_999) },
      throughput: { value: 'MiBps', check: wholeNumber('--throughput', 0, 999_999_999) },
      attach: { value: '<i-id>', check: instanceId },
      device: { value: '/dev/sdf', check: device },
    },
    build: restore,
  },
  bareTakes: () => true,
  subs: {},
};

function restore([snapshotId]: string[], _: string | undefined, f: FlagValues): Command {
  if (Object.keys(f).length === 0) return { kind: 'restore.modal', snapshotId };
  const availabilityZone =
    str(f, 'az') ??
    bad(`--az is required to create the volume directly, e.g. /restore ${snapshotId} --az us-east-1a (or give just the snapshot ID to open the form)`, '--az');
  const inRegion = str(f, 'region');
  if (inRegion !== undefined && !availabilityZone.startsWith(inRegion)) {
    bad(`--az ${availabilityZone} is not in --region ${inRegion}: pick a zone of ${inRegion}, e.g. ${inRegion}a`, '--az');
  }
  const volumeType = (str(f, 'type') ?? 'gp3') as VolumeType;
  const attach = str(f, 'attach');
  const device = str(f, 'device');
  if (attach !== undefined && device === undefined) bad(`--attach ${attach} needs --device too, e.g. --device /dev/sdf`, '--attach');
  if (device !== undefined && attach === undefined) bad(`--device ${device} needs --attach <i-id> too: which instance?`, '--device');

  const iops = numberFlag(f, 'iops');
  const iopsRange = IOPS_RANGE[volumeType];
  if (iops !== undefined && !iopsRange) bad(`--iops applies only to gp3, io1 and io2 volumes, not ${volumeType}`, '--iops');
  if (iops !== undefined && iopsRange && (iops < iopsRange[0] || iops > iopsRange[1])) {
    bad(`--iops ${iops} is out of range for ${volumeType}: ${iopsRange[0]}–${iopsRange[1]}`, '--iops');
  }
  if (iops === undefined && (volumeType === 'io1' || volumeType === 'io2')) {
    bad(`--iops is required for ${volumeType} volumes (${iopsRange![0]}–${iopsRange![1]})`, '--iops');
  }
  const throughput = numberFlag(f, 'throughput');
  if (throughput !== undefined && volumeType !== 'gp3') bad(`--throughput applies only to gp3 volumes, not ${volumeType}`, '--throughput');
  if (throughput !== undefined && (throughput < 125 || throughput > 2000)) {
    bad(`--throughput ${throughput} is out of range for gp3: 125–2000 MiB/s`, '--throughput');
  }
  return {
    kind: 'restore.create',
    snapshotId,
    availabilityZone,
    volumeType,
    ...opt('sizeGiB', numberFlag(f, 'size')),
    ...opt('iops', iops),
    ...opt('throughput', throughput),
    ...(attach !== undefined && device !== undefined ? { attach: { instanceId: attach, device } } : {}),
  };
}

const IOPS_RANGE: Partial<Record<VolumeType, [number, number]>> = {
  gp3: [3000, 80000],
  io1: [100, 64000],
  io2: [100, 256000],
};
