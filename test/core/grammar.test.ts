import { describe, expect, it } from 'vitest';
import { type Command, type SlashCommandName, UsageError } from '../../src/core/commands.js';
import { USAGE, helpText, parseCommand } from '../../src/core/grammar/index.js';
import { ID_PATTERNS, resourceKindOf } from '../../src/core/ids.js';

const V = 'vol-0abc1234def567890';
const V8 = 'vol-0abc1234';
const S = 'snap-0123456789abcdef0';
const S8 = 'snap-89abcdef';
const A = 'ami-0abc1234def567890';
const I = 'i-0abc1234def567890';
const I8 = 'i-1234abcd';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-east-1:123456789012:key/${KEY_ID}`;

function usageErrorOf(command: SlashCommandName, text: string): UsageError {
  try {
    const result = parseCommand(command, text);
    throw new Error(`expected a UsageError, got ${JSON.stringify(result)}`);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return e;
  }
}

type Valid = [text: string, expected: Command];
type Invalid = [text: string, mentions: string[]];

function validCases(command: SlashCommandName, cases: Valid[]) {
  it.each(cases)(`${command} %j`, (text, expected) => {
    expect(parseCommand(command, text)).toStrictEqual(expected);
  });
}

function invalidCases(command: SlashCommandName, cases: Invalid[]) {
  it.each(cases)(`${command} %j is refused`, (text, mentions) => {
    const error = usageErrorOf(command, text);
    for (const m of mentions) expect(error.problem).toContain(m);
    expect(error.usage).toBe(USAGE[command]);
    expect(error.message).toContain(USAGE[command]);
  });
}

describe('/snapshot', () => {
  validCases('/snapshot', [
    ['', { kind: 'snapshot.modal' }],
    ['   ', { kind: 'snapshot.modal' }],
    [V, { kind: 'snapshot.create', volumeId: V }],
    [`  ${V8}  `, { kind: 'snapshot.create', volumeId: V8 }],
    [`${V} nightly before upgrade`, { kind: 'snapshot.create', volumeId: V, description: 'nightly before upgrade' }],
    [`${V} --expires-in 7d before the upgrade`, { kind: 'snapshot.create', volumeId: V, description: 'before the upgrade', expiresInDays: 7 }],
    [`${V} --expires-in=30`, { kind: 'snapshot.create', volumeId: V, expiresInDays: 30 }],
    [`${V} --expires-in 7 days before the upgrade`, { kind: 'snapshot.create', volumeId: V, expiresInDays: 7, description: 'before the upgrade' }],
    [`${V} --expires-in 1 day`, { kind: 'snapshot.create', volumeId: V, expiresInDays: 1 }],
    [`${V} --expires-in 30 "days of testing"`, { kind: 'snapshot.create', volumeId: V, expiresInDays: 30, description: 'days of testing' }],
    [`${V} "--expires-in is just words here"`, { kind: 'snapshot.create', volumeId: V, description: '--expires-in is just words here' }],
    ['schedule', { kind: 'snapshot.schedule.modal' }],
    [
      `schedule ${V} --every 24h --keep 7`,
      { kind: 'snapshot.schedule', target: { type: 'volume', volumeId: V }, everyHours: 24, at: '09:00', retention: { count: 7 } },
    ],
    [
      `schedule ${I} --every 12 --at 3:30 --keep-days 30 --copy-to eu-west-1 --name web.half-daily`,
      {
        kind: 'snapshot.schedule',
        target: { type: 'instance', instanceId: I },
        everyHours: 12,
        at: '03:30',
        retention: { days: 30 },
        copyTo: 'eu-west-1',
        name: 'web.half-daily',
      },
    ],
    [
      'schedule tag:Backup=daily=yes --every 1h --keep 1000 --create-anyway',
      { kind: 'snapshot.schedule', target: { type: 'tag', key: 'Backup', value: 'daily=yes' }, everyHours: 1, at: '09:00', retention: { count: 1000 }, createAnyway: true },
    ],
    ['schedule pause web-daily --reason moving to AWS Backup', { kind: 'snapshot.schedule.pause', policy: 'web-daily', reason: 'moving to AWS Backup' }],
    ['schedule resume POLICY-0123456789abcdef0', { kind: 'snapshot.schedule.resume', policy: 'policy-0123456789abcdef0' }],
    ['schedules', { kind: 'snapshot.schedules' }],
    ['unschedule web-daily', { kind: 'snapshot.unschedule', policy: 'web-daily' }],
    [`undelete ${S}`, { kind: 'snapshot.undelete', snapshotId: S }],
    ['recycle-bin', { kind: 'snapshot.recycleBin' }],
    [`lock ${S} --days 30`, { kind: 'snapshot.lock', snapshotId: S, days: 30, compliance: false }],
    [`lock ${S} --days 365 --compliance --reason legal hold`, { kind: 'snapshot.lock', snapshotId: S, days: 365, compliance: true, reason: 'legal hold' }],
    [`unlock ${S}`, { kind: 'snapshot.unlock', snapshotId: S }],
    [`archive ${S}`, { kind: 'snapshot.archive', snapshotId: S }],
    [`unarchive ${S}`, { kind: 'snapshot.unarchive', snapshotId: S }],
    [`unarchive ${S} --days 7`, { kind: 'snapshot.unarchive', snapshotId: S, days: 7 }],
    [`${V}   two    spaces `, { kind: 'snapshot.create', volumeId: V, description: 'two spaces' }],
    [`${V} "quoted, with  comma"`, { kind: 'snapshot.create', volumeId: V, description: 'quoted, with  comma' }],
    [`${V} \u201csmart quoted\u201d`, { kind: 'snapshot.create', volumeId: V, description: 'smart quoted' }],
    [`${V} \u2018single smart\u2019`, { kind: 'snapshot.create', volumeId: V, description: 'single smart' }],
    [`${V} 'single straight'`, { kind: 'snapshot.create', volumeId: V, description: 'single straight' }],
    [`${V} Bob's backup`, { kind: 'snapshot.create', volumeId: V, description: "Bob's backup" }],
    [`${V} Bob's "big" one`, { kind: 'snapshot.create', volumeId: V, description: 'Bob\'s "big" one' }],
    [`${V} "a" and "b"`, { kind: 'snapshot.create', volumeId: V, description: '"a" and "b"' }],
    [`${V} "--not a flag"`, { kind: 'snapshot.create', volumeId: V, description: '--not a flag' }],
    [`${V} ""`, { kind: 'snapshot.create', volumeId: V }],
    [`${V} fix &amp; deploy &lt;v2&gt;`, { kind: 'snapshot.create', volumeId: V, description: 'fix & deploy <v2>' }],
    [`${V} see <http://example.com|example.com>`, { kind: 'snapshot.create', volumeId: V, description: 'see example.com' }],
    [`${V} mail <mailto:ops@example.com|ops@example.com>`, { kind: 'snapshot.create', volumeId: V, description: 'mail ops@example.com' }],
    [`${V8}\tnightly\nrun\u0007`, { kind: 'snapshot.create', volumeId: V8, description: 'nightly run' }],
    [`${V}\u00a0nbsp\u200b`, { kind: 'snapshot.create', volumeId: V, description: 'nbsp' }],
    [`${V} ${'x'.repeat(255)}`, { kind: 'snapshot.create', volumeId: V, description: 'x'.repeat(255) }],
    ['list', { kind: 'snapshot.list' }],
    ['LIST', { kind: 'snapshot.list' }],
    [`list ${V8}`, { kind: 'snapshot.list', volumeId: V8 }],
    [`instance ${I}`, { kind: 'snapshot.instance', instanceId: I, excludeBoot: false }],
    [`instance ${I8} --exclude-boot`, { kind: 'snapshot.instance', instanceId: I8, excludeBoot: true }],
    [`instance ${I8} --EXCLUDE-BOOT`, { kind: 'snapshot.instance', instanceId: I8, excludeBoot: true }],
    [`copy ${S}`, { kind: 'snapshot.copy', snapshotId: S, encrypt: false }],
    [`copy ${S} --to-region eu-west-2 --encrypt`, { kind: 'snapshot.copy', snapshotId: S, toRegion: 'eu-west-2', encrypt: true }],
    [`copy ${S} --encrypt --to-region=US-GOV-WEST-1`, { kind: 'snapshot.copy', snapshotId: S, toRegion: 'us-gov-west-1', encrypt: true }],
    [`copy ${S} \u2014to-region ap-southeast-1`, { kind: 'snapshot.copy', snapshotId: S, toRegion: 'ap-southeast-1', encrypt: false }],
    [`copy ${S} --kms-key alias/backup`, { kind: 'snapshot.copy', snapshotId: S, encrypt: true, kmsKeyId: 'alias/backup' }],
    [`copy ${S} --kms-key=${KEY_ARN}`, { kind: 'snapshot.copy', snapshotId: S, encrypt: true, kmsKeyId: KEY_ARN }],
    [`copy ${S8} --kms-key ${KEY_ID} --encrypt`, { kind: 'snapshot.copy', snapshotId: S8, encrypt: true, kmsKeyId: KEY_ID }],
    [`delete ${S}`, { kind: 'snapshot.delete', snapshotId: S }],
    [`delete ${S} --reason "old build, not needed"`, { kind: 'snapshot.delete', snapshotId: S, reason: 'old build, not needed' }],
    [`delete ${S} --reason old build, not needed`, { kind: 'snapshot.delete', snapshotId: S, reason: 'old build, not needed' }],
    [`delete ${S} --reason=\u201cold build\u201d`, { kind: 'snapshot.delete', snapshotId: S, reason: 'old build' }],
    [`delete ${S} --reason \u2018don't need it\u2019`, { kind: 'snapshot.delete', snapshotId: S, reason: "don't need it" }],
    [`delete ${S} --reason ${'r'.repeat(500)}`, { kind: 'snapshot.delete', snapshotId: S, reason: 'r'.repeat(500) }],
    ['digest', { kind: 'snapshot.digest' }],
    [`audit ${S}`, { kind: 'snapshot.audit', resourceId: S }],
    [`audit ${A}`, { kind: 'snapshot.audit', resourceId: A }],
    [`audit ${V8}`, { kind: 'snapshot.audit', resourceId: V8 }],
    ['help', { kind: 'snapshot.help' }],
    ['--help', { kind: 'snapshot.help' }],
    ['help me please', { kind: 'snapshot.help' }],
    ['withdraw 01JB2Z3K4M5N6P7Q8R9S0T1V2W', { kind: 'snapshot.withdraw', requestId: '01JB2Z3K4M5N6P7Q8R9S0T1V2W' }],
    ['withdraw `01jb2z3k4m5n6p7q8r9s0t1v2w`', { kind: 'snapshot.withdraw', requestId: '01JB2Z3K4M5N6P7Q8R9S0T1V2W' }],
  ]);

  invalidCases('/snapshot', [
    ['vol-123', ['"vol-123" is not a volume ID', 'vol- followed by 8 or 17 hex digits', 'vol-0abc1234def567890']],
    ['vol-0ABC1234', ['"vol-0ABC1234"', 'lowercase', 'try vol-0abc1234']],
    ['VOL-0abc1234def567890 x', ['"VOL-0abc1234def567890"', 'lowercase', `try ${V}`]],
    ['vol-0abc1234def56789', ['"vol-0abc1234def56789"', '8 or 17 hex digits']],
    ['vol-0abc123g', ['"vol-0abc123g"']],
    ['vol-', ['"vol-"', 'not a volume ID']],
    [S, [`"${S}" is a snapshot ID, not a volume ID`, `/snapshot copy ${S}`]],
    [I, [`"${I}" is an instance ID`, `/snapshot instance ${I}`]],
    [A, [`"${A}" is an AMI ID`]],
    ['frobnicate', ['unknown subcommand "frobnicate"', 'instance, list, copy, delete, digest, audit, encrypt, withdraw, schedule, schedules, unschedule, undelete, recycle-bin, lock, unlock, archive, unarchive, cost, savings, cleanup, drill, drills, evidence or help']],
    ['lsit', ['unknown subcommand "lsit"', 'did you mean list?']],
    ['"list"', ['unknown subcommand "list"']],
    [`${V} --description foo`, ['takes only --expires-in before the description', 'quote it']],
    [`${V} --expires-in 0d`, ['--expires-in must be a whole number from 1 to 365 days', '"0d"']],
    [`${V} --expires-in 400d`, ['--expires-in must be a whole number from 1 to 365', '"400d"']],
    [`${V} --expires-in soon`, ['"soon"']],
    ['schedule --every 24h --keep 7', ['needs a target first']],
    [`schedule ${V} --keep 7`, ['--every is required', '1, 2, 3, 4, 6, 8, 12 or 24']],
    [`schedule ${V} --every 5h --keep 7`, ['"5h" is not an interval', '1h, 2h, 3h, 4h, 6h, 8h, 12h, 24h']],
    [`schedule ${V} --every 24h`, ['--keep N', '--keep-days N']],
    [`schedule ${V} --every 24h --keep 7 --keep-days 7`, ['not both']],
    [`schedule ${V} --every 24h --keep 0`, ['--keep must be a whole number from 1 to 1000']],
    [`schedule ${V} --every 24h --keep 1001`, ['1 to 1000']],
    [`schedule ${V} --every 24h --keep-days 36501`, ['1 to 36500', '100 years']],
    [`schedule ${V} --every 24h --keep 7 --at 25:00`, ['"25:00" is not a time of day', 'UTC']],
    [`schedule ${V} --every 24h --keep 7 --copy-to mars`, ['"mars" is not a region']],
    [`schedule ${V} --every 24h --keep 7 --name "my schedule"`, ['"my schedule" is not a schedule name']],
    [`schedule ${S} --every 24h --keep 7`, ['is a snapshot ID', 'tag:Key=Value']],
    ['schedule tag:Backup --every 24h --keep 7', ['"tag:Backup" is not a tag target', 'tag:Key=Value']],
    ['schedule tag:aws:x=y --every 24h --keep 7', ['aws: belong to AWS']],
    ['schedule pause', ['/snapshot schedule pause needs <policy-id|name>']],
    ['unschedule "a b"', ['is not a schedule']],
    ['undelete', ['needs <snap-id>']],
    [`undelete ${A}`, ['is an AMI ID, not a snapshot ID']],
    [`lock ${S}`, ['--days is required']],
    [`lock ${S} --days 0`, ['--days must be a whole number from 1 to 36500']],
    [`unarchive ${S} --days 181`, ['1 to 180']],
    [`${V} ${'x'.repeat(256)}`, ['256 characters', '255']],
    [`${V} "unterminated`, ['unterminated quote']],
    ['list vol-12', ['"vol-12"', 'not a volume ID']],
    [`list ${V} extra`, ['unexpected "extra"']],
    ['list --all', ['--all', 'takes no flags']],
    ['instance', ['/snapshot instance needs <i-id>']],
    ['instance --exclude-boot', ['needs <i-id>']],
    [`instance ${V}`, [`"${V}" is a volume ID, not an instance ID`]],
    [`instance ${I} --exclude-boot --exclude-boot`, ['--exclude-boot is given twice']],
    [`instance ${I} --exclude-boot=yes`, ['--exclude-boot takes no value', '"yes"']],
    [`instance ${I} -exclude-boot`, ['"-exclude-boot"', 'two dashes']],
    ['copy', ['needs <snap-id>']],
    [`copy ${S} --to-region`, ['--to-region needs a value']],
    [`copy ${S} --to-region --encrypt`, ['--to-region needs a value']],
    [`copy ${S} --to-region=`, ['--to-region needs a value']],
    [`copy ${S} --to-region us-esat-1`, ['"us-esat-1" is not a region', 'us-east-1']],
    [`copy ${S} --to-region us-east-1a`, ['"us-east-1a" is an availability zone', 'us-east-1']],
    [`copy ${S} --kms-key mykey`, ['"mykey" is not a KMS key', 'alias/name']],
    [`copy ${S} --encrpyt`, ['unknown flag --encrpyt', 'did you mean --encrypt?', '--to-region, --encrypt, --kms-key']],
    [`copy ${S} --force`, ['unknown flag --force', '--to-region, --encrypt, --kms-key']],
    [`copy ${S} --encrypt --encrypt`, ['--encrypt is given twice']],
    [`copy ${S} eu-west-1`, ['unexpected "eu-west-1"', '--flag']],
    [`copy SNAP-0123456789ABCDEF0`, ['"SNAP-0123456789ABCDEF0"', 'lowercase', `try ${S}`]],
    [`delete ${S} --reason "unterminated`, ['unterminated quote']],
    [`delete ${S} --reason \u201cunterminated`, ['unterminated quote']],
    [`delete ${S} --reason ""`, ['--reason needs a value']],
    [`delete ${S} --reason`, ['--reason needs a value']],
    [`delete ${S} --reason ${'r'.repeat(501)}`, ['501 characters', '500']],
    [`delete ${A}`, [`"${A}" is an AMI ID, not a snapshot ID`]],
    ['digest now', ['unexpected "now"']],
    [`audit ${I}`, [`"${I}" is an instance ID, not a snapshot, AMI or volume ID`]],
    ['audit', ['needs <snap-id|ami-id|vol-id>']],
    ['audit subnet-0abc1234', ['"subnet-0abc1234" is not a snapshot, AMI or volume ID']],
    ['x'.repeat(3001), ['too long', '3001']],
    [`${V} ${'y'.repeat(2990)}`, ['too long']],
  ]);
});

