import type { App } from '@slack/bolt';
import type { Deps } from '../../../usecases/context.js';
import { showHome } from '../../../usecases/home.js';

export function register(app: App, deps: Deps): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab && event.tab !== 'home') return;
    deps.background(() => showHome(deps, event.user));
  });
}
