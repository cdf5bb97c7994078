import { Ec2Error, errors } from '../errors.js';
import { compileFilters, readFilters, type FilterFields } from '../filters.js';
import { idPrefixOf } from '../ids.js';
import { KNOWN_REGIONS, availabilityZones, zoneId } from '../regions.js';
import type { LaunchTemplateRecord, LaunchTemplateVersionRecord, Tags } from '../state.js';
import { tagSet, type XmlObject } from '../xml.js';
import { checkId, checkTagKey, iso, maxResults, mergeTags, type ActionContext, type ActionHandler } from './context.js';
import { blockDeviceXml } from './images.js';

interface NamedValue {
  name: string;
  tags: Tags;
}

const describeRegions: ActionHandler = (ctx) => {
  const wanted = ctx.p.strList('RegionName');
  for (const name of wanted) {
    if (!KNOWN_REGIONS.includes(name)) throw errors.invalidValue(`Invalid region: ${name}`);
  }
  const fields: FilterFields<NamedValue> = {
    'region-name': (r) => r.name,
    endpoint: (r) => `ec2.${r.name}.amazonaws.com`,
    'opt-in-status': () => 'opt-in-not-required',
  };
  const match = compileFilters(readFilters(ctx.p), fields);
  const regions = (wanted.length ? wanted : KNOWN_REGIONS).map((name) => ({ name, tags: {} })).filter(match);
  return {
    regionInfo: regions.map((r) => ({
      regionName: r.name,
      regionEndpoint: `ec2.${r.name}.amazonaws.com`,
      optInStatus: 'opt-in-not-required',
    })),
  };
};

const describeAvailabilityZones: ActionHandler = (ctx) => {
  const zones = availabilityZones(ctx.region);
  const names = ctx.p.strList('ZoneName');
  const ids = ctx.p.strList('ZoneId');
  for (const z of names) if (!zones.includes(z)) throw errors.invalidValue(`The zone '${z}' does not exist.`);
  const fields: FilterFields<NamedValue> = {
    'zone-name': (z) => z.name,
    'zone-id': (z) => zoneId(z.name),
    state: () => 'available',
    'zone-type': () => 'availability-zone',
    'region-name': () => ctx.region,
    'opt-in-status': () => 'opt-in-not-required',
  };
  const match = compileFilters(readFilters(ctx.p), fields);
  const chosen = zones
    .filter((z) => (!names.length || names.includes(z)) && (!ids.length || ids.includes(zoneId(z))))
    .map((name) => ({ name, tags: {} }))
    .filter(match);
  return {
    availabilityZoneInfo: chosen.map((z) => ({
      zoneName: z.name,
      zoneId: zoneId(z.name),
      zoneState: 'available',
      regionName: ctx.region,
      groupName: ctx.region,
      networkBorderGroup: ctx.region,
      optInStatus: 'opt-in-not-required',
      zoneType: 'availability-zone',
      messageSet: [],
    })),
  };
};

/** The tags object of any taggable resource, or the NotFound error EC2 gives for its kind. */
function taggable(ctx: ActionContext, id: string): Tags {
  const { r } = ctx;
  switch (idPrefixOf(id)) {
    case 'vol': {
      const v = r.volumes.get(id);
      if (!v) throw errors.volumeNotFound(id);
      return v.tags;
    }
    case 'snap': {
      const s = r.snapshots.get(id);
      if (!s) throw errors.snapshotNotFound(id);
      return s.tags;
    }
    case 'ami': {
      const i = r.images.get(id);
      if (!i) throw errors.imageNotFound(id);
      return i.tags;
    }
    case 'i': {
      const i = r.instances.get(id);
      if (!i) throw errors.instanceNotFound(id);
      return i.tags;
    }
    case 'lt': {
      const t = r.launchTemplates.get(id);
      if (!t) throw launchTemplateIdNotFound();
      return t.tags;
    }
    default:
      throw new Ec2Error('InvalidID', `The ID '${id}' is not valid`);
  }
}

const createTags: ActionHandler = (ctx) => {
  const resources = ctx.p.strList('ResourceId');
  if (!resources.length) throw errors.missingParameter('ResourceId');
  const add: Tags = {};
  for (const tag of ctx.p.list('Tag')) {
    const key = tag.req('Key');
    checkTagKey(key);
    add[key] = tag.str('Value') ?? '';
  }
  // Resolve every ID first so one bad ID changes nothing, as in EC2.
  const targets = resources.map((id) => taggable(ctx, id));
  for (const tags of targets) mergeTags(tags, add);
  return { return: true };
};

const deleteTags: ActionHandler = (ctx) => {
  const resources = ctx.p.strList('ResourceId');
  if (!resources.length) throw errors.missingParameter('ResourceId');
  const keys = ctx.p.list('Tag').map((t) => ({ key: t.req('Key'), value: t.str('Value') }));
  for (const { key } of keys) checkTagKey(key);
  const targets = resources.map((id) => taggable(ctx, id));
  for (const tags of targets) {
    if (!keys.length) {
      for (const k of Object.keys(tags)) delete tags[k];
      continue;
    }
    // A given value (even '') deletes the tag only when it matches.
    for (const { key, value } of keys) if (value === undefined || tags[key] === value) delete tags[key];
  }
  return { return: true };
};

function launchTemplateIdNotFound(): Ec2Error {
  return new Ec2Error('InvalidLaunchTemplateId.NotFound', 'At least one of the launch templates specified in the request does not exist.');
}

function launchTemplateNameNotFound(): Ec2Error {
  return new Ec2Error(
    'InvalidLaunchTemplateName.NotFoundException',
    'At least one of the launch templates specified in the request does not exist.',
  );
}

