import type { App } from '@slack/bolt';
import type { Deps } from '../../../usecases/context.js';
import { KEEP_SHARED_MODAL } from '../../views/digest/index.js';
import { MODAL } from '../../views/modals.js';
import { keepSharedSubmitted } from './keep-shared.js';
import { rejectSubmitted } from './reject.js';
import { SCHEDULE_MODAL } from '../../views/backups.js';
import { ENCRYPT_MODAL } from '../../views/encrypt.js';
import {
  amiSubmitted,
  encryptSubmitted,
  restoreSubmitted,
  scheduleSubmitted,
  shareSubmitted,
  snapshotSubmitted,
} from './modals.js';

export function register(app: App, deps: Deps): void {
  app.view(MODAL.snapshot, snapshotSubmitted(deps));
  app.view(MODAL.ami, amiSubmitted(deps));
  app.view(MODAL.restore, restoreSubmitted(deps));
  app.view(MODAL.share, shareSubmitted(deps));
  app.view(MODAL.reject, rejectSubmitted(deps));
  app.view(KEEP_SHARED_MODAL, keepSharedSubmitted(deps));
  app.view(SCHEDULE_MODAL, scheduleSubmitted(deps));
  app.view(ENCRYPT_MODAL, encryptSubmitted(deps));
}
