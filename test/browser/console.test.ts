// The sandbox console in a real browser: Debian's Chromium driven by playwright-core, against the whole sandbox
// (the real bot, the sandbox EC2, DynamoDB Local). What a newcomer does on day one, click by click.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SANDBOX_CHANNELS, SANDBOX_USERS } from '../../src/sandbox/console/workspace.js';
import { DEMO } from '../../src/sandbox/ec2/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/start.js';
import { uniqueTableName } from '../support/dynamodb.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  console.warn(`SKIPPED test/browser/console.test.ts: no Chromium at ${CHROMIUM}. Install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH.`);
}

// Screenshots land in test-results/ on every run; SNAPBOT_UPDATE_SCREENSHOTS=1 refreshes the README's in docs/.
const SHOTS = fileURLToPath(new URL(process.env.SNAPBOT_UPDATE_SCREENSHOTS === '1' ? '../../docs/' : '../../test-results/', import.meta.url));
const DANA = SANDBOX_USERS.requester.id;
const ALEX = SANDBOX_USERS.approver.id;
const { devops: DEVOPS, approvals: APPROVALS, cost: COST } = SANDBOX_CHANNELS;
const STEP_MS = 30_000;

let sb: Sandbox;
let browser: Browser;
let page: Page;

async function type(text: string): Promise<void> {
  const composer = page.locator('#composer-input');
  await composer.fill(text);
  await composer.press('Enter');
}

function message(hasText: string | RegExp): Locator {
  return page.locator('#messages > .message', { hasText }).last();
}

async function openChannel(id: string): Promise<void> {
  await page.locator(`[data-nav-channel="${id}"]`).click();
  await page.locator('#channel-header').filter({ hasText: id === DANA || id === ALEX ? 'snapbot' : '#' }).waitFor();
}

async function beUser(id: string): Promise<void> {
  await page.locator('#user-switcher').selectOption(id);
  await page.waitForFunction((user) => new URLSearchParams(location.search).get('user') === user, id);
}