describe('/restore', () => {
  const base = { kind: 'restore.create', snapshotId: S, availabilityZone: 'us-east-1a', volumeType: 'gp3' } as const;
  validCases('/restore', [
    [S, { kind: 'restore.modal', snapshotId: S }],
    [` ${S8} `, { kind: 'restore.modal', snapshotId: S8 }],
    [`${S} --az us-east-1a`, base],
    [`${S} --az=US-EAST-1A`, base],
    [
      `${S} --az eu-west-2b --type gp3 --size 100 --iops 6000 --throughput 250 --attach ${I} --device /dev/sdf`,
      {
        ...base,
        availabilityZone: 'eu-west-2b',
        sizeGiB: 100,
        iops: 6000,
        throughput: 250,
        attach: { instanceId: I, device: '/dev/sdf' },
      },
    ],
    [
      `${S} --device /dev/xvdg --attach ${I8} --az us-west-2-lax-1a`,
      { ...base, availabilityZone: 'us-west-2-lax-1a', attach: { instanceId: I8, device: '/dev/xvdg' } },
    ],
    [`${S} --az us-east-1a --device sdh --attach ${I8}`, { ...base, attach: { instanceId: I8, device: '/dev/sdh' } }],
    [`${S} --az us-east-1a --type IO2 --iops 256000 --size 500GiB`, { ...base, volumeType: 'io2', iops: 256000, sizeGiB: 500 }],
    [`${S} --az us-east-1a --type io1 --iops 100`, { ...base, volumeType: 'io1', iops: 100 }],
    [`${S} --az us-east-1a --type st1 --size 125`, { ...base, volumeType: 'st1', sizeGiB: 125 }],
    [`${S} --az us-east-1a --size 1`, { ...base, sizeGiB: 1 }],
    [`${S} --az us-east-1a --size 16384`, { ...base, sizeGiB: 16384 }],
    [`${S} --az us-east-1a --iops 3000 --throughput 125`, { ...base, iops: 3000, throughput: 125 }],
    [`${S} --az us-east-1a --iops 80000 --throughput 2000`, { ...base, iops: 80000, throughput: 2000 }],
    [`${S} --az ap-southeast-1c --type standard`, { ...base, availabilityZone: 'ap-southeast-1c', volumeType: 'standard' }],
  ]);

  invalidCases('/restore', [
    ['', ['/restore needs <snap-id>']],
    [V, [`"${V}" is a volume ID, not a snapshot ID`]],
    ['snap-12', ['"snap-12" is not a snapshot ID', 'snap- followed by 8 or 17 hex digits']],
    ['help', ['/restore']],
    [`${S} --size 10`, ['--az is required']],
    [`${S} --attach ${I} --device /dev/sdf`, ['--az is required']],
    [`${S} --az`, ['--az needs a value']],
    [`${S} --az us-east-1`, ['"us-east-1" is a region', 'us-east-1a']],
    [`${S} --az use1-az1`, ['"use1-az1" is a zone ID', 'zone name']],
    [`${S} --az mars-north-1a`, ['"mars-north-1a" is not an availability zone']],
    [`${S} --az us-east-1a --type gp4`, ['"gp4" is not a volume type', 'gp3, gp2, io1, io2, st1, sc1, standard']],
    [`${S} --az us-east-1a --size 0`, ['--size', '1 to 16384', '"0"']],
    [`${S} --az us-east-1a --size 16385`, ['"16385"']],
    [`${S} --az us-east-1a --size 1.5`, ['"1.5"', 'whole number']],
    [`${S} --az us-east-1a --size -5`, ['"-5"']],
    [`${S} --az us-east-1a --size big`, ['"big"']],
    [`${S} --az us-east-1a --type gp2 --iops 3000`, ['--iops applies only to gp3, io1 and io2', 'gp2']],
    [`${S} --az us-east-1a --iops 2000`, ['--iops 2000', '3000–80000']],
    [`${S} --az us-east-1a --iops 80001`, ['--iops 80001']],
    [`${S} --az us-east-1a --type io1 --iops 64001`, ['--iops 64001', '100–64000']],
    [`${S} --az us-east-1a --type io2 --iops 256001`, ['100–256000']],
    [`${S} --az us-east-1a --type io2`, ['--iops is required for io2']],
    [`${S} --az us-east-1a --throughput 100`, ['--throughput 100', '125–2000']],
    [`${S} --az us-east-1a --throughput 2001`, ['--throughput 2001']],
    [`${S} --az us-east-1a --type io2 --iops 1000 --throughput 500`, ['--throughput applies only to gp3', 'io2']],
    [`${S} --az us-east-1a --attach ${I}`, ['--attach', 'needs --device']],
    [`${S} --az us-east-1a --device /dev/sdf`, ['--device', 'needs --attach']],
    [`${S} --az us-east-1a --attach ${I} --device /dev/sda1`, ['"/dev/sda1" is not a device name', '/dev/sdf']],
    [`${S} --az us-east-1a --attach ${V} --device /dev/sdf`, [`"${V}" is a volume ID, not an instance ID`]],
    [`${S} --az us-east-1a --az us-east-1b`, ['--az is given twice']],
    [`${S} us-east-1a`, ['unexpected "us-east-1a"']],
    [`${S} --zone us-east-1a`, ['unknown flag --zone', '--az, --type, --size, --iops, --throughput, --attach, --device']],
  ]);
});

