// What every button listener reads the same way: who clicked, in which channel, and where to answer privately.
import type { BlockAction } from '@slack/bolt';
import type { Invocation } from '../../../usecases/context.js';

/** The clicker; the channel is the message's (a DM or App Home click answers in the user's DM with the app). */
export function clicker(body: BlockAction): Invocation {
  return {
    userId: body.user.id,
    channelId: body.channel?.id ?? body.container?.channel_id ?? body.user.id,
    teamId: body.team?.id ?? body.user.team_id,
    responseUrl: body.response_url,
  };
}
