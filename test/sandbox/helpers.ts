import { EC2Client } from '@aws-sdk/client-ec2';
import type { SandboxEc2 } from '../../src/sandbox/ec2/index.js';

export function ec2(sandbox: SandboxEc2, region = 'us-east-1', maxAttempts = 1): EC2Client {
  return new EC2Client({
    region,
    endpoint: sandbox.url,
    credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' },
    maxAttempts,
  });
}

/** The error a promise rejects with, so a test can assert what the caller would see. */
export async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** A clock tests move by hand. */
export function manualClock(start = Date.parse('2026-11-22T09:00:00Z')) {
  let now = start;
  return {
    now: () => new Date(now),
    advance(seconds: number) {
      now += seconds * 1000;
    },
  };
}

export const waitFast = { minDelay: 0.05, maxDelay: 0.1, maxWaitTime: 10 };
