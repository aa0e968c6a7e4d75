import { z } from 'zod';
import { UsageError } from '../../util/errors.js';

/**
 * Everything the proxy is configured with beyond the service's own settings, validated once at
 * start-up; the CLI builds the raw object from its flags.
 */
export const proxyConfigSchema = z
  .object({
    /** The API the proxy stands in front of: scheme, host, port and an optional base path. */
    upstream: z.string().url(),
    /** A header the edge sets to the caller's account; without one the account is a keyed hash of the caller's API key. */
    accountHeader: z.string().min(1).nullable().default(null),
    /** CIDR blocks of the proxies in front of this one; only their `X-Forwarded-For` is believed. */
    trustedProxies: z.array(z.string().min(1)).default([]),
    /** A header the edge sets to the client's JA4 TLS fingerprint. */
    ja4Header: z.string().min(1).nullable().default(null),
    /** What a request gets when the engine or store is unavailable: forwarded (open) or refused with 503 (closed). */
    failMode: z.enum(['open', 'closed']).default('open'),
    /** Requests a second a throttled account may make, and how many it may make at once. */
    throttleRate: z.number().positive().max(100_000).default(1),
    throttleBurst: z.number().int().min(1).max(100_000).default(5),
    /** Where a stepped-up account is sent to verify itself; named in the 403. */
    stepUpUrl: z.string().url().nullable().default(null),
    /** Longest wait for the upstream's response headers, and for each chunk of its body. */
    upstreamTimeoutMs: z.number().int().min(100).max(3_600_000).default(600_000),
    /**
     * Whether forwarded exchanges are recorded in the store; off when they reach it another way
     * (an OTLP exporter, a log shipper), so the proxy only decides and forwards.
     */
    record: z.boolean().default(true),
    /** Exchanges waiting to be recorded at most; more are dropped and counted. */
    recordQueue: z.number().int().min(1).max(1_000_000).default(10_000),
    /** Exchanges sent to the store in one batch at most, and the longest a recorded exchange waits for its batch. */
    recordBatch: z.number().int().min(1).max(100_000).default(500),
    recordLingerMs: z.number().int().min(1).max(60_000).default(100),
    /** Largest request or response body kept for the record; larger ones are forwarded whole but recorded without it. */
    maxRecordBodyBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(1024 * 1024),
  })
  .strict();

export type ProxyConfig = z.infer<typeof proxyConfigSchema>;
export type ProxyConfigInput = z.input<typeof proxyConfigSchema>;

export function readProxyConfig(raw: ProxyConfigInput): ProxyConfig {
  const parsed = proxyConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`proxy configuration: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}
