// The modals behind the argument-less commands. Pickers are external selects: the modal opens at once and the
// options are loaded when the user types, so views.open always fits in the trigger's 3 seconds.
import type { KnownBlock, View } from '@slack/types';
import { VOLUME_TYPES } from '../../core/commands.js';
import type { Snapshot } from '../../core/types.js';
import { formatGiB } from '../../core/cost.js';
import type { AccountChoice, ModalMetadata } from '../../usecases/ports.js';
import { OWN_ACCOUNT } from '../../core/accounts.js';

export const MODAL = {
  snapshot: 'snapshot_create',
  ami: 'ami_create',
  restore: 'restore_create',
  share: 'share_create',
  reject: 'approval_reject',
} as const;

export const PICKER = {
  volume: 'volume_pick',
  instance: 'instance_pick',
  az: 'az_pick',
} as const;

export const ACCOUNT_BLOCK = 'account';

/**
 * The modal, acting where it was opened: that account and region remembered in its metadata and, where snapbot
 * manages several accounts, an account picker on top (preset to that account; the pickers below follow it).
 */
export function scopedModal(view: View, where: { account?: string; region?: string; choices: readonly AccountChoice[] }): View {
  const meta = { ...(JSON.parse(view.private_metadata ?? '{}') as ModalMetadata), ...(where.account ? { account: where.account } : {}), ...(where.region ? { region: where.region } : {}) };
  const blocks = [...(view.blocks ?? [])];
  if (where.choices.length > 1) {
    const option = (c: AccountChoice) => ({ text: { type: 'plain_text' as const, text: c.label.slice(0, 75) }, value: c.value });
    const initial = where.choices.find((c) => c.value === (where.account ?? OWN_ACCOUNT)) ?? where.choices[0];
    blocks.unshift({
      type: 'input',
      block_id: ACCOUNT_BLOCK,
      label: { type: 'plain_text', text: where.region ? `Account (in ${where.region})` : 'Account' },
      // Changing it refreshes nothing by itself; the pickers below ask in the account chosen here.
      element: { type: 'static_select', action_id: 'value', options: where.choices.map(option), initial_option: option(initial) },
    } as KnownBlock);
  }
  return { ...view, private_metadata: JSON.stringify(meta), blocks };
}

export function modal(callbackId: string, title: string, submit: string, blocks: KnownBlock[], meta: ModalMetadata): View {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: { type: 'plain_text', text: title },
    submit: { type: 'plain_text', text: submit },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify(meta),
    blocks,
  };
}

function externalPicker(blockId: string, label: string, actionId: string, placeholder: string, optional = false): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional,
    label: { type: 'plain_text', text: label },
    element: { type: 'external_select', action_id: actionId, min_query_length: 0, placeholder: { type: 'plain_text', text: placeholder } },
  };
}

export function textInput(blockId: string, label: string, o: { optional?: boolean; placeholder?: string; max?: number; initial?: string; multiline?: boolean; hint?: string } = {}): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: o.optional ?? false,
    label: { type: 'plain_text', text: label },
    ...(o.hint ? { hint: { type: 'plain_text', text: o.hint } } : {}),
    element: {
      type: 'plain_text_input',
      action_id: 'value',
      multiline: o.multiline ?? false,
      ...(o.max ? { max_length: o.max } : {}),
      ...(o.initial ? { initial_value: o.initial } : {}),
      ...(o.placeholder ? { placeholder: { type: 'plain_text', text: o.placeholder } } : {}),
    },
  };
}

function numberInput(blockId: string, label: string, hint: string, initial?: number, min?: number): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    label: { type: 'plain_text', text: label },
    hint: { type: 'plain_text', text: hint },
    element: {
      type: 'number_input',
      action_id: 'value',
      is_decimal_allowed: false,
      ...(initial !== undefined ? { initial_value: String(initial) } : {}),
      ...(min !== undefined ? { min_value: String(min) } : {}),
    },
  };
}

