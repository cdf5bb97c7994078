// Lines written out as they are made, so a list of any length never sits in memory: the digest's CSV (a row per
// finding as the scan settles them), a region's findings until the region is settled. Each lane keeps its own
// order; a lane reads back in that order, and the joined file has lane 0's lines, then lane 1's, …
import { appendFileSync, closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/** What a lane holds before it is appended to its file. */
const FLUSH_AT = 64 * 1024;
const COPY_CHUNK = 1 << 20;

export class LineSpool {
  private readonly dir = mkdtempSync(join(tmpdir(), 'snapbot-spool-'));
  private readonly pending: string[];
  private lineCount = 0;

  constructor(
    lanes: number,
    private readonly eol = '\r\n',
  ) {
    this.pending = Array.from({ length: lanes }, () => '');
  }

  write(lane: number, line: string): void {
    this.pending[lane] += line + this.eol;
    this.lineCount++;
    if (this.pending[lane].length >= FLUSH_AT) this.flush(lane);
  }

  /** Lines written so far. */
  get lines(): number {
    return this.lineCount;
  }

  /**
   * The lanes joined into one file named `name` (in the spool's own directory): its path and size in bytes.
   * `sorted` lanes are put in order first (read whole: for lanes that stay small), the others keep the order written.
   */
  finish(name: string, sorted: readonly number[] = []): { path: string; bytes: number } {
    const path = join(this.dir, name);
    const out = openSync(path, 'w');
    const chunk = Buffer.allocUnsafe(COPY_CHUNK);
    try {
      for (let lane = 0; lane < this.pending.length; lane++) {
        if (sorted.includes(lane)) {
          const lines = [...this.read(lane)].sort();
          if (lines.length) writeSync(out, lines.map((l) => l + this.eol).join(''));
          continue;
        }
        this.flush(lane);
        const file = this.laneFile(lane);
        if (!existsSync(file)) continue;
        const from = openSync(file, 'r');
        try {
          for (let n = readSync(from, chunk, 0, COPY_CHUNK, null); n > 0; n = readSync(from, chunk, 0, COPY_CHUNK, null)) writeSync(out, chunk, 0, n);
        } finally {
          closeSync(from);
        }
        rmSync(file);
      }
    } finally {
      closeSync(out);
    }
    return { path, bytes: statSync(path).size };
  }

  /** A lane's lines, read back in the order written (the lane is emptied as it is read). */
  *read(lane: number): Generator<string> {
    this.flush(lane);
    const file = this.laneFile(lane);
    if (!existsSync(file)) return;
    const from = openSync(file, 'r');
    const chunk = Buffer.allocUnsafe(COPY_CHUNK);
    // A chunk may end inside a character: the decoder keeps its first bytes for the next.
    const text = new StringDecoder('utf8');
    let rest = '';
    try {
      for (let n = readSync(from, chunk, 0, COPY_CHUNK, null); n > 0; n = readSync(from, chunk, 0, COPY_CHUNK, null)) {
        const lines = (rest + text.write(chunk.subarray(0, n))).split(this.eol);
        rest = lines.pop()!;
        yield* lines;
      }
    } finally {
      closeSync(from);
      rmSync(file, { force: true });
    }
    if (rest) yield rest;
  }

  /** Removes the spool's files. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private flush(lane: number): void {
    if (this.pending[lane] === '') return;
    appendFileSync(this.laneFile(lane), this.pending[lane]);
    this.pending[lane] = '';
  }

  private laneFile(lane: number): string {
    return join(this.dir, `lane-${lane}`);
  }
}
