// What every modal submission reads the same way: the modal's private metadata, and who submitted it from where.
import type { SlackViewMiddlewareArgs } from '@slack/bolt';
import type { Invocation } from '../../../usecases/context.js';

type ViewBody = SlackViewMiddlewareArgs['body'];

/** The JSON the modal was opened with; anything unreadable counts as nothing said. */
export function viewMetadata<T extends object>(view: { private_metadata?: string }): Partial<T> {
  try {
    const parsed: unknown = JSON.parse(view.private_metadata || '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Partial<T>) : {};
  } catch {
    return {};
  }
}

/** Who submitted, answered in `channelId` (where the modal was opened), else in their DM with the app. */
export function submitter(body: ViewBody, channelId?: string, responseUrl?: string): Invocation {
  return {
    userId: body.user.id,
    channelId: channelId || body.user.id,
    teamId: body.team?.id ?? body.user.team_id,
    ...(responseUrl ? { responseUrl } : {}),
  };
}
