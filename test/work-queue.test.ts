// After-ack work: in arrival order, a few at a time, and a shutdown waits for it.
import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../src/work-queue.js';

const log = { error: () => undefined };

describe('WorkQueue', () => {
  it('runs queued work in arrival order, never more at once than its concurrency', async () => {
    const q = new WorkQueue({ concurrency: 2, quietMs: 0, maxDeferMs: 0, log });
    const started: number[] = [];
    let running = 0;
    let most = 0;
    for (let i = 0; i < 6; i++) {
      q.background(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
      });
    }
    expect(q.size).toBe(6);
    await q.drain(5_000);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(q.size).toBe(0);
  });

  it('keeps going after a failure, and counts detached work until it ends', async () => {
    const errors: unknown[] = [];
    const q = new WorkQueue({ concurrency: 1, quietMs: 0, maxDeferMs: 0, log: { error: (o: unknown) => void errors.push(o) } });
    let ran = false;
    q.background(async () => {
      throw new Error('boom');
    });
    q.background(async () => {
      ran = true;
    });
    let release!: () => void;
    q.detach(() => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    expect(ran).toBe(true);
    expect(errors).toHaveLength(1);
    expect(q.size).toBe(1);
    release();
    await q.drain(1_000);
    expect(q.size).toBe(0);
  });
});