describe('/ami', () => {
  validCases('/ami', [
    [`undelete ${A}`, { kind: 'ami.undelete', imageId: A }],
    [`protect ${A}`, { kind: 'ami.protect', imageId: A }],
    [`unprotect ${A} --reason retiring it`, { kind: 'ami.unprotect', imageId: A, reason: 'retiring it' }],
    ['', { kind: 'ami.modal' }],
    [`create ${I} web`, { kind: 'ami.create', instanceId: I, name: 'web', noReboot: false, reboot: false }],
    [`create ${I} my web server --no-reboot`, { kind: 'ami.create', instanceId: I, name: 'my web server', noReboot: true, reboot: false }],
    [
      `create ${I8} "web (v1.2) [prod]/x-y'z@_" --description "nightly, from CI" --no-reboot`,
      { kind: 'ami.create', instanceId: I8, name: "web (v1.2) [prod]/x-y'z@_", noReboot: true, reboot: false, description: 'nightly, from CI' },
    ],
    [`create ${I} Bob's image`, { kind: 'ami.create', instanceId: I, name: "Bob's image", noReboot: false, reboot: false }],
    [
      `create ${I} <http://build.example.com|build.example.com>`,
      { kind: 'ami.create', instanceId: I, name: 'build.example.com', noReboot: false, reboot: false },
    ],
    [`create ${I} ${'n'.repeat(128)}`, { kind: 'ami.create', instanceId: I, name: 'n'.repeat(128), noReboot: false, reboot: false }],
    [`create ${I} web --reboot`, { kind: 'ami.create', instanceId: I, name: 'web', noReboot: false, reboot: true }],
    [`from-snapshot ${S} root-2024`, { kind: 'ami.fromSnapshot', snapshotId: S, name: 'root-2024', architecture: 'x86_64' }],
    [`from-snapshot ${S} root --arch arm64`, { kind: 'ami.fromSnapshot', snapshotId: S, name: 'root', architecture: 'arm64' }],
    [`from-snapshot ${S} root --arch=ARM64`, { kind: 'ami.fromSnapshot', snapshotId: S, name: 'root', architecture: 'arm64' }],
    [`FROM-SNAPSHOT ${S8} root --arch aarch64`, { kind: 'ami.fromSnapshot', snapshotId: S8, name: 'root', architecture: 'arm64' }],
    ['list', { kind: 'ami.list' }],
    ['help', { kind: 'ami.help' }],
    [`launch ${A}`, { kind: 'ami.launch', imageId: A, instanceType: 't3.micro' }],
    [
      `launch ${A} --type m7g.2xlarge --subnet subnet-0abc1234 --key "my key"`,
      { kind: 'ami.launch', imageId: A, instanceType: 'm7g.2xlarge', subnetId: 'subnet-0abc1234', keyName: 'my key' },
    ],
    [`launch ${A} --type=C7GN.METAL`, { kind: 'ami.launch', imageId: A, instanceType: 'c7gn.metal' }],
    [`copy ${A} --to-region eu-west-1`, { kind: 'ami.copy', imageId: A, toRegion: 'eu-west-1', encrypt: false }],
    [`copy ${A} --to-region eu-west-1 --encrypt`, { kind: 'ami.copy', imageId: A, toRegion: 'eu-west-1', encrypt: true }],
    [
      `copy ${A} --kms-key ${KEY_ID} --to-region eu-central-2`,
      { kind: 'ami.copy', imageId: A, toRegion: 'eu-central-2', encrypt: true, kmsKeyId: KEY_ID },
    ],
    [`deregister ${A}`, { kind: 'ami.deregister', imageId: A, deleteSnapshots: false }],
    [
      `deregister ${A} --delete-snapshots --reason unused since 2023`,
      { kind: 'ami.deregister', imageId: A, deleteSnapshots: true, reason: 'unused since 2023' },
    ],
  ]);

  invalidCases('/ami', [
    ['create', ['/ami create needs <i-id>']],
    [`create ${I}`, ['/ami create needs <name>']],
    [`create ${I} --no-reboot`, ['needs <name>']],
    [`create ${A} web`, [`"${A}" is an AMI ID, not an instance ID`]],
    [`create ${I} ab`, ['"ab"', '3–128 characters']],
    [`create ${I} a*b?c`, ['"a*b?c"', '"*"', '"?"', "letters, digits, spaces and ( ) [ ] . / - ' @ _"]],
    [`create ${I} ${'n'.repeat(129)}`, ['129 characters']],
    [`create ${I} web --no-reboot --no-reboot`, ['--no-reboot is given twice']],
    [`create ${I} web --description ${'d'.repeat(256)}`, ['256 characters', '255']],
    [`create ${I} web --reboot --no-reboot`, ['--reboot and --no-reboot contradict each other']],
    [`create ${I} web --rebot`, ['unknown flag --rebot (did you mean --reboot?)', '--no-reboot, --reboot, --description']],
    [`from-snapshot ${S} root --arch sparc`, ['"sparc" is not an architecture', 'x86_64 or arm64']],
    [`from-snapshot ${S} root --arch constructor`, ['"constructor" is not an architecture']],
    [`from-snapshot ${V} root`, [`"${V}" is a volume ID, not a snapshot ID`]],
    [`launch ${A} --type tiny`, ['"tiny" is not an instance type', 't3.micro']],
    [`launch ${A} --subnet subnet-12`, ['"subnet-12" is not a subnet ID']],
    [`launch ${A} --subnet SUBNET-0ABC1234`, ['lowercase', 'subnet-0abc1234']],
    [`launch ${A} --count 2`, ['unknown flag --count', '--type, --subnet, --key']],
    [`launch ${A} --key`, ['--key needs a value']],
    [`copy ${A}`, ['--to-region is required', A]],
    [`copy ${A} --encrypt`, ['--to-region is required']],
    [`copy ${A} --to-region narnia`, ['"narnia" is not a region']],
    [`deregister ${S}`, [`"${S}" is a snapshot ID, not an AMI ID`]],
    [`deregister ${A} --reason`, ['--reason needs a value']],
    [`deregister ami-XYZ`, ['"ami-XYZ" is not an AMI ID', 'ami- followed by 8 or 17 hex digits']],
    ['frob', ['unknown subcommand "frob"', 'create, from-snapshot, list, launch, copy, deregister, undelete, protect, unprotect or help']],
    [`undelete ${S}`, ['is a snapshot ID, not an AMI ID']],
    ['protect', ['needs <ami-id>']],
    [`crate ${I} x`, ['did you mean create?']],
    ['list everything', ['unexpected "everything"']],
    [I, [`/ami create ${I} <name>`]],
    [A, [`/ami launch ${A}`]],
    [S, [`/ami from-snapshot ${S} <name>`]],
  ]);
});

