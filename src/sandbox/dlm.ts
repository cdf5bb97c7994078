// The sandbox's Data Lifecycle Manager: its REST-JSON API (botocore's dlm service-2.json: POST/GET /policies,
// GET/PATCH/DELETE /policies/{id}, tags), and a runner that makes the policies do what DLM does — snapshot their
// targets on schedule, keep what the retain rule says, copy to another region — against the sandbox EC2's state.
// The runner is driven by the clock, not timers: the sandbox server calls catchUp() before answering any request.
import { randomBytes } from 'node:crypto';
import { estimateFullSize } from './ec2/actions/snapshots.js';
import type { DlmPolicyRecord, DlmScheduleJson, Ec2State, RegionState, SnapshotRecord } from './ec2/state.js';
import { JsonApiError, type JsonRequest, type JsonResponse } from './json-api.js';

const HOUR = 3_600_000;
/** DLM's quota of lifecycle policies per region. */
export const POLICY_LIMIT = 100;
const INTERVALS = [1, 2, 3, 4, 6, 8, 12, 24];

export interface DlmOptions {
  /** How long one hour of a schedule lasts here (default a real hour); the sandbox makes schedules quick. */
  hourMs?: number;
}

const invalid = (message: string) => new JsonApiError('InvalidRequestException', message, 400);
const notFound = (id: string) => new JsonApiError('ResourceNotFoundException', `Policy ${id} does not exist.`, 404);

export class SandboxDlm {
  readonly hourMs: number;

  constructor(
    private readonly state: Ec2State,
    opts: DlmOptions = {},
  ) {
    this.hourMs = opts.hourMs ?? HOUR;
  }

