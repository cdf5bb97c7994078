import type { App } from '@slack/bolt';
import type { Deps } from '../../../usecases/context.js';
import { APPROVAL_ACTION } from '../../views/approvals.js';
import { DIGEST_ACTIONS } from '../../views/digest/index.js';
import { PICKER } from '../../views/modals.js';
import { CONFIRM_ACTION } from '../../views/confirmations.js';
import { approveClicked, rejectClicked, withdrawClicked } from './approval.js';
import { rebootChosen, replaceChosen } from './confirm.js';
import { ENCRYPT_ACTION } from '../../views/encrypt.js';
import {
  archiveClicked,
  disableFastRestoreClicked,
  encryptVolumeClicked,
  keepClicked,
  keepSharedClicked,
  makePrivateClicked,
  requestDeletionClicked,
  scheduleBackupsClicked,
  snapshotNowClicked,
  runDrillClicked,
  requestDeletionAllClicked,
  snoozeClicked,
} from './digest.js';
import { instanceOptions, volumeOptions, zoneOptions } from './pickers.js';

export function register(app: App, deps: Deps): void {
  app.action(APPROVAL_ACTION.approve, approveClicked(deps));
  app.action(APPROVAL_ACTION.reject, rejectClicked(deps));
  app.action(APPROVAL_ACTION.withdraw, withdrawClicked(deps));
  app.action(CONFIRM_ACTION.reboot, rebootChosen(deps, true));
  app.action(CONFIRM_ACTION.noReboot, rebootChosen(deps, false));
  app.action(ENCRYPT_ACTION.replace, replaceChosen(deps, true));
  app.action(ENCRYPT_ACTION.cancel, replaceChosen(deps, false));
  app.action(DIGEST_ACTIONS.encryptVolume, encryptVolumeClicked(deps));
  app.action(DIGEST_ACTIONS.requestDeletion, requestDeletionClicked(deps));
  app.action(DIGEST_ACTIONS.snooze, snoozeClicked(deps));
  app.action(DIGEST_ACTIONS.keep, keepClicked(deps));
  app.action(DIGEST_ACTIONS.makePrivate, makePrivateClicked(deps));
  app.action(DIGEST_ACTIONS.keepShared, keepSharedClicked(deps));
  app.action(DIGEST_ACTIONS.disableFastRestore, disableFastRestoreClicked(deps));
  app.action(DIGEST_ACTIONS.scheduleBackups, scheduleBackupsClicked(deps));
  app.action(DIGEST_ACTIONS.snapshotNow, snapshotNowClicked(deps));
  app.action(DIGEST_ACTIONS.runDrill, runDrillClicked(deps));
  app.action(DIGEST_ACTIONS.requestDeletionAll, requestDeletionAllClicked(deps));
  app.action(DIGEST_ACTIONS.archive, archiveClicked(deps));
  app.options(PICKER.volume, volumeOptions(deps));
  app.options(PICKER.instance, instanceOptions(deps));
  app.options(PICKER.az, zoneOptions(deps));
}
