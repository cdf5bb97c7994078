// `/snapshot cost snap-…` and the deletion card's "really frees": the snapshot's neighbours in its lineage, the
// changed blocks between them (EBS direct APIs, each pair measured once and kept in DynamoDB), and the model in
// core/blocks. Lazy: only what a person looks at is measured, within a call budget.
import { AwsActionError } from '../aws/errors.js';
import { edgeKey, formatBytes, snapshotCost, type CostReport, type EdgeDiff, type Lineage } from '../core/lineage.js';
import { BYTES_PER_GB, formatUsd, snapshotMonthlyUsd } from '../core/cost.js';
import type { ArchiveSuggestion } from '../core/backups.js';
import { summariseSavings } from '../core/savings.js';
import type { Finding } from '../core/staleness/types.js';
import type { Snapshot } from '../core/types.js';
import { replyPrivately, within, type Deps, type Invocation } from './context.js';

/** Direct-API pages one measurement may spend (each billed): a 16 TiB root needs 3 200, a day's changes one or two. */
const COST_CALL_BUDGET = 400;

/** What deleting the snapshot alone frees, measured, or why it could not be. */
export async function measureSnapshot(deps: Deps, region: string, snapshotId: string): Promise<CostReport> {
  const prices = deps.config.prices;
  const snapshot = await deps.ec2.getSnapshot(region, snapshotId);
  const upToUsd = snapshotMonthlyUsd(snapshot, prices);
  // EC2's own "self" says whose it is (no STS needed, and never a different view of the account than EC2's).
  const owned = await deps.ec2.ownsSnapshot(region, snapshotId).catch(() => true);
  if (!owned) {
    return { measured: false, snapshot, why: `it belongs to account ${snapshot.ownerId}, which pays for it; deleting it is that account's call` };
  }
  if (snapshot.state !== 'completed') return { measured: false, snapshot, why: `it is ${snapshot.state}: only a completed snapshot's blocks can be read`, upToUsd };
  if (snapshot.storageTier === 'archive') {
    return { measured: false, snapshot, why: 'it is in the archive tier, where a snapshot is stored in full: deleting it frees all of it (at the archive price)', upToUsd };
  }

  const budget = { left: COST_CALL_BUDGET, spent: 0, oldest: deps.now() };
  const { parentId, childIds } = snapshot.volumeId
    ? await neighbours(deps, region, snapshot)
    : await neighboursWithoutVolume(deps, region, snapshot, budget);
  const edges = new Map<string, EdgeDiff>();
  const rootBlocks = new Map<string, EdgeDiff['childHas']>();
  try {
    const intro = await diff(deps, region, parentId, snapshot.id, budget);
    if (parentId) edges.set(edgeKey(parentId, snapshot.id), intro);
    else rootBlocks.set(snapshot.id, intro.childHas);
    for (const c of childIds) edges.set(edgeKey(snapshot.id, c), await diff(deps, region, snapshot.id, c, budget));
  } catch (err) {
    const why =
      err instanceof BudgetSpent
        ? `measuring it would take more than ${COST_CALL_BUDGET} EBS direct API calls (each billed)`
        : err instanceof AwsActionError && err.kind === 'not-permitted' && snapshot.encrypted
          ? `it is encrypted${snapshot.kmsKeyId ? ` with ${snapshot.kmsKeyId}` : ''}, and the EBS direct APIs need snapbot's role to be allowed to use that key (kms:Decrypt) as well as ${err.iamAction ?? 'the ebs: actions'}`
          : `the EBS direct APIs answered: ${(err as Error).message}`;
    return { measured: false, snapshot, why, upToUsd };
  }
  const parentOf = new Map<string, string | undefined>([[snapshot.id, parentId], ...childIds.map((c) => [c, snapshot.id] as [string, string])]);
  const lineage: Lineage = { parentOf, rootBlocks, edges };
  const cost = snapshotCost(lineage, snapshot.id)!;
  const pricePerGb = prices.snapshotGbMonth;
  return {
    measured: true,
    snapshot,
    cost,
    freedUsd: (cost.freedBytes / BYTES_PER_GB) * pricePerGb,
    parentId,
    childIds,
    measuredAt: budget.oldest,
    calls: budget.spent,
  };
}

/**
 * Its lineage neighbours: the completed standard-tier snapshot before it of the same volume (or, for a volume's
 * first, the snapshot the volume was restored from), and after it the next one of the volume and the first of every
 * volume restored from it. Archived snapshots are full copies, outside the chain.
 */
