// Slash-command text → Command, or a UsageError saying what was wrong plus the command's usage lines.
// Each subcommand is one entry in SPECS (its positional args, its flags, how they become a Command); one generic
// parser walks the text against that entry. Nothing here does I/O, and every ID is checked by shape before a
// Command is returned, so a listener can hand the result straight to a use case.

import {
  type Command,
  type Retention,
  SCHEDULE_INTERVALS,
  type ScheduleTarget,
  type ShareTarget,
  type SlashCommandName,
  UsageError,
  VOLUME_TYPES,
  type VolumeType,
} from './commands.js';
import { ACCOUNT_ALIAS } from './accounts.js';
import {
  ID_PATTERNS,
  RESOURCE_PREFIX,
  type ResourceKind,
  ZONE_ID_PATTERN,
  intendedKindOf,
  resourceKindOf,
} from './ids.js';

export const MAX_TEXT_LENGTH = 3000;
/** EC2's limit for snapshot and AMI descriptions. */
export const MAX_DESCRIPTION_LENGTH = 255;
export const MAX_REASON_LENGTH = 500;

/** A problem with the text; parseCommand attaches the usage lines and turns it into a UsageError. */
class Bad extends Error {}
function bad(problem: string): never {
  throw new Bad(problem);
}

// ───────────────────────────── text clean-up and tokens ─────────────────────────────

