// Process-wide settings, applied first by every entry point that runs snapbot's code (src/main.ts,
// src/digest-cli.ts; the bench's bot and digest processes too, so they measure what runs in production).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

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
 * One full collection once the process is up (its modules loaded, its AWS clients made): loading and compiling the
 * AWS SDK's clients leaves 20–40 MB of garbage, and until V8 collects it on its own the next collection's limit is
 * set from a heap that still holds it. Node offers no collection without --expose-gc, so the flag is set for the
 * moment a fresh context takes V8's `gc` from it, and unset again. Measured with `npm run bench -- digest`: RSS before
 * the scan 146 → 113–117 MB (with PROCESS_START's settings).
 */
export function collectStartupGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  setFlagsFromString('--no-expose-gc');
  gc?.();
}

/**
 * How the Docker image starts Node (its CMD's flags and its ENV, checked by test/deploy; the bench's compiled children
 * start the same way): V8's heap and GC threads and glibc's allocator are fixed at start-up, so no code can set them.
 * - `--max-semi-space-size=8`: a young generation of 2 × 8 MB instead of 2 × 16 MB. The digest allocates a page of
 *   1000 parsed snapshots at a time; half the room costs more frequent scavenges.
 * - `--single-threaded-gc`: V8 collects on the main thread only. On the 1–2 vCPUs a bot gets, helper threads only
 *   compete with it, and their work lists and stacks showed as RSS spikes 10–20 MB above the sampled peak.
 * - `MALLOC_ARENA_MAX=2`: Node's threads otherwise get an allocator arena each, whose free memory stays resident.
 * - `MALLOC_MMAP_THRESHOLD_=16384`: what the parser and compiler free after loading the AWS SDK (2 MB of JavaScript a
 *   client) goes back to the system instead of staying in glibc's heap, where one live block above it kept 25 MB
 *   resident in about two starts of three (at 65536; at 16384 never, in ten).
 * Measured with `npm run bench -- digest` on 2026-12-03 (figure digest.100k.startup_settings; the one collection
 * after start-up in both): at 100 000 snapshots 192–193 MB peak RSS, 113–117 MB before the scan, against 241–255
 * MB started without them; CPU 1.05–1.08× (the allocator's system calls: 1.8 s of system time instead of 0.9).
 */
export const PROCESS_START = {
  /** V8's flags, on Node's command line (NODE_OPTIONS refuses --single-threaded-gc). */
  nodeArgs: ['--max-semi-space-size=8', '--single-threaded-gc'],
  env: { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '16384' },
} as const;
