import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLabels } from '../eval/index.js';
import { runCli } from '../ingest/test-support/cli-runner.js';
import { createKey, startServe, type ServeProcess } from './test-support/serve-process.js';

/**
 * The workbench in a real browser against `serve` on a store built from the smoke scenario:
 * an analyst signs in, opens the top cluster from the queue with the keyboard, follows an
 * evidence item to its exchanges, dismisses the cluster, and the gateway's decisions and the
 * audit log follow. Screenshots of each page go to a temporary directory (kept when
 * DISTILLGUARD_KEEP_SCREENSHOTS is set); DISTILLGUARD_UPDATE_DOC_IMAGES=1 also refreshes the
 * two in docs/images.
 */
const CHROMIUM = {
  executablePath: process.env.DISTILLGUARD_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-unsafe-swiftshader'],
};
const browserMissing = !existsSync(CHROMIUM.executablePath);
if (browserMissing) console.warn(`workbench browser tests skipped: no Chromium at ${CHROMIUM.executablePath} (on Debian: apt-get install -y chromium; or set DISTILLGUARD_CHROMIUM)`);

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCENARIO = join(ROOT, 'scenarios', 'smoke.yaml');
const DOC_IMAGES = join(ROOT, 'docs', 'images');

let browser: Browser;
let server: ServeProcess;
let dir: string;
let db: string;
const keys: Record<'analyst' | 'admin' | 'decide', string> = { analyst: '', admin: '', decide: '' };

beforeAll(async () => {
  if (browserMissing) return;
  // `npm test` builds first; a direct run of this file builds the pages it needs.
  if (!existsSync(join(ROOT, 'dist', 'web', 'index.html'))) execFileSync('npm', ['run', 'build:web'], { cwd: ROOT, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'workbench-'));
  const out = join(dir, 'sim');
  db = join(dir, 'store.duckdb');
  const simulated = await runCli(['simulate', '--scenario', SCENARIO, '--seed', '1', '--out', out]);
  expect(simulated.code, simulated.stderr).toBe(0);
  const ingested = await runCli(['ingest', join(out, 'exchanges.jsonl.gz'), '--accounts', join(out, 'accounts.jsonl'), '--db', db, '--no-progress']);
  expect(ingested.code, ingested.stderr).toBe(0);
  keys.analyst = (await runCli(['keys', 'create', '--role', 'analyst', '--name', 'Ana Lyst', '--db', db])).stdout.trim();
  keys.admin = await createKey(db, 'admin');
  keys.decide = await createKey(db, 'decide');
  server = await startServe(['--db', db, '--relink-interval', '1h']);
  browser = await chromium.launch(CHROMIUM);
});

afterAll(async () => {
  await browser?.close();
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  if (dir === undefined) return;
  if (process.env.DISTILLGUARD_KEEP_SCREENSHOTS) console.log(`workbench screenshots kept in ${join(dir, 'screenshots')}`);
  else rmSync(dir, { recursive: true, force: true });
});

async function openContext(width = 1360): Promise<{ context: BrowserContext; page: Page; foreign: string[]; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const foreign: string[] = [];
  const problems: string[] = [];
  // Nothing but the server itself may be reached: no CDN, no fonts, no telemetry.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(server.url)) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return { context, page, foreign, problems };
}

