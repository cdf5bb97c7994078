import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createStore, ensureTable, StoreUnavailableError } from '../../src/store/index.js';
import { freshTable, testDocumentClient, uniqueTableName } from '../support/dynamodb.js';
import { deletion } from './fixtures.js';

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

describe('when DynamoDB is unavailable', () => {
  it('rejects with StoreUnavailableError naming the table, instead of hanging', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const store = createStore({ client: testDocumentClient({ endpoint, timeoutMs: 500, maxAttempts: 1 }), table: 'snapbot' });
    const failures = await Promise.all([
      store.ping().catch((e: unknown) => e),
      store.approvals.create(deletion()).catch((e: unknown) => e),
      store.approvals.decide('01ABC', { decision: 'approved', by: 'U0ALICE' }).catch((e: unknown) => e),
      store.leases.acquire('digest', 'run', 'me', 60).catch((e: unknown) => e),
      ensureTable(testDocumentClient({ endpoint, timeoutMs: 500, maxAttempts: 1 }), 'snapbot').catch((e: unknown) => e),
    ]);
    for (const err of failures) {
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect((err as Error).message).toMatch(/^The approvals database \(DynamoDB table snapbot\) is unreachable: /);
    }
  });

  it('says so when the table does not exist', async () => {
    const store = createStore({ client: testDocumentClient(), table: uniqueTableName('missing') });
    await expect(store.ping()).rejects.toThrow(/does not exist/);
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('pings a healthy table', async () => {
    const store = await freshTable();
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
