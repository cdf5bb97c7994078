// Audit entries: a resource's history as snapbot saw it, oldest first.
//
// A request's transitions are written in the request's own partition, in the same transaction as the state
// change, so a decision needs no read to learn which resources it concerns. The resource's partition holds the
// 'requested' entry that links to them; list() follows those links.
import type { AuditEntry } from '../core/approvals.js';
import type { Dynamo, Item } from './dynamo.js';
import { newId } from './ids.js';
import { compact, key, retentionExpiry } from './keys.js';

export interface AuditRepository {
  /** For events outside an approval request (snapshot created, shared, revoked, snoozed…). */
  append(entry: AuditEntry): Promise<void>;
  /** Everything recorded about the resource, requests' decisions and outcomes included; oldest first. */
  list(resourceId: string): Promise<AuditEntry[]>;
}

/** The Put for an entry in the resource's partition, for use inside a transaction. */
export function resourceAuditPut(entry: AuditEntry, now: Date): { Put: { Item: Item } } {
  return { Put: { Item: entryItem(key.audit(entry.resourceId, entry.at, newId(now)), entry, now) } };
}

/** The Put for a request transition's entry, in the request's partition. */
export function requestAuditPut(requestId: string, entry: Omit<AuditEntry, 'resourceId' | 'requestId'>, now: Date): { Put: { Item: Item } } {
  return {
    Put: { Item: entryItem(key.requestAudit(requestId, entry.at, newId(now)), { ...entry, requestId, resourceId: undefined }, now) },
  };
}

function entryItem(keys: Item, entry: Omit<AuditEntry, 'resourceId'> & { resourceId?: string }, now: Date): Item {
  return compact({
    ...keys,
    kind: 'audit',
    expiresAt: retentionExpiry(now),
    resourceId: entry.resourceId,
    at: entry.at,
    actor: entry.actor,
    event: entry.event,
    requestId: entry.requestId,
    region: entry.region,
    account: entry.account,
    detail: entry.detail,
    reason: entry.reason,
    outcome: entry.outcome,
  });
}

export function auditRepository(db: Dynamo, now: () => Date): AuditRepository {
  const entriesIn = (pk: string) =>
    db.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :aud)',
      ExpressionAttributeValues: { ':pk': pk, ':aud': 'AUD#' },
    });

  return {
    async append(entry) {
      const at = now();
      await db.put(resourceAuditPut(entry, at).Put);
    },

    async list(resourceId) {
      const own = await entriesIn(key.auditPartition(resourceId));
      const requestIds = [...new Set(own.flatMap((i) => (i.event === 'requested' && typeof i.requestId === 'string' ? [i.requestId] : [])))];
      const linked = await Promise.all(requestIds.map((id) => entriesIn(key.requestPartition(id))));
      return [...own, ...linked.flat()]
        .sort((a, b) => ((a.sk as string) < (b.sk as string) ? -1 : (a.sk as string) > (b.sk as string) ? 1 : 0))
        .map((item) => toEntry(item, resourceId));
    },
  };
}

function toEntry(item: Item, resourceId: string): AuditEntry {
  return compact({
    resourceId: (item.resourceId as string | undefined) ?? resourceId,
    at: item.at as string,
    actor: item.actor as string,
    event: item.event as string,
    requestId: item.requestId as string | undefined,
    region: item.region as string | undefined,
    account: item.account as string | undefined,
    detail: item.detail as string | undefined,
    reason: item.reason as string | undefined,
    outcome: item.outcome as AuditEntry['outcome'],
  });
}
