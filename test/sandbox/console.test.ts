// The sandbox as `npm start` runs it without Slack credentials (its own DynamoDB Local included), driven through
// the console's HTTP API the way the page drives it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CHANNELS, SANDBOX_USERS } from '../../src/sandbox/console/workspace.js';
import { DEMO } from '../../src/sandbox/ec2/index.js';
import { textOf } from '../../src/sandbox/slack/webapi.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/start.js';

const DANA = SANDBOX_USERS.requester.id;
const ALEX = SANDBOX_USERS.approver.id;
const SAM = SANDBOX_USERS.developer.id;
const DEVOPS = SANDBOX_CHANNELS.devops.id;
const APPROVALS = SANDBOX_CHANNELS.approvals.id;

interface StateMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: { type: string; elements?: { type: string; text?: { text: string }; action_id: string; value?: string }[]; block_id?: string }[] | null;
  threadTs: string | null;
  ephemeral: boolean;
  user: string | null;
  files: { index: number; name: string; title: string }[];
}
interface State {
  banner: { title: string; simulated: string[]; realWorkspace: string };
  channels: { id: string; name: string }[];
  workspace: { users: { id: string; name: string }[] };
  messages: StateMessage[];
  modal: { id: string; view: { callback_id: string; blocks: unknown[] }; errors: Record<string, string> } | null;
}

let sb: Sandbox;

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${sb.consoleUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, `${path} answered ${res.status}`).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

async function state(user: string): Promise<State> {
  return (await (await fetch(`${sb.consoleUrl}/api/state?user=${user}`)).json()) as State;
}

