import type { FastifyInstance } from 'fastify';
import type { ApiKeyRole } from '../../store/service-tables.js';
import { NotFoundError, UsageError } from '../../util/errors.js';
import { describeApiKey } from '../api-keys.js';
import { createKeySchema, listKeysSchema, reloadPolicySchema, revokeKeySchema } from './api-schemas.js';
import type { ServiceCore } from '../service-core.js';

/** Key management while the server holds the store (the `keys` CLI cannot open it then). */
export function registerAdminRoutes(app: FastifyInstance, core: ServiceCore): void {
  app.get('/v1/keys', { schema: listKeysSchema, config: { role: 'admin' } }, async () => ({ keys: core.keys.list().map(describeApiKey) }));

  app.post<{ Body: { role: ApiKeyRole; name?: string | null; rate_limit?: number | null; communities?: { community: string; can_read?: boolean; can_write?: boolean }[] } }>(
    '/v1/keys',
    { schema: createKeySchema, config: { role: 'admin' } },
    async (request, reply) => {
      const { role, name = null, rate_limit: rateLimit = null, communities = [] } = request.body;
      const created = await core.createKey(
        {
          role,
          name,
          rateLimit,
          communities: communities.map((entry) => ({ community: entry.community, canRead: entry.can_read ?? true, canWrite: entry.can_write ?? true })),
        },
        { keyId: request.apiKey!.keyId },
      );
      core.logger.info({ keyId: created.record.keyId, role, by: request.apiKey!.keyId }, 'API key created');
      return reply.code(201).send({ key: created.key, ...describeApiKey(created.record) });
    },
  );

  app.delete<{ Params: { id: string } }>('/v1/keys/:id', { schema: revokeKeySchema, config: { role: 'admin' } }, async (request) => {
    const revoked = await core.revokeKey(request.params.id, { keyId: request.apiKey!.keyId });
    if (revoked === null) throw new NotFoundError(`no API key ${request.params.id}`);
    core.logger.info({ keyId: revoked.keyId, by: request.apiKey!.keyId }, 'API key revoked');
    return describeApiKey(revoked);
  });

  app.post('/v1/policy/reload', { schema: reloadPolicySchema, config: { role: 'admin' } }, async () => {
    const outcome = await core.policy.reload();
    if (!outcome.ok) throw new UsageError(`the policy file was rejected and policy ${outcome.version} stays in force: ${outcome.error}`);
    return { version: outcome.version, changed: outcome.changed };
  });
}
