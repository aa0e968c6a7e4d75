// npm run bench:adversarial — the adversarial suite at full volume (docs/threat-model.md). Each
// case of src/sim/adversarial-traffic.ts is added to an ordinary log (the smoke scenario, seed 5),
// then ingested and analysed as its own process; its time and peak RSS are set against a clean
// run of about the same number of exchanges (the same scenario simulated at a larger scale), and
// its flags against the clean log's. Targets: analyze time ≤ 3× and peak RSS ≤ 2× the clean run
// of the same size; no attack account loses its flag and no benign account gains one.
//
//   node bench/adversarial-bench.mjs [--cases a,b] [--volume 400000] [--scenario smoke] [--seed 5] [--keep]
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DATA, ROOT, formatNumber, machine, runMeasured, simulatedTraffic } from './bench-support.mjs';

const { values } = parseArgs({
  options: {
    cases: { type: 'string' },
    volume: { type: 'string', default: '400000' },
    scenario: { type: 'string', default: 'smoke' },
    seed: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((line) => line.startsWith('//')).map((line) => line.slice(3)).join('\n'));
  process.exit(0);
}
const built = join(ROOT, 'dist', 'sim', 'adversarial-traffic.js');
if (!existsSync(built)) {
  console.error('dist/ is missing: run `npm run build` first (npm run bench:adversarial does).');
  process.exit(2);
}
const { ADVERSARIAL_CASES, adversarialCase } = await import(built);
const { readLogSpan, writeAdversarialLog } = await import(join(ROOT, 'dist', 'sim', 'adversarial-log.js'));

const cases = values.cases === undefined ? ADVERSARIAL_CASES : values.cases.split(',').map((name) => adversarialCase(name.trim()));
const volume = Number(values.volume);
const seed = Number(values.seed);
const work = join(BENCH_DATA, `bench-adversarial-${values.scenario}-seed${seed}`);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const traffic = await simulatedTraffic(values.scenario, seed);
const span = await readLogSpan(traffic.exchanges);
const labels = readFileSync(traffic.labels, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const attackAccounts = new Set(labels.filter((label) => label.label === 'attack').map((label) => label.account_id));

/** Ingests and analyses one log; returns the measured steps and the flags. */
async function run(name, log, accounts, ingestFlags = []) {
  const db = join(work, `${name}.duckdb`);
  const ingest = await runMeasured(['ingest', log, '--accounts', accounts, '--db', db, '--no-progress', '--json', ...ingestFlags], work);
  if (ingest.code !== 0) return { failed: `ingest exited with ${ingest.code}` };
  const findings = join(work, `${name}.json`);
  const analyze = await runMeasured(['analyze', '--db', db, '--json', findings, '--no-progress'], work);
  if (analyze.code !== 0) return { failed: `analyze exited with ${analyze.code}` };
  const flags = new Map(JSON.parse(readFileSync(findings, 'utf8')).accounts.map((account) => [account.account_id, account.flagged]));
  const summary = JSON.parse(ingest.stdout);
  if (!values.keep) {
    rmSync(db, { force: true });
    rmSync(findings, { force: true });
  }
  return { ingest, analyze, flags, summary };
}

const clean = await run('clean', traffic.exchanges, traffic.accounts);
if (clean.failed) throw new Error(`the clean run failed: ${clean.failed}`);
const cleanAttacks = [...attackAccounts].filter((id) => clean.flags.get(id) === true).length;

// Clean runs of about the size of each adversarial log, simulated at a larger scale and reused.
const baselines = new Map();
async function baselineFor(exchanges) {
  const scale = Math.max(1, Math.round(exchanges / span.exchanges));
  if (scale === 1) return { scale, ...clean };
  if (!baselines.has(scale)) {
    const scaled = await simulatedTraffic(values.scenario, seed, scale);
    baselines.set(scale, { scale, ...(await run(`clean-x${scale}`, scaled.exchanges, scaled.accounts)) });
  }
  return baselines.get(scale);
}

const seconds = (value) => `${value.toFixed(1)} s`;
const mb = (bytes) => (bytes === undefined ? '?' : `${formatNumber(bytes / 2 ** 20)} MB`);
console.log(`machine: ${machine()}`);
console.log(`base log: ${values.scenario} seed ${seed}, ${formatNumber(span.exchanges)} exchanges; clean run flags ${cleanAttacks} of ${attackAccounts.size} attack accounts`);
console.log(`clean: analyze ${seconds(clean.analyze.seconds)}, peak RSS ${mb(clean.analyze.resources?.peakRssBytes)}\n`);
const header = ['case', 'added', 'ingest', 'analyze', 'peak RSS', 'clean same size', 'time ×', 'RSS ×', 'attacks kept', 'benign gained', 'quarantined'];
console.log(header.join(' | '));
let failures = 0;
for (const chosen of cases) {
  const log = join(work, `${chosen.name}.jsonl.gz`);
  const added = await writeAdversarialLog({ base: traffic.exchanges, out: log, adversarialCase: chosen, context: { startMs: span.startMs, endMs: span.endMs, models: span.models, volume, seed: 11 } });
  const result = await run(chosen.name, log, traffic.accounts, chosen.ingestFlags ?? []);
  if (!values.keep) rmSync(log, { force: true });
  if (result.failed) {
    failures++;
    console.log(`${chosen.name} | ${formatNumber(added)} | FAILED: ${result.failed}`);
    continue;
  }
  const stored = result.summary.sources.find((source) => source.kind === 'exchanges');
  const baseline = await baselineFor(stored.stored);
  const timeRatio = result.analyze.seconds / baseline.analyze.seconds;
  const rssRatio = (result.analyze.resources?.peakRssBytes ?? NaN) / (baseline.analyze.resources?.peakRssBytes ?? NaN);
  const kept = [...attackAccounts].filter((id) => clean.flags.get(id) === true && result.flags.get(id) === true).length;
  const gained = [...clean.flags].filter(([id, flagged]) => !attackAccounts.has(id) && !flagged && result.flags.get(id) === true).length;
  const quarantined = Object.entries(stored.quarantinedByReason).map(([reason, count]) => `${count} ${reason}`).join(', ') || '0';
  const bad = timeRatio > 3 || rssRatio > 2 || kept < cleanAttacks || gained > 0;
  if (bad) failures++;
  console.log(
    [
      chosen.name,
      formatNumber(added),
      seconds(result.ingest.seconds),
      seconds(result.analyze.seconds),
      mb(result.analyze.resources?.peakRssBytes),
      `${seconds(baseline.analyze.seconds)} / ${mb(baseline.analyze.resources?.peakRssBytes)} (×${baseline.scale})`,
      timeRatio.toFixed(2),
      Number.isFinite(rssRatio) ? rssRatio.toFixed(2) : '?',
      `${kept} / ${cleanAttacks}`,
      String(gained),
      quarantined,
    ].join(' | ') + (bad ? '   <- misses a target' : ''),
  );
}
if (!values.keep) rmSync(work, { recursive: true, force: true });
console.log(failures === 0 ? '\nevery case within its targets' : `\n${failures} case(s) miss a target`);
process.exitCode = failures === 0 ? 0 : 1;
