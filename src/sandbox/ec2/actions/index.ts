import { accountActions } from './account.js';
import type { ActionHandler } from './context.js';
import { imageActions } from './images.js';
import { instanceActions } from './instances.js';
import { safetyActions } from './safety.js';
import { snapshotActions } from './snapshots.js';
import { volumeActions } from './volumes.js';

export type { ActionContext, ActionHandler } from './context.js';

export const ACTIONS: Readonly<Record<string, ActionHandler>> = {
  ...snapshotActions,
  ...volumeActions,
  ...imageActions,
  ...instanceActions,
  ...accountActions,
  ...safetyActions,
};
