// The bounded loopback load test as figures: approval-gated commands and racing approval clicks against the real
// bot (in a process of its own, as in the ack benchmark), with the sandbox EC2 and a fake Slack Web API in this
// process and DynamoDB Local in its JVM.
import { startSandboxEc2 } from '../src/sandbox/ec2/index.js';
import { SlackSender } from '../src/sandbox/slack/requests.js';
import { FakeSlack } from '../src/sandbox/slack/webapi.js';
import type { StoreMetrics } from '../src/store/index.js';
import { APPROVAL_CHANNEL, APPROVER, APPROVER_2, BOT_TOKEN, CHANNEL, REQUESTER, SECRET, emit, forkChild, nextMessage, note, percentile, round, stopChild } from './common.js';
import { addPlainSnapshots, runLoadScenario } from './load-scenario.js';

const REGION = 'us-east-1';

export async function runLoadBench(o: { dynamodbEndpoint: string; approvalCommands?: number; listCommands?: number; concurrency?: number }): Promise<void> {
  const approvalCommands = o.approvalCommands ?? 200;
  const listCommands = o.listCommands ?? 100;
  const concurrency = o.concurrency ?? 25;
  const slack = await new FakeSlack().start();
  const ec2 = await startSandboxEc2({ seed: 'none' });
  const ids = addPlainSnapshots(ec2, approvalCommands, 'load');
  const warmupIds = addPlainSnapshots(ec2, 6, 'warm-up');
  const child = forkChild(
    './server.ts',
    {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL_EC2: ec2.url,
      AWS_ENDPOINT_URL_DYNAMODB: o.dynamodbEndpoint,
      DYNAMODB_TABLE: `snapbot-bench-load-${Date.now().toString(36)}`,
      APPROVAL_CHANNEL,
      APPROVERS: `${APPROVER},${APPROVER_2}`,
      SHARE_ALLOWED_ACCOUNTS: '111122223333',
      // One requester sends every changing command at once: a load to measure, not a loop to stop.
      BURST_LIMIT: '0',
      LOG_LEVEL: 'silent',
    },
    ['bot'],
  );
  const metrics = async (): Promise<StoreMetrics> => {
    child.send({ type: 'metrics' });
    const m = await nextMessage(child, (x): x is { type: 'metrics'; metrics: StoreMetrics } => (x as { type?: string })?.type === 'metrics', 10_000, 'store metrics');
    return m.metrics;
  };
  try {
    const { port } = await nextMessage(child, (x): x is { type: 'ready'; port: number } => (x as { type?: string })?.type === 'ready', 120_000, 'starting the bot');
    const half = Math.floor(approvalCommands / 2);
    const scenario = {
      sender: new SlackSender(`http://127.0.0.1:${port}/slack/events`, SECRET, `${slack.url}/response/`),
      slack,
      ec2,
      requester: REQUESTER,
      approvers: [APPROVER, APPROVER_2] as [string, string],
      channel: CHANNEL,
      approvalChannel: APPROVAL_CHANNEL,
      shareAccount: '999988887777',
      clicksPerApprover: 2,
      concurrency,
      deadlineMs: 240_000,
    };
    // The first requests load the SDKs' lazily required modules: warm up on a few that are not counted.
    note('load: warming up');
    await runLoadScenario({ ...scenario, deleteSnapshotIds: warmupIds.slice(0, 3), shareSnapshotIds: warmupIds.slice(3), listCommands: 3 });
    note(`load: ${approvalCommands} approval-gated commands + ${listCommands} lists, 2 approvers × 2 clicks each, concurrency ${concurrency}`);
    const r = await runLoadScenario({
      ...scenario,
      deleteSnapshotIds: ids.slice(0, half),
      shareSnapshotIds: ids.slice(half),
      listCommands,
      storeMetrics: metrics,
    });
    const errors = Object.entries(r.statuses).reduce((a, [k, v]) => a + (k === '200' ? 0 : v), 0);
    const common = { commands: r.commands, clicks: r.clicks, concurrency };
    emit({ name: 'load.http_requests', value: r.httpRequests, unit: 'requests', statuses: r.statuses, ...common });
    emit({ name: 'load.ack.p50', value: round(percentile(r.latenciesMs, 50)), unit: 'ms', ...common });
    emit({ name: 'load.ack.p99', value: round(percentile(r.latenciesMs, 99)), unit: 'ms', ...common });
    emit({ name: 'load.errors', value: errors, unit: 'requests', ...common });
    emit({ name: 'load.throughput', value: round((r.httpRequests / r.httpWallMs) * 1000, 1), unit: 'req/s', wall_s: round(r.httpWallMs / 1000), ...common });
    emit({
      name: 'load.actions_done',
      value: r.actionsDone,
      unit: 'actions',
      expected: approvalCommands,
      per_s: round((r.actionsDone / r.endToEndMs) * 1000, 1),
      end_to_end_s: round(r.endToEndMs / 1000),
      ...common,
    });
    emit({ name: 'load.lost_actions', value: r.lost.length, unit: 'actions', ...common });
    emit({ name: 'load.duplicated_actions', value: r.duplicated.length, unit: 'actions', mutating_ec2_calls: r.mutatingCalls, approved_requests: r.approvalRequests, ...common });
    emit({ name: 'load.list_replies', value: r.listReplies, unit: 'messages', expected: listCommands, ...common });
    if (r.store) {
      // Everything the bot asked DynamoDB during the run (list commands touch nothing there), per decided request.
      emit({
        name: 'approvals.bot.reads_per_decided_request',
        value: round(r.store.reads / approvalCommands),
        unit: 'requests',
        path: 'command → request posted → 4 racing clicks → action → outcome (bot, end to end)',
      });
      emit({
        name: 'approvals.bot.writes_per_decided_request',
        value: round(r.store.writes / approvalCommands),
        unit: 'requests',
        conditional: round(r.store.conditionalWrites / approvalCommands),
        path: 'command → request posted → 4 racing clicks → action → outcome (bot, end to end)',
      });
    }
  } finally {
    await stopChild(child);
    await ec2.stop();
    await slack.stop();
  }
}
