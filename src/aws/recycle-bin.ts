// The only user of the Recycle Bin SDK: which retention rules would keep a deleted snapshot or AMI, and how long.
// (What the bin holds, and restoring from it, are EC2 calls: src/aws/ec2.ts.)
import { GetRuleCommand, RbinClient, paginateListRules, type ResourceType } from '@aws-sdk/client-rbin';
import type { RecycleBinRule } from '../core/recycle-bin.js';
import { translateAwsError } from './errors.js';
import { RegionalClients, type RegionalOptions } from './regional.js';

const SERVICE = { iamPrefix: 'rbin', name: 'Recycle Bin' } as const;

/** Retention rules change rarely; every deletion card reads them, so a region's are kept this long. */
const RULES_TTL_MS = 5 * 60_000;

export class RecycleBinGateway {
  private readonly clients: RegionalClients<RbinClient>;
  private readonly cache = new Map<string, { at: number; rules: Promise<RecycleBinRule[]> }>();

  constructor(opts: RegionalOptions = {}) {
    this.clients = new RegionalClients((config) => new RbinClient(config), opts);
  }

  private client(region: string): RbinClient {
    return this.clients.get(region);
  }

  destroy(): void {
    this.clients.destroy();
  }

  /** The region's rules, read at most every five minutes (a failed read is not kept). */
  rules(region: string, now = Date.now()): Promise<RecycleBinRule[]> {
    const hit = this.cache.get(region);
    if (hit && now - hit.at < RULES_TTL_MS) return hit.rules;
    const rules = this.readRules(region);
    this.cache.set(region, { at: now, rules });
    rules.catch(() => this.cache.delete(region));
    return rules;
  }

  /** Every retention rule for snapshots and for AMIs in the region (ListRules needs the resource type). */
  private async readRules(region: string): Promise<RecycleBinRule[]> {
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
