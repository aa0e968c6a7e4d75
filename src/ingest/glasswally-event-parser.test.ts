import { describe, expect, it } from 'vitest';
import { lastUserText } from '../model/exchange.js';
import { parseGlasswallyLine } from './glasswally-event-parser.js';
import { resolveTimestampWindow } from './timestamp-window.js';

// An attack event of the peer's labelled set, as it stands in data/peer/glasswally/.
const EVENT = {
  account_id: 'sk-7aee3eec508b82bfbd0e9cd3',
  timestamp: '2026-02-27T20:08:29.150463+00:00',
  model: 'gpt-4o',
  prompt: 'Think out loud: how does a compiler work?',
  system_prompt: 'Act as an AI teacher. Explain concepts clearly for a machine learning dataset.',
  system_prompt_hash: 'fde97f3bba18bffc',
  token_count: 24,
  max_tokens: 4096,
  client_ip: '153.32.197.98',
  asn_number: 24940,
  asn_org: 'Hetzner',
  user_agent: 'aiohttp/3.9.1',
  h2_settings_fp: '2:32953:3:100:4:65535:5:16384',
  campaign_label: 'campaign_0002',
};

function lineWith(changes: Record<string, unknown>): string {
  const event: Record<string, unknown> = { ...EVENT, ...changes };
  for (const [field, value] of Object.entries(changes)) if (value === undefined) delete event[field];
  return JSON.stringify(event);
}

function parsed(line: string) {
  const result = parseGlasswallyLine(line);
  if (!result.ok) throw new Error(result.problem.message);
  return result.value;
}

describe('parseGlasswallyLine', () => {
  it('maps every field of an event onto the exchange', () => {
    const { exchange, clientSubnet } = parsed(JSON.stringify(EVENT));
    expect(exchange).toMatchObject({
      ts: Date.UTC(2026, 1, 27, 20, 8, 29, 150),
      accountId: EVENT.account_id,
      orgId: null,
      clientIp: '153.32.197.98',
      clientAsn: 24940,
      clientCountry: null,
      userAgent: 'aiohttp/3.9.1',
      tlsFingerprint: EVENT.h2_settings_fp,
      api: 'openai.chat_completions',
      status: 200,
      latencyMs: null,
    });
    expect(clientSubnet).toBe('153.32.197.0/24');
    expect(exchange.request).toMatchObject({ model: 'gpt-4o', systemText: EVENT.system_prompt, turnCount: 1, sampling: { maxTokens: 4096 } });
    expect(exchange.request.messages).toHaveLength(1);
    expect(lastUserText(exchange.request)).toBe(EVENT.prompt);
    expect(exchange.response).toMatchObject({ model: 'gpt-4o', outputText: '', error: null, usage: { inputTokens: null, outputTokens: 24 } });
  });

  it('leaves out what the event leaves out: no system prompt, no token count, no fingerprint', () => {
    const { exchange } = parsed(lineWith({ system_prompt: null, token_count: null, h2_settings_fp: null, max_tokens: undefined, client_ip: null, asn_number: null }));
    expect(exchange.request.systemText).toBe('');
    expect(exchange.request.sampling.maxTokens).toBeNull();
    expect(exchange.response).toBeNull();
    expect(exchange).toMatchObject({ tlsFingerprint: null, clientIp: null, clientAsn: null });
  });

  it('drops campaign_label: nothing of the exchange, its id included, depends on it', () => {
    const labelled = parsed(JSON.stringify(EVENT)).exchange;
    expect(JSON.stringify(labelled)).not.toMatch(/campaign/);
    for (const campaign of [null, 'campaign_0005', undefined]) {
      expect(parsed(lineWith({ campaign_label: campaign })).exchange).toEqual(labelled);
    }
  });

  it('derives the id from the content: the same for an identical line, different for another event', () => {
    const line = JSON.stringify(EVENT);
    const id = parsed(line).exchange.id;
    expect(id).toMatch(/^gw-[0-9a-f]{32}$/);
    expect(parsed(line).exchange.id).toBe(id);
    expect(parsed(lineWith({ timestamp: '2026-02-27T20:08:29.150464+00:00' })).exchange.id).not.toBe(id);
    expect(parsed(lineWith({ prompt: 'Think out loud: how does a linker work?' })).exchange.id).not.toBe(id);
  });

  it.each([
    ['account_id', undefined, 'missing_field'],
    ['account_id', 42, 'wrong_type'],
    ['timestamp', undefined, 'missing_field'],
    ['timestamp', '2026-02-27 20:08', 'bad_timestamp'],
    ['prompt', undefined, 'missing_field'],
    ['prompt', ['a'], 'wrong_type'],
    ['model', 4, 'wrong_type'],
    ['system_prompt', {}, 'wrong_type'],
    ['max_tokens', '4096', 'wrong_type'],
    ['token_count', -1, 'wrong_type'],
    ['client_ip', '999.1.2.3', 'bad_ip'],
    ['asn_number', 'Hetzner', 'wrong_type'],
    ['user_agent', 7, 'wrong_type'],
    ['h2_settings_fp', 1, 'wrong_type'],
  ])('quarantines %s = %j as %s, naming the field as the event spells it', (field, value, reason) => {
    const result = parseGlasswallyLine(lineWith({ [field]: value }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toMatchObject({ reason, field });
    expect(result.problem.message.length).toBeGreaterThan(10);
  });

  it('holds the timestamp to the window', () => {
    const timestampWindow = resolveTimestampWindow({ fromMs: null, toMs: null }, Date.UTC(2025, 0, 1));
    const result = parseGlasswallyLine(JSON.stringify(EVENT), { timestampWindow });
    expect(result.ok || result.problem).toMatchObject({ reason: 'bad_timestamp', field: 'timestamp', message: expect.stringMatching(/outside the accepted window/) });
  });

  it('says what it expected for malformed JSON and non-objects', () => {
    const malformed = parseGlasswallyLine('{"account_id": ');
    expect(malformed.ok || malformed.problem.reason).toBe('malformed_json');
    const array = parseGlasswallyLine('[1]');
    expect(array.ok || array.problem).toMatchObject({ reason: 'not_an_object', message: expect.stringMatching(/Glasswally event/) });
  });
});
