// Approval requests. Every state change is one TransactWriteItems: the conditional update of the request, built
// from core's TRANSITIONS table, plus its audit entry, so the history can never disagree with the state and the
// first decision wins in DynamoDB rather than in any one process's memory. Nothing is read before a transition:
// the condition decides, and a loser learns who won from the old item DynamoDB returns with the failure.
import {
  BOT_ACTOR,
  TRANSITIONS,
  auditedResourceIds,
  describeAction,
  type ApprovalAction,
  type ApprovalOutcome,
  type ApprovalRequest,
  type ApprovalStatus,
  type ApprovalTransition,
  type AuditEntry,
  type RiskSummary,
} from '../core/approvals.js';
import type { Requester } from '../core/types.js';
import { requestAuditPut, resourceAuditPut } from './audit.js';
import { ConditionFailed, type Dynamo, type Item } from './dynamo.js';
import {
  AlreadyDecidedError,
  AlreadyExistsError,
  ExpiredError,
  InvalidTransitionError,
  NotFoundError,
  NotRequesterError,
  SelfDecisionError,
} from './errors.js';
import { newId } from './ids.js';
import { INDEX_IN_FLIGHT, INDEX_PENDING, compact, key, retentionExpiry } from './keys.js';
import { GSI1 } from './table.js';

/** What the caller says about a new request; the store sets its status and times. */
export type NewApprovalRequest = Pick<ApprovalRequest, 'action' | 'region' | 'account' | 'requester' | 'reason' | 'risk' | 'relatedIds'> & {
  /** Given by the caller when it must know the ID up front; otherwise a new ULID. */
  id?: string;
  /** The approval deadline (now + APPROVAL_TTL_HOURS). */
  decideBy: Date;
};

export interface Decision {
  decision: 'approved' | 'rejected';
  by: string;
  reason?: string;
  now?: Date;
}

export interface ApprovalRepository {
  /** Records a new pending request (and its 'requested' audit entries). Call before posting anything. */
  create(input: NewApprovalRequest): Promise<ApprovalRequest>;
  get(id: string): Promise<ApprovalRequest | undefined>;
  /** Remembers where the request was posted. */
  setMessage(id: string, channel: string, ts: string): Promise<void>;
  /** Where the requester's private note can be replaced (its response_url), and when it was sent. */
  setNotice(id: string, responseUrl: string, at: Date): Promise<void>;
  /**
   * The first decision wins. Throws AlreadyDecidedError (naming who decided first), ExpiredError, SelfDecisionError
   * or NotFoundError; otherwise returns the request as decided.
   */
  decide(id: string, decision: Decision): Promise<ApprovalRequest>;
  /**
   * pending → withdrawn, by the requester only (a conditional write, like a decision). Throws NotRequesterError,
   * AlreadyDecidedError, ExpiredError or NotFoundError; otherwise returns the withdrawn request.
   */
  withdraw(id: string, by: string, opts?: { reason?: string; now?: Date }): Promise<ApprovalRequest>;
  /**
   * approved → executing, leased to `owner` (a replica) with a heartbeat. True for exactly one caller; false when
   * another already started it.
   */
  startExecution(id: string, opts?: { now?: Date; owner?: string }): Promise<boolean>;
  /**
   * Takes over an execution left `executing`: true for exactly one caller, and only when its heartbeat (or, for a
   * request from before heartbeats, its start) is older than `staleBefore` — a replica still working keeps it.
   */
  resumeExecution(id: string, opts: { staleBefore: Date; now?: Date; owner?: string }): Promise<boolean>;
  /** The owner is still working on it: renews the lease. False when the lease was lost (another replica took over). */
  heartbeat(id: string, owner: string, opts?: { now?: Date }): Promise<boolean>;
  /**
   * executing → done (outcome.ok) or failed, by the lease's owner when one is given (a replica that lost the lease
   * leaves the outcome to the one that took over). Returns the finished request.
   */
  finish(id: string, outcome: { ok: boolean; message: string }, opts?: { now?: Date; owner?: string }): Promise<ApprovalRequest>;
  /** Marks pending requests whose deadline has passed as expired; returns the ones this call expired. */
  expireDue(now?: Date): Promise<ApprovalRequest[]>;
  /** Requests left approved or executing: work a crash may have interrupted. */
  listInFlight(): Promise<ApprovalRequest[]>;
  /** Pending requests still open for a decision, soonest deadline first. */
  listPending(now?: Date): Promise<ApprovalRequest[]>;
  /** The user's own requests, newest first. */
  listByRequester(userId: string, limit?: number): Promise<ApprovalRequest[]>;
}

