// npm run demo — the main job end to end on the built-in `smoke` scenario (about 20,000
// exchanges): simulate labelled traffic, ingest it, analyse it, write the findings and the HTML
// report, and measure the findings against the labels. Everything goes to demo/ (or the folder
// given as the first argument), which is replaced on each run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'demo'));
const cli = join(root, 'dist', 'cli', 'main.js');
const shown = (path) => relative(process.cwd(), path) || '.';

function step(title, args) {
  console.log(`\n== ${title}\n$ distillguard ${args.map((arg) => (arg.startsWith('/') ? shown(arg) : arg)).join(' ')}`);
  // Each command prints its own summary; its info log would repeat it as a JSON line (no terminal).
  const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', env: { DISTILLGUARD_LOG_LEVEL: 'warn', ...process.env } });
  if (result.status !== 0) {
    console.error(`\ndemo stopped: \`distillguard ${args[0]}\` exited with status ${result.status ?? result.signal}`);
    process.exit(result.status ?? 1);
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const traffic = join(out, 'traffic');
const db = join(out, 'store.duckdb');
const findings = join(out, 'findings.json');
const report = join(out, 'report.html');

step('1. simulate labelled traffic (legitimate customers and four distillation campaigns)', ['simulate', '--scenario', 'smoke', '--seed', '1', '--out', traffic]);
step('2. ingest the log and the accounts into a store', ['ingest', join(traffic, 'exchanges.jsonl.gz'), '--accounts', join(traffic, 'accounts.jsonl'), '--db', db]);
step('3. analyse: features, behaviour, linking, scores with evidence', ['analyze', '--db', db, '--json', findings, '--report', report]);
step('4. measure the findings against the simulator\'s labels', ['eval', '--findings', findings, '--labels', join(traffic, 'labels.jsonl')]);
console.log(`\nOpen ${shown(report)} in a browser to read the clusters and their evidence.`);