async function shoot(page: Page, name: string, docName?: string): Promise<void> {
  const folder = join(dir, 'screenshots');
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  if (docName !== undefined && process.env.DISTILLGUARD_UPDATE_DOC_IMAGES === '1') {
    mkdirSync(DOC_IMAGES, { recursive: true });
    copyFileSync(path, join(DOC_IMAGES, docName));
  }
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.goto(`${server.url}/ui/`);
  await page.getByLabel('Analyst or admin API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe.skipIf(browserMissing)('the analyst workbench in a browser', () => {
  it('takes an analyst from the queue to a cluster, its evidence and exchanges, to a dismissal that decisions and the audit log follow', async () => {
    const { context, page, foreign, problems } = await openContext();
    await signIn(page, keys.analyst);
    expect(page.url()).not.toContain(keys.analyst);
    await expect.poll(() => page.locator('table[aria-label="queue"] tbody tr').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.evaluate<string>('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })')).not.toContain('dg_live_');
    const cookies = await context.cookies();
    expect(cookies).toEqual([expect.objectContaining({ name: 'dg_session', httpOnly: true, sameSite: 'Strict' })]);
    expect(cookies[0]!.expires).toBeGreaterThan(Date.now() / 1000);
    await expect.poll(() => page.locator('.precision').count()).toBe(1);
    await shoot(page, '1-queue', 'workbench-queue.png');

    // Keyboard: the first row is selected; Enter opens it.
    const topCluster = (await page.locator('table[aria-label="queue"] tbody tr').first().locator('td').nth(1).locator('a').innerText()).replace(/ updated$/, '').trim();
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/ui/clusters/${topCluster}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText(), { timeout: 30_000 }).toContain(`Cluster ${topCluster}`);
    await expect.poll(() => page.locator('.why').innerText()).toMatch(/^flagged: score/);
    await expect.poll(() => page.locator('table[aria-label="members"] tbody tr').count()).toBeGreaterThan(1);
    await expect.poll(() => page.locator('.pending').count(), { timeout: 30_000 }).toBe(0);
    await page.waitForTimeout(500);
    await shoot(page, '2-cluster', 'workbench-cluster.png');
    // The harness's frames, read from the stored text, each with what filled its slots.
    const templates = page.locator('ul.templates > li');
    expect(await templates.count()).toBeGreaterThan(0);
    // A long frame keeps its first and last words; what varies is a slot (<*>) or its middle (…).
    expect(await templates.first().locator('pre').innerText()).toMatch(/<\*>|…/);
    expect(await page.locator('ul.fills li').count()).toBeGreaterThan(1);
    await page.locator('ul.templates').scrollIntoViewIfNeeded();
    await shoot(page, '2b-cluster-templates', 'workbench-templates.png');

    // From a member to the exchanges behind its strongest evidence item.
    const clusterPath = new URL(page.url()).pathname;
    await page.locator('table[aria-label="members"] tbody tr').first().locator('a').click();
    await page.waitForURL('**/ui/accounts/**');
    await expect.poll(() => page.locator('a.evidence-link').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    // An item whose exchanges can be picked out (an elicitation ask) rather than one about the account as a whole.
    const specific = page.locator('a.evidence-link', { hasText: 'elicitation ask' });
    const evidenceLink = (await specific.count()) > 0 ? specific.first() : page.locator('a.evidence-link').first();
    await evidenceLink.click();
    await page.waitForURL(/signal=/);
    await expect.poll(() => page.locator('#exchanges .hint').innerText(), { timeout: 30_000 }).toMatch(/^Behind .*elicitation ask/);
    await page.waitForTimeout(1500);
    await shoot(page, '3-account-exchanges');
    await expect.poll(() => page.locator('table[aria-label="exchanges"] tbody tr').count(), { timeout: 30_000 }).toBeGreaterThan(0);

    // The dismissal.
    await page.goto(`${server.url}${clusterPath}`);
    await page.getByLabel('Note for the verdict').fill('a research lab we know');
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => page.getByRole('status').innerText(), { timeout: 30_000 }).toBe('Recorded: dismissed');
    const cluster = (await (await fetch(`${server.url}/v1/clusters/${topCluster}`, { headers: { authorization: `Bearer ${keys.analyst}` } })).json()) as { cluster: { accounts: string[] } };
    for (const accountId of cluster.cluster.accounts) {
      const response = await fetch(`${server.url}/v1/decide`, { method: 'POST', headers: { authorization: `Bearer ${keys.decide}`, 'content-type': 'application/json' }, body: JSON.stringify({ account_id: accountId }) });
      expect(((await response.json()) as { action: string }).action, accountId).toBe('allow');
    }

    // A write without the CSRF token, from the signed-in page itself, is refused.
    const forged = await page.evaluate(async (id) => {
      const response = await fetch('/v1/workbench/verdicts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ target: 'cluster', id, verdict: 'confirmed' }) });
      return { status: response.status, body: await response.text() };
    }, topCluster);
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('CSRF');

    await page.getByRole('link', { name: 'Audit log' }).click();
    const row = page.locator('table[aria-label="audit log"] tbody tr').first();
    await expect.poll(() => row.innerText(), { timeout: 30_000 }).toContain(`cluster ${topCluster}`);
    expect(await row.innerText()).toMatch(/Ana Lyst[\s\S]*verdict[\s\S]*dismissed[\s\S]*a research lab we know/);
    await shoot(page, '4-audit');
    const audit = (await (await fetch(`${server.url}/v1/audit`, { headers: { authorization: `Bearer ${keys.admin}` } })).json()) as { entries: { action: string; id: string; value: string; actor: { name: string } }[] };
    expect(audit.entries).toContainEqual(expect.objectContaining({ action: 'verdict', id: topCluster, value: 'dismissed', actor: expect.objectContaining({ name: 'Ana Lyst' }) }));

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByLabel('Analyst or admin API key').count()).toBe(1);
    expect(await page.evaluate(async () => (await fetch('/v1/workbench/session')).status)).toBe(401);
    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a cluster as the engine holds it while its traffic is still being read from the store', async () => {
    const { context, page, problems } = await openContext();
    await signIn(page, keys.analyst);
    await expect.poll(() => page.locator('table[aria-label="queue"] tbody tr').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const topCluster = (await page.locator('table[aria-label="queue"] tbody tr').first().locator('td').nth(1).locator('a').innerText()).replace(/ updated$/, '').trim();
    // The store's part is held back until the engine's part has been seen on the page.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/v1/workbench/clusters/*/traffic', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${server.url}/ui/clusters/${encodeURIComponent(topCluster)}`);
    await expect.poll(() => page.locator('.why').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.locator('.why').innerText()).toMatch(/^flagged: score/);
    expect(await page.locator('table[aria-label="members"] tbody tr').count()).toBeGreaterThan(1);
    expect(await page.locator('ol.evidence > li').count()).toBeGreaterThan(0);
    expect(await page.locator('.pending').count()).toBeGreaterThan(0);
    expect(await page.locator('ul.fills li').count()).toBe(0);
    release();
    await expect.poll(() => page.locator('.pending').count(), { timeout: 30_000 }).toBe(0);
    expect(await page.locator('ul.fills li').count()).toBeGreaterThan(1);
    expect(await page.locator('ul.links li').count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('is readable at 800 px: the page never scrolls sideways', async () => {
    const { context, page } = await openContext(800);
    await signIn(page, keys.analyst);
    await expect.poll(() => page.locator('table[aria-label="queue"] tbody tr').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(800);
    await shoot(page, '5-queue-800px');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('table[aria-label="members"] tbody tr').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(800);
    await shoot(page, '6-cluster-800px');
    await context.close();
  });

  it('backtests a candidate policy beside the one in force and shows what each would have done', async () => {
    const { context, page, foreign, problems } = await openContext();
    await signIn(page, keys.analyst);
    await page.getByRole('link', { name: 'Backtest' }).click();
    await page.getByLabel(/Candidate policy/).fill('version: 1\nbands:\n  - { min_score: 0.05, action: block }\n');
    await page.getByRole('button', { name: 'Run backtest' }).click();
    const table = page.locator('table[aria-label="accounts and exchanges per action"]');
    await expect.poll(() => table.count(), { timeout: 180_000, interval: 500 }).toBe(1);
    const text = await table.innerText();
    expect(text).toMatch(/Candidate[\s\S]*In force/);
    // A block-almost-everything candidate blocks more accounts than the policy in force.
    const blocked = [...(/block\s+([\d,]+) accounts\s+[\d,]+ exchanges\s+([\d,]+) accounts/.exec(text) ?? [])].slice(1).map((n) => Number(n.replaceAll(',', '')));
    expect(blocked).toHaveLength(2);
    expect(blocked[0]).toBeGreaterThan(blocked[1]!);
    await expect.poll(() => page.locator('table[aria-label="changed accounts"] tbody tr').count()).toBeGreaterThan(0);
    await shoot(page, '7-backtest', 'workbench-backtest.png');
    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('refuses a decide key with a page that says why', async () => {
    const { context, page } = await openContext();
    await signIn(page, keys.decide);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText(), { timeout: 30_000 }).toBe('Access refused');
    expect(await page.getByRole('alert').innerText()).toMatch(/analyst and admin keys; the key \w+ has the role decide/);
    expect(await context.cookies()).toEqual([]);
    await shoot(page, '7-refused');
    await context.close();
  });

  it("exports the analysts' verdicts as labels eval reads, once the server has stopped", async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const out = join(dir, 'verdicts.jsonl');
    const exported = await runCli(['labels', 'export', '--db', db, '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    const labels = parseLabels(readFileSync(out, 'utf8'), out);
    expect(labels.length).toBeGreaterThan(1);
    expect(labels.every((label) => label.label === 'benign' && label.persona === 'analyst_verdict')).toBe(true);
  });
});
