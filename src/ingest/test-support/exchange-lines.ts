import { listFixtures, loadFixture } from '../normalize/test-support/exchange-fixture-loader.js';

const PREFIX_TO_API: Record<string, string> = {
  anthropic: 'anthropic.messages',
  'openai-chat': 'openai.chat_completions',
  'openai-responses': 'openai.responses',
};

/** Every recorded fixture body as `{ api, status, request, response }`. */
export function fixtureBodies(): { name: string; api: string; status: number; request: Record<string, unknown>; response: Record<string, unknown> | null }[] {
  return Object.entries(PREFIX_TO_API).flatMap(([prefix, api]) =>
    listFixtures(prefix + '-').map((name) => ({ name, api, ...loadFixture(name) })),
  );
}

export interface LineOptions {
  id: string;
  accountId?: string;
  ts?: string;
  fixtureIndex?: number;
  clientIp?: string | null;
}

/** A valid exchange-log line built from a recorded fixture. */
export function validExchangeLine({ id, accountId = 'acct_test', ts = '2026-02-11T09:14:03.512Z', fixtureIndex = 0, clientIp = '203.0.113.7' }: LineOptions): string {
  const bodies = fixtureBodies();
  const body = bodies[fixtureIndex % bodies.length]!;
  return JSON.stringify({
    id,
    ts,
    account_id: accountId,
    org_id: 'org_1',
    api_key_id: 'key_1',
    client_ip: clientIp,
    client_asn: 64500,
    client_country: 'DE',
    user_agent: 'anthropic-python/0.39.0',
    tls_fingerprint: 't13d1516h2_8daaf6152771_02713d6af862',
    api: body.api,
    request: body.request,
    response: body.response,
    status: body.status,
    latency_ms: 812,
  });
}
