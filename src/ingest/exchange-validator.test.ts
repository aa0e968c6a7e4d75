import { describe, expect, it } from 'vitest';
import { parseExchangeLine } from './exchange-validator.js';
import { fixtureBodies, validExchangeLine } from './test-support/exchange-lines.js';
import { resolveTimestampWindow } from './timestamp-window.js';

function withField(field: string, value: unknown): string {
  const record = JSON.parse(validExchangeLine({ id: 'r1' })) as Record<string, unknown>;
  if (value === undefined) delete record[field];
  else record[field] = value;
  return JSON.stringify(record);
}

describe('parseExchangeLine', () => {
  it('accepts every recorded body of the three APIs', () => {
    const bodies = fixtureBodies();
    expect(bodies.length).toBeGreaterThan(20);
    bodies.forEach((body, index) => {
      const parsed = parseExchangeLine(validExchangeLine({ id: `r${index}`, fixtureIndex: index }));
      expect(parsed.ok, body.name).toBe(true);
      if (parsed.ok) expect(parsed.value.exchange.api).toBe(body.api);
    });
  });

  it('normalises the envelope fields', () => {
    const parsed = parseExchangeLine(withField('client_country', 'de'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { exchange, clientSubnet } = parsed.value;
    expect(exchange).toMatchObject({ id: 'r1', accountId: 'acct_test', clientCountry: 'DE', clientAsn: 64500, latencyMs: 812, ts: Date.UTC(2026, 1, 11, 9, 14, 3, 512) });
    expect(clientSubnet).toBe('203.0.113.0/24');
  });

  it('treats absent and null optional fields alike', () => {
    for (const field of ['org_id', 'api_key_id', 'client_ip', 'client_asn', 'client_country', 'user_agent', 'tls_fingerprint', 'latency_ms', 'response']) {
      expect(parseExchangeLine(withField(field, undefined)).ok, field).toBe(true);
      expect(parseExchangeLine(withField(field, null)).ok, field).toBe(true);
    }
  });

  it('reads AS numbers written as text', () => {
    const parsed = parseExchangeLine(withField('client_asn', 'AS13335'));
    expect(parsed.ok && parsed.value.exchange.clientAsn).toBe(13335);
  });

  it.each([
    ['id', undefined, 'missing_field'],
    ['id', 42, 'wrong_type'],
    ['id', '', 'wrong_type'],
    ['ts', undefined, 'missing_field'],
    ['ts', 1739265243512, 'wrong_type'],
    ['ts', '2026-02-30T09:14:03.512Z', 'bad_timestamp'],
    ['account_id', undefined, 'missing_field'],
    ['account_id', ['a'], 'wrong_type'],
    ['api', 'gemini.generate_content', 'unknown_api'],
    ['api', undefined, 'missing_field'],
    ['status', '200', 'wrong_type'],
    ['status', 42, 'wrong_type'],
    ['request', undefined, 'missing_field'],
    ['request', 'hello', 'wrong_type'],
    ['response', [1, 2], 'wrong_type'],
    ['client_ip', '300.1.2.3', 'bad_ip'],
    ['client_ip', 12345, 'wrong_type'],
    ['client_asn', -1, 'wrong_type'],
    ['client_country', 'Germany', 'wrong_type'],
    ['latency_ms', 'slow', 'wrong_type'],
    ['user_agent', { name: 'x' }, 'wrong_type'],
  ])('quarantines %s = %j as %s and names the field', (field, value, reason) => {
    const parsed = parseExchangeLine(withField(field, value));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem.reason).toBe(reason);
    expect(parsed.problem.field).toBe(field);
    expect(parsed.problem.message.length).toBeGreaterThan(10);
  });

  it('quarantines a time outside the window as bad_timestamp, saying the window and the flag', () => {
    const timestampWindow = resolveTimestampWindow({ fromMs: null, toMs: null }, Date.UTC(2026, 11, 3));
    for (const ts of ['2019-12-31T23:59:59.999Z', '0026-02-11T09:14:03.512Z', '2026-12-04T00:00:00.001Z', '2099-01-01T00:00:00Z']) {
      const parsed = parseExchangeLine(withField('ts', ts), { timestampWindow });
      expect(parsed.ok, ts).toBe(false);
      if (parsed.ok) continue;
      expect(parsed.problem).toEqual({
        reason: 'bad_timestamp',
        field: 'ts',
        message: `"${ts}" is outside the accepted window 2020-01-01T00:00:00.000Z..2026-12-04T00:00:00.000Z (--ts-window)`,
      });
    }
    expect(parseExchangeLine(withField('ts', '2020-01-01T00:00:00Z'), { timestampWindow }).ok).toBe(true);
    expect(parseExchangeLine(withField('ts', '2026-12-04T00:00:00Z'), { timestampWindow }).ok).toBe(true);
    const parsed = parseExchangeLine(withField('ts', '0026-02-11T09:14:03.512Z'), {
      timestampWindow: { fromMs: Date.parse('0001-01-01T00:00:00Z'), toMs: Date.parse('0100-01-01T00:00:00Z') },
    });
    expect(parsed.ok && new Date(parsed.value.exchange.ts).toISOString()).toBe('0026-02-11T09:14:03.512Z');
  });

  it('says what it expected for malformed JSON and non-objects', () => {
    const malformed = parseExchangeLine('{"id": "r1", ');
    expect(malformed.ok || malformed.problem.reason).toBe('malformed_json');
    const array = parseExchangeLine('[1,2,3]');
    expect(array.ok || array.problem).toMatchObject({ reason: 'not_an_object', field: null });
    expect(array.ok || array.problem.message).toMatch(/expected a JSON object.*found an array/);
  });
});
