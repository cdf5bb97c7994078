// Every Slack request is handled once, across restarts and replicas: a slash command or an interaction by its
// trigger_id, an event by its event_id, claimed in DynamoDB (a conditional put that lapses) before any listener
// runs. A second delivery — Slack's retry, or a captured signed request sent again within the five minutes the
// timestamp check allows — is acknowledged and does nothing. Where the store cannot be reached, this process's
// memory still refuses what it has seen. Approve and Reject are the exception: their first decision wins by a
// conditional write of its own, so a second delivery runs nothing and is still told who decided.
import { createHash } from 'node:crypto';
import type { AnyMiddlewareArgs, App, Middleware } from '@slack/bolt';
import type { Deps } from '../../usecases/context.js';
import { APPROVAL_ACTION } from '../views/approvals.js';

/** Longer than the five minutes a signed request is accepted for, so a replay always finds its claim. */
const CLAIM_SECONDS = 15 * 60;
const SEEN_LIMIT = 20_000;
const DECISIONS = new Set<string>([APPROVAL_ACTION.approve, APPROVAL_ACTION.reject]);
const seen = new Map<string, number>();

/**
 * What makes a Slack delivery unique: an event's event_id, a slash command's trigger_id, and for an interaction (a
 * click, a form) the whole payload — a replay or retry is the same bytes, while two clicks, even within one trigger,
 * never are. Option loads (block_suggestion) are answered every time: they change nothing.
 */
export function deliveryKey(body: unknown): string | undefined {
  const b = body as { trigger_id?: unknown; event_id?: unknown; type?: unknown; command?: unknown; actions?: { action_id?: string }[] };
  if (typeof b?.event_id === 'string' && b.event_id) return `event:${b.event_id}`;
  if (b?.type === 'block_suggestion') return undefined;
  if (b?.type === 'block_actions' && b.actions?.some((a) => DECISIONS.has(a.action_id ?? ''))) return undefined;
  if (typeof b?.command === 'string' && typeof b.trigger_id === 'string' && b.trigger_id) return `command:${b.trigger_id}`;
  if (typeof b?.type === 'string' && b.type !== 'event_callback') return `interaction:${createHash('sha256').update(JSON.stringify(body)).digest('base64url')}`;
  return undefined;
}

/** This process's memory of what it saw, the fallback when DynamoDB cannot say. */
function firstSeenHere(k: string): boolean {
  if (seen.has(k)) return false;
  seen.set(k, Date.now());
  if (seen.size > SEEN_LIMIT) {
    // Maps iterate in insertion order: drop the oldest tenth.
    let n = SEEN_LIMIT / 10;
    for (const old of seen.keys()) {
      seen.delete(old);
      if (--n <= 0) break;
    }
  }
  return true;
}

/** True the first time any replica sees this delivery. */
export async function firstDelivery(deps: Deps, k: string): Promise<boolean> {
  const here = firstSeenHere(k);
  if (!here) return false;
  try {
    return await deps.store.dedupe.claim(`slack:${k}`, CLAIM_SECONDS);
  } catch (err) {
    deps.log.warn({ err }, 'replay guard: DynamoDB did not answer; relying on this process alone');
    return true;
  }
}

export function dropReplays(deps: Deps): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const k = deliveryKey(args.body);
    if (k !== undefined && !(await firstDelivery(deps, k))) {
      deps.log.warn({ delivery: k }, 'a Slack request was delivered again; acknowledged and not run');
      const ack = (args as { ack?: (response?: unknown) => Promise<void> }).ack;
      if (ack) await ack();
      return;
    }
    await args.next();
  };
}

export function register(app: App, deps: Deps): void {
  app.use(dropReplays(deps));
}
