// How snapbot configures the AWS SDK clients it makes: quiet, without the per-call log copy (src/aws/sdk-logger.ts).
import { describe, expect, it } from 'vitest';
import { Ec2Gateway } from '../../src/aws/ec2/index.js';
import { createDynamoClient } from '../../src/store/index.js';

describe('AWS SDK clients', () => {
  it('get a logger without info, so the SDK does not copy every response for a log line nobody writes', async () => {
    const ec2 = new Ec2Gateway({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const dynamo = createDynamoClient({ region: 'eu-west-1' });
    try {
      for (const logger of [ec2.client('eu-west-1').config.logger, dynamo.config.logger]) {
        expect(logger.info).toBeUndefined();
        expect(typeof logger.error).toBe('function');
      }
    } finally {
      ec2.destroy();
      dynamo.destroy();
    }
  });
});