async function neighbours(deps: Deps, region: string, s: Snapshot): Promise<{ parentId?: string; childIds: string[] }> {
  const usable = (x: Snapshot) => x.state === 'completed' && x.storageTier === 'standard';
  const order = (a: Snapshot, b: Snapshot) => a.startTime.getTime() - b.startTime.getTime() || (a.id < b.id ? -1 : 1);
  const childIds: string[] = [];
  let parentId: string | undefined;
  if (s.volumeId) {
    const same: Snapshot[] = [];
    await deps.ec2.forEachOwnSnapshotPage(region, { volumeId: s.volumeId }, (page) => same.push(...page.filter(usable)));
    same.sort(order);
    const i = same.findIndex((x) => x.id === s.id);
    if (i > 0) parentId = same[i - 1].id;
    if (i >= 0 && i + 1 < same.length) childIds.push(same[i + 1].id);
    if (i === 0) {
      const volume = await deps.ec2.getVolume(region, s.volumeId).catch(() => undefined);
      if (volume?.snapshotId) {
        const source = await deps.ec2.getSnapshot(region, volume.snapshotId).catch(() => undefined);
        if (source && usable(source)) parentId = source.id;
      }
    }
  }
  for (const v of await deps.ec2.volumesRestoredFrom(region, s.id).catch(() => [])) {
    const first: Snapshot[] = [];
    await deps.ec2.forEachOwnSnapshotPage(region, { volumeId: v.id }, (page) => first.push(...page.filter(usable)));
    first.sort(order);
    if (first[0] && first[0].id !== s.id && !childIds.includes(first[0].id)) childIds.push(first[0].id);
  }
  return { parentId, childIds };
}

/** How many earlier and later volume-less snapshots are tried as neighbours of one that has no volume. */
const PROBES = 4;

/**
 * A snapshot made through the EBS direct APIs (StartSnapshot with a parent) or by CopySnapshot reports no volume,
 * and EC2 does not say its parent. Its neighbours are found by asking: the nearest earlier and later volume-less
 * snapshots whose changed blocks against it the direct APIs will list are its lineage (an unrelated one is refused).
 */
async function neighboursWithoutVolume(
  deps: Deps,
  region: string,
  s: Snapshot,
  budget: { left: number; spent: number; oldest: Date },
): Promise<{ parentId?: string; childIds: string[] }> {
  const others: { id: string; ms: number }[] = [];
  await deps.ec2.forEachOwnSnapshotPage(region, {}, (page) => {
    for (const x of page) {
      if (!x.volumeId && x.id !== s.id && x.state === 'completed' && x.storageTier === 'standard') others.push({ id: x.id, ms: x.startTime.getTime() });
    }
  });
  const at = s.startTime.getTime();
  const earlier = others.filter((x) => x.ms < at || (x.ms === at && x.id < s.id)).sort((a, b) => b.ms - a.ms).slice(0, PROBES);
  const later = others.filter((x) => x.ms > at || (x.ms === at && x.id > s.id)).sort((a, b) => a.ms - b.ms).slice(0, PROBES);
  const related = async (first: string, second: string) => {
    try {
      await diff(deps, region, first, second, budget);
      return true;
    } catch (err) {
      if (err instanceof BudgetSpent) throw err;
      return false;
    }
  };
  let parentId: string | undefined;
  for (const e of earlier) if (await related(e.id, s.id)) {
    parentId = e.id;
    break;
  }
  const childIds: string[] = [];
  for (const l of later) if (await related(s.id, l.id)) {
    childIds.push(l.id);
    break;
  }
  return { parentId, childIds };
}

class BudgetSpent extends Error {}

/** A pair's changed blocks (a root's blocks when `first` is undefined): from the store, else measured and kept. */
async function diff(
  deps: Deps,
  region: string,
  first: string | undefined,
  second: string,
  budget: { left: number; spent: number; oldest: Date },
): Promise<EdgeDiff> {
  const known = await deps.store.blocks.get(first, second).catch(() => undefined);
  if (known) {
    const at = new Date(known.measuredAt);
    if (at < budget.oldest) budget.oldest = at;
    return known.diff;
  }
  if (budget.left <= 0) throw new BudgetSpent();
  const before = deps.ebs.calls;
  const measured = first
    ? await deps.ebs.changedBlocks(region, first, second)
    : await deps.ebs.snapshotBlocks(region, second).then((blocks) => ({ changed: blocks, childHas: blocks }));
  const spent = deps.ebs.calls - before;
  budget.left -= spent;
  budget.spent += spent;
  await deps.store.blocks.put(first, second, measured, deps.now()).catch((err) => deps.log.warn({ err }, 'block diff not kept'));
  return measured;
}