describe('/share', () => {
  validCases('/share', [
    [S, { kind: 'share.modal', resourceId: S }],
    [A, { kind: 'share.modal', resourceId: A }],
    [`${S} 123456789012`, { kind: 'share.add', resourceId: S, target: { type: 'account', accountId: '123456789012' } }],
    [
      `${A} 1234-5678-9012 --reason partner needs it`,
      { kind: 'share.add', resourceId: A, target: { type: 'account', accountId: '123456789012' }, reason: 'partner needs it' },
    ],
    [`${S} PUBLIC`, { kind: 'share.add', resourceId: S, target: { type: 'public' } }],
    [`${S} public --reason "open data set"`, { kind: 'share.add', resourceId: S, target: { type: 'public' }, reason: 'open data set' }],
    [`${S} --revoke 123456789012`, { kind: 'share.revoke', resourceId: S, target: { type: 'account', accountId: '123456789012' } }],
    [`${A} --revoke=Public`, { kind: 'share.revoke', resourceId: A, target: { type: 'public' } }],
    [`<http://${S8}|${S8}>`, { kind: 'share.modal', resourceId: S8 }],
  ]);

  invalidCases('/share', [
    ['', ['/share needs <snap-id|ami-id>']],
    [V, [`"${V}" is a volume ID, not a snapshot or AMI ID`, 'only snapshots and AMIs can be shared']],
    [`${I} public`, [`"${I}" is an instance ID`, 'only snapshots and AMIs can be shared']],
    ['snap-1', ['"snap-1" is not a snapshot or AMI ID', 'snap- or ami- followed by 8 or 17 hex digits']],
    [`${S} 12345`, ['"12345" is not an account ID', '12 digits', 'public']],
    [`${S} 1234567890123`, ['"1234567890123"']],
    [`${S} all`, ['"all"', 'public']],
    [`${S} 123456789012 --revoke 123456789012`, ['not both']],
    [`${S} --revoke`, ['--revoke needs a value']],
    [`${S} --revoke 1234`, ['"1234" is not an account ID']],
    [`${S} --revoke public --reason because`, ['--reason', '--revoke']],
    [`${S} --reason because`, ['who should', S]],
    [`${S} 123456789012 extra`, ['unexpected "extra"']],
    [`${S} 123456789012 --reason ${'r'.repeat(501)}`, ['501 characters']],
  ]);
});

