import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { validExchangeLine } from '../../ingest/test-support/exchange-lines.js';
import type { ApiKeyRole } from '../../store/service-tables.js';
import { clusterFinding } from '../test-support/scripted-engine.js';
import { liveEngineModule } from '../engine/detection-engine-module.js';
import { createTestService, type TestService, type TestServiceOptions } from '../test-support/service-fixture.js';
import { gzipInPieces } from '../test-support/gzip-in-pieces.js';

const services: TestService[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
});

async function start(options: TestServiceOptions = {}): Promise<TestService> {
  const service = await createTestService(options);
  services.push(service);
  return service;
}

function lines(count: number, { prefix = 'ex', accountId = 'acct_a' }: { prefix?: string; accountId?: string } = {}): string[] {
  return Array.from({ length: count }, (_, i) => validExchangeLine({ id: `${prefix}-${i}`, accountId, fixtureIndex: i }));
}

/** Posts a batch and waits until what it stored is reflected in the scores. */
async function postExchanges(service: TestService, payload: string | Buffer, headers: Record<string, string> = {}) {
  const response = await service.app.inject({
    method: 'POST',
    url: '/v1/exchanges',
    headers: { ...service.auth('ingest'), 'content-type': 'application/x-ndjson', ...headers },
    payload,
  });
  if (response.statusCode === 202) await service.core.scoringIdle();
  return response;
}

function decide(service: TestService, body: Record<string, unknown>, role: ApiKeyRole = 'decide') {
  return service.app.inject({ method: 'POST', url: '/v1/decide', headers: service.auth(role), payload: body });
}

