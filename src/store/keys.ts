// Every item's keys in one place: this is the table's whole layout.
//
//   pk                     sk                       what                          gsi1pk / gsi1sk (sparse)
//   REQ#<id>               REQ                      approval request              PENDING / decideBy
//                                                                                 INFLIGHT / id   (approved, executing)
//   REQ#<id>               AUD#<at>#<ulid>          audit: the request's transitions (approved, executing, done…)
//   USER#<userId>          REQ#<id>                 pointer: a user's requests
//   RES#<resourceId>       AUD#<at>#<ulid>          audit: events on the resource, including 'requested', which
//                                                   links the resource to the request's own entries above
//   SNOOZE                 <resourceId>             digest snooze or keep
//   LEASE#<name>           RUN#<runKey>             scheduled-run lease
//   DEDUPE#<key>           DEDUPE                   Slack retry / double-click guard
//   OPS                    <operationId>            in-flight operation being tracked
//   BURST#<userId>         W#<window>               changing commands in one 10-minute window (BURST_LIMIT)
//   SHARES                 <region>                 the digest's account-share check: cursor and shared resources
//   BLOCKS#<first>#<second> P#<n>                   changed blocks between two snapshots (first: ROOT for a root's blocks)
//   SAVINGS                <kind>#<resourceId>      the savings ledger: what an executed deletion or archive move freed
//   DRILLS                 <at>#<drillId>           a restore drill as it ended (result, times, blocks verified)
//   BATCH#<batchId>        L#<part>                 a batch cleanup's list, 1000 resources a part
//   BATCH#<batchId>        R#<resourceId>           a batch resource's outcome (done, skipped, failed), written once
//   HISTORY                <day>#<account>#<region> the digest's day: snapshots held, what cleanup would save
//   POSTURE                LATEST                   the last digest's recovery-point posture (App Home)
//   HEALTH                 HEALTH                   never written; read by ping()
import type { Item } from './dynamo.js';

export const key = {
  request: (id: string): Item => ({ pk: `REQ#${id}`, sk: 'REQ' }),
  requesterPointer: (userId: string, id: string): Item => ({ pk: `USER#${userId}`, sk: `REQ#${id}` }),
  requesterPartition: (userId: string) => `USER#${userId}`,
  audit: (resourceId: string, at: string, unique: string): Item => ({ pk: `RES#${resourceId}`, sk: `AUD#${at}#${unique}` }),
  auditPartition: (resourceId: string) => `RES#${resourceId}`,
  requestAudit: (id: string, at: string, unique: string): Item => ({ pk: `REQ#${id}`, sk: `AUD#${at}#${unique}` }),
  requestPartition: (id: string) => `REQ#${id}`,
  snoozePartition: 'SNOOZE',
  snooze: (resourceId: string): Item => ({ pk: 'SNOOZE', sk: resourceId }),
  lease: (name: string, runKey: string): Item => ({ pk: `LEASE#${name}`, sk: `RUN#${runKey}` }),
  dedupe: (k: string): Item => ({ pk: `DEDUPE#${k}`, sk: 'DEDUPE' }),
  burst: (userId: string, window: number): Item => ({ pk: `BURST#${userId}`, sk: `W#${window}` }),
  shares: (region: string): Item => ({ pk: 'SHARES', sk: region }),
  blocksPartition: (first: string | undefined, second: string) => `BLOCKS#${first ?? 'ROOT'}#${second}`,
  blocks: (first: string | undefined, second: string, part: number): Item => ({ pk: `BLOCKS#${first ?? 'ROOT'}#${second}`, sk: `P#${part}` }),
  operationPartition: 'OPS',
  operation: (id: string): Item => ({ pk: 'OPS', sk: id }),
  savingsPartition: 'SAVINGS',
  saving: (kind: string, resourceId: string): Item => ({ pk: 'SAVINGS', sk: `${kind}#${resourceId}` }),
  drillPartition: 'DRILLS',
  drill: (at: string, id: string): Item => ({ pk: 'DRILLS', sk: `${at}#${id}` }),
  batchPartition: (id: string) => `BATCH#${id}`,
  batchList: (id: string, part: number): Item => ({ pk: `BATCH#${id}`, sk: `L#${String(part).padStart(5, '0')}` }),
  batchOutcome: (id: string, resourceId: string): Item => ({ pk: `BATCH#${id}`, sk: `R#${resourceId}` }),
  historyPartition: 'HISTORY',
  history: (day: string, account: string | undefined, region: string): Item => ({ pk: 'HISTORY', sk: `${day}#${account ?? 'own'}#${region}` }),
  posture: { pk: 'POSTURE', sk: 'LATEST' } as Item,
  health: { pk: 'HEALTH', sk: 'HEALTH' } as Item,
};

export const INDEX_PENDING = 'PENDING';
export const INDEX_IN_FLIGHT = 'INFLIGHT';

/** Requests and audit entries are kept this long, then DynamoDB's TTL removes them. */
const RETENTION_DAYS = 400;
/** A progress tracker nobody removed (the bot was gone for days) is dropped after this. */
export const OPERATION_RETENTION_DAYS = 7;

export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

export function retentionExpiry(now: Date, days = RETENTION_DAYS): number {
  return epochSeconds(now) + days * 86_400;
}

/** Drops undefined fields, nested ones too, so items are written whatever the client's marshall options. */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => compact(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : [[k, compact(v)]])),
    ) as T;
  }
  return value;
}
