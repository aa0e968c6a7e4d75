// Added latency of `distillguard proxy` on loopback (npm run bench:proxy): the same requests sent
// straight to an upstream stub and through the proxy, open loop at fixed rates, reporting p50/p99
// of each and the difference; for streamed answers the time to the first byte; and the rate at
// which the proxy records exchanges in its store. The stub and the proxy run as their own
// processes so the load generator does not share their event loops. Bounded: a fixed duration per
// phase, on 127.0.0.1 only.
//
// Options (environment): BENCH_RATES (1000,5000), BENCH_SECONDS (5), BENCH_WARM_SECONDS (2, a run at
// each rate before it is measured), BENCH_STREAM_RATE (500),
// BENCH_RECORD (on; off runs the proxy with --no-record, to separate forwarding from recording),
// BENCH_CPU_PROF (a folder: the proxy writes a V8 CPU profile there when it stops),
// BENCH_PROXY_CPUS and BENCH_LOAD_CPUS (CPU lists for `taskset`, e.g. 1 and 0: the proxy on cores
// of its own, the load generator and the stub on the others).
// Each rate also times GET /v1/auth-request, the decision alone behind one HTTP hop, and reads
// the proxy's own histogram of the decision's time, which no other process's scheduling enters.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { CLI, machine } from './bench-support.mjs';

const RATES = (process.env.BENCH_RATES ?? '1000,5000').split(',').map(Number);
const SECONDS = Math.min(60, Number(process.env.BENCH_SECONDS ?? 5));
const WARM_SECONDS = Math.min(60, Number(process.env.BENCH_WARM_SECONDS ?? 2));
const STREAM_RATE = Number(process.env.BENCH_STREAM_RATE ?? 500);
const RECORD = process.env.BENCH_RECORD !== 'off';
const CPU_PROF = process.env.BENCH_CPU_PROF;
const PROXY_CPUS = process.env.BENCH_PROXY_CPUS ?? null;
const LOAD_CPUS = process.env.BENCH_LOAD_CPUS ?? null;

// The stub answers a plain call at once and a streamed one with a first event at once and the
// rest 20 ms later, so the time to first byte is the path's, not the model's.
const STUB = `
import { createServer } from 'node:http';
const plain = JSON.stringify({ id: 'chatcmpl-b', object: 'chat.completion', model: 'gpt-bench', choices: [{ index: 0, message: { role: 'assistant', content: 'Sure: here is the answer. '.repeat(8) }, finish_reason: 'stop' }], usage: { prompt_tokens: 40, completion_tokens: 60 } });
const chunk = (text) => 'data: ' + JSON.stringify({ id: 'chatcmpl-b', object: 'chat.completion.chunk', model: 'gpt-bench', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] }) + '\\n\\n';
createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    if (body.includes('"stream":true')) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk('First'));
      setTimeout(() => { res.write(chunk(' and the rest.')); res.end('data: [DONE]\\n\\n'); }, 20);
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(plain);
    }
  });
}).listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });
`;

/** Starts a Node process, on the given CPUs when `cpus` is set (taskset execs it, so the pid is Node's). */
function startChild(args, cpus = null) {
  const [command, commandArgs] = cpus === null ? [process.execPath, args] : ['taskset', ['-c', cpus, process.execPath, ...args]];
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DISTILLGUARD_LOG_FORMAT: 'json', DISTILLGUARD_LOG_LEVEL: 'warn' } });
  let stderr = '';
  child.stderr.on('data', (data) => (stderr += data));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (data) => {
      stdout += data;
      const match = /listening on (http:\/\/[\d.:]+)/.exec(stdout);
      if (match) resolve({ child, url: match[1] });
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
}

const plainBody = JSON.stringify({ model: 'gpt-bench', messages: [{ role: 'user', content: 'Explain step by step how a compiler turns source into machine code.' }] });
const streamBody = JSON.stringify({ model: 'gpt-bench', stream: true, messages: [{ role: 'user', content: 'Explain step by step how a compiler turns source into machine code.' }] });