function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, detail?: RegExp) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(response.body) as { type: string; title: string; status: number; detail: string };
  expect(problem).toMatchObject({ status, type: expect.stringMatching(/^https:\/\//), title: expect.any(String), detail: expect.any(String) });
  if (detail) expect(problem.detail).toMatch(detail);
  return problem;
}

describe('POST /v1/exchanges', () => {
  it('stores an NDJSON batch and answers 202 with counts once it is committed', async () => {
    const service = await start();
    const response = await postExchanges(service, lines(5).join('\n') + '\n');
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ received: 5, stored: 5, duplicates: 0, quarantined: 0, errors: [], errors_truncated: false });
    expect(await service.store.countExchanges()).toBe(5);
  });

  it('takes a pretty-printed JSON array and a gzipped body', async () => {
    const service = await start();
    const array = '[\n' + lines(3).map((line) => JSON.stringify(JSON.parse(line), null, 2)).join(',\n') + '\n]';
    const plain = await postExchanges(service, array, { 'content-type': 'application/json' });
    expect(plain.json()).toMatchObject({ received: 3, stored: 3 });
    const zipped = await postExchanges(service, gzipSync(lines(4, { prefix: 'gz' }).join('\n')), { 'content-encoding': 'gzip' });
    expect(zipped.statusCode).toBe(202);
    expect(zipped.json()).toMatchObject({ received: 4, stored: 4 });
    expect(await service.store.countExchanges()).toBe(7);
  });

  it('quarantines bad records with their index, reason and field and stores the rest (202)', async () => {
    const service = await start();
    const good = lines(3);
    const record = JSON.parse(good[0]!) as Record<string, unknown>;
    const body = [
      good[0],
      '{"id": "broken", ',
      JSON.stringify({ ...record, id: 'no-ts', ts: undefined }),
      good[1],
      JSON.stringify({ ...record, id: 'bad-ip', client_ip: '999.1.1.1' }),
      good[2],
    ];
    const response = await postExchanges(service, body.join('\n'));
    expect(response.statusCode).toBe(202);
    const receipt = response.json();
    expect(receipt).toMatchObject({ received: 6, stored: 3, quarantined: 3 });
    expect(receipt.errors).toEqual([
      { index: 1, reason: 'malformed_json', field: null, message: expect.stringContaining('not valid JSON') },
      { index: 2, reason: 'missing_field', field: 'ts', message: expect.any(String) },
      { index: 4, reason: 'bad_ip', field: 'client_ip', message: expect.any(String) },
    ]);
    const metrics = (await service.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('distillguard_ingest_quarantined_total{reason="bad_ip"} 1');
  });

  it('numbers JSON array errors by element, even when an element hides a raw line break', async () => {
    const service = await start();
    const [first, second] = lines(2);
    const body = `[${first},\n{"id": "x\ny"},\n${second}]`;
    const receipt = (await postExchanges(service, body, { 'content-type': 'application/json' })).json();
    expect(receipt).toMatchObject({ received: 3, stored: 2, quarantined: 1 });
    expect(receipt.errors[0]).toMatchObject({ index: 1, reason: 'malformed_json' });
  });

  it('stores a repeated id once, within a batch and across batches (idempotent retries)', async () => {
    const service = await start();
    const batch = lines(4);
    const first = await postExchanges(service, [...batch, batch[0]].join('\n'));
    expect(first.json()).toMatchObject({ received: 5, stored: 4, duplicates: 1 });
    const retry = await postExchanges(service, batch.join('\n'));
    expect(retry.json()).toMatchObject({ received: 4, stored: 0, duplicates: 4 });
    expect(await service.store.countExchanges()).toBe(4);
  });

  it('takes a single exchange object as a batch of one', async () => {
    const service = await start();
    const response = await postExchanges(service, lines(1)[0]!, { 'content-type': 'application/json' });
    expect(response.json()).toMatchObject({ received: 1, stored: 1 });
  });

  it('quarantines exchange times outside the window as ingest does, and takes them when the window is widened', async () => {
    const inTwoDays = new Date(Date.now() + 2 * 24 * 3600_000).toISOString();
    const body = [
      validExchangeLine({ id: 'now', ts: new Date().toISOString() }),
      validExchangeLine({ id: 'old', ts: '2019-12-31T23:59:59Z' }),
      validExchangeLine({ id: 'year-19', ts: '0019-06-01T00:00:00Z' }),
      validExchangeLine({ id: 'ahead', ts: inTwoDays }),
    ].join('\n');
    const service = await start();
    const receipt = (await postExchanges(service, body)).json();
    expect(receipt).toMatchObject({ received: 4, stored: 1, quarantined: 3 });
    expect(receipt.errors.map((error: { index: number; reason: string; field: string }) => [error.index, error.reason, error.field])).toEqual([
      [1, 'bad_timestamp', 'ts'],
      [2, 'bad_timestamp', 'ts'],
      [3, 'bad_timestamp', 'ts'],
    ]);
    expect(receipt.errors[0].message).toMatch(/^"2019-12-31T23:59:59Z" is outside the accepted window 2020-01-01T00:00:00\.000Z\.\.\S+ \(--ts-window\)$/);

    const widened = await start({ config: { timestampWindow: { fromMs: Date.parse('0001-01-01T00:00:00Z'), toMs: Date.now() + 7 * 24 * 3600_000 } } });
    expect((await postExchanges(widened, body)).json()).toMatchObject({ received: 4, stored: 4, quarantined: 0 });
  });

  it('quarantines a record over the ingest record limit (1 MiB by default) as oversize, as ingest does, and stores the rest', async () => {
    const service = await start();
    const record = JSON.parse(lines(1)[0]!) as Record<string, unknown>;
    const big = JSON.stringify({ ...record, id: 'big', request: { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x'.repeat(2 * 1024 * 1024) }] } });
    const [first, second] = lines(2);
    for (const [format, body] of [
      ['application/x-ndjson', [first, big, second].join('\n')],
      ['application/json', `[${first},\n${big},\n${second}]`],
    ] as const) {
      const receipt = (await postExchanges(service, body, { 'content-type': format })).json();
      expect(receipt, format).toMatchObject({ received: 3, quarantined: 1 });
      expect(receipt.errors, format).toEqual([{ index: 1, reason: 'oversize', field: null, message: `the record is ${big.length} bytes; the limit is 1048576 (--max-record-bytes)` }]);
    }
    expect(await service.store.countExchanges()).toBe(2);
    const ids = await service.store.query<{ id: string }>('SELECT id FROM exchanges ORDER BY id');
    expect(ids.map((row) => row.id)).not.toContain('big');
  });

  it('holds records and accounts to a configured limit, and passes a gzipped 120 MiB record by while it streams', async () => {
    const service = await start({ config: { maxRecordBytes: 4096 } });
    const record = JSON.parse(lines(1)[0]!) as Record<string, unknown>;
    const wide = JSON.stringify({ ...record, id: 'wide', pad: 'p'.repeat(5000) });
    const receipt = (await postExchanges(service, gzipSync([wide, ...lines(2)].join('\n')), { 'content-encoding': 'gzip' })).json();
    expect(receipt).toMatchObject({ received: 3, stored: 2, quarantined: 1, errors: [{ index: 0, reason: 'oversize', message: expect.stringMatching(/limit is 4096 \(--max-record-bytes\)$/) }] });

    const accounts = [JSON.stringify({ account_id: 'acct_wide', email_domain: 'x'.repeat(5000) }), JSON.stringify({ account_id: 'acct_ok' })].join('\n');
    const accountResponse = await service.app.inject({ method: 'POST', url: '/v1/accounts', headers: { ...service.auth('ingest'), 'content-type': 'application/x-ndjson' }, payload: accounts });
    expect(accountResponse.json()).toMatchObject({ received: 2, stored: 1, quarantined: 1, errors: [{ index: 0, reason: 'oversize' }] });

    const huge = await gzipInPieces([`${lines(1, { prefix: 'before' })[0]}\n{"id":"huge","pad":"`, ...Array<string>(120).fill('x'.repeat(1024 * 1024)), `"}\n${lines(1, { prefix: 'after' })[0]}\n`]);
    const hugeReceipt = (await postExchanges(service, huge, { 'content-encoding': 'gzip' })).json();
    expect(hugeReceipt).toMatchObject({ received: 3, stored: 2, quarantined: 1, errors: [{ index: 1, reason: 'oversize' }] });
    expect(await service.store.countExchanges()).toBe(4);
  });

  it('answers 400 for a body that is not a JSON array, an unclosed array, bad gzip, or nothing', async () => {
    const service = await start();
    expectProblem(await postExchanges(service, '"text"', { 'content-type': 'application/json' }), 400, /JSON array/);
    expectProblem(await postExchanges(service, `[${lines(1)[0]}`, { 'content-type': 'application/json' }), 400, /not closed/);
    expectProblem(await postExchanges(service, `[${lines(1)[0]},]`, { 'content-type': 'application/json' }), 400, /empty/);
    expectProblem(await postExchanges(service, Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' }), 400, /gzip/);
    expectProblem(await postExchanges(service, ''), 400, /empty/);
    expect(await service.store.countExchanges()).toBe(0);
  });

  it('answers 415 for another content type or encoding', async () => {
    const service = await start();
    expectProblem(await postExchanges(service, 'a,b,c', { 'content-type': 'text/csv' }), 415, /Content-Type/);
    expectProblem(await postExchanges(service, lines(1)[0]!, { 'content-encoding': 'br' }), 415, /Content-Encoding/);
  });

  it('answers 413 for a body over the limit, sent or once decompressed', async () => {
    const service = await start({ config: { maxBodyBytes: 4096, maxDecompressedBytes: 8192, maxQueuedBytes: 8192 } });
    expectProblem(await postExchanges(service, lines(10).join('\n')), 413, /larger than/);
    const bomb = gzipSync(Buffer.from(`[${' '.repeat(100_000)}]`));
    expect(bomb.length).toBeLessThan(4096);
    expectProblem(await postExchanges(service, bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' }), 413, /decompresses/);
  });

  it('commits batches that arrive together in one transaction, and answers each with its own counts', async () => {
    const service = await start();
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => postExchanges(service, lines(25, { prefix: `g${i}` }).join('\n'))));
    expect(responses.map((response) => response.json().stored)).toEqual(Array(8).fill(25));
    const metrics = (await service.app.inject({ method: 'GET', url: '/metrics' })).body;
    const commits = Number(/^distillguard_ingest_commit_seconds_count (\d+)/m.exec(metrics)![1]);
    expect(commits).toBeLessThan(8);
    expect(await service.store.countExchanges()).toBe(200);
  });

  it('answers 503 with Retry-After when the store fails to commit, and stores the retry in full', async () => {
    const service = await start();
    const insert = service.store.insertStagedExchanges.bind(service.store);
    service.store.insertStagedExchanges = async () => {
      service.store.insertStagedExchanges = insert;
      throw new Error('disk full');
    };
    const batch = lines(10, { prefix: 'fail' }).join('\n');
    const failed = await postExchanges(service, batch);
    expectProblem(failed, 503, /nothing of it was acknowledged: disk full/);
    expect(Number(failed.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await service.store.countExchanges()).toBe(0);
    const retried = await postExchanges(service, batch);
    expect(retried.json()).toMatchObject({ stored: 10, duplicates: 0 });
    expect(await service.store.countExchanges()).toBe(10);
  });

  it('answers 503 with Retry-After when the ingest queue is full, and stores what it accepted', async () => {
    const service = await start({ config: { maxQueuedBatches: 1 } });
    const responses = await Promise.all(Array.from({ length: 6 }, (_, i) => postExchanges(service, lines(20, { prefix: `q${i}` }).join('\n'))));
    const accepted = responses.filter((response) => response.statusCode === 202);
    const refused = responses.filter((response) => response.statusCode === 503);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const response of refused) {
      expectProblem(response, 503, /queue is full/);
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect(await service.store.countExchanges()).toBe(accepted.length * 20);
  });
});

describe('POST /v1/accounts', () => {
  it('upserts account records, quarantines bad ones by index, and hands the good ones to the engine', async () => {
    const service = await start();
    service.script.accounts = [];
    const body = [
      { account_id: 'acct_new', org_id: null, created_at: '2026-02-10T08:00:00Z', email: 'jo.smith@uni.example', tier: 'education', payment_fingerprint: 'pf_1' },
      { org_id: 'o' },
      { account_id: 'acct_other', tier: 'startup', payment_fingerprint: 'pf_1' },
    ];
    const response = await service.app.inject({ method: 'POST', url: '/v1/accounts', headers: { ...service.auth('ingest'), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ received: 3, stored: 2, quarantined: 1, errors: [{ index: 1, reason: 'missing_field', field: 'account_id', message: expect.any(String) }] });
    await service.core.scoringIdle();
    expect(service.script.accounts.map((account) => account.accountId)).toEqual(['acct_new', 'acct_other']);
    const stored = await service.store.query<{ account_id: string; email_domain: string | null }>('SELECT account_id, email_domain FROM accounts ORDER BY account_id');
    expect(stored).toEqual([{ account_id: 'acct_new', email_domain: 'uni.example' }, { account_id: 'acct_other', email_domain: null }]);
    expectProblem(await service.app.inject({ method: 'POST', url: '/v1/accounts', headers: service.auth('decide'), payload: [] }), 403);
  });

  it('quarantines an account line that is not UTF-8, as the accounts file does, and writes every bad line to the quarantine file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accounts-'));
    const quarantinePath = join(dir, 'quarantine.jsonl');
    const service = await start({ config: { quarantinePath } });
    const body = Buffer.concat([
      Buffer.from(JSON.stringify({ account_id: 'acct_ok' }) + '\n'),
      Buffer.from('{"account_id": "acct_'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}\n{"org_id": "o"}\n'),
    ]);
    const response = await service.app.inject({ method: 'POST', url: '/v1/accounts', headers: { ...service.auth('ingest'), 'content-type': 'application/x-ndjson' }, payload: body });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ received: 3, stored: 1, quarantined: 2, errors: [{ index: 1, reason: 'invalid_utf8' }, { index: 2, reason: 'missing_field' }] });
    expect((await service.store.query<{ account_id: string }>('SELECT account_id FROM accounts')).map((row) => row.account_id)).toEqual(['acct_ok']);
    await service.close();
    services.splice(services.indexOf(service), 1);
    const quarantined = readFileSync(quarantinePath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { file: string; line: number; reason: string });
    expect(quarantined.map(({ line, reason }) => [line, reason])).toEqual([
      [2, 'invalid_utf8'],
      [3, 'missing_field'],
    ]);
    expect(quarantined[0]!.file).toMatch(/^http-accounts:/);
  });
});

describe('authentication and roles', () => {
  const routes: { method: 'GET' | 'POST' | 'DELETE'; url: string; role: ApiKeyRole; payload?: unknown }[] = [
    { method: 'POST', url: '/v1/decide', role: 'decide', payload: { account_id: 'a' } },
    { method: 'GET', url: '/v1/clusters', role: 'analyst' },
    { method: 'GET', url: '/v1/labels', role: 'analyst' },
    { method: 'POST', url: '/v1/labels', role: 'analyst', payload: { target: 'account', id: 'a', verdict: 'dismissed' } },
    { method: 'GET', url: '/v1/keys', role: 'admin' },
    { method: 'POST', url: '/v1/policy/reload', role: 'admin' },
  ];

  it('answers 401 without a key, with a malformed header and with an unknown key', async () => {
    const service = await start();
    for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer dg_live_000000000000_' + 'x'.repeat(43) }]) {
      const response = await service.app.inject({ method: 'POST', url: '/v1/decide', headers, payload: { account_id: 'a' } });
      expectProblem(response, 401);
    }
  });

  it('answers 403 to every role but the route role and admin, and serves those two', async () => {
    const service = await start();
    for (const route of routes) {
      for (const role of ['ingest', 'decide', 'analyst', 'admin'] as const) {
        const response = await service.app.inject({ method: route.method, url: route.url, headers: service.auth(role), ...(route.payload ? { payload: route.payload as object } : {}) });
        if (role === route.role || role === 'admin') expect(response.statusCode, `${role} on ${route.url}`).toBeLessThan(300);
        else expectProblem(response, 403, new RegExp(route.role === 'admin' ? 'needs an API key with the role admin;' : `needs an API key with the role ${route.role} or admin;`));
      }
    }
    expectProblem(await postExchanges(service, lines(1)[0]!, service.auth('decide')), 403);
  });

  it('keeps health, metrics and the OpenAPI document open', async () => {
    const service = await start();
    for (const url of ['/healthz', '/metrics', '/openapi.json']) expect((await service.app.inject({ method: 'GET', url })).statusCode).toBe(200);
  });

  it('rate-limits each key on its own, with 429 and Retry-After', async () => {
    const service = await start();
    const slow = await service.core.createKey({ role: 'decide', rateLimit: 2 });
    const call = (key: string) => service.app.inject({ method: 'POST', url: '/v1/decide', headers: { authorization: `Bearer ${key}` }, payload: { account_id: 'a' } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(slow.key)).statusCode);
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    const limited = await call(slow.key);
    expectProblem(limited, 429, /rate limit of 2/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await call(service.keys.decide)).statusCode).toBe(200);
  });

  it('lets an admin make, list and revoke keys while the server holds the store', async () => {
    const service = await start();
    const created = await service.app.inject({ method: 'POST', url: '/v1/keys', headers: service.auth('admin'), payload: { role: 'decide', name: 'gateway eu-1' } });
    expect(created.statusCode).toBe(201);
    const { key, key_id: keyId } = created.json();
    expect(key).toMatch(/^dg_live_[0-9a-f]{12}_/);
    expect((await decide(service, { account_id: 'a' }).then(() => service.app.inject({ method: 'POST', url: '/v1/decide', headers: { authorization: `Bearer ${key}` }, payload: { account_id: 'a' } }))).statusCode).toBe(200);
    const listed = (await service.app.inject({ method: 'GET', url: '/v1/keys', headers: service.auth('admin') })).json();
    expect(listed.keys.find((entry: { key_id: string }) => entry.key_id === keyId)).toMatchObject({ role: 'decide', name: 'gateway eu-1', revoked_at: null });
    expect(JSON.stringify(listed)).not.toContain(key);
    const revoked = await service.app.inject({ method: 'DELETE', url: `/v1/keys/${keyId}`, headers: service.auth('admin') });
    expect(revoked.json().revoked_at).not.toBeNull();
    expectProblem(await service.app.inject({ method: 'POST', url: '/v1/decide', headers: { authorization: `Bearer ${key}` }, payload: { account_id: 'a' } }), 401, /revoked/);
    expectProblem(await service.app.inject({ method: 'DELETE', url: '/v1/keys/nope', headers: service.auth('admin') }), 404);
  });
});

describe('POST /v1/decide', () => {
  it("reflects an account's committed traffic and its score at once", async () => {
    const service = await start();
    service.script.scores.set('acct_bad', { score: 0.95, flagged: true, clusterId: null, evidence: [{ signal: 'cot_elicitation', weight: 0.7, detail: '90% of prompts ask for step-by-step reasoning' }] });
    expect((await decide(service, { account_id: 'acct_bad' })).json()).toMatchObject({ action: 'allow', reasons: [{ code: 'no_traffic' }] });
    await postExchanges(service, lines(2, { accountId: 'acct_bad' }).join('\n'));
    const decision = (await decide(service, { account_id: 'acct_bad' })).json();
    expect(decision).toMatchObject({ account_id: 'acct_bad', action: 'block', score: 0.95, flagged: true, cluster_id: null });
    expect(decision.reasons).toEqual([
      { code: 'score_band', detail: expect.stringContaining('0.95') },
      { code: 'rule', detail: 'policy rule "flagged by the model" (step_up)' },
      { code: 'evidence', signal: 'cot_elicitation', detail: '90% of prompts ask for step-by-step reasoning' },
    ]);
  });

  it('steps up the accounts the model flags and allows the others, by default', async () => {
    const service = await start();
    service.script.scores.set('acct_flagged', { score: 0.52, flagged: true, clusterId: null, evidence: [] });
    service.script.scores.set('acct_close', { score: 0.49, flagged: false, clusterId: null, evidence: [] });
    await postExchanges(service, [...lines(1, { accountId: 'acct_flagged', prefix: 'f' }), ...lines(1, { accountId: 'acct_close', prefix: 'c' })].join('\n'));
    expect((await decide(service, { account_id: 'acct_flagged' })).json()).toMatchObject({ action: 'step_up', reasons: [{ code: 'rule', detail: expect.stringContaining('flagged by the model') }] });
    expect((await decide(service, { account_id: 'acct_close' })).json().action).toBe('allow');
  });

  it('maps score bands to throttle and step_up', async () => {
    const service = await start({ policy: 'version: 1\nbands: [{ min_score: 0.7, action: step_up }, { min_score: 0.5, action: throttle }]\n' });
    service.script.scores.set('acct_mid', { score: 0.55, flagged: false, clusterId: null, evidence: [] });
    service.script.scores.set('acct_high', { score: 0.75, flagged: true, clusterId: null, evidence: [] });
    await postExchanges(service, [...lines(1, { accountId: 'acct_mid', prefix: 'm' }), ...lines(1, { accountId: 'acct_high', prefix: 'h' })].join('\n'));
    expect((await decide(service, { account_id: 'acct_mid' })).json().action).toBe('throttle');
    expect((await decide(service, { account_id: 'acct_high' })).json().action).toBe('step_up');
  });

  it('validates the body: 400 with the field for a missing account_id, 415 for a form body', async () => {
    const service = await start();
    const missing = expectProblem(await decide(service, { client_ip: '1.2.3.4' }), 400, /account_id/) as unknown as { errors: unknown[] };
    expect(missing.errors).toEqual([{ field: 'account_id', message: expect.any(String) }]);
    expectProblem(await service.app.inject({ method: 'POST', url: '/v1/decide', headers: { ...service.auth('decide'), 'content-type': 'application/json' }, payload: '{"account_id":' }), 400, /not valid JSON/);
    expectProblem(
      await service.app.inject({ method: 'POST', url: '/v1/decide', headers: { ...service.auth('decide'), 'content-type': 'application/x-www-form-urlencoded' }, payload: 'account_id=a' }),
      415,
    );
  });

  it('answers unknown routes with 404 problem+json', async () => {
    const service = await start();
    expectProblem(await service.app.inject({ method: 'GET', url: '/v2/nothing' }), 404, /no route/);
  });
});

describe('policy', () => {
  const policy = (extra = '') => `version: 1
bands:
  - { min_score: 0.8, action: block }
  - { min_score: 0.4, action: throttle }
rules:
  - { name: reasoning harvest, signal: cot_elicitation, min_weight: 0.5, action: step_up }
  - { name: member of a flagged cluster, in_flagged_cluster: true, action: step_up }
allow:
  accounts: [acct_enterprise]
  ips: [10.0.0.0/8]
deny:
  accounts: [acct_banned]
  orgs: [org_evil]
  ips: ["198.51.100.0/24", "2001:db8::/32"]
${extra}`;

  it('applies allow- and deny-lists by account, organisation and client IP, and evidence rules', async () => {
    const service = await start({ policy: policy() });
    service.script.scores.set('acct_enterprise', { score: 0.99, flagged: true, clusterId: null, evidence: [] });
    service.script.scores.set('acct_cot', { score: 0.1, flagged: false, clusterId: null, evidence: [{ signal: 'cot_elicitation', weight: 0.6, detail: 'asks for reasoning' }] });
    await postExchanges(service, [...lines(1, { accountId: 'acct_enterprise', prefix: 'e' }), ...lines(1, { accountId: 'acct_cot', prefix: 'c' })].join('\n'));
    expect((await decide(service, { account_id: 'acct_enterprise' })).json()).toMatchObject({ action: 'allow', reasons: [{ code: 'allow_list' }] });
    expect((await decide(service, { account_id: 'acct_banned' })).json()).toMatchObject({ action: 'block', reasons: [{ code: 'deny_list' }] });
    expect((await decide(service, { account_id: 'x', org_id: 'org_evil' })).json().action).toBe('block');
    expect((await decide(service, { account_id: 'x', client_ip: '198.51.100.77' })).json().action).toBe('block');
    expect((await decide(service, { account_id: 'x', client_ip: '2001:db8::1' })).json().action).toBe('block');
    expect((await decide(service, { account_id: 'x', client_ip: '10.2.3.4' })).json().action).toBe('allow');
    const cot = (await decide(service, { account_id: 'acct_cot' })).json();
    expect(cot.action).toBe('step_up');
    expect(cot.reasons).toContainEqual({ code: 'rule', signal: 'cot_elicitation', detail: expect.stringContaining('reasoning harvest') });
  });

  it('reloads a changed file without a restart, and keeps the old policy when the new file is invalid', async () => {
    const service = await start({ policy: policy() });
    const path = join(service.dir, 'policy.yaml');
    const before = service.core.policy.current().version;
    expect((await decide(service, { account_id: 'acct_new' })).json().action).toBe('allow');
    writeFileSync(path, policy().replace('accounts: [acct_banned]', 'accounts: [acct_banned, acct_new]'));
    await expect.poll(() => service.core.policy.current().version, { timeout: 5000 }).not.toBe(before);
    expect((await decide(service, { account_id: 'acct_new' })).json().action).toBe('block');

    const good = service.core.policy.current().version;
    writeFileSync(path, 'version: 1\nbands:\n  - { min_score: 2, action: explode }\n');
    const reload = await service.app.inject({ method: 'POST', url: '/v1/policy/reload', headers: service.auth('admin') });
    expectProblem(reload, 400, /rejected.*bands\.0/);
    expect(service.core.policy.current().version).toBe(good);
    expect((await decide(service, { account_id: 'acct_new' })).json().action).toBe('block');
    expect((await service.app.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/distillguard_policy_reloads_total\{outcome="rejected"\} [1-9]/);
  });
});

describe('restart', () => {
  it('hands the engine the same observation for an exchange on ingest and on the replay after a restart', async () => {
    const service = await start();
    service.script.observed = [];
    await postExchanges(service, lines(6).join('\n'));
    const live = [...service.script.observed].sort((a, b) => String(a.id).localeCompare(String(b.id)));
    expect(live).toHaveLength(6);
    expect(live[0]).toHaveProperty('content_flags');
    expect(live[0]).not.toHaveProperty('prompt_text');

    const dbPath = join(service.dir, 'store.duckdb');
    services.splice(services.indexOf(service), 1);
    await service.close();
    const script = { scores: new Map(), clusters: [], relinks: 0, observed: [] as typeof live };
    const { createScriptedEngineModule } = await import('../test-support/scripted-engine.js');
    const restarted = await start({ dbPath, engine: createScriptedEngineModule(script) });
    const replayed = [...script.observed].sort((a, b) => String(a.id).localeCompare(String(b.id)));
    expect(replayed).toEqual(live);
    expect(restarted.core.health().exchanges_recovered).toBe(6);
  });

  it('logs at start-up the account count that /healthz reports: accounts with a score, not accounts merely known', async () => {
    const service = await start();
    const known = ['acct_p', 'acct_q', 'acct_r', 'acct_quiet'].map((accountId) => JSON.stringify({ account_id: accountId })).join('\n');
    await service.app.inject({ method: 'POST', url: '/v1/accounts', headers: { ...service.auth('ingest'), 'content-type': 'application/x-ndjson' }, payload: known });
    await postExchanges(service, ['acct_p', 'acct_q', 'acct_r'].flatMap((accountId) => lines(2, { prefix: accountId, accountId })).join('\n'));
    const dbPath = join(service.dir, 'store.duckdb');
    services.splice(services.indexOf(service), 1);
    await service.close();
    const logged: Record<string, unknown>[] = [];
    const destination = { write: (line: string) => logged.push(JSON.parse(line) as Record<string, unknown>) };
    const engine = { module: liveEngineModule, script: { scores: new Map(), clusters: [], relinks: 0 } };
    const restarted = await start({ dbPath, engine, logger: pino({ level: 'info' }, destination) });
    const recovered = logged.find((entry) => entry.msg === 'recovered scores from the store');
    expect(recovered?.accounts).toBe(3);
    expect((await restarted.app.inject({ method: 'GET', url: '/healthz' })).json().accounts).toBe(3);
  });
});

describe('verdicts', () => {
  it('overrides the model with an account verdict and keeps it across a restart', async () => {
    const service = await start();
    service.script.scores.set('acct_x', { score: 0.97, flagged: true, clusterId: null, evidence: [] });
    await postExchanges(service, lines(1, { accountId: 'acct_x' }).join('\n'));
    expect((await decide(service, { account_id: 'acct_x' })).json().action).toBe('block');
    const label = await service.app.inject({
      method: 'POST',
      url: '/v1/labels',
      headers: service.auth('analyst'),
      payload: { target: 'account', id: 'acct_x', verdict: 'dismissed', note: 'known eval partner' },
    });
    expect(label.statusCode).toBe(201);
    expect(label.json()).toMatchObject({ target: 'account', id: 'acct_x', verdict: 'dismissed', note: 'known eval partner' });
    const overridden = (await decide(service, { account_id: 'acct_x' })).json();
    expect(overridden).toMatchObject({ action: 'allow', score: 0.97, reasons: [{ code: 'verdict', detail: expect.stringContaining('known eval partner') }] });

    const dbPath = join(service.dir, 'store.duckdb');
    services.splice(services.indexOf(service), 1);
    await service.close();
    const restarted = await start({ dbPath });
    const after = (await decide(restarted, { account_id: 'acct_x' })).json();
    expect(after).toMatchObject({ action: 'allow', reasons: [{ code: 'verdict' }] });
    const account = await restarted.app.inject({ method: 'GET', url: '/v1/accounts/acct_x', headers: restarted.auth('analyst') });
    expect(account.json()).toMatchObject({ account: { account_id: 'acct_x' }, verdict: { verdict: 'dismissed' }, decision: { action: 'allow' } });
  });

  it('applies a cluster verdict to every member, and 404s a cluster that does not exist', async () => {
    const service = await start();
    service.script.scores.set('acct_m1', { score: 0.2, flagged: false, clusterId: 'c1', evidence: [] });
    service.script.clusters = [clusterFinding('c1', ['acct_m1', 'acct_m2'], 0.6, true)];
    await postExchanges(service, lines(1, { accountId: 'acct_m1' }).join('\n'));
    await service.core.relink.runNow();
    const labelled = await service.app.inject({ method: 'POST', url: '/v1/labels', headers: service.auth('analyst'), payload: { target: 'cluster', id: 'c1', verdict: 'confirmed' } });
    expect(labelled.statusCode).toBe(201);
    expect((await decide(service, { account_id: 'acct_m1' })).json()).toMatchObject({ action: 'block', cluster_id: 'c1', reasons: [{ code: 'verdict', detail: expect.stringContaining('cluster c1') }] });
    expectProblem(await service.app.inject({ method: 'POST', url: '/v1/labels', headers: service.auth('analyst'), payload: { target: 'cluster', id: 'c9', verdict: 'confirmed' } }), 404);
    const current = (await service.app.inject({ method: 'GET', url: '/v1/labels', headers: service.auth('analyst') })).json();
    expect(current.labels).toEqual([expect.objectContaining({ target: 'cluster', id: 'c1', verdict: 'confirmed' })]);
  });
});

describe('analyst routes', () => {
  it('lists clusters as of the last relink, filters and pages them, and shows one with its evidence', async () => {
    const service = await start();
    service.script.clusters = [clusterFinding('c1', ['a', 'b'], 0.9, true), clusterFinding('c2', ['c'], 0.2, false)];
    await service.core.relink.runNow();
    const all = (await service.app.inject({ method: 'GET', url: '/v1/clusters', headers: service.auth('analyst') })).json();
    expect(all).toMatchObject({ total: 2, relinked_at: expect.any(String) });
    expect(all.clusters[0]).toMatchObject({ cluster_id: 'c1', score: 0.9, flagged: true, account_count: 2, verdict: null });
    const flagged = (await service.app.inject({ method: 'GET', url: '/v1/clusters?flagged=true&limit=1', headers: service.auth('analyst') })).json();
    expect(flagged.clusters.map((c: { cluster_id: string }) => c.cluster_id)).toEqual(['c1']);
    const one = (await service.app.inject({ method: 'GET', url: '/v1/clusters/c1', headers: service.auth('analyst') })).json();
    expect(one.cluster).toMatchObject({ cluster_id: 'c1', accounts: ['a', 'b'], evidence: [{ signal: 'shared_template' }] });
    expectProblem(await service.app.inject({ method: 'GET', url: '/v1/clusters/nope', headers: service.auth('analyst') }), 404);
    expectProblem(await service.app.inject({ method: 'GET', url: '/v1/clusters?limit=0', headers: service.auth('analyst') }), 400, /limit/);
  });

  it('shows an account with its volume and decision, and 404s an account never seen', async () => {
    const service = await start();
    await postExchanges(service, lines(3, { accountId: 'acct_v' }).join('\n'));
    const account = (await service.app.inject({ method: 'GET', url: '/v1/accounts/acct_v', headers: service.auth('analyst') })).json();
    expect(account).toMatchObject({ account: { account_id: 'acct_v', volume: { exchanges: 3 } }, decision: { action: 'allow' }, verdict: null });
    expectProblem(await service.app.inject({ method: 'GET', url: '/v1/accounts/ghost', headers: service.auth('analyst') }), 404);
  });

  it('serves an account id as long as ingest accepts, percent-encoded or not', async () => {
    const service = await start();
    const longId = `acct_${'x'.repeat(400)}_ü`;
    await postExchanges(service, lines(2, { accountId: longId }).join('\n'));
    const response = await service.app.inject({ method: 'GET', url: `/v1/accounts/${encodeURIComponent(longId)}`, headers: service.auth('analyst') });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ account: { account_id: longId, volume: { exchanges: 2 } } });
    expectProblem(await service.app.inject({ method: 'GET', url: `/v1/accounts/${'y'.repeat(450)}`, headers: service.auth('analyst') }), 404);
  });
});

