import type { App } from '@slack/bolt';
import type { Deps } from '../../../usecases/context.js';
import { showHome } from '../../../usecases/home.js';
import { firstDelivery } from '../commands/common.js';

export function register(app: App, deps: Deps): void {
  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab && event.tab !== 'home') return;
    // Slack redelivers an event it thinks was not acknowledged (over HTTP with X-Slack-Retry-Num, over Socket Mode
    // with retry_attempt): the same event_id, handled once.
    const eventId = (body as { event_id?: string }).event_id;
    if (eventId && !firstDelivery(`event:${eventId}`)) return;
    deps.background(() => showHome(deps, event.user));
  });
}
