// The App Home tab: pending requests for approvers (with the same buttons), the user's own requests, and the backups:
// the last digest's recovery-point posture and the latest restore drills.
import { whoIs } from './access.js';
import type { Deps } from './context.js';
import type { HomeFacts } from './ports.js';

/** Approvers see at most this many requests waiting for them. */
const DECIDABLE_SHOWN = 20;
const OWN_SHOWN = 15;
const DRILLS_SHOWN = 5;

export async function showHome(deps: Deps, userId: string): Promise<void> {
  let facts: HomeFacts;
  try {
    const [who, pending, mine, backups] = await Promise.all([
      whoIs(deps, { userId }),
      deps.store.approvals.listPending(deps.now()),
      deps.store.approvals.listByRequester(userId, OWN_SHOWN),
      // Backups are shown when they can be read; the requests are the tab's first job.
      Promise.all([deps.store.drills.latestPosture(), deps.store.drills.since(new Date(deps.now().getTime() - 90 * 86_400_000))]).then(
        ([posture, drills]) => ({ ...(posture ? { posture } : {}), drills: drills.slice(0, DRILLS_SHOWN) }),
        () => undefined,
      ),
    ]);
    // Guests and outsiders named in APPROVERS still cannot decide, so they are not shown what to decide.
    const decidable = who.approver ? pending.filter((r) => r.requester.userId !== userId).slice(0, DECIDABLE_SHOWN) : undefined;
    facts = { ...(decidable ? { decidable } : {}), mine, ...(backups ? { backups } : {}), now: deps.now() };
  } catch (err) {
    facts = { mine: [], error: (err as Error).message };
  }
  await deps.out.publishHome(userId, deps.views.homeView(facts));
}
