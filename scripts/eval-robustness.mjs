// npm run eval:robustness — detection measured over many simulated worlds with one detection
// config: per campaign kind and per benign persona, the mean and the worst recall or
// false-positive rate, and the adjusted Rand index, with the worst world named. A gain on one
// world says little about users' traffic; the worst world is what this reports first.
//
//   node scripts/eval-robustness.mjs [--worlds 20] [--seeds 101-120] [--scenario randomized|NAME|FILE]
//                                    [--scale S] [--config FILE] [--peer] [--out DIR] [--keep] [--reuse|--reingest]
//                                    [--cli FILE] [--json FILE]
//
// --keep leaves each world's traffic and store in --out; --reuse then analyses the stores kept
// there again instead of simulating and ingesting (to compare detection configs or builds on the
// very same worlds; a world with no kept store is simulated as usual), and --reingest ingests the
// kept traffic again first (for a build whose change is in the features taken at ingest).
// --cli runs another build's dist/cli/main.js (default: this checkout's).
//
// Seeds 1-99 are the ones detection work may look at while developing; 101 and up are held out
// and reported (docs/detection.md says which figures came from which).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CLI, ROOT, machine, runCli } from '../bench/bench-support.mjs';

const { values: flags } = parseArgs({
  options: {
    worlds: { type: 'string', default: '20' },
    seeds: { type: 'string' },
    scenario: { type: 'string', default: 'randomized' },
    scale: { type: 'string', default: '1' },
    config: { type: 'string' },
    peer: { type: 'boolean', default: false },
    out: { type: 'string' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    reingest: { type: 'boolean', default: false },
    cli: { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (flags.help) {
  console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((line) => line.startsWith('//')).map((line) => line.slice(3)).join('\n'));
  process.exit(0);
}
const build = resolve(flags.cli ?? CLI);
if (!existsSync(build)) {
  console.error(flags.cli === undefined ? 'dist/ is missing: run `npm run build` first (npm run eval:robustness does).' : `--cli: no such file: ${build}`);
  process.exit(2);
}

function parseSeeds(text, count) {
  if (text === undefined) return Array.from({ length: count }, (_, i) => 101 + i);
  const seeds = [];
  for (const part of text.split(',')) {
    const range = /^(\d+)-(\d+)$/.exec(part.trim());
    if (range) for (let s = Number(range[1]); s <= Number(range[2]); s++) seeds.push(s);
    else if (/^\d+$/.test(part.trim())) seeds.push(Number(part.trim()));
    else throw new Error(`--seeds: expected numbers and ranges such as 101-120,7 (found "${part}")`);
  }
  return seeds;
}

const seeds = parseSeeds(flags.seeds, Number(flags.worlds));
const work = resolve(flags.out ?? join(tmpdir(), `distillguard-robustness-${process.pid}`));
mkdirSync(work, { recursive: true });

async function cli(args, what) {
  const result = await runCli(args, { cli: build });
  if (result.code !== 0) throw new Error(`${what}: distillguard ${args[0]} exited with ${result.code}`);
  return result;
}

/** One world: simulate, ingest, analyse, evaluate. */
async function runWorld(seed) {
  const dir = join(work, `world-${seed}`);
  const traffic = join(dir, 'traffic');
  const db = join(dir, 'store.duckdb');
  const started = performance.now();
  const kept = existsSync(join(traffic, 'labels.jsonl'));
  if (flags.reingest && kept) await ingest(traffic, db, seed);
  else if (!(flags.reuse && kept && existsSync(db))) await simulateAndIngest(seed, dir, traffic, db);
  const findings = join(dir, 'findings.json');
  const analyze = ['analyze', '--db', db, '--json', findings, '--no-progress'];
  if (flags.config) analyze.push('--config', flags.config);
  await cli(analyze, `world ${seed}`);
  const evaluation = JSON.parse((await cli(['eval', '--findings', findings, '--labels', join(traffic, 'labels.jsonl'), '--json'], `world ${seed}`)).stdout);
  if (!flags.keep && !flags.reuse && !flags.reingest) rmSync(dir, { recursive: true, force: true });
  return { seed, seconds: (performance.now() - started) / 1000, evaluation };
}

async function simulateAndIngest(seed, dir, traffic, db) {
  rmSync(dir, { recursive: true, force: true });
  const simulate =
    flags.scenario === 'randomized'
      ? ['simulate', '--randomize', '--seed', String(seed), '--scale', flags.scale, '--out', traffic, '--no-progress']
      : ['simulate', '--scenario', flags.scenario, '--seed', String(seed), '--scale', flags.scale, '--out', traffic, '--no-progress'];
  await cli(simulate, `world ${seed}`);
  await ingest(traffic, db, seed);
}

/** Ingests a world's traffic into a new store (the one there before is replaced). */
async function ingest(traffic, db, seed) {
  for (const file of [db, `${db}.wal`, `${db}.staging`]) rmSync(file, { recursive: true, force: true });
  await cli(['ingest', join(traffic, 'exchanges.jsonl.gz'), '--accounts', join(traffic, 'accounts.jsonl'), '--db', db, '--no-progress', '--text', 'none'], `world ${seed}`);
}

/** The peer's labelled set, when it is shipped (ingested in its own format). */
async function runPeer() {
  const source = join(ROOT, 'data', 'peer', 'glasswally', 'labeled_5k.jsonl.gz');
  if (!existsSync(source)) return null;
  const dir = join(work, 'peer-glasswally');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = join(dir, 'store.duckdb');
  await cli(['ingest', '--format', 'glasswally', source, '--db', db, '--no-progress'], 'peer set');
  const labels = join(dir, 'labels.jsonl');
  await cli(['peer-labels', '--format', 'glasswally', source, '--out', labels], 'peer set');
  const findings = join(dir, 'findings.json');
  const analyze = ['analyze', '--db', db, '--json', findings, '--no-progress'];
  if (flags.config) analyze.push('--config', flags.config);
  await cli(analyze, 'peer set');
  return JSON.parse((await cli(['eval', '--findings', findings, '--labels', labels, '--json'], 'peer set')).stdout);
}

function accumulate(worlds) {
  const campaigns = new Map();
  const personas = new Map();
  const note = (map, key, seed, value, accounts) => {
    let entry = map.get(key);
    if (entry === undefined) map.set(key, (entry = { values: [], worst: null, accounts: 0, worlds: 0 }));
    entry.values.push(value);
    entry.accounts += accounts;
    entry.worlds++;
    return entry;
  };
  for (const { seed, evaluation } of worlds) {
    // Recall and false-positive rates over the accounts that sent traffic in the window: an
    // account that sent nothing can be judged only by its sign-up details (it is still in the
    // findings, and the recall over all accounts is kept beside).
    for (const campaign of evaluation.campaigns) {
      const recall = campaign.recall_with_traffic;
      if (recall === null) continue;
      const kind = campaign.personas.join('+');
      const entry = note(campaigns, kind, seed, recall, campaign.accounts - campaign.silent);
      entry.silent = (entry.silent ?? 0) + campaign.silent;
      entry.missed ??= { unlinked: 0, in_unflagged_cluster: 0, in_flagged_cluster: 0 };
      for (const reason of Object.keys(entry.missed)) entry.missed[reason] += campaign.missed?.[reason] ?? 0;
      if (entry.worst === null || recall < entry.worst.value) entry.worst = { value: recall, seed, name: campaign.campaign };
      if (entry.worstAll === undefined || campaign.recall < entry.worstAll) entry.worstAll = campaign.recall;
      if (campaign.exchange_recall !== null && (entry.worstExchanges === undefined || campaign.exchange_recall < entry.worstExchanges)) entry.worstExchanges = campaign.exchange_recall;
    }
    for (const persona of evaluation.personas) {
      const share = persona.flagged_share_with_traffic;
      if (persona.label !== 'benign' || share === null) continue;
      const entry = note(personas, persona.persona, seed, share, persona.accounts - persona.silent);
      entry.hard = persona.hard_negative;
      if (entry.worst === null || share > entry.worst.value) entry.worst = { value: share, seed, name: persona.persona };
    }
  }
  const mean = (values) => values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
  const ari = worlds.map(({ seed, evaluation }) => ({ seed, value: evaluation.clusters.ari ?? 0, attackOnly: evaluation.clusters.ari_attack_only ?? 0 }));
  const precision = worlds.map(({ seed, evaluation }) => ({ seed, value: evaluation.accounts.precision ?? 1 }));
  const worst = (list, pick) => list.reduce((a, b) => (pick(b.value, a.value) ? b : a));
  return {
    campaigns: [...campaigns].sort().map(([kind, e]) => ({
      kind,
      worlds: e.worlds,
      accounts: e.accounts,
      silent_accounts: e.silent,
      mean_recall: mean(e.values),
      worst_recall: e.worst.value,
      worst_seed: e.worst.seed,
      worst_campaign: e.worst.name,
      worst_recall_all_accounts: e.worstAll,
      worst_exchange_recall: e.worstExchanges ?? null,
      missed: e.missed,
    })),
    personas: [...personas]
      .sort((a, b) => Number(b[1].hard) - Number(a[1].hard) || a[0].localeCompare(b[0]))
      .map(([persona, e]) => ({ persona, hard_negative: e.hard, worlds: e.worlds, accounts: e.accounts, mean_fpr: mean(e.values), worst_fpr: e.worst.value, worst_seed: e.worst.seed })),
    ari: { mean: mean(ari.map((a) => a.value)), worst: worst(ari, (x, y) => x < y), mean_attack_only: mean(ari.map((a) => a.attackOnly)) },
    precision: { mean: mean(precision.map((p) => p.value)), worst: worst(precision, (x, y) => x < y) },
  };
}

const pct = (v) => `${(v * 100).toFixed(1)}%`;
const num = (v) => v.toFixed(3);

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => '  ' + cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const label = flags.scenario === 'randomized' ? 'randomized worlds' : `scenario ${flags.scenario}`;
console.log(`Robustness evaluation: ${seeds.length} ${label} (seeds ${seeds.join(', ')}), scale ${flags.scale}, ${flags.config ? `config ${flags.config}` : 'default config'}`);
console.log(`Machine: ${machine()}; work in ${work}${flags.cli === undefined ? '' : `; build ${build}`}`);
const worlds = [];
for (const seed of seeds) {
  const world = await runWorld(seed);
  worlds.push(world);
  const a = world.evaluation.accounts;
  console.log(
    `  world ${seed}: ${world.evaluation.counts.attack_accounts} attack / ${world.evaluation.counts.benign_accounts} benign accounts, ` +
      `precision ${a.precision === null ? '-' : num(a.precision)}, recall ${a.recall_with_traffic === null ? '-' : num(a.recall_with_traffic)} (all accounts ${a.recall === null ? '-' : num(a.recall)}), ` +
      `hard-negative FPR ${a.hard_negative_false_positive_rate === null ? '-' : pct(a.hard_negative_false_positive_rate)}, ARI ${num(world.evaluation.clusters.ari ?? 0)} (${world.seconds.toFixed(0)} s)`,
  );
}
const summary = accumulate(worlds);
console.log('\nRecall per campaign kind over accounts with traffic (worst world first matters; beside it the worst over all accounts, and of exchanges)');
console.log(
  table(
    ['campaign kind', 'worlds', 'accounts', 'silent', 'mean', 'worst', 'worst world', 'worst, all', 'worst, exchanges'],
    summary.campaigns.map((c) => [
      c.kind,
      c.worlds,
      c.accounts,
      c.silent_accounts,
      num(c.mean_recall),
      num(c.worst_recall),
      `${c.worst_seed} (${c.worst_campaign})`,
      num(c.worst_recall_all_accounts),
      c.worst_exchange_recall === null ? '-' : pct(c.worst_exchange_recall),
    ]),
  ),
);
console.log('\nWhere the missed accounts with traffic sit, over all worlds: linked to no cluster (linking found no tie), in a cluster not flagged (its evidence fell short), in a flagged cluster but too weakly tied to take its evidence');
console.log(
  table(
    ['campaign kind', 'missed', 'no cluster', 'cluster not flagged', 'weak member'],
    summary.campaigns.map((c) => {
      const total = c.missed.unlinked + c.missed.in_unflagged_cluster + c.missed.in_flagged_cluster;
      const part = (n) => (total === 0 ? '-' : `${n} (${pct(n / total)})`);
      return [c.kind, total, part(c.missed.unlinked), part(c.missed.in_unflagged_cluster), part(c.missed.in_flagged_cluster)];
    }),
  ),
);
console.log('\nFalse-positive rate per benign persona over accounts with traffic (* hard negative)');
console.log(table(['persona', 'worlds', 'accounts', 'mean', 'worst', 'worst world'], summary.personas.map((p) => [`${p.persona}${p.hard_negative ? ' *' : ''}`, p.worlds, p.accounts, pct(p.mean_fpr), pct(p.worst_fpr), p.worst_fpr > 0 ? p.worst_seed : '-'])));
console.log(`\nAdjusted Rand index: mean ${num(summary.ari.mean)}, worst ${num(summary.ari.worst.value)} (world ${summary.ari.worst.seed}); attack accounts only, mean ${num(summary.ari.mean_attack_only)}`);
console.log(`Precision: mean ${num(summary.precision.mean)}, worst ${num(summary.precision.worst.value)} (world ${summary.precision.worst.seed})`);

let peer = null;
if (flags.peer) {
  peer = await runPeer();
  if (peer === null) console.log('\nPeer set: data/peer/glasswally is not in this checkout; skipped.');
  else console.log(`\nPeer set (Glasswally labeled_5k): precision ${peer.accounts.precision === null ? '-' : num(peer.accounts.precision)}, recall ${num(peer.accounts.recall ?? 0)}, FPR ${pct(peer.accounts.false_positive_rate ?? 0)}, PR-AUC ${num(peer.accounts.pr_auc ?? 0)}`);
}
if (flags.json) writeFileSync(flags.json, JSON.stringify({ machine: machine(), seeds, scenario: flags.scenario, scale: Number(flags.scale), summary, peer, worlds: worlds.map((w) => ({ seed: w.seed, seconds: w.seconds, evaluation: w.evaluation })) }, null, 2) + '\n');
if (!flags.keep && !flags.reuse && flags.out === undefined) rmSync(work, { recursive: true, force: true });