describe('system routes', () => {
  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const service = await start();
    const document = (await service.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(document.openapi).toBe('3.1.0');
    for (const path of ['/v1/exchanges', '/v1/accounts', '/v1/decide', '/v1/accounts/{id}', '/v1/clusters', '/v1/clusters/{id}', '/v1/labels', '/v1/keys', '/healthz', '/metrics']) {
      expect(document.paths, path).toHaveProperty([path]);
    }
    expect(Object.keys(document.paths['/v1/exchanges'].post.requestBody.content)).toEqual(['application/json', 'application/x-ndjson']);
    expect(document.paths['/v1/decide'].post.responses['200'].content['application/json'].schema.properties.action.enum).toEqual(['allow', 'throttle', 'step_up', 'block']);
  });

  it('exposes Prometheus metrics for ingest, decisions, queue depth and relinks', async () => {
    const service = await start();
    await postExchanges(service, lines(2).join('\n'));
    await decide(service, { account_id: 'acct_a' });
    await service.core.relink.runNow();
    const response = await service.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    for (const metric of [
      'distillguard_ingest_exchanges_total{outcome="stored"} 2',
      'distillguard_decisions_total{action="allow"} 1',
      'distillguard_decision_seconds_count 1',
      'distillguard_ingest_queue_batches 0',
      'distillguard_relink_seconds_count',
      'distillguard_accounts_tracked 1',
    ]) {
      expect(response.body).toContain(metric);
    }
  });

  it('reports health, and on shutdown commits the batches it accepted, refuses new ones and reports draining', async () => {
    const service = await start();
    const health = (await service.app.inject({ method: 'GET', url: '/healthz' })).json();
    expect(health).toMatchObject({ status: 'ok', engine: 'scripted', ingest_queue: { batches: 0 } });
    // The start-up relink counts like any other.
    expect(health.relink).toMatchObject({ runs: 1, failures: 0 });

    // Shut down the moment the batch has been accepted, before it is committed.
    const ingest = service.core.ingest;
    const submit = ingest.submit.bind(ingest);
    let closing: Promise<void> | null = null;
    ingest.submit = (...args) => {
      const receipt = submit(...args);
      closing = service.core.close();
      return receipt;
    };
    const accepted = postExchanges(service, lines(50, { prefix: 'late' }).join('\n'));
    await expect.poll(() => closing).not.toBeNull();
    expect(service.core.health().status).toBe('draining');
    const draining = await service.app.inject({ method: 'GET', url: '/healthz' });
    expect(draining.statusCode).toBe(503);
    expect(draining.json()).toMatchObject({ status: 'draining' });
    const refused = await postExchanges(service, lines(1, { prefix: 'after' }).join('\n'));
    expectProblem(refused, 503, /shutting down/);
    expect((await accepted).json()).toMatchObject({ stored: 50 });
    await closing;
    services.splice(services.indexOf(service), 1);
    await service.app.close();
    const reopened = await start({ dbPath: join(service.dir, 'store.duckdb') });
    expect(await reopened.store.countExchanges()).toBe(50);
  });
});
