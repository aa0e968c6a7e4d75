import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';
import { Pool, errors as undiciErrors } from 'undici';
import type { ApiKind } from '../../model/exchange.js';
import type { Logger } from '../../util/log.js';
import { errorMessage } from '../../util/errors.js';
import type { Decision, DecisionQuery } from '../decisions/decision-book.js';
import { refusalFor, type Refusal, type RefusalKind } from './api-error-shapes.js';
import type { CallerIdentity } from './caller-identity.js';
import type { ExchangeRecorder } from './exchange-recorder.js';
import type { ProxyConfig } from './proxy-config.js';
import { createStreamAssembler } from './stream-assembler.js';
import { createTokenBuckets } from './token-bucket.js';
import { registerAuthRequestRoute, type RequestVerdict } from './auth-request-route.js';

/** The paths the proxy serves, and the API each speaks. */
export const PROXIED_PATHS: Record<string, ApiKind> = {
  '/v1/messages': 'anthropic.messages',
  '/v1/chat/completions': 'openai.chat_completions',
  '/v1/responses': 'openai.responses',
};

/** Hop-by-hop headers (RFC 9110, 7.6.1) and those the proxy sets itself. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

export interface ProxyAppOptions {
  config: ProxyConfig;
  /** The service's decision for an account's next request; throws when the engine is unavailable. */
  decide: (query: DecisionQuery) => Decision;
  recorder: ExchangeRecorder;
  identify: (headers: IncomingHttpHeaders, remoteAddress: string | undefined) => CallerIdentity;
  registry: Registry;
  logger: Logger;
  /** Largest request body accepted. */
  bodyLimit?: number;
  now?: () => number;
}

/**
 * The reverse proxy: Anthropic- and OpenAI-compatible endpoints in front of an upstream that
 * speaks them. Each request is decided in-process before it is forwarded; the response streams
 * back chunk by chunk as the upstream sends it, and the exchange is recorded after the response
 * has ended, through a queue that never holds a response up.
 */
