// What the digest reads across regions and accounts rather than one region at a time: what uses AMIs and snapshots
// in every managed account (read before the scans), and where each copy's volume is (judged after them).
import type { AutoScalingGateway } from '../aws/auto-scaling.js';
import type { Ec2Gateway } from '../aws/ec2/index.js';
import type { ManagedAccount } from '../core/accounts.js';
import { chainRoot, judgeCopies, type CopyJudgement, type CopyRecord } from '../core/copies.js';
import { staleCopy, superseded } from '../core/staleness/index.js';
import type { Finding } from '../core/staleness/types.js';

/**
 * Account-regions scanned at once. Each is one sequential paginated scan (EC2 throttles per account and region, so
 * one scan each keeps snapbot's share of every budget small); the cap bounds memory and sockets across them all.
 */
export const SCAN_CONCURRENCY = 8;

/** `fn` over `items`, at most `limit` at a time, results in order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * What uses AMIs and snapshots in a region, across every account snapbot manages: an AMI shared with a member
 * account that runs it is in use, whichever account owns it. Read once per account-region before the scans.
 */
export interface RegionUse {
  runningImageIds: Set<string>;
  launchConfigurationImageIds: Set<string>;
  launchConfigurationSnapshotIds: Set<string>;
}

export async function readUseAcrossAccounts(
  pairs: readonly { ec2: Ec2Gateway; autoScaling?: AutoScalingGateway; region: string; account?: ManagedAccount }[],
  warn: (pair: { region: string; account?: ManagedAccount }, what: string, err: unknown) => void,
): Promise<Map<string, RegionUse>> {
  const byRegion = new Map<string, RegionUse>();
  const of = (region: string) => {
    let u = byRegion.get(region);
    if (!u) byRegion.set(region, (u = { runningImageIds: new Set(), launchConfigurationImageIds: new Set(), launchConfigurationSnapshotIds: new Set() }));
    return u;
  };
  await mapBounded(pairs, SCAN_CONCURRENCY, async (p) => {
    const use = of(p.region);
    const [running, configurations] = await Promise.all([
      p.ec2.imageIdsInUseByInstances(p.region).catch((err: unknown) => void warn(p, 'running instances', err)),
      p.autoScaling?.launchConfigurationUsage(p.region).catch((err: unknown) => void warn(p, 'launch configurations', err)),
    ]);
    for (const id of running ?? []) use.runningImageIds.add(id);
    for (const id of configurations?.imageIds ?? []) use.launchConfigurationImageIds.add(id);
    for (const id of configurations?.snapshotIds ?? []) use.launchConfigurationSnapshotIds.add(id);
  });
  return byRegion;
}

/**
 * Traces an account's copies to the volume their chain starts from (one ID-filtered DescribeSnapshots per region of
 * sources, one DescribeVolumes per region of volumes) and judges them: the newest copies of a live volume in each
 * other region are its off-region backups.
 */
export async function judgeAccountCopies(ec2: Ec2Gateway, copies: CopyRecord[], keepPerVolume: number): Promise<CopyJudgement | undefined> {
  if (copies.length === 0) return undefined;
  const byId = new Map(copies.map((c) => [c.id, c]));
  const rootsByRegion = new Map<string, Set<string>>();
  for (const c of copies) {
    const root = chainRoot(c, byId);
    if (byId.has(root.snapshotId)) continue;
    let ids = rootsByRegion.get(root.region);
    if (!ids) rootsByRegion.set(root.region, (ids = new Set()));
    ids.add(root.snapshotId);
  }
  const volumeOfRoot = new Map<string, { volumeId: string; region: string }>();
  for (const [region, ids] of rootsByRegion) {
    const roots = await ec2.findSnapshots(region, [...ids]);
    const volumeIds = [...new Set(roots.flatMap((r) => (r.volumeId ? [r.volumeId] : [])))];
    if (volumeIds.length === 0) continue;
    const live = new Set((await ec2.findVolumes(region, volumeIds)).map((v) => v.id));
    for (const r of roots) if (r.volumeId && live.has(r.volumeId)) volumeOfRoot.set(r.id, { volumeId: r.volumeId, region });
  }
  return judgeCopies(copies, volumeOfRoot, keepPerVolume);
}

/**
 * The cleanup findings of copies, once their volumes are known: an off-region backup is no candidate (its age alone
 * said "a copy that nothing uses"), an older copy of a live volume there is superseded.
 */
/** A finding of an old copy: judged against its source's volume once its account's regions are all scanned. */
export function isCopyFinding(f: Finding): boolean {
  return f.kind === 'snapshot' && f.reasons.some((r) => r.rule === staleCopy.id);
}

export function applyCopyJudgements(findings: Finding[], judgements: readonly CopyJudgement[]): Finding[] {
  if (judgements.length === 0) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const copy = isCopyFinding(f);
    const kept = copy ? judgements.find((j) => j.kept.has(f.id))?.kept.get(f.id) : undefined;
    const older = copy && !kept ? judgements.find((j) => j.superseded.has(f.id))?.superseded.get(f.id) : undefined;
    if (kept) {
      const reasons = f.reasons.filter((r) => r.rule !== staleCopy.id);
      if (reasons.length === 0) continue;
      out.push({ ...f, reasons, deletable: false, notDeletableBecause: `the newest copy here of ${kept.volumeId} (${kept.volumeRegion}): its off-region backup` });
    } else if (older) {
      const text = `a copy of ${older.volumeId}; ${older.kept === 1 ? 'its newest copy in this region is' : `its ${older.kept} newest copies in this region are`} newer and kept`;
      out.push({ ...f, reasons: f.reasons.map((r) => (r.rule === staleCopy.id ? { rule: superseded.id, text } : r)) });
    } else out.push(f);
  }
  return out;
}