/** Slack sends links as <url|label>, escapes &, < and >, and people paste odd whitespace and invisible characters. */
function clean(text: string): string {
  return text
    .replace(/[\t\n\r\v\f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/<((?:https?|mailto|ftp):[^|<>]*)(?:\|([^<>]*))?>/gi, (_m, url: string, label: string | undefined) =>
      label !== undefined && label !== '' ? label : url.replace(/^mailto:/i, ''),
    )
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

// Phones and Slack turn "…" into “…” and '…' into ‘…’; accept either curl (or the straight quote) as the closer.
const DOUBLE = '"\u201c\u201d\u201e';
const SINGLE = "'\u2018\u2019";
const closersFor = (quote: string) => (DOUBLE.includes(quote) ? DOUBLE : SINGLE.includes(quote) ? SINGLE : undefined);

interface Token {
  value: string;
  /** It began with a quote: never a flag or a subcommand word, whatever it says. */
  quoted: boolean;
}

/**
 * Splits on spaces, shell-like. A quote opens only at the start of a word (or right after `--flag=`), and closes
 * only where the word ends, so apostrophes inside words ("Bob's", "don't") are just characters.
 */
class Lexer {
  private pos = 0;
  constructor(private readonly text: string) {}

  next(): Token | undefined {
    const s = this.text;
    let i = this.pos;
    while (s[i] === ' ') i++;
    if (i >= s.length) {
      this.pos = i;
      return undefined;
    }
    const start = i;
    let value = '';
    while (i < s.length && s[i] !== ' ') {
      const closers = closersFor(s[i]);
      if (closers !== undefined && (i === start || s[i - 1] === '=')) {
        const close = findCloser(s, i + 1, closers);
        if (close < 0) bad(`unterminated quote: ${s[i]} before "${excerpt(s.slice(i + 1), 30)}" has no closing quote`);
        value += s.slice(i + 1, close);
        i = close + 1;
      } else {
        value += s[i];
        i++;
      }
    }
    this.pos = i;
    return { value, quoted: closersFor(s[start]) !== undefined };
  }

  peek(): Token | undefined {
    const saved = this.pos;
    try {
      return this.next();
    } finally {
      this.pos = saved;
    }
  }

  /** The untokenized remainder, for free text such as a snapshot description. */
  rest(): string {
    const rest = this.text.slice(this.pos).trim();
    this.pos = this.text.length;
    return rest;
  }
}

function findCloser(s: string, from: number, closers: string): number {
  for (let j = from; j < s.length; j++) {
    if (closers.includes(s[j]) && (j + 1 === s.length || s[j + 1] === ' ')) return j;
  }
  return -1;
}

/** `--name`, `--name=value`; an em or en dash counts as `--` because autocorrect makes one of it. */
function asFlag(token: Token): { name: string; inline?: string } | undefined {
  if (token.quoted) return undefined;
  const m = /^(?:--|[\u2013\u2014])([A-Za-z][^=]*)(?:=(.*))?$/s.exec(token.value);
  if (!m) return undefined;
  return { name: m[1].toLowerCase(), ...(m[2] !== undefined ? { inline: m[2] } : {}) };
}

function excerpt(value: string, max = 60): string {
  const chars = [...value];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : value;
}

const q = (value: string) => `"${excerpt(value)}"`;
const length = (value: string) => [...value].length;

// ───────────────────────────── value checks ─────────────────────────────
// Each takes the text as typed and returns it normalised, or throws Bad naming the value and what is allowed.

type Check = (value: string) => string;

const KIND_LABEL: Record<ResourceKind, string> = {
  volume: 'a volume',
  snapshot: 'a snapshot',
  image: 'an AMI',
  instance: 'an instance',
};

function orList(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** An ID of one of `kinds`; `hint` adds what to do when it is a well-formed ID of another kind. */
function resourceId(kinds: ResourceKind[], hint: Partial<Record<ResourceKind, (id: string) => string>> = {}): Check {
  const article = KIND_LABEL[kinds[0]].split(' ')[0];
  const wanted = `${article} ${orList(kinds.map((k) => KIND_LABEL[k].replace(/^an? /, '')))} ID`;
  const prefixes = orList(kinds.map((k) => `${RESOURCE_PREFIX[k]}-`));
  const examples = orList(kinds.map((k) => `${RESOURCE_PREFIX[k]}-0abc1234def567890`));
  return (value) => {
    const kind = resourceKindOf(value);
    if (kind !== undefined && kinds.includes(kind)) return value;
    if (kind !== undefined) {
      const extra = hint[kind]?.(value);
      bad(`${q(value)} is ${KIND_LABEL[kind]} ID, not ${wanted}${extra ? `: ${extra}` : ''}`);
    }
    const lower = value.toLowerCase();
    const lowerKind = resourceKindOf(lower);
    if (lowerKind !== undefined && kinds.includes(lowerKind)) {
      bad(`${q(value)} is not ${wanted}: AWS IDs are lowercase, try ${lower}`);
    }
    bad(`${q(value)} is not ${wanted}: expected ${prefixes} followed by 8 or 17 hex digits, e.g. ${examples}`);
  };
}

function pattern(re: RegExp, what: string, expected: string, normalise: (v: string) => string = (v) => v): Check {
  return (value) => {
    const v = normalise(value);
    if (re.test(v)) return v;
    return bad(`${q(value)} is not ${what}: expected ${expected}`);
  };
}

const region: Check = (value) => {
  const v = value.toLowerCase();
  if (ID_PATTERNS.region.test(v)) return v;
  if (ID_PATTERNS.az.test(v)) bad(`${q(value)} is an availability zone, not a region: try ${v.slice(0, -1)}`);
  return bad(`${q(value)} is not a region: expected a region name such as us-east-1, eu-west-2 or ap-southeast-1`);
};

const availabilityZone: Check = (value) => {
  const v = value.toLowerCase();
  if (ID_PATTERNS.az.test(v)) return v;
  if (ID_PATTERNS.region.test(v)) bad(`${q(value)} is a region, not an availability zone: add the zone letter, e.g. ${v}a`);
  if (ZONE_ID_PATTERN.test(v)) {
    bad(`${q(value)} is a zone ID: give the zone name instead, e.g. us-east-1a (describe-availability-zones lists both)`);
  }
  return bad(`${q(value)} is not an availability zone: expected a region followed by a zone letter, e.g. us-east-1a or eu-west-2b`);
};

const kmsKey: Check = (value) => {
  if (ID_PATTERNS.kmsKey.test(value)) return value;
  if (ID_PATTERNS.kmsKey.test(value.toLowerCase())) bad(`${q(value)} is not a KMS key: key IDs are lowercase, try ${value.toLowerCase()}`);
  return bad(
    `${q(value)} is not a KMS key: expected a key ID (1234abcd-12ab-34cd-56ef-1234567890ab), a key ARN, alias/name or an alias ARN`,
  );
};

const device = pattern(
  ID_PATTERNS.device,
  'a device name',
  '/dev/sd[b-z] or /dev/xvd[b-z], e.g. /dev/sdf',
  (v) => (/^(?:sd|xvd)[a-z]+$/.test(v) ? `/dev/${v}` : v),
);

const instanceType = pattern(ID_PATTERNS.instanceType, 'an instance type', 'family.size, e.g. t3.micro or m7g.2xlarge', (v) =>
  v.toLowerCase(),
);

const subnet: Check = (value) => {
  if (ID_PATTERNS.subnet.test(value)) return value;
  if (ID_PATTERNS.subnet.test(value.toLowerCase())) bad(`${q(value)} is not a subnet ID: AWS IDs are lowercase, try ${value.toLowerCase()}`);
  return bad(`${q(value)} is not a subnet ID: expected subnet- followed by 8 or 17 hex digits, e.g. subnet-0abc1234def567890`);
};

/** snapbot's request IDs are ULIDs: 26 characters of Crockford base32. */
const requestId = pattern(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a request ID', 'the 26-character ID on the request card, e.g. 01JB2Z3K4M5N6P7Q8R9S0T1V2W', (v) =>
  v.replace(/^`|`$/g, '').toUpperCase(),
);

const keyPairName = pattern(/^[\x20-\x7e]{1,255}$/, 'a key pair name', 'up to 255 ASCII characters');

const volumeType: Check = (value) => {
  const v = value.toLowerCase();
  if ((VOLUME_TYPES as readonly string[]).includes(v)) return v;
  return bad(`${q(value)} is not a volume type: use one of ${VOLUME_TYPES.join(', ')}`);
};

const ARCHITECTURES: Record<string, 'x86_64' | 'arm64'> = {
  x86_64: 'x86_64',
  'x86-64': 'x86_64',
  amd64: 'x86_64',
  arm64: 'arm64',
  aarch64: 'arm64',
};
const architecture: Check = (value) =>
  Object.hasOwn(ARCHITECTURES, value.toLowerCase())
    ? ARCHITECTURES[value.toLowerCase()]
    : bad(`${q(value)} is not an architecture: use x86_64 or arm64`);

const amiName: Check = (value) => {
  const n = length(value);
  const rule = "3–128 characters: letters, digits, spaces and ( ) [ ] . / - ' @ _";
  if (n < 3 || n > 128) bad(`AMI name ${q(value)} is ${n} characters long: an AMI name is ${rule}`);
  const wrong = [...new Set(value.replace(/[A-Za-z0-9 ()[\]./\-'@_]/g, ''))];
  if (wrong.length > 0) bad(`AMI name ${q(value)} may not contain ${wrong.map((c) => `"${c}"`).join(' ')}: an AMI name is ${rule}`);
  return value;
};

function freeText(what: string, max: number, limitOwner: string): Check {
  return (value) => {
    const n = length(value);
    if (n > max) bad(`the ${what} ${q(value)} is ${n} characters long; ${limitOwner} allows at most ${max}`);
    return value;
  };
}
const description = freeText('description', MAX_DESCRIPTION_LENGTH, 'EC2');
const reason = freeText('reason', MAX_REASON_LENGTH, 'snapbot');

/** Whole numbers only; `unit` (e.g. GiB) may be typed after the number. */
function wholeNumber(flag: string, min: number, max: number, unit = '', suffix?: RegExp): Check {
  return (value) => {
    const digits = suffix ? value.replace(suffix, '') : value;
    const n = /^\d{1,9}$/.test(digits) ? Number(digits) : NaN;
    if (!(n >= min && n <= max)) bad(`${flag} must be a whole number from ${min} to ${max}${unit}, not ${q(value)}`);
    return String(n);
  };
}

const shareTarget: Check = (value) => {
  if (value.toLowerCase() === 'public') return 'public';
  if (ID_PATTERNS.account.test(value)) return value;
  if (/^\d{4}-\d{4}-\d{4}$/.test(value)) return value.replace(/-/g, '');
  if (value.toLowerCase() === 'all') bad(`${q(value)}: to share with everyone, say public`);
  return bad(`${q(value)} is not an account ID: expected 12 digits (123456789012 or 1234-5678-9012) or the word public`);
};

/** `vol-…`, `i-…` or `tag:Key=Value` (volumes with that tag). */
const scheduleTarget: Check = (value) => {
  const tag = /^tag:(.*)$/is.exec(value);
  if (tag) {
    const [key, ...rest] = tag[1].split('=');
    if (rest.length === 0 || key.trim() === '') bad(`${q(value)} is not a tag target: expected tag:Key=Value, e.g. tag:Backup=daily`);
    const v = rest.join('=');
    if (length(key) > 128) bad(`the tag key in ${q(value)} is ${length(key)} characters long; AWS allows at most 128`);
    if (length(v) > 256) bad(`the tag value in ${q(value)} is ${length(v)} characters long; AWS allows at most 256`);
    if (key.toLowerCase().startsWith('aws:')) bad(`${q(value)}: tag keys starting with aws: belong to AWS and cannot be targeted`);
    return `tag:${key}=${v}`;
  }
  return resourceId(['volume', 'instance'], {
    snapshot: () => 'a schedule snapshots a volume, an instance, or the volumes with a tag (tag:Key=Value)',
    image: () => 'a schedule snapshots a volume, an instance, or the volumes with a tag (tag:Key=Value)',
  })(value);
};

function toScheduleTarget(value: string): ScheduleTarget {
  if (value.startsWith('tag:')) {
    const [key, ...rest] = value.slice(4).split('=');
    return { type: 'tag', key, value: rest.join('=') };
  }
  return value.startsWith('vol-') ? { type: 'volume', volumeId: value } : { type: 'instance', instanceId: value };
}

const every: Check = (value) => {
  const m = /^(\d{1,3})\s*(?:h|hours?)?$/i.exec(value.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!(SCHEDULE_INTERVALS as readonly number[]).includes(n)) {
    bad(`--every ${q(value)} is not an interval Data Lifecycle Manager supports: use ${SCHEDULE_INTERVALS.map((h) => `${h}h`).join(', ')}`);
  }
  return String(n);
};

const timeOfDay: Check = (value) => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) bad(`--at ${q(value)} is not a time of day: expected HH:MM in UTC, 00:00–23:59, e.g. --at 03:00`);
  return `${m[1].padStart(2, '0')}:${m[2]}`;
};

/** Schedule names live in a tag key (snapbot:schedule:<name>) and in the policy's tags. */
const scheduleName = pattern(/^[A-Za-z0-9_.-]{1,64}$/, 'a schedule name', '1–64 letters, digits, ".", "_" or "-", e.g. web-daily');

/** A DLM policy ID (policy-…) or a schedule's name. */
const policyRef: Check = (value) => {
  if (/^policy-[0-9a-f]{8,}$/i.test(value)) return value.toLowerCase();
  return pattern(/^[A-Za-z0-9_.-]{1,64}$/, 'a schedule', 'a policy ID (policy-0123456789abcdef0) or a schedule name from /snapshot schedules')(value);
};

/** The day count of --expires-in: `7d`, `7 days` or `7`. */
const expiresIn = wholeNumber('--expires-in', 1, 365, ' days (e.g. --expires-in 7d)', /\s*d(?:ays?)?$/i);

/** `--account`: an alias from the managed accounts, or a 12-digit ID (which one it means is resolved later). */
const accountRef: Check = (value) => {
  if (ID_PATTERNS.account.test(value)) return value;
  if (/^\d{4}-\d{4}-\d{4}$/.test(value)) return value.replace(/-/g, '');
  if (ACCOUNT_ALIAS.test(value)) return value;
  return bad(`--account ${q(value)} is not an account: expected an alias such as dev, or a 12-digit account ID`);
};

/** Taken by every form that acts in AWS: which region, and which of the managed accounts. */
const SCOPE_FLAGS = {
  region: { value: 'R', check: region },
  account: { value: '<alias|ID>', check: accountRef },
} satisfies Record<string, FlagSpec>;

function toShareTarget(value: string): ShareTarget {
  return value === 'public' ? { type: 'public' } : { type: 'account', accountId: value };
}

// ───────────────────────────── the command table ─────────────────────────────

interface ArgSpec {
  name: string;
  check: Check;
  /** Takes every word up to the next flag (an AMI name may have spaces without quotes). */
  words?: true;
  /** Takes the rest of the line verbatim; only for a final optional arg. */
  rawRest?: true;
}

interface FlagSpec {
  /** Placeholder for the value; absent for a boolean flag. */
  value?: string;
  check?: Check;
  /** Takes every word up to the next flag: `--reason old build, not needed`. */
  words?: true;
  /** A unit word that may follow the value as a word of its own (`--expires-in 7 days`): taken with it. */
  unit?: RegExp;
}

type FlagValues = Readonly<Partial<Record<string, string | true>>>;

interface Form {
  /** How errors name it: "/snapshot copy". */
  title: string;
  lines: Array<[usage: string, explanation: string]>;
  args?: ArgSpec[];
  optional?: ArgSpec;
  flags?: Record<string, FlagSpec>;
  /** Words that pick a further form, as `/snapshot schedule pause …` does. */
  subs?: Record<string, Form>;
  /** Acts on nothing in AWS by itself (help, withdraw, audit), so takes no --region or --account. */
  unscoped?: true;
  build(args: string[], optional: string | undefined, flags: FlagValues): Command;
}

interface CommandSpec {
  /** What the command alone means, when it means something. */
  empty?: { line: [string, string]; command: Command };
  /** The form whose first word is an argument rather than a subcommand. */
  bare?: Form;
  /** When a first word is handed to `bare` rather than called an unknown subcommand. */
  bareTakes?: (word: string) => boolean;
  subs: Record<string, Form>;
  /** Advice for a well-formed ID given where a subcommand belongs. */
  idHint?: Partial<Record<ResourceKind, (id: string) => string>>;
}

const str = (flags: FlagValues, name: string) => {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
};
const opt = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

const noArgs = (command: Command) => () => command;

const encryptedCopy = {
  'to-region': { value: 'R', check: region },
  encrypt: {},
  'kms-key': { value: 'K', check: kmsKey },
} satisfies Record<string, FlagSpec>;
const reasonFlag = { value: '"…"', check: reason, words: true } satisfies FlagSpec;

const volumeId = resourceId(['volume'], {
  snapshot: (id) => `to copy it, /snapshot copy ${id}; to restore it, /restore ${id}`,
  instance: (id) => `to snapshot all its volumes, /snapshot instance ${id}`,
  image: (id) => `to see its history, /snapshot audit ${id}`,
});
const snapshotId = resourceId(['snapshot']);
const imageId = resourceId(['image']);
const instanceId = resourceId(['instance']);
const shareableId = resourceId(['snapshot', 'image'], {
  volume: () => 'only snapshots and AMIs can be shared; snapshot the volume first with /snapshot <vol-id>',
  instance: () => 'only snapshots and AMIs can be shared; make an AMI first with /ami create <i-id> <name>',
});

const SPECS: Record<SlashCommandName, CommandSpec> = {
  '/snapshot': {
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
          if (volume === undefined) bad('/snapshot encrypt needs the volume first: /snapshot encrypt vol-0abc1234def567890 [--kms-key K] [--replace]');
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
          days: numberFlag(f, 'days') ?? bad(`--days is required: how long should ${snapshotId} stay locked? e.g. --days 30`),
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
      help: {
        title: '/snapshot help',
        unscoped: true,
        lines: [['/snapshot help', 'this help']],
        build: noArgs({ kind: 'snapshot.help' }),
      },
    },
  },

  '/restore': {
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
  },

  '/ami': {
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
          toRegion: str(f, 'to-region') ?? bad(`--to-region is required: where should ${imageId} be copied to? e.g. --to-region eu-west-1`),
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
  },

  '/share': {
    bare: {
      title: '/share',
      lines: [
        ['/share <snap-id|ami-id>', 'open a form to share or stop sharing'],
        [
          '/share <snap-id|ami-id> <account-id|public> [--reason "…"]',
          'share; allowed accounts at once, other accounts and public after approval',
        ],
        ['/share <snap-id|ami-id> --revoke <account-id|public>', 'stop sharing, at once'],
      ],
      args: [{ name: '<snap-id|ami-id>', check: shareableId }],
      optional: { name: '<account-id|public>', check: shareTarget },
      flags: { revoke: { value: '<account-id|public>', check: shareTarget }, reason: reasonFlag },
      build: share,
    },
    bareTakes: () => true,
    subs: {},
  },
};

function schedule(_: string[], target: string | undefined, f: FlagValues): Command {
  if (target === undefined && Object.keys(f).length === 0) return { kind: 'snapshot.schedule.modal' };
  if (target === undefined) bad('/snapshot schedule needs a target first: a volume (vol-…), an instance (i-…) or tag:Key=Value');
  const everyHours = numberFlag(f, 'every') ?? bad('--every is required: how often, e.g. --every 24h (1, 2, 3, 4, 6, 8, 12 or 24 hours)');
  const keep = numberFlag(f, 'keep');
  const keepDays = numberFlag(f, 'keep-days');
  if (keep !== undefined && keepDays !== undefined) bad('give --keep N (that many snapshots) or --keep-days N (that many days), not both');
  if (keep === undefined && keepDays === undefined) bad('say how long to keep them: --keep N (the newest N snapshots) or --keep-days N');
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

function restore([snapshotId]: string[], _: string | undefined, f: FlagValues): Command {
  if (Object.keys(f).length === 0) return { kind: 'restore.modal', snapshotId };
  const availabilityZone =
    str(f, 'az') ??
    bad(`--az is required to create the volume directly, e.g. /restore ${snapshotId} --az us-east-1a (or give just the snapshot ID to open the form)`);
  const inRegion = str(f, 'region');
  if (inRegion !== undefined && !availabilityZone.startsWith(inRegion)) {
    bad(`--az ${availabilityZone} is not in --region ${inRegion}: pick a zone of ${inRegion}, e.g. ${inRegion}a`);
  }
  const volumeType = (str(f, 'type') ?? 'gp3') as VolumeType;
  const attach = str(f, 'attach');
  const device = str(f, 'device');
  if (attach !== undefined && device === undefined) bad(`--attach ${attach} needs --device too, e.g. --device /dev/sdf`);
  if (device !== undefined && attach === undefined) bad(`--device ${device} needs --attach <i-id> too: which instance?`);

  const iops = numberFlag(f, 'iops');
  const iopsRange = IOPS_RANGE[volumeType];
  if (iops !== undefined && !iopsRange) bad(`--iops applies only to gp3, io1 and io2 volumes, not ${volumeType}`);
  if (iops !== undefined && iopsRange && (iops < iopsRange[0] || iops > iopsRange[1])) {
    bad(`--iops ${iops} is out of range for ${volumeType}: ${iopsRange[0]}–${iopsRange[1]}`);
  }
  if (iops === undefined && (volumeType === 'io1' || volumeType === 'io2')) {
    bad(`--iops is required for ${volumeType} volumes (${iopsRange![0]}–${iopsRange![1]})`);
  }
  const throughput = numberFlag(f, 'throughput');
  if (throughput !== undefined && volumeType !== 'gp3') bad(`--throughput applies only to gp3 volumes, not ${volumeType}`);
  if (throughput !== undefined && (throughput < 125 || throughput > 2000)) {
    bad(`--throughput ${throughput} is out of range for gp3: 125–2000 MiB/s`);
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

function numberFlag(f: FlagValues, name: string): number | undefined {
  const v = str(f, name);
  return v === undefined ? undefined : Number(v);
}

function share([resourceId]: string[], target: string | undefined, f: FlagValues): Command {
  const revoke = str(f, 'revoke');
  const why = str(f, 'reason');
  if (target !== undefined && revoke !== undefined) {
    bad(`give the account either after the ID (to share) or after --revoke (to stop sharing), not both`);
  }
  if (revoke !== undefined) {
    if (why !== undefined) bad('--reason goes with sharing; --revoke takes effect at once and needs none');
    return { kind: 'share.revoke', resourceId, target: toShareTarget(revoke) };
  }
  if (target !== undefined) return { kind: 'share.add', resourceId, target: toShareTarget(target), ...opt('reason', why) };
  if (why !== undefined) bad(`who should ${resourceId} be shared with? Put a 12-digit account ID or public before --reason`);
  return { kind: 'share.modal', resourceId };
}

// ───────────────────────────── the generic parser ─────────────────────────────

const HELP_WORDS = new Set(['help', '--help', '-h', '?']);

/** In the contract's order: the bare form, the command alone, then the subcommands. */
function usageLines(spec: CommandSpec): Array<[string, string]> {
  return [
    ...(spec.bare?.lines ?? []),
    ...(spec.empty ? [spec.empty.line] : []),
    ...Object.values(spec.subs).flatMap((form) => form.lines),
  ];
}

export const USAGE = Object.fromEntries(
  (Object.keys(SPECS) as SlashCommandName[]).map((name) => [name, usageLines(SPECS[name]).map(([usage]) => usage).join('\n')]),
) as Record<SlashCommandName, string>;

/** The answer to /snapshot help: every form of all four commands, one line each. */
export function helpText(): string {
  const sections = (Object.keys(SPECS) as SlashCommandName[]).map((name) =>
    usageLines(SPECS[name])
      .map(([usage, explanation]) => `\`${usage}\` — ${explanation}`)
      .join('\n'),
  );
  return [
    'snapbot manages EBS snapshots and AMIs. IDs are vol-, snap-, ami- or i- followed by 8 or 17 hex digits; accounts are 12 digits. Deleting, deregistering and sharing outside the allowed accounts need an approver.',
    'Every command that acts on a resource also takes `--region R` (default: the home region) and, where snapbot manages several accounts, `--account <alias|ID>` (default: the channel\'s account, else snapbot\'s own).',
    ...sections,
  ].join('\n\n');
}

export function parseCommand(command: SlashCommandName, text: string): Command {
  const spec: CommandSpec | undefined = Object.hasOwn(SPECS, command) ? SPECS[command] : undefined;
  const usage = spec ? USAGE[command] : Object.values(USAGE).join('\n');
  try {
    if (!spec) bad(`snapbot does not answer ${q(String(command))}`);
    const raw = typeof text === 'string' ? text : '';
    if (raw.length > MAX_TEXT_LENGTH) bad(`too long: ${raw.length} characters; a command may have at most ${MAX_TEXT_LENGTH}`);
    return parseWith(command, spec, new Lexer(clean(raw)));
  } catch (e) {
    if (e instanceof Bad) throw new UsageError(e.message, usage);
    throw e;
  }
}

function parseWith(command: SlashCommandName, spec: CommandSpec, lexer: Lexer): Command {
  const first = lexer.peek();
  if (first === undefined) return spec.empty ? spec.empty.command : parseForm(spec.bare!, lexer);
  const word = first.value.toLowerCase();
  // Help is harmless, so whatever follows it is ignored.
  if (!first.quoted && HELP_WORDS.has(word)) {
    if (spec.subs.help) return spec.subs.help.build([], undefined, {});
    bad(`${command} has no subcommands; here is how to use it:`);
  }
  if (!first.quoted && Object.hasOwn(spec.subs, word)) {
    lexer.next();
    return parseForm(spec.subs[word], lexer);
  }
  if (spec.bare && spec.bareTakes?.(first.value)) return parseForm(spec.bare, lexer);

  const kind = resourceKindOf(first.value);
  const hint = kind !== undefined ? spec.idHint?.[kind]?.(first.value) : undefined;
  if (hint) bad(`${q(first.value)} is ${KIND_LABEL[kind!]} ID but no subcommand was given: ${hint}`);
  const subs = Object.keys(spec.subs);
  const guess = closest(word, subs);
  bad(
    `unknown subcommand ${q(first.value)}${guess ? ` (did you mean ${guess}?)` : ''}: use ${orList(subs)}` +
      (spec.bare ? `, or start with ${spec.bare.args?.[0]?.name}` : ''),
  );
}

function parseForm(form: Form, lexer: Lexer): Command {
  const flagSpecs: Record<string, FlagSpec> = form.unscoped ? (form.flags ?? {}) : { ...form.flags, ...SCOPE_FLAGS };
  const isFlag = (t: Token | undefined) => t !== undefined && asFlag(t) !== undefined;
  const next = lexer.peek();
  if (form.subs && next !== undefined && !next.quoted && Object.hasOwn(form.subs, next.value.toLowerCase())) {
    lexer.next();
    return parseForm(form.subs[next.value.toLowerCase()], lexer);
  }

  /** This word and the following ones up to the next flag, as one value. */
  const words = (first: string) => {
    const parts = [first];
    while (lexer.peek() !== undefined && !isFlag(lexer.peek())) parts.push(lexer.next()!.value);
    return parts.join(' ').trim();
  };

  const args = (form.args ?? []).map((arg) => {
    const token = lexer.peek();
    if (token === undefined || isFlag(token)) bad(`${form.title} needs ${arg.name}`);
    lexer.next();
    return arg.check(arg.words ? words(token.value) : token.value);
  });

  const flags: Record<string, string | true> = {};
  let optional: string | undefined;
  if (form.optional?.rawRest) {
    // Flags may come before free text (`/snapshot vol-… --expires-in 7d before the upgrade`), never after it.
    while (isFlag(lexer.peek()) && Object.hasOwn(flagSpecs, asFlag(lexer.peek()!)!.name)) readFlag(lexer.next()!);
    optional = freeTextRest(lexer.rest(), form);
  } else if (form.optional) {
    const token = lexer.peek();
    if (token !== undefined && !isFlag(token)) optional = form.optional.check(lexer.next()!.value);
  }

  function readFlag(token: Token): void {
    const flag = asFlag(token);
    if (!flag) bad(strayWord(token.value, form));
    const spec = Object.hasOwn(flagSpecs, flag.name) ? flagSpecs[flag.name] : undefined;
    if (!spec) bad(unknownFlag(flag.name, form, Object.keys(flagSpecs)));
    if (Object.hasOwn(flags, flag.name)) bad(`--${flag.name} is given twice; give it once`);
    if (spec.value === undefined) {
      if (flag.inline !== undefined) bad(`--${flag.name} takes no value (found ${q(flag.inline)}); just say --${flag.name}`);
      flags[flag.name] = true;
      return;
    }
    let value = flag.inline;
    if (value === undefined && lexer.peek() !== undefined && !isFlag(lexer.peek())) value = lexer.next()!.value;
    if (value !== undefined && spec.words) value = words(value);
    const unit = lexer.peek();
    if (value !== undefined && spec.unit && flag.inline === undefined && unit && !unit.quoted && spec.unit.test(unit.value)) value += lexer.next()!.value;
    if (value === undefined || value.trim() === '') bad(`--${flag.name} needs a value: --${flag.name} ${spec.value}`);
    flags[flag.name] = spec.check ? spec.check(value.trim()) : value.trim();
  }
  for (let token = lexer.next(); token !== undefined; token = lexer.next()) readFlag(token);
  const command = form.build(args, optional, flags);
  const where = { ...opt('region', str(flags, 'region')), ...opt('account', str(flags, 'account')) };
  return Object.keys(where).length > 0 ? { ...command, where } : command;
}

/** A description is the rest of the line; quotes around all of it are dropped, runs of spaces collapsed. */
function freeTextRest(rest: string, form: Form): string | undefined {
  if (rest === '') return undefined;
  const check = form.optional!.check;
  if (closersFor(rest[0]) !== undefined) {
    const sub = new Lexer(rest);
    const only = sub.next()!;
    if (sub.next() === undefined) return only.value === '' ? undefined : check(only.value);
  }
  if (asFlag({ value: rest.split(' ')[0], quoted: false })) {
    const allowed = Object.keys(form.flags ?? {});
    bad(
      allowed.length
        ? `${form.title} takes only ${allowed.map((f) => `--${f}`).join(', ')} before the description: everything else after the ID is the description (quote it if it starts with --)`
        : `${form.title} takes no flags: everything after the ID is the description (quote it if it starts with --)`,
    );
  }
  return check(rest.replace(/ +/g, ' '));
}

function unknownFlag(name: string, form: Form, allowed: string[]): string {
  const own = Object.keys(form.flags ?? {});
  const scoped = allowed.length > own.length ? ' (besides --region and --account)' : '';
  if (own.length === 0) return `unknown flag --${name}: ${form.title} takes no flags${scoped}`;
  const guess = closest(name, allowed);
  return (
    `unknown flag --${name}${guess ? ` (did you mean --${guess}?)` : ''}: ` +
    `${form.title} takes these flags: ${own.map((f) => `--${f}`).join(', ')}${scoped ? ', and --region, --account' : ''}`
  );
}

function strayWord(word: string, form: Form): string {
  const single = /^-([a-z][a-z-]*)$/i.exec(word)?.[1]?.toLowerCase();
  if (single && Object.hasOwn(form.flags ?? {}, single)) return `unexpected ${q(word)}: flags take two dashes, --${single}`;
  const more = Object.keys(form.flags ?? {}).length > 0 ? '; anything after the arguments must be a --flag' : '';
  return `unexpected ${q(word)}: ${form.title} takes ${describeArgs(form)}${more}`;
}

function describeArgs(form: Form): string {
  const names = [...(form.args ?? []), ...(form.optional ? [form.optional] : [])].map((a) => a.name);
  return names.length === 0 ? 'no arguments' : names.join(' ');
}

/** The candidate within two edits of `word`, for "did you mean". */
function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c);
    if (d < bestDistance && d < c.length) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