/** The user's open modal, once the bot has opened it (after its access check). */
async function modalOf(user: string, callbackId: string, timeoutMs = 10_000): Promise<NonNullable<State['modal']>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const modal = (await state(user)).modal;
    if (modal?.view.callback_id === callbackId) return modal;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${callbackId}; Slack so far:\n${sb.slack.dump()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const plain = (m: StateMessage) => textOf({ text: m.text, blocks: m.blocks ?? undefined });

/** Polls the page's own view of the workspace until a message matches. */
async function waitForMessage(user: string, pred: (m: StateMessage) => boolean, what: string, timeoutMs = 20_000): Promise<StateMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = (await state(user)).messages.find(pred);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; Slack so far:\n${sb.slack.dump()}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

beforeAll(async () => {
  sb = await startSandbox({ LOG_LEVEL: 'silent' }, { port: 0, quiet: true, snapshotSeconds: 1, imageSeconds: 1, handleSignals: false });
});

afterAll(async () => {
  await sb?.stop();
});

describe('the sandbox started as npm start starts it', () => {
  it('serves the bot’s /metrics on the console port, with snapbot_ series after a command', async () => {
    await post('/api/command', { user: SAM, channel: DEVOPS, text: '/snapshot schedules' });
    await new Promise((r) => setTimeout(r, 500));
    const res = await fetch(`${sb.consoleUrl}/metrics`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toMatch(/snapbot_decisions_total\{kind="command",name="snapshot.schedules",decision="allow"\} \d+/);
    expect(body).toMatch(/snapbot_ack_seconds_count \d+/);
  });

  it('answers /healthz on the console port with the bot’s own health', async () => {
    const res = await fetch(`${sb.consoleUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, mode: 'sandbox' });
    expect((await fetch(`${sb.botUrl}/healthz`)).status).toBe(200);
  });

  it('serves the page, its script, renderer and styles', async () => {
    const page = await fetch(`${sb.consoleUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('SANDBOX');
    expect(html).toContain('/console.js');
    for (const path of ['/console.js', '/blocks.js', '/styles.css']) expect((await fetch(`${sb.consoleUrl}${path}`)).status, path).toBe(200);
    expect((await fetch(`${sb.consoleUrl}/nope`)).status).toBe(404);
  });

  it('says it is a sandbox, what is simulated and how to use a real workspace', async () => {
    const s = await state(DANA);
    expect(s.banner.title).toBe('SANDBOX MODE');
    expect(s.banner.simulated.join('\n')).toMatch(/EC2[\s\S]*DynamoDB Local[\s\S]*Slack/);
    for (const step of ['manifest.yml', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']) expect(s.banner.realWorkspace).toContain(step);
    expect(s.channels.map((c) => c.name)).toEqual(['devops', 'approvals', 'cost', 'dev-team']);
    expect(s.workspace.users.map((u) => u.id)).toEqual([DANA, ALEX, SAM, SANDBOX_USERS.guest.id]);
  });

  it('points the bot at the sandbox channels and approver', () => {
    expect(sb.config.mode).toBe('sandbox');
    expect(sb.config.approvalChannel).toBe(APPROVALS);
    expect(sb.config.digestChannel).toBe(SANDBOX_CHANNELS.cost.id);
    expect(sb.config.approvers).toEqual([ALEX]);
    expect(sb.config.slack.apiUrl).toBe(sb.slack.apiUrl);
  });
});

describe('the composer', () => {
  it('sends a slash command to the bot, signed, and shows what the bot posts until it completes', async () => {
    const vol = DEMO.volumes.webRoot;
    const r = await post('/api/command', { user: DANA, channel: DEVOPS, text: `/snapshot ${vol} before the upgrade` });
    expect(r).toMatchObject({ ok: true, status: 200 });
    const echo = (await state(DANA)).messages.find((m) => m.user === DANA && m.text === `/snapshot ${vol} before the upgrade`);
    expect(echo?.channel).toBe(DEVOPS);

    const done = await waitForMessage(DANA, (m) => m.channel === DEVOPS && !m.user && plain(m).includes(vol) && /completed/.test(plain(m)), 'the completed snapshot');
    expect(plain(done)).toContain(`<@${DANA}>`);
    // The real EC2 path ran: the sandbox EC2 holds the snapshot, tagged with who asked where.
    const snapId = /snap-[0-9a-f]{17}/.exec(plain(done))![0];
    expect(sb.ec2.state.getSnapshot('us-east-1', snapId)?.tags['snapbot:requested-by']).toBe(DANA);
    // Everyone in the channel sees it.
    expect((await state(ALEX)).messages.some((m) => m.ts === done.ts)).toBe(true);
  });

  it('shows a usage error from the command’s ack as an ephemeral message only its user sees', async () => {
    await post('/api/command', { user: DANA, channel: DEVOPS, text: '/snapshot frobnicate' });
    const answer = (await state(DANA)).messages.find((m) => m.ephemeral && /unknown subcommand/.test(m.text));
    expect(answer).toBeDefined();
    expect(answer!.text).toContain('/snapshot');
    expect((await state(ALEX)).messages.some((m) => m.ts === answer!.ts)).toBe(false);
  });

  it('answers a command the app does not have as Slack does, without bothering the bot', async () => {
    const r = await post('/api/command', { user: DANA, channel: DEVOPS, text: '/frobnicate now' });
    expect(r.ok).toBe(false);
    expect((await state(DANA)).messages.some((m) => m.ephemeral && m.text.includes('`/frobnicate` is not a valid command'))).toBe(true);
  });

  it('shows what the bot answers on a command’s response_url to that user, in that channel', async () => {
    const r = await post('/api/command', { user: SAM, channel: DEVOPS, text: '/snapshot help' });
    const res = await fetch(`${sb.consoleUrl}/response/commands/${String(r.triggerId)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'answered through response_url' }),
    });
    expect(res.status).toBe(200);
    const m = (await state(SAM)).messages.find((x) => x.text === 'answered through response_url');
    expect(m).toMatchObject({ channel: DEVOPS, ephemeral: true });
    expect((await fetch(`${sb.consoleUrl}/response/commands/unknown`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('keeps plain messages as written and puts the DM with the app in reach', async () => {
    await post('/api/message', { user: SAM, channel: SAM, text: 'hello snapbot' });
    expect((await state(SAM)).messages.some((m) => m.channel === SAM && m.text === 'hello snapbot')).toBe(true);
    // Another user's DM with the app is theirs alone.
    expect((await state(DANA)).messages.some((m) => m.text === 'hello snapbot')).toBe(false);
  });
});

describe('modals', () => {
  it('opens the bot’s modal for the user who typed the command, and shows its validation errors', async () => {
    const snap = DEMO.snapshots.webRootBeforeUpgrade;
    await post('/api/command', { user: DANA, channel: DEVOPS, text: `/share ${snap}` });
    const modal = await modalOf(DANA, 'share_create');
    expect((await state(SAM)).modal).toBeNull();

    const r = await post('/api/view/submit', {
      user: DANA,
      viewId: modal!.id,
      values: { target: { value: { type: 'plain_text_input', value: '12345' } }, reason: { value: { type: 'plain_text_input', value: null } } },
    });
    expect(r.result).toBe('errors');
    const after = (await state(DANA)).modal!;
    expect(after.id).toBe(modal!.id);
    expect(after.errors.target).toMatch(/12345|account/);

    await post('/api/view/close', { user: DANA, viewId: modal!.id });
    expect((await state(DANA)).modal).toBeNull();
  });

  it('loads an external select’s options from the bot as the user types', async () => {
    await post('/api/command', { user: DANA, channel: DEVOPS, text: '/snapshot' });
    const modal = await modalOf(DANA, 'snapshot_create');
    const r = await post('/api/suggest', { user: DANA, viewId: modal.id, blockId: 'volume', actionId: 'volume_pick', value: 'web-1-data' });
    const options = r.options as { text: { text: string }; value: string }[];
    expect(options.map((o) => o.value)).toContain(DEMO.volumes.webData);

    const submitted = await post('/api/view/submit', {
      user: DANA,
      viewId: modal.id,
      values: {
        volume: { volume_pick: { type: 'external_select', selected_option: options.find((o) => o.value === DEMO.volumes.webData) } },
        description: { value: { type: 'plain_text_input', value: 'from the modal' } },
      },
    });
    expect(submitted.result).toBe('closed');
    expect((await state(DANA)).modal).toBeNull();
    await waitForMessage(DANA, (m) => m.channel === DEVOPS && plain(m).includes(DEMO.volumes.webData) && /completed/.test(plain(m)), 'the modal’s snapshot');
  });
});

describe('views.update and the App Home', () => {
  it('re-renders an open modal when the bot updates it', async () => {
    await post('/api/command', { user: DANA, channel: DEVOPS, text: `/restore ${DEMO.snapshots.webRootDaily}` });
    const opened = await modalOf(DANA, 'restore_create');
    // The restore modal opens at once and is filled in (size, minimum) once the snapshot is read.
    const deadline = Date.now() + 15_000;
    let modal = opened;
    while (!JSON.stringify(modal.view).includes('At least 20 GiB') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      modal = (await state(DANA)).modal!;
    }
    expect(modal.id).toBe(opened.id);
    expect(JSON.stringify(modal.view)).toContain('At least 20 GiB');
    await post('/api/view/close', { user: DANA, viewId: modal.id });
  });

  it('opens the App Home: the bot publishes it for that user', async () => {
    const r = await post('/api/home', { user: ALEX });
    expect(r.ok).toBe(true);
    const home = await sb.slack.waitUntil(() => sb.slack.homes.get(ALEX), 15_000, 'the published home');
    expect(JSON.stringify(home)).toContain('Waiting for an approver');
    expect(((await state(ALEX)) as unknown as { home: unknown }).home).toEqual(home);
    expect(((await state(DANA)) as unknown as { home: unknown }).home).toBeNull();
  });
});

describe('buttons', () => {
  it('posts a signed click for the user who clicked: an approver approves a public share', async () => {
    const snap = DEMO.snapshots.legacyFinal;
    await post('/api/command', { user: DANA, channel: DEVOPS, text: `/share ${snap} public --reason "needed by the auditors"` });
    const request = await waitForMessage(ALEX, (m) => m.channel === APPROVALS && plain(m).includes(snap) && (m.blocks ?? []).some((b) => b.type === 'actions'), 'the approval request');
    const actions = request.blocks!.find((b) => b.type === 'actions')!;
    const approve = actions.elements!.find((e) => e.text?.text === 'Approve')!;

    // The requester may not approve their own request: told privately, nothing changes.
    await post('/api/action', { user: DANA, channel: APPROVALS, messageTs: request.ts, blockId: actions.block_id ?? '', action: approve });
    await waitForMessage(DANA, (m) => m.ephemeral && m.channel === APPROVALS, 'the private refusal');
    expect(sb.ec2.state.getSnapshot('us-east-1', snap)?.public).toBeFalsy();

    const r = await post('/api/action', { user: ALEX, channel: APPROVALS, messageTs: request.ts, blockId: actions.block_id ?? '', action: approve });
    expect(r.ok).toBe(true);
    await waitForMessage(ALEX, (m) => m.ts === request.ts && /now public|done/i.test(plain(m)), 'the approved request');
  });
});

describe('live updates', () => {
  it('pushes a Server-Sent Event when the bot changes something', async () => {
    const controller = new AbortController();
    const res = await fetch(`${sb.consoleUrl}/api/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    // An event can arrive in more than one chunk: read until the first whole version is in.
    let first = '';
    while (!/"version":(\d+)/.test(first)) first += decoder.decode((await reader.read()).value);
    const before = Number(/"version":(\d+)/.exec(first)![1]);
    await post('/api/command', { user: SAM, channel: DEVOPS, text: '/snapshot help' });
    let next = '';
    while (!/"version":(\d+)/.test(next)) next += decoder.decode((await reader.read()).value);
    expect(Number(/"version":(\d+)/.exec(next)![1])).toBeGreaterThan(before);
    controller.abort();
  });
});

describe('Slack’s own requests on PORT', () => {
  it('passes POST /slack/events to the bot, which still checks the signature', async () => {
    const res = await fetch(`${sb.consoleUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)), 'x-slack-signature': 'v0=forged' },
      body: 'command=/snapshot&text=help',
    });
    expect(res.status).toBe(401);
  });
});
