// Background jobs: the scheduled digest (once per run across replicas), the approval expiry sweep, and picking up
// what a previous process left in flight.
import { hostname } from 'node:os';
import { Cron } from 'croner';
import { expireOverdue, recoverInFlight } from '../usecases/approvals.js';
import { resumeEncryptions } from '../usecases/encrypt.js';
import { resumeDrills, runScheduledDrills, sweepDrillVolumes } from '../usecases/drill.js';
import type { Deps } from '../usecases/context.js';
import { runScheduledDigest } from '../usecases/digest-post.js';
import { requestExpiredDeletions } from '../usecases/expiring.js';
import { millisecondsInHour } from 'date-fns/constants';
import { daysAfter, hoursAfter } from '../core/time.js';
import { count } from '../core/words.js';

export interface Jobs {
  stop(): void;
  /** Runs the digest for the scheduled time `at` if no replica has yet (tests and catch-up). */
  runDigestOnce(at: Date): Promise<boolean>;
}

const OWNER = `${hostname()}:${process.pid}`;

/** The most recent scheduled time at or before `now`, looking back at most two days. */
export function lastScheduledRun(schedule: string, timezone: string, now: Date): Date | undefined {
  const cron = new Cron(schedule, { timezone, paused: true });
  let t = cron.nextRun(daysAfter(now, -2));
  let last: Date | undefined;
  while (t && t.getTime() <= now.getTime()) {
    last = t;
    t = cron.nextRun(t);
  }
  cron.stop();
  return last;
}

export function startJobs(deps: Deps): Jobs {
  const { config, log } = deps;

  const runDigestOnce = async (at: Date): Promise<boolean> => {
    // The lease is keyed by the scheduled time: whichever replica writes it first runs that slot, nobody else.
    const runKey = at.toISOString();
    const won = await deps.store.leases.acquire('digest', runKey, OWNER, 3 * 86_400);
    if (!won) return false;
    log.info(`running the scheduled digest for ${runKey}`);
    const points = await runScheduledDigest(deps);
    // Restore drills ride on the digest's lease (once across replicas) and its scan (no listing of their own).
    deps.detach(async () => {
      const drills = await runScheduledDrills(deps, points).catch((err) => (log.warn({ err }, 'scheduled restore drills failed'), []));
      if (drills.length) log.info(`ran ${count(drills.length, 'scheduled restore drill')}`);
    });
    // Temporary snapshots whose day has come: their deletion requests open with the digest.
    const opened = await requestExpiredDeletions(deps).catch((err) => {
      log.warn({ err }, 'requesting the deletion of expired temporary snapshots failed');
      return 0;
    });
    if (opened) log.info(`requested the deletion of ${count(opened, 'expired temporary snapshot')}`);
    return true;
  };

  const cron = new Cron(config.digestSchedule, { timezone: config.timezone, protect: true }, async (self: Cron) => {
    const at = self.currentRun() ?? deps.now();
    await runDigestOnce(at).catch((err) => log.error({ err }, 'scheduled digest failed'));
  });

  // Catch up a run missed while no replica was up: only a slot after the install was first seen, from the last day.
  const catchUp = async () => {
    await deps.store.leases.acquire('installed', 'v1', OWNER, 400 * 86_400);
    const installed = await deps.store.leases.holder('installed', 'v1');
    const last = lastScheduledRun(config.digestSchedule, config.timezone, deps.now());
    if (!installed || !last || last.getTime() <= installed.acquiredAt.getTime()) return;
    if (deps.now() < hoursAfter(last, 20)) await runDigestOnce(last);
  };

  const sweepMs = Math.min(60_000, Math.max(1_000, (config.approvalTtlHours * millisecondsInHour) / 10));
  const sweep = setInterval(() => {
    expireOverdue(deps).catch((err) => log.warn({ err }, 'approval expiry sweep failed'));
  }, sweepMs);
  sweep.unref();
  // Executions left `executing` by a crashed replica become resumable after two minutes; look again now and then.
  const recovery = setInterval(() => {
    recoverInFlight(deps).catch((err) => log.warn({ err }, 'recovery of approved requests failed'));
  }, 60_000);
  recovery.unref();
  // Drill volumes left behind (a drill that stopped and could not resume) go once they are an hour old.
  const drillSweep = setInterval(() => {
    sweepDrillVolumes(deps).catch((err) => log.warn({ err }, 'drill volume sweep failed'));
  }, 10 * 60_000);
  drillSweep.unref();

  deps.background(async () => {
    await recoverInFlight(deps).catch((err) => log.warn({ err }, 'recovery of approved requests failed'));
    const resumed = await deps.tracker.resume().catch(() => 0);
    if (resumed) log.info(`resumed progress tracking of ${count(resumed, 'operation')}`);
    const encryptions = await resumeEncryptions(deps).catch((err) => (log.warn({ err }, 'resuming encryptions failed'), 0));
    if (encryptions) log.info(`resumed ${count(encryptions, 'volume encryption')}`);
    const drills = await resumeDrills(deps).catch((err) => (log.warn({ err }, 'resuming restore drills failed'), 0));
    if (drills) log.info(`resumed ${count(drills, 'restore drill')}`);
    await sweepDrillVolumes(deps).catch((err) => log.warn({ err }, 'drill volume sweep failed'));
    await catchUp().catch((err) => log.warn({ err }, 'digest catch-up failed'));
  });

  return {
    runDigestOnce,
    stop() {
      cron.stop();
      clearInterval(sweep);
      clearInterval(recovery);
      clearInterval(drillSweep);
    },
  };
}
