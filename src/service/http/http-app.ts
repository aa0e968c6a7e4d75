import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { ApiKeyRecord, ApiKeyRole } from '../../store/service-tables.js';
import { VERSION } from '../../version.js';
import { DEFAULT_RATE_LIMITS, roleAllows } from '../api-keys.js';
import { problemSchema } from './api-schemas.js';
import { registerAdminRoutes } from './admin-routes.js';
import { registerAnalystRoutes } from './analyst-routes.js';
import { registerDecisionRoutes } from './decision-routes.js';
import { MAX_ID_LENGTH } from '../../ingest/index.js';
import { registerIngestRoutes } from './ingest-routes.js';
import { installProblemHandlers } from './problem-details.js';
import { ForbiddenError, RetryLaterError, UnauthorizedError } from '../service-errors.js';
import type { ServiceCore } from '../service-core.js';
import { registerSystemRoutes } from './system-routes.js';
import { registerOtlpRoutes } from './otlp-routes.js';
import { registerWorkbenchRoutes } from './workbench-routes.js';
import { registerWorkbenchStatic } from './workbench-static.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key the request authenticated with; null on open routes. */
    apiKey: ApiKeyRecord | null;
  }
  interface FastifyContextConfig {
    /** The role a route needs; routes without one (health, metrics, OpenAPI) are open. */
    role?: ApiKeyRole;
  }
}

/** Routes that build on the service from a later stage (the policy backtest), added by whoever starts it. */
/**
 * Routes of another part of the program (TAXII, policy backtests), registered on the app. Routes
 * for the analyst workbench go through `workbench.addSessionRoutes`: they are registered inside
 * its session scope (the session cookie, never a bearer key; the CSRF token on every write).
 */
export type ServiceRoutes = (app: FastifyInstance, core: ServiceCore, workbench: WorkbenchExtension) => void;

export interface WorkbenchExtension {
  addSessionRoutes(register: (scope: FastifyInstance) => void): void;
}

export interface ServiceAppOptions {
  /** Largest body for routes other than ingest. */
  maxJsonBodyBytes?: number;
  routes?: readonly ServiceRoutes[];
}

/**
 * The HTTP API over a service core. Built without listening, so tests drive it in memory with
 * `app.inject()` and `distillguard serve` calls `listen` on it.
 *
 * @example
 * const app = await createServiceApp(core);
 * const response = await app.inject({ method: 'POST', url: '/v1/decide', headers: { authorization: `Bearer ${key}` }, payload: { account_id: 'acct_1' } });
 */
export async function createServiceApp(core: ServiceCore, { maxJsonBodyBytes = 4 * 1024 * 1024, routes = [] }: ServiceAppOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: core.logger as FastifyBaseLogger,
    // One log line per request would dominate the decision path's cost; errors and slow
    // requests are logged where they happen instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: maxJsonBodyBytes,
    // Ids in paths may be as long as ingest accepts them (Fastify's default stops at 100 with a
    // 414 that skips auth, metrics and the problem+json shape).
    routerOptions: { maxParamLength: MAX_ID_LENGTH * 3 },
    // Connections from a gateway are long-lived; close idle ones on shutdown, keep serving
    // in-flight requests to their end.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  });
  installProblemHandlers(app, core.logger);
  app.addSchema(problemSchema);
  app.decorateRequest('apiKey', null);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'distillguard live service',
        version: VERSION,
        description: 'Streaming ingest of API exchanges and per-account decisions against distillation attacks. Errors are application/problem+json (RFC 9457).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'an API key made with `distillguard keys create` (dg_live_...)' } } },
      tags: [
        { name: 'ingest', description: 'role ingest' },
        { name: 'decide', description: 'role decide' },
        { name: 'analyst', description: 'role analyst' },
        { name: 'admin', description: 'role admin (may also do everything else)' },
        { name: 'taxii', description: 'role partner: TAXII 2.1 collections of the key\'s sharing communities (docs/intel-sharing.md)' },
        { name: 'system', description: 'open' },
      ],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, index) => String(json.$id ?? `def-${index}`) },
  });

  app.addHook('onRequest', async (request) => {
    const role = request.routeOptions.config.role;
    if (role === undefined) return;
    request.apiKey = authenticate(core, request);
    if (!roleAllows(request.apiKey.role, role)) {
      throw new ForbiddenError(`this operation needs an API key with the role ${role === 'admin' ? 'admin' : `${role} or admin`}; the key ${request.apiKey.keyId} has the role ${request.apiKey.role}`);
    }
  });

  await app.register(rateLimit, {
    global: true,
    // After authentication, so each key is limited on its own and open routes are not limited.
    hook: 'preHandler',
    timeWindow: 1000,
    allowList: (request) => request.apiKey === null,
    keyGenerator: (request) => request.apiKey?.keyId ?? request.ip,
    max: (request) => (request.apiKey ? (request.apiKey.rateLimit ?? DEFAULT_RATE_LIMITS[request.apiKey.role]) : 1000),
    errorResponseBuilder: (_request, context) =>
      new RetryLaterError(`this API key is over its rate limit of ${context.max} requests per second; retry after ${context.after}`, {
        status: 429,
        retryAfterSeconds: context.ttl / 1000,
      }),
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    core.metrics.httpResponses.inc({ route, status: String(reply.statusCode) });
    if (route === '/v1/decide') core.metrics.decisionSeconds.observe(reply.elapsedTime / 1000);
  });

  registerSystemRoutes(app, core);
  await app.register(async (scope) => registerIngestRoutes(scope, core));
  await app.register(async (scope) => registerOtlpRoutes(scope, core));
  registerDecisionRoutes(app, core);
  registerAnalystRoutes(app, core);
  registerAdminRoutes(app, core);
  const sessionRoutes: ((scope: FastifyInstance) => void)[] = [];
  for (const register of routes) register(app, core, { addSessionRoutes: (extra) => sessionRoutes.push(extra) });
  await registerWorkbenchRoutes(app, core, { sessionRoutes });
  registerWorkbenchStatic(app);
  return app;
}

function authenticate(core: ServiceCore, request: FastifyRequest): ApiKeyRecord {
  const header = request.headers.authorization;
  if (header === undefined || header.length === 0) {
    throw new UnauthorizedError('no API key: send it as `Authorization: Bearer dg_live_...` (make one with `distillguard keys create`)');
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match === null) throw new UnauthorizedError('the Authorization header must be `Bearer <API key>`');
  const record = core.keys.authenticate(match[1]!);
  if (record === null) throw new UnauthorizedError('the API key is not valid (unknown, mistyped or revoked)');
  return record;
}
