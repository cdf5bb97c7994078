// The sandbox's Auto Scaling: DescribeLaunchConfigurations in Auto Scaling's own protocol (awsQuery: a form
// request, an XML answer with a …Result element, lists as <member>, NextToken paging), so the bot's real
// @aws-sdk/client-auto-scaling code runs unchanged against it.
import { randomUUID } from 'node:crypto';
import type { Ec2State } from './ec2/state.js';
import { escapeXml } from './ec2/xml.js';

const XMLNS = 'http://autoscaling.amazonaws.com/doc/2011-01-01/';
const MAX_RECORDS = 100;

export class SandboxAutoScaling {
  constructor(private readonly state: Ec2State) {}

  handle(region: string, params: Record<string, string>): { status: number; body: string } {
    const requestId = randomUUID();
    if (params.Action !== 'DescribeLaunchConfigurations') {
      return error(400, 'InvalidAction', `The sandbox's Auto Scaling does not answer ${params.Action ?? 'this request'}.`, requestId);
    }
    const max = params.MaxRecords === undefined ? 50 : Number(params.MaxRecords);
    if (!Number.isInteger(max) || max < 1 || max > MAX_RECORDS) return error(400, 'ValidationError', 'MaxRecords must be between 1 and 100.', requestId);
    const names = Object.entries(params)
      .filter(([k]) => /^LaunchConfigurationNames\.member\.\d+$/.test(k))
      .map(([, v]) => v);
    const all = this.state.region(region).launchConfigurations.filter((lc) => names.length === 0 || names.includes(lc.name));
    const offset = params.NextToken ? Number(Buffer.from(params.NextToken, 'base64url').toString('utf8')) : 0;
    if (!Number.isInteger(offset) || offset < 0) return error(400, 'InvalidNextToken', 'The token is not valid.', requestId);
    const page = all.slice(offset, offset + max);
    const next = offset + max < all.length ? Buffer.from(String(offset + max), 'utf8').toString('base64url') : undefined;
    const members = page.map((lc) =>
      [
        '<member>',
        `<LaunchConfigurationName>${escapeXml(lc.name)}</LaunchConfigurationName>`,
        `<LaunchConfigurationARN>arn:aws:autoscaling:${region}:${this.state.accountId}:launchConfiguration:${randomUUID()}:launchConfigurationName/${escapeXml(lc.name)}</LaunchConfigurationARN>`,
        `<ImageId>${lc.imageId}</ImageId>`,
        `<InstanceType>${escapeXml(lc.instanceType)}</InstanceType>`,
        `<CreatedTime>${new Date(lc.createMs).toISOString()}</CreatedTime>`,
        '<SecurityGroups/><KeyName></KeyName><KernelId></KernelId><RamdiskId></RamdiskId><UserData></UserData>',
        '<InstanceMonitoring><Enabled>false</Enabled></InstanceMonitoring><EbsOptimized>false</EbsOptimized>',
        '<BlockDeviceMappings>',
        ...lc.snapshotIds.map((id, i) => `<member><DeviceName>/dev/xvd${String.fromCharCode(97 + i)}</DeviceName><Ebs><SnapshotId>${id}</SnapshotId></Ebs></member>`),
        '</BlockDeviceMappings>',
        '</member>',
      ].join(''),
    );
    const body =
      `<?xml version="1.0" encoding="UTF-8"?><DescribeLaunchConfigurationsResponse xmlns="${XMLNS}"><DescribeLaunchConfigurationsResult>` +
      `<LaunchConfigurations>${members.join('')}</LaunchConfigurations>${next ? `<NextToken>${next}</NextToken>` : ''}` +
      `</DescribeLaunchConfigurationsResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></DescribeLaunchConfigurationsResponse>`;
    return { status: 200, body };
  }
}

function error(status: number, code: string, message: string, requestId: string): { status: number; body: string } {
  return {
    status,
    body: `<?xml version="1.0" encoding="UTF-8"?><ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}
