// Load times of the analyst workbench on a store you give it (npm run bench:workbench -- STORE):
// starts `distillguard serve` from dist/ on that store (a copy is not made: the store gains a key
// and the service tables), then measures
//   1. the API: the queue (first call, which reads the per-account summary from the store, then
//      warm pages, a filtered page and searches by account id, IP and card), the first view of
//      the top cluster (not read ahead) and, after a pause, of the second (read ahead in it), the
//      top cluster's view and an account's exchanges, each as the median of several calls; a
//      cluster view as its page asks for it: the engine's part and the store's part at once,
//      each timed to its answer;
//   2. the pages in Chromium: from navigation to the queue's rows on screen, and from a click on
//      the top cluster to its member table shown, then its charts and graph drawn.
// Options (environment): BENCH_REPEAT (10), BENCH_PAUSE_MS (30000), DISTILLGUARD_CHROMIUM (/usr/bin/chromium).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli/main.js');
if (!existsSync(cli) || !existsSync(join(root, 'dist/web/index.html'))) throw new Error('dist/ is missing: run `npm run build` first');
const db = process.argv[2];
if (!db || !existsSync(db)) throw new Error('usage: node bench/workbench-bench.mjs STORE.duckdb');
const REPEAT = Number(process.env.BENCH_REPEAT ?? 10);

const key = spawnSync(process.execPath, [cli, 'keys', 'create', '--role', 'analyst', '--name', 'workbench bench', '--db', db], { encoding: 'utf8' }).stdout.trim();
if (!key.startsWith('dg_live_')) throw new Error('could not make an analyst key');

