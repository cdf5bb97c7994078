// The sandbox's CloudTrail: LookupEvents over the account's event history, in CloudTrail's own protocol (JSON 1.1,
// X-Amz-Target …LookupEvents; timestamps as epoch seconds; 50 events a page at most, newest first; one lookup
// attribute; two calls a second per account and region, else ThrottlingException), so the bot's real
// @aws-sdk/client-cloudtrail code runs unchanged against it. The history holds what the sandbox EC2 recorded.
import { TokenBucket } from '../core/token-bucket.js';
import type { Ec2State, TrailEventRecord } from './ec2/state.js';
import { JsonApiError } from './json-api.js';

const MAX_RESULTS = 50;
const HISTORY_DAYS = 90;

export class SandboxCloudTrail {
  private readonly buckets = new Map<string, TokenBucket>();
  /** LookupEvents calls answered, for tests and benchmarks. */
  calls = 0;

  constructor(
    private readonly state: Ec2State,
    private readonly opts: { callsPerSecond?: number } = {},
  ) {}

  handle(target: string, region: string, body: Record<string, unknown>): Record<string, unknown> {
    const operation = target.split('.').pop() ?? '';
    if (operation !== 'LookupEvents') throw new JsonApiError('UnknownOperationException', `The sandbox's CloudTrail does not answer ${operation}.`, 400);
    const perSecond = this.opts.callsPerSecond ?? 2;
    let bucket = this.buckets.get(region);
    if (!bucket) this.buckets.set(region, (bucket = new TokenBucket(perSecond, 1_000)));
    if (!bucket.take()) throw new JsonApiError('ThrottlingException', 'Rate exceeded', 400);
    this.calls++;
    return this.lookupEvents(region, body);
  }

  private lookupEvents(region: string, body: Record<string, unknown>): Record<string, unknown> {
    const attributes = (body.LookupAttributes as { AttributeKey?: string; AttributeValue?: string }[] | undefined) ?? [];
    if (attributes.length > 1) throw new JsonApiError('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.', 400);
    const max = body.MaxResults === undefined ? MAX_RESULTS : Number(body.MaxResults);
    if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS) throw new JsonApiError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.', 400);
    const now = this.state.now();
    const start = body.StartTime === undefined ? now - HISTORY_DAYS * 86_400_000 : Number(body.StartTime) * 1000;
    const end = body.EndTime === undefined ? now : Number(body.EndTime) * 1000;
    if (start > end) throw new JsonApiError('InvalidTimeRangeException', 'StartTime is after EndTime.', 400);
    const matches = (e: TrailEventRecord) => {
      const a = attributes[0];
      if (!a) return true;
      switch (a.AttributeKey) {
        case 'EventName':
          return e.eventName === a.AttributeValue;
        case 'ResourceName':
          return e.resources.some((r) => r.name === a.AttributeValue);
        case 'ResourceType':
          return e.resources.some((r) => r.type === a.AttributeValue);
        case 'Username':
          return e.username === a.AttributeValue;
        case 'EventId':
          return e.eventId === a.AttributeValue;
        case 'EventSource':
          return a.AttributeValue === 'ec2.amazonaws.com';
        case 'ReadOnly':
          return a.AttributeValue === 'false';
        default:
          throw new JsonApiError('InvalidLookupAttributesException', `Unknown lookup attribute ${a.AttributeKey}.`, 400);
      }
    };
    const trail = this.state.region(region).trail;
    const found = trail.filter((e) => e.eventMs >= start && e.eventMs <= end && matches(e)).reverse();
    const offset = body.NextToken === undefined ? 0 : Number(Buffer.from(String(body.NextToken), 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) throw new JsonApiError('InvalidNextTokenException', 'Invalid NextToken.', 400);
    const page = found.slice(offset, offset + max);
    const next = offset + max < found.length ? Buffer.from(String(offset + max), 'utf8').toString('base64url') : undefined;
    return {
      Events: page.map((e) => ({
        EventId: e.eventId,
        EventName: e.eventName,
        ReadOnly: 'false',
        AccessKeyId: e.accessKeyId,
        EventTime: e.eventMs / 1000,
        EventSource: 'ec2.amazonaws.com',
        Username: e.username,
        Resources: e.resources.map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
        CloudTrailEvent: JSON.stringify({
          eventVersion: '1.09',
          userIdentity: { type: 'IAMUser', accountId: this.state.accountId, accessKeyId: e.accessKeyId, userName: e.username },
          eventTime: new Date(e.eventMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          eventSource: 'ec2.amazonaws.com',
          eventName: e.eventName,
          awsRegion: region,
          requestParameters: e.requestParameters,
          responseElements: { _return: true },
          eventID: e.eventId,
          readOnly: false,
          eventType: 'AwsApiCall',
          managementEvent: true,
          recipientAccountId: this.state.accountId,
        }),
      })),
      ...(next ? { NextToken: next } : {}),
    };
  }
}
