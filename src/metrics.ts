// Prometheus metrics on GET /metrics, all named snapbot_*. Labels are bounded: command and button names, outcomes,
// refusal rules, request states, AWS services, actions and error codes — never a resource ID or a user.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly decisions = new Counter({
    name: 'snapbot_decisions_total',
    help: 'Commands and button clicks by name and the access policy’s decision (allow, approval, confirm, refuse)',
    labelNames: ['kind', 'name', 'decision'] as const,
    registers: [this.registry],
  });
  readonly drills = new Counter({
    name: 'snapbot_drills_total',
    help: 'Restore drills that ended, by result (passed, failed)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly refusals = new Counter({
    name: 'snapbot_refusals_total',
    help: 'Refusals by the rule that refused (guest, not-operator, channel, burst, …)',
    labelNames: ['rule'] as const,
    registers: [this.registry],
  });
  readonly approvals = new Counter({
    name: 'snapbot_approval_transitions_total',
    help: 'Approval requests entering a state (pending, approved, rejected, expired, withdrawn, done, failed)',
    labelNames: ['state', 'action'] as const,
    registers: [this.registry],
  });
  readonly awsCalls = new Counter({
    name: 'snapbot_aws_calls_total',
    help: 'AWS API calls by service and action (each SDK command once; its retries not counted)',
    labelNames: ['service', 'action'] as const,
    registers: [this.registry],
  });
  readonly awsErrors = new Counter({
    name: 'snapbot_aws_errors_total',
    help: 'AWS API calls that failed after the SDK’s retries, by service, action and error code (throttles show here)',
    labelNames: ['service', 'action', 'code'] as const,
    registers: [this.registry],
  });
  readonly ackSeconds = new Histogram({
    name: 'snapbot_ack_seconds',
    help: 'Time from Slack’s request (command, click, form) reaching the app to its ack — the HTTP answer, or over Socket Mode the envelope’s answer (Slack allows 3 s)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
    registers: [this.registry],
  });
  readonly digestSeconds = new Histogram({
    name: 'snapbot_digest_duration_seconds',
    help: 'How long building a digest took (every region scanned)',
    buckets: [1, 5, 15, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
  readonly digestFindings = new Gauge({
    name: 'snapbot_digest_findings',
    help: 'What the last digest listed, by section',
    labelNames: ['section'] as const,
    registers: [this.registry],
  });

  constructor(o: { operations?: () => number } = {}) {
    collectDefaultMetrics({ register: this.registry, prefix: 'snapbot_' });
    const read = o.operations;
    new Gauge({
      name: 'snapbot_operations_followed',
      help: 'Snapshots, copies, AMIs and volumes whose progress messages are being followed now',
      registers: [this.registry],
      collect() {
        if (read) this.set(read());
      },
    });
  }

  /** An SDK middleware that counts every command of `service`, and its failures by error code. */
  awsMiddleware(service: string) {
    return (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const action = (context.commandName ?? 'unknown').replace(/Command$/, '');
      this.awsCalls.inc({ service, action });
      try {
        return await next(args);
      } catch (err) {
        const e = err as { name?: string; Code?: string };
        this.awsErrors.inc({ service, action, code: String(e.name && e.name !== 'Error' ? e.name : (e.Code ?? 'Unknown')).slice(0, 60) });
        throw err;
      }
    };
  }
}
