// Backup schedules (Data Lifecycle Manager policies) as snapbot reasons about them: what a policy targets, when it
// next runs, how long it keeps snapshots, and what a new schedule of snapbot's is called. Pure: no I/O, no clock.
import type { Retention, ScheduleSpec, ScheduleTarget } from './commands.js';
import { TAG, type Tags } from './types.js';
import { millisecondsInHour } from 'date-fns/constants';
import { hoursAfter } from './time.js';

/** Data Lifecycle Manager's default quota of lifecycle policies per region. */
export const POLICY_LIMIT = 100;

export type PolicyState = 'ENABLED' | 'DISABLED' | 'ERROR';

/** One schedule inside a policy (DLM allows up to four). */
export interface PolicySchedule {
  name: string;
  /** Interval schedules: every N hours from `times[0]` (UTC). Undefined for cron schedules. */
  everyHours?: number;
  times: string[];
  cron?: string;
  retention?: Retention | { interval: number; unit: string };
  copies: { region: string; encrypted: boolean; retainDays?: number }[];
}

/** A lifecycle policy in one region, snapbot's or anyone's. */
export interface LifecyclePolicy {
  id: string;
  region: string;
  description: string;
  state: PolicyState;
  statusMessage?: string;
  /** EBS_SNAPSHOT_MANAGEMENT, IMAGE_MANAGEMENT, EVENT_BASED_POLICY. */
  policyType: string;
  /** VOLUME or INSTANCE. */
  resourceTypes: string[];
  targetTags: { key: string; value: string }[];
  schedules: PolicySchedule[];
  tags: Tags;
  /** A default policy (DLM's account-wide one) targets every volume or instance without tags. */
  defaultPolicy?: boolean;
  /** Only GetLifecyclePolicies' summary was read (details failed): targets and schedules unknown. */
  summaryOnly?: boolean;
}

/** What snapbot calls a policy: its schedule name tag, else its description. */
export function policyName(p: Pick<LifecyclePolicy, 'tags' | 'description'>): string | undefined {
  return p.tags[TAG.scheduleName] || undefined;
}

/** “name” (policy-…), or the ID alone when snapbot did not name it. */
export function policyLabel(p: Pick<LifecyclePolicy, 'id' | 'tags' | 'description'>): string {
  const name = policyName(p);
  return name ? `“${name}” (${p.id})` : p.id;
}

/** A policy picked by `policy-…` or by its snapbot name (case-insensitive). */
export function findPolicy<P extends Pick<LifecyclePolicy, 'id' | 'tags' | 'description'>>(policies: P[], ref: string): P | undefined {
  if (ref.startsWith('policy-')) return policies.find((p) => p.id === ref);
  const lower = ref.toLowerCase();
  return policies.find((p) => policyName(p)?.toLowerCase() === lower);
}

/** The default name: what is backed up and how often (`vol-0abc…-24h`, `Backup-daily-24h`). */
export function defaultScheduleName(spec: Pick<ScheduleSpec, 'target' | 'everyHours'>): string {
  const t = spec.target;
  const what = t.type === 'volume' ? t.volumeId : t.type === 'instance' ? t.instanceId : `${t.key}-${t.value}`;
  return `${what.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 56) || 'tag'}-${spec.everyHours}h`;
}

/** The tag a policy targets: for a vol-/i- target, one of the schedule's own so a resource can be in several. */
export function targetTag(target: ScheduleTarget, name: string): { key: string; value: string } {
  return target.type === 'tag' ? { key: target.key, value: target.value } : { key: `${TAG.schedulePrefix}${name}`, value: 'true' };
}

/** DLM descriptions allow only letters, digits, spaces, "_" and "-", up to 500 characters. */
export function policyDescription(name: string, spec: Pick<ScheduleSpec, 'everyHours' | 'retention'>): string {
  return `snapbot ${name} every ${spec.everyHours}h keep ${retentionText(spec.retention).replace(/[^0-9A-Za-z _-]/g, ' ')}`
    .replace(/[^0-9A-Za-z _-]/g, '-')
    .slice(0, 500);
}

/** Cross-region copies are kept by age only: as long as the source's retention lasts. */
export function copyRetentionDays(spec: Pick<ScheduleSpec, 'everyHours' | 'retention'>): number {
  return 'count' in spec.retention ? Math.max(1, Math.ceil((spec.retention.count * spec.everyHours) / 24)) : spec.retention.days;
}

export function retentionText(r: PolicySchedule['retention']): string {
  if (!r) return 'no retention rule';
  if ('count' in r) return `the newest ${r.count}`;
  if ('days' in r) return `${r.days} day${r.days === 1 ? '' : 's'}`;
  return `${r.interval} ${r.unit.toLowerCase()}`;
}

export function scheduleText(s: PolicySchedule): string {
  if (s.cron) return `cron ${s.cron} (UTC)`;
  if (s.everyHours === undefined) return 'on events';
  const from = s.times[0] ? ` from ${s.times[0]} UTC` : '';
  return s.everyHours === 24 ? `daily at ${s.times[0] ?? '?'} UTC` : `every ${s.everyHours}h${from}`;
}

/**
 * The next run of an interval schedule: DLM starts it within an hour of the planned time, so it is a window
 * [start, start + 1 h). Undefined for cron or event schedules (snapbot does not evaluate DLM's cron dialect).
 */
export function nextRunWindow(s: PolicySchedule, now: Date): { from: Date; to: Date } | undefined {
  if (s.everyHours === undefined || s.cron) return undefined;
  const [hh, mm] = (s.times[0] ?? '00:00').split(':').map(Number);
  const dayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const step = s.everyHours * millisecondsInHour;
  // Planned runs: at HH:MM, then every N hours, every day; the first one whose window has not closed yet.
  let t = dayStart + ((hh * 60 + mm) % (s.everyHours * 60)) * 60_000;
  while (t + millisecondsInHour <= now.getTime()) t += step;
  return { from: new Date(t), to: hoursAfter(new Date(t), 1) };
}

/** Whether a policy of this kind would snapshot a volume with these tags (or attached to an instance with those). */
export function policyCovers(p: LifecyclePolicy, volumeTags: Tags, instanceTags?: Tags): boolean {
  if (p.state !== 'ENABLED' || p.policyType !== 'EBS_SNAPSHOT_MANAGEMENT') return false;
  const matches = (tags: Tags) => p.targetTags.some((t) => tags[t.key] === t.value);
  if (p.defaultPolicy) return true;
  if (p.resourceTypes.includes('VOLUME') && matches(volumeTags)) return true;
  return Boolean(instanceTags && p.resourceTypes.includes('INSTANCE') && matches(instanceTags));
}
