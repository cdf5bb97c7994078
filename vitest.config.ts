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
    // The AWS SDK says, once per process, that releases after early January 2027 need Node 22 (README: Node 20).
    // Tests start dozens of processes; the notice is the README's to give, not every test's. Other warnings stay.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
