// Instances, instance types and availability zones.
import {
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  RunInstancesCommand,
  paginateDescribeInstances,
  type Filter,
} from '@aws-sdk/client-ec2';
import type { Instance, Tags } from '../../core/types.js';
import { AwsActionError } from '../errors.js';
import { toInstance } from '../mappers.js';
import { Ec2Volumes } from './volumes.js';
import { clientToken, notFound, tagSpecs, PAGE } from './base.js';

export class Ec2Instances extends Ec2Volumes {

  async getInstance(region: string, instanceId: string): Promise<Instance> {
    return this.call({ action: 'DescribeInstances', region, resourceId: instanceId }, async (c) => {
      const out = await c.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      const i = out.Reservations?.[0]?.Instances?.[0];
      if (!i) throw notFound('InvalidInstanceID.NotFound', instanceId, region);
      return toInstance(i, region);
    });
  }

  /** Instances whose ID or Name tag contains `query`, not terminated, for pickers (read as searchVolumes reads). */
  async searchInstances(region: string, query: string, limit = 100): Promise<Instance[]> {
    const q = query.trim().toLowerCase();
    const all = await this.remembered(region, 'pickable instances', () =>
      this.call({ action: 'DescribeInstances', region }, async (c) => {
        const found: Instance[] = [];
        let pages = 0;
        const Filters: Filter[] = [{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }];
        for await (const page of paginateDescribeInstances({ client: c, pageSize: PAGE }, { Filters })) {
          for (const r of page.Reservations ?? []) for (const raw of r.Instances ?? []) found.push(toInstance(raw, region));
          if (++pages >= 5) break;
        }
        return found;
      }),
    );
    return all.filter((i) => !q || i.id.includes(q) || (i.tags.Name ?? '').toLowerCase().includes(q)).slice(0, limit);
  }


  /** AMIs that a not-terminated instance runs from. */
  async imageIdsInUseByInstances(region: string): Promise<Set<string>> {
    return this.call({ action: 'DescribeInstances', region }, async (c) => {
      const ids = new Set<string>();
      const Filters: Filter[] = [{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }];
      for await (const page of paginateDescribeInstances({ client: c, pageSize: PAGE }, { Filters })) {
        for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) if (i.ImageId) ids.add(i.ImageId);
      }
      return ids;
    });
  }

  async runInstance(
    region: string,
    p: { imageId: string; instanceType: string; subnetId?: string; keyName?: string; tags: Tags },
  ): Promise<Instance> {
    return this.call({ action: 'RunInstances', region, resourceId: p.imageId }, async (c) => {
      const out = await c.send(
        new RunInstancesCommand({
          ImageId: p.imageId,
          InstanceType: p.instanceType as never,
          MinCount: 1,
          MaxCount: 1,
          SubnetId: p.subnetId,
          KeyName: p.keyName,
          TagSpecifications: tagSpecs('instance', p.tags),
          ClientToken: clientToken(p.tags, 'launch'),
        }),
      );
      const i = out.Instances?.[0];
      if (!i) throw new AwsActionError('unknown', `RunInstances returned no instance for ${p.imageId}`, 'Empty');
      return toInstance(i, region);
    });
  }

  /** Whether the instance type has instance store volumes (what an instance store-backed AMI boots from). */
  async instanceStorageSupported(region: string, instanceType: string): Promise<boolean> {
    return this.call({ action: 'DescribeInstanceTypes', region }, async (c) => {
      const out = await c.send(new DescribeInstanceTypesCommand({ InstanceTypes: [instanceType as never] }));
      return out.InstanceTypes?.[0]?.InstanceStorageSupported ?? false;
    });
  }

  async availabilityZones(region: string): Promise<string[]> {
    return this.remembered(region, 'zones', () => this.availabilityZonesNow(region));
  }

  protected async availabilityZonesNow(region: string): Promise<string[]> {
    return this.call({ action: 'DescribeAvailabilityZones', region }, async (c) => {
      const out = await c.send(
        new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-type', Values: ['availability-zone'] }] }),
      );
      return (out.AvailabilityZones ?? [])
        .filter((z) => !z.State || z.State === 'available')
        .map((z) => z.ZoneName ?? '')
        .filter(Boolean)
        .sort();
    });
  }
}
