import { z } from 'zod';
import { UsageError } from '../util/errors.js';

/**
 * The only place that reads `process.env`. Everything else receives these settings as
 * arguments, so tests and embedders never depend on the environment.
 */
const runtimeEnvSchema = z.object({
  DISTILLGUARD_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  DISTILLGUARD_LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  DISTILLGUARD_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  NO_COLOR: z.string().optional(),
});

export interface RuntimeEnv {
  logLevel: string;
  logFormat: 'auto' | 'json' | 'pretty';
  /** Worker threads for parsing and feature extraction; undefined = one per core. */
  workers: number | undefined;
}

let cached: RuntimeEnv | undefined;

export function readRuntimeEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  if (env === process.env && cached) return cached;
  const parsed = runtimeEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`environment variable ${String(issue.path[0])}: ${issue.message}`);
  }
  const result: RuntimeEnv = {
    logLevel: parsed.data.DISTILLGUARD_LOG_LEVEL,
    logFormat: parsed.data.DISTILLGUARD_LOG_FORMAT,
    workers: parsed.data.DISTILLGUARD_WORKERS,
  };
  if (env === process.env) cached = result;
  return result;
}
