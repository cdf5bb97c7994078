// Requests as Slack sends them to /slack/events: form bodies, signed with the signing secret (v0 HMAC-SHA256).
// The sandbox console and the end-to-end tests both speak to the bot through this.
import { createHmac, randomBytes } from 'node:crypto';

export interface SignedRequestOptions {
  /** Seconds since the epoch; defaults to now. Tests set it to forge stale requests. */
  timestamp?: number;
  /** Sign a different body from the one sent (a tampered request). */
  signBody?: string;
  /** Sign with another secret (a forged request). */
  secret?: string;
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export class SlackSender {
  constructor(
    private readonly eventsUrl: string,
    private readonly signingSecret: string,
    readonly responseUrlBase?: string,
  ) {}

  async post(body: string, opts: SignedRequestOptions = {}): Promise<{ status: number; text: string; json?: Record<string, unknown> }> {
    const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const res = await fetch(this.eventsUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': sign(opts.secret ?? this.signingSecret, ts, opts.signBody ?? body),
      },
      body,
    });
    const text = await res.text();
    let json: Record<string, unknown> | undefined;
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json };
  }

  /** An Events API delivery (a JSON body, signed the same way), e.g. `app_home_opened`. */
  async event(event: Record<string, unknown>, opts: SignedRequestOptions = {}): Promise<{ status: number; text: string }> {
    const body = JSON.stringify({
      token: 'legacy-verification-token-unused',
      team_id: 'T0SANDBOX',
      api_app_id: 'A0SNAPBOT',
      type: 'event_callback',
      event_id: `Ev${randomBytes(8).toString('hex').toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      event,
    });
    const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const res = await fetch(this.eventsUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': sign(opts.secret ?? this.signingSecret, ts, opts.signBody ?? body),
      },
      body,
    });
    return { status: res.status, text: await res.text() };
  }

  commandBody(c: { command: string; text: string; userId: string; channelId: string; triggerId?: string }): string {
    const trigger = c.triggerId ?? `${Date.now()}.${randomBytes(6).toString('hex')}`;
    return new URLSearchParams({
      token: 'legacy-verification-token-unused',
      team_id: 'T0SANDBOX',
      team_domain: 'sandbox',
      channel_id: c.channelId,
      channel_name: c.channelId,
      user_id: c.userId,
      user_name: c.userId.toLowerCase(),
      command: c.command,
      text: c.text,
      api_app_id: 'A0SNAPBOT',
      is_enterprise_install: 'false',
      // Who and where, for a Slack stand-in that shows what is posted to it (Slack's own URLs are opaque).
      response_url: `${this.responseUrlBase ?? 'http://127.0.0.1:9/'}commands/${trigger}?${new URLSearchParams({ user: c.userId, channel: c.channelId })}`,
      trigger_id: trigger,
    }).toString();
  }

  /** `/snapshot vol-…` as typed by `userId` in `channelId`. */
  command(c: { command: string; text: string; userId: string; channelId: string; triggerId?: string }, opts?: SignedRequestOptions) {
    return this.post(this.commandBody(c), opts);
  }

  interaction(payload: Record<string, unknown>, opts?: SignedRequestOptions) {
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), opts);
  }

  /** A click on a button of a posted message. */
  click(
    b: { userId: string; channelId: string; messageTs: string; actionId: string; value?: string; blockId?: string; text?: string; messageBlocks?: unknown[] },
    opts?: SignedRequestOptions,
  ) {
    return this.interaction(
      {
        type: 'block_actions',
        ...envelope(b.userId),
        container: { type: 'message', message_ts: b.messageTs, channel_id: b.channelId, is_ephemeral: false },
        trigger_id: `${Date.now()}.${randomBytes(6).toString('hex')}`,
        channel: { id: b.channelId, name: b.channelId },
        // Slack sends the clicked message whole, blocks included.
        message: { type: 'message', ts: b.messageTs, text: '', ...(b.messageBlocks ? { blocks: b.messageBlocks } : {}) },
        response_url: `${this.responseUrlBase ?? 'http://127.0.0.1:9/'}actions/${b.messageTs}?${new URLSearchParams({ user: b.userId, channel: b.channelId })}`,
        actions: [
          {
            type: 'button',
            action_id: b.actionId,
            block_id: b.blockId ?? 'actions',
            text: { type: 'plain_text', text: b.text ?? b.actionId },
            value: b.value,
            action_ts: `${Date.now() / 1000}`,
          },
        ],
      },
      opts,
    );
  }

  /** A modal submitted with `values` as Slack's view.state.values. */
  submitView(
    v: { userId: string; callbackId: string; privateMetadata?: string; values: Record<string, Record<string, unknown>>; viewId?: string },
    opts?: SignedRequestOptions,
  ) {
    return this.interaction(
      {
        type: 'view_submission',
        ...envelope(v.userId),
        trigger_id: `${Date.now()}.${randomBytes(6).toString('hex')}`,
        view: {
          id: v.viewId ?? 'V0MODAL',
          type: 'modal',
          callback_id: v.callbackId,
          private_metadata: v.privateMetadata ?? '',
          state: { values: v.values },
          hash: 'h',
        },
      },
      opts,
    );
  }

  /** What an external select asks while the user types. */
  suggest(
    s: { userId: string; actionId: string; blockId: string; value: string; viewId?: string; privateMetadata?: string; values?: Record<string, unknown> },
    opts?: SignedRequestOptions,
  ) {
    return this.interaction(
      {
        type: 'block_suggestion',
        user: { id: s.userId, name: s.userId.toLowerCase(), team_id: 'T0SANDBOX' },
        team: { id: 'T0SANDBOX', domain: 'sandbox' },
        api_app_id: 'A0SNAPBOT',
        token: 'legacy-verification-token-unused',
        action_id: s.actionId,
        block_id: s.blockId,
        value: s.value,
        container: { type: 'view', view_id: s.viewId ?? 'V0MODAL' },
        view: { id: s.viewId ?? 'V0MODAL', type: 'modal', callback_id: 'x', private_metadata: s.privateMetadata ?? '', state: { values: s.values ?? {} } },
      },
      opts,
    );
  }
}

/** What every interaction payload carries: who clicked, in which workspace, for which app. */
function envelope(userId: string) {
  return {
    team: { id: 'T0SANDBOX', domain: 'sandbox' },
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: 'T0SANDBOX' },
    api_app_id: 'A0SNAPBOT',
    token: 'legacy-verification-token-unused',
  };
}
