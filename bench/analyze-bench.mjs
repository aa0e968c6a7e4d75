// npm run bench:analyze — ingest plus analyze of simulated traffic, per stage, against the
// targets: 1M exchanges (the `default` scenario) in ≤ 60 s, `seed-scale` (16M) in ≤ 15 min with
// peak RSS ≤ 8 GB. Each step runs as its own process (`node dist/cli/main.js ...`), as a user
// would run it; its CPU time and peak RSS come from /usr/bin/time where there is one, and from
// the CLI's own reports otherwise.
// Usage: node bench/analyze-bench.mjs [--scenario default] [--seed 7] [--scale 1] [--traffic DIR]
//        [--text excerpt] [--workers N] [--keep]
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DATA, formatNumber, machine, runMeasured, simulatedTraffic } from './bench-support.mjs';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'default' },
    seed: { type: 'string', default: '7' },
    scale: { type: 'string', default: '1' },
    traffic: { type: 'string' },
    text: { type: 'string', default: 'excerpt' },
    workers: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

const TARGETS = {
  default: { seconds: 60, peakRssBytes: undefined, label: '1M exchanges in ≤ 60 s' },
  'seed-scale': { seconds: 15 * 60, peakRssBytes: 8 * 2 ** 30, label: '16M exchanges in ≤ 15 min, peak RSS ≤ 8 GB' },
};

const traffic = values.traffic === undefined ? await simulatedTraffic(values.scenario, Number(values.seed), Number(values.scale)) : existingTraffic(values.traffic);
const name = values.traffic === undefined ? `${values.scenario}-seed${values.seed}-scale${values.scale}` : 'traffic';
const work = join(BENCH_DATA, `bench-analyze-${name}`);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const db = join(work, 'store.duckdb');

console.log(`machine: ${machine()}; load average ${loadavg().map((load) => load.toFixed(1)).join(' ')} at the start`);
console.log(`input: ${traffic.exchanges}`);

const ingestArgs = ['ingest', traffic.exchanges, '--db', db, '--json', '--no-progress', '--text', values.text];
if (existsSync(traffic.accounts)) ingestArgs.push('--accounts', traffic.accounts);
if (values.workers !== undefined) ingestArgs.push('--workers', values.workers);
const ingest = await runMeasured(ingestArgs, work);
if (ingest.code !== 0) throw new Error(`ingest failed with exit code ${ingest.code}`);
const ingestSummary = JSON.parse(ingest.stdout);
const stored = ingestSummary.sources.filter((source) => source.kind === 'exchanges').reduce((sum, source) => sum + source.stored, 0);
const ingestPeak = ingest.resources?.peakRssBytes ?? ingestSummary.peakRssBytes;
console.log(
  `ingest:  ${ingest.seconds.toFixed(1)} s for ${formatNumber(stored)} exchanges = ${formatNumber(stored / ingest.seconds)} exchanges/s, ` +
    `${cpuText(ingest.resources)}peak RSS ${megabytes(ingestPeak)}`,
);

const timingsFile = join(work, 'timings.json');
const analyze = await runMeasured([
  'analyze', '--db', db, '--json', join(work, 'findings.json'), '--report', join(work, 'report.html'), '--timings-json', timingsFile, '--no-progress',
], work);
if (analyze.code !== 0) throw new Error(`analyze failed with exit code ${analyze.code}`);
const report = JSON.parse(readFileSync(timingsFile, 'utf8'));
const analyzePeak = analyze.resources?.peakRssBytes ?? report.peakRssBytes;
const analyzeCpu = analyze.resources ?? { userSeconds: report.cpuSeconds.user, systemSeconds: report.cpuSeconds.system };
console.log(
  `analyze: ${analyze.seconds.toFixed(1)} s (process; ${report.timings.total.toFixed(1)} s in the analysis) for ${formatNumber(report.exchanges)} exchanges ` +
    `of ${formatNumber(report.accounts)} accounts, ${cpuText(analyzeCpu)}peak RSS ${megabytes(analyzePeak)}`,
);
for (const [stage, seconds] of Object.entries(report.timings)) {
  if (stage !== 'total') console.log(`  ${stage.padEnd(15)} ${seconds.toFixed(2).padStart(8)} s`);
}

const total = ingest.seconds + analyze.seconds;
const peak = Math.max(ingestPeak, analyzePeak);
const target = TARGETS[values.scenario];
let verdict = '';
if (values.traffic === undefined && target !== undefined && Number(values.scale) === 1) {
  const fast = total <= target.seconds;
  const small = target.peakRssBytes === undefined || peak <= target.peakRssBytes;
  verdict = ` — target ${target.label}: ${fast && small ? 'met' : 'NOT met'}`;
}
console.log(`total:   ${total.toFixed(1)} s ingest + analyze, peak RSS ${megabytes(peak)}${verdict}`);
console.log(`load average ${loadavg().map((load) => load.toFixed(1)).join(' ')} at the end (2 cores: above 2 means other work shared them)`);
if (!values.keep) rmSync(work, { recursive: true, force: true });

function existingTraffic(dir) {
  const exchanges = resolve(dir, 'exchanges.jsonl.gz');
  if (!existsSync(exchanges)) throw new Error(`no exchanges.jsonl.gz in ${dir}`);
  return { dir, exchanges, accounts: resolve(dir, 'accounts.jsonl') };
}

function cpuText(resources) {
  if (resources === undefined) return '';
  return `CPU ${resources.userSeconds.toFixed(1)} s user + ${resources.systemSeconds.toFixed(1)} s system, `;
}

function megabytes(bytes) {
  return `${formatNumber(bytes / 2 ** 20)} MB`;
}
