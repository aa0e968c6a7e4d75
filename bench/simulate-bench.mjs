// npm run bench:simulate — simulator throughput (exchanges/s, MB/s) and peak memory.
// Usage: node bench/simulate-bench.mjs [--scenario default] [--scale 1.5] [--seed 7] [--workers N] [--gzip-level 1] [--runs 1] [--keep]
// The default run takes 30-60 s on 2 cores. Targets: >= 50,000 exchanges/s at gzip level 1, peak RSS < 2 GB.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { BENCH_DATA, formatNumber, machine } from './bench-support.mjs';
import { defaultCorporaDir, loadScenario, packageRoot, runSimulation } from '../dist/sim/index.js';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'default' },
    scale: { type: 'string', default: '1.5' },
    seed: { type: 'string', default: '7' },
    workers: { type: 'string' },
    'gzip-level': { type: 'string', default: '1' },
    runs: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});

const { scenario } = loadScenario(values.scenario);
const outDir = join(BENCH_DATA, 'simulate-bench');
console.log(`machine: ${machine()}`);
console.log(`scenario ${values.scenario} at scale ${values.scale}, seed ${values.seed}, gzip level ${values['gzip-level']}`);

const results = [];
for (let run = 1; run <= Number(values.runs); run++) {
  rmSync(outDir, { recursive: true, force: true });
  const cpuBefore = process.cpuUsage();
  const summary = await runSimulation({
    scenario,
    scale: Number(values.scale),
    seed: Number(values.seed),
    outDir,
    corporaDir: defaultCorporaDir(packageRoot()),
    gzipLevel: Number(values['gzip-level']),
    workers: values.workers === undefined ? undefined : Number(values.workers),
  });
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const row = {
    run,
    cpuMicrosecondsPerExchange: (cpuSeconds * 1e6) / summary.exchanges,
    cpuShare: cpuSeconds / summary.seconds,
    exchanges: summary.exchanges,
    seconds: summary.seconds,
    exchangesPerSecond: summary.exchangesPerSecond,
    compressedMegabytesPerSecond: summary.compressedBytes / 2 ** 20 / summary.seconds,
    rawMegabytesPerSecond: summary.rawBytes / 2 ** 20 / summary.seconds,
    bytesPerExchange: summary.rawBytes / summary.exchanges,
    compressedBytesPerExchange: summary.compressedBytes / summary.exchanges,
    peakRssMegabytes: summary.peakRssBytes / 2 ** 20,
    workers: summary.workers,
  };
  results.push(row);
  console.log(
    `run ${run}: ${formatNumber(row.exchanges)} exchanges in ${row.seconds.toFixed(1)} s = ${formatNumber(row.exchangesPerSecond)} exchanges/s, ` +
      `${row.compressedMegabytesPerSecond.toFixed(1)} MB/s gzip (${row.rawMegabytesPerSecond.toFixed(0)} MB/s raw), ` +
      `${formatNumber(row.bytesPerExchange)} bytes per exchange (${formatNumber(row.compressedBytesPerExchange)} gzip), ` +
      `peak RSS ${formatNumber(row.peakRssMegabytes)} MB, ${row.workers} workers`,
  );
  // CPU time is what the generator costs, whoever else shares the machine; the wall-clock rate
  // is only as good as the cores this process actually got (cpu share below the core count).
  console.log(
    `       CPU ${row.cpuMicrosecondsPerExchange.toFixed(1)} µs per exchange (all threads), ${row.cpuShare.toFixed(2)} cores used on average; ` +
      `${formatNumber((cpus().length * 1e6) / row.cpuMicrosecondsPerExchange)} exchanges/s if all ${cpus().length} cores were free`,
  );
}
if (!values.keep) rmSync(outDir, { recursive: true, force: true });
const best = results.reduce((a, b) => (b.exchangesPerSecond > a.exchangesPerSecond ? b : a));
console.log(`best: ${formatNumber(best.exchangesPerSecond)} exchanges/s, peak RSS ${formatNumber(best.peakRssMegabytes)} MB (target >= 50,000/s at gzip level 1, < 2,048 MB)`);
