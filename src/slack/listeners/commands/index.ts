import type { App } from '@slack/bolt';
import type { Deps } from '../../../usecases/context.js';
import { amiCommand } from './ami.js';
import { restoreCommand } from './restore.js';
import { shareCommand } from './share.js';
import { snapshotCommand } from './snapshot.js';

export function register(app: App, deps: Deps): void {
  app.command('/snapshot', snapshotCommand(deps));
  app.command('/restore', restoreCommand(deps));
  app.command('/ami', amiCommand(deps));
  app.command('/share', shareCommand(deps));
}
