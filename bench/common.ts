// Shared by every benchmark: the output format, percentiles, child processes and the fixed test identities.
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { PROCESS_START } from '../src/runtime.js';

/** One line of `npm run bench`: a figure, never a verdict. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  [extra: string]: unknown;
}

export function emit(f: Figure): void {
  process.stdout.write(`${JSON.stringify(f)}\n`);
}

/** Progress for whoever watches the run; stdout stays pure JSON lines. */
export function note(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

export const round = (n: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it returns something truthy, or throws after `timeoutMs`. */
export async function waitUntil<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const hit = await probe();
    if (hit) return hit;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export const SECRET = 'bench-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-bench';
export const FAKE_CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
export const REQUESTER = 'U0BENCHREQ';
export const APPROVER = 'U0BENCHAPPR1';
export const APPROVER_2 = 'U0BENCHAPPR2';
export const CHANNEL = 'C0BENCH';
export const APPROVAL_CHANNEL = 'C0BENCHAPPROVALS';

/** Whatever a benchmark forgets to configure, the SDK must never find real credentials or real endpoints. */
export function isolateAwsEnvironment(): void {
  process.env.AWS_ACCESS_KEY_ID = FAKE_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = FAKE_CREDENTIALS.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
}

/**
 * How a child process runs the code: `compiled` is JavaScript from `tsc` with plain `node`, as the Docker image
 * runs the bot (`node dist/main.js`); `tsx` is TypeScript through tsx, as `npm start` runs it. The default is
 * `compiled`, so the figures are what a deployed replica does; BENCH_RUNTIME=tsx runs every child under tsx.
 */
export type Runtime = 'compiled' | 'tsx';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BUILD = join(REPO, '.bench-build');

export function defaultRuntime(): Runtime {
  const r = process.env.BENCH_RUNTIME ?? 'compiled';
  if (r !== 'compiled' && r !== 'tsx') throw new Error(`BENCH_RUNTIME=${r} is not valid: compiled or tsx`);
  return r;
}

/**
 * Compiles src/ and bench/ with the project's own tsc into .bench-build/ (incremental; git-ignored). Node finds
 * the packages in ./node_modules and "type": "module" in ./package.json from there, as it does for dist/.
 */
export async function compileForBench(): Promise<void> {
  const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', join(REPO, 'bench', 'tsconfig.json')], { cwd: REPO, maxBuffer: 16 << 20 }).catch(
    (err: Error & { stdout?: string }) => {
      throw new Error(`compiling for the bench failed: ${err.stdout || err.message}`);
    },
  );
}

/**
 * A module of bench/ (named by its .ts file) in its own Node process, with an IPC channel. BENCH_NODE_ARGS adds
 * Node options to every child, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where a child spends its time.
 */
export function forkChild(
  file: string,
  env: Record<string, string | undefined> = {},
  args: string[] = [],
  runtime: Runtime = defaultRuntime(),
  /** false: without the Docker image's start-up settings, to show what they buy. */
  startupSettings = true,
): ChildProcess {
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const path =
    runtime === 'tsx'
      ? fileURLToPath(new URL(file, import.meta.url))
      : join(BUILD, 'bench', file.replace(/\.ts$/, '.js'));
  if (runtime === 'compiled' && !existsSync(path)) throw new Error(`${path} is missing: run compileForBench() first`);
  // Compiled children start as the Docker image starts the bot (src/runtime.ts PROCESS_START).
  const image = runtime === 'compiled' && startupSettings ? PROCESS_START : { nodeArgs: [], env: {} };
  return fork(path, args, {
    execArgv: runtime === 'tsx' ? ['--import', 'tsx', ...extra] : [...image.nodeArgs, ...extra],
    env: { ...process.env, ...image.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The next IPC message from `child` that `accept` takes, or an error if it exits first or takes too long. */
export function nextMessage<T>(child: ChildProcess, accept: (m: unknown) => m is T, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if ((m as { error?: string })?.error) {
        cleanup();
        reject(new Error(`${what}: ${(m as { error: string }).error}`));
      } else if (accept(m)) {
        cleanup();
        resolve(m);
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`${what}: the child exited (${signal ?? code}) before answering`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Asks a child to finish, and kills it if it does not within a few seconds. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  if (child.connected) child.send({ type: 'stop' });
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}
