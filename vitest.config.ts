import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'deploy/test/**/*.test.ts'],
    // One DynamoDB Local (Java) for the whole run; tests get its endpoint with inject('dynamodbEndpoint').
    globalSetup: ['test/support/global-setup.ts'],
    // DynamoDB Local and the sandbox EC2 are real servers; a slow shared machine needs room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // 2-core machine: DynamoDB Local (Java) plus bot processes; keep parallelism modest.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
