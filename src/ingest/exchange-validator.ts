import { isApiKind, type Exchange } from '../model/exchange.js';
import { normalizeRequest, normalizeResponse } from './normalize/index.js';
import { describeJsonType, rejected, type ParseResult } from './record-problem.js';
import { isRejection, readOptionalAsn, readOptionalIp, readOptionalString, readRequiredId, readRequiredTimestamp } from './record-field-reader.js';
import type { TimestampWindow } from './timestamp-window.js';

/** An exchange with the per-record facts the validator derives on the way. */
export interface ValidatedExchange {
  exchange: Exchange;
  clientSubnet: string | null;
}

export interface ExchangeParseOptions {
  /** Times outside it are quarantined as `bad_timestamp`; without one any valid time is taken. */
  timestampWindow?: TimestampWindow;
}

/**
 * Parses one JSON Lines record of the exchange log contract (DESIGN.md, "Input contract").
 * Required: id, ts, account_id, api, request, status. Optional fields may be absent or null;
 * present with the wrong type they are a problem, because a mistyped enrichment field usually
 * means the whole record was written by a different producer than the log claims.
 */
export function parseExchangeLine(line: string, options: ExchangeParseOptions = {}): ParseResult<ValidatedExchange> {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (error) {
    return rejected('malformed_json', null, `not valid JSON: ${(error as Error).message}`);
  }
  return validateExchangeRecord(record, options);
}

export function validateExchangeRecord(record: unknown, options: ExchangeParseOptions = {}): ParseResult<ValidatedExchange> {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return rejected('not_an_object', null, `expected a JSON object per line, found ${describeJsonType(record)}`);
  }
  const r = record as Record<string, unknown>;

  const id = readRequiredId(r, 'id', ' (a unique request id string)');
  if (isRejection(id)) return id;
  const ts = readRequiredTimestamp(r, 'ts', options.timestampWindow);
  if (isRejection(ts)) return ts;
  const accountId = readRequiredId(r, 'account_id');
  if (isRejection(accountId)) return accountId;

  const api = r.api;
  if (api === undefined || api === null) return rejected('missing_field', 'api', 'api is required');
  if (!isApiKind(api)) {
    return rejected('unknown_api', 'api', `expected anthropic.messages, openai.chat_completions or openai.responses, found ${describeJsonType(api)}`);
  }

  const status = r.status;
  if (status === undefined || status === null) return rejected('missing_field', 'status', 'status is required (HTTP status code)');
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    return rejected('wrong_type', 'status', `expected an HTTP status code 100-599, found ${describeJsonType(status)}`);
  }

  const requestBody = r.request;
  if (requestBody === undefined || requestBody === null) return rejected('missing_field', 'request', 'request is required (the request body object)');
  if (typeof requestBody !== 'object' || Array.isArray(requestBody)) return rejected('wrong_type', 'request', `expected an object, found ${describeJsonType(requestBody)}`);

  const responseBody = r.response ?? null;
  if (responseBody !== null && (typeof responseBody !== 'object' || Array.isArray(responseBody))) {
    return rejected('wrong_type', 'response', `expected an object or null, found ${describeJsonType(responseBody)}`);
  }

  const orgId = readOptionalString(r, 'org_id');
  if (isRejection(orgId)) return orgId;
  const apiKeyId = readOptionalString(r, 'api_key_id');
  if (isRejection(apiKeyId)) return apiKeyId;
  const userAgent = readOptionalString(r, 'user_agent');
  if (isRejection(userAgent)) return userAgent;
  const tlsFingerprint = readOptionalString(r, 'tls_fingerprint');
  if (isRejection(tlsFingerprint)) return tlsFingerprint;
  const client = readOptionalIp(r, 'client_ip');
  if (isRejection(client)) return client;
  const clientAsn = readOptionalAsn(r, 'client_asn');
  if (isRejection(clientAsn)) return clientAsn;

  let clientCountry: string | null = null;
  const countryValue = r.client_country;
  if (countryValue !== undefined && countryValue !== null) {
    if (typeof countryValue !== 'string' || !/^[A-Za-z]{2}$/.test(countryValue)) {
      return rejected('wrong_type', 'client_country', `expected an ISO 3166-1 alpha-2 code such as "DE", found ${describeJsonType(countryValue)}`);
    }
    clientCountry = countryValue.toUpperCase();
  }

  let latencyMs: number | null = null;
  const latencyValue = r.latency_ms;
  if (latencyValue !== undefined && latencyValue !== null) {
    if (typeof latencyValue !== 'number' || !Number.isFinite(latencyValue) || latencyValue < 0) {
      return rejected('wrong_type', 'latency_ms', `expected a non-negative number, found ${describeJsonType(latencyValue)}`);
    }
    latencyMs = Math.round(latencyValue);
  }

  const exchange: Exchange = {
    id,
    ts,
    accountId,
    orgId,
    apiKeyId,
    clientIp: client?.address ?? null,
    clientAsn,
    clientCountry,
    userAgent,
    tlsFingerprint,
    api,
    status,
    latencyMs,
    request: normalizeRequest(api, requestBody as Record<string, unknown>),
    response: normalizeResponse(api, responseBody as Record<string, unknown> | null, status),
  };
  return { ok: true, value: { exchange, clientSubnet: client?.subnet ?? null } };
}