  handle(req: JsonRequest): JsonResponse {
    const r = this.state.region(req.region);
    const parts = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'policies') {
      if (parts.length === 1 && req.method === 'POST') return this.create(r, req);
      if (parts.length === 1 && req.method === 'GET') return this.list(r, req);
      const policy = r.dlmPolicies.get(parts[1]);
      if (!policy) throw notFound(parts[1]);
      if (req.method === 'GET') return { Policy: this.describe(policy) };
      if (req.method === 'PATCH') return this.update(policy, req.body);
      if (req.method === 'DELETE') {
        r.dlmPolicies.delete(policy.id);
        return {};
      }
    }
    if (parts[0] === 'tags' && parts[1]) {
      const policy = [...r.dlmPolicies.values()].find((p) => p.arn === parts[1]);
      if (!policy) throw new JsonApiError('ResourceNotFoundException', `Resource ${parts[1]} does not exist.`, 404);
      if (req.method === 'GET') return { Tags: policy.tags };
      if (req.method === 'POST') Object.assign(policy.tags, (req.body.Tags as Record<string, string>) ?? {});
      if (req.method === 'DELETE') for (const k of req.query.getAll('tagKeys')) delete policy.tags[k];
      return {};
    }
    throw new JsonApiError('UnknownOperationException', `No DLM operation at ${req.method} ${req.path}`, 404);
  }

  private create(r: RegionState, req: JsonRequest): JsonResponse {
    const b = req.body;
    const role = String(b.ExecutionRoleArn ?? '');
    const description = String(b.Description ?? '');
    if (!role) throw invalid('ExecutionRoleArn is required.');
    if (!/^[0-9A-Za-z _-]{1,500}$/.test(description)) throw invalid(`Description must match [0-9A-Za-z _-]+ (1–500 characters).`);
    const roleName = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(role);
    if (!roleName || roleName[1] !== this.state.accountId || !this.state.iamRoles.has(roleName[2])) {
      throw invalid(`The execution role ${role} does not exist or cannot be assumed by Data Lifecycle Manager.`);
    }
    if (r.dlmPolicies.size >= POLICY_LIMIT) {
      throw new JsonApiError('LimitExceededException', `You have reached the limit of ${POLICY_LIMIT} lifecycle policies in this Region.`, 429);
    }
    const details = (b.PolicyDetails ?? {}) as DlmPolicyRecord['details'];
    validateDetails(details);
    const id = `policy-${randomBytes(9).toString('hex').slice(0, 17)}`;
    const now = this.state.now();
    r.dlmPolicies.set(id, {
      id,
      arn: `arn:aws:dlm:${r.name}:${this.state.accountId}:policy/${id}`,
      description,
      state: b.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
      executionRoleArn: role,
      createdMs: now,
      modifiedMs: now,
      details,
      tags: { ...((b.Tags as Record<string, string>) ?? {}) },
      lastRunMs: {},
    });
    return { PolicyId: id };
  }

  private list(r: RegionState, req: JsonRequest): JsonResponse {
    const ids = req.query.getAll('policyIds');
    const state = req.query.get('state');
    const types = req.query.getAll('resourceTypes');
    const targetTags = req.query.getAll('targetTags');
    const Policies = [...r.dlmPolicies.values()]
      .filter((p) => !ids.length || ids.includes(p.id))
      .filter((p) => !state || p.state === state)
      .filter((p) => !types.length || (p.details.ResourceTypes ?? []).some((t) => types.includes(t)))
      .filter((p) => !targetTags.length || (p.details.TargetTags ?? []).some((t) => targetTags.includes(`${t.Key}=${t.Value}`)))
      .map((p) => ({
        PolicyId: p.id,
        Description: p.description,
        State: p.state,
        Tags: p.tags,
        PolicyType: p.details.PolicyType ?? 'EBS_SNAPSHOT_MANAGEMENT',
        DefaultPolicy: false,
      }));
    return { Policies };
  }

  private describe(p: DlmPolicyRecord): JsonResponse {
    return {
      PolicyId: p.id,
      Description: p.description,
      State: p.state,
      StatusMessage: p.state === 'ENABLED' ? 'ENABLED' : p.state,
      ExecutionRoleArn: p.executionRoleArn,
      // DLM's model marks these timestamps iso8601 (not REST-JSON's default epoch seconds).
      DateCreated: new Date(p.createdMs).toISOString(),
      DateModified: new Date(p.modifiedMs).toISOString(),
      PolicyDetails: p.details,
      Tags: p.tags,
      PolicyArn: p.arn,
      DefaultPolicy: false,
    };
  }

  private update(p: DlmPolicyRecord, b: Record<string, unknown>): JsonResponse {
    if (b.State !== undefined) {
      if (b.State !== 'ENABLED' && b.State !== 'DISABLED') throw invalid(`State must be ENABLED or DISABLED, not ${String(b.State)}.`);
      // A policy enabled again plans its runs from now: DLM does not catch up on what it missed while off.
      if (b.State === 'ENABLED' && p.state !== 'ENABLED') p.lastRunMs = {};
      if (b.State === 'ENABLED' && p.state !== 'ENABLED') p.createdMs = this.state.now();
      p.state = b.State;
    }
    if (typeof b.Description === 'string') p.description = b.Description;
    if (b.PolicyDetails) {
      validateDetails(b.PolicyDetails as DlmPolicyRecord['details']);
      p.details = b.PolicyDetails as DlmPolicyRecord['details'];
    }
    p.modifiedMs = this.state.now();
    return {};
  }

  // ── the runner ──────────────────────────────────────────────────────────────

  /** Carries out every run that is due: the latest planned run of each schedule, once (missed ones are not replayed). */
  catchUp(now = this.state.now()): void {
    for (const regionName of this.state.regionNames()) {
      const r = this.state.region(regionName);
      for (const p of r.dlmPolicies.values()) {
        if (p.state !== 'ENABLED' || (p.details.PolicyType ?? 'EBS_SNAPSHOT_MANAGEMENT') !== 'EBS_SNAPSHOT_MANAGEMENT') continue;
        for (const s of p.details.Schedules ?? []) {
          const planned = this.latestPlannedRun(p, s, now);
          const key = s.Name ?? '';
          if (planned === undefined || planned <= (p.lastRunMs[key] ?? -Infinity)) continue;
          p.lastRunMs[key] = planned;
          this.run(r, p, s, now);
        }
      }
    }
  }

  /**
   * The newest run time at or before `now`. Real speed: at HH:MM UTC and every N hours from it. Sandbox speed: the
   * first run half a (short) hour after the policy was made, then every N (short) hours.
   */
  private latestPlannedRun(p: DlmPolicyRecord, s: DlmScheduleJson, now: number): number | undefined {
    const every = s.CreateRule?.Interval;
    if (!every || s.CreateRule?.CronExpression) return undefined;
    const period = every * this.hourMs;
    let first: number;
    if (this.hourMs === HOUR) {
      const [hh, mm] = (s.CreateRule?.Times?.[0] ?? '09:00').split(':').map(Number);
      const day = new Date(p.createdMs);
      first = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hh, mm);
      while (first < p.createdMs) first += period;
    } else {
      first = p.createdMs + this.hourMs / 2;
    }
    if (now < first) return undefined;
    return first + Math.floor((now - first) / period) * period;
  }

  private run(r: RegionState, p: DlmPolicyRecord, s: DlmScheduleJson, now: number): void {
    const targets = (p.details.TargetTags ?? []).map((t) => [t.Key, t.Value] as const);
    const matches = (tags: Record<string, string>) => targets.some(([k, v]) => tags[k] === v);
    const types = p.details.ResourceTypes ?? ['VOLUME'];
    const volumes = new Map<string, { id: string; size: number; tags: Record<string, string>; instanceId?: string }>();
    if (types.includes('VOLUME')) {
      for (const v of r.volumes.values()) if (matches(v.tags)) volumes.set(v.id, { id: v.id, size: v.sizeGiB, tags: v.tags });
    }
    if (types.includes('INSTANCE')) {
      for (const i of r.instances.values()) {
        if (!matches(i.tags) || i.state === 'terminated') continue;
        for (const vid of i.volumeIds) {
          const v = r.volumes.get(vid);
          if (v) volumes.set(v.id, { id: v.id, size: v.sizeGiB, tags: { ...i.tags, ...v.tags }, instanceId: i.id });
        }
      }
    }
    const scheduleName = s.Name ?? 'Schedule';
    for (const v of volumes.values()) {
      const tags: Record<string, string> = {
        ...(s.CopyTags ? Object.fromEntries(Object.entries(v.tags).filter(([k]) => !k.startsWith('aws:'))) : {}),
        ...Object.fromEntries((s.TagsToAdd ?? []).map((t) => [t.Key, t.Value])),
        'aws:dlm:lifecycle-policy-id': p.id,
        'aws:dlm:lifecycle-schedule-name': scheduleName,
        ...(v.instanceId ? { 'aws:dlm:instance-id': v.instanceId } : {}),
      };
      const snap = this.state.addSnapshot(r.name, {
        volumeId: v.id,
        volumeSizeGiB: v.size,
        startTime: new Date(now),
        durationSeconds: this.state.timing.snapshotMs / 1000,
        description: `Created for policy: ${p.id} schedule: ${scheduleName}`,
        tags,
      });
      snap.fullSizeBytes = estimateFullSize(snap.id, snap.volumeSizeGiB);
      for (const copy of s.CrossRegionCopyRules ?? []) {
        const target = copy.TargetRegion ?? copy.Target;
        if (!target) continue;
        this.state.addSnapshot(target, {
          volumeId: undefined,
          volumeSizeGiB: v.size,
          startTime: new Date(now),
          durationSeconds: (this.state.timing.snapshotMs / 1000) * 2,
          description: `[Copied ${snap.id} from ${r.name}] Created for policy: ${p.id} schedule: ${scheduleName}`,
          encrypted: true,
          kmsKeyId: copy.CmkArn,
          tags: { ...(copy.CopyTags ? tags : {}), 'aws:dlm:lifecycle-policy-id': p.id, 'aws:dlm:lifecycle-schedule-name': scheduleName },
        });
      }
      this.retain(r, p, scheduleName, v.id, s.RetainRule, now);
    }
    for (const copy of s.CrossRegionCopyRules ?? []) {
      const target = copy.TargetRegion ?? copy.Target;
      if (target) this.retain(this.state.region(target), p, scheduleName, undefined, copy.RetainRule, now);
    }
  }

  /** Retires (through the Recycle Bin, as DLM's deletions go) what the retain rule no longer keeps; locked ones stay. */
  private retain(
    r: RegionState,
    p: DlmPolicyRecord,
    scheduleName: string,
    volumeId: string | undefined,
    rule: DlmScheduleJson['RetainRule'],
    now: number,
  ): void {
    if (!rule) return;
    const mine: SnapshotRecord[] = [];
    for (const s of r.snapshots.values()) {
      if (s.tags['aws:dlm:lifecycle-policy-id'] !== p.id || s.tags['aws:dlm:lifecycle-schedule-name'] !== scheduleName) continue;
      if (volumeId !== undefined && s.volumeId !== volumeId) continue;
      mine.push(s);
    }
    mine.sort((a, b) => b.startMs - a.startMs);
    const day = 24 * this.hourMs;
    const unitMs: Record<string, number> = { DAYS: day, WEEKS: 7 * day, MONTHS: 30 * day, YEARS: 365 * day };
    const expired = rule.Count
      ? mine.slice(rule.Count)
      : rule.Interval
        ? mine.filter((s) => now - s.startMs > rule.Interval! * (unitMs[rule.IntervalUnit ?? 'DAYS'] ?? day))
        : [];
    for (const s of expired) if (!this.state.activeLock(s, now)) this.state.retireSnapshot(r.name, s.id, now);
  }
}

