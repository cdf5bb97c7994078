// The sandbox's Service Quotas, in its own protocol (JSON 1.1, X-Amz-Target ServiceQuotasV20190624.GetServiceQuota
// and .GetAWSDefaultServiceQuota; botocore's service-quotas model), answering the one quota snapbot reads: EBS
// Snapshots per Region (L-309BACF6), AWS's default 100 000 unless a test or the console applies another.
import { JsonApiError } from './json-api.js';

const EBS_SNAPSHOTS = { ServiceCode: 'ebs', QuotaCode: 'L-309BACF6' } as const;
const DEFAULT_VALUE = 100_000;

export class SandboxServiceQuotas {
  /** Region → the applied quota, where one was raised. */
  readonly applied = new Map<string, number>();

  handle(target: string, region: string, body: Record<string, unknown>): Record<string, unknown> {
    const operation = target.split('.').pop() ?? '';
    if (operation !== 'GetServiceQuota' && operation !== 'GetAWSDefaultServiceQuota') {
      throw new JsonApiError('UnknownOperationException', `The sandbox's Service Quotas does not answer ${operation}.`, 400);
    }
    if (body.ServiceCode !== EBS_SNAPSHOTS.ServiceCode || body.QuotaCode !== EBS_SNAPSHOTS.QuotaCode) {
      throw new JsonApiError('NoSuchResourceException', `The request failed because the specified quota ${String(body.ServiceCode)}/${String(body.QuotaCode)} does not exist.`, 400);
    }
    const value = operation === 'GetServiceQuota' ? (this.applied.get(region) ?? DEFAULT_VALUE) : DEFAULT_VALUE;
    return {
      Quota: {
        ...EBS_SNAPSHOTS,
        ServiceName: 'Amazon Elastic Block Store (Amazon EBS)',
        QuotaArn: `arn:aws:servicequotas:${region}::ebs/L-309BACF6`,
        QuotaName: 'Snapshots per Region',
        Value: value,
        Unit: 'None',
        Adjustable: true,
        GlobalQuota: false,
      },
    };
  }
}
