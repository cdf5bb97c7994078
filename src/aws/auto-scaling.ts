// The only user of Auto Scaling: which AMIs and snapshots launch configurations still use. A launch configuration
// launches instances from its AMI as long as its group lives, so the digest counts it like a launch template.
import { AutoScalingClient, paginateDescribeLaunchConfigurations } from '@aws-sdk/client-auto-scaling';
import { translateAwsError } from './errors.js';
import { RegionalClients, type RegionalOptions } from './regional.js';

const SERVICE = { iamPrefix: 'autoscaling', name: 'Auto Scaling' } as const;
/** The most launch configurations DescribeLaunchConfigurations returns a page. */
const PAGE = 100;

export interface LaunchConfigurationUsage {
  imageIds: Set<string>;
  snapshotIds: Set<string>;
}

export class AutoScalingGateway {
  private readonly clients: RegionalClients<AutoScalingClient>;

  constructor(opts: RegionalOptions = {}) {
    this.clients = new RegionalClients((config) => new AutoScalingClient(config), opts);
  }

  destroy(): void {
    this.clients.destroy();
  }

  async launchConfigurationUsage(region: string): Promise<LaunchConfigurationUsage> {
    const usage: LaunchConfigurationUsage = { imageIds: new Set(), snapshotIds: new Set() };
    try {
      for await (const page of paginateDescribeLaunchConfigurations({ client: this.clients.get(region), pageSize: PAGE }, {})) {
        for (const lc of page.LaunchConfigurations ?? []) {
          if (lc.ImageId) usage.imageIds.add(lc.ImageId);
          for (const b of lc.BlockDeviceMappings ?? []) if (b.Ebs?.SnapshotId) usage.snapshotIds.add(b.Ebs.SnapshotId);
        }
      }
    } catch (err) {
      throw translateAwsError(err, { action: 'DescribeLaunchConfigurations', region, service: SERVICE });
    }
    return usage;
  }
}
