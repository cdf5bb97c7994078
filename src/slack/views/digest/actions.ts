// The digest's buttons: what each carries, how a click is read back, the note that replaces an item's buttons, the Keep shared form.
import type { Finding } from '../../../core/staleness/types.js';
import type { CleanupKind } from '../../../core/commands.js';
import type { View } from '@slack/types';
import { groupThousands } from '../../../core/cost.js';
import { actions, button, context, escapeMrkdwn, section, truncate, type KnownBlock } from '../blockkit.js';

export const DIGEST_ACTIONS = {
  requestDeletion: 'digest_request_deletion',
  snooze: 'digest_snooze',
  keep: 'digest_keep',
  makePrivate: 'digest_make_private',
  keepShared: 'digest_keep_shared',
  disableFastRestore: 'digest_disable_fast_restore',
  scheduleBackups: 'digest_schedule_backups',
  snapshotNow: 'digest_snapshot_now',
  runDrill: 'digest_run_drill',
  archive: 'digest_archive',
  encryptVolume: 'digest_encrypt_volume',
  requestDeletionAll: 'digest_request_deletion_all',
} as const;

/** *Request deletion of all* on a cleanup section: the batch kind, in the one account and region it covers. */
export interface BatchButtonValue {
  what: CleanupKind;
  region: string;
  account?: string;
}

export function batchButtonValue(v: BatchButtonValue): string {
  return JSON.stringify({ batch: v.what, region: v.region, ...(v.account ? { account: v.account } : {}) });
}

export function parseBatchButtonValue(value: string | undefined): BatchButtonValue | undefined {
  try {
    const v = JSON.parse(value ?? '') as { batch?: unknown; region?: unknown; account?: unknown };
    const kinds: readonly string[] = ['superseded', 'orphaned', 'copies', 'amis'];
    if (typeof v.batch !== 'string' || !kinds.includes(v.batch) || typeof v.region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(v.region)) return undefined;
    return { what: v.batch as CleanupKind, region: v.region, ...(typeof v.account === 'string' && /^\d{12}$/.test(v.account) ? { account: v.account } : {}) };
  } catch {
    return undefined;
  }
}

/** The modal that asks why an exposure should stay, before the Keep shared request goes to an approver. */
export const KEEP_SHARED_MODAL = 'digest_keep_shared_reason';

/** What every digest button carries, as JSON in its value. */
interface DigestButtonValue {
  id: string;
  region: string;
  /** The account that holds it, when the digest knew (EC2's OwnerId; the scanned account for volumes). */
  account?: string;
  /** volume: a backup gap (Schedule daily backups). */
  kind: Finding['kind'] | 'volume';
  /** Request deletion only: the digest's reason, carried onto the approval card. */
  why?: string;
}

export function digestButtonValue(
  f: Pick<DigestButtonValue, 'id' | 'region' | 'kind' | 'account'> & { reasons?: Finding['reasons'] },
  opts: { why?: boolean } = {},
): string {
  const value: DigestButtonValue = { id: f.id, region: f.region, kind: f.kind, ...(f.account ? { account: f.account } : {}) };
  if (opts.why && f.reasons) value.why = truncate(f.reasons.map((r) => r.text).join('; '), 400);
  return JSON.stringify(value);
}

/** A button about a snapshot or an AMI (every cleanup and exposure button), or undefined. */
export function parseFindingButtonValue(value: string | undefined): (DigestButtonValue & { kind: 'snapshot' | 'image' }) | undefined {
  const v = parseDigestButtonValue(value);
  return v && v.kind !== 'volume' ? (v as DigestButtonValue & { kind: 'snapshot' | 'image' }) : undefined;
}

/** The button value back, or undefined when it is not one of ours. */
export function parseDigestButtonValue(value: string | undefined): DigestButtonValue | undefined {
  if (!value) return undefined;
  try {
    const v = JSON.parse(value) as Partial<DigestButtonValue>;
    if (typeof v.id === 'string' && typeof v.region === 'string' && (v.kind === 'snapshot' || v.kind === 'image' || v.kind === 'volume')) {
      return {
        id: v.id,
        region: v.region,
        kind: v.kind,
        ...(typeof v.account === 'string' && /^\d{12}$/.test(v.account) ? { account: v.account } : {}),
        ...(typeof v.why === 'string' && v.why ? { why: v.why.slice(0, 400) } : {}),
      };
    }
  } catch {
    // not JSON: not ours
  }
  return undefined;
}

/**
 * The digest (or reminder) as it was, with the clicked item's buttons replaced by what happened, so the channel sees
 * it. `blocks` are the message's own, as Slack sent them with the click.
 */
export function withItemNote(blocks: readonly KnownBlock[], itemId: string, note: string, o: { exposureFixed?: boolean } = {}): KnownBlock[] {
  const ours = (e: unknown) => {
    const v = (e as { value?: unknown } | undefined)?.value;
    return typeof v === 'string' && parseDigestButtonValue(v)?.id === itemId;
  };
  return blocks.map((b) => {
    if (b.type === 'actions' && b.elements.some(ours)) return context(note);
    // Backup gaps and archive suggestions carry their button beside the text: the note takes its place.
    if (b.type === 'section' && ours(b.accessory) && b.text) return section(`${b.text.text}\n_${note}_`);
    // An exposure made private: the counts above the items say one fewer.
    if (o.exposureFixed && b.type === 'section' && b.text && EXPOSED_COUNT.test(b.text.text)) return { ...b, text: { ...b.text, text: oneFewerExposed(b.text.text) } };
    return b;
  });
}

/** The digest's exposure counts: its Exposure part's heading, and each account's "N exposed". */
const EXPOSED_COUNT = /(\*:rotating_light: Exposure\* — )([\d,]+)( resources?)|\b([\d,]+)( exposed)\b/;

/** The same text with each exposure count one lower: what the digest says once one exposure is fixed. */
export function oneFewerExposed(text: string): string {
  const less = (n: string) => Math.max(0, Number(n.replace(/,/g, '')) - 1);
  return text.replace(new RegExp(EXPOSED_COUNT.source, 'g'), (_m, head?: string, n?: string, noun?: string, m?: string, tail?: string) => {
    if (head !== undefined) {
      const left = less(n!);
      return `${head}${groupThousands(left)} ${left === 1 ? noun!.trim().replace(/s$/, '') : noun!.trim().replace(/([^s])$/, '$1s')}`;
    }
    return `${groupThousands(less(m!))}${tail}`;
  });
}

export function keepSharedModal(item: DigestButtonValue, channelId: string): View {
  return {
    type: 'modal',
    callback_id: KEEP_SHARED_MODAL,
    title: { type: 'plain_text', text: 'Keep shared' },
    submit: { type: 'plain_text', text: 'Ask an approver' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify({ item, channelId }),
    blocks: [
      section(`\`${item.id}\` (${escapeMrkdwn(item.region)}) is exposed: public, or shared outside the allowed accounts. An approver decides whether it stays that way; if so, the digest lists it in one line for 90 days.`),
      {
        type: 'input',
        block_id: 'reason',
        label: { type: 'plain_text', text: 'Why should it stay shared?' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 500 },
      },
    ],
  };
}
