import type { ApiKind } from '../../model/exchange.js';

/** Why the proxy answers itself instead of forwarding. */
export type RefusalKind = 'throttled' | 'step_up' | 'blocked' | 'unauthenticated' | 'unavailable' | 'upstream_unreachable' | 'upstream_timeout';

const STATUS: Record<RefusalKind, number> = {
  throttled: 429,
  step_up: 403,
  blocked: 403,
  unauthenticated: 401,
  unavailable: 503,
  upstream_unreachable: 502,
  upstream_timeout: 504,
};

/** Anthropic's error types (docs.anthropic.com, "Errors"), which its SDKs map to exception classes by status. */
const ANTHROPIC_TYPE: Record<RefusalKind, string> = {
  throttled: 'rate_limit_error',
  step_up: 'permission_error',
  blocked: 'permission_error',
  unauthenticated: 'authentication_error',
  unavailable: 'overloaded_error',
  upstream_unreachable: 'api_error',
  upstream_timeout: 'api_error',
};

/** OpenAI's `type` and `code` for the same cases, as its API sends them. */
const OPENAI_TYPE: Record<RefusalKind, [type: string, code: string]> = {
  throttled: ['requests', 'rate_limit_exceeded'],
  step_up: ['invalid_request_error', 'verification_required'],
  blocked: ['invalid_request_error', 'account_blocked'],
  unauthenticated: ['invalid_request_error', 'invalid_api_key'],
  unavailable: ['server_error', 'service_unavailable'],
  upstream_unreachable: ['server_error', 'upstream_unreachable'],
  upstream_timeout: ['server_error', 'upstream_timeout'],
};

export interface Refusal {
  status: number;
  body: Record<string, unknown>;
}

/**
 * A refusal in the API's own error shape, so the caller's SDK raises its usual exception
 * (`RateLimitError` on 429, `PermissionDeniedError` on 403) with the message in it.
 *
 * @example
 * refusalFor('anthropic.messages', 'throttled', 'slow down')
 * // { status: 429, body: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } } }
 */
export function refusalFor(api: ApiKind, kind: RefusalKind, message: string): Refusal {
  const status = STATUS[kind];
  if (api === 'anthropic.messages') return { status, body: { type: 'error', error: { type: ANTHROPIC_TYPE[kind], message } } };
  const [type, code] = OPENAI_TYPE[kind];
  return { status, body: { error: { message, type, param: null, code } } };
}
