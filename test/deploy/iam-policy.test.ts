// iam-policy.json must grant every AWS action the code calls, and nothing the code never calls.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const policy = JSON.parse(readFileSync('iam-policy.json', 'utf8')) as { Statement: { Action: string | string[] }[] };
const granted = new Set(policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));

/** src/aws/<file or folder> → the IAM prefix of the service it calls. */
const SERVICE_OF_FILE: Record<string, string> = {
  ec2: 'ec2',
  'dlm.ts': 'dlm',
  'recycle-bin.ts': 'rbin',
  'ebs.ts': 'ebs',
  'auto-scaling.ts': 'autoscaling',
  'cloudtrail.ts': 'cloudtrail',
  'service-quotas.ts': 'servicequotas',
};

/** Every `service:Action` the gateways call (STS's GetCallerIdentity needs no permission: IAM cannot deny it). */
function awsActions(): string[] {
  return Object.entries(SERVICE_OF_FILE).flatMap(([file, prefix]) =>
    (file.endsWith('.ts') ? commandsUsedIn('src/aws', file) : commandsUsedIn(join('src/aws', file))).map((c) => `${prefix}:${c}`),
  );
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
    expect([...granted].filter((a) => /^(ec2|dlm|rbin|ebs|autoscaling|cloudtrail|servicequotas):/.test(a) && !used.has(a))).toEqual([]);
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

// The e2e test (test/e2e/accounts.test.ts) checks that the code assumes arn:aws:iam::<id>:role/<ASSUME_ROLE_NAME> with the external ID.
describe('iam/member-role.json (the role snapbot assumes in each account of ACCOUNTS)', () => {
  const template = JSON.parse(readFileSync('iam/member-role.json', 'utf8')) as {
    Parameters: Record<string, unknown>;
    Resources: { SnapbotMemberRole: { Type: string; Properties: { RoleName: unknown; AssumeRolePolicyDocument: { Statement: Record<string, unknown>[] }; Policies: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } }[] } } };
  };
  const role = template.Resources.SnapbotMemberRole;
  const statements = role.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement);
  const memberGranted = new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));

  it('grants exactly the EC2, DLM, Recycle Bin and EBS actions src/aws calls, and nothing of DynamoDB (the table is in snapbot\'s own account)', () => {
    const used = new Set(awsActions());
    expect([...used].filter((a) => !memberGranted.has(a))).toEqual([]);
    expect([...memberGranted].filter((a) => /^(ec2|dlm|rbin|ebs|autoscaling|cloudtrail|servicequotas):/.test(a) && !used.has(a))).toEqual([]);
    expect([...memberGranted].filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
  });

  it('trusts only snapbot\'s own role, and only with the external ID', () => {
    expect(role.Type).toBe('AWS::IAM::Role');
    const [trust, ...others] = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(others).toEqual([]);
    expect(trust).toMatchObject({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: { Ref: 'SnapbotRoleArn' } } });
    expect(trust.Condition).toEqual({ StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } });
    expect(Object.keys(template.Parameters).sort()).toEqual(['ExternalId', 'RoleName', 'SnapbotRoleArn']);
  });

  it("is named as ASSUME_ROLE_NAME defaults, and snapbot's own policy may assume it", () => {
    expect(role.Properties.RoleName).toEqual({ Ref: 'RoleName' });
    expect((template.Parameters.RoleName as { Default: string }).Default).toBe('snapbot');
    const assume = policy.Statement.filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes('sts:AssumeRole')) as unknown as { Resource: string }[];
    // Named roles in named accounts, never every account's (the CDK writes them from ACCOUNTS).
    expect(assume.flatMap((s) => s.Resource)).not.toContain('arn:aws:iam::*:role/snapbot');
    for (const arn of assume.flatMap((s) => s.Resource)) expect(arn).toMatch(/^arn:aws:iam::\d{12}:role\/snapbot$/);
  });
});
