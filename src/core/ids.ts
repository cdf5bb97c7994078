// The shapes of the identifiers snapbot accepts from people. Checking the shape first means a typo is answered at
// once, privately, with what was wrong, instead of becoming an AWS call and an AWS error.

const hexId = (prefix: string) => new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`);

// Region names are a country/area code, an optional partition marker (gov, iso, isob, …), a compass direction and
// a number: us-east-1, eu-central-2, ap-southeast-5, us-gov-west-1, us-isob-east-1, cn-northwest-1, and the
// European Sovereign Cloud's eusc-de-east-1. Naming the directions catches "us-esat-1" rather than trusting it.
const REGION_SOURCE =
  '(?:[a-z]{2}|eusc-[a-z]{2})(?:-gov|-iso[a-z]?)?-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\\d{1,2}';

// A zone name is its region plus a letter (us-east-1a), or a Local Zone (us-west-2-lax-1a). Zone IDs (use1-az1)
// are deliberately not accepted here: CreateVolume takes them in a different parameter, so a zone ID in
// `availabilityZone` would fail at AWS; the grammar tells the user to give the zone name instead.
const AZ_SOURCE = `${REGION_SOURCE}(?:[a-z]|-[a-z]{3}(?:-[a-z]{3})?-\\d[a-z])`;

const UUID_SOURCE = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const KEY_ID_SOURCE = `(?:${UUID_SOURCE}|mrk-[0-9a-f]{32})`;
const ALIAS_SOURCE = 'alias/[A-Za-z0-9/_-]{1,250}';
const KMS_ARN_PREFIX = `arn:aws(?:-cn|-us-gov|-iso[a-z]?|-eusc)?:kms:${REGION_SOURCE}:\\d{12}:`;

// Instance types: a family (t3, m7g, c6gn, x2iedn, mac2-m2pro, u-6tb1, m7i-flex, …) always containing a digit,
// then a size. The family list changes every year, so only the shape is checked.
const INSTANCE_SIZE = '(?:nano|micro|small|medium|large|xlarge|\\d{1,3}xlarge|metal(?:-\\d{1,3}xl)?)';

export const ID_PATTERNS = {
  volume: hexId('vol'),
  snapshot: hexId('snap'),
  image: hexId('ami'),
  instance: hexId('i'),
  subnet: hexId('subnet'),
  account: /^\d{12}$/,
  region: new RegExp(`^${REGION_SOURCE}$`),
  az: new RegExp(`^${AZ_SOURCE}$`),
  /** Key ID (uuid or multi-Region mrk-…), key ARN, alias/name, or alias ARN: what EC2's KmsKeyId accepts. */
  kmsKey: new RegExp(`^(?:${KEY_ID_SOURCE}|${ALIAS_SOURCE}|${KMS_ARN_PREFIX}(?:key/${KEY_ID_SOURCE}|${ALIAS_SOURCE}))$`),
  /** Device names EC2 accepts for attaching an EBS data volume to a Linux instance (the root, sda1/xvda, is taken). */
  device: /^\/dev\/(?:sd[b-z]|xvd[b-z]|xvd[bc][a-z])$/,
  instanceType: new RegExp(`^(?=[a-z0-9-]*\\d)[a-z][a-z0-9]*(?:-[a-z0-9]+)*\\.${INSTANCE_SIZE}$`),
} satisfies Record<string, RegExp>;

/** A zone ID such as use1-az1 (as opposed to a zone name such as us-east-1a). */
export const ZONE_ID_PATTERN = /^[a-z]{2,5}\d{1,2}-az\d{1,2}$/;

export type ResourceKind = 'volume' | 'snapshot' | 'image' | 'instance';

export const RESOURCE_PREFIX: Record<ResourceKind, string> = {
  volume: 'vol',
  snapshot: 'snap',
  image: 'ami',
  instance: 'i',
};

/** Which kind of resource a well-formed ID names; undefined for anything malformed. */
export function resourceKindOf(id: string): ResourceKind | undefined {
  for (const kind of Object.keys(RESOURCE_PREFIX) as ResourceKind[]) {
    if (ID_PATTERNS[kind].test(id)) return kind;
  }
  return undefined;
}

/** Which kind of resource an ID was meant to name, judged by its prefix alone (any case): for helpful errors. */
export function intendedKindOf(text: string): ResourceKind | undefined {
  const prefix = /^([a-z]+)-/i.exec(text)?.[1]?.toLowerCase();
  return (Object.keys(RESOURCE_PREFIX) as ResourceKind[]).find((kind) => RESOURCE_PREFIX[kind] === prefix);
}
