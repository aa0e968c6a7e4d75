import { createHash } from 'node:crypto';
import type { Exchange } from '../model/exchange.js';
import type { ExchangeParseOptions, ValidatedExchange } from './exchange-validator.js';
import { normalizeRequest, normalizeResponse } from './normalize/index.js';
import {
  isRejection,
  readOptionalAsn,
  readOptionalCount,
  readOptionalIp,
  readJsonObject,
  readOptionalString,
  readRequiredId,
  readRequiredTimestamp,
} from './record-field-reader.js';
import { describeJsonType, rejected, type ParseResult } from './record-problem.js';

/** The field of a Glasswally event that holds its ground truth; it is never read into an exchange. */
export const GLASSWALLY_LABEL_FIELD = 'campaign_label';

/** Glasswally events record the request only; it is rebuilt in this API's shape (docs/input-formats.md). */
const API = 'openai.chat_completions';

/**
 * Parses one event of Glasswally's JSON Lines (an open-source detector of distillation
 * campaigns; its labelled evaluation set is in `data/peer/glasswally/`) onto the internal
 * exchange: the prompt becomes the last user message and `system_prompt` the system message of
 * a Chat Completions request, `token_count` the response's output tokens, `h2_settings_fp` the
 * client fingerprint. Events carry no id: the id is a hash of the event without its label, so
 * an identical line is the same exchange. `campaign_label`, the peer's ground truth, is dropped
 * here and reaches neither the store nor the detector; `system_prompt_hash` and `asn_org` are
 * not read (the features hash the text themselves).
 *
 * @example
 * parseGlasswallyLine('{"account_id": "sk-1", "timestamp": "2026-02-27T20:08:29.149978+00:00", "model": "gpt-4o", "prompt": "Hi", "token_count": 12}')
 * // { ok: true, value: { exchange: { id: 'gw-…', api: 'openai.chat_completions', request: { messages: [{ role: 'user', text: 'Hi' }], … }, … } } }
 */
export function parseGlasswallyLine(line: string, options: ExchangeParseOptions = {}): ParseResult<ValidatedExchange> {
  const event = readJsonObject(line, 'a Glasswally event');
  if (isRejection(event)) return event;
  delete event[GLASSWALLY_LABEL_FIELD];

  const accountId = readRequiredId(event, 'account_id');
  if (isRejection(accountId)) return accountId;
  const ts = readRequiredTimestamp(event, 'timestamp', options.timestampWindow);
  if (isRejection(ts)) return ts;
  const prompt = event.prompt;
  if (prompt === undefined || prompt === null) return rejected('missing_field', 'prompt', 'prompt is required (the text the request sent)');
  if (typeof prompt !== 'string') return rejected('wrong_type', 'prompt', `expected a string, found ${describeJsonType(prompt)}`);
  const model = readOptionalString(event, 'model');
  if (isRejection(model)) return model;
  const systemPrompt = readOptionalString(event, 'system_prompt');
  if (isRejection(systemPrompt)) return systemPrompt;
  const maxTokens = readOptionalCount(event, 'max_tokens');
  if (isRejection(maxTokens)) return maxTokens;
  const tokenCount = readOptionalCount(event, 'token_count');
  if (isRejection(tokenCount)) return tokenCount;
  const client = readOptionalIp(event, 'client_ip');
  if (isRejection(client)) return client;
  const clientAsn = readOptionalAsn(event, 'asn_number');
  if (isRejection(clientAsn)) return clientAsn;
  const userAgent = readOptionalString(event, 'user_agent');
  if (isRejection(userAgent)) return userAgent;
  const h2Fingerprint = readOptionalString(event, 'h2_settings_fp');
  if (isRejection(h2Fingerprint)) return h2Fingerprint;

  const messages: Record<string, unknown>[] = [];
  if (systemPrompt !== null) messages.push({ role: 'system', content: systemPrompt });
  messages.push({ role: 'user', content: prompt });
  const exchange: Exchange = {
    id: eventId(event),
    ts,
    accountId,
    orgId: null,
    apiKeyId: null,
    clientIp: client?.address ?? null,
    clientAsn,
    clientCountry: null,
    userAgent,
    tlsFingerprint: h2Fingerprint,
    api: API,
    status: 200,
    latencyMs: null,
    request: normalizeRequest(API, { model, messages, ...(maxTokens === null ? {} : { max_tokens: maxTokens }) }),
    response: tokenCount === null ? null : normalizeResponse(API, { model, usage: { completion_tokens: tokenCount } }, 200),
  };
  return { ok: true, value: { exchange, clientSubnet: client?.subnet ?? null } };
}

/** `gw-` and 128 bits of the SHA-256 of the event as read (fields in their order, label removed). */
function eventId(event: Record<string, unknown>): string {
  return `gw-${createHash('sha256').update(JSON.stringify(event)).digest('hex').slice(0, 32)}`;
}
