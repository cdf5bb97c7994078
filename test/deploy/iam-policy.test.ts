// iam-policy.json must grant every AWS action the code calls, and nothing the code never calls.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const policy = JSON.parse(readFileSync('iam-policy.json', 'utf8')) as { Statement: { Action: string | string[] }[] };
const granted = new Set(policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));

function commandsUsedIn(dir: string): string[] {
  const names = new Set<string>();
  for (const f of readdirSync(dir)) {
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
  it('grants every EC2 action src/aws calls', () => {
    const missing = commandsUsedIn('src/aws').map((c) => `ec2:${c}`).filter((a) => !granted.has(a));
    expect(missing).toEqual([]);
  });

  it('grants no EC2 action src/aws never calls', () => {
    const used = new Set(commandsUsedIn('src/aws').map((c) => `ec2:${c}`));
    expect([...granted].filter((a) => a.startsWith('ec2:') && !used.has(a))).toEqual([]);
  });

  it('grants every DynamoDB action src/store calls', () => {
    const actions = commandsUsedIn('src/store').map((c) => `dynamodb:${DOCUMENT_CLIENT[c] ?? c}`);
    expect(actions.filter((a) => !granted.has(a))).toEqual([]);
  });
});