const started = performance.now();
const server = spawn(process.execPath, [cli, 'serve', '--db', db, '--host', '127.0.0.1', '--port', '0', '--relink-interval', '1h'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DISTILLGUARD_LOG_FORMAT: 'json' } });
let output = '';
const url = await new Promise((resolve, reject) => {
  server.stdout.on('data', (chunk) => {
    output += chunk;
    const match = /listening on (http:\/\/\S+)/.exec(output);
    if (match) resolve(match[1]);
  });
  server.stderr.on('data', (chunk) => (output += chunk));
  server.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
});
console.log(`serve ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);

try {
  const signIn = await fetch(`${url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
  const cookie = signIn.headers.get('set-cookie').split(';')[0];
  const timed = async (path) => {
    const t = performance.now();
    const response = await fetch(`${url}${path}`, { headers: { cookie } });
    const body = await response.json();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - t, body };
  };
  const median = async (path) => {
    const times = [];
    let body;
    for (let i = 0; i < REPEAT; i++) ({ ms: times[i], body } = await timed(path));
    times.sort((a, b) => a - b);
    return { ms: times[Math.floor(times.length / 2)], max: times[times.length - 1], body };
  };
  const show = (label, result) => console.log(`${label.padEnd(44)} ${result.ms.toFixed(0).padStart(6)} ms${result.max === undefined ? '' : ` (max ${result.max.toFixed(0)})`}`);

  const first = await timed('/v1/workbench/queue?kind=cluster');
  show('queue, first call (reads account summary)', first);
  const clusters = await median('/v1/workbench/queue?kind=cluster&limit=50');
  show(`queue of clusters (${clusters.body.total}), page of 50`, clusters);
  const accounts = await median('/v1/workbench/queue?kind=account&limit=50&offset=1000');
  show(`queue of accounts (${accounts.body.total}), page at 1000`, accounts);
  show('queue of accounts, filtered', await median('/v1/workbench/queue?kind=account&capability=reasoning&min_score=0.2&first_seen_from=2026-01-01'));
  // A store of fewer than 1,000 accounts has no page there: take the top one instead.
  const topAccount = (accounts.body.items[0] ?? (await timed('/v1/workbench/queue?kind=account&limit=1')).body.items[0]).id;
  show('queue search by account id', await median(`/v1/workbench/queue?kind=account&q=${encodeURIComponent(topAccount)}`));
  const top = clusters.body.items[0];
  // The service reads the queue's first clusters ahead, in pauses between requests; so far the
  // requests have come back to back, so this is what opening a cluster costs when it was not.
  // A cluster page asks for two parts at once: what the engine holds, and its traffic from the store.
  const clusterPath = (id) => `/v1/workbench/clusters/${encodeURIComponent(id)}`;
  const bothParts = async (id) => {
    const start = performance.now();
    const engine = timed(clusterPath(id)).then((result) => ({ ...result, ms: performance.now() - start }));
    const traffic = timed(`${clusterPath(id)}/traffic`).then((result) => ({ ...result, ms: performance.now() - start }));
    return { engine: await engine, traffic: await traffic };
  };
  const firstView = await bothParts(top.id);
  show(`cluster view, first time (${top.accounts} members, ${top.exchanges} exchanges; not read ahead): engine's part`, firstView.engine);
  show("  and the store's part (traffic)", firstView.traffic);
  // A pause, as an analyst reading the queue makes one, then one the service read ahead in it.
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.BENCH_PAUSE_MS ?? 30_000)));
  const second = clusters.body.items[1];
  if (second !== undefined) {
    const secondView = await bothParts(second.id);
    show(`cluster view, first time, after a pause (${second.accounts} members, ${second.exchanges} exchanges): engine's part`, secondView.engine);
    show("  and the store's part (traffic)", secondView.traffic);
  }
  const cluster = await median(clusterPath(top.id));
  show(`cluster view (${top.accounts} members, ${top.exchanges} exchanges): engine's part`, cluster);
  const clusterTraffic = await median(`${clusterPath(top.id)}/traffic`);
  show("  and the store's part (traffic)", clusterTraffic);
  const member = cluster.body.members[0].account_id;
  show('account view', await median(`/v1/workbench/accounts/${encodeURIComponent(member)}`));
  const memberExchanges = await median(`/v1/workbench/accounts/${encodeURIComponent(member)}/exchanges?limit=20`);
  show('account exchanges, page of 20', memberExchanges);
  const ip = memberExchanges.body.exchanges.find((exchange) => exchange.client_ip !== null)?.client_ip;
  if (ip !== undefined) show('queue search by IP (reads the traffic)', await median(`/v1/workbench/queue?kind=account&q=${encodeURIComponent(ip)}`));
  const card = Object.values(clusterTraffic.body.members).find((row) => row.payment_fingerprint !== null)?.payment_fingerprint;
  if (card !== undefined) show('queue search by payment fingerprint', await median(`/v1/workbench/queue?kind=cluster&q=${encodeURIComponent(card)}`));
  show('account exchanges behind cot elicitation', await median(`/v1/workbench/accounts/${encodeURIComponent(member)}/exchanges?limit=20&signal=cot_elicitation`));

  const browser = await chromium.launch({
    executablePath: process.env.DISTILLGUARD_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-unsafe-swiftshader'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const [name, value] = cookie.split('=');
    await context.addCookies([{ name, value, url }]);
    const page = await context.newPage();
    const queueTimes = [];
    const shownTimes = [];
    const clusterTimes = [];
    const apiTimes = [];
    const graphTimes = [];
    for (let i = 0; i < Math.min(REPEAT, 5); i++) {
      let t = performance.now();
      await page.goto(`${url}/ui/`);
      await page.locator('table[aria-label="queue"] tbody tr').first().waitFor();
      queueTimes.push(performance.now() - t);
      await page.evaluate("window.__longTasks = []; new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => [Math.round(e.startTime), Math.round(e.duration)]))).observe({ type: 'longtask' }); window.__clickAt = performance.now()");
      t = performance.now();
      const answered = page.waitForResponse((response) => response.url().includes('/traffic')).then(() => performance.now() - t);
      await page.locator('table[aria-label="queue"] tbody tr').first().locator('a').first().click();
      await page.locator('table[aria-label="members"] tbody tr').first().waitFor();
      shownTimes.push(performance.now() - t);
      await page.locator('.chart').first().waitFor();
      clusterTimes.push(performance.now() - t);
      apiTimes.push(await answered);
      await page.locator('.graph[data-drawn="true"]').waitFor();
      graphTimes.push(performance.now() - t);
      if (process.env.BENCH_TRACE === '1') {
        console.log(await page.evaluate("JSON.stringify({ click: Math.round(window.__clickAt), longTasks: window.__longTasks, fetch: performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/workbench/clusters/')).map((e) => [Math.round(e.startTime), Math.round(e.requestStart), Math.round(e.responseStart), Math.round(e.responseEnd)]).slice(-1) })"));
      }
    }
    const mid = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
    console.log(`browser: queue page to rows on screen         ${mid(queueTimes).toFixed(0).padStart(6)} ms (median of ${queueTimes.length})`);
    console.log(`browser: click to cluster page shown (members) ${mid(shownTimes).toFixed(0).padStart(5)} ms (median of ${shownTimes.length})`);
    console.log(`browser: click to cluster charts drawn        ${mid(clusterTimes).toFixed(0).padStart(6)} ms (the store's part answered at ${mid(apiTimes).toFixed(0)} ms)`);
    console.log(`browser: click to cluster graph drawn         ${mid(graphTimes).toFixed(0).padStart(6)} ms`);
  } finally {
    await browser.close();
  }
} finally {
  server.kill('SIGTERM');
}
