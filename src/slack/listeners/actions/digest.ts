// The digest's and reminders' buttons. Each is a row of the access policy's button table: an operator acts, the
// others are told why not, privately; the buttons work the same wherever the message is.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ButtonName } from '../../../core/policy.js';
import { check } from '../../../usecases/access.js';
import type { KnownBlock, View } from '@slack/types';
import {
  disableFastRestore,
  inItemScope,
  keep,
  makePrivate,
  requestDeletionFromDigest,
  snooze,
  type DigestItemRef,
  type DigestNote,
} from '../../../usecases/cleanup.js';
import { modalScope, replyPrivately, type Deps, type Invocation } from '../../../usecases/context.js';
import { archiveSnapshot } from '../../../usecases/safety.js';
import { createSnapshot } from '../../../usecases/snapshots.js';
import { startDrill } from '../../../usecases/drill.js';
import { requestCleanup } from '../../../usecases/cleanup-batch.js';
import { scheduleModal } from '../../views/backups.js';
import {
  keepSharedModal,
  oneFewerExposed,
  parseBatchButtonValue,
  parseDigestButtonValue,
  parseFindingButtonValue,
  withItemNote,
} from '../../views/digest/index.js';
import { encryptModal } from '../../views/encrypt.js';
import { scopedModal } from '../../views/modals.js';
import { clicker } from './common.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

const UNKNOWN_DIGEST = { text: ':x: That button is from an unknown digest; run `/snapshot digest` for a fresh one.' };

/** Acks; the digest item the button is about, or undefined once the clicker was told the button is not ours. */
async function ackItem(deps: Deps, args: ButtonArgs): Promise<{ inv: Invocation; item?: DigestItemRef }> {
  await args.ack();
  const inv = clicker(args.body);
  const item = parseFindingButtonValue(args.action.value);
  if (!item) await replyPrivately(deps, inv, UNKNOWN_DIGEST);
  return { inv, item };
}

function handler(
  deps: Deps,
  button: ButtonName,
  run: (deps: Deps, inv: Invocation, item: DigestItemRef) => Promise<DigestNote>,
  o: { fixesExposure?: boolean } = {},
) {
  return async (args: ButtonArgs): Promise<void> => {
    const { inv, item } = await ackItem(deps, args);
    if (!item) return;
    const message = args.body.message as { ts?: string; text?: string; blocks?: KnownBlock[] } | undefined;
    const channel = args.body.channel?.id ?? args.body.container?.channel_id;
    deps.background(async () => {
      if (!(await check(deps, inv, { type: 'button', button }, { resources: [item.id], count: false }))) return;
      const note = await run(inItemScope(deps, item), inv, item);
      // The digest shows what happened, in place: "snoozed by @Sam until …".
      if (note && message?.ts && message.blocks && channel) {
        const fixed = o.fixesExposure === true && !/^:lock: Already private/.test(note);
        const text = message.text ?? 'Cost-cleanup digest';
        await deps.out.tryUpdate(
          { channel, ts: message.ts },
          { text: fixed ? oneFewerExposed(text) : text, blocks: withItemNote(message.blocks, item.id, note, { exposureFixed: fixed }) },
        );
      }
    });
  };
}

export const requestDeletionClicked = (deps: Deps) => handler(deps, 'digest.requestDeletion', requestDeletionFromDigest);
export const snoozeClicked = (deps: Deps) => handler(deps, 'digest.snooze', snooze);
export const keepClicked = (deps: Deps) => handler(deps, 'digest.keep', keep);
export const makePrivateClicked = (deps: Deps) => handler(deps, 'digest.makePrivate', makePrivate, { fixesExposure: true });
export const disableFastRestoreClicked = (deps: Deps) => handler(deps, 'digest.disableFastRestore', disableFastRestore);
export const archiveClicked = (deps: Deps) => handler(deps, 'digest.archive', (d, inv, item) => archiveSnapshot(d, inv, item.id, item.region));

/** Who clicked a volume's button and which volume, or undefined once told the button is not one of a digest's. */
async function volumeClicked(deps: Deps, args: ButtonArgs) {
  const inv = clicker(args.body);
  const item = parseDigestButtonValue(args.action.value);
  if (item?.kind !== 'volume') {
    await replyPrivately(deps, inv, UNKNOWN_DIGEST);
    return undefined;
  }
  return { inv, item };
}

