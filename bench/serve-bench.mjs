// Load test of `distillguard serve` on loopback (npm run bench:serve):
//   1. ingest: smoke traffic POSTed in NDJSON batches by a few concurrent clients, measured in
//      exchanges per second acknowledged (each 202 means committed to the store);
//   2. decide: POST /v1/decide at a steady 5,000 requests/s (open loop) over the accounts just
//      ingested, reporting p50/p99 and the server's own histogram, then the most decisions per
//      second the server answers (autocannon, no rate limit).
// The server runs as its own process from dist/ so the load generator does not share its event
// loop. Bounded: a fixed number of exchanges and a fixed duration, on 127.0.0.1 only.
//
// Options (environment): BENCH_RATE (5000), BENCH_SECONDS (20), BENCH_INGEST_EXCHANGES (200000),
// BENCH_BATCH (1000), BENCH_CLIENTS (16), BENCH_TRAFFIC (an exchanges .jsonl[.gz] file to replay),
// BENCH_INGEST_ONLY=1 (skip the decide phases), BENCH_SERVER_NODE_ARGS (node flags for the server;
// default the recommended "--max-semi-space-size=64", see docs/service.md; add e.g.
// "--cpu-prof --cpu-prof-dir=/tmp/prof" for one profile per thread, or set "" for Node's defaults).
// The ingest phase also reports the server's CPU time per 1,000 exchanges (from /proc, Linux),
// which on a shared machine compares runs better than the wall-clock rate.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import autocannon from 'autocannon';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli/main.js');
if (!existsSync(cli)) throw new Error('dist/ is missing: run `npm run build` first');

const RATE = Number(process.env.BENCH_RATE ?? 5000);
const SECONDS = Math.min(120, Number(process.env.BENCH_SECONDS ?? 20));
const INGEST_EXCHANGES = Math.min(2_000_000, Number(process.env.BENCH_INGEST_EXCHANGES ?? 200_000));
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const INGEST_ONLY = process.env.BENCH_INGEST_ONLY === '1';
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '--max-semi-space-size=64').split(/\s+/).filter(Boolean);

const work = mkdtempSync(join(tmpdir(), 'serve-bench-'));
const db = join(work, 'store.duckdb');

function run(args) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, DISTILLGUARD_LOG_FORMAT: 'json' } });
  if (result.status !== 0) throw new Error(`distillguard ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** The smoke scenario's exchanges, or a synthetic stand-in when `simulate` is not available. */
function loadTraffic() {
  let file = process.env.BENCH_TRAFFIC;
  if (!file) {
    const out = join(work, 'sim');
    const simulated = spawnSync(process.execPath, [cli, 'simulate', '--scenario', join(root, 'scenarios/smoke.yaml'), '--seed', '1', '--out', out], { encoding: 'utf8' });
    if (simulated.status === 0 && existsSync(join(out, 'exchanges.jsonl.gz'))) file = join(out, 'exchanges.jsonl.gz');
  }
  if (file) {
    const raw = readFileSync(file);
    const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    return { source: file, lines: text.split('\n').filter((line) => line.length > 0) };
  }
  return { source: 'synthetic (simulate unavailable)', lines: syntheticLines(20_000) };
}

function syntheticLines(count) {
  const lines = [];
  const start = Date.parse('2026-02-02T00:00:00Z');
  for (let i = 0; i < count; i++) {
    const account = `acct_${i % 400}`;
    lines.push(JSON.stringify({
      id: `syn-${i}`, ts: new Date(start + i * 30_000).toISOString(), account_id: account, org_id: null, api_key_id: `key_${i % 400}`,
      client_ip: `203.0.${(i >> 8) & 255}.${i & 255}`, client_asn: 64500, client_country: 'US', user_agent: 'anthropic-python/0.40.0', tls_fingerprint: null,
      api: 'anthropic.messages', status: 200, latency_ms: 900,
      request: { model: 'claude-sonnet-4-5-20250929', max_tokens: 4096, system: 'You are a careful assistant. '.repeat(8),
        messages: [{ role: 'user', content: `Explain step by step how to solve problem ${i}: a train leaves at ${i % 24}:00 and travels ${i % 300} km.` }] },
      response: { id: `msg_${i}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', stop_reason: 'end_turn',
        content: [{ type: 'text', text: 'First, we find the speed. '.repeat(20) }], usage: { input_tokens: 120, output_tokens: 400 } },
    }));
  }
  return lines;
}

function startServer(keysNeeded) {
  const keys = Object.fromEntries(keysNeeded.map((role) => [role, run(['keys', 'create', '--role', role, '--rate-limit', '1000000', '--db', db])]));
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, cli, 'serve', '--db', db, '--host', '127.0.0.1', '--port', '0', '--relink-interval', '15s'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DISTILLGUARD_LOG_FORMAT: 'json', DISTILLGUARD_LOG_LEVEL: 'warn' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve({ child, url: match[1], keys });
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
}