describe('usage and help', () => {
  it('lists every one-line form of the contract', () => {
    expect(USAGE['/snapshot'].split('\n')).toEqual([
      '/snapshot <vol-id> [--expires-in Nd] [description…]',
      '/snapshot',
      '/snapshot instance <i-id> [--exclude-boot]',
      '/snapshot list [vol-id]',
      '/snapshot copy <snap-id> [--to-region R] [--encrypt] [--kms-key K]',
      '/snapshot delete <snap-id> [--reason "…"]',
      '/snapshot digest',
      '/snapshot audit <snap-id|ami-id|vol-id>',
      '/snapshot encrypt <vol-id> [--kms-key K] [--replace]',
      '/snapshot withdraw <request-id>',
      '/snapshot schedule <vol-id|i-id|tag:Key=Value> --every <N>h [--at HH:MM] (--keep N | --keep-days N) [--copy-to R] [--name N]',
      '/snapshot schedule pause|resume <policy-id|name>',
      '/snapshot schedules',
      '/snapshot unschedule <policy-id|name> [--reason "…"]',
      '/snapshot undelete <snap-id>',
      '/snapshot recycle-bin',
      '/snapshot lock <snap-id> --days N [--compliance]',
      '/snapshot unlock <snap-id> [--reason "…"]',
      '/snapshot archive <snap-id>',
      '/snapshot unarchive <snap-id> [--days N]',
      '/snapshot cost <snap-id>',
      '/snapshot savings',
      '/snapshot cleanup <superseded|orphaned|copies|amis|all> [--older-than Nd] [--reason "…"]',
      '/snapshot drill <vol-id|snap-id|i-id> [--az AZ]',
      '/snapshot drills [vol-id]',
      '/snapshot evidence [--days N]',
      '/snapshot help',
    ]);
    expect(USAGE['/restore'].split('\n')).toEqual([
      '/restore <snap-id>',
      '/restore <snap-id> --az <az> [--type gp3] [--size GiB] [--iops N] [--throughput MiBps] [--attach <i-id> --device /dev/sdf]',
    ]);
    expect(USAGE['/ami'].split('\n')).toEqual([
      '/ami',
      '/ami create <i-id> <name> [--no-reboot | --reboot] [--description "…"]',
      '/ami from-snapshot <snap-id> <name> [--arch x86_64|arm64]',
      '/ami list',
      '/ami launch <ami-id> [--type t3.micro] [--subnet subnet-…] [--key name]',
      '/ami copy <ami-id> --to-region R [--encrypt] [--kms-key K]',
      '/ami deregister <ami-id> [--delete-snapshots] [--reason "…"]',
      '/ami undelete <ami-id>',
      '/ami protect <ami-id>',
      '/ami unprotect <ami-id> [--reason "…"]',
      '/ami help',
    ]);
    expect(USAGE['/share'].split('\n')).toEqual([
      '/share <snap-id|ami-id>',
      '/share <snap-id|ami-id> <account-id|public> [--reason "…"]',
      '/share <snap-id|ami-id> --revoke <account-id|public>',
    ]);
  });

  it('help has one explained line for every form of all four commands', () => {
    const lines = helpText().split('\n');
    for (const usage of Object.values(USAGE).flatMap((u) => u.split('\n'))) {
      const line = lines.find((l) => l.startsWith(`\`${usage}\` — `));
      expect(line, usage).toBeDefined();
      expect(line!.length, usage).toBeGreaterThan(usage.length + 8);
    }
  });

  it('an unknown command name is a UsageError, not a crash', () => {
    expect(() => parseCommand('/snapshots' as SlashCommandName, 'list')).toThrow(UsageError);
  });
});

