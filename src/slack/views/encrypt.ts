// /snapshot encrypt: the one message that follows every step, the question before a disk swap, and the form.
import type { KnownBlock, View } from '@slack/types';
import { actions, button, context, escapeMrkdwn, section } from './blockkit.js';
import { formatDuration, mention, progressBar } from './format.js';
import { modal, PICKER, textInput } from './modals.js';
import type { Message, ModalMetadata } from '../../usecases/ports.js';
import type { EncryptStep, EncryptView, ReplaceChoice } from '../../usecases/ports.js';

export const ENCRYPT_MODAL = 'snapshot_encrypt';
export const ENCRYPT_ACTION = { replace: 'encrypt_replace_yes', cancel: 'encrypt_replace_no' } as const;

const STEPS: { step: EncryptStep; label: (v: EncryptView) => string; replaceOnly?: true }[] = [
  { step: 'snapshot', label: (v) => `Snapshot of \`${v.volumeId}\`${v.snapshotId ? ` → \`${v.snapshotId}\`` : ''}` },
  {
    step: 'volume',
    label: (v) =>
      `New volume created encrypted from it${v.kmsKeyId ? ` with ${escapeMrkdwn(v.kmsKeyId)}` : ' with the default EBS key'}${v.newVolumeId ? ` → \`${v.newVolumeId}\`` : ''}`,
  },
  { step: 'detach', label: (v) => `Detach \`${v.volumeId}\` from ${v.instanceId ?? 'the instance'}`, replaceOnly: true },
  { step: 'attach', label: (v) => `Attach \`${v.newVolumeId ?? 'the new volume'}\` at ${v.device ?? 'its device'}`, replaceOnly: true },
];
const ORDER: EncryptStep[] = ['snapshot', 'volume', 'detach', 'attach', 'done'];

export function encryptMessage(v: EncryptView): Message {
  const subject = v.volumeName ? `${v.volumeId} (${v.volumeName})` : v.volumeId;
  const status = v.step === 'done' ? 'done' : v.step === 'failed' ? 'failed' : 'in progress';
  const icon = v.step === 'done' ? ':white_check_mark:' : v.step === 'failed' ? ':x:' : ':lock:';
  // A failed run shows how far it got: done up to the step that failed, which is marked.
  const at = v.step === 'failed' ? (v.failedAt ?? 'snapshot') : v.step;
  const reached = ORDER.indexOf(at);
  const lines = STEPS.filter((s) => v.replace || !s.replaceOnly).map((s) => {
    const i = ORDER.indexOf(s.step);
    const current = v.step === 'failed' ? ':x:' : ':hourglass_flowing_sand:';
    const mark = v.step === 'done' || reached > i ? ':white_check_mark:' : s.step === at ? current : ':white_small_square:';
    let line = `${mark} ${s.label(v)}`;
    if (s.step === 'snapshot' && v.step === 'snapshot' && v.snapshotPercent !== undefined) line += `\n\`${progressBar(v.snapshotPercent)}\``;
    if (s.step === 'volume' && v.step === 'volume' && v.newVolumeState) line += ` — ${v.newVolumeState}`;
    return line;
  });
  const blocks: KnownBlock[] = [
    section(`${icon} *Encrypting ${escapeMrkdwn(subject)}* — ${status}`),
    context(`Requested by ${mention(v.requesterId)} · ${escapeMrkdwn(v.where)}${v.elapsedMs !== undefined ? ` · ${formatDuration(v.elapsedMs)}` : ''}`),
    section(lines.join('\n')),
  ];
  const notes: string[] = [];
  notes.push('EC2 encrypts a volume as it creates it from a snapshot, so no encrypted copy of the snapshot is needed.');
  if (v.crashConsistent) notes.push(`The snapshot was taken while ${v.instanceId ?? 'the instance'} was running: crash-consistent, like pulling the power, not like a clean shutdown.`);
  if (v.failure) blocks.push(section(`*Why it stopped:* ${escapeMrkdwn(v.failure)}`));
  if (v.leftBehind) blocks.push(section(`*Left behind:* ${escapeMrkdwn(v.leftBehind)}`));
  if (v.next) blocks.push(section(`*Next:* ${v.next}`));
  blocks.push(context(notes.join(' ')));
  const text = `Encrypting ${subject} — ${status}${v.newVolumeId ? `: ${v.newVolumeId}` : ''}${v.failure ? `: ${v.failure}` : ''}`;
  return { text, blocks };
}

export function replaceQuestion(choice: ReplaceChoice, o: { instanceId: string; instanceName?: string; device: string }): Message {
  const instance = o.instanceName ? `${o.instanceName} (${o.instanceId})` : o.instanceId;
  const value = JSON.stringify(choice);
  return {
    text: `Swap ${choice.v} on ${instance} for an encrypted copy? Nothing was done yet.`,
    blocks: [
      section(
        `:warning: *Swap the disk of ${escapeMrkdwn(instance)}?* snapbot snapshots \`${choice.v}\`, creates an encrypted volume from it, detaches \`${choice.v}\` from ${escapeMrkdwn(o.device)} and attaches the new one there (same delete-on-termination setting). The old volume is kept, detached. If a step fails, the old volume goes back where it was.\nThe instance is stopped; leave it stopped until this is done. Nothing was done yet.`,
      ),
      actions(
        [button('Encrypt and swap it in', ENCRYPT_ACTION.replace, value, 'danger'), button('Cancel', ENCRYPT_ACTION.cancel, value)],
        `encrypt:${choice.q}`,
      ),
    ],
  };
}

export function parseReplaceChoice(value: string | undefined): ReplaceChoice | undefined {
  try {
    const c = JSON.parse(value ?? '') as Partial<ReplaceChoice>;
    if ([c.q, c.u, c.c, c.v].every((x) => typeof x === 'string' && x !== '')) return c as ReplaceChoice;
  } catch {
    // not ours
  }
  return undefined;
}

/** The form: which volume, which key, and whether to swap it in. */
export function encryptModal(meta: ModalMetadata, volumeId?: string): View {
  return modal(ENCRYPT_MODAL, 'Encrypt a volume', 'Encrypt', [
    {
      type: 'input',
      block_id: 'volume',
      label: { type: 'plain_text', text: 'Volume' },
      element: {
        type: 'external_select',
        action_id: PICKER.volume,
        min_query_length: 0,
        placeholder: { type: 'plain_text', text: 'Search by volume ID or Name tag' },
        ...(volumeId ? { initial_option: { text: { type: 'plain_text', text: volumeId }, value: volumeId } } : {}),
      },
    } as KnownBlock,
    textInput('kms', 'KMS key', { optional: true, placeholder: 'alias/ebs-prod, a key ID or ARN', hint: 'Empty: the account’s default EBS key.' }),
    {
      type: 'input',
      block_id: 'replace',
      optional: true,
      label: { type: 'plain_text', text: 'Swap it in' },
      element: {
        type: 'checkboxes',
        action_id: 'value',
        options: [
          {
            text: { type: 'plain_text', text: 'Replace the volume on its instance' },
            value: 'replace',
            description: { type: 'plain_text', text: 'Only on a stopped instance; you confirm first. The old volume is kept, detached.' },
          },
        ],
      },
    },
  ], meta);
}
