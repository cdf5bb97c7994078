// The store: everything snapbot keeps in its one DynamoDB table, as typed repositories.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { approvalRepository, type ApprovalRepository } from './approvals.js';
import { auditRepository, type AuditRepository } from './audit.js';
import { blockRepository, type BlockRepository } from './lineage.js';
import { burstRepository, type BurstRepository } from './burst.js';
import { savingsRepository, type SavingsRepository } from './savings.js';
import { shareRepository, type ShareRepository } from './shares.js';
import {
  dedupeRepository,
  leaseRepository,
  snoozeRepository,
  type DedupeRepository,
  type LeaseRepository,
  type SnoozeRepository,
} from './digest-state.js';
import { Dynamo, type StoreMetrics } from './dynamo.js';
import { key } from './keys.js';
import { batchRepository, type BatchRepository } from './batches.js';
import { historyRepository, type HistoryRepository } from './history.js';
import { drillRepository, type DrillRepository } from './drills.js';
import { operationRepository, type OperationRepository } from './operations.js';

export interface StoreOptions {
  client: DynamoDBDocumentClient;
  table: string;
  now?: () => Date;
}

export interface Store {
  readonly table: string;
  approvals: ApprovalRepository;
  audit: AuditRepository;
  snoozes: SnoozeRepository;
  leases: LeaseRepository;
  dedupe: DedupeRepository;
  operations: OperationRepository;
  burst: BurstRepository;
  shares: ShareRepository;
  /** Measured block diffs (EBS direct APIs), per snapshot pair. */
  blocks: BlockRepository;
  /** What executed deletions, deregistrations and archive moves freed. */
  savings: SavingsRepository;
  /** Batch cleanups: their lists and each resource's outcome. */
  batches: BatchRepository;
  /** The digest's days: the chart's trend and the quota's growth. */
  history: HistoryRepository;
  /** Restore drills as they ended. */
  drills: DrillRepository;
  /** Resolves when the table answers; rejects with StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  /** Requests sent so far by this store (a copy). */
  metrics(): StoreMetrics;
}

export function createStore(opts: StoreOptions): Store {
  const db = new Dynamo(opts.client, opts.table);
  const now = opts.now ?? (() => new Date());
  return {
    table: opts.table,
    approvals: approvalRepository(db, now),
    audit: auditRepository(db, now),
    snoozes: snoozeRepository(db, now),
    leases: leaseRepository(db, now),
    dedupe: dedupeRepository(db, now),
    operations: operationRepository(db, now),
    burst: burstRepository(db, now),
    shares: shareRepository(db),
    blocks: blockRepository(db),
    savings: savingsRepository(db),
    drills: drillRepository(db, now),
    batches: batchRepository(db, now),
    history: historyRepository(db, now),
    async ping() {
      await db.get(key.health, false);
    },
    metrics: () => ({ ...db.metrics }),
  };
}

export type { ApprovalRepository, Decision, NewApprovalRequest } from './approvals.js';
export type { SavingEntry, SavingKind, SavingsRepository } from './savings.js';
export type { DrillRepository } from './drills.js';
export type { BatchOutcome, BatchRepository } from './batches.js';
export type { HistoryEntry, HistoryRepository } from './history.js';
export type { AuditRepository } from './audit.js';
export type { BurstRepository, BurstTake } from './burst.js';
export type { ShareRepository, ShareState } from './shares.js';
export type { DedupeRepository, LeaseRepository, SnoozeKind, SnoozeRepository } from './digest-state.js';
export type { InFlightOperation, OperationKind, OperationRepository } from './operations.js';
export type { StoreMetrics, DynamoClientOptions } from './dynamo.js';
export { createDocumentClient, createDynamoClient } from './dynamo.js';
export { ensureTable, type EnsureTableOptions } from './table.js';
export * from './errors.js';
