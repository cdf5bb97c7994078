// /snapshot audit <id>: the resource's history as snapbot saw it.
import { replyPrivately, type Deps, type Invocation } from './context.js';

export async function showAudit(deps: Deps, inv: Invocation, resourceId: string): Promise<void> {
  let entries;
  try {
    entries = await deps.store.audit.list(resourceId);
  } catch (err) {
    await replyPrivately(deps, inv, { text: `:x: Could not read the history of \`${resourceId}\`: ${(err as Error).message}` });
    return;
  }
  await replyPrivately(deps, inv, deps.views.auditMessage(resourceId, entries));
}
