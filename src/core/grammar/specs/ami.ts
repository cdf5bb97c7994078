// /ami: its forms, flags and how they become a Command.
import { type Command } from '../../commands.js';
import { bad } from '../lexer.js';
import {
  region,
  instanceType,
  subnet,
  keyPairName,
  architecture,
  amiName,
  description,
  reason,
  encryptedCopy,
  reasonFlag,
  snapshotId,
  imageId,
  instanceId,
} from '../checks.js';
import { opt, noArgs, str, type CommandSpec } from '../spec.js';

export const AMI: CommandSpec = {
  empty: { line: ['/ami', 'open a form: pick an instance, name the AMI'], command: { kind: 'ami.modal' } },
  idHint: {
    instance: (id) => `to make an AMI of it, /ami create ${id} <name>`,
    image: (id) => `to launch it, /ami launch ${id}`,
    snapshot: (id) => `to register an AMI from it, /ami from-snapshot ${id} <name>`,
  },
  subs: {
    create: {
      title: '/ami create',
      lines: [
        [
          '/ami create <i-id> <name> [--no-reboot | --reboot] [--description "…"]',
          'make an AMI of an instance; a running one is rebooted only once you say so (--reboot, or a click)',
        ],
      ],
      args: [
        { name: '<i-id>', check: instanceId },
        { name: '<name>', check: amiName, words: true },
      ],
      flags: { 'no-reboot': {}, reboot: {}, description: { value: '"…"', check: description, words: true } },
      build: ([instanceId, name], _, f) => {
        if (f['no-reboot'] === true && f.reboot === true) bad('--reboot and --no-reboot contradict each other: give one of them');
        return {
          kind: 'ami.create',
          instanceId,
          name,
          noReboot: f['no-reboot'] === true,
          reboot: f.reboot === true,
          ...opt('description', str(f, 'description')),
        };
      },
    },
    'from-snapshot': {
      title: '/ami from-snapshot',
      lines: [['/ami from-snapshot <snap-id> <name> [--arch x86_64|arm64]', 'register an AMI whose root is that snapshot']],
      args: [
        { name: '<snap-id>', check: snapshotId },
        { name: '<name>', check: amiName, words: true },
      ],
      flags: { arch: { value: 'x86_64|arm64', check: architecture } },
      build: ([snapshotId, name], _, f) => ({
        kind: 'ami.fromSnapshot',
        snapshotId,
        name,
        architecture: str(f, 'arch') === 'arm64' ? 'arm64' : 'x86_64',
      }),
    },
    list: {
      title: '/ami list',
      lines: [['/ami list', "the account's AMIs: age, last launched, sharing, snapshots, USD/month"]],
      build: noArgs({ kind: 'ami.list' }),
    },
    launch: {
      title: '/ami launch',
      lines: [['/ami launch <ami-id> [--type t3.micro] [--subnet subnet-…] [--key name]', 'launch an instance from an AMI']],
      args: [{ name: '<ami-id>', check: imageId }],
      flags: {
        type: { value: 't3.micro', check: instanceType },
        subnet: { value: 'subnet-…', check: subnet },
        key: { value: 'name', check: keyPairName },
      },
      build: ([imageId], _, f) => ({
        kind: 'ami.launch',
        imageId,
        instanceType: str(f, 'type') ?? 't3.micro',
        ...opt('subnetId', str(f, 'subnet')),
        ...opt('keyName', str(f, 'key')),
      }),
    },
    copy: {
      title: '/ami copy',
      lines: [['/ami copy <ami-id> --to-region R [--encrypt] [--kms-key K]', 'copy an AMI to another region']],
      args: [{ name: '<ami-id>', check: imageId }],
      flags: encryptedCopy,
      build: ([imageId], _, f) => ({
        kind: 'ami.copy',
        imageId,
        toRegion: str(f, 'to-region') ?? bad(`--to-region is required: where should ${imageId} be copied to? e.g. --to-region eu-west-1`, '--to-region'),
        encrypt: f.encrypt === true || f['kms-key'] !== undefined,
        ...opt('kmsKeyId', str(f, 'kms-key')),
      }),
    },
    deregister: {
      title: '/ami deregister',
      lines: [['/ami deregister <ami-id> [--delete-snapshots] [--reason "…"]', 'ask an approver to deregister an AMI']],
      args: [{ name: '<ami-id>', check: imageId }],
      flags: { 'delete-snapshots': {}, reason: reasonFlag },
      build: ([imageId], _, f) => ({
        kind: 'ami.deregister',
        imageId,
        deleteSnapshots: f['delete-snapshots'] === true,
        ...opt('reason', str(f, 'reason')),
      }),
    },
    undelete: {
      title: '/ami undelete',
      lines: [['/ami undelete <ami-id>', 'restore a deregistered AMI from the Recycle Bin']],
      args: [{ name: '<ami-id>', check: imageId }],
      build: ([imageId]) => ({ kind: 'ami.undelete', imageId }),
    },
    protect: {
      title: '/ami protect',
      lines: [['/ami protect <ami-id>', 'turn deregistration protection on, at once']],
      args: [{ name: '<ami-id>', check: imageId }],
      build: ([imageId]) => ({ kind: 'ami.protect', imageId }),
    },
    unprotect: {
      title: '/ami unprotect',
      lines: [['/ami unprotect <ami-id> [--reason "…"]', 'ask an approver to turn deregistration protection off']],
      args: [{ name: '<ami-id>', check: imageId }],
      flags: { reason: reasonFlag },
      build: ([imageId], _, f) => ({ kind: 'ami.unprotect', imageId, ...opt('reason', str(f, 'reason')) }),
    },
    help: {
      title: '/ami help',
      unscoped: true,
      lines: [['/ami help', 'this help']],
      build: noArgs({ kind: 'ami.help' }),
    },
  },
};
