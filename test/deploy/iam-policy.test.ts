// iam-policy.json must grant every AWS action the code calls, and nothing the code never calls.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const policy = JSON.parse(readFileSync('iam-policy.json', 'utf8')) as { Statement: { Action: string | string[] }[] };
const granted = new Set(policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));

/** src/aws/<file> → the IAM prefix of the service it calls. */
const SERVICE_OF_FILE: Record<string, string> = { 'ec2.ts': 'ec2', 'dlm.ts': 'dlm', 'rbin.ts': 'rbin', 'ebs.ts': 'ebs' };

/** Every `service:Action` the gateways call (STS's GetCallerIdentity needs no permission: IAM cannot deny it). */
function awsActions(): string[] {
  return Object.entries(SERVICE_OF_FILE).flatMap(([file, prefix]) => commandsUsedIn('src/aws', file).map((c) => `${prefix}:${c}`));
}

function commandsUsedIn(dir: string, only?: string): string[] {
  const names = new Set<string>();
  for (const f of readdirSync(dir)) {
    if (only && f !== only) continue;
    const src = readFileSync(join(dir, f), 'utf8');
    for (const m of src.matchAll(/new ([A-Z][A-Za-z]+)Command\(/g)) names.add(m[1]);
    for (const m of src.matchAll(/paginate([A-Z][A-Za-z]+)\(/g)) names.add(m[1]);
  }
  return [...names];
}

const DOCUMENT_CLIENT: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  BatchGet: 'BatchGetItem',
  TransactWrite: 'ConditionCheckItem',
};

describe('iam-policy.json', () => {
  it('grants every EC2, DLM, Recycle Bin and EBS direct API action src/aws calls', () => {
    expect(awsActions().filter((a) => !granted.has(a))).toEqual([]);
  });

  it('grants no EC2, DLM, Recycle Bin or EBS action src/aws never calls', () => {
    const used = new Set(awsActions());
    expect([...granted].filter((a) => /^(ec2|dlm|rbin|ebs):/.test(a) && !used.has(a))).toEqual([]);
  });

  it("passes only the schedules' execution role, and only to Data Lifecycle Manager", () => {
    const pass = policy.Statement.filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes('iam:PassRole')) as unknown as {
      Resource: string;
      Condition: Record<string, Record<string, string>>;
    }[];
    expect(pass).toHaveLength(1);
    expect(pass[0].Resource).toBe('arn:aws:iam::*:role/AWSDataLifecycleManagerDefaultRole');
    expect(pass[0].Condition.StringEquals['iam:PassedToService']).toBe('dlm.amazonaws.com');
  });

  it('grants every DynamoDB action src/store calls', () => {
    const actions = commandsUsedIn('src/store').map((c) => `dynamodb:${DOCUMENT_CLIENT[c] ?? c}`);
    expect(actions.filter((a) => !granted.has(a))).toEqual([]);
  });
});
