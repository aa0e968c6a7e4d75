import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Findings } from '../model/findings.js';
import { renderReportHtml } from './report-renderer.js';
import { buildSyntheticFindings } from './test-support/synthetic-findings.js';

/**
 * Opens rendered reports in a real browser from file:// URLs, as an analyst would, and checks
 * that they request nothing, raise no errors, and that clusters, charts and the accounts table
 * work. Screenshots go to a temporary directory (kept when DISTILLGUARD_KEEP_SCREENSHOTS is set).
 */
const CHROMIUM = {
  executablePath: process.env.DISTILLGUARD_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
};
// Without a browser these tests are skipped with one line saying what to install, rather than
// failing on a launch error; CI installs Chromium, so there they always run.
const browserMissing = !existsSync(CHROMIUM.executablePath);
if (browserMissing) {
  console.warn(`HTML report browser tests skipped: no Chromium at ${CHROMIUM.executablePath} (on Debian: apt-get install -y chromium; or set DISTILLGUARD_CHROMIUM)`);
}
const INJECTION = '</pre><script>alert("template")</script><img src=x onerror=alert("img")>';

interface OpenedReport {
  page: Page;
  requests: string[];
  problems: string[];
}

let browser: Browser;
let directory: string | undefined;

beforeAll(async () => {
  if (browserMissing) return;
  directory = mkdtempSync(join(tmpdir(), 'distillguard-report-'));
  browser = await chromium.launch(CHROMIUM);
});

afterAll(async () => {
  await browser?.close();
  if (directory === undefined) return;
  if (process.env.DISTILLGUARD_KEEP_SCREENSHOTS) console.log(`report screenshots kept in ${directory}`);
  else rmSync(directory, { recursive: true, force: true });
});

