// node --import tsx bench/evasion-bench.mjs — detection when attack traffic is written to evade it.
// Simulates a scenario, rewrites every request of the attack accounts (from the labels file; the
// detector never sees it) with one obfuscation of src/features/test-support/obfuscation.ts, then
// ingests, analyses and evaluates each variant, and prints the attack accounts flagged and the
// benign accounts flagged per variant. `--cli` runs another build (e.g. an older dist/cli/main.js)
// on the same rewritten logs, for a before/after comparison.
// Each variant's flags are compared account by account with the clean log's: "changed" counts the
// accounts whose flag differs. `--scenario randomized` takes the robustness harness's world of
// `--seed` (`simulate --randomize`).
// Usage: node --import tsx bench/evasion-bench.mjs [--scenario smoke|randomized] [--seed 5] [--cli dist/cli/main.js]
//        [--variants clean,zero_width,look_alikes,quoted,padded,padded_varied]
// `padded` puts the same six filler sentences around every request (they mine as one template the
// padded requests share); `padded_varied` draws filler that differs per request from a corpus.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createGunzip, createGzip } from 'node:zlib';
import { BENCH_DATA, CLI, machine, simulatedTraffic } from './bench-support.mjs';
import { obfuscateRequestBody, padding, variedPadding } from '../src/features/test-support/obfuscation.ts';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'smoke' },
    seed: { type: 'string', default: '5' },
    cli: { type: 'string', default: CLI },
    variants: { type: 'string', default: 'clean,zero_width,look_alikes,full_width,quoted,code_fenced,padded,padded_varied' },
  },
});
const cli = resolve(values.cli);

function run(args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, DISTILLGUARD_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise(stdout) : reject(new Error(`${args[0]} exited with ${code}`))));
  });
}

/** The user texts of a request body (any of the three APIs), padded before and after. */
function padBody(api, body, seed, filler) {
  const pad = (text) => (typeof text === 'string' && text.length > 0 ? `${filler(1500, seed)}\n\n${text}\n\n${filler(400, seed + 1)}` : text);
  const padMessages = (messages) =>
    Array.isArray(messages)
      ? messages.map((message) => {
          if (message?.role !== 'user') return message;
          if (typeof message.content === 'string') return { ...message, content: pad(message.content) };
          if (Array.isArray(message.content)) return { ...message, content: message.content.map((part) => (typeof part?.text === 'string' ? { ...part, text: pad(part.text) } : part)) };
          return message;
        })
      : messages;
  if (api === 'openai.responses') return { ...body, input: typeof body.input === 'string' ? pad(body.input) : padMessages(body.input) };
  return { ...body, messages: padMessages(body.messages) };
}

async function rewrite(source, target, attackAccounts, variant) {
  const lines = createInterface({ input: createReadStream(source).pipe(createGunzip()), crlfDelay: Infinity });
  const gzip = createGzip();
  const done = pipeline(gzip, createWriteStream(target));
  let index = 0;
  for await (const line of lines) {
    index++;
    const exchange = JSON.parse(line);
    if (variant !== 'clean' && attackAccounts.has(exchange.account_id) && exchange.request !== null && typeof exchange.request === 'object') {
      exchange.request =
        variant === 'padded' ? padBody(exchange.api, exchange.request, index, padding)
        : variant === 'padded_varied' ? padBody(exchange.api, exchange.request, index, variedPadding)
        : obfuscateRequestBody(exchange.api, exchange.request, variant, index);
    }
    if (!gzip.write(`${JSON.stringify(exchange)}\n`)) await new Promise((resolveDrain) => gzip.once('drain', resolveDrain));
  }
  gzip.end();
  await done;
}

const traffic = await simulatedTraffic(values.scenario, Number(values.seed));
const labels = readFileSync(traffic.labels, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const attackAccounts = new Set(labels.filter((label) => label.label === 'attack').map((label) => label.account_id));
const dir = join(BENCH_DATA, `evasion-${values.scenario}-seed${values.seed}`);
mkdirSync(dir, { recursive: true });
console.log(`machine: ${machine()}\n${values.scenario} seed ${values.seed}: ${attackAccounts.size} attack and ${labels.length - attackAccounts.size} benign accounts; build ${cli}\n`);
console.log(`  ${'variant'.padEnd(14)} ${'attack flagged'.padStart(15)} ${'benign flagged'.padStart(15)} ${'changed'.padStart(8)}`);
const variants = values.variants.split(',');
if (variants[0] !== 'clean') variants.unshift('clean');
let cleanFlags = null;
let changedVariants = 0;
for (const variant of variants) {
  const log = join(dir, `${variant}.jsonl.gz`);
  await rewrite(traffic.exchanges, log, attackAccounts, variant);
  const db = join(dir, `${variant}.duckdb`);
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  await run(['ingest', log, '--accounts', traffic.accounts, '--db', db, '--no-progress']);
  const findings = join(dir, `${variant}-findings.json`);
  await run(['analyze', '--db', db, '--json', findings, '--no-progress']);
  const evaluation = JSON.parse(await run(['eval', '--findings', findings, '--labels', traffic.labels, '--json']));
  const flagged = new Set(JSON.parse(readFileSync(findings, 'utf8')).accounts.filter((account) => account.flagged).map((account) => account.account_id));
  const attacks = [...attackAccounts].filter((account) => flagged.has(account)).length;
  const benign = [...flagged].filter((account) => !attackAccounts.has(account)).length;
  cleanFlags ??= flagged;
  const changed = [...flagged].filter((account) => !cleanFlags.has(account)).length + [...cleanFlags].filter((account) => !flagged.has(account)).length;
  if (changed > 0) changedVariants++;
  console.log(`  ${variant.padEnd(14)} ${`${attacks} / ${attackAccounts.size}`.padStart(15)} ${String(benign).padStart(15)} ${String(changed).padStart(8)}   recall ${evaluation.accounts?.recall?.toFixed?.(3) ?? '?'}`);
}
console.log(changedVariants === 0 ? '\nevery variant flags exactly the accounts the clean log flags' : `\n${changedVariants} variant(s) flag other accounts than the clean log`);
