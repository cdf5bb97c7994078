// The only user of the Data Lifecycle Manager SDK: lifecycle policies (backup schedules) per region.
import {
  CreateLifecyclePolicyCommand,
  DeleteLifecyclePolicyCommand,
  DLMClient,
  GetLifecyclePoliciesCommand,
  GetLifecyclePolicyCommand,
  UpdateLifecyclePolicyCommand,
  type LifecyclePolicy as SdkPolicy,
  type Schedule as SdkSchedule,
} from '@aws-sdk/client-dlm';
import type { ScheduleSpec } from '../core/commands.js';
import { copyRetentionDays, type LifecyclePolicy, type PolicySchedule, type PolicyState } from '../core/schedules.js';
import type { Tags } from '../core/types.js';
import { translateAwsError, type AwsCallContext } from './errors.js';
import { RegionalClients, type RegionalOptions } from './regional.js';

const SERVICE = { iamPrefix: 'dlm', name: 'Data Lifecycle Manager' } as const;

export interface NewPolicy {
  spec: ScheduleSpec;
  name: string;
  description: string;
  /** The tag the policy targets. */
  targetTag: { key: string; value: string };
  executionRoleArn: string;
  tags: Tags;
}

export class DlmGateway {
  private readonly clients: RegionalClients<DLMClient>;

  constructor(opts: RegionalOptions = {}) {
    this.clients = new RegionalClients((config) => new DLMClient(config), opts);
  }

  private client(region: string): DLMClient {
    return this.clients.get(region);
  }

  destroy(): void {
    this.clients.destroy();
  }

  private async call<T>(ctx: Omit<AwsCallContext, 'service'>, fn: (c: DLMClient) => Promise<T>): Promise<T> {
    try {
      return await fn(this.client(ctx.region));
    } catch (err) {
      throw translateAwsError(err, { ...ctx, service: SERVICE });
    }
  }

  /** Every policy in the region with its details (GetLifecyclePolicies lists only summaries). */
  async listPolicies(region: string): Promise<LifecyclePolicy[]> {
    const summaries = await this.call({ action: 'GetLifecyclePolicies', region }, (c) => c.send(new GetLifecyclePoliciesCommand({})));
    const out: LifecyclePolicy[] = [];
    for (const s of summaries.Policies ?? []) {
      if (!s.PolicyId) continue;
      try {
        out.push(await this.getPolicy(region, s.PolicyId));
      } catch {
        out.push({
          id: s.PolicyId,
          region,
          description: s.Description ?? '',
          state: (s.State ?? 'ERROR') as PolicyState,
          policyType: s.PolicyType ?? 'EBS_SNAPSHOT_MANAGEMENT',
          resourceTypes: [],
          targetTags: [],
          schedules: [],
          tags: { ...(s.Tags ?? {}) },
          defaultPolicy: s.DefaultPolicy,
          summaryOnly: true,
        });
      }
    }
    return out;
  }

  async getPolicy(region: string, policyId: string): Promise<LifecyclePolicy> {
    return this.call({ action: 'GetLifecyclePolicy', region, resourceId: policyId }, async (c) => {
      const out = await c.send(new GetLifecyclePolicyCommand({ PolicyId: policyId }));
      return toPolicy(out.Policy ?? { PolicyId: policyId }, region);
    });
  }

  async createPolicy(region: string, p: NewPolicy): Promise<string> {
    const { spec } = p;
    const retain = 'count' in spec.retention ? { Count: spec.retention.count } : { Interval: spec.retention.days, IntervalUnit: 'DAYS' as const };
    const schedule: SdkSchedule = {
      Name: p.name.slice(0, 120),
      CopyTags: true,
      CreateRule: { Location: 'CLOUD', Interval: spec.everyHours, IntervalUnit: 'HOURS', Times: [spec.at] },
      RetainRule: retain,
      ...(spec.copyTo
        ? {
            CrossRegionCopyRules: [
              {
                TargetRegion: spec.copyTo,
                Encrypted: true,
                CopyTags: true,
                RetainRule: { Interval: copyRetentionDays(spec), IntervalUnit: 'DAYS' },
              },
            ],
          }
        : {}),
    };
    return this.call({ action: 'CreateLifecyclePolicy', region }, async (c) => {
      const out = await c.send(
        new CreateLifecyclePolicyCommand({
          ExecutionRoleArn: p.executionRoleArn,
          Description: p.description,
          State: 'ENABLED',
          PolicyDetails: {
            PolicyType: 'EBS_SNAPSHOT_MANAGEMENT',
            ResourceTypes: [spec.target.type === 'instance' ? 'INSTANCE' : 'VOLUME'],
            TargetTags: [{ Key: p.targetTag.key, Value: p.targetTag.value }],
            Schedules: [schedule],
          },
          Tags: p.tags,
        }),
      );
      return out.PolicyId ?? '';
    });
  }

  async setState(region: string, policyId: string, state: 'ENABLED' | 'DISABLED'): Promise<void> {
    await this.call({ action: 'UpdateLifecyclePolicy', region, resourceId: policyId }, (c) =>
      c.send(new UpdateLifecyclePolicyCommand({ PolicyId: policyId, State: state })),
    );
  }

  async deletePolicy(region: string, policyId: string): Promise<void> {
    await this.call({ action: 'DeleteLifecyclePolicy', region, resourceId: policyId }, (c) =>
      c.send(new DeleteLifecyclePolicyCommand({ PolicyId: policyId })),
    );
  }
}

function toPolicy(p: SdkPolicy, region: string): LifecyclePolicy {
  const d = p.PolicyDetails ?? {};
  return {
    id: p.PolicyId ?? '',
    region,
    description: p.Description ?? '',
    state: (p.State ?? 'ERROR') as PolicyState,
    statusMessage: p.StatusMessage || undefined,
    policyType: d.PolicyType ?? 'EBS_SNAPSHOT_MANAGEMENT',
    resourceTypes: d.ResourceTypes ?? [],
    targetTags: (d.TargetTags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
    schedules: (d.Schedules ?? []).map(toSchedule),
    tags: { ...(p.Tags ?? {}) },
    defaultPolicy: p.DefaultPolicy,
  };
}

function toSchedule(s: SdkSchedule): PolicySchedule {
  const c = s.CreateRule ?? {};
  const r = s.RetainRule;
  const hours = c.Interval !== undefined ? (c.IntervalUnit === 'HOURS' || !c.IntervalUnit ? c.Interval : undefined) : undefined;
  return {
    name: s.Name ?? '',
    everyHours: c.CronExpression ? undefined : hours,
    times: c.Times ?? [],
    cron: c.CronExpression || undefined,
    retention: r?.Count
      ? { count: r.Count }
      : r?.Interval
        ? r.IntervalUnit === 'DAYS'
          ? { days: r.Interval }
          : { interval: r.Interval, unit: r.IntervalUnit ?? 'DAYS' }
        : undefined,
    copies: (s.CrossRegionCopyRules ?? []).map((x) => ({
      region: x.TargetRegion ?? x.Target ?? '',
      encrypted: x.Encrypted ?? false,
      retainDays: x.RetainRule?.Interval ? toDays(x.RetainRule.Interval, x.RetainRule.IntervalUnit) : undefined,
    })),
  };
}

function toDays(n: number, unit: string | undefined): number {
  return n * ({ DAYS: 1, WEEKS: 7, MONTHS: 30, YEARS: 365 }[unit ?? 'DAYS'] ?? 1);
}