async function openReport(findings: Findings, name: string): Promise<OpenedReport & { loadSeconds: number }> {
  const path = join(directory!, `${name}.html`);
  writeFileSync(path, renderReportHtml(findings));
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  // Anything but the report file itself is recorded and refused, so a leak cannot even reach the network.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === pathToFileURL(path).href) return route.continue();
    requests.push(url);
    return route.abort();
  });
  page.on('request', (request) => {
    if (request.url() !== pathToFileURL(path).href) requests.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  const started = performance.now();
  await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  return { page, requests, problems, loadSeconds: (performance.now() - started) / 1000 };
}

describe.skipIf(browserMissing)('HTML report in a browser', () => {
  const { findings } = buildSyntheticFindings({ accounts: 20_000, clusters: 150, seed: 11 });
  const ranked = [...findings.clusters].sort((a, b) => b.score - a.score);
  ranked[0]!.templates[0]!.text = `Solve <*> then ${INJECTION}`;
  let opened: OpenedReport;

  beforeAll(async () => {
    opened = await openReport(findings, 'report');
  });

  it('shows the clusters in score order', async () => {
    const { page } = opened;
    const ids = await page.locator('#cluster-table .cluster-link').allTextContents();
    const scores = (await page.locator('#cluster-table tbody .score-value').allTextContents()).map(Number);
    expect(ids).toHaveLength(findings.clusters.length);
    expect(ids[0]).toBe(ranked[0]!.cluster_id);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    await page.locator('#clusters-flagged-only').check();
    expect(await page.locator('#cluster-table tbody tr:visible').count()).toBe(findings.clusters.filter((cluster) => cluster.flagged).length);
    await page.locator('#clusters-flagged-only').uncheck();
  });

  it('opens a cluster with its evidence, charts and escaped template text', async () => {
    const { page } = opened;
    const top = ranked[0]!;
    await expect(page.locator('#c-0').isVisible()).resolves.toBe(false);
    await page.locator('#cluster-table tbody tr').first().locator('td').nth(4).click();
    const detail = page.locator('#c-0');
    await detail.waitFor({ state: 'visible' });
    expect(await detail.locator('.evidence-item').count()).toBe(top.evidence.length);
    expect(await detail.locator('.evidence-detail').allTextContents()).toEqual([...top.evidence].sort((a, b) => b.weight - a.weight).map((item) => item.detail));
    expect(await detail.locator('svg.capability-chart rect.chart-bar').count()).toBe(Object.keys(top.capabilities).length);
    const timeline = detail.locator('svg.timeline-chart');
    expect(Number(await timeline.getAttribute('data-points'))).toBeGreaterThan(100);
    expect((await timeline.locator('path.chart-area').getAttribute('d'))!.length).toBeGreaterThan(500);
    expect((await timeline.boundingBox())!.width).toBeGreaterThan(300);
    expect(await detail.locator('pre.template-text').first().textContent()).toContain(INJECTION);
    expect(await detail.locator('pre.template-text img, pre.template-text script').count()).toBe(0);

    const box = (await timeline.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
    await expect(page.locator('.tooltip').textContent()).resolves.toMatch(/^2026-02-\d\d \d\d:00 UTC · [\d,]+ exchanges$/);
    await page.screenshot({ path: join(directory!, 'cluster-detail.png') });
  });

  it('finds an account by id, by cluster and by evidence text', async () => {
    const { page } = opened;
    const search = page.locator('#account-search');
    const status = page.locator('#accounts-status');
    const quiet = findings.accounts[Math.floor(findings.accounts.length / 2)]!;
    await search.fill(quiet.account_id);
    await expect.poll(() => status.textContent()).toMatch(/of 1 matching/);
    expect(await page.locator('#accounts-body tr td').first().textContent()).toBe(quiet.account_id);

    const cluster = ranked.find((candidate) => candidate.accounts.length > 60)!;
    await search.fill(cluster.cluster_id);
    await expect.poll(() => status.textContent()).toContain(`of ${cluster.accounts.length.toLocaleString('en-US')} matching`);
    const clusterCells = await page.locator('#accounts-body tr td:nth-child(4)').allTextContents();
    expect(clusterCells.length).toBe(50);
    expect(new Set(clusterCells)).toEqual(new Set([cluster.cluster_id]));

    await search.fill('rubric');
    const expected = findings.accounts.filter((account) => [...account.evidence].sort((a, b) => b.weight - a.weight).slice(0, 3).some((item) => /rubric/i.test(item.detail + item.signal))).length;
    await expect.poll(() => status.textContent()).toContain(`of ${expected.toLocaleString('en-US')} matching`);

    await search.fill('');
    await page.locator('#accounts-flagged-only').check();
    const flagged = findings.accounts.filter((account) => account.flagged).length;
    await expect.poll(() => status.textContent()).toContain(`of ${flagged.toLocaleString('en-US')} matching`);
    await page.locator('#accounts-flagged-only').uncheck();
  });

  it('sorts accounts by score both ways and pages through them', async () => {
    const { page } = opened;
    const firstScore = () => page.locator('#accounts-body tr .score-value').first().textContent();
    const lowest = Math.min(...findings.accounts.map((account) => account.score));
    await page.locator('button[data-sort="score"]').click();
    await expect.poll(firstScore).toBe(lowest.toFixed(2));
    await page.locator('button[data-sort="score"]').click();
    await expect.poll(firstScore).toBe(Math.max(...findings.accounts.map((account) => account.score)).toFixed(2));
    await page.locator('#accounts-next').click();
    await expect.poll(() => page.locator('#accounts-page').textContent()).toMatch(/^Page 2 of /);
  });

  it('jumps from a cluster to all its members in the accounts table', async () => {
    const { page } = opened;
    const big = ranked.findIndex((cluster) => cluster.accounts.length > 100);
    await page.goto(`${page.url().split('#')[0]}#c-${big}`);
    await page.locator(`#c-${big} a[data-search]`).click();
    await expect.poll(() => page.locator('#accounts-status').textContent()).toContain(`of ${ranked[big]!.accounts.length.toLocaleString('en-US')} matching`);
    await page.locator('#accounts').screenshot({ path: join(directory!, 'accounts.png') });
  });

  it('fits an 800 px window: the clusters table says why each cluster is flagged and does not scroll sideways', async () => {
    const { page } = opened;
    await page.setViewportSize({ width: 800, height: 900 });
    try {
      const widths = await page.evaluate<number[]>("(() => { const list = document.querySelector('.cluster-list'); return [list.scrollWidth, list.clientWidth, document.documentElement.scrollWidth]; })()");
      expect(widths[0]).toBeLessThanOrEqual(widths[1]!);
      expect(widths[2]).toBeLessThanOrEqual(800);
      const why = await page.locator('#cluster-table tbody td.why').first().textContent();
      expect(why).toMatch(ranked[0]!.flagged ? /^mostly / : /^below /);
    } finally {
      await page.setViewportSize({ width: 1360, height: 900 });
    }
  });

  it('made no request, logged no error and ran no injected script', async () => {
    await opened.page.evaluate('window.scrollTo(0, 0)');
    await opened.page.screenshot({ path: join(directory!, 'top.png') });
    await opened.page.locator('#clusters').screenshot({ path: join(directory!, 'clusters.png') });
    expect(opened.requests).toEqual([]);
    expect(opened.problems).toEqual([]);
  });
});

describe.skipIf(browserMissing)('HTML report with scripts off', () => {
  it('still shows the header, the cluster list and a cluster opened by its link', async () => {
    const { findings } = buildSyntheticFindings({ accounts: 1_000, clusters: 12, seed: 2 });
    const path = join(directory!, 'no-script.html');
    writeFileSync(path, renderReportHtml(findings));
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(pathToFileURL(path).href);
    expect(await page.locator('#cluster-table tbody tr').count()).toBe(12);
    await page.locator('#cluster-table .cluster-link').first().click();
    await page.locator('#c-0 .evidence-item').first().waitFor({ state: 'visible' });
    expect(await page.locator('#account-search').isVisible()).toBe(false);
    expect(await page.getByText('The accounts table needs JavaScript.').isVisible()).toBe(true);
    await context.close();
  });
});

describe.skipIf(browserMissing)('HTML report at 150,000 accounts and 1,000 clusters', () => {
  it('loads and searches quickly from a file of reasonable size', async () => {
    const { findings } = buildSyntheticFindings({ accounts: 150_000, clusters: 1_000, seed: 5 });
    const { page, requests, problems, loadSeconds } = await openReport(findings, 'large');
    // Loose bounds that catch a report that hangs, not a slow machine (the speed itself is
    // measured in docs/performance.md).
    expect(loadSeconds).toBeLessThan(30);
    expect(await page.locator('#cluster-table tbody tr').count()).toBe(1_000);
    expect(await page.locator('#accounts-body tr').count()).toBe(50);
    const target = findings.accounts[120_000]!;
    const searchStarted = performance.now();
    await page.locator('#account-search').fill(target.account_id);
    await expect.poll(() => page.locator('#accounts-body tr td').first().textContent(), { timeout: 10_000 }).toBe(target.account_id);
    expect((performance.now() - searchStarted) / 1000).toBeLessThan(10);
    expect(requests).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
