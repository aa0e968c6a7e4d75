// npm run bench — every benchmark in turn, each in its own process so one's memory does not
// colour the next one's figures.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, machine } from './bench-support.mjs';

const benchmarks = ['simulate-bench.mjs', 'ingest-bench.mjs', 'analyze-bench.mjs', 'hotpath-bench.mjs', 'serve-bench.mjs', 'adversarial-bench.mjs'];
console.log(`machine: ${machine()}\n`);
let failed = 0;
for (const name of benchmarks) {
  const path = join(ROOT, 'bench', name);
  if (!existsSync(path)) continue;
  console.log(`== ${name}`);
  const result = spawnSync(process.execPath, [path], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
  console.log();
}
process.exit(failed > 0 ? 1 : 0);
