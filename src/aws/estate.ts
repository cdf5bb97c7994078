// Every AWS account snapbot manages, each with its own clients: snapbot's own account through the SDK's default
// credential chain, each account of ACCOUNTS through the role it assumes there (STS AssumeRole with the SDK's
// fromTemporaryCredentials, one memoized identity per account, refreshed before it expires). Per account the
// gateways hold one client per region, so the whole estate is one client per account × region × service.
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { doesIdentityRequireRefresh, isIdentityExpired, memoizeIdentityProvider } from '@smithy/core';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { accountLabel, type ManagedAccount } from '../core/accounts.js';
import { AutoScalingGateway } from './auto-scaling.js';
import { CloudTrailGateway } from './cloudtrail.js';
import { ServiceQuotasGateway } from './service-quotas.js';
import { DlmGateway } from './dlm.js';
import { EbsGateway } from './ebs.js';
import { Ec2Gateway } from './ec2/index.js';
import { AwsActionError } from './errors.js';
import { RecycleBinGateway } from './recycle-bin.js';
import type { Instrumentable } from './regional.js';
import { AccountIdentity } from './sts.js';

/** The services snapbot calls, for one account. */
export interface AccountGateways {
  ec2: Ec2Gateway;
  dlm: DlmGateway;
  rbin: RecycleBinGateway;
  ebs: EbsGateway;
  /** Launch configurations: AMIs and snapshots they still use. */
  autoScaling: AutoScalingGateway;
  /** The event history: which resources' sharing changed lately. */
  cloudTrail: CloudTrailGateway;
  /** How many snapshots a region may hold. */
  quotas: ServiceQuotasGateway;
  /** Who snapbot is in that account (STS GetCallerIdentity, asked once). */
  identity: AccountIdentity;
}

export interface EstateOptions {
  homeRegion: string;
  endpoints: { ec2?: string; dlm?: string; rbin?: string; ebs?: string; sts?: string; cloudtrail?: string; autoScaling?: string; serviceQuotas?: string };
  assumeRole: { name: string; externalId?: string };
  /** snapbot's own credentials; absent: the SDK's default chain. The sandbox and tests pass theirs. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Called once per new client, with the service's name (metrics add their middleware here). */
  instrument?: (service: string) => (client: Instrumentable) => void;
}

export class AwsEstate {
  /** snapbot's own account. */
  readonly own: AccountGateways;
  private readonly members = new Map<string, AccountGateways>();

  constructor(private readonly opts: EstateOptions) {
    this.own = this.gatewaysWith(opts.credentials);
  }

  /** The gateways of `account` (snapbot's own when undefined), made on first use. */
  of(account: ManagedAccount | undefined): AccountGateways {
    if (!account) return this.own;
    let g = this.members.get(account.id);
    if (!g) this.members.set(account.id, (g = this.gatewaysWith(this.assumedRole(account))));
    return g;
  }

  /** EC2 API calls made in every account (each command once, retries not counted), for the benchmark. */
  get ec2Calls(): number {
    let n = this.own.ec2.calls;
    for (const g of this.members.values()) n += g.ec2.calls;
    return n;
  }

  destroy(): void {
    for (const g of [this.own, ...this.members.values()]) {
      g.ec2.destroy();
      g.dlm.destroy();
      g.rbin.destroy();
      g.ebs.destroy();
      g.autoScaling.destroy();
      g.cloudTrail.destroy();
      g.quotas.destroy();
      g.identity.destroy();
    }
    this.members.clear();
  }

  private gatewaysWith(credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined): AccountGateways {
    const { endpoints, instrument, homeRegion } = this.opts;
    const cred = credentials ? { credentials } : {};
    return {
      ec2: new Ec2Gateway({ endpoint: endpoints.ec2, ...cred, instrument: instrument?.('ec2') }),
      dlm: new DlmGateway({ endpoint: endpoints.dlm, ...cred, instrument: instrument?.('dlm') }),
      rbin: new RecycleBinGateway({ endpoint: endpoints.rbin, ...cred, instrument: instrument?.('rbin') }),
      ebs: new EbsGateway({ endpoint: endpoints.ebs, ...cred, instrument: instrument?.('ebs') }),
      autoScaling: new AutoScalingGateway({ endpoint: endpoints.autoScaling, ...cred, instrument: instrument?.('autoscaling') }),
      cloudTrail: new CloudTrailGateway({ endpoint: endpoints.cloudtrail, ...cred, instrument: instrument?.('cloudtrail') }),
      quotas: new ServiceQuotasGateway({ endpoint: endpoints.serviceQuotas, ...cred, instrument: instrument?.('servicequotas') }),
      identity: new AccountIdentity(homeRegion, { endpoint: endpoints.sts, ...cred }),
    };
  }

  /**
   * The role's temporary credentials, shared by every client of the account: memoized with the SDK's own identity
   * helpers (refreshed five minutes before they expire), so twelve clients make one AssumeRole call, not twelve.
   * A role that cannot be assumed is said in words naming the account, the role and where its definition is.
   */
  private assumedRole(account: ManagedAccount): AwsCredentialIdentityProvider {
    const { assumeRole, homeRegion, endpoints, credentials } = this.opts;
    const roleArn = `arn:aws:iam::${account.id}:role/${assumeRole.name}`;
    const assume = fromTemporaryCredentials({
      params: {
        RoleArn: roleArn,
        RoleSessionName: 'snapbot',
        DurationSeconds: 3600,
        ...(assumeRole.externalId ? { ExternalId: assumeRole.externalId } : {}),
      },
      ...(credentials ? { masterCredentials: credentials } : {}),
      clientConfig: { region: homeRegion, ...(endpoints.sts ? { endpoint: endpoints.sts } : {}), maxAttempts: 3 },
    });
    const named: AwsCredentialIdentityProvider = async (props) => {
      try {
        return await assume(props);
      } catch (err) {
        const code = (err as { name?: string }).name ?? 'Error';
        const detail = code === 'Error' || code === 'CredentialsProviderError' ? (err as Error).message : code;
        throw new AwsActionError(
          'not-permitted',
          `snapbot cannot assume ${assumeRole.name} in ${accountLabel(account)}: ${detail} — see iam/member-role.json (the role, and its trust policy for snapbot's own role${assumeRole.externalId ? ' with the external ID' : ''}).`,
          code,
          'sts:AssumeRole',
        );
      }
    };
    return memoizeIdentityProvider(named, isIdentityExpired, doesIdentityRequireRefresh) as AwsCredentialIdentityProvider;
  }
}
