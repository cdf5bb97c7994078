// /snapshot: its forms, flags and how they become a Command.
import { type Command, type Retention } from '../../commands.js';
import type { CleanupWhat } from '../../commands.js';
import { intendedKindOf } from '../../ids.js';
import { bad } from '../lexer.js';
import {
  resourceId,
  region,
  kmsKey,
  requestId,
  description,
  reason,
  wholeNumber,
  scheduleTarget,
  toScheduleTarget,
  every,
  timeOfDay,
  scheduleName,
  policyRef,
  expiresIn,
  encryptedCopy,
  reasonFlag,
  volumeId,
  snapshotId,
  instanceId,
  availabilityZone,
  cleanupWhat,
  olderThan,
} from '../checks.js';
import { opt, noArgs, numberFlag, str, type CommandSpec, type FlagValues } from '../spec.js';

export const SNAPSHOT: CommandSpec = {
  bare: {
    title: '/snapshot <vol-id>',
    lines: [
      [
        '/snapshot <vol-id> [--expires-in Nd] [description…]',
        'snapshot a volume now; the message shows progress; --expires-in asks for its deletion on that day',
      ],
    ],
    args: [{ name: '<vol-id>', check: volumeId }],
    optional: { name: '[description…]', check: description, rawRest: true },
    flags: { 'expires-in': { value: 'Nd', check: expiresIn, unit: /^d(?:ays?)?$/i } },
    build: ([volumeId], description, f) => ({
      kind: 'snapshot.create',
      volumeId,
      ...opt('description', description),
      ...opt('expiresInDays', numberFlag(f, 'expires-in')),
    }),
  },
  bareTakes: (word) => intendedKindOf(word) !== undefined,
  empty: { line: ['/snapshot', 'open a form: pick a volume, add a description'], command: { kind: 'snapshot.modal' } },
  subs: {
    instance: {
      title: '/snapshot instance',
      lines: [['/snapshot instance <i-id> [--exclude-boot]', "crash-consistent snapshots of all the instance's volumes"]],
      args: [{ name: '<i-id>', check: instanceId }],
      flags: { 'exclude-boot': {} },
      build: ([instanceId], _, f) => ({ kind: 'snapshot.instance', instanceId, excludeBoot: f['exclude-boot'] === true }),
    },
    list: {
      title: '/snapshot list',
      lines: [['/snapshot list [vol-id]', 'snapshots, newest first, with age, size, tier, USD/month and state']],
      optional: { name: '[vol-id]', check: volumeId },
      build: (_, volumeId) => ({ kind: 'snapshot.list', ...opt('volumeId', volumeId) }),
    },
    copy: {
      title: '/snapshot copy',
      lines: [
        ['/snapshot copy <snap-id> [--to-region R] [--encrypt] [--kms-key K]', 'copy (and encrypt) a snapshot, here or in another region'],
      ],
      args: [{ name: '<snap-id>', check: snapshotId }],
      flags: encryptedCopy,
      build: ([snapshotId], _, f) => ({
        kind: 'snapshot.copy',
        snapshotId,
        ...opt('toRegion', str(f, 'to-region')),
        encrypt: f.encrypt === true || f['kms-key'] !== undefined,
        ...opt('kmsKeyId', str(f, 'kms-key')),
      }),
    },
    delete: {
      title: '/snapshot delete',
      lines: [['/snapshot delete <snap-id> [--reason "…"]', 'ask an approver to delete a snapshot']],
      args: [{ name: '<snap-id>', check: snapshotId }],
      flags: { reason: reasonFlag },
      build: ([snapshotId], _, f) => ({ kind: 'snapshot.delete', snapshotId, ...opt('reason', str(f, 'reason')) }),
    },
    digest: {
      title: '/snapshot digest',
      lines: [['/snapshot digest', 'post the cost-cleanup digest to this channel now']],
      build: noArgs({ kind: 'snapshot.digest' }),
    },
    audit: {
      title: '/snapshot audit',
      unscoped: true,
      lines: [['/snapshot audit <snap-id|ami-id|vol-id>', 'what snapbot saw happen to a resource: requests, decisions, outcomes']],
      args: [
        {
          name: '<snap-id|ami-id|vol-id>',
          check: resourceId(['snapshot', 'image', 'volume'], {
            instance: () => 'the audit covers snapshots, AMIs and volumes',
          }),
        },
      ],
      build: ([resourceId]) => ({ kind: 'snapshot.audit', resourceId }),
    },
    encrypt: {
      title: '/snapshot encrypt',
      lines: [
        [
          '/snapshot encrypt <vol-id> [--kms-key K] [--replace]',
          'an encrypted copy of a volume in its zone (snapshot, then a volume created encrypted from it); --replace swaps it in on a stopped instance; no arguments opens a form',
        ],
      ],
      optional: { name: '<vol-id>', check: volumeId },
      flags: { 'kms-key': { value: 'K', check: kmsKey }, replace: {} },
      build: (_, volume, f) => {
        if (volume === undefined && f['kms-key'] === undefined && f.replace === undefined) return { kind: 'snapshot.encrypt.modal' };
        if (volume === undefined) bad('/snapshot encrypt needs the volume first: /snapshot encrypt vol-0abc1234def567890 [--kms-key K] [--replace]', '<vol-id>');
        return { kind: 'snapshot.encrypt', volumeId: volume, ...opt('kmsKeyId', str(f, 'kms-key')), replace: f.replace === true };
      },
    },
    withdraw: {
      title: '/snapshot withdraw',
      unscoped: true,
      lines: [['/snapshot withdraw <request-id>', 'withdraw your own pending approval request']],
      args: [{ name: '<request-id>', check: requestId }],
      build: ([requestId]) => ({ kind: 'snapshot.withdraw', requestId }),
    },
    schedule: {
      title: '/snapshot schedule',
      lines: [
        [
          '/snapshot schedule <vol-id|i-id|tag:Key=Value> --every <N>h [--at HH:MM] (--keep N | --keep-days N) [--copy-to R] [--name N]',
          'back up on a schedule with Data Lifecycle Manager (--at in UTC); no arguments opens a form',
        ],
        ['/snapshot schedule pause|resume <policy-id|name>', 'stop a schedule for a while (an approval request), or start it again'],
      ],
      optional: { name: '<vol-id|i-id|tag:Key=Value>', check: scheduleTarget },
      flags: {
        every: { value: '<N>h', check: every },
        at: { value: 'HH:MM', check: timeOfDay },
        keep: { value: 'N', check: wholeNumber('--keep', 1, 1000, ' snapshots (Data Lifecycle Manager keeps 1–1000)') },
        'keep-days': { value: 'N', check: wholeNumber('--keep-days', 1, 36500, ' days (up to 100 years)') },
        'copy-to': { value: 'R', check: region },
        name: { value: 'N', check: scheduleName },
        'create-anyway': {},
      },
      subs: {
        pause: {
          title: '/snapshot schedule pause',
          lines: [['/snapshot schedule pause <policy-id|name> [--reason "…"]', 'ask an approver to pause a schedule']],
          args: [{ name: '<policy-id|name>', check: policyRef }],
          flags: { reason: reasonFlag },
          build: ([policy], _, f) => ({ kind: 'snapshot.schedule.pause', policy, ...opt('reason', str(f, 'reason')) }),
        },
        resume: {
          title: '/snapshot schedule resume',
          lines: [['/snapshot schedule resume <policy-id|name>', 'start a paused schedule again']],
          args: [{ name: '<policy-id|name>', check: policyRef }],
          build: ([policy]) => ({ kind: 'snapshot.schedule.resume', policy }),
        },
      },
      build: schedule,
    },
    schedules: {
      title: '/snapshot schedules',
      lines: [['/snapshot schedules', "the region's lifecycle policies: targets, schedule, retention, state, next run"]],
      build: noArgs({ kind: 'snapshot.schedules' }),
    },
    unschedule: {
      title: '/snapshot unschedule',
      lines: [['/snapshot unschedule <policy-id|name> [--reason "…"]', 'ask an approver to remove a backup schedule']],
      args: [{ name: '<policy-id|name>', check: policyRef }],
      flags: { reason: reasonFlag },
      build: ([policy], _, f) => ({ kind: 'snapshot.unschedule', policy, ...opt('reason', str(f, 'reason')) }),
    },
    undelete: {
      title: '/snapshot undelete',
      lines: [['/snapshot undelete <snap-id>', 'restore a deleted snapshot from the Recycle Bin']],
      args: [{ name: '<snap-id>', check: snapshotId }],
      build: ([snapshotId]) => ({ kind: 'snapshot.undelete', snapshotId }),
    },
    'recycle-bin': {
      title: '/snapshot recycle-bin',
      lines: [['/snapshot recycle-bin', 'what the Recycle Bin holds, until when, and its retention rules']],
      build: noArgs({ kind: 'snapshot.recycleBin' }),
    },
    lock: {
      title: '/snapshot lock',
      lines: [
        [
          '/snapshot lock <snap-id> --days N [--compliance]',
          'lock a snapshot against deletion: governance mode at once; compliance mode (no one can undo it) after approval',
        ],
      ],
      args: [{ name: '<snap-id>', check: snapshotId }],
      flags: { days: { value: 'N', check: wholeNumber('--days', 1, 36500, ' days') }, compliance: {}, reason: reasonFlag },
      build: ([snapshotId], _, f) => ({
        kind: 'snapshot.lock',
        snapshotId,
        days: numberFlag(f, 'days') ?? bad(`--days is required: how long should ${snapshotId} stay locked? e.g. --days 30`, '--days'),
        compliance: f.compliance === true,
        ...opt('reason', str(f, 'reason')),
      }),
    },
    unlock: {
      title: '/snapshot unlock',
      lines: [['/snapshot unlock <snap-id> [--reason "…"]', 'ask an approver to remove a governance-mode lock']],
      args: [{ name: '<snap-id>', check: snapshotId }],
      flags: { reason: reasonFlag },
      build: ([snapshotId], _, f) => ({ kind: 'snapshot.unlock', snapshotId, ...opt('reason', str(f, 'reason')) }),
    },
    archive: {
      title: '/snapshot archive',
      lines: [['/snapshot archive <snap-id>', 'move a snapshot to the archive tier (75% cheaper; billed for at least 90 days)']],
      args: [{ name: '<snap-id>', check: snapshotId }],
      build: ([snapshotId]) => ({ kind: 'snapshot.archive', snapshotId }),
    },
    unarchive: {
      title: '/snapshot unarchive',
      lines: [['/snapshot unarchive <snap-id> [--days N]', 'restore an archived snapshot: permanently, or for N days']],
      args: [{ name: '<snap-id>', check: snapshotId }],
      flags: { days: { value: 'N', check: wholeNumber('--days', 1, 180, ' days') } },
      build: ([snapshotId], _, f) => ({ kind: 'snapshot.unarchive', snapshotId, ...opt('days', numberFlag(f, 'days')) }),
    },
    cost: {
      title: '/snapshot cost',
      lines: [['/snapshot cost <snap-id>', 'what deleting a snapshot really frees: the blocks no other snapshot shares, and their cost']],
      args: [{ name: '<snap-id>', check: snapshotId }],
      build: ([snapshotId]) => ({ kind: 'snapshot.cost', snapshotId }),
    },
    savings: {
      title: '/snapshot savings',
      unscoped: true,
      lines: [['/snapshot savings', 'what snapbot’s approved deletions, deregistrations and archive moves have freed, per month']],
      build: noArgs({ kind: 'snapshot.savings' }),
    },
    cleanup: {
      title: '/snapshot cleanup',
      lines: [
        [
          '/snapshot cleanup <superseded|orphaned|copies|amis|all> [--older-than Nd] [--reason "…"]',
          'one approval request to delete every cleanup candidate of that kind in the account and region',
        ],
      ],
      args: [{ name: '<superseded|orphaned|copies|amis|all>', check: cleanupWhat }],
      flags: { 'older-than': { value: 'Nd', check: olderThan, unit: /^d(?:ays?)?$/i }, reason: reasonFlag },
      build: ([what], _, f) => ({ kind: 'snapshot.cleanup', what: what as CleanupWhat, ...opt('olderThanDays', numberFlag(f, 'older-than')), ...opt('reason', str(f, 'reason')) }),
    },
    drill: {
      title: '/snapshot drill',
      lines: [
        [
          '/snapshot drill <vol-id|snap-id|i-id> [--az AZ]',
          'a restore drill: restore the newest snapshot to a new volume, time it, read blocks back and check their checksums, then delete the volume',
        ],
      ],
      args: [{ name: '<vol-id|snap-id|i-id>', check: resourceId(['volume', 'snapshot', 'instance'], { image: () => 'a drill restores volumes; drill the volume or snapshot behind the AMI' }) }],
      flags: { az: { value: 'AZ', check: availabilityZone } },
      build: ([target], _, f) => ({ kind: 'snapshot.drill', target, ...opt('availabilityZone', str(f, 'az')) }),
    },
    drills: {
      title: '/snapshot drills',
      lines: [['/snapshot drills [vol-id]', 'the latest restore drills: who ran them, the snapshot, time to available, blocks verified, passed or failed']],
      optional: { name: '[vol-id]', check: volumeId },
      build: (_, volumeId) => ({ kind: 'snapshot.drills', ...opt('volumeId', volumeId) }),
    },
    evidence: {
      title: '/snapshot evidence',
      lines: [['/snapshot evidence [--days N]', 'upload the backup evidence CSV: every volume’s recovery point and every drill of the last N days (default 90)']],
      flags: { days: { value: 'N', check: wholeNumber('--days', 1, 400, ' days (drills are kept 400 days)') } },
      build: (_, __, f) => ({ kind: 'snapshot.evidence', days: numberFlag(f, 'days') ?? 90 }),
    },
    help: {
      title: '/snapshot help',
      unscoped: true,
      lines: [['/snapshot help', 'this help']],
      build: noArgs({ kind: 'snapshot.help' }),
    },
  },
};

