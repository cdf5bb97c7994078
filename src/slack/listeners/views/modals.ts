// Modal submissions. Each modal's values become the command's one-line form and go through the same grammar,
// so a modal can never accept what the command would refuse; problems come back next to the field.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewOutput } from '@slack/bolt';
import { UsageError, type Command, type SlashCommandName } from '../../../core/commands.js';
import { parseCommand } from '../../../core/grammar/index.js';
import { checkRestore, restoreVolume } from '../../../usecases/restore.js';
import { modalDeps, type Deps, type Invocation } from '../../../usecases/context.js';
import { createSnapshot } from '../../../usecases/snapshots.js';
import { askBeforeReboot, createImage } from '../../../usecases/images.js';
import { share } from '../../../usecases/sharing.js';
import { createSchedule, scheduleTargetMissing } from '../../../usecases/schedules.js';
import { askBeforeReplace, encryptVolume } from '../../../usecases/encrypt.js';
import { ACCOUNT_BLOCK } from '../../views/modals.js';
import { runChecked } from '../commands/common.js';
import { submitter, viewMetadata } from './common.js';
import { type ModalMetadata } from '../../../usecases/ports.js';

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;
type Values = ViewOutput['state']['values'];

function value(values: Values, block: string): string | undefined {
  const el = values[block] && Object.values(values[block])[0];
  if (!el) return undefined;
  const v = el.selected_option?.value ?? el.value ?? undefined;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function checked(values: Values, block: string, option: string): boolean {
  const el = values[block] && Object.values(values[block])[0];
  return (el?.selected_options ?? []).some((o) => o.value === option);
}

function quote(s: string): string {
  return `"${s.replace(/"/g, "'")}"`;
}

function metadata(view: ViewOutput): Partial<ModalMetadata> {
  return viewMetadata<ModalMetadata>(view);
}

/** Which input a grammar problem is about: the field of the flag or argument it names, else `fallback`. */
function blockFor(err: UsageError, fields: Record<string, string>, fallback: string): string {
  return (err.about !== undefined && Object.hasOwn(fields, err.about) ? fields[err.about] : undefined) ?? fallback;
}

async function parseModal(
  args: ViewArgs,
  command: SlashCommandName,
  text: string,
  fields: Record<string, string>,
  fallback: string,
): Promise<Command | undefined> {
  try {
    return parseCommand(command, text);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    await args.ack({ response_action: 'errors', errors: { [blockFor(err, fields, fallback)]: err.problem.slice(0, 150) } });
    return undefined;
  }
}

/**
 * The deps the submission acts with: the account its picker chose (else the one it was opened in) and its region.
 * An account no longer managed is answered next to the picker, and undefined returned.
 */
async function actingDeps(args: ViewArgs, base: Deps): Promise<Deps | undefined> {
  const picked = value(args.view.state.values, ACCOUNT_BLOCK);
  const d = modalDeps(base, metadata(args.view), picked);
  if (!('problem' in d)) return d;
  await args.ack({ response_action: 'errors', errors: { [ACCOUNT_BLOCK]: d.problem.slice(0, 150) } });
  return undefined;
}

function invocation(args: ViewArgs): Invocation {
  const meta = metadata(args.view);
  // Opened from a DM or somewhere snapbot cannot post: answer in the user's DM with the app.
  return submitter(args.body, meta.channelId, meta.responseUrl);
}

export function snapshotSubmitted(base: Deps) {
  return async (args: ViewArgs): Promise<void> => {
    const deps = await actingDeps(args, base);
    if (!deps) return;
    const v = args.view.state.values;
    const volumeId = value(v, 'volume') ?? '';
    const description = value(v, 'description');
    const expires = value(v, 'expires');
    const text = `${volumeId}${expires ? ` --expires-in ${expires}d` : ''}${description ? ` ${quote(description)}` : ''}`;
    const cmd = await parseModal(args, '/snapshot', text, { '<vol-id>': 'volume', '[description…]': 'description', '--expires-in': 'expires' }, 'volume');
    if (!cmd) return;
    if (cmd.kind !== 'snapshot.create') {
      await args.ack({ response_action: 'errors', errors: { volume: 'Pick a volume to snapshot.' } });
      return;
    }
    await args.ack();
    const inv = invocation(args);
    runChecked(deps, inv, cmd, () => createSnapshot(deps, inv, cmd.volumeId, cmd.description, cmd.expiresInDays));
  };
}

export function amiSubmitted(base: Deps) {
  return async (args: ViewArgs): Promise<void> => {
    const deps = await actingDeps(args, base);
    if (!deps) return;
    const v = args.view.state.values;
    const instanceId = value(v, 'instance') ?? '';
    const name = value(v, 'name') ?? '';
    const description = value(v, 'description');
    // The radio answers the reboot question up front (the older checkbox form said only "no reboot").
    const reboot = value(v, 'reboot') ?? (checked(v, 'options', 'no-reboot') ? 'no-reboot' : undefined);
    const flag = reboot === 'no-reboot' ? ' --no-reboot' : reboot === 'reboot' ? ' --reboot' : '';
    const text = `create ${instanceId} ${quote(name)}${flag}${description ? ` --description ${quote(description)}` : ''}`;
    const cmd = await parseModal(args, '/ami', text, { '<i-id>': 'instance', '<name>': 'name', '--description': 'description' }, 'name');
    if (!cmd || cmd.kind !== 'ami.create') return;
    await args.ack();
    const inv = invocation(args);
    runChecked(deps, inv, cmd, (verdict, facts) => (verdict.decision === 'confirm' ? askBeforeReboot(deps, inv, cmd, facts) : createImage(deps, inv, cmd)));
  };
}

export function restoreSubmitted(base: Deps) {
  return async (args: ViewArgs): Promise<void> => {
    const deps = await actingDeps(args, base);
    if (!deps) return;
    const v = args.view.state.values;
    const meta = metadata(args.view);
    const parts = [meta.resourceId ?? '', '--az', value(v, 'az') ?? '', '--type', value(v, 'type') ?? 'gp3'];
    const opt = (flag: string, block: string) => {
      const x = value(v, block);
      if (x) parts.push(flag, x);
    };
    opt('--size', 'size');
    opt('--iops', 'iops');
    opt('--throughput', 'throughput');
    opt('--attach', 'instance');
    opt('--device', 'device');
    if (!value(v, 'az')) {
      await args.ack({ response_action: 'errors', errors: { az: 'Pick the availability zone for the new volume.' } });
      return;
    }
    const cmd = await parseModal(
      args,
      '/restore',
      parts.join(' '),
      { '--az': 'az', '--type': 'type', '--size': 'size', '--iops': 'iops', '--throughput': 'throughput', '--attach': 'instance', '--device': 'device' },
      'az',
    );
    if (!cmd || cmd.kind !== 'restore.create') return;
    const { kind: _kind, ...req } = cmd;
    // The checks EC2 would fail later (size, zone, device), answered in the modal while the user is still there.
    const problems = await Promise.race([
      checkRestore(deps, req).catch(() => ({}) as Record<string, string>),
      new Promise<Record<string, string>>((r) => setTimeout(() => r({}), 2000)),
    ]);
    const errors: Record<string, string> = {};
    if (problems.size) errors.size = problems.size;
    if (problems.instance) errors.instance = problems.instance;
    if (problems.device) errors.device = problems.device;
    if (problems.snapshot) errors.az = problems.snapshot;
    if (Object.keys(errors).length) {
      await args.ack({ response_action: 'errors', errors });
      return;
    }
    await args.ack();
    const inv = invocation(args);
    runChecked(deps, inv, cmd, () => restoreVolume(deps, inv, req));
  };
}

export function shareSubmitted(base: Deps) {
  return async (args: ViewArgs): Promise<void> => {
    const deps = await actingDeps(args, base);
    if (!deps) return;
    const v = args.view.state.values;
    const meta = metadata(args.view);
    const reason = value(v, 'reason');
    const text = `${meta.resourceId ?? ''} ${value(v, 'target') ?? ''}${reason ? ` --reason ${quote(reason)}` : ''}`;
    const cmd = await parseModal(args, '/share', text, { '<account-id|public>': 'target', '--reason': 'reason' }, 'target');
    if (!cmd) return;
    if (cmd.kind !== 'share.add') {
      await args.ack({ response_action: 'errors', errors: { target: 'Enter a 12-digit account ID or the word public.' } });
      return;
    }
    await args.ack();
    const inv = invocation(args);
    runChecked(deps, inv, cmd, (verdict) => share(deps, inv, cmd, verdict.decision === 'approval'));
  };
}

export function scheduleSubmitted(base: Deps) {
  return async (args: ViewArgs): Promise<void> => {
    const deps = await actingDeps(args, base);
    if (!deps) return;
    const v = args.view.state.values;
    const target = value(v, 'target') ?? '';
    const keepFlag = value(v, 'unit') === 'days' ? '--keep-days' : '--keep';
    const parts = ['schedule', quote(target), '--every', `${value(v, 'every') ?? '24'}h`, '--at', value(v, 'at') ?? '09:00', keepFlag, value(v, 'keep') ?? ''];
    const copy = value(v, 'copy');
    const name = value(v, 'name');
    if (copy) parts.push('--copy-to', copy);
    if (name) parts.push('--name', quote(name));
    const fields = { '<vol-id|i-id|tag:Key=Value>': 'target', '--every': 'every', '--at': 'at', '--keep': 'keep', '--keep-days': 'keep', '--copy-to': 'copy', '--name': 'name' };
    const cmd = await parseModal(args, '/snapshot', parts.join(' '), fields, 'target');
    if (!cmd) return;
    if (cmd.kind !== 'snapshot.schedule') {
      await args.ack({ response_action: 'errors', errors: { target: 'Say what to back up: vol-…, i-… or tag:Key=Value.' } });
      return;
    }
    // A well-formed volume or instance that does not exist is answered beside the field, so nothing typed is lost.
    const missing = await Promise.race([
      scheduleTargetMissing(deps, cmd.target),
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 2_000)),
    ]);
    if (missing) {
      await args.ack({ response_action: 'errors', errors: { target: missing } });
      return;
    }
    await args.ack();
    const inv = invocation(args);
    const { kind: _kind, ...spec } = cmd;
    runChecked(deps, inv, cmd, () => createSchedule(deps, inv, spec));
  };
}

export function encryptSubmitted(base: Deps) {
  return async (args: ViewArgs): Promise<void> => {
    const deps = await actingDeps(args, base);
    if (!deps) return;
    const v = args.view.state.values;
    const kms = value(v, 'kms');
    const text = `encrypt ${value(v, 'volume') ?? ''}${kms ? ` --kms-key ${kms}` : ''}${checked(v, 'replace', 'replace') ? ' --replace' : ''}`;
    const cmd = await parseModal(args, '/snapshot', text, { '<vol-id>': 'volume', '--kms-key': 'kms' }, 'volume');
    if (!cmd) return;
    if (cmd.kind !== 'snapshot.encrypt') {
      await args.ack({ response_action: 'errors', errors: { volume: 'Pick the volume to encrypt.' } });
      return;
    }
    await args.ack();
    const inv = invocation(args);
    runChecked(deps, inv, cmd, (verdict) => (verdict.decision === 'confirm' ? askBeforeReplace(deps, inv, cmd) : encryptVolume(deps, inv, cmd)));
  };
}
