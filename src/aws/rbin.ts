// The only user of the Recycle Bin SDK: which retention rules would keep a deleted snapshot or AMI, and how long.
// (What the bin holds, and restoring from it, are EC2 calls: src/aws/ec2.ts.)
import { GetRuleCommand, RbinClient, paginateListRules, type ResourceType } from '@aws-sdk/client-rbin';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { RecycleBinRule } from '../core/recycle-bin.js';
import { translateAwsError } from './errors.js';
import { SDK_LOGGER } from './sdk-logger.js';

const SERVICE = { iamPrefix: 'rbin', name: 'Recycle Bin' } as const;

export class RecycleBinGateway {
  private readonly clients = new Map<string, RbinClient>();

  constructor(private readonly opts: { endpoint?: string; credentials?: AwsCredentialIdentity } = {}) {}

  private client(region: string): RbinClient {
    let c = this.clients.get(region);
    if (!c) {
      c = new RbinClient({
        region,
        ...(this.opts.endpoint ? { endpoint: this.opts.endpoint } : {}),
        ...(this.opts.credentials ? { credentials: this.opts.credentials } : {}),
        retryMode: 'standard',
        maxAttempts: 6,
        logger: SDK_LOGGER,
      });
      this.clients.set(region, c);
    }
    return c;
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }

  /** Every retention rule for snapshots and for AMIs in the region (ListRules needs the resource type). */
  async rules(region: string): Promise<RecycleBinRule[]> {
    const out: RecycleBinRule[] = [];
    for (const type of ['EBS_SNAPSHOT', 'EC2_IMAGE'] as ResourceType[]) {
      try {
        for await (const page of paginateListRules({ client: this.client(region), pageSize: 100 }, { ResourceType: type })) {
          for (const summary of page.Rules ?? []) {
            if (!summary.Identifier) continue;
            // ListRules leaves the rule's tags out; GetRule has them (and ExcludeResourceTags, in newer APIs).
            const r = await this.client(region).send(new GetRuleCommand({ Identifier: summary.Identifier }));
            const exclude = (r as { ExcludeResourceTags?: { ResourceTagKey?: string; ResourceTagValue?: string }[] }).ExcludeResourceTags ?? [];
            if (r.Status && r.Status !== 'available') continue;
            out.push({
              id: summary.Identifier,
              region,
              resourceType: type === 'EBS_SNAPSHOT' ? 'snapshot' : 'image',
              description: r.Description || undefined,
              // The only unit Recycle Bin has is DAYS.
              retentionDays: r.RetentionPeriod?.RetentionPeriodValue ?? 0,
              resourceTags: (r.ResourceTags ?? []).map((t) => ({ key: t.ResourceTagKey ?? '', value: t.ResourceTagValue || undefined })),
              excludeTags: exclude.map((t) => ({ key: t.ResourceTagKey ?? '', value: t.ResourceTagValue || undefined })),
              locked: r.LockState === 'locked' || r.LockState === 'pending_unlock',
            });
          }
        }
      } catch (err) {
        throw translateAwsError(err, { action: 'ListRules', region, service: SERVICE });
      }
    }
    return out;
  }
}
