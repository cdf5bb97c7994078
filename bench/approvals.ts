// DynamoDB requests per decided approval request, against DynamoDB Local: the store's own counters
// (store.metrics()) for create → decide → startExecution → finish, plus what a losing second click costs.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient, createDynamoClient, createStore, ensureTable, type Store, type StoreMetrics } from '../src/store/index.js';
import { APPROVER, APPROVER_2, CHANNEL, FAKE_CREDENTIALS, REQUESTER, emit, note, round } from './common.js';

const STAGES = ['create', 'decide', 'startExecution', 'finish'] as const;
type Stage = (typeof STAGES)[number] | 'losing decide';

/** Items written, by counting what each request carries: a TransactWriteItems of three puts writes three items. */
function countItems(client: DynamoDBClient): { items: number } {
  const counter = { items: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { TransactItems?: unknown[]; Item?: unknown; Key?: unknown; UpdateExpression?: string };
      if (input.TransactItems) counter.items += input.TransactItems.length;
      else if (input.Item !== undefined || input.UpdateExpression !== undefined) counter.items += 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchItemCounter' },
  );
  return counter;
}

const diff = (a: StoreMetrics, b: StoreMetrics): StoreMetrics => ({
  reads: b.reads - a.reads,
  writes: b.writes - a.writes,
  conditionalWrites: b.conditionalWrites - a.conditionalWrites,
});

export async function runApprovalsBench(o: { dynamodbEndpoint: string; requests?: number }): Promise<void> {
  const n = o.requests ?? 30;
  const client = createDynamoClient({ endpoint: o.dynamodbEndpoint, region: 'us-east-1', credentials: FAKE_CREDENTIALS });
  const counter = countItems(client);
  const doc = createDocumentClient(client);
  const table = `snapbot-bench-approvals-${Date.now().toString(36)}`;
  try {
    await ensureTable(doc, table);
    const store: Store = createStore({ client: doc, table });
    note(`approvals: ${n} requests through create → decide → startExecution → finish`);
    const totals = new Map<Stage, StoreMetrics & { items: number }>();
    const add = (stage: Stage, m: StoreMetrics, items: number) => {
      const t = totals.get(stage) ?? { reads: 0, writes: 0, conditionalWrites: 0, items: 0 };
      totals.set(stage, { reads: t.reads + m.reads, writes: t.writes + m.writes, conditionalWrites: t.conditionalWrites + m.conditionalWrites, items: t.items + items });
    };
    const step = async <T>(stage: Stage, fn: () => Promise<T>): Promise<T> => {
      const before = store.metrics();
      const items = counter.items;
      const out = await fn();
      add(stage, diff(before, store.metrics()), counter.items - items);
      return out;
    };
    for (let i = 0; i < n; i++) {
      const snapshotId = `snap-${(0xbe0000 + i).toString(16).padStart(17, '0')}`;
      const r = await step('create', () =>
        store.approvals.create({
          action: { type: 'snapshot.delete', snapshotId },
          region: 'us-east-1',
          requester: { userId: REQUESTER, channelId: CHANNEL },
          risk: { lines: ['bench'] },
          decideBy: new Date(Date.now() + 3_600_000),
        }),
      );
      await step('decide', () => store.approvals.decide(r.id, { decision: 'approved', by: APPROVER }));
      await step('losing decide', () => store.approvals.decide(r.id, { decision: 'approved', by: APPROVER_2 }).catch(() => undefined));
      const started = await step('startExecution', () => store.approvals.startExecution(r.id));
      if (!started) throw new Error(`request ${r.id} did not start`);
      const done = await step('finish', () => store.approvals.finish(r.id, { ok: true, message: 'deleted' }));
      if (done.status !== 'done') throw new Error(`request ${r.id} ended ${done.status}`);
    }

    const per = (stage: Stage) => {
      const t = totals.get(stage)!;
      return { reads: round(t.reads / n), writes: round(t.writes / n), conditional_writes: round(t.conditionalWrites / n), items_written: round(t.items / n) };
    };
    const sum = STAGES.map((s) => totals.get(s)!).reduce((a, t) => ({ reads: a.reads + t.reads, writes: a.writes + t.writes, conditionalWrites: a.conditionalWrites + t.conditionalWrites, items: a.items + t.items }), { reads: 0, writes: 0, conditionalWrites: 0, items: 0 });
    const stages = Object.fromEntries(STAGES.map((s) => [s, per(s)]));
    const common = { requests: n, path: 'create → decide → startExecution → finish (store API)' };
    emit({ name: 'approvals.store.reads_per_decided_request', value: round(sum.reads / n), unit: 'requests', stages, ...common });
    emit({ name: 'approvals.store.writes_per_decided_request', value: round(sum.writes / n), unit: 'requests', items_written: round(sum.items / n), ...common });
    // Four state changes (→ pending, → approved, → executing, → done).
    emit({ name: 'approvals.store.conditional_writes_per_state_change', value: round(sum.conditionalWrites / n / STAGES.length), unit: 'writes', ...common });
    emit({ name: 'approvals.store.losing_click', value: per('losing decide').writes, unit: 'requests', ...per('losing decide'), requests: n });
  } finally {
    client.destroy();
  }
}
