// The only user of the EC2 SDK, one facade over a file per kind of resource (base → volumes → instances →
// snapshots → safety → images): one client per region; the SDK's own retry strategy, paginators and waiters.
import { Ec2Images } from './images.js';

export class Ec2Gateway extends Ec2Images {}

export type { BlockPublicAccessState, CopyParams, CreateVolumeParams, Ec2GatewayOptions, LaunchTemplateUsage } from './base.js';
