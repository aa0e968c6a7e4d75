import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { DEFAULT_MAX_RECORD_BYTES, TEXT_POLICIES } from '../ingest/index.js';
import { UsageError } from '../util/errors.js';

const MiB = 1024 * 1024;

/**
 * Everything `distillguard serve` is configured with, validated once at start-up. The CLI
 * builds the raw object from its flags; nothing in the service reads flags or the environment.
 */
export const serviceConfigSchema = z
  .object({
    db: z.string().min(1),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    /** Policy file (YAML); null serves the built-in default bands. */
    policyPath: z.string().min(1).nullable().default(null),
    policyPollMs: z.number().int().min(50).max(60_000).default(1000),
    /** How often accounts are re-linked into clusters in the background. */
    relinkIntervalMs: z.number().int().min(100).max(3_600_000).default(15_000),
    /** Largest request body as sent (compressed or not). */
    maxBodyBytes: z.number().int().min(1024).max(1024 * MiB).default(16 * MiB),
    /** Largest exchange batch once gunzipped. */
    maxDecompressedBytes: z.number().int().min(1024).max(4096 * MiB).default(128 * MiB),
    /** Longest record (NDJSON line or array element), as `ingest --max-record-bytes`; longer ones are quarantined. */
    maxRecordBytes: z.number().int().min(1).max(1024 * MiB).default(DEFAULT_MAX_RECORD_BYTES),
    maxQueuedBatches: z.number().int().min(1).max(10_000).default(32),
    maxQueuedBytes: z.number().int().min(1024).max(8192 * MiB).default(256 * MiB),
    /** Threads parsing ingest batches; 0 parses on the main thread (slower decisions under ingest). */
    ingestWorkers: z.number().int().min(0).max(64).default(Math.max(1, Math.min(2, availableParallelism()))),
    /** Run relinks on a worker thread (the default) or inline (tests). */
    relinkInWorker: z.boolean().default(true),
    /** Keep the engine's state on a worker thread (the default) or on the main thread in slices (tests). */
    scoringInWorker: z.boolean().default(true),
    textPolicy: z.enum(TEXT_POLICIES).default('excerpt'),
    /** Exchange times accepted (epoch ms); a null end keeps the default, as in `ingest --ts-window`. */
    timestampWindow: z
      .object({ fromMs: z.number().int().nullable(), toMs: z.number().int().nullable() })
      .strict()
      .default({ fromMs: null, toMs: null }),
    memoryLimit: z.string().min(1).default('768MB'),
    /** Where quarantined HTTP records are appended; null keeps them only in the responses. */
    quarantinePath: z.string().min(1).nullable().default(null),
    /** Where backtests keep the engine's assessments for later backtests of the same exchanges (`policy backtest --trace-cache`); null keeps none. */
    backtestTraceCache: z.string().min(1).nullable().default(null),
    /** How long a graceful shutdown waits for accepted batches before giving up. */
    shutdownTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  })
  .strict()
  .superRefine((config, context) => {
    if (config.maxDecompressedBytes < config.maxBodyBytes) {
      context.addIssue({ code: 'custom', path: ['maxDecompressedBytes'], message: 'must be at least --max-body-bytes' });
    }
    if (config.maxQueuedBytes < config.maxBodyBytes) {
      context.addIssue({ code: 'custom', path: ['maxQueuedBytes'], message: 'must be at least --max-body-bytes, or no batch of the largest size could ever be queued' });
    }
  });

export type ServiceConfig = z.infer<typeof serviceConfigSchema>;
export type ServiceConfigInput = z.input<typeof serviceConfigSchema>;

export function readServiceConfig(raw: ServiceConfigInput): ServiceConfig {
  const parsed = serviceConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`serve configuration: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}
