// The bot's whole AWS footprint as one CDK stack: the DynamoDB table (on-demand, TTL, point-in-time recovery), the
// container on ECS Fargate — behind an Application Load Balancer for HTTP mode, without one for Socket Mode — its
// task role from ../iam-policy.json (the same least-privilege policy a test checks against the code), the Slack
// secrets from Secrets Manager, a log group with retention, and health checks on /healthz.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

export interface SnapbotStackProps extends StackProps {
  /** 'http': Slack posts to an ALB; 'socket': the bot dials out (SLACK_APP_TOKEN), no load balancer. */
  mode: 'http' | 'socket';
  /**
   * A Secrets Manager secret (name) holding JSON keys SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and, for Socket Mode,
   * SLACK_APP_TOKEN. Create it once before deploying.
   */
  slackSecretName: string;
  /** The bot's environment (APPROVAL_CHANNEL, APPROVERS, OPERATORS, REGIONS, …); DYNAMODB_TABLE is set here. */
  environment: Record<string, string>;
  /** An image to run (e.g. an ECR URI); default: build ../Dockerfile as a CDK asset. */
  image?: string;
  /** The table's name; the IAM policy is scoped to it. */
  tableName?: string;
  /** An ACM certificate for HTTPS on the load balancer (HTTP mode); without one the listener is plain HTTP. */
  certificateArn?: string;
  logRetention?: logs.RetentionDays;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What the load balancer forwards: Slack's requests and the health check, nothing else (not /metrics). */
export const PUBLIC_PATHS = ['/slack/events', '/healthz'];

export class SnapbotStack extends Stack {
  readonly table: dynamodb.Table;
  readonly service: ecs.FargateService;

  constructor(scope: Construct, id: string, props: SnapbotStackProps) {
    super(scope, id, props);
    const tableName = props.tableName ?? 'snapbot';

    // The layout src/store/table.ts creates when it may: pk/sk, the sparse gsi1 index, TTL on expiresAt.
    this.table = new dynamodb.Table(this, 'Table', {
      tableName,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
    });

    const taskRole = new iam.Role(this, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'snapbot: the least-privilege policy of iam-policy.json',
    });
    taskRole.attachInlinePolicy(
      new iam.Policy(this, 'SnapbotPolicy', { document: iam.PolicyDocument.fromJson(policyFor(tableName, props.environment)) }),
    );

    const secret = secretsmanager.Secret.fromSecretNameV2(this, 'SlackSecret', props.slackSecretName);
    const secrets: Record<string, ecs.Secret> = {
      SLACK_BOT_TOKEN: ecs.Secret.fromSecretsManager(secret, 'SLACK_BOT_TOKEN'),
      SLACK_SIGNING_SECRET: ecs.Secret.fromSecretsManager(secret, 'SLACK_SIGNING_SECRET'),
      ...(props.mode === 'socket' ? { SLACK_APP_TOKEN: ecs.Secret.fromSecretsManager(secret, 'SLACK_APP_TOKEN') } : {}),
    };
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });

    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const task = new ecs.FargateTaskDefinition(this, 'Task', { cpu: 512, memoryLimitMiB: 1024, taskRole });
    const image = props.image
      ? ecs.ContainerImage.fromRegistry(props.image)
      : ecs.ContainerImage.fromAsset(ROOT, { exclude: ['node_modules', '**/node_modules', 'deploy', '.git', 'dist', 'test-results', '.bench-build', 'cdk.out'] });
    task.addContainer('snapbot', {
      image,
      logging: ecs.LogDriver.awsLogs({ logGroup, streamPrefix: 'snapbot' }),
      // /metrics on a port of its own, which nothing outside the task reaches (the load balancer forwards to 3000).
      environment: { ...props.environment, DYNAMODB_TABLE: tableName, PORT: '3000', METRICS_PORT: '9100', AWS_REGION: Stack.of(this).region },
      secrets,
      portMappings: [{ containerPort: 3000 }],
      healthCheck: {
        command: ['CMD-SHELL', "node -e \"fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))\""],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        startPeriod: Duration.seconds(30),
        retries: 3,
      },
      stopTimeout: Duration.seconds(30),
    });

    if (props.mode === 'http') {
      const web = new ecsPatterns.ApplicationLoadBalancedFargateService(this, 'Service', {
        cluster,
        taskDefinition: task,
        desiredCount: 1,
        publicLoadBalancer: true,
        ...(props.certificateArn
          ? { certificate: { certificateArn: props.certificateArn } as never, redirectHTTP: true }
          : {}),
      });
      web.targetGroup.configureHealthCheck({ path: '/healthz', healthyHttpCodes: '200' });
      // The internet reaches two paths: Slack's requests and the health check. Anything else is answered 404 by the
      // load balancer itself and never reaches the container.
      web.listener.addAction('SlackAndHealthOnly', {
        priority: 10,
        conditions: [elbv2.ListenerCondition.pathPatterns(PUBLIC_PATHS)],
        action: elbv2.ListenerAction.forward([web.targetGroup]),
      });
      (web.listener.node.defaultChild as elbv2.CfnListener).defaultActions = [
        { type: 'fixed-response', fixedResponseConfig: { statusCode: '404', contentType: 'text/plain', messageBody: 'not found' } },
      ];
      this.service = web.service;
      new CfnOutput(this, 'SlackRequestUrl', { value: `${props.certificateArn ? 'https' : 'http'}://${web.loadBalancer.loadBalancerDnsName}/slack/events`, description: 'Put this in manifest.yml for every url' });
    } else {
      // Socket Mode dials out: no load balancer, no inbound traffic.
      this.service = new ecs.FargateService(this, 'Service', { cluster, taskDefinition: task, desiredCount: 1, assignPublicIp: false });
    }
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
  }
}

/**
 * iam-policy.json, with its DynamoDB statement pointed at this table and its AssumeRole statement naming exactly the
 * member accounts' roles (ACCOUNTS, ASSUME_ROLE_NAME) — or no AssumeRole at all where snapbot manages one account.
 */
export function policyFor(tableName: string, environment: Record<string, string> = {}): Record<string, unknown> {
  const text = readFileSync(new URL('../../iam-policy.json', import.meta.url), 'utf8');
  const doc = JSON.parse(text.replaceAll('table/snapbot', `table/${tableName}`)) as { Statement: { Sid?: string; Resource?: unknown }[] };
  const roleName = environment.ASSUME_ROLE_NAME || 'snapbot';
  const accounts = (environment.ACCOUNTS ?? '')
    .split(',')
    .map((entry) => entry.trim().split('=').pop()!.trim())
    .filter((id) => /^\d{12}$/.test(id));
  doc.Statement = doc.Statement.flatMap((st) => {
    if (st.Sid !== 'AssumeTheMemberAccountsRole') return [st];
    return accounts.length ? [{ ...st, Resource: accounts.map((id) => `arn:aws:iam::${id}:role/${roleName}`) }] : [];
  });
  return doc as unknown as Record<string, unknown>;
}