export function approvalRepository(db: Dynamo, clock: () => Date): ApprovalRepository {
  async function read(id: string): Promise<ApprovalRequest | undefined> {
    const item = await db.get(key.request(id));
    return item && toRequest(item);
  }

  async function mustRead(id: string): Promise<ApprovalRequest> {
    const request = await read(id);
    if (!request) throw new NotFoundError(id);
    return request;
  }

  /**
   * Applies one transition with its audit entry. Resolves with the old item when the condition failed (undefined
   * old item: the request does not exist), or 'ok'.
   */
  async function transition(
    id: string,
    name: ApprovalTransition,
    opts: {
      now: Date;
      set?: Record<string, unknown>;
      /** Extra condition, ANDed; its placeholders go in names/values. */
      condition?: string;
      names?: Record<string, string>;
      values?: Record<string, unknown>;
      audit: Omit<AuditEntry, 'resourceId' | 'requestId' | 'at' | 'event'>;
    },
  ): Promise<{ ok: true } | { ok: false; old: Item | undefined }> {
    const rule = TRANSITIONS[name];
    const nowIso = opts.now.toISOString();
    const names: Record<string, string> = { '#status': 'status', ...opts.names };
    const values: Record<string, unknown> = { ':to': rule.to, ...opts.values };
    const from = rule.from.map((status, i) => {
      values[`:from${i}`] = status;
      return `:from${i}`;
    });
    const conditions = [`#status IN (${from.join(', ')})`];
    if (rule.deadline) {
      names['#decideBy'] = 'decideBy';
      values[':now'] = nowIso;
      conditions.push(rule.deadline === 'before' ? '#decideBy > :now' : '#decideBy <= :now');
    }
    if (opts.condition) conditions.push(opts.condition);

    const sets = ['#status = :to'];
    for (const [attr, value] of Object.entries(opts.set ?? {})) {
      if (value === undefined) continue;
      names[`#${attr}`] = attr;
      values[`:${attr}`] = compact(value);
      sets.push(`#${attr} = :${attr}`);
    }
    // The sparse index holds only requests someone still has to act on.
    const index = indexFor(rule.to);
    names['#gsi1pk'] = 'gsi1pk';
    names['#gsi1sk'] = 'gsi1sk';
    let update: string;
    if (index) {
      values[':gsi1pk'] = index;
      values[':gsi1sk'] = id;
      update = `SET ${[...sets, '#gsi1pk = :gsi1pk', '#gsi1sk = :gsi1sk'].join(', ')}`;
    } else {
      update = `SET ${sets.join(', ')} REMOVE #gsi1pk, #gsi1sk`;
    }

    try {
      await db.transact([
        {
          Update: {
            Key: key.request(id),
            UpdateExpression: update,
            ConditionExpression: `attribute_exists(pk) AND ${conditions.join(' AND ')}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        requestAuditPut(id, { ...opts.audit, at: nowIso, event: rule.event }, opts.now),
      ]);
      return { ok: true };
    } catch (err) {
      if (err instanceof ConditionFailed && err.failedIndexes.includes(0)) {
        // DynamoDB Local and DynamoDB both return the old item; read it only if one ever does not.
        const old = err.items[0] ?? (await db.get(key.request(id)));
        return { ok: false, old };
      }
      throw err;
    }
  }

  return {
    async create(input) {
      const now = clock();
      const request: ApprovalRequest = compact({
        id: input.id ?? newId(now),
        action: input.action,
        region: input.region,
        account: input.account,
        requester: input.requester,
        reason: input.reason,
        risk: input.risk,
        relatedIds: input.relatedIds?.length ? [...new Set(input.relatedIds)] : undefined,
        status: 'pending' as const,
        createdAt: now.toISOString(),
        decideBy: input.decideBy.toISOString(),
      });
      const expiresAt = retentionExpiry(now);
      try {
        await db.transact([
          {
            Put: {
              Item: compact({
                ...key.request(request.id),
                kind: 'request',
                expiresAt,
                requesterId: request.requester.userId,
                gsi1pk: INDEX_PENDING,
                gsi1sk: request.decideBy,
                ...request,
              }),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              Item: { ...key.requesterPointer(request.requester.userId, request.id), kind: 'requester-pointer', requestId: request.id, expiresAt },
            },
          },
          ...auditedResourceIds(request).map((resourceId) =>
            resourceAuditPut(
              {
                resourceId,
                at: request.createdAt,
                actor: request.requester.userId,
                event: 'requested',
                requestId: request.id,
                detail: describeAction(request.action),
                reason: request.reason,
              },
              now,
            ),
          ),
        ]);
      } catch (err) {
        if (err instanceof ConditionFailed) throw new AlreadyExistsError(request.id);
        throw err;
      }
      return request;
    },

    get: read,

    async setMessage(id, channel, ts) {
      const written = await db.update({
        Key: key.request(id),
        UpdateExpression: 'SET #message = :message',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#message': 'message' },
        ExpressionAttributeValues: { ':message': { channel, ts } },
      });
      if (!written) throw new NotFoundError(id);
    },

    async setNotice(id, responseUrl, at) {
      await db.update({
        Key: key.request(id),
        UpdateExpression: 'SET #notice = :notice',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#notice': 'notice' },
        ExpressionAttributeValues: { ':notice': { responseUrl, at: at.toISOString() } },
      });
    },

    async decide(id, decision) {
      const now = decision.now ?? clock();
      const at = now.toISOString();
      const result = await transition(id, decision.decision === 'approved' ? 'approve' : 'reject', {
        now,
        set: {
          decidedBy: decision.by,
          decidedAt: at,
          rejectReason: decision.decision === 'rejected' ? decision.reason : undefined,
        },
        // The store refuses self-approval too, so a bug in a listener cannot let one person do both.
        condition: '#requesterId <> :by',
        names: { '#requesterId': 'requesterId' },
        values: { ':by': decision.by },
        audit: { actor: decision.by, reason: decision.reason },
      });
      if (result.ok) return mustRead(id);
      const old = result.old && toRequest(result.old);
      if (!old) throw new NotFoundError(id);
      if (old.status === 'expired' || (old.status === 'pending' && Date.parse(old.decideBy) <= now.getTime())) {
        throw new ExpiredError(id, old.decideBy);
      }
      if (old.status === 'pending' && old.requester.userId === decision.by) throw new SelfDecisionError(id);
      throw new AlreadyDecidedError(id, old.status, old.decidedBy, old.decidedAt);
    },

    async withdraw(id, by, opts) {
      const now = opts?.now ?? clock();
      const result = await transition(id, 'withdraw', {
        now,
        set: { decidedBy: by, decidedAt: now.toISOString() },
        // A pending request past its deadline can only expire.
        condition: '#requesterId = :by AND #decideBy > :now',
        names: { '#requesterId': 'requesterId', '#decideBy': 'decideBy' },
        values: { ':by': by, ':now': now.toISOString() },
        audit: { actor: by, reason: opts?.reason },
      });
      if (result.ok) return mustRead(id);
      const old = result.old && toRequest(result.old);
      if (!old) throw new NotFoundError(id);
      if (old.status === 'expired' || (old.status === 'pending' && Date.parse(old.decideBy) <= now.getTime())) {
        throw new ExpiredError(id, old.decideBy);
      }
      if (old.status === 'pending') throw new NotRequesterError(id, old.requester.userId);
      throw new AlreadyDecidedError(id, old.status, old.decidedBy, old.decidedAt);
    },

    async startExecution(id, opts) {
      const now = opts?.now ?? clock();
      const at = now.toISOString();
      const result = await transition(id, 'start', {
        now,
        set: { executionStartedAt: at, heartbeatAt: at, executionOwner: opts?.owner },
        audit: { actor: BOT_ACTOR },
      });
      if (result.ok) return true;
      if (!result.old) throw new NotFoundError(id);
      return false;
    },

    async resumeExecution(id, opts) {
      const now = opts.now ?? clock();
      const at = now.toISOString();
      // Same status on both sides: executing → executing, claimed by moving the heartbeat forward under a new owner.
      const names = { '#status': 'status', '#started': 'executionStartedAt', '#hb': 'heartbeatAt', '#owner': 'executionOwner' };
      try {
        await db.transact([
          {
            Update: {
              Key: key.request(id),
              UpdateExpression: opts.owner ? 'SET #started = :at, #hb = :at, #owner = :owner' : 'SET #started = :at, #hb = :at REMOVE #owner',
              ConditionExpression:
                '#status = :executing AND ((attribute_not_exists(#hb) AND (attribute_not_exists(#started) OR #started < :stale)) OR #hb < :stale)',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: {
                ':at': at,
                ':executing': 'executing',
                ':stale': opts.staleBefore.toISOString(),
                ...(opts.owner ? { ':owner': opts.owner } : {}),
              },
            },
          },
          requestAuditPut(id, { at, actor: BOT_ACTOR, event: 'executing', detail: 'resumed: the replica running it stopped answering' }, now),
        ]);
        return true;
      } catch (err) {
        if (err instanceof ConditionFailed) return false;
        throw err;
      }
    },

    async heartbeat(id, owner, opts) {
      const now = opts?.now ?? clock();
      return db.update({
        Key: key.request(id),
        UpdateExpression: 'SET #hb = :at',
        ConditionExpression: '#status = :executing AND #owner = :owner',
        ExpressionAttributeNames: { '#status': 'status', '#hb': 'heartbeatAt', '#owner': 'executionOwner' },
        ExpressionAttributeValues: { ':at': now.toISOString(), ':executing': 'executing', ':owner': owner },
      });
    },

    async finish(id, outcome, opts) {
      const now = opts?.now ?? clock();
      const at = now.toISOString();
      const full: ApprovalOutcome = { ok: outcome.ok, message: outcome.message, at };
      const name = outcome.ok ? 'succeed' : 'fail';
      const result = await transition(id, name, {
        now,
        set: { outcome: full },
        ...(opts?.owner
          ? { condition: '(attribute_not_exists(#executionOwner) OR #executionOwner = :owner)', names: { '#executionOwner': 'executionOwner' }, values: { ':owner': opts.owner } }
          : {}),
        audit: { actor: BOT_ACTOR, outcome: { ok: outcome.ok, message: outcome.message } },
      });
      if (result.ok) return mustRead(id);
      const old = result.old && toRequest(result.old);
      if (!old) throw new NotFoundError(id);
      throw new InvalidTransitionError(id, old.status, TRANSITIONS[name].to);
    },

    async expireDue(at) {
      const now = at ?? clock();
      const nowIso = now.toISOString();
      const due = await db.query({
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :pending AND gsi1sk <= :now',
        ExpressionAttributeValues: { ':pending': INDEX_PENDING, ':now': nowIso },
      });
      const expired: ApprovalRequest[] = [];
      for (const item of due) {
        const request = toRequest(item);
        if (request.status !== 'pending') continue;
        const result = await transition(request.id, 'expire', {
          now,
          audit: { actor: BOT_ACTOR, detail: `no decision by ${request.decideBy}` },
        });
        if (result.ok) expired.push({ ...request, status: 'expired' });
      }
      return expired;
    },

    async listInFlight() {
      const items = await db.query({
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :inflight',
        ExpressionAttributeValues: { ':inflight': INDEX_IN_FLIGHT },
      });
      return items.map(toRequest).filter((r) => r.status === 'approved' || r.status === 'executing');
    },

    async listPending(at) {
      const now = (at ?? clock()).toISOString();
      const items = await db.query({
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :pending AND gsi1sk > :now',
        ExpressionAttributeValues: { ':pending': INDEX_PENDING, ':now': now },
      });
      return items.map(toRequest).filter((r) => r.status === 'pending');
    },

    async listByRequester(userId, limit = 20) {
      const pointers = await db.query(
        {
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :req)',
          ExpressionAttributeValues: { ':pk': key.requesterPartition(userId), ':req': 'REQ#' },
          ScanIndexForward: false,
        },
        Math.max(1, Math.min(limit, 100)),
      );
      if (pointers.length === 0) return [];
      const items = await db.batchGet(pointers.map((p) => key.request(p.requestId as string)));
      return items.map(toRequest).sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    },
  };
}

function indexFor(status: ApprovalStatus): string | undefined {
  if (status === 'pending') return INDEX_PENDING;
  if (status === 'approved' || status === 'executing') return INDEX_IN_FLIGHT;
  return undefined;
}

function toRequest(item: Item): ApprovalRequest {
  return compact({
    id: item.id as string,
    action: item.action as ApprovalAction,
    region: item.region as string,
    account: item.account as string | undefined,
    requester: item.requester as Requester,
    reason: item.reason as string | undefined,
    risk: item.risk as RiskSummary,
    relatedIds: item.relatedIds as string[] | undefined,
    status: item.status as ApprovalStatus,
    createdAt: item.createdAt as string,
    decideBy: item.decideBy as string,
    decidedBy: item.decidedBy as string | undefined,
    decidedAt: item.decidedAt as string | undefined,
    rejectReason: item.rejectReason as string | undefined,
    executionStartedAt: item.executionStartedAt as string | undefined,
    outcome: item.outcome as ApprovalOutcome | undefined,
    message: item.message as ApprovalRequest['message'],
    notice: item.notice as ApprovalRequest['notice'],
  });
}
