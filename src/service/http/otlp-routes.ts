import { gunzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { otlpContractRecords } from '../../ingest/index.js';
import { InputError } from '../../util/errors.js';
import { UnsupportedMediaTypeError } from '../service-errors.js';
import type { ServiceCore } from '../service-core.js';
import { decodeOtlpProtobuf, encodeOtlpResponse, type OtlpSignal } from './otlp-protobuf.js';

const SIGNALS = {
  '/v1/traces': { signal: 'traces', rejectedField: 'rejectedSpans' },
  '/v1/logs': { signal: 'logs', rejectedField: 'rejectedLogRecords' },
} as const;

const PROTOBUF_TYPES = new Set(['application/x-protobuf', 'application/protobuf']);

/**
 * The OTLP/HTTP receiver at the standard paths (`/v1/traces`, `/v1/logs`; JSON or protobuf
 * encoding, plain or gzip): the model calls of the export request (GenAI semantic conventions) become contract
 * records and go through the same ingest queue as POST /v1/exchanges. The answer is OTLP's:
 * 200 with `partialSuccess` counting the calls that could not be read or were quarantined, in
 * the encoding the request came in.
 */
export function registerOtlpRoutes(scope: FastifyInstance, core: ServiceCore): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: core.config.maxBodyBytes }, (_request, body, done) => done(null, body));
  for (const [path, { signal, rejectedField }] of Object.entries(SIGNALS)) {
    scope.post(path, { config: { role: 'ingest' }, bodyLimit: core.config.maxBodyBytes }, async (request, reply) => {
      const { exportRequest, protobuf } = readExportRequest(request, signal, core.config.maxDecompressedBytes);
      const converted = otlpContractRecords(exportRequest);
      if ('ok' in converted) throw new InputError(`not an OTLP export request: ${converted.problem.message}`);
      let rejected = converted.problems.length;
      const messages = converted.problems.slice(0, 3).map((problem) => `${problem.field ?? ''}: ${problem.message}`);
      if (converted.records.length > 0) {
        const receipt = await core.ingest.submit(Buffer.from(converted.records.map((record) => JSON.stringify(record)).join('\n') + '\n'), 'ndjson', false);
        rejected += receipt.quarantined;
        for (const error of receipt.errors.slice(0, 3 - messages.length)) messages.push(JSON.stringify(error));
      }
      const answer = rejected === 0 ? {} : { partialSuccess: { [rejectedField]: rejected, errorMessage: messages.join('; ') } };
      if (!protobuf) return reply.code(200).send(answer);
      return reply.code(200).type('application/x-protobuf').send(Buffer.from(encodeOtlpResponse(signal, answer)));
    });
  }
}

function readExportRequest(request: FastifyRequest, signal: OtlpSignal, maxBytes: number): { exportRequest: Record<string, unknown>; protobuf: boolean } {
  const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const protobuf = PROTOBUF_TYPES.has(type);
  if (!protobuf && type !== 'application/json') {
    throw new UnsupportedMediaTypeError(`expected Content-Type application/x-protobuf or application/json (OTLP/HTTP), found ${JSON.stringify(type)}`);
  }
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  let body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  if (encoding === 'gzip') {
    try {
      body = gunzipSync(body, { maxOutputLength: maxBytes });
    } catch (error) {
      throw new InputError(`the gzip body could not be read: ${(error as Error).message}`);
    }
  } else if (encoding !== 'identity') {
    throw new UnsupportedMediaTypeError(`unsupported Content-Encoding ${JSON.stringify(encoding)}: send the body plain or gzip-compressed`);
  }
  if (protobuf) return { exportRequest: decodeOtlpProtobuf(signal, body), protobuf };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new InputError(`the body is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InputError('expected an OTLP export request object');
  return { exportRequest: parsed as Record<string, unknown>, protobuf };
}
