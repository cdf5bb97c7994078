// DynamoDB for tests: the one DynamoDB Local the global setup started, fake credentials, and a fresh table per
// test so tests never see each other's items.
import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createDocumentClient, createDynamoClient, createStore, ensureTable, type Store } from '../../src/store/index.js';

export const FAKE_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export function dynamoEndpoint(): string {
  return inject('dynamodbEndpoint');
}

export function testDynamoClient(opts: { endpoint?: string; timeoutMs?: number; maxAttempts?: number } = {}): DynamoDBClient {
  return createDynamoClient({
    endpoint: opts.endpoint ?? dynamoEndpoint(),
    region: 'us-east-1',
    credentials: FAKE_CREDENTIALS,
    timeoutMs: opts.timeoutMs ?? 10_000,
    maxAttempts: opts.maxAttempts ?? 3,
  });
}

export function testDocumentClient(opts?: Parameters<typeof testDynamoClient>[0]): DynamoDBDocumentClient {
  return createDocumentClient(testDynamoClient(opts));
}

export function uniqueTableName(prefix = 'snapbot-test'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** A new, empty table made by the store's own ensureTable, and a store on it. */
export async function freshTable(opts: { now?: () => Date; table?: string } = {}): Promise<Store> {
  const client = testDocumentClient();
  const table = opts.table ?? uniqueTableName();
  await ensureTable(client, table);
  return createStore({ client, table, now: opts.now });
}
