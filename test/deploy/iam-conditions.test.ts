// Stolen credentials can do no more than the code does: every action that changes or destroys something is either
// bounded by a condition, or listed here with the reason the code needs it unbounded. And what AWS Backup or Data
// Lifecycle Manager manage can never be deleted through these policies, whatever snapbot asks.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

const own = (JSON.parse(readFileSync('iam-policy.json', 'utf8')) as { Statement: Statement[] }).Statement;
const memberTemplate = JSON.parse(readFileSync('iam/member-role.json', 'utf8')) as {
  Resources: Record<string, { Type: string; Properties: { Policies: { PolicyDocument: { Statement: Statement[] } }[] } }>;
};
const member = Object.values(memberTemplate.Resources)
  .filter((r) => r.Type === 'AWS::IAM::Role')
  .flatMap((r) => r.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement));

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const READ = /^[a-z0-9-]+:(Describe|Get|List|LookupEvents)/;

/** Changing actions the code needs on any resource, with no condition that could narrow them, and why. */
const UNCONDITIONED: Record<string, string> = {
  'ec2:CreateSnapshot': 'snapshots of any volume a person asks for',
  'ec2:CreateSnapshots': 'crash-consistent snapshots of any instance a person asks for',
  'ec2:CreateImage': 'AMIs of any instance a person asks for',
  'ec2:RegisterImage': 'an AMI from any snapshot a person asks for',
  'ec2:CopySnapshot': 'copies and encrypted copies of any snapshot',
  'ec2:CopyImage': 'copies of any AMI',
  'ec2:CreateVolume': 'restores of any snapshot',
  'ec2:RunInstances': 'launches from any AMI (the policy decides which types need approval)',
  'ec2:AttachVolume': 'restored volumes, and the encrypt swap putting the user\'s untagged old volume back when a step fails',
  'ec2:DetachVolume': 'the encrypt swap detaches the user\'s own, untagged volume',
  'ec2:DeleteSnapshot': 'approved deletions; the Deny statements keep AWS Backup\'s and DLM\'s snapshots out of reach',
  'ec2:DeregisterImage': 'approved deregistrations; the Deny statements keep AWS Backup\'s and DLM\'s AMIs out of reach',
  'ec2:ModifySnapshotAttribute': 'sharing after approval, and Make private',
  'ec2:ModifyImageAttribute': 'sharing after approval, and Make private',
  'ec2:DisableFastSnapshotRestores': 'the digest\'s button for fast restores left on',
  'ec2:LockSnapshot': 'governance locks at once, compliance locks after approval',
  'ec2:UnlockSnapshot': 'approved unlocks',
  'ec2:ModifySnapshotTier': '/snapshot archive',
  'ec2:RestoreSnapshotTier': '/snapshot unarchive',
  'ec2:EnableImageDeregistrationProtection': '/ami protect',
  'ec2:DisableImageDeregistrationProtection': 'approved /ami unprotect',
  'ec2:RestoreSnapshotFromRecycleBin': '/snapshot undelete',
  'ec2:RestoreImageFromRecycleBin': '/ami undelete',
  'dlm:CreateLifecyclePolicy': 'backup schedules',
  'dlm:UpdateLifecyclePolicy': 'pause and resume',
  'dlm:DeleteLifecyclePolicy': 'approved removals',
};

describe.each([
  ['iam-policy.json', own],
  ['iam/member-role.json', member],
])('%s', (_, statements) => {
  it('bounds every changing action with a condition or a named resource, or says why the code needs it unbounded', () => {
    const unbounded = statements
      .filter((s) => s.Effect === 'Allow' && !s.Condition && (s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*'))))
      .flatMap(actionsOf)
      .filter((a) => !READ.test(a) && !Object.hasOwn(UNCONDITIONED, a));
    expect(unbounded).toEqual([]);
  });

  it('lets ModifyInstanceAttribute change only the block device mapping (delete-on-termination)', () => {
    const allows = statements.filter((s) => s.Effect === 'Allow' && actionsOf(s).includes('ec2:ModifyInstanceAttribute'));
    expect(allows.length).toBeGreaterThan(0);
    for (const s of allows) expect(s.Condition?.StringEquals?.['ec2:Attribute']).toBe('BlockDeviceMapping');
  });

  it.each(['aws:ResourceTag/aws:backup:source-resource', 'aws:ResourceTag/aws:dlm:lifecycle-policy-id'])(
    'denies deleting or deregistering what carries %s',
    (tag) => {
      const deny = statements.find((s) => s.Effect === 'Deny' && s.Condition?.Null?.[tag] === 'false');
      expect(deny && actionsOf(deny).sort()).toEqual(['ec2:DeleteSnapshot', 'ec2:DeregisterImage']);
      expect(deny?.Resource).toBe('*');
    },
  );

  it('lets KMS grants go only to AWS resources, through EC2', () => {
    const grants = statements.filter((s) => s.Effect === 'Allow' && actionsOf(s).includes('kms:CreateGrant'));
    expect(grants.length).toBeGreaterThan(0);
    for (const s of grants) {
      expect(s.Condition?.Bool?.['kms:GrantIsForAWSResource']).toBe('true');
      expect(s.Condition?.StringLike?.['kms:ViaService']).toBe('ec2.*.amazonaws.com');
    }
  });
});
