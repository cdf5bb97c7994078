import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ensureTable } from '../../src/store/index.js';
import { testDynamoClient, uniqueTableName } from '../support/dynamodb.js';

describe('ensureTable', () => {
  it('creates an on-demand table with the gsi1 index and TTL on expiresAt, and is idempotent', async () => {
    const client = testDynamoClient();
    const table = uniqueTableName();
    await ensureTable(client, table);
    await ensureTable(client, table);
    // Several replicas starting at once.
    await Promise.all([ensureTable(client, table), ensureTable(client, table)]);

    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.KeySchema?.map((k) => k.AttributeName)).toEqual(['pk', 'sk']);
    expect(Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema?.map((k) => k.AttributeName)])).toEqual([
      ['gsi1', ['gsi1pk', 'gsi1sk']],
    ]);
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: table }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('creates the table once when replicas race for a new one', async () => {
    const table = uniqueTableName();
    await Promise.all([ensureTable(testDynamoClient(), table), ensureTable(testDynamoClient(), table), ensureTable(testDynamoClient(), table)]);
    const { Table } = await testDynamoClient().send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.TableStatus).toBe('ACTIVE');
  });
});
