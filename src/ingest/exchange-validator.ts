import { isApiKind, type Exchange } from '../model/exchange.js';
import { normalizeRequest, normalizeResponse } from './normalize/index.js';
import { parseIp } from './ip-address.js';
import { describeJsonType, rejected, type ParseResult, type RecordProblem } from './record-problem.js';
import { parseRfc3339 } from './rfc3339-timestamp.js';

/** An exchange with the per-record facts the validator derives on the way. */
export interface ValidatedExchange {
  exchange: Exchange;
  clientSubnet: string | null;
}

const MAX_ID_LENGTH = 512;

/**
 * Parses one JSON Lines record of the exchange log contract (DESIGN.md, "Input contract").
 * Required: id, ts, account_id, api, request, status. Optional fields may be absent or null;
 * present with the wrong type they are a problem, because a mistyped enrichment field usually
 * means the whole record was written by a different producer than the log claims.
 */
export function parseExchangeLine(line: string): ParseResult<ValidatedExchange> {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (error) {
    return rejected('malformed_json', null, `not valid JSON: ${(error as Error).message}`);
  }
  return validateExchangeRecord(record);
}

export function validateExchangeRecord(record: unknown): ParseResult<ValidatedExchange> {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return rejected('not_an_object', null, `expected a JSON object per line, found ${describeJsonType(record)}`);
  }
  const r = record as Record<string, unknown>;

  const id = r.id;
  if (id === undefined || id === null) return rejected('missing_field', 'id', 'id is required (a unique request id string)');
  if (typeof id !== 'string' || id.length === 0) return rejected('wrong_type', 'id', `expected a non-empty string, found ${describeJsonType(id)}`);
  if (id.length > MAX_ID_LENGTH) return rejected('bad_value', 'id', `id is ${id.length} characters; at most ${MAX_ID_LENGTH} expected`);

  const tsText = r.ts;
  if (tsText === undefined || tsText === null) return rejected('missing_field', 'ts', 'ts is required (RFC 3339 with milliseconds)');
  if (typeof tsText !== 'string') return rejected('wrong_type', 'ts', `expected an RFC 3339 string, found ${describeJsonType(tsText)}`);
  const ts = parseRfc3339(tsText);
  if (ts === null) return rejected('bad_timestamp', 'ts', `expected RFC 3339 such as 2026-02-11T09:14:03.512Z, found ${JSON.stringify(tsText.slice(0, 60))}`);

  const accountId = r.account_id;
  if (accountId === undefined || accountId === null) return rejected('missing_field', 'account_id', 'account_id is required');
  if (typeof accountId !== 'string' || accountId.length === 0) return rejected('wrong_type', 'account_id', `expected a non-empty string, found ${describeJsonType(accountId)}`);
  if (accountId.length > MAX_ID_LENGTH) return rejected('bad_value', 'account_id', `account_id is ${accountId.length} characters; at most ${MAX_ID_LENGTH} expected`);

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

  const orgId = optionalString(r, 'org_id');
  if (orgId instanceof Problem) return orgId.result;
  const apiKeyId = optionalString(r, 'api_key_id');
  if (apiKeyId instanceof Problem) return apiKeyId.result;
  const userAgent = optionalString(r, 'user_agent');
  if (userAgent instanceof Problem) return userAgent.result;
  const tlsFingerprint = optionalString(r, 'tls_fingerprint');
  if (tlsFingerprint instanceof Problem) return tlsFingerprint.result;

  let clientIp: string | null = null;
  let clientSubnet: string | null = null;
  const ipValue = r.client_ip;
  if (ipValue !== undefined && ipValue !== null) {
    if (typeof ipValue !== 'string') return rejected('wrong_type', 'client_ip', `expected an IPv4 or IPv6 address string, found ${describeJsonType(ipValue)}`);
    const parsed = parseIp(ipValue);
    if (parsed === null) return rejected('bad_ip', 'client_ip', `expected an IPv4 or IPv6 address, found ${JSON.stringify(ipValue.slice(0, 60))}`);
    clientIp = parsed.address;
    clientSubnet = parsed.subnet;
  }

  let clientAsn: number | null = null;
  const asnValue = r.client_asn;
  if (asnValue !== undefined && asnValue !== null) {
    const asn = typeof asnValue === 'string' ? parseAsnText(asnValue) : asnValue;
    if (typeof asn !== 'number' || !Number.isInteger(asn) || asn < 0 || asn > 4294967295) {
      return rejected('wrong_type', 'client_asn', `expected an AS number (integer 0-4294967295), found ${describeJsonType(asnValue)}`);
    }
    clientAsn = asn;
  }

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
    clientIp,
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
  return { ok: true, value: { exchange, clientSubnet } };
}


class Problem {
  constructor(readonly result: { ok: false; problem: RecordProblem }) {}
}

function optionalString(record: Record<string, unknown>, field: string): string | null | Problem {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return new Problem(rejected('wrong_type', field, `expected a string or null, found ${describeJsonType(value)}`));
  return value.length === 0 ? null : value;
}

/** Gateways that enrich with text ASNs write `AS13335` or `13335`. */
function parseAsnText(text: string): number | string {
  const match = /^(?:AS)?(\d{1,10})$/i.exec(text.trim());
  return match === null ? text : Number(match[1]);
}
