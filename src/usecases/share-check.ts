// The digest's account-share check for one region: what the last runs saw (the store), a bounded round-robin of
// attribute calls this run, and what changed. See src/core/shares.ts for the budget and the order.
import { shareKey } from '../core/accounts.js';
import type { CloudTrailGateway } from '../aws/cloudtrail.js';
import type { Ec2Gateway } from '../aws/ec2/index.js';
import { daysAfter } from '../core/time.js';
import { outsideAccounts, RoundRobinPicker, shareCheckBudget, SHARE_RECHECK_DAYS } from '../core/share-check.js';
import type { Image, Snapshot } from '../core/types.js';
import type { ShareRepository, ShareState } from '../store/index.js';
import type { Deps } from './context.js';

const CHECK_CONCURRENCY = 4;

/** What CloudTrail's event history said this run: the resources whose sharing changed, or why it could not say. */
export type TrailRead = { ids: string[]; since: Date; until: Date; events: number; calls: number } | { error: string };

/** Events reach the history up to about 15 minutes late: each run reads back that far behind the last one. */
const TRAIL_OVERLAP_MS = 15 * 60_000;
/** How far back the event history goes (a first run reads all of it). */
const TRAIL_HISTORY_DAYS = 90;

export interface ShareCheckReport {
  region: string;
  /** CloudTrail's part: from when it read, how many sharing events and resources it found (or why it could not). */
  trail?: { since: string; events: number; resources: number } | { error: string };
  /** Attribute calls made this run. */
  calls: number;
  budget: number;
  /** Snapshots and AMIs in the region. */
  total: number;
  /** Days until every resource has been checked once more at this budget. */
  fullCycleDays: number;
}

export class RegionShareCheck {
  /** IDs only: the few resources whose shares changed are read again by ID, so a large scan keeps no objects here. */
  readonly picker: RoundRobinPicker<null>;
  readonly budget: number;
  private constructor(
    readonly region: string,
    private readonly state: ShareState,
    private readonly allowed: readonly string[],
    private readonly storeKey: string,
  ) {
    this.budget = shareCheckBudget(state.total ?? 0);
    this.picker = new RoundRobinPicker(state.cursor, this.budget);
  }

  /**
   * What the store remembers (nothing, when there is no store or it cannot be read: then every run starts afresh).
   * `storeKey`: where the state is kept (the region for snapbot's own account, account/region for the others).
   */
  static async load(region: string, allowed: readonly string[], repo: ShareRepository | undefined, warnings: string[], storeKey = region): Promise<RegionShareCheck> {
    let state: ShareState = { shared: {} };
    if (repo) {
      try {
        state = await repo.get(storeKey);
      } catch (err) {
        warnings.push(`${region}: what the last digests saw of account shares could not be read (${(err as Error).message}); only this run's checks count.`);
      }
    }
    return new RegionShareCheck(region, state, allowed, storeKey);
  }

