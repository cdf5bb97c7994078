// The sandbox's Recycle Bin: its REST-JSON API (botocore's rbin service-2.json: POST /rules, GET|PATCH|DELETE
// /rules/{id}, POST /list-rules, PATCH /rules/{id}/lock|unlock). The rules live in the sandbox EC2's state, whose
// DeleteSnapshot and DeregisterImage consult them — so a deletion there lands in the bin as it would in AWS.
import { randomBytes } from 'node:crypto';
import type { Ec2State, RbinRuleRecord, RegionState } from './ec2/state.js';
import { JsonApiError, type JsonRequest, type JsonResponse } from './json-api.js';

const invalid = (message: string) => new JsonApiError('ValidationException', message, 400);

type TagJson = { ResourceTagKey?: string; ResourceTagValue?: string };
const toTags = (list: unknown) => ((list as TagJson[] | undefined) ?? []).map((t) => ({ key: String(t.ResourceTagKey ?? ''), value: t.ResourceTagValue || undefined }));
const fromTags = (list: { key: string; value?: string }[]) => list.map((t) => ({ ResourceTagKey: t.key, ...(t.value ? { ResourceTagValue: t.value } : {}) }));

export class SandboxRecycleBin {
  constructor(private readonly state: Ec2State) {}

  handle(req: JsonRequest): JsonResponse {
    const r = this.state.region(req.region);
    const parts = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'list-rules' && req.method === 'POST') return this.list(r, req.body);
    if (parts[0] === 'rules' && parts.length === 1 && req.method === 'POST') return this.create(r, req.body);
    if (parts[0] === 'rules' && parts[1]) {
      const rule = r.rbinRules.get(parts[1]);
      if (!rule) throw new JsonApiError('ResourceNotFoundException', `Rule ${parts[1]} does not exist.`, 404);
      if (parts[2] === 'lock') {
        rule.lockState = 'locked';
        rule.unlockDelayDays = Number((req.body.LockConfiguration as { UnlockDelay?: { UnlockDelayValue?: number } })?.UnlockDelay?.UnlockDelayValue ?? 7);
        return this.describe(rule);
      }
      if (parts[2] === 'unlock') {
        rule.lockState = 'pending_unlock';
        return this.describe(rule);
      }
      if (req.method === 'GET') return this.describe(rule);
      if (req.method === 'DELETE') {
        if (rule.lockState === 'locked') throw new JsonApiError('ConflictException', `Rule ${rule.id} is locked and cannot be deleted.`, 409);
        r.rbinRules.delete(rule.id);
        return {};
      }
      if (req.method === 'PATCH') {
        if (rule.lockState === 'locked') throw new JsonApiError('ConflictException', `Rule ${rule.id} is locked and cannot be changed.`, 409);
        if (req.body.RetentionPeriod) rule.retentionDays = retention(req.body.RetentionPeriod);
        if (typeof req.body.Description === 'string') rule.description = req.body.Description;
        if (req.body.ResourceTags) rule.resourceTags = toTags(req.body.ResourceTags);
        return this.describe(rule);
      }
    }
    throw new JsonApiError('UnknownOperationException', `No Recycle Bin operation at ${req.method} ${req.path}`, 404);
  }

  /** For tests and the demo seed. */
  addRule(region: string, rule: Omit<RbinRuleRecord, 'id' | 'arn' | 'tags'> & { id?: string }): RbinRuleRecord {
    const id = rule.id ?? randomBytes(6).toString('hex');
    const record: RbinRuleRecord = { ...rule, id, arn: `arn:aws:rbin:${region}:${this.state.accountId}:rule/${id}`, tags: {} };
    this.state.region(region).rbinRules.set(id, record);
    return record;
  }

  private create(r: RegionState, b: Record<string, unknown>): JsonResponse {
    const type = b.ResourceType;
    if (type !== 'EBS_SNAPSHOT' && type !== 'EC2_IMAGE') throw invalid(`ResourceType must be EBS_SNAPSHOT or EC2_IMAGE.`);
    const rule = this.addRule(r.name, {
      resourceType: type,
      description: typeof b.Description === 'string' ? b.Description : undefined,
      retentionDays: retention(b.RetentionPeriod),
      resourceTags: toTags(b.ResourceTags),
      excludeTags: toTags(b.ExcludeResourceTags),
      lockState: b.LockConfiguration ? 'locked' : undefined,
    });
    return this.describe(rule);
  }

  private list(r: RegionState, b: Record<string, unknown>): JsonResponse {
    const type = b.ResourceType;
    if (type !== 'EBS_SNAPSHOT' && type !== 'EC2_IMAGE') throw invalid('ResourceType is required: EBS_SNAPSHOT or EC2_IMAGE.');
    const wanted = toTags(b.ResourceTags);
    const Rules = [...r.rbinRules.values()]
      .filter((x) => x.resourceType === type)
      .filter((x) => !wanted.length || wanted.every((w) => x.resourceTags.some((t) => t.key === w.key && t.value === w.value)))
      .filter((x) => !b.LockState || (x.lockState ?? 'unlocked') === b.LockState)
      .map((x) => ({
        Identifier: x.id,
        Description: x.description,
        RetentionPeriod: { RetentionPeriodValue: x.retentionDays, RetentionPeriodUnit: 'DAYS' },
        LockState: x.lockState,
        RuleArn: x.arn,
      }));
    return { Rules };
  }

  private describe(x: RbinRuleRecord): JsonResponse {
    return {
      Identifier: x.id,
      Description: x.description,
      ResourceType: x.resourceType,
      RetentionPeriod: { RetentionPeriodValue: x.retentionDays, RetentionPeriodUnit: 'DAYS' },
      ResourceTags: fromTags(x.resourceTags),
      ExcludeResourceTags: fromTags(x.excludeTags),
      Status: 'available',
      LockState: x.lockState,
      ...(x.lockState ? { LockConfiguration: { UnlockDelay: { UnlockDelayValue: x.unlockDelayDays ?? 7, UnlockDelayUnit: 'DAYS' } } } : {}),
      RuleArn: x.arn,
    };
  }
}

function retention(v: unknown): number {
  const n = Number((v as { RetentionPeriodValue?: number } | undefined)?.RetentionPeriodValue);
  if (!Number.isInteger(n) || n < 1 || n > 365) throw invalid('RetentionPeriod.RetentionPeriodValue must be 1–365 days.');
  return n;
}
