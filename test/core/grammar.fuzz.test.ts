import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Command, type SlashCommandName, UsageError, VOLUME_TYPES } from '../../src/core/commands.js';
import { MAX_DESCRIPTION_LENGTH, MAX_REASON_LENGTH, USAGE, parseCommand } from '../../src/core/grammar/index.js';
import { ID_PATTERNS } from '../../src/core/ids.js';

const COMMANDS: SlashCommandName[] = ['/snapshot', '/restore', '/ami', '/share'];
const RUNS = 4000;

const AMI_NAME = /^[A-Za-z0-9 ()[\]./\-'@_]{3,128}$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Every field a Command may carry, and what it must look like. A field not listed here fails the test. */
const FIELD_RULES: Record<string, (value: unknown, command: Command) => boolean> = {
  kind: (v) => typeof v === 'string',
  volumeId: (v) => typeof v === 'string' && ID_PATTERNS.volume.test(v),
  snapshotId: (v) => typeof v === 'string' && ID_PATTERNS.snapshot.test(v),
  imageId: (v) => typeof v === 'string' && ID_PATTERNS.image.test(v),
  instanceId: (v) => typeof v === 'string' && ID_PATTERNS.instance.test(v),
  resourceId: (v, c) =>
    typeof v === 'string' &&
    (ID_PATTERNS.snapshot.test(v) || ID_PATTERNS.image.test(v) || (c.kind === 'snapshot.audit' && ID_PATTERNS.volume.test(v))),
  availabilityZone: (v) => typeof v === 'string' && ID_PATTERNS.az.test(v),
  toRegion: (v) => typeof v === 'string' && ID_PATTERNS.region.test(v),
  kmsKeyId: (v) => typeof v === 'string' && ID_PATTERNS.kmsKey.test(v),
  instanceType: (v) => typeof v === 'string' && ID_PATTERNS.instanceType.test(v),
  subnetId: (v) => typeof v === 'string' && ID_PATTERNS.subnet.test(v),
  keyName: (v) => typeof v === 'string' && /^[\x20-\x7e]{1,255}$/.test(v),
  volumeType: (v) => (VOLUME_TYPES as readonly unknown[]).includes(v),
  sizeGiB: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 16384,
  iops: (v, c) =>
    Number.isInteger(v) &&
    c.kind === 'restore.create' &&
    ({ gp3: [3000, 80000], io1: [100, 64000], io2: [100, 256000] } as Record<string, number[]>)[c.volumeType]?.[0]! <= (v as number) &&
    ({ gp3: 80000, io1: 64000, io2: 256000 } as Record<string, number>)[c.volumeType]! >= (v as number),
  throughput: (v, c) =>
    Number.isInteger(v) && c.kind === 'restore.create' && c.volumeType === 'gp3' && (v as number) >= 125 && (v as number) <= 2000,
  attach: (v) => {
    const a = v as { instanceId: unknown; device: unknown };
    return (
      Object.keys(a).length === 2 &&
      typeof a.instanceId === 'string' &&
      ID_PATTERNS.instance.test(a.instanceId) &&
      typeof a.device === 'string' &&
      ID_PATTERNS.device.test(a.device)
    );
  },
  target: (v) => {
    const t = v as { type: string; accountId?: unknown };
    return t.type === 'public' ? Object.keys(t).length === 1 : typeof t.accountId === 'string' && ID_PATTERNS.account.test(t.accountId);
  },
  name: (v) => typeof v === 'string' && AMI_NAME.test(v),
  description: (v) => typeof v === 'string' && v.length > 0 && [...v].length <= MAX_DESCRIPTION_LENGTH && !CONTROL.test(v),
  reason: (v) => typeof v === 'string' && v.length > 0 && [...v].length <= MAX_REASON_LENGTH && !CONTROL.test(v),
  architecture: (v) => v === 'x86_64' || v === 'arm64',
  encrypt: (v, c) => typeof v === 'boolean' && (!('kmsKeyId' in c) || v === true),
  excludeBoot: (v) => typeof v === 'boolean',
  noReboot: (v) => typeof v === 'boolean',
  reboot: (v, c) => typeof v === 'boolean' && !(v && 'noReboot' in c && c.noReboot),
  requestId: (v) => typeof v === 'string' && /^[0-9A-HJKMNP-TV-Z]{26}$/.test(v),
  deleteSnapshots: (v) => typeof v === 'boolean',
};

/** Parses, and checks the outcome: a well-formed Command, or a UsageError carrying the command's usage. */
function parseChecked(command: SlashCommandName, text: string): Command | UsageError {
  let result: Command;
  try {
    result = parseCommand(command, text);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const error = e as UsageError;
    expect(error.usage).toBe(USAGE[command]);
    expect(error.problem.length).toBeGreaterThan(0);
    return error;
  }
  for (const [field, value] of Object.entries(result)) {
    const rule = FIELD_RULES[field];
    expect(rule, `unexpected field ${field}`).toBeDefined();
    expect(rule!(value, result), `${field}=${JSON.stringify(value)} in ${JSON.stringify(result)} from ${JSON.stringify(text)}`).toBe(true);
  }
  return result;
}

const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
const validId = (prefix: string) => fc.oneof(hex(8), hex(17)).map((h) => `${prefix}-${h}`);

/** IDs that are right, and IDs that are almost right: wrong length, uppercase, wrong prefix, stray characters. */
const nearMissId = fc.oneof(
  fc.constantFrom('vol', 'snap', 'ami', 'i', 'subnet', 'VOL', 'Snap', 'vol_', 'ami-', '').chain((prefix) =>
    fc.oneof(
      fc.integer({ min: 0, max: 20 }).chain(hex).map((h) => `${prefix}-${h}`),
      fc.oneof(hex(8), hex(17)).map((h) => `${prefix}-${h.toUpperCase()}`),
      fc.oneof(hex(8), hex(17)).map((h) => `${prefix}-${h}g`),
    ),
  ),
  ...['vol', 'snap', 'ami', 'i', 'subnet'].map(validId),
);

const region = fc.constantFrom('us-east-1', 'eu-west-2', 'ap-southeast-1', 'us-gov-west-1', 'us-esat-1', 'US-EAST-1', 'eu-west');
const az = fc.tuple(region, fc.constantFrom('a', 'b', 'A', '', 'ab', '-lax-1a')).map(([r, l]) => r + l);
const values = fc.oneof(
  region,
  az,
  fc.constantFrom('use1-az1', 'gp3', 'io2', 'GP2', 'gp4', 't3.micro', 'M7G.2XLARGE', 'x86_64', 'arm64', 'sparc', 'public', 'PUBLIC', 'all'),
  fc.constantFrom('/dev/sdf', '/dev/sda1', 'sdh', '/dev/xvdba', 'alias/aws/ebs', '1234abcd-12ab-34cd-56ef-1234567890ab', 'alias/'),
  fc.constantFrom('123456789012', '1234-5678-9012', '12345', 'constructor', '__proto__', 'toString', 'hasOwnProperty'),
  fc.integer({ min: -10, max: 300000 }).map(String),
  fc.constantFrom('100GiB', '1.5', '0', '16384', '16385', '3000', '80000', '125', '2000', '64000'),
);
const words = fc.constantFrom(
  'instance', 'list', 'copy', 'delete', 'digest', 'audit', 'help', 'create', 'from-snapshot', 'launch', 'deregister',
  'LIST', 'lsit', '--help', '-h', '?', 'web server', "Bob's", 'x*y',
);
const flagNames = fc.constantFrom(
  'to-region', 'encrypt', 'kms-key', 'reason', 'exclude-boot', 'az', 'type', 'size', 'iops', 'throughput', 'attach', 'device',
  'no-reboot', 'description', 'arch', 'subnet', 'key', 'delete-snapshots', 'revoke', 'REVOKE', 'force', 'constructor', '__proto__', '',
);
const flag = fc.tuple(fc.constantFrom('--', '-', '\u2014', '\u2013'), flagNames).map(([dash, name]) => dash + name);
const quote = fc.constantFrom('"', "'", '\u201c', '\u201d', '\u2018', '\u2019');
const token = fc.oneof(
  { weight: 4, arbitrary: nearMissId },
  { weight: 4, arbitrary: values },
  { weight: 3, arbitrary: words },
  { weight: 4, arbitrary: flag },
  { weight: 2, arbitrary: fc.tuple(flag, values).map(([f, v]) => `${f}=${v}`) },
  { weight: 1, arbitrary: fc.tuple(quote, fc.string({ maxLength: 12 }), quote).map(([a, s, b]) => a + s + b) },
  { weight: 1, arbitrary: quote },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom('<http://example.com|example.com>', '<mailto:a@b.c|a@b.c>', '&amp;', '\u0000', '\n', '\u200b') },
);
const separator = fc.constantFrom(' ', '  ', '\t', '\n', '\u00a0');
const soup = fc
  .array(fc.tuple(token, separator), { maxLength: 10 })
  .map((parts) => parts.map(([t, s]) => t + s).join(''));