export async function showCost(deps: Deps, inv: Invocation, snapshotId: string): Promise<void> {
  const region = deps.scope.region;
  try {
    const report = await measureSnapshot(deps, region, snapshotId);
    await replyPrivately(deps, inv, deps.views.costMessage(report));
  } catch (err) {
    const text = err instanceof AwsActionError ? err.message : `Could not measure ${snapshotId}: ${(err as Error).message}`;
    await replyPrivately(deps, inv, { text: `:x: ${text}` });
  }
}

/** `/snapshot savings`: the ledger added up (since it began, the last 30 days, by kind), privately. */
export async function showSavings(deps: Deps, inv: Invocation): Promise<void> {
  const summary = summariseSavings(await deps.store.savings.list(), deps.now());
  await replyPrivately(deps, inv, deps.views.savingsMessage(summary));
}

/** The deletion card's line: exact when measured, "up to" with the reason when not. */
export async function freedLine(deps: Deps, region: string, snapshotId: string): Promise<{ text: string; usd?: number; measured: boolean }> {
  try {
    const r = await within(measureSnapshot(deps, region, snapshotId), 10_000, 'the EBS direct APIs');
    if (!r.measured) return { text: `Frees up to the snapshot's full size (not measured: ${r.why}).`, usd: r.upToUsd, measured: false };
    const kept = r.cost.keptBy.map((k) => `${k.id} still uses ${formatBytes(k.bytes)} of its blocks`).join('; ');
    return {
      text: `Really frees ${formatBytes(r.cost.freedBytes)} (${formatUsd(r.freedUsd)}/month) of the ${formatBytes(r.cost.ownBytes)} it stores itself${kept ? `; ${kept}` : ''} (EBS direct APIs).`,
      usd: r.freedUsd,
      measured: true,
    };
  } catch (err) {
    return { text: `What it really frees could not be measured (${(err as Error).message}); the figure above is an upper bound.`, measured: false };
  }
}

/** How many of the digest's snapshot candidates are measured per run, and the direct-API pages that may take. */
const DIGEST_MEASURED_ITEMS = 15;
const DIGEST_CALL_BUDGET = 1_500;

/**
 * The digest's largest snapshot candidates, measured (cached pairs cost nothing), within a per-run call budget:
 * each gets what deleting it alone really frees. What is not measured keeps its "up to".
 */
export async function measureFindings(deps: Deps, findings: readonly Finding[]): Promise<number> {
  const start = deps.ebs.calls;
  let measured = 0;
  for (const f of findings.filter((x) => x.kind === 'snapshot' && x.deletable).slice(0, DIGEST_MEASURED_ITEMS)) {
    if (deps.ebs.calls - start >= DIGEST_CALL_BUDGET) break;
    const r = await within(measureSnapshot(deps, f.region, f.id), 10_000, 'the EBS direct APIs').catch(() => undefined);
    if (!r?.measured) continue;
    f.measured = { freedBytes: r.cost.freedBytes, usd: r.freedUsd, at: r.measuredAt.toISOString() };
    measured++;
  }
  return measured;
}

/** How many kept snapshots that share blocks are measured per digest for an archive suggestion. */
const ARCHIVE_MEASURED_ITEMS = 10;

/**
 * Kept snapshots that share blocks with their neighbours: archived, one is stored in full at the archive price, and
 * the standard-tier blocks only it holds are freed. Suggested where that is cheaper than what it alone holds now.
 */
export async function archiveWhereItPays(deps: Deps, candidates: readonly ArchiveSuggestion[]): Promise<ArchiveSuggestion[]> {
  const out: ArchiveSuggestion[] = [];
  const prices = deps.config.prices;
  for (const a of candidates.slice(0, ARCHIVE_MEASURED_ITEMS)) {
    const r = await within(measureSnapshot(deps, a.region, a.snapshotId), 10_000, 'the EBS direct APIs').catch(() => undefined);
    if (!r?.measured) continue;
    const holdsUsd = (r.cost.freedBytes / BYTES_PER_GB) * prices.snapshotGbMonth;
    if (a.archiveUsd < holdsUsd) out.push({ ...a, standardUsd: holdsUsd });
  }
  return out;
}
