// Value checks: each takes a value as typed and returns it normalised, or throws Bad naming it and what is allowed.
import { SCHEDULE_INTERVALS, type ScheduleTarget, type ShareTarget, VOLUME_TYPES } from '../commands.js';
import { ACCOUNT_ALIAS } from '../accounts.js';
import { ID_PATTERNS, RESOURCE_PREFIX, type ResourceKind, ZONE_ID_PATTERN, resourceKindOf } from '../ids.js';
import { bad, length, q, MAX_DESCRIPTION_LENGTH, MAX_REASON_LENGTH } from './lexer.js';
import type { Check, FlagSpec } from './spec.js';

// ───────────────────────────── value checks ─────────────────────────────
// Each takes the text as typed and returns it normalised, or throws Bad naming the value and what is allowed.


export const KIND_LABEL: Record<ResourceKind, string> = {
  volume: 'a volume',
  snapshot: 'a snapshot',
  image: 'an AMI',
  instance: 'an instance',
};

export function orList(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** An ID of one of `kinds`; `hint` adds what to do when it is a well-formed ID of another kind. */
export function resourceId(kinds: ResourceKind[], hint: Partial<Record<ResourceKind, (id: string) => string>> = {}): Check {
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

export const region: Check = (value) => {
  const v = value.toLowerCase();
  if (ID_PATTERNS.region.test(v)) return v;
  if (ID_PATTERNS.az.test(v)) bad(`${q(value)} is an availability zone, not a region: try ${v.slice(0, -1)}`);
  return bad(`${q(value)} is not a region: expected a region name such as us-east-1, eu-west-2 or ap-southeast-1`);
};

export const availabilityZone: Check = (value) => {
  const v = value.toLowerCase();
  if (ID_PATTERNS.az.test(v)) return v;
  if (ID_PATTERNS.region.test(v)) bad(`${q(value)} is a region, not an availability zone: add the zone letter, e.g. ${v}a`);
  if (ZONE_ID_PATTERN.test(v)) {
    bad(`${q(value)} is a zone ID: give the zone name instead, e.g. us-east-1a (describe-availability-zones lists both)`);
  }
  return bad(`${q(value)} is not an availability zone: expected a region followed by a zone letter, e.g. us-east-1a or eu-west-2b`);
};

export const kmsKey: Check = (value) => {
  if (ID_PATTERNS.kmsKey.test(value)) return value;
  if (ID_PATTERNS.kmsKey.test(value.toLowerCase())) bad(`${q(value)} is not a KMS key: key IDs are lowercase, try ${value.toLowerCase()}`);
  return bad(
    `${q(value)} is not a KMS key: expected a key ID (1234abcd-12ab-34cd-56ef-1234567890ab), a key ARN, alias/name or an alias ARN`,
  );
};

export const device = pattern(
  ID_PATTERNS.device,
  'a device name',
  '/dev/sd[b-z] or /dev/xvd[b-z], e.g. /dev/sdf',
  (v) => (/^(?:sd|xvd)[a-z]+$/.test(v) ? `/dev/${v}` : v),
);

export const instanceType = pattern(ID_PATTERNS.instanceType, 'an instance type', 'family.size, e.g. t3.micro or m7g.2xlarge', (v) =>
  v.toLowerCase(),
);

export const subnet: Check = (value) => {
  if (ID_PATTERNS.subnet.test(value)) return value;
  if (ID_PATTERNS.subnet.test(value.toLowerCase())) bad(`${q(value)} is not a subnet ID: AWS IDs are lowercase, try ${value.toLowerCase()}`);
  return bad(`${q(value)} is not a subnet ID: expected subnet- followed by 8 or 17 hex digits, e.g. subnet-0abc1234def567890`);
};

/** snapbot's request IDs are ULIDs: 26 characters of Crockford base32. */
export const requestId = pattern(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a request ID', 'the 26-character ID on the request card, e.g. 01JB2Z3K4M5N6P7Q8R9S0T1V2W', (v) =>
  v.replace(/^`|`$/g, '').toUpperCase(),
);

export const keyPairName = pattern(/^[\x20-\x7e]{1,255}$/, 'a key pair name', 'up to 255 ASCII characters');

export const volumeType: Check = (value) => {
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
export const architecture: Check = (value) =>
  Object.hasOwn(ARCHITECTURES, value.toLowerCase())
    ? ARCHITECTURES[value.toLowerCase()]
    : bad(`${q(value)} is not an architecture: use x86_64 or arm64`);

export const amiName: Check = (value) => {
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
export const description = freeText('description', MAX_DESCRIPTION_LENGTH, 'EC2');
export const reason = freeText('reason', MAX_REASON_LENGTH, 'snapbot');

/** Whole numbers only; `unit` (e.g. GiB) may be typed after the number. */
export function wholeNumber(flag: string, min: number, max: number, unit = '', suffix?: RegExp): Check {
  return (value) => {
    const digits = suffix ? value.replace(suffix, '') : value;
    const n = /^\d{1,9}$/.test(digits) ? Number(digits) : NaN;
    if (!(n >= min && n <= max)) bad(`${flag} must be a whole number from ${min} to ${max}${unit}, not ${q(value)}`);
    return String(n);
  };
}

export const shareTarget: Check = (value) => {
  if (value.toLowerCase() === 'public') return 'public';
  if (ID_PATTERNS.account.test(value)) return value;
  if (/^\d{4}-\d{4}-\d{4}$/.test(value)) return value.replace(/-/g, '');
  if (value.toLowerCase() === 'all') bad(`${q(value)}: to share with everyone, say public`);
  return bad(`${q(value)} is not an account ID: expected 12 digits (123456789012 or 1234-5678-9012) or the word public`);
};

/** `vol-…`, `i-…` or `tag:Key=Value` (volumes with that tag). */
export const scheduleTarget: Check = (value) => {
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

export function toScheduleTarget(value: string): ScheduleTarget {
  if (value.startsWith('tag:')) {
    const [key, ...rest] = value.slice(4).split('=');
    return { type: 'tag', key, value: rest.join('=') };
  }
  return value.startsWith('vol-') ? { type: 'volume', volumeId: value } : { type: 'instance', instanceId: value };
}

export const every: Check = (value) => {
  const m = /^(\d{1,3})\s*(?:h|hours?)?$/i.exec(value.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!(SCHEDULE_INTERVALS as readonly number[]).includes(n)) {
    bad(`--every ${q(value)} is not an interval Data Lifecycle Manager supports: use ${SCHEDULE_INTERVALS.map((h) => `${h}h`).join(', ')}`);
  }
  return String(n);
};

export const timeOfDay: Check = (value) => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) bad(`--at ${q(value)} is not a time of day: expected HH:MM in UTC, 00:00–23:59, e.g. --at 03:00`);
  return `${m[1].padStart(2, '0')}:${m[2]}`;
};

/** Schedule names live in a tag key (snapbot:schedule:<name>) and in the policy's tags. */
export const scheduleName = pattern(/^[A-Za-z0-9_.-]{1,64}$/, 'a schedule name', '1–64 letters, digits, ".", "_" or "-", e.g. web-daily');

/** A DLM policy ID (policy-…) or a schedule's name. */
export const policyRef: Check = (value) => {
  if (/^policy-[0-9a-f]{8,}$/i.test(value)) return value.toLowerCase();
  return pattern(/^[A-Za-z0-9_.-]{1,64}$/, 'a schedule', 'a policy ID (policy-0123456789abcdef0) or a schedule name from /snapshot schedules')(value);
};

/** The day count of --expires-in: `7d`, `7 days` or `7`. */
/** `/snapshot cleanup`'s kind: one of the batch kinds, or all of them. */
export const cleanupWhat: Check = (value) => {
  const v = value.toLowerCase();
  const kinds = ['superseded', 'orphaned', 'copies', 'amis', 'all'];
  if (kinds.includes(v)) return v;
  return bad(`${q(value)} is not a kind of cleanup: expected superseded (older snapshots of a live volume), orphaned (volume gone), copies, amis or all`);
};

export const olderThan = wholeNumber('--older-than', 1, 3650, ' days (e.g. --older-than 180d)', /\s*d(?:ays?)?$/i);

export const expiresIn = wholeNumber('--expires-in', 1, 365, ' days (e.g. --expires-in 7d)', /\s*d(?:ays?)?$/i);

/** `--account`: an alias from the managed accounts, or a 12-digit ID (which one it means is resolved later). */
const accountRef: Check = (value) => {
  if (ID_PATTERNS.account.test(value)) return value;
  if (/^\d{4}-\d{4}-\d{4}$/.test(value)) return value.replace(/-/g, '');
  if (ACCOUNT_ALIAS.test(value)) return value;
  return bad(`--account ${q(value)} is not an account: expected an alias such as dev, or a 12-digit account ID`);
};

/** Taken by every form that acts in AWS: which region, and which of the managed accounts. */
export const SCOPE_FLAGS = {
  region: { value: 'R', check: region },
  account: { value: '<alias|ID>', check: accountRef },
} satisfies Record<string, FlagSpec>;

export function toShareTarget(value: string): ShareTarget {
  return value === 'public' ? { type: 'public' } : { type: 'account', accountId: value };
}

// ───────────────────────────── flags and IDs several commands share ─────────────────────────────

export const encryptedCopy = {
  'to-region': { value: 'R', check: region },
  encrypt: {},
  'kms-key': { value: 'K', check: kmsKey },
} satisfies Record<string, FlagSpec>;
export const reasonFlag = { value: '"…"', check: reason, words: true } satisfies FlagSpec;

export const volumeId = resourceId(['volume'], {
  snapshot: (id) => `to copy it, /snapshot copy ${id}; to restore it, /restore ${id}`,
  instance: (id) => `to snapshot all its volumes, /snapshot instance ${id}`,
  image: (id) => `to see its history, /snapshot audit ${id}`,
});
export const snapshotId = resourceId(['snapshot']);
export const imageId = resourceId(['image']);
export const instanceId = resourceId(['instance']);
export const shareableId = resourceId(['snapshot', 'image'], {
  volume: () => 'only snapshots and AMIs can be shared; snapshot the volume first with /snapshot <vol-id>',
  instance: () => 'only snapshots and AMIs can be shared; make an AMI first with /ami create <i-id> <name>',
});
