// The only user of CloudTrail: which snapshots and AMIs had their sharing changed lately, from the event history
// (LookupEvents, the last 90 days, management events). One lookup attribute per call and 50 events a page, paced at
// the history's own limit of two calls a second per account and region.
import { CloudTrailClient, paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import { TokenBucket } from '../core/token-bucket.js';
import { translateAwsError } from './errors.js';
import { RegionalClients, type RegionalOptions } from './regional.js';

const SERVICE = { iamPrefix: 'cloudtrail', name: 'CloudTrail' } as const;
/** The most events LookupEvents returns a page. */
const PAGE = 50;
/** LookupEvents allows two requests a second per account and region. */
const CALLS_PER_SECOND = 2;
/** The events that change who may use a snapshot or an AMI. */
export const SHARING_EVENTS = ['ModifySnapshotAttribute', 'ModifyImageAttribute'] as const;

export interface SharingChanges {
  /** Snapshot and AMI IDs whose sharing an event changed, newest event first, each once. */
  resourceIds: string[];
  events: number;
  /** LookupEvents pages read. */
  calls: number;
}

export class CloudTrailGateway {
  private readonly clients: RegionalClients<CloudTrailClient>;
  private readonly pace = new Map<string, TokenBucket>();
  /** LookupEvents calls made, for the benchmark. */
  calls = 0;

  constructor(opts: RegionalOptions = {}) {
    this.clients = new RegionalClients((config) => {
      const client = new CloudTrailClient(config);
      // Every request, the paginator's included, waits for the region's budget first.
      client.middlewareStack.add(
        (next) => async (args) => {
          await this.turn(config.region);
          this.calls++;
          return next(args);
        },
        { step: 'initialize', name: 'snapbotLookupEventsPace' },
      );
      return client;
    }, opts);
  }

  destroy(): void {
    this.clients.destroy();
  }

  private async turn(region: string): Promise<void> {
    let bucket = this.pace.get(region);
    // A tenth under the limit: two clocks (ours and CloudTrail's) never agree to the millisecond.
    if (!bucket) this.pace.set(region, (bucket = new TokenBucket(CALLS_PER_SECOND, 1_100)));
    while (!bucket.take()) await new Promise((r) => setTimeout(r, 1_000 / CALLS_PER_SECOND / 2));
  }

  /** Resources whose sharing ModifySnapshotAttribute or ModifyImageAttribute changed between `since` and `until`. */
  async sharingChanges(region: string, since: Date, until: Date): Promise<SharingChanges> {
    const ids: string[] = [];
    const seen = new Set<string>();
    let events = 0;
    let calls = 0;
    const client = this.clients.get(region);
    for (const eventName of SHARING_EVENTS) {
      try {
        const pages = paginateLookupEvents(
          { client, pageSize: PAGE },
          { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }], StartTime: since, EndTime: until },
        );
        for await (const page of pages) {
          calls++;
          for (const e of page.Events ?? []) {
            events++;
            for (const id of resourceIdsOf(e)) {
              if (seen.has(id)) continue;
              seen.add(id);
              ids.push(id);
            }
          }
        }
      } catch (err) {
        throw translateAwsError(err, { action: 'LookupEvents', region, service: SERVICE });
      }
    }
    return { resourceIds: ids, events, calls };
  }
}

/** The snapshot or AMI an event is about: its request parameters (snapshotId, imageId), else its Resources. */
export function resourceIdsOf(e: { CloudTrailEvent?: string; Resources?: { ResourceName?: string }[] }): string[] {
  const fromRequest: string[] = [];
  if (e.CloudTrailEvent) {
    try {
      const detail = JSON.parse(e.CloudTrailEvent) as { requestParameters?: { snapshotId?: unknown; imageId?: unknown } };
      for (const v of [detail.requestParameters?.snapshotId, detail.requestParameters?.imageId]) {
        if (typeof v === 'string' && /^(snap|ami)-[0-9a-f]+$/.test(v)) fromRequest.push(v);
      }
    } catch {
      // A record that is not JSON: the Resources below still say what it was about.
    }
  }
  if (fromRequest.length) return fromRequest;
  return (e.Resources ?? []).map((r) => r.ResourceName ?? '').filter((id) => /^(snap|ami)-[0-9a-f]+$/.test(id));
}
