// Shared pieces of the benchmark scripts: where data lives, running the built CLI, machine facts.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BENCH_DATA = join(ROOT, '.bench-data');
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

export function machine() {
  return `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** Runs the built CLI (or another build's `cli`); resolves with stdout, wall seconds and the exit code. */
export function runCli(args, { env = {}, quiet = true, cli = CLI } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...process.env, DISTILLGUARD_LOG_FORMAT: 'json', DISTILLGUARD_LOG_LEVEL: quiet ? 'warn' : 'info', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, seconds: (performance.now() - started) / 1000 }));
  });
}

/** Simulated traffic for a scenario and seed, generated once and reused. */
export async function simulatedTraffic(scenario, seed, scale = 1) {
  const dir = join(BENCH_DATA, `${scenario}-seed${seed}-scale${scale}`);
  if (!existsSync(join(dir, 'exchanges.jsonl.gz'))) {
    mkdirSync(dir, { recursive: true });
    console.log(`generating ${scenario} traffic (seed ${seed}, scale ${scale}) into ${dir} ...`);
    // `randomized` is the robustness harness's world of that seed (`simulate --randomize`).
    const world = scenario === 'randomized' ? ['--randomize'] : ['--scenario', scenario];
    const result = await runCli(['simulate', ...world, '--seed', String(seed), '--scale', String(scale), '--out', dir, '--force'], { quiet: false });
    if (result.code !== 0) throw new Error(`simulate failed with exit code ${result.code}`);
  }
  return { dir, exchanges: join(dir, 'exchanges.jsonl.gz'), accounts: join(dir, 'accounts.jsonl'), labels: join(dir, 'labels.jsonl') };
}

export function formatNumber(value) {
  return Math.round(value).toLocaleString('en-US');
}

/**
 * Runs the built CLI, under GNU time when there is one so the CPU time and peak RSS of the whole
 * process tree are known; resolves with stdout, wall seconds, exit code and resources.
 */
export function runMeasured(args, work) {
  const timeFile = join(work, `time-${process.pid}.txt`);
  const measured = existsSync('/usr/bin/time');
  const command = measured ? '/usr/bin/time' : process.execPath;
  const commandArgs = measured ? ['-f', '%U %S %M', '-o', timeFile, process.execPath, CLI, ...args] : [CLI, ...args];
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, commandArgs, {
      env: { ...process.env, DISTILLGUARD_LOG_FORMAT: 'json', DISTILLGUARD_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      let resources;
      if (measured && existsSync(timeFile)) {
        const [user, system, maxKilobytes] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-3).map(Number);
        resources = { userSeconds: user, systemSeconds: system, peakRssBytes: maxKilobytes * 1024 };
        rmSync(timeFile);
      }
      resolvePromise({ code, stdout, seconds, resources });
    });
  });
}
