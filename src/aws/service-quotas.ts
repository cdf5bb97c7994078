// The only user of Service Quotas: how many EBS snapshots a region may hold (ServiceCode ebs, QuotaCode L-309BACF6,
// "Snapshots per Region"). The applied quota (GetServiceQuota), else AWS's default (GetAWSDefaultServiceQuota),
// else — when neither can be read — the published default of 100 000, labelled as such. Read once a day per
// account and region: a quota changes when someone asks AWS for more, not by the minute.
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { RegionalClients, type RegionalOptions } from './regional.js';

export const SNAPSHOT_QUOTA = { ServiceCode: 'ebs', QuotaCode: 'L-309BACF6' } as const;
/** AWS's published default for Snapshots per Region, when Service Quotas cannot be read. */
const PUBLISHED_DEFAULT = 100_000;
const REMEMBER_MS = 24 * 3_600_000;

export interface SnapshotQuota {
  value: number;
  /** applied: the account's quota; default: AWS's default (none applied); assumed: neither could be read. */
  source: 'applied' | 'default' | 'assumed';
  /** Why it had to be assumed. */
  why?: string;
}

export class ServiceQuotasGateway {
  private readonly clients: RegionalClients<ServiceQuotasClient>;
  private readonly known = new Map<string, { at: number; quota: Promise<SnapshotQuota> }>();

  constructor(opts: RegionalOptions = {}) {
    this.clients = new RegionalClients((config) => new ServiceQuotasClient(config), opts);
  }

  destroy(): void {
    this.clients.destroy();
  }

  snapshotQuota(region: string, now = Date.now()): Promise<SnapshotQuota> {
    const hit = this.known.get(region);
    if (hit && now - hit.at < REMEMBER_MS) return hit.quota;
    const quota = this.read(region);
    this.known.set(region, { at: now, quota });
    return quota;
  }

  private async read(region: string): Promise<SnapshotQuota> {
    const client = this.clients.get(region);
    let applied: unknown;
    try {
      const out = await client.send(new GetServiceQuotaCommand(SNAPSHOT_QUOTA));
      if (out.Quota?.Value !== undefined) return { value: out.Quota.Value, source: 'applied' };
    } catch (err) {
      applied = err;
    }
    try {
      const out = await client.send(new GetAWSDefaultServiceQuotaCommand(SNAPSHOT_QUOTA));
      if (out.Quota?.Value !== undefined) return { value: out.Quota.Value, source: 'default' };
    } catch (err) {
      const e = (applied ?? err) as { name?: string };
      return { value: PUBLISHED_DEFAULT, source: 'assumed', why: e.name === 'AccessDeniedException' ? 'Service Quotas may not be read (servicequotas:GetServiceQuota)' : 'Service Quotas did not answer' };
    }
    return { value: PUBLISHED_DEFAULT, source: 'assumed', why: 'Service Quotas gave no value' };
  }
}