function schedule(_: string[], target: string | undefined, f: FlagValues): Command {
  if (target === undefined && Object.keys(f).length === 0) return { kind: 'snapshot.schedule.modal' };
  if (target === undefined) bad('/snapshot schedule needs a target first: a volume (vol-…), an instance (i-…) or tag:Key=Value', '<vol-id|i-id|tag:Key=Value>');
  const everyHours = numberFlag(f, 'every') ?? bad('--every is required: how often, e.g. --every 24h (1, 2, 3, 4, 6, 8, 12 or 24 hours)', '--every');
  const keep = numberFlag(f, 'keep');
  const keepDays = numberFlag(f, 'keep-days');
  if (keep !== undefined && keepDays !== undefined) bad('give --keep N (that many snapshots) or --keep-days N (that many days), not both', '--keep');
  if (keep === undefined && keepDays === undefined) bad('say how long to keep them: --keep N (the newest N snapshots) or --keep-days N', '--keep');
  const retention: Retention = keep !== undefined ? { count: keep } : { days: keepDays! };
  return {
    kind: 'snapshot.schedule',
    target: toScheduleTarget(target),
    everyHours,
    at: str(f, 'at') ?? '09:00',
    retention,
    ...opt('copyTo', str(f, 'copy-to')),
    ...opt('name', str(f, 'name')),
    ...(f['create-anyway'] === true ? { createAnyway: true } : {}),
  };
}
