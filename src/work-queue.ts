// Work acknowledged to Slack and done after the ack. It waits its turn behind the acks: it starts a few at a time,
// in arrival order, once no Slack request has arrived for a moment, so a burst is acknowledged before its AWS and
// Slack work competes for the one thread; it never waits longer than maxDeferMs, so a steady stream cannot starve
// it. Long waits (detach) run outside the queue. A graceful shutdown waits for both.
import type { Logger } from 'pino';

export interface WorkQueueOptions {
  /** How many pieces of work run at once; the rest queue, in order. */
  concurrency: number;
  /** Queued work starts once no request arrived for this long… */
  quietMs: number;
  /** …or once it has waited this long, whatever the traffic. */
  maxDeferMs: number;
  log: Pick<Logger, 'error'>;
}

export class WorkQueue {
  private readonly waiting: { start: () => void; queuedAt: number }[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private running = 0;
  private lastRequestAt = 0;
  private pumpTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: WorkQueueOptions) {}

  /** Work done (or failed, logged) so far and still running, queued or detached. */
  get size(): number {
    return this.inFlight.size;
  }

  /** A Slack request arrived: queued work waits for a quiet moment. */
  requestArrived(): void {
    this.lastRequestAt = Date.now();
  }

  /** Runs work after the ack, a few at a time in arrival order. */
  background(work: () => Promise<void>): void {
    const p = new Promise<void>((resolve) => {
      this.waiting.push({
        queuedAt: Date.now(),
        start: () => {
          this.running++;
          work()
            .catch((err) => this.o.log.error({ err }, 'background work failed'))
            .finally(() => {
              this.running--;
              resolve();
              setImmediate(() => this.pump());
            });
        },
      });
    });
    this.track(p);
    setImmediate(() => this.pump());
  }

  /** Runs long waiting (minutes) outside the queue, so it never holds up other commands. */
  detach(work: () => Promise<void>): void {
    this.track(work().catch((err) => this.o.log.error({ err }, 'detached work failed')));
  }

  /** Waits until everything in flight settled, or `ms` passed. */
  async drain(ms: number): Promise<void> {
    const deadline = new Promise((r) => setTimeout(r, ms).unref());
    await Promise.race([Promise.allSettled([...this.inFlight]), deadline]);
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private pump(): void {
    this.pumpTimer = undefined;
    while (this.running < this.o.concurrency && this.waiting.length > 0) {
      const now = Date.now();
      const quietFor = now - this.lastRequestAt;
      if (quietFor < this.o.quietMs && now - this.waiting[0].queuedAt < this.o.maxDeferMs) {
        this.pumpTimer ??= setTimeout(() => this.pump(), this.o.quietMs - quietFor);
        return;
      }
      this.waiting.shift()!.start();
    }
  }
}
