// Everything snapbot says in Slack goes through here: one place that knows the Web API calls and their fallbacks.
import type { KnownBlock, View } from '@slack/types';
import { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { slackLogger } from './logger.js';

export interface Message {
  /** The notification/fallback text; always set, Slack shows it where blocks cannot be shown. */
  text: string;
  blocks?: KnownBlock[];
}

export interface PostedMessage {
  channel: string;
  ts: string;
}

/** Where a private answer goes: the user in the channel they typed in, with Slack's response_url as a fallback. */
export interface PrivateTarget {
  channel: string;
  user: string;
  responseUrl?: string;
}

export class SlackOut {
  readonly client: WebClient;
  private readonly groupCache = new Map<string, { members: string[]; at: number }>();

  constructor(
    token: string,
    apiUrl: string | undefined,
    private readonly log: Logger,
  ) {
    this.client = new WebClient(token, {
      ...(apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}),
      // Rate limits (429 + Retry-After) are waited out by the client itself, in order.
      retryConfig: { retries: 5, factor: 2, minTimeout: 200, maxTimeout: 5_000 },
      logger: slackLogger(log),
    });
  }

  async post(channel: string, msg: Message, threadTs?: string): Promise<PostedMessage> {
    const res = await this.client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks, thread_ts: threadTs, unfurl_links: false });
    return { channel: res.channel ?? channel, ts: res.ts ?? '' };
  }

  async update(at: PostedMessage, msg: Message): Promise<void> {
    await this.client.chat.update({ channel: at.channel, ts: at.ts, text: msg.text, blocks: msg.blocks ?? [] });
  }

  /** Updates and never throws: a progress message that cannot be edited must not stop the work behind it. */
  async tryUpdate(at: PostedMessage, msg: Message): Promise<void> {
    try {
      await this.update(at, msg);
    } catch (err) {
      this.log.warn(`chat.update of ${at.channel}/${at.ts} failed: ${(err as Error).message}`);
    }
  }

  /** A message only the user sees. Falls back to response_url where the bot cannot post ephemerally. */
  async private(to: PrivateTarget, msg: Message): Promise<void> {
    try {
      await this.client.chat.postEphemeral({ channel: to.channel, user: to.user, text: msg.text, blocks: msg.blocks });
      return;
    } catch (err) {
      if (!to.responseUrl) throw err;
      this.log.warn(`chat.postEphemeral failed (${(err as Error).message}); answering through response_url`);
    }
    const res = await fetch(to.responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: msg.text, blocks: msg.blocks }),
    });
    if (!res.ok) throw new Error(`response_url answered ${res.status}`);
  }

  /** A direct message from the app (posting to a user ID lands in the app's DM with them). */
  async dm(userId: string, msg: Message): Promise<PostedMessage> {
    return this.post(userId, msg);
  }

  async openModal(triggerId: string, view: View): Promise<string | undefined> {
    const res = await this.client.views.open({ trigger_id: triggerId, view });
    return res.view?.id;
  }

  async updateModal(viewId: string, view: View): Promise<void> {
    await this.client.views.update({ view_id: viewId, view });
  }

  async publishHome(userId: string, view: View): Promise<void> {
    await this.client.views.publish({ user_id: userId, view: view as never });
  }

  async uploadCsv(channel: string, threadTs: string | undefined, filename: string, content: string, title: string): Promise<void> {
    const where = threadTs ? { channel_id: channel, thread_ts: threadTs } : { channel_id: channel };
    await this.client.filesUploadV2({ ...where, filename, content, title });
  }

  /** Members of a user group (S…), cached for a minute so a burst of clicks costs one call. */
  async userGroupMembers(groupId: string, now = Date.now()): Promise<string[]> {
    const hit = this.groupCache.get(groupId);
    if (hit && now - hit.at < 60_000) return hit.members;
    const res = await this.client.usergroups.users.list({ usergroup: groupId });
    const members = res.users ?? [];
    this.groupCache.set(groupId, { members, at: now });
    return members;
  }
}
