// npm run bench:backtest — `policy backtest` against `analyze` on the same store: the `default`
// scenario's traffic (1M+ exchanges), two policies side by side with the labels, at the default
// relink interval and at coarser ones, each twice: once through the engine (keeping its
// assessments in a fresh trace cache) and once more from that trace, with the policies swapped,
// as a team trying another policy on the same history runs it. Each run is its own process, as a
// user runs it; CPU time and peak RSS come from /usr/bin/time where there is one. First, on this
// thread, the replay's two ways of reading the store: its columns (`streamReplayChunks`, what the
// backtest reads) against the service's start-up rows turned into the same columns.
// Usage: node bench/backtest-bench.mjs [--scenario default] [--seed 7] [--db STORE]
//        [--relink-intervals 1h,6h,24h] [--keep] [--no-readers]
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DATA, ROOT, formatNumber, machine, runMeasured, simulatedTraffic } from './bench-support.mjs';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'default' },
    seed: { type: 'string', default: '7' },
    db: { type: 'string' },
    'relink-intervals': { type: 'string', default: '1h,6h,24h' },
    keep: { type: 'boolean', default: false },
    'no-readers': { type: 'boolean', default: false },
  },
});

const traffic = await simulatedTraffic(values.scenario, Number(values.seed));
const work = join(BENCH_DATA, `bench-backtest-${values.scenario}-seed${values.seed}`);
mkdirSync(work, { recursive: true });
let db = values.db;
console.log(`machine: ${machine()}; load average ${loadavg().map((load) => load.toFixed(1)).join(' ')} at the start`);
if (db === undefined) {
  db = join(work, 'store.duckdb');
  rmSync(db, { force: true });
  const ingest = await runMeasured(['ingest', traffic.exchanges, '--accounts', traffic.accounts, '--db', db, '--json', '--no-progress'], work);
  if (ingest.code !== 0) throw new Error(`ingest failed with exit code ${ingest.code}`);
  console.log(`ingest:   ${ingest.seconds.toFixed(1)} s`);
}

if (!values['no-readers']) await compareReaders(db);

const analyze = await runMeasured(['analyze', '--db', db, '--no-progress'], work);
if (analyze.code !== 0) throw new Error(`analyze failed with exit code ${analyze.code}`);
console.log(`analyze:  ${analyze.seconds.toFixed(1)} s, ${resources(analyze.resources)}`);

const shipped = join(ROOT, 'config', 'policy.example.yaml');
for (const interval of values['relink-intervals'].split(',')) {
  const traces = join(work, `traces-${interval}`);
  rmSync(traces, { recursive: true, force: true });
  for (const [policy, against] of [[shipped, 'default'], ['default', shipped]]) {
    const args = ['policy', 'backtest', '--db', db, '--policy', policy, '--against', against, '--labels', traffic.labels, '--relink-interval', interval, '--json', '--no-progress', '--trace-cache', traces];
    const run = await runMeasured(args, work);
    if (run.code !== 0) throw new Error(`policy backtest failed with exit code ${run.code}`);
    const { replay } = JSON.parse(run.stdout);
    const parts = Object.entries(replay.seconds).filter(([part]) => part !== 'total').map(([part, seconds]) => `${part} ${seconds.toFixed(1)}`).join(', ');
    const traceSize = replay.trace.path === null ? '' : `, trace ${formatNumber(statSync(replay.trace.path).size / 2 ** 20)} MB`;
    console.log(
      `backtest: relink every ${interval}, ${replay.trace.use === 'reused' ? 'from the kept trace' : 'through the engine'}: ${run.seconds.toFixed(1)} s (${(run.seconds / analyze.seconds).toFixed(1)}× analyze) ` +
        `for ${formatNumber(replay.exchanges_read)} exchanges, ${formatNumber(replay.relinks)} relinks, ${formatNumber(replay.steps)} steps; ${resources(run.resources)}${traceSize}; seconds: ${parts}`,
    );
  }
}
console.log(`load average ${loadavg().map((load) => load.toFixed(1)).join(' ')} at the end (2 cores: above 2 means other work shared them)`);
if (!values.keep && values.db === undefined) rmSync(work, { recursive: true, force: true });

function resources(measured) {
  if (measured === undefined) return 'no /usr/bin/time';
  return `CPU ${(measured.userSeconds + measured.systemSeconds).toFixed(1)} s, peak RSS ${formatNumber(measured.peakRssBytes / 2 ** 20)} MB`;
}

/** Both readers over the whole store, on this thread: seconds, exchanges and CPU. */
async function compareReaders(path) {
  const { DuckDbStore } = await import('../dist/store/duckdb-store.js');
  const { liveEngineModule } = await import('../dist/service/engine/detection-engine-module.js');
  const { observationChunkOf, readStoredRows } = await import('../dist/backtest/observation-source.js');
  const store = await DuckDbStore.open({ path, readOnly: true });
  try {
    const timed = async (read) => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const exchanges = await read();
      const used = process.cpuUsage(cpu);
      return { seconds: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6, exchanges };
    };
    const columns = await timed(() => liveEngineModule.columnsOfStore(store, { toMs: null, rowsPerChunk: 16_384 }, () => {}));
    const rows = await timed(async () => {
      let exchanges = 0;
      await readStoredRows(store, null, (chunk) => {
        exchanges += observationChunkOf(chunk, liveEngineModule).exchanges.length;
      });
      return exchanges;
    });
    const line = ({ seconds, cpu, exchanges }) => `${seconds.toFixed(1)} s (CPU ${cpu.toFixed(1)} s) for ${formatNumber(exchanges)} exchanges`;
    console.log(`reading the store, columns with templates mined (the backtest's reader): ${line(columns)}`);
    console.log(`reading the store, rows into columns (the service's start-up reader):    ${line(rows)}`);
  } finally {
    store.close();
  }
}
