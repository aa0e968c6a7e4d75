import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Counter } from 'prom-client';
import type { DecisionAction } from '../decisions/decision-policy.js';
import type { RefusalKind } from './api-error-shapes.js';
import type { CallerIdentity } from './caller-identity.js';

/** What the proxy does with a request: forward it (`kind` null) or refuse it, and why. */
export interface RequestVerdict {
  kind: RefusalKind | null;
  action: DecisionAction | null;
  message: string;
  retryAfter: number | null;
}

export interface AuthRequestDependencies {
  judge: (identity: CallerIdentity) => RequestVerdict;
  identify: (headers: IncomingHttpHeaders, remoteAddress: string | undefined) => CallerIdentity;
  requests: Counter<'api' | 'action' | 'outcome'>;
}

/**
 * `GET /v1/auth-request`: the decision for a request an edge proxy holds, from the headers it
 * passes (the account header or the caller's API key, `X-Forwarded-For`), with the proxy's
 * throttle buckets. 204 allows; a refusal is 429 (throttle, with `Retry-After`) or 403, and
 * carries `X-Distillguard-Action`. nginx's `auth_request` passes only 2xx, 401 and 403 on (any
 * other status is its own 500), so `?throttle_status=403` answers a throttle with 403 and the
 * nginx config turns it back into a 429 from that header (docs/request-path.md).
 */
export function registerAuthRequestRoute(app: FastifyInstance, dependencies: AuthRequestDependencies): void {
  app.get<{ Querystring: { throttle_status?: string } }>('/v1/auth-request', async (request, reply) => {
    const identity = dependencies.identify(request.headers, request.socket.remoteAddress);
    const verdict = dependencies.judge(identity);
    const action = verdict.action ?? (verdict.kind === null ? 'allow' : 'refuse');
    reply.header('x-distillguard-action', verdict.kind === 'throttled' ? 'throttle' : action);
    if (verdict.kind === null) {
      dependencies.requests.inc({ api: 'auth_request', action, outcome: 'allowed' });
      return reply.code(204).send();
    }
    dependencies.requests.inc({ api: 'auth_request', action, outcome: verdict.kind });
    if (verdict.retryAfter !== null) reply.header('retry-after', String(verdict.retryAfter));
    reply.header('x-distillguard-reason', verdict.message.replace(/[^\x20-\x7e]/g, '?'));
    let status = verdict.kind === 'throttled' ? 429 : verdict.kind === 'unauthenticated' ? 401 : verdict.kind === 'unavailable' ? 503 : 403;
    if (status === 429 && request.query.throttle_status === '403') status = 403;
    return reply.code(status).send();
  });
}