/**
 * A volume's button that opens a form filled in with it, in the digest item's account and region, once the policy
 * allows: *Schedule daily backups* on a backup gap, *Encrypt this volume* on an unencrypted snapshot of a live one.
 */
function volumeFormClicked(deps: Deps, button: ButtonName, form: (meta: { channelId: string }, volumeId: string) => View) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const clicked = await volumeClicked(deps, args);
    if (!clicked) return;
    const { inv, item } = clicked;
    if (!(await check(deps, inv, { type: 'button', button }, { resources: [item.id], count: false }))) return;
    await deps.out.openModal(args.body.trigger_id, scopedModal(form({ channelId: inv.channelId }, item.id), modalScope(inItemScope(deps, item))));
  };
}

export const scheduleBackupsClicked = (deps: Deps) => volumeFormClicked(deps, 'digest.scheduleBackups', scheduleModal);

/**
 * A volume's button that acts at once in the digest item's account and region, once the policy allows; the digest
 * then says who started what, in place of the item's buttons.
 */
function volumeActionClicked(deps: Deps, button: ButtonName, note: (userId: string) => string, act: (deps: Deps, inv: Invocation, volumeId: string) => Promise<unknown>) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const clicked = await volumeClicked(deps, args);
    if (!clicked) return;
    const { inv, item } = clicked;
    const message = args.body.message as { ts?: string; text?: string; blocks?: KnownBlock[] } | undefined;
    const channel = args.body.channel?.id ?? args.body.container?.channel_id;
    deps.background(async () => {
      if (!(await check(deps, inv, { type: 'button', button }, { resources: [item.id], count: false }))) return;
      if (message?.ts && message.blocks && channel) {
        await deps.out.tryUpdate({ channel, ts: message.ts }, { text: message.text ?? 'Cost-cleanup digest', blocks: withItemNote(message.blocks, item.id, note(inv.userId)) });
      }
      await act(inItemScope(deps, item), inv, item.id);
    });
  };
}

/** *Snapshot now* on a volume that missed its recovery point: the same snapshot `/snapshot vol-…` makes, in its scope. */
export const snapshotNowClicked = (deps: Deps) =>
  volumeActionClicked(
    deps,
    'digest.snapshotNow',
    (u) => `:camera_with_flash: Snapshot requested by <@${u}>; its progress is posted in this channel.`,
    (d, inv, volumeId) => createSnapshot(d, inv, volumeId, 'from the digest: it missed the backup objective'),
  );

/** *Run a drill* on a volume of the Backups part: the drill `/snapshot drill vol-…` runs, in its scope. */
export const runDrillClicked = (deps: Deps) =>
  volumeActionClicked(
    deps,
    'digest.runDrill',
    (u) => `:test_tube: Restore drill started by <@${u}>; its result is posted in this channel.`,
    (d, inv, volumeId) => startDrill(d, inv, { kind: 'snapshot.drill', target: volumeId }),
  );

/** *Request deletion of all* on a cleanup section: the batch `/snapshot cleanup <kind>` asks for, in its scope. */
export function requestDeletionAllClicked(deps: Deps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const inv = clicker(args.body);
    const batch = parseBatchButtonValue(args.action.value);
    if (!batch) return replyPrivately(deps, inv, UNKNOWN_DIGEST);
    deps.background(async () => {
      if (!(await check(deps, inv, { type: 'button', button: 'digest.requestDeletionAll' }, { resources: [], count: false }))) return;
      await requestCleanup(inItemScope(deps, batch), inv, { what: batch.what, reason: 'From the cost-cleanup digest: Request deletion of all' });
    });
  };
}

export const encryptVolumeClicked = (deps: Deps) => volumeFormClicked(deps, 'digest.encryptVolume', encryptModal);

/** Keep shared asks for a reason first; the policy is asked before the form opens (and again on submit). */
export function keepSharedClicked(deps: Deps) {
  return async (args: ButtonArgs): Promise<void> => {
    const { inv, item } = await ackItem(deps, args);
    if (!item) return;
    if (!(await check(deps, inv, { type: 'button', button: 'digest.keepShared' }, { resources: [item.id], count: false }))) return;
    await deps.out.openModal(args.body.trigger_id, keepSharedModal(item, inv.channelId));
  };
}
