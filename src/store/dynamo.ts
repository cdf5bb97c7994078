// The one road to DynamoDB for the repositories: counts requests for the benchmark, turns "cannot reach the
// table" into StoreUnavailableError, and retries transactions that lost to a concurrent transaction.
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  type DeleteCommandInput,
  type GetCommandInput,
  type GetCommandOutput,
  type PutCommandInput,
  type QueryCommandInput,
  type QueryCommandOutput,
  type TransactWriteCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { inWords } from '../aws/errors.js';
import { SDK_LOGGER } from '../aws/sdk-logger.js';
import { StoreUnavailableError } from './errors.js';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export interface StoreMetrics {
  /** GetItem, Query (per page), BatchGetItem requests. */
  reads: number;
  /** PutItem, UpdateItem, DeleteItem, TransactWriteItems requests (a transaction counts once). */
  writes: number;
  /** Writes that carried a condition. */
  conditionalWrites: number;
}

export type Item = Record<string, unknown>;

type DocTransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** A TransactWriteItems entry without TableName: the store adds its own. */
export type TransactItem = {
  [Op in keyof DocTransactItem]?: Omit<NonNullable<DocTransactItem[Op]>, 'TableName'>;
};

/** A condition in a transaction failed; `items[i]` is the old item of TransactItems[i] when DynamoDB returned it. */
export class ConditionFailed extends Error {
  constructor(
    readonly failedIndexes: number[],
    readonly items: (Item | undefined)[],
  ) {
    super('conditional check failed');
  }
}

const TRANSACTION_RETRIES = 6;

export class Dynamo {
  readonly metrics: StoreMetrics = { reads: 0, writes: 0, conditionalWrites: 0 };

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  async get(key: Item, consistent = true): Promise<Item | undefined> {
    this.metrics.reads++;
    const input: GetCommandInput = { TableName: this.table, Key: key, ConsistentRead: consistent };
    const out: GetCommandOutput = await this.call(() => this.doc.send(new GetCommand(input)));
    return out.Item;
  }

  /** All pages, in key order (or reverse). `limit` stops early. */
  async query(input: Omit<QueryCommandInput, 'TableName'>, limit?: number): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      this.metrics.reads++;
      const page: QueryCommandOutput = await this.call(() =>
        this.doc.send(
          new QueryCommand({
            ...input,
            TableName: this.table,
            ExclusiveStartKey: start,
            Limit: limit === undefined ? input.Limit : Math.min(input.Limit ?? limit, limit - items.length),
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start && (limit === undefined || items.length < limit));
    return items;
  }

  async batchGet(keys: Item[]): Promise<Item[]> {
    const found: Item[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Item[] = keys.slice(i, i + 100);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await sleep(jitter(attempt));
        this.metrics.reads++;
        const input: BatchGetCommandInput = { RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } } };
        const out: BatchGetCommandOutput = await this.call(() => this.doc.send(new BatchGetCommand(input)));
        found.push(...(out.Responses?.[this.table] ?? []));
        pending = (out.UnprocessedKeys?.[this.table]?.Keys as Item[] | undefined) ?? [];
        if (attempt > 8 && pending.length > 0) {
          throw new StoreUnavailableError(this.table, 'throttled', `${pending.length} items could not be read`);
        }
      }
    }
    return found;
  }

  /** Resolves true when written, false when the condition failed. */
  async put(input: Omit<PutCommandInput, 'TableName'>): Promise<boolean> {
    this.countWrite(input.ConditionExpression !== undefined);
    return this.conditional(() => this.doc.send(new PutCommand({ ...input, TableName: this.table })));
  }

  /** Resolves true when written, false when the condition failed. */
  async update(input: Omit<UpdateCommandInput, 'TableName'>): Promise<boolean> {
    this.countWrite(input.ConditionExpression !== undefined);
    return this.conditional(() => this.doc.send(new UpdateCommand({ ...input, TableName: this.table })));
  }

  async delete(input: Omit<DeleteCommandInput, 'TableName'>): Promise<boolean> {
    this.countWrite(input.ConditionExpression !== undefined);
    return this.conditional(() => this.doc.send(new DeleteCommand({ ...input, TableName: this.table })));
  }

  /**
   * One TransactWriteItems. Items need no TableName. Throws ConditionFailed when a condition failed. A transaction
   * cancelled only because another transaction touched the same item at the same moment is retried: the SDK's
   * retry strategy does not cover that case, and the retry then sees the winner's write and fails its condition.
   */
  async transact(items: TransactItem[]): Promise<void> {
    const withTable = items.map((item) => {
      const out: Record<string, unknown> = {};
      for (const [op, body] of Object.entries(item)) out[op] = body && { ...body, TableName: this.table };
      return out as DocTransactItem;
    });
    const conditional = items.some((i) => Object.values(i).some((body) => body && 'ConditionExpression' in body && body.ConditionExpression));
    for (let attempt = 0; ; attempt++) {
      this.countWrite(conditional);
      try {
        await this.call(() => this.doc.send(new TransactWriteCommand({ TransactItems: withTable })));
        return;
      } catch (err) {
        const reasons = cancellationReasons(err);
        if (!reasons) throw err;
        const failed = reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
        if (failed.length > 0) throw new ConditionFailed(failed, reasons.map((r) => (r.Item ? nativeItem(r.Item) : undefined)));
        const conflict = reasons.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError');
        if (!conflict || attempt >= TRANSACTION_RETRIES) throw err;
        await sleep(jitter(attempt));
      }
    }
  }

  private countWrite(conditional: boolean): void {
    this.metrics.writes++;
    if (conditional) this.metrics.conditionalWrites++;
  }

  private async conditional(run: () => Promise<unknown>): Promise<boolean> {
    try {
      await this.call(run);
      return true;
    } catch (err) {
      if (errorName(err) === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw asUnavailable(err, this.table) ?? err;
    }
  }
}