describe('ID shapes', () => {
  it.each([
    ['volume', ['vol-0abc1234', 'vol-0abc1234def567890'], ['vol-0abc123', 'vol-0abc1234d', 'vol-0ABC1234', 'snap-0abc1234', ' vol-0abc1234']],
    ['snapshot', ['snap-0abc1234', S], ['snap-0abc1234def56789', 'snap_0abc1234']],
    ['image', ['ami-0abc1234', A], ['ami-0abc1234def5678901', 'AMI-0abc1234']],
    ['instance', ['i-0abc1234', I], ['i-0abc12345', 'i-0abc1234def56789g']],
    ['subnet', ['subnet-0abc1234', 'subnet-0abc1234def567890'], ['subnet-12']],
    ['account', ['123456789012'], ['12345678901', '1234-5678-9012', '12345678901a']],
    [
      'region',
      ['us-east-1', 'eu-west-2', 'ap-southeast-1', 'us-gov-west-1', 'cn-northwest-1', 'il-central-1', 'us-isob-east-1', 'eusc-de-east-1'],
      ['us-east', 'us-esat-1', 'US-EAST-1', 'us-east-1a', 'useast1'],
    ],
    ['az', ['us-east-1a', 'eu-west-2c', 'us-gov-west-1b', 'us-west-2-lax-1a', 'us-east-1-bos-1a'], ['us-east-1', 'use1-az1', 'us-east-1ab']],
    [
      'kmsKey',
      [KEY_ID, KEY_ARN, 'alias/my-key', 'alias/aws/ebs', 'arn:aws:kms:eu-west-1:123456789012:alias/backup', `mrk-${'a'.repeat(32)}`],
      ['my-key', 'alias/', 'arn:aws:kms:us-east-1:1234:key/x', '1234ABCD-12ab-34cd-56ef-1234567890ab'],
    ],
    ['device', ['/dev/sdf', '/dev/sdp', '/dev/xvdb', '/dev/sdz', '/dev/xvdba'], ['/dev/sda', '/dev/sda1', 'sdf', '/dev/sdF', '/dev/nvme1n1']],
    [
      'instanceType',
      ['t3.micro', 'm7g.2xlarge', 'c6gn.16xlarge', 'u-6tb1.112xlarge', 'mac2-m2pro.metal', 'm7i-flex.large', 'c7i.metal-48xl'],
      ['t3', 'micro', 't3.huge', 'T3.micro', 'large.t3', 'tx.micro'],
    ],
  ] as const)('%s', (name, good, badOnes) => {
    for (const v of good) expect(ID_PATTERNS[name].test(v), v).toBe(true);
    for (const v of badOnes) expect(ID_PATTERNS[name].test(v), v).toBe(false);
  });

  it.each([
    [V, 'volume'],
    [S8, 'snapshot'],
    [A, 'image'],
    [I8, 'instance'],
    ['vol-123', undefined],
    ['VOL-0abc1234', undefined],
    ['subnet-0abc1234', undefined],
    ['', undefined],
  ])('resourceKindOf(%j) is %s', (id, kind) => {
    expect(resourceKindOf(id)).toBe(kind);
  });
});