export function snapshotModal(meta: ModalMetadata): View {
  return modal(MODAL.snapshot, 'Snapshot a volume', 'Create snapshot', [
    externalPicker('volume', 'Volume', PICKER.volume, 'Search by volume ID or Name tag'),
    textInput('description', 'Description', { optional: true, max: 255, placeholder: 'e.g. before the 14.2 upgrade' }),
    {
      type: 'input',
      block_id: 'expires',
      optional: true,
      label: { type: 'plain_text', text: 'Ask for its deletion after' },
      hint: { type: 'plain_text', text: 'A temporary snapshot: on that day snapbot asks a second person to delete it.' },
      element: {
        type: 'static_select',
        action_id: 'value',
        placeholder: { type: 'plain_text', text: 'Keep it' },
        options: [1, 7, 14, 30, 90].map((d) => ({ text: { type: 'plain_text', text: `${d} day${d === 1 ? '' : 's'}` }, value: String(d) })),
      },
    },
  ], meta);
}

export function amiModal(meta: ModalMetadata): View {
  return modal(MODAL.ami, 'Create an AMI', 'Create AMI', [
    externalPicker('instance', 'Instance', PICKER.instance, 'Search by instance ID or Name tag'),
    textInput('name', 'AMI name', { max: 128, placeholder: 'web-2026-11-22', hint: '3–128 characters: letters, digits, spaces and ( ) [ ] . / - \' @ _' }),
    {
      type: 'input',
      block_id: 'reboot',
      label: { type: 'plain_text', text: 'If the instance is running' },
      hint: { type: 'plain_text', text: 'A stopped instance is never rebooted.' },
      element: {
        type: 'radio_buttons',
        action_id: 'value',
        options: [
          {
            text: { type: 'plain_text', text: 'Reboot it and create' },
            value: 'reboot',
            description: { type: 'plain_text', text: 'Consistent file systems; the instance is down for the reboot' },
          },
          {
            text: { type: 'plain_text', text: 'Create without reboot' },
            value: 'no-reboot',
            description: { type: 'plain_text', text: 'No downtime, but file systems may not be consistent' },
          },
        ],
      },
    },
    textInput('description', 'Description', { optional: true, max: 255 }),
  ], meta);
}

/** Opened at once with what the command said; `snapshot`, once loaded, fills in size and the minimum. */
export function restoreModal(meta: ModalMetadata & { resourceId: string }, snapshot?: Snapshot): View {
  const about = snapshot
    ? `Restoring \`${snapshot.id}\` (${formatGiB(snapshot.volumeSizeGiB)}${snapshot.encrypted ? ', encrypted' : ''}${snapshot.description ? ` — ${snapshot.description.slice(0, 200)}` : ''}).`
    : `Restoring \`${meta.resourceId}\`…`;
  return modal(MODAL.restore, 'Restore a snapshot', 'Create volume', [
    { type: 'section', text: { type: 'mrkdwn', text: about } },
    externalPicker('az', 'Availability zone', PICKER.az, 'Pick a zone'),
    {
      type: 'input',
      block_id: 'type',
      label: { type: 'plain_text', text: 'Volume type' },
      element: {
        type: 'static_select',
        action_id: 'value',
        initial_option: { text: { type: 'plain_text', text: 'gp3' }, value: 'gp3' },
        options: VOLUME_TYPES.map((t) => ({ text: { type: 'plain_text', text: t }, value: t })),
      },
    },
    numberInput('size', 'Size (GiB)', snapshot ? `At least ${snapshot.volumeSizeGiB} GiB, the snapshot's size` : 'At least the snapshot size', snapshot?.volumeSizeGiB, snapshot?.volumeSizeGiB),
    numberInput('iops', 'IOPS', 'gp3 3000–80000, io1 100–64000, io2 100–256000; leave empty for the default'),
    numberInput('throughput', 'Throughput (MiB/s)', 'gp3 only, 125–2000; leave empty for the default'),
    externalPicker('instance', 'Attach to instance', PICKER.instance, 'Optional: an instance in the same zone', true),
    textInput('device', 'Device name', { optional: true, placeholder: '/dev/sdf', hint: 'Needed when attaching: /dev/sdf … /dev/sdp' }),
  ], meta);
}

export function shareModal(meta: ModalMetadata & { resourceId: string }): View {
  return modal(MODAL.share, 'Share', 'Share', [
    { type: 'section', text: { type: 'mrkdwn', text: `Share \`${meta.resourceId}\` with another AWS account, or make it public. Public sharing and accounts outside the allowed list need an approver.` } },
    textInput('target', 'Account ID or "public"', { placeholder: '123456789012', max: 20 }),
    textInput('reason', 'Why', { optional: true, multiline: true, max: 500 }),
  ], meta);
}
