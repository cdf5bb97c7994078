/** Regions enabled by default in a commercial account, with how many AZs each offers. */
const REGION_AZS: Record<string, string> = {
  'us-east-1': 'abcdef',
  'us-east-2': 'abc',
  'us-west-1': 'ac',
  'us-west-2': 'abcd',
  'ca-central-1': 'abd',
  'eu-west-1': 'abc',
  'eu-west-2': 'abc',
  'eu-west-3': 'abc',
  'eu-central-1': 'abc',
  'eu-north-1': 'abc',
  'ap-south-1': 'abc',
  'ap-northeast-1': 'acd',
  'ap-northeast-2': 'abcd',
  'ap-northeast-3': 'abc',
  'ap-southeast-1': 'abc',
  'ap-southeast-2': 'abc',
  'sa-east-1': 'abc',
};

export const KNOWN_REGIONS = Object.keys(REGION_AZS);

const REGION_SHAPE = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export function isRegionName(name: string): boolean {
  return REGION_SHAPE.test(name);
}

export function availabilityZones(region: string): string[] {
  return [...(REGION_AZS[region] ?? 'abc')].map((letter) => region + letter);
}

export function isZoneOf(region: string, zone: string): boolean {
  return availabilityZones(region).includes(zone);
}

/** Zone IDs such as `use1-az1`, which real accounts map to letters in their own order. */
export function zoneId(zone: string): string {
  const region = zone.slice(0, -1);
  const [geo, dir, num] = region.split('-');
  const short = `${geo}${dir.replace(/(north|south|east|west|central)/g, (m) => m[0])}${num}`;
  return `${short}-az${zone.charCodeAt(zone.length - 1) - 96}`;
}
