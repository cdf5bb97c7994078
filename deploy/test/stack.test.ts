// The CDK stack, synthesised offline with aws-cdk-lib/assertions: what a platform team would check before deploying.
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SnapbotStack, policyFor } from '../lib/snapbot-stack.js';

const synth = (mode: 'http' | 'socket', extra: Partial<ConstructorParameters<typeof SnapbotStack>[2]> = {}) =>
  Template.fromStack(
    new SnapbotStack(new App(), `Snapbot-${mode}`, {
      mode,
      slackSecretName: 'snapbot/slack',
      environment: { APPROVAL_CHANNEL: 'C0APPROVALS', APPROVERS: 'U0APPROVER' },
      image: 'public.ecr.aws/example/snapbot:1.0.0',
      env: { account: '123456789012', region: 'eu-west-1' },
      ...extra,
    }),
  );

describe('the snapbot stack', () => {
  const http = synth('http');

  it('has the one table the bot expects: pk/sk, gsi1, on-demand, TTL on expiresAt, point-in-time recovery, kept on delete', () => {
    http.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        TableName: 'snapbot',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'gsi1' })],
      }),
    });
  });

  it('gives the task exactly iam-policy.json, scoped to its table', () => {
    const policies = http.findResources('AWS::IAM::Policy');
    const doc = Object.values(policies).find((p) => JSON.stringify(p).includes('ec2:CreateSnapshot'))!;
    const statements = (doc.Properties as { PolicyDocument: { Statement: { Sid: string }[] } }).PolicyDocument.Statement;
    expect(statements.map((s) => s.Sid)).toEqual((policyFor('snapbot').Statement as { Sid: string }[]).map((s) => s.Sid));
    // One account: nothing to assume. Several: exactly their roles.
    expect(statements.map((s) => s.Sid)).not.toContain('AssumeTheMemberAccountsRole');
    const multi = policyFor('snapbot', { ACCOUNTS: 'dev=222233334444,555566667777', ASSUME_ROLE_NAME: 'snapbot-member' }).Statement as { Sid: string; Resource: unknown }[];
    expect(multi.find((s) => s.Sid === 'AssumeTheMemberAccountsRole')?.Resource).toEqual([
      'arn:aws:iam::222233334444:role/snapbot-member',
      'arn:aws:iam::555566667777:role/snapbot-member',
    ]);
    expect(JSON.stringify(policyFor('other-table'))).toContain('table/other-table');
    expect(JSON.stringify(policyFor('other-table'))).not.toContain('table/snapbot"');
  });

  it('runs the container on Fargate with the Slack secrets from Secrets Manager and a health check', () => {
    http.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      ContainerDefinitions: [
        Match.objectLike({
          Image: 'public.ecr.aws/example/snapbot:1.0.0',
          Environment: Match.arrayWith([
            { Name: 'APPROVAL_CHANNEL', Value: 'C0APPROVALS' },
            { Name: 'DYNAMODB_TABLE', Value: 'snapbot' },
          ]),
          Secrets: Match.arrayWith([Match.objectLike({ Name: 'SLACK_BOT_TOKEN' }), Match.objectLike({ Name: 'SLACK_SIGNING_SECRET' })]),
          HealthCheck: Match.objectLike({ Command: Match.arrayWith([Match.stringLikeRegexp('/healthz')]) }),
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
        }),
      ],
    });
    http.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('HTTP mode: an Application Load Balancer checks /healthz and forwards Slack to the service', () => {
    http.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    http.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/healthz', Matcher: { HttpCode: '200' } });
    http.hasOutput('SlackRequestUrl', {});
  });

  it('HTTP mode: the load balancer forwards only /slack/events and /healthz; /metrics is on a port it never reaches', () => {
    http.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/slack/events', '/healthz'] } }],
      Actions: [Match.objectLike({ Type: 'forward' })],
    });
    http.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      DefaultActions: [Match.objectLike({ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '404' }) })],
    });
    http.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: 'METRICS_PORT', Value: '9100' }]) })],
    });
  });

  it('Socket Mode: no load balancer, and the app token among the secrets', () => {
    const socket = synth('socket');
    socket.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    socket.resourceCountIs('AWS::ECS::Service', 1);
    socket.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Secrets: Match.arrayWith([Match.objectLike({ Name: 'SLACK_APP_TOKEN' })]) })],
    });
  });
});
