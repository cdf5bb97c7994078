import type { App } from '@slack/bolt';
import type { Deps } from '../../../usecases/context.js';
import { showHome } from '../../../usecases/home.js';

export function register(app: App, deps: Deps): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab && event.tab !== 'home') return;
    // Slack redelivers an event it thinks was not acknowledged (over HTTP with X-Slack-Retry-Num, over Socket Mode
    // with retry_attempt): the same event_id, dropped by ../replays.ts before it gets here.
    deps.background(() => showHome(deps, event.user));
  });
}