function launchTemplateXml(ctx: ActionContext, t: LaunchTemplateRecord): XmlObject {
  return {
    launchTemplateId: t.id,
    launchTemplateName: t.name,
    createTime: iso(t.createMs),
    createdBy: `arn:aws:iam::${ctx.state.accountId}:user/sandbox`,
    defaultVersionNumber: t.defaultVersion,
    latestVersionNumber: t.versions.length,
    tagSet: Object.keys(t.tags).length ? tagSet(t.tags) : undefined,
  };
}

function templateByName(ctx: ActionContext, name: string): LaunchTemplateRecord | undefined {
  for (const t of ctx.r.launchTemplates.values()) if (t.name === name) return t;
  return undefined;
}

const describeLaunchTemplates: ActionHandler = (ctx) => {
  const { p, r } = ctx;
  const ids = p.strList('LaunchTemplateId');
  const names = p.strList('LaunchTemplateName');
  const max = maxResults(p, 1, 200);
  const fields: FilterFields<LaunchTemplateRecord> = {
    'launch-template-name': (t) => t.name,
    'create-time': (t) => new Date(t.createMs).toISOString(),
  };
  const match = compileFilters(readFilters(p), fields);
  if (ids.length || names.length) {
    const found = [
      ...ids.map((id) => r.launchTemplates.get(checkId(id, 'lt')) ?? raise(launchTemplateIdNotFound())),
      ...names.map((n) => templateByName(ctx, n) ?? raise(launchTemplateNameNotFound())),
    ];
    return { launchTemplates: found.filter(match).map((t) => launchTemplateXml(ctx, t)) };
  }
  const page = r.launchTemplates.page(match, max, p.str('NextToken'));
  return { launchTemplates: page.items.map((t) => launchTemplateXml(ctx, t)), nextToken: page.nextToken };
};

function raise(e: Error): never {
  throw e;
}

interface VersionView {
  template: LaunchTemplateRecord;
  version: LaunchTemplateVersionRecord;
  tags: Tags;
}

/** `$Latest`, `$Default` or a number, resolved against one template. */
function resolveVersion(t: LaunchTemplateRecord, spec: string): LaunchTemplateVersionRecord {
  const n = spec === '$Latest' ? t.versions.length : spec === '$Default' ? t.defaultVersion : Number(spec);
  const v = Number.isInteger(n) ? t.versions[n - 1] : undefined;
  if (!v) {
    throw new Ec2Error(
      'InvalidLaunchTemplateId.VersionNotFound',
      `Could not find launch template version ${spec} for launch template ID ${t.id}.`,
    );
  }
  return v;
}

const describeLaunchTemplateVersions: ActionHandler = (ctx) => {
  const { p } = ctx;
  const id = p.str('LaunchTemplateId');
  const name = p.str('LaunchTemplateName');
  if (id && name) throw errors.combination('Specify either LaunchTemplateId or LaunchTemplateName, not both.');
  const templates = id
    ? [ctx.r.launchTemplates.get(checkId(id, 'lt')) ?? raise(launchTemplateIdNotFound())]
    : name
      ? [templateByName(ctx, name) ?? raise(launchTemplateNameNotFound())]
      : [...ctx.r.launchTemplates.values()];
  const specs = p.strList('LaunchTemplateVersion');
  const min = p.int('MinVersion');
  const maxVersion = p.int('MaxVersion');
  const fields: FilterFields<VersionView> = {
    'image-id': (v) => v.version.imageId,
    'instance-type': (v) => v.version.instanceType,
    'is-default-version': (v) => v.version.versionNumber === v.template.defaultVersion,
    'create-time': (v) => new Date(v.version.createMs).toISOString(),
  };
  const match = compileFilters(readFilters(p), fields);
  const views: VersionView[] = templates.flatMap((template) => {
    const versions = specs.length ? [...new Set(specs.map((s) => resolveVersion(template, s)))] : template.versions;
    return versions
      .filter((v) => (min === undefined || v.versionNumber >= min) && (maxVersion === undefined || v.versionNumber <= maxVersion))
      .map((version) => ({ template, version, tags: {} }));
  });
  const matching = views.filter(match);
  const max = maxResults(p, 1, 200);
  const start = p.str('NextToken') ? decodeOffset(p.str('NextToken')!) : 0;
  const end = max === undefined ? matching.length : start + max;
  return {
    launchTemplateVersionSet: matching.slice(start, end).map(({ template, version }) => ({
      launchTemplateId: template.id,
      launchTemplateName: template.name,
      versionNumber: version.versionNumber,
      versionDescription: version.description,
      createTime: iso(version.createMs),
      createdBy: `arn:aws:iam::${ctx.state.accountId}:user/sandbox`,
      defaultVersion: version.versionNumber === template.defaultVersion,
      launchTemplateData: {
        imageId: version.imageId,
        instanceType: version.instanceType,
        blockDeviceMappingSet: version.blockDevices.length ? version.blockDevices.map(blockDeviceXml) : undefined,
      },
    })),
    nextToken: end < matching.length ? Buffer.from(`ltv:${end}`).toString('base64url') : undefined,
  };
};

function decodeOffset(token: string): number {
  const [kind, n] = Buffer.from(token, 'base64url').toString('utf8').split(':');
  const offset = Number(n);
  if (kind !== 'ltv' || !Number.isInteger(offset) || offset < 0) throw errors.invalidToken(token);
  return offset;
}

export const accountActions: Record<string, ActionHandler> = {
  DescribeRegions: describeRegions,
  DescribeAvailabilityZones: describeAvailabilityZones,
  CreateTags: createTags,
  DeleteTags: deleteTags,
  DescribeLaunchTemplates: describeLaunchTemplates,
  DescribeLaunchTemplateVersions: describeLaunchTemplateVersions,
};
