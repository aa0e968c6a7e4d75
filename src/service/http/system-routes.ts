import type { FastifyInstance } from 'fastify';
import { healthSchema, metricsSchema } from './api-schemas.js';
import type { ServiceCore } from '../service-core.js';

export function registerSystemRoutes(app: FastifyInstance, core: ServiceCore): void {
  app.get('/healthz', { schema: healthSchema }, async (_request, reply) => {
    const health = core.health();
    return reply.code(health.status === 'ok' ? 200 : 503).send(health);
  });

  app.get('/metrics', { schema: metricsSchema }, async (_request, reply) => {
    const text = await core.renderMetrics();
    return reply.type(core.metrics.registry.contentType).send(text);
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
