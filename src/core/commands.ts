// What the four slash commands can ask for, as typed values. src/core/grammar.ts turns text into these
// (or a UsageError); listeners dispatch on `kind`. The one-line forms mirror ../shared/CONTRACT.md.

export type SlashCommandName = '/snapshot' | '/restore' | '/ami' | '/share';

/** `--region` and `--account` as typed: where a command acts (resolved against the managed accounts later). */
export interface Where {
  region?: string;
  account?: string;
}

export type Command = CommandBody & { where?: Where };

type CommandBody =
  // /snapshot
  | { kind: 'snapshot.modal' }
  /** expiresInDays: tagged snapbot:expires, so its deletion is requested on that day. */
  | { kind: 'snapshot.create'; volumeId: string; description?: string; expiresInDays?: number }
  | { kind: 'snapshot.instance'; instanceId: string; excludeBoot: boolean }
  | { kind: 'snapshot.list'; volumeId?: string }
  | { kind: 'snapshot.copy'; snapshotId: string; toRegion?: string; encrypt: boolean; kmsKeyId?: string }
  | { kind: 'snapshot.delete'; snapshotId: string; reason?: string }
  | { kind: 'snapshot.digest' }
  | { kind: 'snapshot.audit'; resourceId: string }
  | { kind: 'snapshot.withdraw'; requestId: string }
  | { kind: 'snapshot.help' }
  // /snapshot — backup automation (Data Lifecycle Manager), Recycle Bin, locks, archive
  | { kind: 'snapshot.schedule.modal' }
  | ({ kind: 'snapshot.schedule' } & ScheduleSpec)
  | { kind: 'snapshot.schedule.pause'; policy: string; reason?: string }
  | { kind: 'snapshot.schedule.resume'; policy: string }
  | { kind: 'snapshot.schedules' }
  | { kind: 'snapshot.unschedule'; policy: string; reason?: string }
  | { kind: 'snapshot.undelete'; snapshotId: string }
  | { kind: 'snapshot.recycleBin' }
  | { kind: 'snapshot.lock'; snapshotId: string; days: number; compliance: boolean; reason?: string }
  | { kind: 'snapshot.unlock'; snapshotId: string; reason?: string }
  | { kind: 'snapshot.archive'; snapshotId: string }
  | { kind: 'snapshot.unarchive'; snapshotId: string; days?: number }
  | { kind: 'snapshot.cost'; snapshotId: string }
  | { kind: 'snapshot.savings' }
  /** A restore drill: the volume's newest completed snapshot (or that snapshot; or each volume of the instance). */
  | { kind: 'snapshot.drill'; target: string; availabilityZone?: string }
  | { kind: 'snapshot.drills'; volumeId?: string }
  | { kind: 'snapshot.evidence'; days: number }
  /** One approval request for every cleanup candidate of a kind in the account and region (core/cleanup.ts). */
  | { kind: 'snapshot.cleanup'; what: CleanupWhat; olderThanDays?: number; reason?: string }
  /** An encrypted copy of the volume (snapshot → new encrypted volume); `replace` swaps it in on a stopped instance. */
  | { kind: 'snapshot.encrypt'; volumeId: string; kmsKeyId?: string; replace: boolean }
  | { kind: 'snapshot.encrypt.modal'; volumeId?: string }
  // /restore
  | { kind: 'restore.modal'; snapshotId: string }
  | {
      kind: 'restore.create';
      snapshotId: string;
      availabilityZone: string;
      volumeType: VolumeType;
      sizeGiB?: number;
      iops?: number;
      throughput?: number;
      attach?: { instanceId: string; device: string };
    }
  // /ami
  | { kind: 'ami.modal' }
  /** noReboot and reboot are never both true; neither: a running instance is asked about first. */
  | { kind: 'ami.create'; instanceId: string; name: string; noReboot: boolean; reboot: boolean; description?: string }
  | { kind: 'ami.fromSnapshot'; snapshotId: string; name: string; architecture: 'x86_64' | 'arm64' }
  | { kind: 'ami.list' }
  | { kind: 'ami.launch'; imageId: string; instanceType: string; subnetId?: string; keyName?: string }
  | { kind: 'ami.copy'; imageId: string; toRegion: string; encrypt: boolean; kmsKeyId?: string }
  | { kind: 'ami.deregister'; imageId: string; deleteSnapshots: boolean; reason?: string }
  | { kind: 'ami.undelete'; imageId: string }
  | { kind: 'ami.protect'; imageId: string }
  | { kind: 'ami.unprotect'; imageId: string; reason?: string }
  | { kind: 'ami.help' }
  // /share
  | { kind: 'share.modal'; resourceId: string }
  | { kind: 'share.add'; resourceId: string; target: ShareTarget; reason?: string }
  | { kind: 'share.revoke'; resourceId: string; target: ShareTarget };

export type CommandKind = Command['kind'];
export type CommandOf<K extends CommandKind> = Extract<Command, { kind: K }>;

/** What a lifecycle policy snapshots: one volume or instance (snapbot tags it), or every volume with a tag. */
export type ScheduleTarget =
  | { type: 'volume'; volumeId: string }
  | { type: 'instance'; instanceId: string }
  | { type: 'tag'; key: string; value: string };

/** Keep that many snapshots, or each for that many days. */
export type Retention = { count: number } | { days: number };

/** `/snapshot schedule <target> --every Nh [--at HH:MM] (--keep N | --keep-days N) [--copy-to R] [--name N]` */
export interface ScheduleSpec {
  target: ScheduleTarget;
  everyHours: number;
  /** HH:MM, UTC, as DLM runs it. */
  at: string;
  retention: Retention;
  copyTo?: string;
  name?: string;
  /** A tag target that matches no volume yet: create the policy anyway (the person said so). */
  createAnyway?: boolean;
}

/** The intervals DLM supports, in hours. */
export const SCHEDULE_INTERVALS = [1, 2, 3, 4, 6, 8, 12, 24] as const;

/** An account ID (12 digits) or everyone. */
export type ShareTarget = { type: 'account'; accountId: string } | { type: 'public' };

export const VOLUME_TYPES = ['gp3', 'gp2', 'io1', 'io2', 'st1', 'sc1', 'standard'] as const;
export type VolumeType = (typeof VOLUME_TYPES)[number];

/** Bad input: what was wrong, and the usage lines of the command it was meant for. */
export class UsageError extends Error {
  constructor(
    readonly problem: string,
    readonly usage: string,
    /** The flag (`--every`) or argument (`<vol-id>`) the problem is about, when it is about one. */
    readonly about?: string,
    /** What to show with the problem: the usage of the form that was being read (the whole command's when none was). */
    readonly formUsage: string = usage,
  ) {
    super(`${problem}\n${usage}`);
    this.name = 'UsageError';
  }
}

/** The kinds of batch cleanup (their rules: src/core/cleanup.ts CLEANUP_KINDS). */
export type CleanupKind = 'superseded' | 'orphaned' | 'copies' | 'amis';
export type CleanupWhat = CleanupKind | 'all';