/** CPU seconds (user + system, all threads) the process has used so far; null off Linux. */
function processCpuSeconds(pid) {
  try {
    // Fields after the command name (which may hold spaces) start at the state, field 3.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1).split(' ');
    const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return null;
  }
}

/** CPU seconds per thread of the process, by thread id (with its name), to see which thread bears the cost. */
function threadCpuSeconds(pid) {
  const threads = {};
  try {
    const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      threads[`${tid} ${name}`] = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
    }
  } catch {
    // Not Linux, or the process is gone: no breakdown.
  }
  return threads;
}

function loadAverage() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  } catch {
    return null;
  }
}

async function ingestPhase(url, key, lines, serverPid) {
  const all = [];
  for (let round = 0; all.length < INGEST_EXCHANGES; round++) {
    // Fresh ids per round so every exchange is stored, not recognised as a duplicate.
    for (const line of lines) {
      if (all.length === INGEST_EXCHANGES) break;
      all.push(round === 0 ? line : line.replace(/^\{"id":"/, `{"id":"r${round}-`));
    }
  }
  const batches = [];
  for (let i = 0; i < all.length; i += BATCH) batches.push(all.slice(i, i + BATCH).join('\n'));
  let next = 0;
  let stored = 0;
  let refused = 0;
  const cpuBefore = processCpuSeconds(serverPid);
  const threadsBefore = threadCpuSeconds(serverPid);
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < batches.length) {
      const body = batches[next++];
      for (;;) {
        const response = await fetch(`${url}/v1/exchanges`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' }, body });
        const receipt = await response.json();
        if (response.status === 202) {
          stored += receipt.stored + receipt.duplicates;
          break;
        }
        if (response.status !== 503 && response.status !== 429) throw new Error(`ingest answered ${response.status}: ${JSON.stringify(receipt)}`);
        refused++;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = processCpuSeconds(serverPid);
  const serverCpuSeconds = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  // The engine folds committed batches into the scores after they are acknowledged; its
  // catching up is part of the cost of ingesting them.
  const scoringStarted = performance.now();
  while ((await (await fetch(`${url}/healthz`)).json()).scoring_backlog > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  const scoringLagSeconds = (performance.now() - scoringStarted) / 1000;
  const cpuScored = processCpuSeconds(serverPid);
  const scoredCpuSeconds = cpuBefore === null || cpuScored === null ? null : cpuScored - cpuBefore;
  const threadsAfter = threadCpuSeconds(serverPid);
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const metric = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
  const commits = metric('distillguard_ingest_commit_seconds_count');
  const busiestThreads = Object.entries(threadsAfter)
    .map(([thread, seconds]) => [thread, round(seconds - (threadsBefore[thread] ?? 0))])
    .filter(([, seconds]) => seconds >= 0.1)
    .sort((a, b) => b[1] - a[1]);
  return {
    exchanges: stored,
    batches: batches.length,
    batchSize: BATCH,
    clients: CLIENTS,
    seconds: round(seconds),
    exchangesPerSecond: Math.round(stored / seconds),
    refusedWithRetry: refused,
    serverCpuSeconds: serverCpuSeconds === null ? null : round(serverCpuSeconds),
    serverCpuSecondsPer1000: serverCpuSeconds === null ? null : Math.round((serverCpuSeconds / stored) * 1e6) / 1e3,
    scoringLagSeconds: round(scoringLagSeconds),
    serverCpuSecondsPer1000WithScoring: scoredCpuSeconds === null ? null : Math.round((scoredCpuSeconds / stored) * 1e6) / 1e3,
    loadAverage: loadAverage(),
    commits,
    exchangesPerCommit: Math.round(stored / commits),
    commitMsMean: round((metric('distillguard_ingest_commit_seconds_sum') / commits) * 1000),
    serverThreadCpuSeconds: Object.fromEntries(busiestThreads),
  };
}

/**
 * Decisions at a steady rate: an open-loop generator sends request k at start + k / rate
 * whatever happened before, over keep-alive connections, and measures each latency from the
 * time the request was due, so a stall on either side shows in the tail instead of being
 * hidden by sending less (coordinated omission). autocannon's own rate limit sends each
 * connection's quota in a burst at the start of every second, which measures the burst.
 */
async function decidePhase(url, key, accounts, seconds = SECONDS) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  const target = new URL(`${url}/v1/decide`);
  const total = RATE * seconds;
  const latencies = new Float64Array(total);
  let sent = 0;
  let done = 0;
  let failures = 0;
  const statuses = {};
  const started = performance.now();
  await new Promise((resolve) => {
    const send = (k) => {
      const due = started + (k * 1000) / RATE;
      const body = JSON.stringify({ account_id: accounts[k % accounts.length], client_ip: '203.0.113.9' });
      const request = http.request(
        { agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          response.resume();
          response.on('end', () => {
            latencies[k] = performance.now() - due;
            statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
            if (++done === total) resolve();
          });
        },
      );
      request.on('error', () => {
        failures++;
        latencies[k] = performance.now() - due;
        if (++done === total) resolve();
      });
      request.end(body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) * RATE) / 1000) + 1);
      while (sent < due) send(sent++);
      if (sent < total) setImmediate(tick);
    };
    tick();
  });
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const at = (q) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 1000) / 1000;
  // The slowest request of each second shows whether a tail is one stall or spread out.
  const maxBySecond = Array.from({ length: seconds }, (_, second) => round(Math.max(...latencies.subarray(second * RATE, (second + 1) * RATE))));
  return {
    targetRate: RATE,
    seconds: round(elapsed),
    maxBySecondMs: maxBySecond,
    requests: total,
    achievedRate: Math.round(total / elapsed),
    statuses,
    failures,
    latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: round(sorted.at(-1)) },
  };
}

/** Throughput with no rate limit (autocannon, 16 connections): how much headroom 5,000/s leaves. */
async function capacityPhase(url, key, accounts) {
  let i = 0;
  const result = await autocannon({
    url: `${url}/v1/decide`,
    method: 'POST',
    connections: 16,
    duration: Math.min(10, SECONDS),
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify({ account_id: accounts[i++ % accounts.length] }) }) }],
  });
  return { connections: 16, seconds: Math.min(10, SECONDS), requestsPerSecond: Math.round(result.requests.average), latencyMs: { p50: result.latency.p50, p99: result.latency.p99 }, non2xx: result.non2xx };
}

/** Server-side decision latency from the Prometheus histogram (bucket upper bounds). */
async function serverDecisionQuantiles(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const buckets = [...text.matchAll(/^distillguard_decision_seconds_bucket\{le="([^"]+)"\} (\d+)/gm)].map((m) => [m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])]);
  const total = buckets.at(-1)?.[1] ?? 0;
  const quantile = (q) => buckets.find(([, count]) => count >= q * total)?.[0] ?? null;
  return { count: total, p50AtMostMs: toMs(quantile(0.5)), p99AtMostMs: toMs(quantile(0.99)) };
}

function toMs(seconds) {
  return seconds === null || seconds === Infinity ? seconds : Math.round(seconds * 1e6) / 1e3;
}

function round(value) {
  return Math.round(value * 100) / 100;
}

const traffic = loadTraffic();
const accounts = [...new Set(traffic.lines.map((line) => /"account_id":"([^"]+)"/.exec(line)?.[1]).filter(Boolean))];
const { child, url, keys } = await startServer(['ingest', 'decide']);
try {
  const ingest = await ingestPhase(url, keys.ingest, traffic.lines, child.pid);
  const machine = { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version, serverNodeArgs: SERVER_NODE_ARGS.join(' ') };
  const ingestSummary =
    `server node flags "${SERVER_NODE_ARGS.join(' ')}"; ingest ${ingest.exchangesPerSecond.toLocaleString('en-US')} exchanges/s (${ingest.exchanges.toLocaleString('en-US')} in batches of ${BATCH}, ${CLIENTS} clients; ` +
    `server CPU ${ingest.serverCpuSecondsPer1000} s per 1,000, ${ingest.serverCpuSecondsPer1000WithScoring} s once scored; load average ${ingest.loadAverage?.join(' ')})`;
  if (INGEST_ONLY) {
    console.log(JSON.stringify({ machine, traffic: traffic.source, ingest }, null, 2));
    console.log(`\nserve bench: ${ingestSummary}`);
  } else {
    // Warm-up at the same rate (connections opened, code paths compiled), not measured.
    await decidePhase(url, keys.decide, accounts, 3);
    const decide = await decidePhase(url, keys.decide, accounts);
    const server = await serverDecisionQuantiles(url);
    const capacity = await capacityPhase(url, keys.decide, accounts);
    const report = { machine, traffic: traffic.source, accounts: accounts.length, ingest, decide, serverDecisionLatency: server, decideCapacity: capacity };
    console.log(JSON.stringify(report, null, 2));
    console.log(
      `\nserve bench: ${ingestSummary}; ` +
        `decide at a steady ${RATE}/s: p50 ${decide.latencyMs.p50} ms, p99 ${decide.latencyMs.p99} ms (server time p50 ≤ ${server.p50AtMostMs} ms, p99 ≤ ${server.p99AtMostMs} ms); ` +
        `capacity ${capacity.requestsPerSecond.toLocaleString('en-US')} decisions/s`,
    );
  }
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(work, { recursive: true, force: true });
}
