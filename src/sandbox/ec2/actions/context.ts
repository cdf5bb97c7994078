import { Ec2Error, errors } from '../errors.js';
import { isWellFormedId, type IdPrefix } from '../ids.js';
import type { Params } from '../query.js';
import type { Ec2State, RegionState, Tags } from '../state.js';
import type { XmlObject } from '../xml.js';

export interface ActionContext {
  state: Ec2State;
  /** The region of the request, from its SigV4 credential scope. */
  region: string;
  r: RegionState;
  p: Params;
  /** The clock reading for the whole request, so one answer never mixes two instants. */
  now: number;
}

export type ActionHandler = (ctx: ActionContext) => XmlObject;

const MALFORMED_CODE: Record<string, string> = {
  vol: 'InvalidVolumeID.Malformed',
  snap: 'InvalidSnapshotID.Malformed',
  ami: 'InvalidAMIID.Malformed',
  i: 'InvalidInstanceID.Malformed',
  lt: 'InvalidLaunchTemplateId.Malformed',
};

export function checkId(id: string, prefix: IdPrefix): string {
  if (!isWellFormedId(id, prefix)) throw errors.malformed(MALFORMED_CODE[prefix] ?? 'InvalidParameterValue', id, prefix);
  return id;
}

/**
 * MaxResults as EC2 treats it: absent means "everything", below the minimum is an error,
 * above the maximum is quietly capped.
 */
export function maxResults(p: Params, min: number, max: number): number | undefined {
  const n = p.int('MaxResults');
  if (n === undefined) return undefined;
  if (n < min) {
    throw errors.invalidValue(`Value ( ${n} ) for parameter maxResults is invalid. Expecting a value greater than ${min - 1}.`);
  }
  return Math.min(n, max);
}

/** `TagSpecification.N` tags for one resource type; other types the action cannot tag are refused as EC2 does. */
export function tagsFor(p: Params, resourceType: string, allowed: readonly string[]): Tags {
  const tags: Tags = {};
  for (const spec of p.list('TagSpecification')) {
    const type = spec.req('ResourceType');
    if (!allowed.includes(type)) {
      throw errors.invalidValue(`'${type}' is not a valid taggable resource type for this operation.`);
    }
    if (type !== resourceType) continue;
    for (const tag of spec.list('Tag')) {
      const key = tag.req('Key');
      checkTagKey(key);
      tags[key] = tag.str('Value') ?? '';
    }
  }
  return tags;
}

export function checkTagKey(key: string): void {
  if (key.toLowerCase().startsWith('aws:')) {
    throw errors.invalidValue(`Value ( ${key} ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use`);
  }
  if (key.length > 128) throw errors.invalidValue(`Tag key exceeds the maximum length of 128 characters: ${key}`);
}

export function mergeTags(target: Tags, add: Tags): void {
  for (const k in add) target[k] = add[k];
  if (Object.keys(target).length > 50) {
    throw new Ec2Error('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');
  }
}

export function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

export const ACCOUNT_ID_SHAPE = /^\d{12}$/;