describe('/snapshot encrypt', () => {
  const V = 'vol-0abc1234def567890';
  it('parses the volume, the key and --replace; alone it opens the form', () => {
    expect(parseCommand('/snapshot', `encrypt ${V}`)).toEqual({ kind: 'snapshot.encrypt', volumeId: V, replace: false });
    expect(parseCommand('/snapshot', `encrypt ${V} --kms-key alias/ebs-prod --replace`)).toEqual({ kind: 'snapshot.encrypt', volumeId: V, kmsKeyId: 'alias/ebs-prod', replace: true });
    expect(parseCommand('/snapshot', 'encrypt')).toEqual({ kind: 'snapshot.encrypt.modal' });
    expect(parseCommand('/snapshot', `encrypt ${V} --region eu-west-1`)).toMatchObject({ kind: 'snapshot.encrypt', where: { region: 'eu-west-1' } });
  });

  it.each([
    ['encrypt --replace', /needs the volume first/],
    [`encrypt snap-0abc1234def567890`, /not a volume ID/],
    [`encrypt vol-0abc1234def567890 --kms-key not a key`, /not a KMS key/],
  ])('refuses %j', (text, problem) => {
    expect(() => parseCommand('/snapshot', text)).toThrow(problem);
  });
});

describe('--region and --account', () => {
  it('every form that acts in AWS takes them, as typed; help, withdraw and audit do not', () => {
    expect(parseCommand('/restore', 'snap-0abc1234def567890 --az us-west-2a --region us-west-2 --account dev')).toMatchObject({ where: { region: 'us-west-2', account: 'dev' } });
    expect(parseCommand('/snapshot', 'list --account 1111-2222-3333')).toMatchObject({ where: { account: '111122223333' } });
    expect(() => parseCommand('/snapshot', 'audit snap-0abc1234def567890 --region us-west-2')).toThrow(/unknown flag --region/);
    expect(() => parseCommand('/snapshot', 'list --account "no such thing"')).toThrow(/not an account/);
    expect(() => parseCommand('/snapshot', 'list --region us-west')).toThrow(/not a region/);
  });
});
