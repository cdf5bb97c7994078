import type { App } from '@slack/bolt';
import type { Deps } from '../../../usecases/context.js';
import { APPROVAL_ACTION } from '../../views/approvals.js';
import { DIGEST_ACTIONS } from '../../views/digest.js';
import { PICKER } from '../../views/modals.js';
import { approveClicked, rejectClicked } from './approval.js';
import { keepClicked, requestDeletionClicked, snoozeClicked } from './digest.js';
import { instanceOptions, volumeOptions, zoneOptions } from './pickers.js';

export function register(app: App, deps: Deps): void {
  app.action(APPROVAL_ACTION.approve, approveClicked(deps));
  app.action(APPROVAL_ACTION.reject, rejectClicked(deps));
  app.action(DIGEST_ACTIONS.requestDeletion, requestDeletionClicked(deps));
  app.action(DIGEST_ACTIONS.snooze, snoozeClicked(deps));
  app.action(DIGEST_ACTIONS.keep, keepClicked(deps));
  app.options(PICKER.volume, volumeOptions(deps));
  app.options(PICKER.instance, instanceOptions(deps));
  app.options(PICKER.az, zoneOptions(deps));
}
