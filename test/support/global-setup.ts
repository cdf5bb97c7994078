// One DynamoDB Local for the whole test run; tests reach it through inject('dynamodbEndpoint').
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../src/sandbox/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Whatever a test forgets to configure, the SDK must never find real credentials (or a real endpoint for
  // DynamoDB): workers inherit this environment.
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';

  const dynamodb = await startDynamoDbLocal();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamodb.endpoint;
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  return async () => {
    await dynamodb.stop();
  };
}
