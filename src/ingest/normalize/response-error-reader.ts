import type { ResponseError } from '../../model/exchange.js';
import { isRecord, readNonEmptyString, readString } from './json-value-reader.js';

/**
 * The error a response body reports, in any of the three APIs:
 * Anthropic `{type: 'error', error: {type, message}}`, OpenAI `{error: {message, type, param, code}}`.
 * The error's `type` is kept as sent, so an OpenAI rate limit reads `tokens` or `requests` (the
 * limit that was hit; `code` says `rate_limit_exceeded`): classify by HTTP status, not by type.
 * A failed Responses object (HTTP 200, `status: 'failed'`) carries `error: {code, message}` with
 * no `type`, so `code` stands in when `type` is missing. Successful Responses bodies hold
 * `error: null`, which is no error. A status of 400 or more with no recognised error in the body
 * (a proxy's HTML page, an empty body) still gives an error named after the status.
 */
export function readResponseError(body: Record<string, unknown>, status: number): ResponseError | null {
  const error = body.error;
  if (isRecord(error)) {
    return {
      type: readNonEmptyString(error.type) ?? readNonEmptyString(error.code) ?? statusErrorType(status),
      message: readString(error.message) ?? '',
    };
  }
  if (status >= 400) return { type: statusErrorType(status), message: '' };
  return null;
}

function statusErrorType(status: number): string {
  return status >= 400 ? `http_${status}` : 'unknown';
}
