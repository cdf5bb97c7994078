// Backup automation in Block Kit: the schedule form, a new schedule's announcement, the list of lifecycle
// policies, and what the Recycle Bin holds. Pure functions of core data.
import type { KnownBlock, View } from '@slack/types';
import { SCHEDULE_INTERVALS, type ScheduleSpec } from '../../core/commands.js';
import { ruleLabel, type RecycleBinRule } from '../../core/recycle-bin.js';
import {
  copyRetentionDays,
  nextRunWindow,
  policyCovers,
  policyName,
  retentionText,
  scheduleText,
  type LifecyclePolicy,
  type PolicySchedule,
} from '../../core/schedules.js';
import { TAG, nameTag, type Instance, type RecycleBinItem, type Volume } from '../../core/types.js';
import { modal, textInput } from './modals.js';
import { context, header, section, truncateLines } from './blockkit.js';
import { formatAge } from './format.js';
import type { Message, ModalMetadata, ScheduleCreated } from '../../usecases/ports.js';
import { isoDay } from '../../core/time.js';
import { count } from '../../core/words.js';

export const SCHEDULE_MODAL = 'snapshot_schedule';

const day = isoDay;
const hhmm = (d: Date) => d.toISOString().slice(11, 16);

/** "between 09:00 and 10:00 UTC on 2026-12-02": DLM starts a run within an hour of its planned time. */
function runWindowText(s: PolicySchedule, now: Date): string | undefined {
  const w = nextRunWindow(s, now);
  return w ? `between ${hhmm(w.from)} and ${hhmm(w.to)} UTC on ${day(w.from)}` : undefined;
}

export function scheduleCreatedMessage(p: ScheduleCreated): Message {
  const s: PolicySchedule = p.policy?.schedules[0] ?? {
    name: p.name,
    everyHours: p.spec.everyHours,
    times: [p.spec.at],
    retention: p.spec.retention,
    copies: [],
  };
  const next = runWindowText(s, p.now);
  const lines = [
    `:calendar: <@${p.requesterId}> scheduled backups of ${p.label} in ${p.region}: *${p.name}* (\`${p.policyId}\`).`,
    `• ${scheduleText(s)}, keeping ${retentionText(p.spec.retention)} snapshot${'count' in p.spec.retention ? 's' : 's for that long'}`,
    ...(p.spec.copyTo ? [`• an encrypted copy in ${p.spec.copyTo}, kept ${copyRetentionDays(p.spec)} days (as long as the source's retention)`] : []),
    ...(next ? [p.spedUp ? `• next run ${next} on AWS; the sandbox runs lifecycle policies sped up, so here it comes within minutes` : `• next run ${next}`] : []),
    ...(p.tagProblem ? [`:warning: ${p.tagProblem}`] : []),
  ];
  const text = lines.join('\n');
  return { text, blocks: [section(text), context('Data Lifecycle Manager runs it; `/snapshot schedules` lists every schedule, `/snapshot schedule pause` stops one (an approval request).')] };
}

/** What a policy backs up, named: the tagged volumes and instances snapbot can see. */
function targetsText(p: LifecyclePolicy, volumes: Volume[], instances: Instance[]): string {
  if (p.summaryOnly) return 'targets unknown (its details could not be read)';
  if (p.defaultPolicy) return `every ${p.resourceTypes.includes('INSTANCE') ? 'instance' : 'volume'} not backed up by another policy (default policy)`;
  const tags = p.targetTags.map((t) => (t.key.startsWith(TAG.schedulePrefix) ? `\`${t.key}\`` : `\`${t.key}=${t.value}\``)).join(' or ');
  const named = (r: { id: string; tags: Record<string, string> }) => `${r.id}${nameTag(r.tags) ? ` (${nameTag(r.tags)})` : ''}`;
  const hits = p.resourceTypes.includes('INSTANCE')
    ? instances.filter((i) => p.targetTags.some((t) => i.tags[t.key] === t.value)).map(named)
    : volumes.filter((v) => policyCovers({ ...p, state: 'ENABLED' }, v.tags)).map(named);
  const kind = p.resourceTypes.includes('INSTANCE') ? 'instances' : 'volumes';
  return hits.length ? `${kind} tagged ${tags}: ${hits.slice(0, 5).join(', ')}${hits.length > 5 ? ` and ${hits.length - 5} more` : ''}` : `${kind} tagged ${tags}: none right now`;
}

export function schedulesMessage(policies: LifecyclePolicy[], o: { volumes: Volume[]; instances: Instance[]; region: string; now: Date }): Message {
  if (policies.length === 0) {
    return {
      text: `No backup schedules (lifecycle policies) in ${o.region}. Create one: \`/snapshot schedule <vol-id|i-id|tag:Key=Value> --every 24h --keep 7\`, or \`/snapshot schedule\` for a form.`,
    };
  }
  const ordered = [...policies].sort((a, b) => (policyName(a) ?? a.id).localeCompare(policyName(b) ?? b.id));
  const blocks: KnownBlock[] = [header(`Backup schedules in ${o.region} (${policies.length})`)];
  const plain: string[] = [];
  // 48 blocks leave room for the header and a "more" line.
  for (const p of ordered.slice(0, 47)) {
    const name = policyName(p);
    const state = p.state === 'ENABLED' ? ':large_green_circle: running' : p.state === 'DISABLED' ? ':double_vertical_bar: paused' : `:red_circle: error${p.statusMessage ? ` (${p.statusMessage})` : ''}`;
    const lines = [
      `*${name ?? p.description ?? p.id}* \`${p.id}\` — ${state}${name ? ' · snapbot' : " · not snapbot's"}`,
      `Backs up ${targetsText(p, o.volumes, o.instances)}`,
      ...p.schedules.map((s) => {
        const next = p.state === 'ENABLED' ? runWindowText(s, o.now) : undefined;
        const copies = s.copies.map((c) => ` · copy to ${c.region}${c.encrypted ? ' (encrypted)' : ''}${c.retainDays ? `, kept ${c.retainDays} days` : ''}`).join('');
        return `• ${scheduleText(s)}, keeps ${retentionText(s.retention)}${copies}${next ? ` · next run ${next}` : ''}`;
      }),
    ];
    if (p.policyType !== 'EBS_SNAPSHOT_MANAGEMENT') lines.push(`(${p.policyType.toLowerCase().replace(/_/g, ' ')})`);
    const text = truncateLines(lines.join('\n'), 2900);
    blocks.push(section(text));
    plain.push(text);
  }
  if (ordered.length > 47) blocks.push(context(`…and ${ordered.length - 47} more.`));
  return { text: `Backup schedules in ${o.region}:\n${plain.join('\n')}`.slice(0, 39_000), blocks };
}

