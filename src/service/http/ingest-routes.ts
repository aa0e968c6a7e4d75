import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accountsIngestSchema, ingestSchema } from './api-schemas.js';
import type { ExchangeBodyFormat } from '../ingest/exchange-body-decoder.js';
import { InputError } from '../../util/errors.js';
import { UnsupportedMediaTypeError } from '../service-errors.js';
import type { ServiceCore } from '../service-core.js';

const NDJSON_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/x-jsonlines'];

/**
 * POST /v1/exchanges and /v1/accounts, in a scope of their own: its bodies are taken as raw bytes (the ingest
 * worker gunzips and parses them, off the main thread) and may be much larger than the JSON
 * bodies of the other routes.
 */
export function registerIngestRoutes(scope: FastifyInstance, core: ServiceCore): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser(['application/json', ...NDJSON_TYPES], { parseAs: 'buffer', bodyLimit: core.config.maxBodyBytes }, (_request, body, done) =>
    done(null, body),
  );

  scope.post(
    '/v1/exchanges',
    {
      schema: ingestSchema,
      config: { role: 'ingest' },
      bodyLimit: core.config.maxBodyBytes,
      // The body schema documents the contract in /openapi.json; records are validated one by
      // one by the ingest validator, which reports bad ones without failing the batch.
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      const { body, format, gzip } = readBatchBody(request, 'exchanges');
      try {
        const receipt = await core.ingest.submit(body, format, gzip);
        return reply.code(202).send(receipt);
      } catch (error) {
        core.metrics.ingestBatches.inc({ outcome: 'refused' });
        throw error;
      }
    },
  );

  scope.post(
    '/v1/accounts',
    { schema: accountsIngestSchema, config: { role: 'ingest' }, bodyLimit: core.config.maxBodyBytes, validatorCompiler: () => () => true },
    async (request, reply) => {
      const { body, format, gzip } = readBatchBody(request, 'accounts');
      return reply.code(202).send(await core.ingestAccounts(body, format, gzip));
    },
  );
}

/** The raw batch body with its format (JSON array or NDJSON) and whether it is gzipped. */
function readBatchBody(request: FastifyRequest, what: 'exchanges' | 'accounts'): { body: Buffer; format: ExchangeBodyFormat; gzip: boolean } {
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new UnsupportedMediaTypeError(`unsupported Content-Encoding ${JSON.stringify(encoding)}: send the body plain or gzip-compressed`);
  }
  const body = request.body;
  if (!Buffer.isBuffer(body) || body.length === 0) throw new InputError(`the request body is empty; send a JSON array of ${what} or NDJSON lines`);
  const contentType = (request.headers['content-type'] ?? '').toLowerCase();
  return { body, format: contentType.startsWith('application/json') ? 'json' : 'ndjson', gzip: encoding !== 'identity' };
}
