import { Command, Option } from 'commander';
import { readServiceConfig } from '../service/service-config.js';
import { readProxyConfig } from '../service/proxy/proxy-config.js';
import { readPartnerSightings } from '../intel/index.js';
import { startProxy } from '../service/proxy/start-proxy.js';
import type { CliContext } from './cli-context.js';
import { parseByteSize, parseDuration, parsePort, parsePositiveInteger, parsePositiveNumber } from './option-parsers.js';
import { runUntilStopped } from './run-until-stopped.js';

interface ProxyFlags {
  upstream: string;
  db: string;
  host: string;
  port: number;
  policy?: string;
  accountHeader?: string;
  trustedProxies: string[];
  ja4Header?: string;
  failClosed: boolean;
  throttleRate: number;
  throttleBurst: number;
  stepUpUrl?: string;
  upstreamTimeout: number;
  recordQueue: number;
  record: boolean;
  relinkInterval: number;
  maxBodyBytes: number;
  memoryLimit: string;
}

export function registerProxyCommand(program: Command, context: CliContext): void {
  program
    .command('proxy')
    .summary('stand in front of an LLM API: decide on, forward and record every request')
    .description(
      'A reverse proxy for /v1/messages (Anthropic), /v1/chat/completions and /v1/responses (OpenAI) in front of --upstream. ' +
        'Each request is decided by the live engine before it is forwarded: allow forwards it, throttle puts the account on a ' +
        'token bucket (429 with Retry-After), step_up and block answer 403, all in the API\'s own error shape. Streams pass ' +
        'through chunk by chunk; every exchange is recorded in the store off the response\'s path. GET /v1/auth-request answers ' +
        'nginx auth_request (docs/request-path.md).',
    )
    .requiredOption('--upstream <url>', 'the API to forward to, e.g. https://api.anthropic.com or http://127.0.0.1:8000')
    .requiredOption('--db <path>', 'the store (a DuckDB file; created when missing)')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0 picks a free one)', parsePort, 8088)
    .option('--policy <file>', 'policy file (YAML), as for serve')
    .option('--account-header <name>', 'a header the edge sets to the caller\'s account (default: a keyed hash of the caller\'s API key)')
    .option('--trusted-proxies <cidrs>', 'comma-separated addresses or CIDR blocks whose X-Forwarded-For is believed', (text) => text.split(',').map((part) => part.trim()).filter(Boolean), [])
    .option('--ja4-header <name>', 'a header the edge sets to the client\'s JA4 TLS fingerprint')
    .addOption(new Option('--fail-open', 'forward requests when the engine or store is unavailable (default)').conflicts('failClosed'))
    .option('--fail-closed', 'answer 503 when the engine or store is unavailable', false)
    .option('--throttle-rate <n>', 'requests a second a throttled account may make', parsePositiveNumber, 1)
    .option('--throttle-burst <n>', 'requests a throttled account may make at once', parsePositiveInteger, 5)
    .option('--step-up-url <url>', 'where a stepped-up account verifies itself; named in its 403')
    .option('--upstream-timeout <duration>', 'longest wait for the upstream\'s headers and between its chunks', parseDuration, 600_000)
    .option('--no-record', 'decide and forward only; exchanges reach the store another way (ingest, OTLP)')
    .option('--record-queue <n>', 'exchanges waiting to be recorded before more are dropped (and counted)', parsePositiveInteger, 10_000)
    .option('--relink-interval <duration>', 're-link accounts into clusters this often', parseDuration, 15_000)
    .option('--max-body-bytes <size>', 'largest request body', parseByteSize, 32 * 1024 * 1024)
    .option('--memory-limit <size>', "DuckDB's buffer memory limit", '768MB')
    .action(async (flags: ProxyFlags) => {
      const service = readServiceConfig({
        db: flags.db,
        host: flags.host,
        port: flags.port,
        policyPath: flags.policy ?? null,
        relinkIntervalMs: flags.relinkInterval,
        maxBodyBytes: flags.maxBodyBytes,
        maxDecompressedBytes: Math.max(128 * 1024 * 1024, flags.maxBodyBytes),
        maxQueuedBytes: Math.max(256 * 1024 * 1024, flags.maxBodyBytes),
        memoryLimit: flags.memoryLimit,
        ...(context.env.workers !== undefined ? { ingestWorkers: context.env.workers } : {}),
      });
      const proxy = readProxyConfig({
        upstream: flags.upstream,
        accountHeader: flags.accountHeader ?? null,
        trustedProxies: flags.trustedProxies,
        ja4Header: flags.ja4Header ?? null,
        failMode: flags.failClosed ? 'closed' : 'open',
        throttleRate: flags.throttleRate,
        throttleBurst: flags.throttleBurst,
        stepUpUrl: flags.stepUpUrl ?? null,
        upstreamTimeoutMs: flags.upstreamTimeout,
        recordQueue: flags.recordQueue,
        record: flags.record,
      });
      const live = await startProxy({ service, proxy, logger: context.logger, partnerSightings: (store) => readPartnerSightings(store) });
      context.logger.info({ url: live.url, upstream: proxy.upstream, db: service.db }, 'proxying');
      context.stdout.write(`distillguard proxy: listening on ${live.url}, forwarding to ${proxy.upstream}\n`);
      await runUntilStopped(live, context);
      context.stdout.write('distillguard proxy: stopped\n');
    });
}
