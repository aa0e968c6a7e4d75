import type { ExchangeParseOptions, ValidatedExchange } from './exchange-validator.js';
import { validateExchangeRecord } from './exchange-validator.js';
import { isRejection, readJsonObject } from './record-field-reader.js';
import { describeJsonType, rejected, type ParseResult } from './record-problem.js';
import { formatRfc3339 } from './rfc3339-timestamp.js';

/** LiteLLM's `call_type` values that carry a conversation, and the API each one speaks. */
const CALL_TYPES: Record<string, 'openai.chat_completions' | 'anthropic.messages' | 'openai.responses'> = {
  completion: 'openai.chat_completions',
  acompletion: 'openai.chat_completions',
  anthropic_messages: 'anthropic.messages',
  responses: 'openai.responses',
  aresponses: 'openai.responses',
};

/** The contract field a problem names, spelled as the payload spells its source. */
const SOURCE_FIELDS: Record<string, string> = {
  id: 'id',
  ts: 'startTime',
  account_id: 'metadata.user_api_key_user_id',
  org_id: 'metadata.user_api_key_team_id',
  api_key_id: 'metadata.user_api_key_hash',
  client_ip: 'requester_ip_address',
  request: 'messages',
  response: 'response',
  latency_ms: 'endTime',
};

/**
 * Parses one LiteLLM `StandardLoggingPayload` (one JSON object per line, as LiteLLM's file,
 * S3 and GCS loggers write it) onto the internal exchange, by way of a contract record so the
 * two formats cannot drift: `messages` and `model_parameters` rebuild the request in the API
 * `call_type` names, `response` is the provider's body, `status` (`success`/`failure`) with
 * `error_information.error_code` gives the HTTP status. The account is the key's user
 * (`metadata.user_api_key_user_id`), else the key (`metadata.user_api_key_hash`, already a
 * hash in LiteLLM), else `end_user`. Calls without a conversation (embeddings, images, audio)
 * are quarantined as `unknown_api`.
 *
 * @example
 * parseLitellmLine('{"id":"chatcmpl-1","call_type":"acompletion","startTime":1770801243.512,"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"metadata":{"user_api_key_user_id":"u-1"},"status":"success", ...}')
 * // { ok: true, value: { exchange: { id: 'chatcmpl-1', accountId: 'u-1', api: 'openai.chat_completions', … } } }
 */
export function parseLitellmLine(line: string, options: ExchangeParseOptions = {}): ParseResult<ValidatedExchange> {
  const payload = readJsonObject(line, 'a LiteLLM StandardLoggingPayload');
  if (isRejection(payload)) return payload;
  const record = litellmContractRecord(payload);
  if (isRejection(record)) return record;
  const result = validateExchangeRecord(record, options);
  if (result.ok || result.problem.field === null) return result;
  return { ok: false, problem: { ...result.problem, field: SOURCE_FIELDS[result.problem.field] ?? result.problem.field } };
}

/** The contract record (docs/input-formats.md) a payload stands for, or why there is none. */
export function litellmContractRecord(payload: Record<string, unknown>): Record<string, unknown> | ReturnType<typeof rejected> {
  const callType = payload.call_type;
  if (typeof callType !== 'string') return rejected(callType === undefined || callType === null ? 'missing_field' : 'wrong_type', 'call_type', `call_type is required (e.g. "acompletion"), found ${describeJsonType(callType)}`);
  const api = CALL_TYPES[callType];
  if (api === undefined) return rejected('unknown_api', 'call_type', `expected a conversation call (${Object.keys(CALL_TYPES).join(', ')}), found ${describeJsonType(callType)}`);

  const start = payload.startTime;
  if (typeof start !== 'number' || !Number.isFinite(start)) {
    return rejected(start === undefined || start === null ? 'missing_field' : 'wrong_type', 'startTime', `startTime is required (epoch seconds), found ${describeJsonType(start)}`);
  }
  const startMs = Math.round(start * 1000);
  if (!(startMs >= 0 && startMs < 253402300800000)) return rejected('bad_timestamp', 'startTime', `startTime ${start} is not a time in epoch seconds`);

  const metadata = isObject(payload.metadata) ? payload.metadata : {};
  const accountId = firstString(metadata.user_api_key_user_id, metadata.user_api_key_hash, payload.end_user);
  if (accountId === null) {
    return rejected('missing_field', 'metadata.user_api_key_user_id', 'no account: the payload has none of metadata.user_api_key_user_id, metadata.user_api_key_hash, end_user');
  }

  const parameters = isObject(payload.model_parameters) ? payload.model_parameters : {};
  const model = typeof payload.model === 'string' ? payload.model : null;
  const messages = payload.messages;
  if (messages === undefined || messages === null) return rejected('missing_field', 'messages', 'messages is required (the request sent)');
  const request: Record<string, unknown> =
    api === 'openai.responses' ? { model, ...parameters, input: messages } : { model, ...parameters, messages: typeof messages === 'string' ? [{ role: 'user', content: messages }] : messages };

  const failed = payload.status === 'failure';
  const status = failed ? errorStatus(payload) : 200;
  const end = payload.endTime;
  const latency = typeof end === 'number' && Number.isFinite(end) && end >= start ? Math.round((end - start) * 1000) : null;
  const clientIp = firstString(payload.requester_ip_address, metadata.requester_ip_address);

  return {
    id: payload.id,
    ts: formatRfc3339(startMs),
    account_id: accountId,
    org_id: firstString(metadata.user_api_key_team_id),
    api_key_id: firstString(metadata.user_api_key_hash),
    client_ip: clientIp === '' ? null : clientIp,
    api,
    request,
    response: failed ? { error: { message: typeof payload.error_str === 'string' ? payload.error_str : 'the call failed' } } : responseBody(api, payload.response),
    status,
    latency_ms: latency,
  };
}

/** The HTTP status of a failed call: LiteLLM keeps the provider's code, often as a string. */
function errorStatus(payload: Record<string, unknown>): number {
  const info = isObject(payload.error_information) ? payload.error_information : {};
  const code = typeof info.error_code === 'number' ? info.error_code : Number.parseInt(String(info.error_code ?? ''), 10);
  return Number.isInteger(code) && code >= 400 && code <= 599 ? code : 500;
}

function responseBody(api: string, value: unknown): Record<string, unknown> | null {
  if (isObject(value)) return value;
  if (typeof value !== 'string' || value === '') return null;
  // A response logged as text (a redacting logger, or a non-JSON provider) still carries the output.
  if (api === 'anthropic.messages') return { role: 'assistant', content: [{ type: 'text', text: value }] };
  if (api === 'openai.responses') return { output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: value }] }] };
  return { choices: [{ index: 0, message: { role: 'assistant', content: value } }] };
}

function firstString(...values: unknown[]): string | null {
  for (const value of values) if (typeof value === 'string' && value !== '') return value;
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
