import { describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../src/sandbox/dynamodb-local.js';

describe('startDynamoDbLocal', () => {
  it('says Java is needed when there is no java on PATH', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(startDynamoDbLocal()).rejects.toThrow('DynamoDB Local needs Java 17+ on PATH');
    } finally {
      process.env.PATH = path;
    }
  });
});
