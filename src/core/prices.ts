// On-demand EC2 prices that an approval card for an instance launch can quote. A small table, shipped with its
// date and scope, because a wrong price is worse than none: any type or region not listed gets no price.
// Source: the AWS EC2 On-Demand pricing page, Linux, shared tenancy, US East (N. Virginia), as of 2026-11.

const PRICE_TABLE_DATE = '2026-11';
const PRICED_REGION = 'us-east-1';

/** USD per hour. */
const US_EAST_1_LINUX: Readonly<Record<string, number>> = {
  't3.nano': 0.0052,
  't3.micro': 0.0104,
  't3.small': 0.0208,
  't3.medium': 0.0416,
  't3.large': 0.0832,
  't3.xlarge': 0.1664,
  't3.2xlarge': 0.3328,
  'm5.large': 0.096,
  'm5.xlarge': 0.192,
  'm5.2xlarge': 0.384,
  'm5.4xlarge': 0.768,
  'm5.8xlarge': 1.536,
  'm5.12xlarge': 2.304,
  'm5.16xlarge': 3.072,
  'm5.24xlarge': 4.608,
  'm6i.large': 0.096,
  'm6i.xlarge': 0.192,
  'm6i.2xlarge': 0.384,
  'm6i.4xlarge': 0.768,
  'c5.large': 0.085,
  'c5.xlarge': 0.17,
  'c5.2xlarge': 0.34,
  'c5.4xlarge': 0.68,
  'c5.9xlarge': 1.53,
  'c5.18xlarge': 3.06,
  'r5.large': 0.126,
  'r5.xlarge': 0.252,
  'r5.2xlarge': 0.504,
  'r5.4xlarge': 1.008,
};

export interface InstancePrice {
  usdPerHour: number;
  /** Where the figure comes from, for the card: "on-demand Linux price in us-east-1, 2026-11". */
  source: string;
}

export function onDemandUsdPerHour(region: string, instanceType: string): InstancePrice | undefined {
  if (region !== PRICED_REGION) return undefined;
  const usdPerHour = US_EAST_1_LINUX[instanceType.toLowerCase()];
  return usdPerHour === undefined ? undefined : { usdPerHour, source: `on-demand Linux price in ${PRICED_REGION}, ${PRICE_TABLE_DATE}` };
}
