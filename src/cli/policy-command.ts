import { Command, InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import { defaultTraceCacheDir, formatBacktest, portablePolicy, runStoreBacktestOnThread, DEFAULT_BACKTEST_RELINK_INTERVAL_MS, DEFAULT_BACKTEST_STEP_MS, type BacktestPolicy } from '../backtest/index.js';
import { parseLabels } from '../eval/index.js';
import { parseRfc3339 } from '../ingest/index.js';
import { compilePolicy, DEFAULT_POLICY_DOCUMENT, parsePolicy } from '../service/decisions/decision-policy.js';
import { DuckDbStore } from '../store/duckdb-store.js';
import { UsageError } from '../util/errors.js';
import type { CliContext } from './cli-context.js';
import { parseDuration, parseNonNegativeInteger } from './option-parsers.js';
import { createProgressDisplay, formatRate } from './progress-display.js';
import { readTextFile } from './text-file.js';

interface BacktestFlags {
  db: string;
  policy: string;
  against?: string;
  labels?: string;
  from?: number;
  to?: number;
  step: number;
  relinkInterval: number;
  top: number;
  json: boolean;
  memoryLimit: string;
  progress?: boolean;
  /** A directory, or false with --no-trace-cache. */
  traceCache: string | false;
}

/** The name that stands for the built-in policy `serve` runs without `--policy`. */
const BUILT_IN = 'default';

export function registerPolicyCommand(program: Command, context: CliContext): void {
  const policy = program.command('policy').summary('try a decision policy on the stored history before it goes live');

  policy
    .command('backtest')
    .summary('what a policy would have done over the stored exchanges')
    .description(
      'Replay the stored exchanges in time order through the engine `serve` runs, relinking on a schedule of traffic time, ' +
        'and decide each exchange with the policy as a gateway would have asked /v1/decide before sending it. Reports ' +
        'accounts and exchanges per action, when each account was first stepped up or blocked, precision and recall of each ' +
        'action against the store\'s verdicts and --labels, how much of each campaign\'s volume went through before it was ' +
        'stopped, the organisations and enterprise, education and research accounts it would have hit, and, with --against, ' +
        'the current policy side by side and every account it treats differently. The store is only read. ' +
        `--policy ${BUILT_IN} (or --against ${BUILT_IN}) stands for the built-in policy.`,
    )
    .requiredOption('--db <path>', 'the store (made by `distillguard ingest` or `serve`)')
    .requiredOption('--policy <file>', `the candidate policy (YAML), or ${BUILT_IN}`)
    .option('--against <file>', `the policy in force now, to compare with (YAML), or ${BUILT_IN}`)
    .option('--labels <file>', 'account labels (JSON Lines: account_id, label, campaign, persona), to judge the decisions with')
    .option('--from <time>', 'decide exchanges from this time (RFC 3339 or a date); earlier ones are replayed first, not decided', parseTime)
    .option('--to <time>', 'stop before this time (RFC 3339 or a date)', parseTime)
    .option('--step <duration>', 'traffic time between refreshes of the scores, like the service committing a batch', parseDuration, DEFAULT_BACKTEST_STEP_MS)
    .option('--relink-interval <duration>', 'traffic time between relinks (serve relinks every 15s of wall-clock time; see docs/backtest.md)', parseDuration, DEFAULT_BACKTEST_RELINK_INTERVAL_MS)
    .option('--top <n>', 'rows shown in each list of the report', parseNonNegativeInteger, 10)
    .option('--json', 'print the whole result as JSON on stdout', false)
    .option('--memory-limit <size>', "DuckDB's buffer memory limit", '1GB')
    .option(
      '--trace-cache <dir>',
      'where the engine\'s assessments are kept after a replay, so a backtest of the same exchanges with the same --step, --relink-interval and --to decides from them instead of replaying the engine (see docs/backtest.md)',
      defaultTraceCacheDir(),
    )
    .option('--no-trace-cache', 'replay through the engine every time, and keep nothing')
    .option('--no-progress', 'no progress bar, even on a terminal')
    .action(async (flags: BacktestFlags) => {
      if (flags.step < 1 || flags.relinkInterval < 1) throw new UsageError('--step and --relink-interval must be at least 1ms');
      if (flags.from !== undefined && flags.to !== undefined && flags.from >= flags.to) throw new UsageError('--from must be before --to');
      const policies: BacktestPolicy[] = [await loadPolicy('candidate', flags.policy)];
      if (flags.against !== undefined) policies.push(await loadPolicy('current', flags.against));
      const labels = flags.labels === undefined ? undefined : parseLabels(await readTextFile(flags.labels, '--labels'), flags.labels);
      if (!existsSync(flags.db)) throw new UsageError(`no store at ${flags.db}: run \`distillguard ingest ... --db ${flags.db}\` first`);

      // Opened here first so that a store that cannot be read fails as it always has, with its own
      // message and exit code; the backtest itself runs on a thread of its own.
      (await DuckDbStore.open({ path: flags.db, readOnly: true, memoryLimit: flags.memoryLimit })).close();
      const progress = createProgressDisplay({ label: 'backtest', total: 1, unit: 'items', suffix: '{rate} exchanges/s', stream: context.stderr, enabled: flags.progress === false ? false : undefined });
      try {
        const result = await runStoreBacktestOnThread(
          {
            dbPath: flags.db,
            memoryLimit: flags.memoryLimit,
            policies: policies.map(portablePolicy),
            labels,
            fromMs: flags.from ?? null,
            toMs: flags.to ?? null,
            stepMs: flags.step,
            relinkIntervalMs: flags.relinkInterval,
            topOrgs: flags.top,
            traceCacheDir: flags.traceCache === false ? null : flags.traceCache,
          },
          (rows, total, seconds) => {
            progress.setTotal(total);
            progress.update(rows, { rate: formatRate(rows, seconds) });
          },
        );
        progress.stop();
        const { trace } = result.replay;
        if (trace.note !== null) context.logger.warn({ trace: trace.path }, trace.note);
        context.logger.info({ seconds: result.replay.seconds, relinks: result.replay.relinks, exchanges: result.replay.exchanges_read, trace: trace.use }, 'backtest finished');
        context.stdout.write(flags.json ? JSON.stringify(result, null, 2) + '\n' : formatBacktest(result, { top: flags.top }));
      } finally {
        progress.stop();
      }
    });
}

async function loadPolicy(name: string, path: string): Promise<BacktestPolicy> {
  if (path === BUILT_IN) return { name, source: BUILT_IN, policy: compilePolicy(DEFAULT_POLICY_DOCUMENT, BUILT_IN) };
  return { name, source: path, policy: parsePolicy(await readTextFile(path, name === 'candidate' ? '--policy' : '--against'), path) };
}

function parseTime(text: string): number {
  const ms = parseRfc3339(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (ms === null) throw new InvalidArgumentError('expected an RFC 3339 time such as 2026-02-05T00:00:00Z, or a date such as 2026-02-05');
  return ms;
}
