// Process-wide settings, applied first by every entry point that runs snapbot's code (src/main.ts,
// src/digest-cli.ts; the bench's bot and digest processes too, so they measure what runs in production).
import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full collection before it collects again.
 * On a machine with lots of memory V8 allows up to 4× (less on small devices: 1.3–2×), without knowing what the
 * container allows. The digest turns over a lot of short-lived memory (the SDK parses every page of 1000
 * snapshots), so 4× shows as peak RSS. Measured with `npm run bench -- digest` (figure digest.100k.heap_growth):
 * at 100 000 snapshots 325–412 MB at V8's default, 257–327 MB at 2× (100 %), 276 MB at 1.5× (50 %) for 1.03× the
 * CPU of V8's default; over an organisation (`npm run bench -- org`, 300 000 snapshots in 60 account-regions) 400 MB
 * at 2× and 369 MB at 1.5×, no slower. The flag also replaces the smaller factor V8 would pick near its heap
 * limit; the limit itself still holds (V8 never places the next collection past halfway to it).
 */
const HEAP_GROWING_PERCENT = 50;

export function tuneRuntime(): void {
  // A V8 flag read at every full collection, so setting it at start-up (rather than on the command line) works,
  // and it works the same under `node dist/main.js`, `npm start` (tsx) and the Docker image.
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/**
 * What the Docker image sets before Node starts (the Dockerfile's ENV, checked by test/deploy; the bench's compiled
 * children get the same): V8's young generation and glibc's allocator are fixed at start-up, so no code can set them.
 * - `--max-semi-space-size=8`: a young generation of 2 × 8 MB instead of 2 × 16 MB. The digest allocates a page of
 *   1000 parsed snapshots at a time; half the room costs more frequent scavenges (CPU about the same, +3 %).
 * - `MALLOC_ARENA_MAX=2`: Node's worker threads otherwise get an allocator arena each, whose free memory stays resident.
 * - `MALLOC_MMAP_THRESHOLD_=65536`: what the parser and compiler free after loading the AWS SDK (2 MB of JavaScript a
 *   client) goes back to the system instead of staying in the heap's free lists (about 25 MB at start-up).
 * Measured with `npm run bench -- digest` on 2026-12-03: peak RSS at 20 000 snapshots 197 → 166 MB, at 100 000
 * 277 → 244 MB, CPU 15.2 → 15.6 s.
 */
export const PROCESS_ENV = {
  NODE_OPTIONS: '--max-semi-space-size=8',
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '65536',
} as const;
