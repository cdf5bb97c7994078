// The table's schema and its creation. One table for everything snapbot remembers; see keys.ts for what lives in it.
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { asUnavailable, errorName } from './dynamo.js';
import { StoreError } from './errors.js';

export const GSI1 = 'gsi1';
const TTL_ATTRIBUTE = 'expiresAt';

export interface EnsureTableOptions {
  /** Longest wait for the table to become ACTIVE, in seconds. Default 120. */
  maxWaitSeconds?: number;
}

/**
 * Creates the table when it is missing (on-demand, pk/sk, sparse GSI gsi1 on gsi1pk/gsi1sk, TTL on expiresAt)
 * and waits until it is ACTIVE. Safe to call on every start and from several replicas at once.
 */
export async function ensureTable(
  client: DynamoDBClient | DynamoDBDocumentClient,
  tableName: string,
  opts: EnsureTableOptions = {},
): Promise<void> {
  // The document client shares the base client's configuration and middleware, so base commands go through it too.
  const base = client as DynamoDBClient;
  try {
    let table = await describe(base, tableName);
    if (!table) {
      try {
        await base.send(
          new CreateTableCommand({
            TableName: tableName,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [
              { AttributeName: 'pk', AttributeType: 'S' },
              { AttributeName: 'sk', AttributeType: 'S' },
              { AttributeName: 'gsi1pk', AttributeType: 'S' },
              { AttributeName: 'gsi1sk', AttributeType: 'S' },
            ],
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'sk', KeyType: 'RANGE' },
            ],
            GlobalSecondaryIndexes: [
              {
                IndexName: GSI1,
                KeySchema: [
                  { AttributeName: 'gsi1pk', KeyType: 'HASH' },
                  { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: 'ALL' },
              },
            ],
          }),
        );
      } catch (err) {
        // Another replica created it between our DescribeTable and CreateTable.
        if (errorName(err) !== 'ResourceInUseException') throw err;
      }
    }
    if (table?.TableStatus !== 'ACTIVE') {
      const waited = await waitUntilTableExists(
        { client: base, maxWaitTime: opts.maxWaitSeconds ?? 120, minDelay: 1, maxDelay: 5 },
        { TableName: tableName },
      );
      if (waited.state !== 'SUCCESS') {
        throw new StoreError(`DynamoDB table ${tableName} did not become ACTIVE within ${opts.maxWaitSeconds ?? 120} s (${waited.state}).`);
      }
      table = await describe(base, tableName);
    }
    const hasIndex = table?.GlobalSecondaryIndexes?.some((i) => i.IndexName === GSI1);
    if (!hasIndex) {
      throw new StoreError(
        `DynamoDB table ${tableName} exists but has no index ${GSI1} (gsi1pk/gsi1sk); it was not created by snapbot. ` +
          'Point DYNAMODB_TABLE at a new table name and snapbot will create it.',
      );
    }
    await ensureTimeToLive(base, tableName);
  } catch (err) {
    throw asUnavailable(err, tableName) ?? err;
  }
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

async function ensureTimeToLive(client: DynamoDBClient, tableName: string): Promise<void> {
  const ttl = (await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }))).TimeToLiveDescription;
  const status = ttl?.TimeToLiveStatus;
  if ((status === 'ENABLED' || status === 'ENABLING') && ttl?.AttributeName === TTL_ATTRIBUTE) return;
  if ((status === 'ENABLED' || status === 'ENABLING') && ttl?.AttributeName) {
    throw new StoreError(
      `DynamoDB table ${tableName} expires items on attribute ${ttl.AttributeName}; snapbot needs TTL on ${TTL_ATTRIBUTE}.`,
    );
  }
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
  } catch (err) {
    // A concurrent replica enabled it first ("TimeToLive is already enabled"), or it is still being changed.
    if (errorName(err) === 'ValidationException' && /already enabled|being|in progress/i.test(String((err as Error).message))) return;
    throw err;
  }
}
