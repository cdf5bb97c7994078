// The App Home tab: pending requests for approvers (with the same buttons), and the user's own requests.
import { whoIs } from './access.js';
import type { Deps } from './context.js';
import type { HomeFacts } from './ports.js';

/** Approvers see at most this many requests waiting for them. */
const DECIDABLE_SHOWN = 20;
const OWN_SHOWN = 15;

export async function showHome(deps: Deps, userId: string): Promise<void> {
  let facts: HomeFacts;
  try {
    const [who, pending, mine] = await Promise.all([
      whoIs(deps, { userId }),
      deps.store.approvals.listPending(deps.now()),
      deps.store.approvals.listByRequester(userId, OWN_SHOWN),
    ]);
    // Guests and outsiders named in APPROVERS still cannot decide, so they are not shown what to decide.
    const decidable = who.approver ? pending.filter((r) => r.requester.userId !== userId).slice(0, DECIDABLE_SHOWN) : undefined;
    facts = { ...(decidable ? { decidable } : {}), mine };
  } catch (err) {
    facts = { mine: [], error: (err as Error).message };
  }
  await deps.out.publishHome(userId, deps.views.homeView(facts));
}