export function recycleBinMessage(
  items: RecycleBinItem[],
  rules: { rules: RecycleBinRule[] } | { error: string },
  o: { region: string; now: Date },
): Message {
  const ruleLines =
    'error' in rules
      ? [`The retention rules could not be read: ${rules.error}`]
      : rules.rules.length
        ? rules.rules.map(
            (r) =>
              `• ${r.resourceType === 'snapshot' ? 'Snapshots' : 'AMIs'}${r.resourceTags.length ? ` tagged ${r.resourceTags.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}`).join(' or ')}` : ' (all in the region)'}: kept ${r.retentionDays} days — rule ${ruleLabel(r)}`,
          )
        : ['No retention rules: deleted snapshots and deregistered AMIs are gone for good.'];
  const sorted = [...items].sort((a, b) => (a.exitsAt?.getTime() ?? 0) - (b.exitsAt?.getTime() ?? 0));
  const itemLines = sorted.map((i) => {
    const what = i.kind === 'snapshot' ? `snapshot \`${i.id}\`${i.volumeId ? ` of ${i.volumeId}` : ''}` : `AMI \`${i.id}\`${i.name ? ` “${i.name}”` : ''}`;
    const age = i.enteredAt ? formatAge(i.enteredAt, o.now) : undefined;
    const deleted = age === undefined ? 'deleted' : age === 'just now' ? 'deleted just now' : `deleted ${age} ago`;
    const until = i.exitsAt ? `, restorable until ${i.exitsAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
    return `• ${what}${i.description ? ` — ${i.description.slice(0, 80)}` : ''}: ${deleted}${until} · \`/${i.kind === 'snapshot' ? 'snapshot' : 'ami'} undelete ${i.id}\``;
  });
  const head = items.length ? `The Recycle Bin in ${o.region} holds ${count(items.length, 'item')}:` : `The Recycle Bin in ${o.region} is empty.`;
  // The notification text puts the (few) rules before the (many) items, so a cut never drops the rules.
  const text = [head, ...ruleLines.map((l) => `Rule: ${l.replace(/^• /, '')}`), ...itemLines].join('\n');
  const blocks: KnownBlock[] = [section(truncateLines([head, ...itemLines].join('\n'), 2900)), section(truncateLines(['*Retention rules*', ...ruleLines].join('\n'), 2900))];
  return { text: text.slice(0, 39_000), blocks };
}

/** The schedule form; `target` pre-fills it (the digest's *Schedule daily backups*). */
export function scheduleModal(meta: ModalMetadata, target?: string): View {
  const option = (label: string, value: string) => ({ text: { type: 'plain_text' as const, text: label }, value });
  const choice = (block: string, label: string, element: Record<string, unknown>): KnownBlock =>
    ({ type: 'input', block_id: block, label: { type: 'plain_text', text: label }, element: { action_id: 'value', ...element } }) as KnownBlock;
  return modal(SCHEDULE_MODAL, 'Schedule backups', 'Create schedule', [
    textInput('target', 'What to back up', { initial: target, placeholder: 'vol-…, i-… or tag:Backup=daily', hint: 'A volume, an instance (all its volumes, crash-consistent), or every volume with a tag.' }),
    choice('every', 'How often', {
      type: 'static_select',
      initial_option: option('Every 24 hours (daily)', '24'),
      options: [...SCHEDULE_INTERVALS].reverse().map((h) => option(h === 24 ? 'Every 24 hours (daily)' : `Every ${h} hour${h === 1 ? '' : 's'}`, String(h))),
    }),
    textInput('at', 'Starting at (UTC)', { initial: '09:00', hint: 'HH:MM in UTC; Data Lifecycle Manager starts each run within an hour of it.' }),
    choice('keep', 'Keep', { type: 'number_input', is_decimal_allowed: false, initial_value: '7', min_value: '1' }),
    choice('unit', 'Keep by', {
      type: 'radio_buttons',
      initial_option: option('the newest N snapshots', 'count'),
      options: [option('the newest N snapshots', 'count'), option('N days', 'days')],
    }),
    textInput('copy', 'Copy to region', { optional: true, placeholder: 'e.g. eu-west-1', hint: 'An encrypted copy in another region, kept as long as the source.' }),
    textInput('name', 'Name', { optional: true, placeholder: 'e.g. web-daily', hint: '1–64 letters, digits, ".", "_" or "-"; default: target and interval.' }),
  ], meta);
}
