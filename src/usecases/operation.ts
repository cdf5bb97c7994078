// The shape every long AWS operation shares: post the message, run the create call, hand the new resources to the
// progress tracker — or put the AWS reason on the same message.
import type { OperationKind } from './progress-tracker.js';
import { announce, newId, whereLabel, type Deps, type Invocation } from './context.js';

export interface OperationStart {
  kind: OperationKind;
  title: string;
  /** Where the new resources live (a copy's destination region). */
  region: string;
  /** Makes the create calls, tagged with `opId`; returns what to follow and, optionally, a better title. */
  run(opId: string): Promise<{ resourceIds: string[]; labels?: Record<string, string>; title?: string }>;
}

export async function startOperation(deps: Deps, inv: Invocation, s: OperationStart): Promise<void> {
  const opId = newId(deps.now());
  const startedAt = deps.now();
  const where = whereLabel(deps, { ...deps.scope, region: s.region });
  const base = { title: s.title, requesterId: inv.userId, region: where };
  const message = await announce(deps, inv, deps.views.progressMessage({ ...base, phase: 'starting', items: [] }));
  try {
    const created = await s.run(opId);
    await deps.tracker.track({
      id: opId,
      kind: s.kind,
      region: s.region,
      ...(deps.scope.account ? { account: deps.scope.account.id } : {}),
      where,
      resourceIds: created.resourceIds,
      labels: created.labels ?? {},
      message,
      requesterId: inv.userId,
      title: created.title ?? s.title,
      startedAt,
    });
  } catch (err) {
    await deps.out.tryUpdate(message, deps.views.progressMessage({ ...base, phase: 'failed', items: [], failure: (err as Error).message }));
  }
}
