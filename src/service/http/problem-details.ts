import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../util/log.js';
import { DistillguardError } from '../../util/errors.js';
import { RetryLaterError } from '../service-errors.js';

/** An RFC 9457 problem document, with the extensions this service adds. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** Field-level problems of a request body, when the schema check found them. */
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const TYPE_BASE = 'https://distillguard.dev/problems/';

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ['bad-request', 'Bad request'],
  401: ['unauthorized', 'Missing or invalid API key'],
  403: ['forbidden', 'The API key lacks the role for this operation'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  409: ['conflict', 'Conflict'],
  413: ['payload-too-large', 'Request body too large'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  429: ['rate-limited', 'Too many requests'],
  500: ['internal', 'Internal server error'],
  503: ['unavailable', 'Service unavailable'],
};

/** Fastify's own error codes that have a clearer message than the framework's. */
const FASTIFY_MESSAGES: Record<string, (error: FastifyError) => string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    'unsupported Content-Type: send application/json (a JSON array or object) or, for exchanges, application/x-ndjson',
  FST_ERR_CTP_BODY_TOO_LARGE: () => 'the request body is larger than the server accepts (--max-body-bytes)',
  FST_ERR_CTP_EMPTY_JSON_BODY: () => 'the request body is empty; a JSON document was expected',
  FST_ERR_CTP_INVALID_JSON_BODY: (error) => `the request body is not valid JSON: ${error.message}`,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => 'Content-Length does not match the body sent',
};

export function problemDocument(status: number, detail: string, extra: Partial<ProblemDocument> = {}): ProblemDocument {
  const [slug, title] = TITLES[status] ?? (status >= 500 ? TITLES[500]! : TITLES[400]!);
  return { type: TYPE_BASE + slug, title, status, detail, ...extra };
}

/**
 * The one place errors become HTTP responses. Operational errors (ours, the framework's
 * request errors) keep their message; anything else is a bug: logged with its stack, answered
 * with a generic 500 so internals never reach a client.
 */
export function installProblemHandlers(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const problem = toProblem(error, request);
    if (problem.status >= 500 && !(error instanceof DistillguardError && error.operational)) {
      logger.error({ err: error, method: request.method, url: request.url }, 'unexpected error while serving a request');
    }
    if (error instanceof RetryLaterError) void reply.header('retry-after', String(error.retryAfterSeconds));
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, problemDocument(404, `no route for ${request.method} ${request.url.split('?')[0]}`)));
}

export function sendProblem(reply: FastifyReply, problem: ProblemDocument): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

export function toProblem(error: FastifyError | Error, request: FastifyRequest): ProblemDocument {
  const instance = request.url.split('?')[0];
  if (error instanceof DistillguardError) {
    const status = error.httpStatus;
    const extra: Partial<ProblemDocument> = { instance };
    if (error instanceof RetryLaterError) extra.retry_after_seconds = error.retryAfterSeconds;
    return problemDocument(status, status >= 500 && !error.operational ? 'the server failed to handle this request' : error.message, extra);
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const errors = fastifyError.validation.map((issue) => ({
      field: fieldOf(issue.instancePath, issue.params as Record<string, unknown>),
      message: issue.message ?? 'invalid',
    }));
    const where = fastifyError.validationContext ?? 'body';
    return problemDocument(400, `the request ${where} is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, { instance, errors });
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message = fastifyError.code ? FASTIFY_MESSAGES[fastifyError.code]?.(fastifyError) : undefined;
    return problemDocument(status, message ?? fastifyError.message, { instance });
  }
  return problemDocument(500, 'the server failed to handle this request', { instance });
}

function fieldOf(instancePath: string, params: Record<string, unknown>): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  const missing = typeof params.missingProperty === 'string' ? params.missingProperty : null;
  if (missing) return path ? `${path}.${missing}` : missing;
  const extra = typeof params.additionalProperty === 'string' ? params.additionalProperty : null;
  if (extra) return path ? `${path}.${extra}` : extra;
  return path || '(body)';
}
