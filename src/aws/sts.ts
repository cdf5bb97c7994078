// Who snapbot is in AWS: its own account ID, for ARNs it must name (a lifecycle policy's execution role).
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { translateAwsError } from './errors.js';
import { SDK_LOGGER } from './sdk-logger.js';

export class AccountIdentity {
  private readonly client: STSClient;
  private account: Promise<string> | undefined;
  /** The ID once STS has said it, for labels that cannot wait. */
  known: string | undefined;

  constructor(private readonly region: string, opts: { endpoint?: string; credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider } = {}) {
    this.client = new STSClient({
      region,
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
      logger: SDK_LOGGER,
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 },
    });
  }

  /** snapbot's own account, asked once (a failure is not remembered, so the next call asks again). */
  accountId(): Promise<string> {
    this.account ??= this.client.send(new GetCallerIdentityCommand({})).then(
      (out) => (this.known = out.Account ?? ''),
      (err) => {
        this.account = undefined;
        throw translateAwsError(err, { action: 'GetCallerIdentity', region: this.region, service: { iamPrefix: 'sts', name: 'STS' } });
      },
    );
    return this.account;
  }

  destroy(): void {
    this.client.destroy();
  }
}
