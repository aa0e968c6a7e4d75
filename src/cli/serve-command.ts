import { Command, Option } from 'commander';
import { TEXT_POLICIES, type TextPolicy } from '../ingest/text-policy.js';
import { DEFAULT_MAX_RECORD_BYTES } from '../ingest/line-batch-reader.js';
import { readServiceConfig } from '../service/service-config.js';
import { startLiveService } from '../service/start-service.js';
import { defaultTraceCacheDir, registerBacktestRoutes } from '../backtest/index.js';
import { readPartnerSightings, registerTaxiiRoutes } from '../intel/index.js';
import type { CliContext } from './cli-context.js';
import { parseByteSize, parseDuration, parsePort, parsePositiveInteger, parseTimestampWindowOption, parseWorkerCount, TIMESTAMP_WINDOW_HELP } from './option-parsers.js';
import { runUntilStopped } from './run-until-stopped.js';
import type { TimestampWindowSpec } from '../ingest/timestamp-window.js';

interface ServeFlags {
  db: string;
  host: string;
  port: number;
  policy?: string;
  relinkInterval: number;
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  maxRecordBytes: number;
  queueBatches: number;
  queueBytes: number;
  workers?: number;
  text: TextPolicy;
  tsWindow?: TimestampWindowSpec;
  memoryLimit: string;
  quarantine?: string;
  shutdownTimeout: number;
  /** A directory, or false with --no-backtest-trace-cache. */
  backtestTraceCache: string | false;
}

export function registerServeCommand(program: Command, context: CliContext): void {
  program
    .command('serve')
    .summary('run the live service: HTTP ingest and the decision API for gateways')
    .description(
      'Run the live service on a store: POST /v1/exchanges takes exchanges as they happen, POST /v1/decide tells a gateway ' +
        'what to do with an account\'s next request. API keys come from `distillguard keys create`. The server holds the ' +
        'store while it runs; SIGTERM or Ctrl-C stops it after committing every accepted batch, SIGHUP reloads the policy.',
    )
    .requiredOption('--db <path>', 'the store (a DuckDB file; created when missing)')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0 picks a free one)', parsePort, 8080)
    .option('--policy <file>', 'policy file (YAML): score bands, evidence rules, allow- and deny-lists; reloaded when it changes')
    .option('--relink-interval <duration>', 're-link accounts into clusters this often (e.g. 15s, 500ms)', parseDuration, 15_000)
    .option('--max-body-bytes <size>', 'largest request body as sent', parseByteSize, 16 * 1024 * 1024)
    .option('--max-decompressed-bytes <size>', 'largest exchange batch once gunzipped', parseByteSize, 128 * 1024 * 1024)
    .option('--max-record-bytes <size>', 'longest record (NDJSON line or array element) accepted, as for ingest; longer ones are quarantined as oversize', parseByteSize, DEFAULT_MAX_RECORD_BYTES)
    .option('--queue-batches <n>', 'ingest batches accepted and not yet committed before new ones get 503', parsePositiveInteger, 32)
    .option('--queue-bytes <size>', 'body bytes accepted and not yet committed before new batches get 503', parseByteSize, 256 * 1024 * 1024)
    .option('--workers <n>', 'ingest parser threads (0 parses on the main thread)', parseWorkerCount)
    .addOption(new Option('--text <policy>', 'prompt and output text kept in the store: full, excerpt or none').choices(TEXT_POLICIES).default('excerpt'))
    .option('--ts-window <from..to>', `${TIMESTAMP_WINDOW_HELP.replace('the start', 'each batch arrives')}`, parseTimestampWindowOption)
    .option('--memory-limit <size>', "DuckDB's buffer memory limit", '768MB')
    .option('--quarantine <file>', 'append quarantined HTTP records here too (JSON Lines)')
    .option('--shutdown-timeout <duration>', 'how long a shutdown waits for accepted batches', parseDuration, 30_000)
    .option(
      '--backtest-trace-cache <dir>',
      "where backtests keep the engine's assessments, so a backtest of the same exchanges (a window ending in the past) with the same step and relink interval decides from them (see docs/backtest.md)",
      defaultTraceCacheDir(),
    )
    .option('--no-backtest-trace-cache', 'backtests replay through the engine every time and keep nothing')
    .action(async (flags: ServeFlags) => {
      const config = readServiceConfig({
        db: flags.db,
        host: flags.host,
        port: flags.port,
        policyPath: flags.policy ?? null,
        relinkIntervalMs: flags.relinkInterval,
        maxBodyBytes: flags.maxBodyBytes,
        maxDecompressedBytes: flags.maxDecompressedBytes,
        maxRecordBytes: flags.maxRecordBytes,
        maxQueuedBatches: flags.queueBatches,
        maxQueuedBytes: flags.queueBytes,
        ...(flags.workers ?? context.env.workers) !== undefined ? { ingestWorkers: flags.workers ?? context.env.workers } : {},
        textPolicy: flags.text,
        ...(flags.tsWindow !== undefined ? { timestampWindow: flags.tsWindow } : {}),
        memoryLimit: flags.memoryLimit,
        quarantinePath: flags.quarantine ?? null,
        shutdownTimeoutMs: flags.shutdownTimeout,
        backtestTraceCache: flags.backtestTraceCache === false ? null : flags.backtestTraceCache,
      });
      const service = await startLiveService(config, context.logger, {
        routes: [registerBacktestRoutes, registerTaxiiRoutes],
        // Indicators partners push over TAXII count in decisions as they do in `analyze`.
        partnerSightings: (store) => readPartnerSightings(store),
      });
      context.logger.info({ url: service.url, db: config.db, engine: service.core.scoring.engineName }, 'serving');
      context.stdout.write(`distillguard serve: listening on ${service.url}\n`);

      await runUntilStopped(service, context);
      context.stdout.write('distillguard serve: stopped\n');
    });
}