describe.skipIf(!HAVE_CHROMIUM)('the sandbox console in Chromium', () => {
  beforeAll(async () => {
    sb = await startSandbox(
      { LOG_LEVEL: 'silent', DYNAMODB_TABLE: uniqueTableName('snapbot-console') },
      { port: 0, quiet: true, snapshotSeconds: 1, imageSeconds: 1, dynamodbEndpoint: inject('dynamodbEndpoint'), handleSignals: false },
    );
    // launch() runs Chromium on a new, empty, temporary profile of its own.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    await page.goto(`${sb.consoleUrl}/?user=${DANA}&channel=${DEVOPS.id}`);
    await page.locator('#nav .nav-item').first().waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await sb?.stop();
  });

  it('shows the sandbox banner, the channels and who you are', async () => {
    await expect(page.locator('#banner').innerText()).resolves.toContain('SANDBOX MODE');
    await expect(page.locator('#nav').innerText()).resolves.toMatch(/devops[\s\S]*approvals[\s\S]*cost[\s\S]*snapbot/);
    await expect(page.locator('#user-switcher option:checked').innerText()).resolves.toBe('Dana (operator, requester)');
  });

  it('runs /snapshot vol-… and follows the same message until the snapshot is completed', async () => {
    const vol = DEMO.volumes.webRoot;
    await type(`/snapshot ${vol} from the browser`);
    const progress = message(new RegExp(`Snapshot of ${vol}`));
    await progress.waitFor();
    const ts = await progress.getAttribute('data-ts');
    // chat.update reached the page over Server-Sent Events: the same message now says completed.
    await page.locator(`#messages > .message[data-ts="${ts}"]`, { hasText: 'completed' }).waitFor();
    await expect(page.locator(`#messages > .message[data-ts="${ts}"]`).innerText()).resolves.toMatch(/snap-[0-9a-f]{17}/);
  });

  it('asks for a public share as the requester; the approver approves it in #approvals', async () => {
    const snap = DEMO.snapshots.webRootBeforeUpgrade;
    await type(`/share ${snap} public --reason "the vendor's support team needs it"`);
    await message(/approver/i).waitFor();
    await screenshot('console-devops.png');

    await beUser(ALEX);
    await openChannel(APPROVALS.id);
    const request = message(snap);
    await request.locator('button.bk-btn', { hasText: 'Approve' }).click();
    // Making something public is confirmed in Slack's own "are you sure?" dialog before the click counts.
    const confirm = page.locator('.modal.confirm');
    await expect(confirm.innerText()).resolves.toContain('Make it public?');
    await confirm.locator('[data-answer="yes"]').click();
    const decided = page.locator('#messages > .message', { hasText: snap }).filter({ hasText: /now public|done/i });
    await decided.waitFor();
    expect(sb.ec2.state.getSnapshot(DEMO.region, snap)?.public).toBe(true);
    // The outcome is also told in the request's thread.
    const replies = decided.locator('.thread-summary');
    if (await replies.count()) {
      await replies.click();
      await decided.locator('.thread .message').first().waitFor();
    }
    await screenshot('console.png');
  });

  it('refuses a change to a non-operator and to a guest, privately, saying why', async () => {
    await beUser(SANDBOX_USERS.developer.id);
    await openChannel(DEVOPS.id);
    await type(`/snapshot ${DEMO.volumes.webData} as a developer`);
    const refusal = message(/Only snapbot's operators can change AWS/);
    await refusal.waitFor();
    await expect(refusal.innerText()).resolves.toContain('Only visible to you');
    // Read-only commands still work for them.
    await type('/snapshot list');
    await message(/snapshots? in this account/).waitFor();

    await beUser(SANDBOX_USERS.guest.id);
    await openChannel(DEVOPS.id);
    await type(`/snapshot ${DEMO.volumes.webData} as a guest`);
    await message(/Guests can't change AWS/).waitFor();
    await screenshot('console-refusal.png');
    expect(sb.ec2.calls.some((c) => c.action === 'CreateSnapshot' && c.params.VolumeId === DEMO.volumes.webData)).toBe(false);
  });

  it('asks before rebooting a running instance for an AMI, and creates nothing until the click', async () => {
    await beUser(DANA);
    await openChannel(DEVOPS.id);
    const before = sb.ec2.calls.filter((c) => c.action === 'CreateImage').length;
    await type(`/ami create ${DEMO.instances.web1} web-1-from-browser`);
    const question = message(/is running/);
    await question.waitFor();
    await expect(question.innerText()).resolves.toContain('Nothing was created yet');
    expect(sb.ec2.calls.filter((c) => c.action === 'CreateImage').length).toBe(before);
    await screenshot('console-reboot-question.png');
    await question.locator('button.bk-btn', { hasText: 'Create without reboot' }).click();
    await page.locator('#messages > .message', { hasText: 'web-1-from-browser' }).filter({ hasText: /available|ami-[0-9a-f]{17}/ }).first().waitFor();
    const create = sb.ec2.calls.filter((c) => c.action === 'CreateImage').slice(before);
    expect(create).toHaveLength(1);
    expect(create[0].params.NoReboot).toBe('true');
  });

  it('reaches the DM with the app, where a usage error shows privately, marked as only visible to you', async () => {
    await beUser(ALEX);
    await openChannel(ALEX);
    await type('/snapshot frobnicate');
    const answer = message(/unknown subcommand/);
    await answer.waitFor();
    await expect(answer.innerText()).resolves.toContain('Only visible to you');
  });

  it('posts the cost digest with dollar figures, and its CSV in the thread', async () => {
    await beUser(DANA);
    await openChannel(COST.id);
    await type('/snapshot digest');
    const digest = message(/Cost-cleanup digest/);
    await digest.waitFor();
    await expect(digest.innerText()).resolves.toMatch(/\$\d/);

    await digest.locator('.thread-summary').click();
    const file = digest.locator('.file-card');
    await file.waitFor();
    await file.locator('.file-view').click();
    await expect(page.locator('.file-modal table.csv').innerText()).resolves.toMatch(/snap-[0-9a-f]{17}/);
    await page.locator('.file-modal .file-close').first().click();
  });

  it('shows a modal’s validation errors next to the field, from Slack’s own check and from the bot', async () => {
    await openChannel(DEVOPS.id);
    await type(`/share ${DEMO.snapshots.legacyFinal}`);
    const modal = page.locator('.modal[data-view-id]');
    await modal.waitFor();
    await expect(modal.locator('.modal-head').innerText()).resolves.toContain('Share');

    await modal.locator('.modal-submit').click();
    await expect(modal.locator('[data-block-id="target"] .bk-error').innerText()).resolves.toBe('Please fill out this field.');

    await modal.locator('[data-block-id="target"] input').fill('12345');
    await modal.locator('.modal-submit').click();
    await modal.locator('[data-block-id="target"].has-error .bk-error', { hasText: /12345|account/ }).waitFor();

    await modal.locator('.modal-cancel').click();
    await modal.waitFor({ state: 'detached' });
  });

  it('picks a volume in the /snapshot modal from options the bot loads as you type', async () => {
    await type('/snapshot');
    const modal = page.locator('.modal[data-view-id]');
    await modal.waitFor();
    await modal.locator('.ext-input').fill('web-1-data');
    await modal.locator('.ext-option', { hasText: DEMO.volumes.webData }).click();
    await modal.locator('[data-block-id="description"] input').fill('picked in the modal');
    await screenshot('console-modal.png');
    await modal.locator('.modal-submit').click();
    await modal.waitFor({ state: 'detached' });
    await page.locator('#messages > .message', { hasText: `Snapshot of ${DEMO.volumes.webData}` }).filter({ hasText: 'completed' }).waitFor();
  });

  it('schedules daily backups of a volume in the form, and sees the policy listed', async () => {
    await openChannel(DEVOPS.id);
    await type('/snapshot schedule');
    const modal = page.locator('.modal[data-view-id]');
    await modal.waitFor();
    await expect(modal.locator('.modal-head').innerText()).resolves.toContain('Schedule backups');
    await modal.locator('[data-block-id="target"] input').fill(DEMO.volumes.web2Root);
    await modal.locator('[data-block-id="name"] input').fill('web-2-daily');
    await screenshot('console-schedule.png');
    await modal.locator('.modal-submit').click();
    await modal.waitFor({ state: 'detached' });
    const created = message(/scheduled backups of/);
    await created.waitFor();
    await expect(created.innerText()).resolves.toMatch(/daily at 09:00 UTC[\s\S]*next run between/);
    const policy = [...sb.ec2.state.region(DEMO.region).dlmPolicies.values()].find((p) => p.tags['snapbot:schedule-name'] === 'web-2-daily');
    expect(policy?.state).toBe('ENABLED');
    expect(sb.ec2.state.getVolume(DEMO.region, DEMO.volumes.web2Root)?.tags['snapbot:schedule:web-2-daily']).toBe('true');

    await type('/snapshot schedules');
    const list = message(/Backup schedules in us-east-1/);
    await list.waitFor();
    await expect(list.innerText()).resolves.toMatch(new RegExp(`web-2-daily[\\s\\S]*${policy!.id}[\\s\\S]*running`));
  });

  it('undeletes a deleted snapshot from the Recycle Bin', async () => {
    const snap = DEMO.snapshots.legacyFinal;
    await type(`/snapshot delete ${snap} --reason "decommissioned last year"`);
    await message(/approver/i).waitFor();

    await beUser(ALEX);
    await openChannel(APPROVALS.id);
    const request = message(snap);
    await expect(request.innerText()).resolves.toMatch(/Recoverable from the Recycle Bin until/);
    await request.locator('button.bk-btn', { hasText: 'Approve' }).click();
    await page.locator('.modal.confirm [data-answer="yes"]').click();
    await page.locator('#messages > .message', { hasText: snap }).filter({ hasText: `${snap} deleted.` }).waitFor();
    expect(sb.ec2.state.getSnapshot(DEMO.region, snap)).toBeUndefined();

    await beUser(DANA);
    await openChannel(DEVOPS.id);
    await type('/snapshot recycle-bin');
    const bin = message(/Recycle Bin in us-east-1 holds/);
    await bin.waitFor();
    await expect(bin.innerText()).resolves.toContain(snap);
    await type(`/snapshot undelete ${snap}`);
    await message(new RegExp(`restored snapshot ${snap} from the Recycle Bin`)).waitFor();
    expect(sb.ec2.state.getSnapshot(DEMO.region, snap)).toBeDefined();
  });
});

/** For the README: docs/console.png is the one it shows. */
async function screenshot(name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}${name}` });
}