describe('the grammar under fuzzing', () => {
  it('arbitrary text never crashes it and never yields an invalid command', () => {
    fc.assert(
      fc.property(fc.constantFrom(...COMMANDS), fc.string({ unit: 'binary', maxLength: 200 }), (command, text) => {
        parseChecked(command, text);
      }),
      { numRuns: RUNS },
    );
  });

  it('token soups of real subcommands, flags and near-miss IDs never crash it or yield an invalid command', () => {
    let parsed = 0;
    fc.assert(
      fc.property(fc.constantFrom(...COMMANDS), soup, (command, text) => {
        if (!(parseChecked(command, text) instanceof UsageError)) parsed++;
      }),
      { numRuns: RUNS },
    );
    // The soup is meant to reach the builders, not only the tokenizer's errors.
    expect(parsed).toBeGreaterThan(RUNS / 50);
  });

  it('a soup after a valid command prefix never crashes it', () => {
    const prefix = fc.oneof(
      validId('vol').map((id) => ['/snapshot', id] as const),
      validId('snap').map((id) => ['/snapshot', `copy ${id}`] as const),
      validId('snap').map((id) => ['/restore', id] as const),
      validId('i').map((id) => ['/ami', `create ${id} web`] as const),
      validId('ami').map((id) => ['/ami', `launch ${id}`] as const),
      validId('ami').map((id) => ['/share', id] as const),
    );
    fc.assert(
      fc.property(prefix, soup, ([command, start], rest) => {
        parseChecked(command as SlashCommandName, `${start} ${rest}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('very long text is refused as too long, whatever it contains', () => {
    fc.assert(
      fc.property(fc.constantFrom(...COMMANDS), fc.string({ minLength: 3001, maxLength: 3100 }), (command, text) => {
        const result = parseChecked(command, text);
        expect(result).toBeInstanceOf(UsageError);
        expect((result as UsageError).problem).toContain('too long');
      }),
      { numRuns: 200 },
    );
  });

  it('a valid command written out as its one-line form parses back to itself', () => {
    const freeText = (max: number) =>
      fc
        .string({ unit: fc.constantFrom(...'abcdefghij XYZ0123456789,.-'), minLength: 1, maxLength: max })
        .map((s) => s.trim().replace(/ +/g, ' '))
        .filter((s) => s.length > 0 && !s.startsWith('-'));
    const amiName = fc
      .string({ unit: fc.constantFrom(...'abcXYZ019 ()[]./-@_'), minLength: 3, maxLength: 40 })
      .map((s) => s.trim().replace(/ +/g, ' '))
      .filter((s) => s.length >= 3 && !s.startsWith('-') && !/ -/.test(s));
    const target = fc.oneof(
      fc.constant({ type: 'public' as const }),
      fc.stringMatching(/^\d{12}$/).map((accountId) => ({ type: 'account' as const, accountId })),
    );
    const targetText = (t: { type: 'public' } | { type: 'account'; accountId: string }) => (t.type === 'public' ? 'public' : t.accountId);
    const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    const opt = (name: string, value: string | undefined) => (value === undefined ? '' : ` --${name} "${value}"`);
    const regionArb = fc.constantFrom('us-east-1', 'eu-west-2', 'ap-southeast-1', 'us-gov-west-1');

    const row = (command: SlashCommandName, text: string, expected: Command): [SlashCommandName, string, Command] => [
      command,
      text,
      expected,
    ];
    const cases: fc.Arbitrary<[SlashCommandName, string, Command]> = fc.oneof(
      fc.tuple(validId('vol'), optional(freeText(255))).map(([volumeId, description]) =>
        row('/snapshot', `${volumeId} ${description ?? ''}`, {
          kind: 'snapshot.create',
          volumeId,
          ...(description ? { description } : {}),
        }),
      ),
      fc.tuple(validId('snap'), optional(regionArb), fc.boolean()).map(([snapshotId, toRegion, encrypt]) =>
        row('/snapshot', `copy ${snapshotId}${opt('to-region', toRegion)}${encrypt ? ' --encrypt' : ''}`, {
          kind: 'snapshot.copy',
          snapshotId,
          ...(toRegion ? { toRegion } : {}),
          encrypt,
        }),
      ),
      fc.tuple(validId('snap'), optional(freeText(500))).map(([snapshotId, reason]) =>
        row('/snapshot', `delete ${snapshotId}${opt('reason', reason)}`, {
          kind: 'snapshot.delete',
          snapshotId,
          ...(reason ? { reason } : {}),
        }),
      ),
      fc
        .tuple(validId('snap'), regionArb, fc.constantFrom('a', 'b', 'c'), optional(fc.integer({ min: 1, max: 16384 })), optional(validId('i')))
        .map(([snapshotId, r, letter, sizeGiB, instanceId]) =>
          row(
            '/restore',
            `${snapshotId} --az ${r}${letter}${opt('size', sizeGiB?.toString())}` +
              (instanceId ? ` --attach ${instanceId} --device /dev/sdg` : ''),
            {
              kind: 'restore.create',
              snapshotId,
              availabilityZone: `${r}${letter}`,
              volumeType: 'gp3',
              ...(sizeGiB ? { sizeGiB } : {}),
              ...(instanceId ? { attach: { instanceId, device: '/dev/sdg' } } : {}),
            },
          ),
        ),
      fc.tuple(validId('i'), amiName, fc.boolean(), optional(freeText(255))).map(([instanceId, name, noReboot, description]) =>
        row('/ami', `create ${instanceId} ${name}${noReboot ? ' --no-reboot' : ''}${opt('description', description)}`, {
          kind: 'ami.create',
          instanceId,
          name,
          noReboot,
          reboot: false,
          ...(description ? { description } : {}),
        }),
      ),
      fc.tuple(validId('ami'), regionArb, fc.boolean()).map(([imageId, toRegion, encrypt]) =>
        row('/ami', `copy ${imageId} --to-region ${toRegion}${encrypt ? ' --encrypt' : ''}`, {
          kind: 'ami.copy',
          imageId,
          toRegion,
          encrypt,
        }),
      ),
      fc.tuple(fc.oneof(validId('snap'), validId('ami')), target, optional(freeText(500))).map(([resourceId, t, reason]) =>
        row('/share', `${resourceId} ${targetText(t)}${opt('reason', reason)}`, {
          kind: 'share.add',
          resourceId,
          target: t,
          ...(reason ? { reason } : {}),
        }),
      ),
      fc.tuple(fc.oneof(validId('snap'), validId('ami')), target).map(([resourceId, t]) =>
        row('/share', `${resourceId} --revoke ${targetText(t)}`, { kind: 'share.revoke', resourceId, target: t }),
      ),
    );

    fc.assert(
      fc.property(cases, ([command, text, expected]) => {
        expect(parseCommand(command, text)).toStrictEqual(expected);
      }),
      { numRuns: RUNS },
    );
  });
});