/** Sends `rate` requests a second for SECONDS, open loop; per request the time to the first body byte and to the end, in ms. */
async function openLoop(url, rate, body, { accounts = 500, method = 'POST', path = '/v1/chat/completions', seconds = SECONDS } = {}) {
  const pool = new Pool(url, { connections: 512, pipelining: 1 });
  const total = Math.round(rate * seconds);
  const firstByte = [];
  const whole = [];
  let failed = 0;
  const started = performance.now();
  const inFlight = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    inFlight.push(
      pool
        .request({ path, method, headers: { 'content-type': 'application/json', authorization: `Bearer sk-bench-${i % accounts}` }, body: method === 'GET' ? undefined : body })
        .then(async (answer) => {
          let first = null;
          for await (const _chunk of answer.body) first ??= performance.now();
          if (answer.statusCode !== 200 && answer.statusCode !== 204) failed++;
          firstByte.push((first ?? performance.now()) - sent);
          whole.push(performance.now() - sent);
        })
        .catch(() => failed++),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return { sent: total, failed, achieved: total / elapsed, firstByte: stats(firstByte), whole: stats(whole) };
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

/** CPU time (user + system, all threads) a process has used, in ms; Linux only, else NaN. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

async function recordedCount(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = /distillguard_proxy_records_total\{outcome="committed"\} (\d+)/.exec(text);
  const dropped = [...text.matchAll(/distillguard_proxy_records_total\{outcome="dropped_\w+"\} (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  return { committed: match ? Number(match[1]) : 0, dropped };
}

/** Cumulative counts of the proxy's own decision-time histogram, by upper bound in seconds. */
async function decisionBuckets(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(/distillguard_proxy_decision_seconds_bucket\{le="([^"]+)"\} (\d+)/g)].map((m) => ({ le: Number(m[1]), count: Number(m[2]) }));
}

/** The bucket bound under which a share `q` of the decisions taken between two reads fell ("≤ 0.025 ms"). */
function decisionQuantile(before, after, q) {
  const counts = after.map((bucket, i) => ({ le: bucket.le, count: bucket.count - (before[i]?.count ?? 0) }));
  const total = counts.at(-1)?.count ?? 0;
  if (total === 0) return 'none taken';
  const bucket = counts.find((b) => b.count >= q * total);
  return bucket === undefined || !Number.isFinite(bucket.le) ? '> 10 ms' : `≤ ${(bucket.le * 1000).toFixed(3)} ms`;
}

const work = mkdtempSync(join(tmpdir(), 'proxy-bench-'));
if (LOAD_CPUS !== null) {
  const pinned = spawnSync('taskset', ['-p', '-c', LOAD_CPUS, String(process.pid)], { encoding: 'utf8' });
  if (pinned.status !== 0) throw new Error(`BENCH_LOAD_CPUS: taskset failed: ${pinned.stderr || pinned.error}`);
}
const stub = await startChild(['--input-type=module', '-e', STUB], LOAD_CPUS);
const proxy = await startChild(
  [...(CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF] : []), CLI, 'proxy', ...(RECORD ? [] : ['--no-record']), '--upstream', stub.url, '--db', join(work, 'store.duckdb'), '--port', '0', '--relink-interval', '60s'],
  PROXY_CPUS,
);
const ms = (value) => value.toFixed(2);
try {
  const pinning = PROXY_CPUS === null && LOAD_CPUS === null ? '' : `; proxy on CPUs ${PROXY_CPUS ?? 'any'}, load generator and stub on ${LOAD_CPUS ?? 'any'}`;
  console.log(`proxy bench: ${machine()}; ${SECONDS} s a phase; recording ${RECORD ? 'on' : 'off'}${pinning}`);
  // Warm both paths (connections, JIT) before measuring.
  await openLoop(stub.url, 200, plainBody);
  await openLoop(proxy.url, 200, plainBody);
  for (const rate of RATES) {
    const direct = await openLoop(stub.url, rate, plainBody);
    // A short run at the phase's own rate first, so the measure is of the proxy at that rate and
    // not of its first second there (connections opened, recording batches growing, code compiled).
    await openLoop(proxy.url, rate, plainBody, { seconds: WARM_SECONDS });
    const before = await recordedCount(proxy.url);
    const decisionsBefore = await decisionBuckets(proxy.url);
    const started = performance.now();
    const cpuBefore = cpuMs(proxy.child.pid);
    const proxied = await openLoop(proxy.url, rate, plainBody);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const cpuPerRequest = ((cpuMs(proxy.child.pid) - cpuBefore) * 1000) / proxied.sent;
    const after = await recordedCount(proxy.url);
    const recordRate = (after.committed - before.committed) / ((performance.now() - started) / 1000);
    console.log(
      `plain @ ${rate}/s: direct p50 ${ms(direct.whole.p50)} ms p99 ${ms(direct.whole.p99)} ms | proxied p50 ${ms(proxied.whole.p50)} ms p99 ${ms(proxied.whole.p99)} ms ` +
        `(achieved ${Math.round(proxied.achieved)}/s, ${proxied.failed} failed) | added p50 ${ms(proxied.whole.p50 - direct.whole.p50)} ms p99 ${ms(proxied.whole.p99 - direct.whole.p99)} ms | ` +
        `recorded ${after.committed - before.committed} (${Math.round(recordRate)}/s), dropped ${after.dropped - before.dropped} | proxy CPU ${Math.round(cpuPerRequest)} µs a request`,
    );
    const decisionsAfter = await decisionBuckets(proxy.url);
    console.log(`  the decision itself, in the proxy (request in to verdict, body read excluded): p50 ${decisionQuantile(decisionsBefore, decisionsAfter, 0.5)}, p99 ${decisionQuantile(decisionsBefore, decisionsAfter, 0.99)}`);
    const getCpuBefore = cpuMs(proxy.child.pid);
    const directGet = await openLoop(stub.url, rate, null, { method: 'GET', path: '/' });
    const decided = await openLoop(proxy.url, rate, null, { method: 'GET', path: '/v1/auth-request' });
    console.log(
      `decision only (auth-request) @ ${rate}/s: direct GET p50 ${ms(directGet.whole.p50)} ms p99 ${ms(directGet.whole.p99)} ms | auth-request p50 ${ms(decided.whole.p50)} ms p99 ${ms(decided.whole.p99)} ms ` +
        `(${decided.failed} failed) | added p50 ${ms(decided.whole.p50 - directGet.whole.p50)} ms p99 ${ms(decided.whole.p99 - directGet.whole.p99)} ms | proxy CPU ${Math.round(((cpuMs(proxy.child.pid) - getCpuBefore) * 1000) / decided.sent)} µs a request`,
    );
  }
  const direct = await openLoop(stub.url, STREAM_RATE, streamBody);
  const proxied = await openLoop(proxy.url, STREAM_RATE, streamBody);
  console.log(
    `streamed @ ${STREAM_RATE}/s: TTFB direct p50 ${ms(direct.firstByte.p50)} ms p99 ${ms(direct.firstByte.p99)} ms | proxied p50 ${ms(proxied.firstByte.p50)} ms p99 ${ms(proxied.firstByte.p99)} ms | ` +
      `added p50 ${ms(proxied.firstByte.p50 - direct.firstByte.p50)} ms p99 ${ms(proxied.firstByte.p99 - direct.firstByte.p99)} ms (${proxied.failed} failed)`,
  );
} finally {
  proxy.child.kill('SIGTERM');
  stub.child.kill('SIGTERM');
  await new Promise((resolve) => proxy.child.once('exit', resolve));
  rmSync(work, { recursive: true, force: true });
}
