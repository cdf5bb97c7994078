// Everything snapbot says in Slack goes through here: one place that knows the Web API calls and their fallbacks.
import type { TopLevelSpec } from 'vega-lite';
import { renderChart } from './chart.js';
import type { KnownBlock, View } from '@slack/types';
import { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { SlackPerson } from '../core/policy.js';
import { slackLogger } from './logger.js';
import type { Installation, Message, Outbox, PostedMessage, PrivateTarget } from '../usecases/ports.js';

/** What users.info says about a person, as far as snapbot reads it (src/core/policy.ts judges it). */
export type SlackUser = SlackPerson;

/** How long what Slack said about a person or a user group is trusted: a change of rights takes effect within it. */
const PEOPLE_CACHE_SECONDS = 300;
const PEOPLE_CACHE_ENTRIES = 5_000;

/** A small map whose entries lapse after `ttlMs` and whose oldest go first once it holds `max`. */
class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  get(key: string, now: number): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (now - hit.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: V, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: now });
    // Maps iterate in insertion order: the first key is the oldest.
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** Broadcasts snapbot never sends on purpose: whatever text carries one (from AWS, say), it reaches Slack as words. */
const BROADCAST = /<!(channel|here|everyone)(?:\|[^<>]*)?>/g;

function quiet<T>(value: T): T {
  if (typeof value === 'string') return value.replace(BROADCAST, '@$1') as T;
  if (Array.isArray(value)) return value.map(quiet) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, quiet(v)])) as T;
  return value;
}

/** The last guard before Slack: no message snapbot sends can notify a whole channel. */
export function withoutBroadcasts(msg: Message): Message {
  return quiet(msg);
}

export class SlackOut implements Outbox {
  readonly client: WebClient;
  private readonly identityClient: WebClient;
  private readonly groupCache = new TtlCache<string[]>(PEOPLE_CACHE_SECONDS * 1000, 1_000);
  private readonly userCache = new TtlCache<SlackUser>(PEOPLE_CACHE_SECONDS * 1000, PEOPLE_CACHE_ENTRIES);
  private installationInfo?: Installation;

  constructor(
    token: string,
    apiUrl: string | undefined,
    private readonly log: Logger,
  ) {
    const base = { ...(apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}), logger: slackLogger(log) };
    // Rate limits (429 + Retry-After) are waited out by the client itself, in order.
    this.client = new WebClient(token, { ...base, retryConfig: { retries: 5, factor: 2, minTimeout: 200, maxTimeout: 5_000 } });
    // Who someone is decides whether they may act, and they are waiting: one quick retry, then "could not check".
    this.identityClient = new WebClient(token, { ...base, retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 500 }, timeout: 4_000, rejectRateLimitedCalls: true });
  }

  async post(channel: string, message: Message, threadTs?: string): Promise<PostedMessage> {
    const msg = withoutBroadcasts(message);
    const res = await this.client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks, thread_ts: threadTs, unfurl_links: false });
    return { channel: res.channel ?? channel, ts: res.ts ?? '' };
  }

  async update(at: PostedMessage, message: Message): Promise<void> {
    const msg = withoutBroadcasts(message);
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
  async private(to: PrivateTarget, message: Message): Promise<void> {
    const msg = withoutBroadcasts(message);
    try {
      await this.client.chat.postEphemeral({ channel: to.channel, user: to.user, text: msg.text, blocks: msg.blocks });
      return;
    } catch (err) {
      if (!to.responseUrl) throw err;
      this.log.warn(`chat.postEphemeral failed (${(err as Error).message}); answering through response_url`);
    }
    await toResponseUrl(to.responseUrl, { response_type: 'ephemeral', text: msg.text, blocks: msg.blocks });
  }

  async respond(responseUrl: string, message: Message): Promise<boolean> {
    const msg = withoutBroadcasts(message);
    return toResponseUrl(responseUrl, { response_type: 'ephemeral', text: msg.text, blocks: msg.blocks }).then(
      () => true,
      (err: Error) => (this.log.warn(`answering through response_url failed: ${err.message}`), false),
    );
  }

  /** Replaces the message a button was clicked on (an ephemeral one too) through its response_url; never throws. */
  async replaceOriginal(responseUrl: string, message: Message): Promise<void> {
    const msg = withoutBroadcasts(message);
    await toResponseUrl(responseUrl, { replace_original: true, text: msg.text, blocks: msg.blocks ?? [] }).catch((err: Error) =>
      this.log.warn(`replacing the original message failed: ${err.message}`),
    );
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

  async uploadChart(channel: string, threadTs: string | undefined, filename: string, chart: { spec: unknown; title: string; altText: string }): Promise<void> {
    const png = await renderChart(chart.spec as TopLevelSpec);
    const where = threadTs ? { channel_id: channel, thread_ts: threadTs } : { channel_id: channel };
    await this.client.filesUploadV2({ ...where, filename, file: png, title: chart.title, alt_text: chart.altText });
  }

  async uploadCsv(channel: string, threadTs: string | undefined, filename: string, content: string | { path: string }, title: string): Promise<void> {
    const where = threadTs ? { channel_id: channel, thread_ts: threadTs } : { channel_id: channel };
    await this.client.filesUploadV2({ ...where, filename, ...(typeof content === 'string' ? { content } : { file: content.path }), title });
  }

  /** Members of a user group (S…), cached so a burst of clicks costs one call. */
  async userGroupMembers(groupId: string, now = Date.now()): Promise<string[]> {
    const hit = this.groupCache.get(groupId, now);
    if (hit) return hit;
    const res = await this.identityClient.usergroups.users.list({ usergroup: groupId });
    const members = res.users ?? [];
    this.groupCache.set(groupId, members, now);
    return members;
  }

  /**
   * users.info, cached (bounded) for PEOPLE_CACHE_SECONDS. Errors are not cached: the next command asks again.
   */
  async user(userId: string, now = Date.now()): Promise<SlackUser> {
    const hit = this.userCache.get(userId, now);
    if (hit) return hit;
    const res = await this.identityClient.users.info({ user: userId });
    const user = { ...(res.user as SlackUser | undefined), id: userId };
    this.userCache.set(userId, user, now);
    return user;
  }

  /** The workspace the bot is installed in (auth.test), asked once; undefined while Slack cannot say. */
  async installation(): Promise<Installation | undefined> {
    if (this.installationInfo) return this.installationInfo;
    try {
      const res = await this.identityClient.auth.test();
      this.installationInfo = { teamId: res.team_id, enterpriseId: res.enterprise_id || undefined };
      return this.installationInfo;
    } catch (err) {
      this.log.warn(`auth.test failed (${(err as Error).message}); judging outsiders by is_stranger and the request's team`);
      return undefined;
    }
  }
}

/** POSTs a body to a response_url; rejects unless Slack answers 2xx. */
async function toResponseUrl(url: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
}
