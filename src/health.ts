// GET /healthz: whether this process can serve (200, or 503 once it is stopping), and how each dependency is doing
// (`status` "ok", or "degraded" with the failing checks named). A dependency that is down degrades the bot — commands
// still answer and say what they cannot do — so it never makes a load balancer kill a process that can serve.
// Results are kept a few seconds, so a health check every second costs DynamoDB and Slack one call each, not one each.

export interface HealthCheck {
  name: string;
  run(): Promise<void>;
}

export interface CheckResult {
  ok: boolean;
  /** Why not, in a word or two (an error code, "no answer within 2 s"): never a host, a port or a token. */
  error?: string;
  ms: number;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: Record<string, CheckResult>;
}

const TIMEOUT_MS = 2_000;
const KEEP_MS = 5_000;

function briefly(err: unknown): string {
  const e = err as { problem?: string; code?: string; data?: { error?: string } };
  // The store says what kind of trouble (unreachable, missing, forbidden, throttled); Slack says its error code.
  return e?.problem ?? e?.data?.error ?? e?.code ?? 'failed';
}

export class Health {
  private last?: { at: number; report: Promise<HealthReport> };

  constructor(private readonly checks: HealthCheck[]) {}

  report(now = Date.now()): Promise<HealthReport> {
    if (this.last && now - this.last.at < KEEP_MS) return this.last.report;
    const report = this.runAll();
    this.last = { at: now, report };
    return report;
  }

  private async runAll(): Promise<HealthReport> {
    const results = await Promise.all(this.checks.map(async (c) => [c.name, await this.runOne(c)] as const));
    const checks = Object.fromEntries(results);
    return { status: results.every(([, r]) => r.ok) ? 'ok' : 'degraded', checks };
  }

  private async runOne(check: HealthCheck): Promise<CheckResult> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        check.run(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: `no answer within ${TIMEOUT_MS / 1000} s` })), TIMEOUT_MS);
          timer.unref();
        }),
      ]);
      return { ok: true, ms: Math.round(performance.now() - started) };
    } catch (err) {
      return { ok: false, error: briefly(err), ms: Math.round(performance.now() - started) };
    } finally {
      clearTimeout(timer);
    }
  }
}
