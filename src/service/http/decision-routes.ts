import type { FastifyInstance } from 'fastify';
import { decideSchema } from './api-schemas.js';
import type { ServiceCore } from '../service-core.js';

interface DecideBody {
  account_id: string;
  org_id?: string | null;
  client_ip?: string | null;
}

export function registerDecisionRoutes(app: FastifyInstance, core: ServiceCore): void {
  app.post<{ Body: DecideBody }>('/v1/decide', { schema: decideSchema, config: { role: 'decide' } }, async (request) => {
    const body = request.body;
    const decision = core.book.decide({ accountId: body.account_id, orgId: body.org_id ?? null, clientIp: body.client_ip ?? null }, core.policy.current());
    core.metrics.decisions.inc({ action: decision.action });
    return decision;
  });
}
