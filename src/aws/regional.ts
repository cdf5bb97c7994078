// One SDK client per region, built alike for every service snapbot calls (EC2, DLM, Recycle Bin, EBS): the endpoint
// only when the user set one, the SDK's standard retries, its logger, and timeouts so a hanging connection fails
// (and is retried) instead of holding a command's work. The side services fail fast by default: deletion cards and
// the digest wait on them; EC2 does the real work and gets more patience.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { SDK_LOGGER } from './sdk-logger.js';

export interface RegionalOptions {
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Called once per new client (metrics add their middleware here). */
  instrument?: (client: Instrumentable) => void;
  /** SDK attempts (default 3). */
  maxAttempts?: number;
  /** Connection and request timeouts, ms (default 3 s and 10 s). */
  timeouts?: { connectionTimeout: number; requestTimeout: number };
}

/** What an SDK client offers to a middleware: its stack. */
export interface Instrumentable {
  middlewareStack: { add(middleware: never, options: { step: 'initialize'; name: string }): void };
}

export interface ClientConfig {
  region: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  retryMode: 'standard';
  maxAttempts: number;
  logger: typeof SDK_LOGGER;
  requestHandler: { connectionTimeout: number; requestTimeout: number };
}

export class RegionalClients<C extends { destroy(): void }> {
  private readonly clients = new Map<string, C>();

  constructor(
    private readonly make: (config: ClientConfig) => C,
    private readonly opts: RegionalOptions = {},
  ) {}

  get(region: string): C {
    let c = this.clients.get(region);
    if (!c) {
      c = this.make({
        region,
        ...(this.opts.endpoint ? { endpoint: this.opts.endpoint } : {}),
        ...(this.opts.credentials ? { credentials: this.opts.credentials } : {}),
        retryMode: 'standard',
        maxAttempts: this.opts.maxAttempts ?? 3,
        logger: SDK_LOGGER,
        requestHandler: this.opts.timeouts ?? { connectionTimeout: 3_000, requestTimeout: 10_000 },
      });
      this.opts.instrument?.(c as unknown as Instrumentable);
      this.clients.set(region, c);
    }
    return c;
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}
