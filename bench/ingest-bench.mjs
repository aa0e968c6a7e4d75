// npm run bench:ingest — ingest throughput and peak memory on ~1M simulated exchanges.
// Usage: node bench/ingest-bench.mjs [--scenario default] [--seed 7] [--scale 1] [--workers N] [--runs 2]
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DATA, formatNumber, machine, runCli, simulatedTraffic } from './bench-support.mjs';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'default' },
    seed: { type: 'string', default: '7' },
    scale: { type: 'string', default: '1' },
    workers: { type: 'string' },
    runs: { type: 'string', default: '2' },
    text: { type: 'string', default: 'excerpt' },
  },
});

const traffic = await simulatedTraffic(values.scenario, Number(values.seed), Number(values.scale));
const megabytes = statSync(traffic.exchanges).size / 2 ** 20;
console.log(`machine: ${machine()}`);
console.log(`input: ${traffic.exchanges} (${megabytes.toFixed(0)} MB gzip)`);

const results = [];
for (let run = 1; run <= Number(values.runs); run++) {
  const db = join(BENCH_DATA, 'bench-ingest.duckdb');
  for (const suffix of ['', '.wal', '.quarantine.jsonl']) rmSync(db + suffix, { force: true });
  const args = ['ingest', traffic.exchanges, '--accounts', traffic.accounts, '--db', db, '--json', '--no-progress', '--text', values.text];
  if (values.workers !== undefined) args.push('--workers', values.workers);
  const result = await runCli(args);
  if (result.code !== 0) throw new Error(`ingest failed with exit code ${result.code}`);
  const summary = JSON.parse(result.stdout);
  const exchanges = summary.sources.filter((source) => source.kind === 'exchanges').reduce((sum, source) => sum + source.stored, 0);
  const row = {
    run,
    exchanges,
    seconds: result.seconds,
    exchangesPerSecond: exchanges / result.seconds,
    megabytesPerSecond: megabytes / result.seconds,
    peakRssMegabytes: summary.peakRssBytes / 2 ** 20,
  };
  results.push(row);
  console.log(
    `run ${run}: ${formatNumber(exchanges)} exchanges in ${row.seconds.toFixed(1)} s (whole process) = ${formatNumber(row.exchangesPerSecond)} exchanges/s, ` +
      `${row.megabytesPerSecond.toFixed(1)} MB/s compressed input, peak RSS ${formatNumber(row.peakRssMegabytes)} MB`,
  );
}
const best = results.reduce((a, b) => (b.exchangesPerSecond > a.exchangesPerSecond ? b : a));
console.log(`best: ${formatNumber(best.exchangesPerSecond)} exchanges/s, peak RSS ${formatNumber(best.peakRssMegabytes)} MB (target ≥ 50,000/s, < 1,536 MB)`);