/** StoreUnavailableError for failures that mean "DynamoDB cannot be used now", undefined for everything else. */
export function asUnavailable(err: unknown, table: string): StoreUnavailableError | undefined {
  if (err instanceof StoreUnavailableError) return err;
  const name = errorName(err);
  const message = err instanceof Error ? err.message : String(err);
  const status = (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  if (name === 'ResourceNotFoundException') return new StoreUnavailableError(table, 'missing', inWords(message), err);
  if (
    [
      'AccessDeniedException',
      'UnrecognizedClientException',
      'InvalidSignatureException',
      'MissingAuthenticationTokenException',
      'ExpiredTokenException',
      'CredentialsProviderError',
    ].includes(name)
  ) {
    return new StoreUnavailableError(table, 'forbidden', inWords(message), err);
  }
  if (['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded'].includes(name)) {
    return new StoreUnavailableError(table, 'throttled', inWords(message), err);
  }
  // No HTTP answer at all (refused, timed out, DNS) or the service failing: unreachable.
  if (status === undefined || status >= 500) {
    const code = (err as { code?: string } | undefined)?.code;
    return new StoreUnavailableError(table, 'unreachable', inWords(code && !message.includes(code) ? `${code} ${message}` : `${name} ${message}`), err);
  }
  return undefined;
}

export function errorName(err: unknown): string {
  return (err as { name?: string } | undefined)?.name ?? '';
}

interface CancellationReason {
  Code?: string;
  Item?: Record<string, unknown>;
}

function cancellationReasons(err: unknown): CancellationReason[] | undefined {
  if (errorName(err) !== 'TransactionCanceledException') return undefined;
  return (err as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
}

// ReturnValuesOnConditionCheckFailure items arrive on the exception still in DynamoDB JSON: the document client
// only translates results, not errors, so the SDK's own unmarshall does it.
function nativeItem(item: Record<string, unknown>): Item {
  const looksMarshalled = Object.values(item).every((v) => isAttributeValue(v));
  return looksMarshalled ? unmarshall(item as Record<string, AttributeValue>) : item;
}

function isAttributeValue(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && ['S', 'N', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'B', 'BS'].includes(keys[0]);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function jitter(attempt: number): number {
  return Math.random() * Math.min(1_000, 25 * 2 ** attempt);
}

// ---------------------------------------------------------------------------------------------------------------
// Building clients.

export interface DynamoClientOptions {
  region?: string;
  /** Leave unset in production: the SDK then honours AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL itself. */
  endpoint?: string;
  credentials?: DynamoDBClientConfig['credentials'];
  /** Per attempt; an unreachable table should fail a Slack interaction fast, not hang it. Default 5000. */
  timeoutMs?: number;
  /** SDK attempts including the first. Default 3. */
  maxAttempts?: number;
}

export function createDynamoClient(opts: DynamoClientOptions = {}): DynamoDBClient {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  return new DynamoDBClient({
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    maxAttempts: opts.maxAttempts ?? 3,
    requestHandler: { connectionTimeout: Math.min(timeoutMs, 3_000), requestTimeout: timeoutMs },
    logger: SDK_LOGGER,
  });
}

export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
