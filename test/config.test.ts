import { describe, expect, it } from 'vitest';
import { ConfigError, EnvSchema, detectMode, loadConfig } from '../src/config.js';

const PROD = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', APPROVAL_CHANNEL: 'C0123ABCD', APPROVERS: 'U0123ABCD,S0456EFGH' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

describe('config', () => {
  it('defaults follow the contract', () => {
    const c = loadConfig(PROD);
    expect(c).toMatchObject({
      mode: 'production',
      port: 3000,
      awsRegion: 'us-east-1',
      regions: ['us-east-1'],
      dynamodbTable: 'snapbot',
      digestChannel: 'C0123ABCD',
      approvalTtlHours: 24,
      staleAfterDays: 90,
      digestSchedule: '0 9 * * *',
      timezone: 'UTC',
      prices: { snapshotGbMonth: 0.05, archiveGbMonth: 0.0125 },
      endpoints: {},
    });
  });

  it('neither Slack variable means the sandbox, which needs no channels', () => {
    expect(detectMode({})).toBe('sandbox');
    expect(loadConfig({}).mode).toBe('sandbox');
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxb' }, 'SLACK_SIGNING_SECRET is missing'],
    [{ SLACK_SIGNING_SECRET: 's' }, 'SLACK_BOT_TOKEN is missing'],
  ])('exactly one Slack variable is an error naming the other (%o)', (env, message) => {
    expect(() => detectMode(env)).toThrow(message);
  });

  it.each([
    ['PORT', 'eighty', /PORT="eighty" is not valid: a TCP port/],
    ['REGIONS', 'us-east-1,mars-1', /REGIONS=.*"mars-1" is not one/],
    ['APPROVERS', 'U0123ABCD,bob', /APPROVERS=.*"bob" is not one/],
    ['APPROVAL_CHANNEL', '#approvals', /APPROVAL_CHANNEL="#approvals" is not valid: a Slack channel ID/],
    ['SHARE_ALLOWED_ACCOUNTS', '1234', /"1234" is not one/],
    ['APPROVAL_TTL_HOURS', '-1', /APPROVAL_TTL_HOURS="-1"/],
    ['STALE_AFTER_DAYS', '1.5', /STALE_AFTER_DAYS="1.5"/],
    ['DIGEST_SCHEDULE', 'every morning', /DIGEST_SCHEDULE="every morning" is not valid: a cron expression/],
    ['TZ', 'Mars/Olympus', /TZ="Mars\/Olympus"/],
    ['SNAPSHOT_PRICE_GB_MONTH', 'cheap', /SNAPSHOT_PRICE_GB_MONTH="cheap"/],
    ['AWS_ENDPOINT_URL_EC2', 'localhost:4566', /AWS_ENDPOINT_URL_EC2="localhost:4566" is not valid: an http\(s\) URL/],
    ['OPERATORS', 'U0123ABCD,@dana', /OPERATORS=.*"@dana" is not one/],
    ['COMMAND_CHANNELS', 'C0123ABCD,#ops', /COMMAND_CHANNELS=.*"#ops" is not one/],
    ['LAUNCH_INSTANCE_TYPES', 't3.*,large', /LAUNCH_INSTANCE_TYPES=.*"large" is not one/],
    ['BURST_LIMIT', '-3', /BURST_LIMIT="-3" is not valid: a whole number/],
    ['AWS_REGION', 'Frankfurt', /AWS_REGION="Frankfurt" is not valid: an AWS region name/],
    ['AWS_ENDPOINT_URL_DLM', 'dlm', /AWS_ENDPOINT_URL_DLM="dlm" is not valid: an http\(s\) URL/],
    ['AWS_ENDPOINT_URL_EBS', 'ftp://x', /AWS_ENDPOINT_URL_EBS="ftp:\/\/x" is not valid/],
    ['DLM_ROLE_NAME', 'my role', /DLM_ROLE_NAME="my role" is not valid: an IAM role name/],
    ['DYNAMODB_TABLE', 'ab', /DYNAMODB_TABLE="ab" is not valid: a DynamoDB table name/],
    ['DIGEST_CHANNEL', 'cost', /DIGEST_CHANNEL="cost" is not valid/],
    ['KEEP_PER_VOLUME', '0', /KEEP_PER_VOLUME="0" is not valid: a whole number of snapshots, 1–1000/],
    ['PROGRESS_POLL_SECONDS', '0', /PROGRESS_POLL_SECONDS="0"/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL="loud" is not valid: one of fatal/],
    ['SLACK_API_URL', 'slack', /SLACK_API_URL="slack" is not valid/],
  ])('%s=%s is refused with the variable, the value and what is allowed', (name, value, message) => {
    const p = problems({ ...PROD, [name]: value });
    expect(p.join('\n')).toMatch(message);
  });

  it('reports every bad variable at once, not just the first', () => {
    const p = problems({ ...PROD, PORT: 'x', TZ: 'Nowhere/Land', BURST_LIMIT: 'many' });
    expect(p).toHaveLength(3);
  });

  it('is one schema: every variable of the contract has an entry', () => {
    for (const name of ['SLACK_APP_TOKEN', 'DLM_ROLE_NAME', 'KEEP_PER_VOLUME', 'BURST_LIMIT', 'AWS_ENDPOINT_URL_STS', 'LAUNCH_INSTANCE_TYPES']) {
      expect(Object.keys(EnvSchema.shape)).toContain(name);
    }
  });

  it('production needs APPROVAL_CHANNEL and APPROVERS', () => {
    const p = problems({ SLACK_BOT_TOKEN: 'x', SLACK_SIGNING_SECRET: 'y' });
    expect(p.join('\n')).toMatch(/APPROVAL_CHANNEL is missing/);
    expect(p.join('\n')).toMatch(/APPROVERS is missing/);
  });

  it('SLACK_APP_TOKEN turns Socket Mode on; a malformed one, or one without a real workspace, is refused', () => {
    expect(loadConfig({ ...PROD, SLACK_APP_TOKEN: 'xapp-1-A0-123-abc' }).slack.appToken).toBe('xapp-1-A0-123-abc');
    expect(loadConfig(PROD).slack.appToken).toBeUndefined();
    expect(() => loadConfig({ ...PROD, SLACK_APP_TOKEN: 'xoxb-wrong' })).toThrow(/SLACK_APP_TOKEN="xoxb-…" is not valid: an app-level token starting with xapp-/);
    expect(() => loadConfig({ SLACK_APP_TOKEN: 'xapp-1-A0-123-abc' }, 'sandbox')).toThrow(/Socket Mode needs a real workspace/);
  });

  it('endpoints are passed on only when set, AWS_ENDPOINT_URL_EC2 over AWS_ENDPOINT_URL', () => {
    expect(loadConfig({ ...PROD, AWS_ENDPOINT_URL: 'http://localhost:4566' }).endpoints).toEqual({
      ec2: 'http://localhost:4566',
      dynamodb: 'http://localhost:4566',
      dlm: 'http://localhost:4566',
      rbin: 'http://localhost:4566',
      sts: 'http://localhost:4566',
      ebs: 'http://localhost:4566',
      cloudtrail: 'http://localhost:4566',
      autoScaling: 'http://localhost:4566',
      serviceQuotas: 'http://localhost:4566',
    });
    expect(loadConfig(PROD).endpoints).toEqual({});
    expect(loadConfig({ ...PROD, AWS_ENDPOINT_URL_DLM: 'http://dlm:1' }).endpoints).toEqual({ dlm: 'http://dlm:1' });
    expect(loadConfig({ ...PROD, AWS_ENDPOINT_URL: 'http://a:1', AWS_ENDPOINT_URL_EC2: 'http://b:2' }).endpoints.ec2).toBe('http://b:2');
  });

  it('the access settings follow the contract: everyone operates, anywhere, t3/t3a/t4g launch at once, 20 per 10 min', () => {
    expect(loadConfig(PROD).access).toEqual({ operators: undefined, commandChannels: undefined, launchInstanceTypes: ['t3.*', 't3a.*', 't4g.*'], burstLimit: 20 });
    const c = loadConfig({ ...PROD, OPERATORS: 'U0A, S0B,U0A', COMMAND_CHANNELS: 'C0OPS', LAUNCH_INSTANCE_TYPES: 'T3.micro,m7g.*', BURST_LIMIT: '0' });
    expect(c.access).toEqual({ operators: ['U0A', 'S0B'], commandChannels: ['C0OPS'], launchInstanceTypes: ['t3.micro', 'm7g.*'], burstLimit: 0 });
  });

  it('REGIONS is deduplicated and DIGEST_CHANNEL overrides', () => {
    const c = loadConfig({ ...PROD, REGIONS: 'eu-west-1, us-east-1,eu-west-1', DIGEST_CHANNEL: 'C0COST' });
    expect(c.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(c.digestChannel).toBe('C0COST');
  });
});