  /** Resource ID → accounts outside the allowed ones, as last seen. */
  foreign(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [id, accounts] of Object.entries(this.state.shared)) {
      const outside = outsideAccounts(accounts, this.allowed);
      if (outside.length) out.set(id, outside);
    }
    return out;
  }

  /**
   * The resources whose sharing changed since the last run read the event history (less a quarter of an hour, as
   * events arrive late), or in the whole 90-day history on a first run. Never throws: where CloudTrail cannot be
   * read the rolling check stands alone, and the digest says so.
   */
  async readTrail(cloudTrail: CloudTrailGateway, now: Date): Promise<TrailRead> {
    const last = this.state.trailReadTo ? Date.parse(this.state.trailReadTo) : NaN;
    const since = Number.isFinite(last) ? new Date(last - TRAIL_OVERLAP_MS) : daysAfter(now, -TRAIL_HISTORY_DAYS);
    try {
      const found = await cloudTrail.sharingChanges(this.region, since, now);
      return { ids: found.resourceIds, since, until: now, events: found.events, calls: found.calls };
    } catch (err) {
      return { error: (err as Error).message };
    }
  }

  /**
   * Checks this run's share of resources (the round-robin's, and every one the event history says changed), records
   * what it saw, and returns the resources whose foreign shares changed (to judge again) with the new map and the
   * run's report.
   */
  /** The resources run() checks: this run's share of the round-robin, and every one the event history named. */
  candidates(trail?: TrailRead): Set<string> {
    const ids = new Set(this.picker.result().picked.map((p) => p.id));
    if (trail && 'ids' in trail) for (const id of trail.ids) ids.add(id);
    return ids;
  }

  async run(ec2: Ec2Gateway, repo: ShareRepository | undefined, now: Date, warnings: string[], trail?: TrailRead): Promise<{
    changed: { snapshots: Snapshot[]; images: Image[] };
    foreign: Map<string, string[]>;
    report: ShareCheckReport;
  }> {
    const before = this.foreign();
    const { picked: rolling, nextCursor } = this.picker.result();
    const picked = [...rolling];
    if (trail && 'ids' in trail) {
      const already = new Set(rolling.map((p) => p.id));
      for (const id of trail.ids) if (!already.has(id)) picked.push({ id, item: null });
    } else if (trail) {
      warnings.push(`${this.region}: CloudTrail's event history could not be read (${trail.error}); today's new shares are found by the rolling check alone.`);
    }
    const shared = { ...this.state.shared };
    let calls = 0;
    let failed = 0;
    let next = 0;
    const worker = async () => {
      while (next < picked.length) {
        const { id } = picked[next++];
        try {
          calls++;
          const sharing = await ec2.sharing(this.region, id);
          if (sharing.accounts.length > 0) shared[id] = sharing.accounts;
          else delete shared[id];
        } catch {
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CHECK_CONCURRENCY, picked.length) }, worker));
    if (failed > 0) warnings.push(`${this.region}: ${failed} of ${calls} share checks failed; those resources are checked again next run.`);
    const total = this.picker.total;
    const trailReadTo = trail && 'ids' in trail ? trail.until.toISOString() : this.state.trailReadTo;
    const state: ShareState = { cursor: nextCursor, shared, checkedAt: now.toISOString(), total, ...(trailReadTo ? { trailReadTo } : {}) };
    this.state.shared = shared;
    const after = this.foreign();
    const changedIds = picked.filter(({ id }) => (before.get(id)?.join(',') ?? '') !== (after.get(id)?.join(',') ?? '')).map((p) => p.id);
    const changed = { snapshots: [] as Snapshot[], images: [] as Image[] };
    const snapshotIds = changedIds.filter((id) => id.startsWith('snap-'));
    try {
      for (let i = 0; i < snapshotIds.length; i += 200) changed.snapshots.push(...(await ec2.getSnapshots(this.region, snapshotIds.slice(i, i + 200))));
      for (const id of changedIds.filter((x) => x.startsWith('ami-'))) changed.images.push(await ec2.getImage(this.region, id));
    } catch (err) {
      warnings.push(`${this.region}: resources whose shares changed could not be read again (${(err as Error).message}); the next digest shows them.`);
    }
    if (repo) await repo.put(this.storeKey, state).catch((err: Error) => warnings.push(`${this.region}: the share check could not be saved (${err.message}).`));
    const budget = this.budget;
    const report: ShareCheckReport = { region: this.region, calls, budget, total, fullCycleDays: Math.min(SHARE_RECHECK_DAYS, Math.max(1, Math.ceil(total / budget))) };
    if (trail) report.trail = 'ids' in trail ? { since: trail.since.toISOString(), events: trail.events, resources: trail.ids.length } : { error: trail.error };
    return { changed, foreign: after, report };
  }
}

/**
 * After snapbot changed a resource's sharing itself: reads who it is shared with now and notes it for the digest's
 * share check, in the background and best effort (the round-robin would find it anyway, within its cycle).
 */
export function rememberSharing(deps: Deps, region: string, resourceId: string): void {
  deps.background(async () => {
    try {
      const sharing = await deps.ec2.sharing(region, resourceId);
      await deps.store.shares.note(shareKey({ account: deps.scope.account, region }), resourceId, sharing.accounts);
    } catch (err) {
      deps.log.debug({ err, resourceId }, 'sharing not noted for the digest');
    }
  });
}