export async function createProxyApp(options: ProxyAppOptions): Promise<FastifyInstance> {
  const { config, recorder, logger } = options;
  const now = options.now ?? Date.now;
  const upstream = new URL(config.upstream);
  const basePath = upstream.pathname.replace(/\/+$/, '');
  const pool = new Pool(upstream.origin, { connections: 256, keepAliveTimeout: 30_000, headersTimeout: config.upstreamTimeoutMs, bodyTimeout: config.upstreamTimeoutMs });
  const buckets = createTokenBuckets({ rate: config.throttleRate, burst: config.throttleBurst });
  const requests = new Counter({
    name: 'distillguard_proxy_requests_total',
    help: 'Requests through the proxy, by API, decision and what the proxy did',
    labelNames: ['api', 'action', 'outcome'] as const,
    registers: [options.registry],
  });
  const decisionSeconds = new Histogram({
    name: 'distillguard_proxy_decision_seconds',
    help: 'Time from a request arriving to its decision, body parsing excluded',
    buckets: [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01],
    registers: [options.registry],
  });

  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 32 * 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.addHook('onClose', async () => {
    await pool.close();
  });

  /** What to do with the caller's next request, by the service's decision and the account's bucket. */
  const judge = (identity: CallerIdentity): RequestVerdict => {
    if (identity.accountId === null) return { kind: 'unauthenticated', action: null, message: 'no API key: send x-api-key or Authorization: Bearer', retryAfter: null };
    if (config.failMode === 'closed' && !recorder.healthy) return { kind: 'unavailable', action: null, message: 'the service is unavailable; try again shortly', retryAfter: 5 };
    const started = performance.now();
    let decision: Decision;
    try {
      decision = options.decide({ accountId: identity.accountId, clientIp: identity.clientIp });
    } catch (error) {
      logger.error({ error: errorMessage(error) }, 'the decision failed');
      if (config.failMode === 'closed') return { kind: 'unavailable', action: null, message: 'the service is unavailable; try again shortly', retryAfter: 5 };
      return { kind: null, action: 'allow', message: '', retryAfter: null };
    } finally {
      decisionSeconds.observe((performance.now() - started) / 1000);
    }
    const reason = decision.reasons[0]?.detail;
    switch (decision.action) {
      case 'allow':
        return { kind: null, action: 'allow', message: '', retryAfter: null };
      case 'throttle': {
        const wait = buckets.take(identity.accountId);
        if (wait === 0) return { kind: null, action: 'throttle', message: '', retryAfter: null };
        return { kind: 'throttled', action: 'throttle', message: 'this account is rate limited; retry after the time in Retry-After', retryAfter: Math.max(1, Math.ceil(wait)) };
      }
      case 'step_up':
        return {
          kind: 'step_up',
          action: 'step_up',
          message: `this account must verify itself before it makes more requests${config.stepUpUrl === null ? '' : `: ${config.stepUpUrl}`}${reason === undefined ? '' : ` (${reason})`}`,
          retryAfter: null,
        };
      default:
        return { kind: 'blocked', action: 'block', message: `this account is blocked from this API${reason === undefined ? '' : ` (${reason})`}`, retryAfter: null };
    }
  };

  for (const [path, api] of Object.entries(PROXIED_PATHS)) {
    app.post(path, async (request, reply) => {
      const arrivedAt = now();
      const started = performance.now();
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const identity = options.identify(request.headers, request.socket.remoteAddress);
      const verdict = judge(identity);
      const requestBody = (): Record<string, unknown> => parseObject(raw, config.maxRecordBodyBytes) ?? {};
      const base = {
        id: `px-${randomUUID()}`,
        ts: new Date(arrivedAt).toISOString(),
        account_id: identity.accountId,
        api_key_id: identity.apiKeyId,
        client_ip: identity.clientIp,
        user_agent: identity.userAgent,
        tls_fingerprint: identity.tlsFingerprint,
        api,
      };
      if (verdict.kind !== null) {
        const refusal = refusalFor(api, verdict.kind, verdict.message);
        requests.inc({ api, action: verdict.action ?? 'none', outcome: verdict.kind });
        sendRefusal(reply, refusal, verdict.retryAfter);
        if (identity.accountId !== null && config.record) recorder.record({ ...base, request: requestBody(), response: refusal.body, status: refusal.status, latency_ms: Math.round(performance.now() - started) });
        return reply;
      }
      reply.hijack();
      const outcome = await forward(request, reply.raw, raw, api, identity);
      requests.inc({ api, action: verdict.action ?? 'allow', outcome: outcome.label });
      if (config.record) recorder.record({ ...base, request: requestBody(), response: outcome.response, status: outcome.status, latency_ms: Math.round(performance.now() - started) });
      return reply;
    });
  }

  registerAuthRequestRoute(app, { judge, identify: options.identify, requests });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', options.registry.contentType);
    return options.registry.metrics();
  });
  app.get('/healthz', async () => ({ status: 'ok', recorder: { healthy: recorder.healthy, queued: recorder.queued } }));

  /** Forwards the request and streams the answer back; what happened, for the record. */
  async function forward(
    request: FastifyRequest,
    res: ServerResponse,
    body: Buffer,
    api: ApiKind,
    identity: CallerIdentity,
  ): Promise<{ status: number; response: Record<string, unknown> | null; label: string }> {
    const controller = new AbortController();
    const onClose = (): void => {
      if (!res.writableFinished) controller.abort();
    };
    res.on('close', onClose);
    let headersSent = false;
    try {
      const answer = await pool.request({
        path: basePath + request.url,
        method: 'POST',
        headers: forwardedHeaders(request.headers, identity.clientIp),
        body,
        signal: controller.signal,
      });
      res.writeHead(answer.statusCode, responseHeaders(answer.headers));
      headersSent = true;
      const contentType = String(answer.headers['content-type'] ?? '');
      const encoding = String(answer.headers['content-encoding'] ?? 'identity');
      const assembler = config.record && contentType.includes('text/event-stream') && encoding === 'identity' ? createStreamAssembler(api, config.maxRecordBodyBytes) : null;
      const kept: Buffer[] = [];
      let keptBytes = config.record ? 0 : Infinity;
      for await (const chunk of answer.body as AsyncIterable<Buffer>) {
        if (!res.write(chunk)) await once(res, 'drain');
        if (assembler !== null) assembler.push(chunk);
        else if (keptBytes <= config.maxRecordBodyBytes) {
          kept.push(chunk);
          keptBytes += chunk.length;
        }
      }
      res.end();
      const response = !config.record ? null : assembler !== null ? assembler.finish() : keptBytes <= config.maxRecordBodyBytes ? parseObject(decoded(Buffer.concat(kept), encoding), config.maxRecordBodyBytes) : null;
      return { status: answer.statusCode, response, label: answer.statusCode < 400 ? 'forwarded' : 'upstream_error' };
    } catch (error) {
      const timeout = error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError;
      const kind: RefusalKind = timeout ? 'upstream_timeout' : 'upstream_unreachable';
      if (controller.signal.aborted) {
        return { status: 499, response: null, label: 'client_closed' };
      }
      logger.warn({ error: errorMessage(error), upstream: upstream.origin }, 'the upstream failed');
      const refusal = refusalFor(api, kind, timeout ? 'the upstream API did not answer in time' : 'the upstream API could not be reached');
      if (!headersSent) {
        res.writeHead(refusal.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(refusal.body));
      } else {
        res.destroy();
      }
      return { status: refusal.status, response: refusal.body, label: kind };
    } finally {
      res.off('close', onClose);
    }
  }

  return app;
}

function sendRefusal(reply: FastifyReply, refusal: Refusal, retryAfter: number | null): void {
  if (retryAfter !== null) reply.header('retry-after', String(retryAfter));
  void reply.code(refusal.status).header('content-type', 'application/json').send(JSON.stringify(refusal.body));
}

function forwardedHeaders(headers: IncomingHttpHeaders, clientIp: string | null): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  if (clientIp !== null) {
    const prior = headers['x-forwarded-for'];
    out['x-forwarded-for'] = prior === undefined ? clientIp : `${Array.isArray(prior) ? prior.join(', ') : prior}, ${clientIp}`;
  }
  return out;
}

function responseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && (!HOP_BY_HOP.has(name) || name === 'content-length')) out[name] = value;
  return out;
}

function decoded(body: Buffer, encoding: string): Buffer {
  try {
    if (encoding === 'gzip') return gunzipSync(body);
    if (encoding === 'deflate') return inflateSync(body);
    if (encoding === 'br') return brotliDecompressSync(body);
  } catch {
    return Buffer.alloc(0);
  }
  return body;
}

function parseObject(body: Buffer, maxBytes: number): Record<string, unknown> | null {
  if (body.length === 0 || body.length > maxBytes) return null;
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