function validateDetails(d: DlmPolicyRecord['details']): void {
  if ((d.PolicyType ?? 'EBS_SNAPSHOT_MANAGEMENT') !== 'EBS_SNAPSHOT_MANAGEMENT') return;
  if (!d.TargetTags?.length) throw invalid('PolicyDetails.TargetTags is required for EBS snapshot policies.');
  if (!d.Schedules?.length || d.Schedules.length > 4) throw invalid('PolicyDetails.Schedules must hold 1 to 4 schedules.');
  for (const s of d.Schedules) {
    const c = s.CreateRule ?? {};
    if (c.Interval !== undefined && !INTERVALS.includes(c.Interval)) {
      throw invalid(`Interval ${c.Interval} is not supported; supported intervals are ${INTERVALS.join(', ')} hours.`);
    }
    for (const t of c.Times ?? []) if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(t)) throw invalid(`Times must be hh:mm in UTC, not ${t}.`);
    const rr = s.RetainRule ?? {};
    if (rr.Count !== undefined && (rr.Count < 1 || rr.Count > 1000)) throw invalid(`RetainRule Count must be 1–1000, not ${rr.Count}.`);
    if (rr.Count === undefined && rr.Interval === undefined) throw invalid('RetainRule needs a Count or an Interval.');
    for (const x of s.CrossRegionCopyRules ?? []) {
      if (!x.Encrypted) throw invalid('Cross-region copies must be encrypted (Encrypted: true).');
      if (x.RetainRule?.Interval === undefined) throw invalid('A cross-Region copy rule needs a RetainRule with an Interval.');
    }
  }
}
