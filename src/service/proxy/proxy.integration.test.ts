import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../util/log.js';
import { readServiceConfig } from '../service-config.js';
import { createScriptedEngineModule } from '../test-support/scripted-engine.js';
import { CHUNK_GAP_MS, startUpstream } from '../test-support/llm-upstream-stub.js';
import type { RecordSink } from './exchange-recorder.js';
import { readProxyConfig, type ProxyConfigInput } from './proxy-config.js';
import { startProxy, type LiveProxy } from './start-proxy.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { proxy?: Partial<ProxyConfigInput>; policy?: string; scores?: Record<string, number>; sink?: (core: LiveProxy['core']) => RecordSink } = {}) {
  const upstream = await startUpstream();
  cleanups.push(() => upstream.close());
  const dir = mkdtempSync(join(tmpdir(), 'proxy-'));
  let policyPath: string | null = null;
  if (options.policy !== undefined) {
    policyPath = join(dir, 'policy.yaml');
    writeFileSync(policyPath, options.policy);
  }
  const engine = createScriptedEngineModule();
  for (const [account, score] of Object.entries(options.scores ?? {})) engine.script.scores.set(account, { score, flagged: false, clusterId: null, evidence: [] });
  const live = await startProxy({
    service: readServiceConfig({ db: join(dir, 'store.duckdb'), port: 0, policyPath, ingestWorkers: 0, relinkInWorker: false, scoringInWorker: false, relinkIntervalMs: 3_600_000 }),
    proxy: readProxyConfig({ upstream: upstream.url, recordLingerMs: 10, ...options.proxy }),
    logger: createSilentLogger(),
    engine: { module: engine.module, moduleUrl: new URL('../test-support/scripted-engine.js', import.meta.url) },
    ...(options.sink ? { sink: options.sink } : {}),
  });
  cleanups.push(() => live.close());
  return { live, upstream };
}

const ANTHROPIC = { 'content-type': 'application/json', 'x-api-key': 'sk-ant-test-secret-1', 'anthropic-version': '2023-06-01' };
const OPENAI = { 'content-type': 'application/json', authorization: 'Bearer sk-openai-test-secret-2' };
const chatBody = (extra: Record<string, unknown> = {}) => JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'What is the answer?' }], ...extra });
const messagesBody = (extra: Record<string, unknown> = {}) => JSON.stringify({ model: 'claude-test', max_tokens: 64, messages: [{ role: 'user', content: 'Say hello' }], ...extra });

async function recorded(live: LiveProxy) {
  await live.recorder.flush();
  await live.core.scoringIdle();
  return live.store.query<Record<string, unknown>>('SELECT account_id, api_key_id, api, status, output_text, output_tokens, stream FROM exchanges ORDER BY ts, id');
}

describe('proxy', () => {
  it('forwards an allowed request, answers with the upstream body, and records the exchange under a keyed hash of the key', async () => {
    const { live } = await setup();
    const answer = await request(`${live.url}/v1/chat/completions`, { method: 'POST', headers: OPENAI, body: chatBody() });
    expect(answer.statusCode).toBe(200);
    expect(await answer.body.json()).toMatchObject({ id: 'chatcmpl-2', choices: [{ message: { content: 'Hi there' } }] });
    const rows = await recorded(live);
    expect(rows).toEqual([{ account_id: expect.stringMatching(/^key-[0-9a-f]{32}$/), api_key_id: expect.stringMatching(/^[0-9a-f]{32}$/), api: 'openai.chat_completions', status: 200, output_text: 'Hi there', output_tokens: 3, stream: false }]);
    expect(JSON.stringify(rows)).not.toContain('sk-openai-test-secret-2');
    // The store is opened as `serve` opens it, for a long-running writer.
    expect(await live.store.query("SELECT current_setting('checkpoint_threshold') AS value")).toEqual([{ value: '244.1 MiB' }]) // 256 MB;
  });

  it('with recording off, forwards plain and streamed answers whole and records nothing', async () => {
    const { live } = await setup({ proxy: { record: false } });
    const plain = await request(`${live.url}/v1/chat/completions`, { method: 'POST', headers: OPENAI, body: chatBody() });
    expect(await plain.body.json()).toMatchObject({ choices: [{ message: { content: 'Hi there' } }] });
    const streamed = await request(`${live.url}/v1/messages`, { method: 'POST', headers: ANTHROPIC, body: messagesBody({ stream: true }) });
    expect(await streamed.body.text()).toContain('message_stop');
    expect(await recorded(live)).toEqual([]);
  });

  it('passes a stream through chunk by chunk as the upstream sends it, and records the assembled response', async () => {
    const { live } = await setup();
    const started = performance.now();
    const answer = await request(`${live.url}/v1/messages`, { method: 'POST', headers: ANTHROPIC, body: messagesBody({ stream: true }) });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toContain('text/event-stream');
    const arrivals: { at: number; text: string }[] = [];
    for await (const chunk of answer.body) arrivals.push({ at: performance.now() - started, text: (chunk as Buffer).toString('utf8') });
    // Seven events, 150 ms apart upstream: the first must reach the client long before the last is sent.
    expect(arrivals.length).toBeGreaterThanOrEqual(5);
    expect(arrivals[0]!.text).toContain('message_start');
    expect(arrivals[0]!.at).toBeLessThan(CHUNK_GAP_MS * 3);
    expect(arrivals.at(-1)!.at - arrivals[0]!.at).toBeGreaterThan(CHUNK_GAP_MS * 5);
    const gaps = arrivals.slice(1).map((arrival, i) => arrival.at - arrivals[i]!.at);
    expect(gaps.filter((gap) => gap > CHUNK_GAP_MS / 2).length).toBeGreaterThanOrEqual(4);
    expect(await recorded(live)).toMatchObject([{ api: 'anthropic.messages', status: 200, output_text: 'Hello, world', output_tokens: 7, stream: true }]);
  });

  it('assembles a streamed Chat Completions response for the record', async () => {
    const { live } = await setup();
    const answer = await request(`${live.url}/v1/chat/completions`, { method: 'POST', headers: OPENAI, body: chatBody({ stream: true }) });
    expect(await answer.body.text()).toContain('[DONE]');
    expect(await recorded(live)).toMatchObject([{ api: 'openai.chat_completions', output_text: 'The answer is 42.', output_tokens: 5 }]);
  });

  it("throttles an account the policy throttles with a 429 and Retry-After in each API's error shape", async () => {
    const policy = 'version: 1\nbands:\n  - { min_score: 0.5, action: throttle }\nrules: []\n';
    const { live } = await setup({ policy, scores: { acct_t: 0.7 }, proxy: { accountHeader: 'x-account', throttleRate: 0.2, throttleBurst: 2 } });
    const send = (path: string, headers: Record<string, string>, body: string) => request(`${live.url}${path}`, { method: 'POST', headers: { ...headers, 'x-account': 'acct_t' }, body });
    expect((await send('/v1/chat/completions', OPENAI, chatBody())).statusCode).toBe(200);
    await recorded(live);
    const statuses: number[] = [];
    let lastOpenAi: Awaited<ReturnType<typeof send>> | null = null;
    for (let i = 0; i < 3; i++) {
      lastOpenAi = await send('/v1/chat/completions', OPENAI, chatBody());
      statuses.push(lastOpenAi.statusCode);
      if (lastOpenAi.statusCode === 200) await lastOpenAi.body.dump();
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(lastOpenAi!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // What the OpenAI SDKs read: status 429 and an `error` object with message, type and code.
    expect(await lastOpenAi!.body.json()).toEqual({ error: { message: expect.stringContaining('rate limited'), type: 'requests', param: null, code: 'rate_limit_exceeded' } });
    const anthropic = await send('/v1/messages', ANTHROPIC, messagesBody());
    expect(anthropic.statusCode).toBe(429);
    expect(anthropic.headers['retry-after']).toBeDefined();
    // What the Anthropic SDKs read: status 429 and {"type":"error","error":{"type":"rate_limit_error",...}}.
    expect(await anthropic.body.json()).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: expect.any(String) } });
    expect((await recorded(live)).map((row) => row.status)).toEqual([200, 200, 200, 429, 429]);
  });

  it('answers a blocked or stepped-up account 403 with the reason, and never forwards it', async () => {
    const policy = 'version: 1\nbands:\n  - { min_score: 0.5, action: step_up }\nrules: []\ndeny:\n  accounts: [acct_b]\n';
    const { live } = await setup({ policy, scores: { acct_s: 0.6 }, proxy: { accountHeader: 'x-account', stepUpUrl: 'https://example.com/verify' } });
    const blocked = await request(`${live.url}/v1/messages`, { method: 'POST', headers: { ...ANTHROPIC, 'x-account': 'acct_b' }, body: messagesBody() });
    expect(blocked.statusCode).toBe(403);
    expect(await blocked.body.json()).toEqual({ type: 'error', error: { type: 'permission_error', message: expect.stringContaining('blocked') } });
    await (await request(`${live.url}/v1/responses`, { method: 'POST', headers: { ...OPENAI, 'x-account': 'acct_s' }, body: JSON.stringify({ model: 'gpt-test', input: 'hi' }) })).body.dump();
    await recorded(live);
    const stepped = await request(`${live.url}/v1/responses`, { method: 'POST', headers: { ...OPENAI, 'x-account': 'acct_s' }, body: JSON.stringify({ model: 'gpt-test', input: 'hi' }) });
    expect(stepped.statusCode).toBe(403);
    expect(await stepped.body.json()).toEqual({ error: { message: expect.stringContaining('https://example.com/verify'), type: 'invalid_request_error', param: null, code: 'verification_required' } });
  });

  it('passes upstream errors through, answers an unreachable or silent upstream in the API shape, and records each', async () => {
    const { live, upstream } = await setup({ proxy: { upstreamTimeoutMs: 300 } });
    const failed = await request(`${live.url}/v1/messages`, { method: 'POST', headers: { ...ANTHROPIC, 'x-stub': 'error' }, body: messagesBody() });
    expect(failed.statusCode).toBe(529);
    expect(await failed.body.json()).toMatchObject({ error: { type: 'overloaded_error' } });
    const silent = await request(`${live.url}/v1/chat/completions`, { method: 'POST', headers: { ...OPENAI, 'x-stub': 'hang' }, body: chatBody() });
    expect(silent.statusCode).toBe(504);
    expect(await silent.body.json()).toMatchObject({ error: { type: 'server_error', code: 'upstream_timeout' } });
    await upstream.close();
    const down = await request(`${live.url}/v1/messages`, { method: 'POST', headers: ANTHROPIC, body: messagesBody() });
    expect(down.statusCode).toBe(502);
    expect(await down.body.json()).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    expect((await recorded(live)).map((row) => row.status)).toEqual([529, 504, 502]);
  });

  it('never fails a request under --fail-open when the store stops taking exchanges, and counts what it dropped', async () => {
    let storeUp = true;
    const stuck: ((error: Error) => void)[] = [];
    const { live } = await setup({
      proxy: { recordQueue: 20, recordBatch: 5 },
      // A store that stops answering: batches hang until the test ends, as on a dead disk.
      sink: (core) => (body) => (storeUp ? core.ingest.submit(body, 'ndjson', false) : new Promise((_resolve, reject) => stuck.push(reject))),
    });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      if (i === 10) {
        await live.recorder.flush();
        storeUp = false;
      }
      const started = performance.now();
      const answer = await request(`${live.url}/v1/chat/completions`, { method: 'POST', headers: OPENAI, body: chatBody() });
      await answer.body.dump();
      statuses.push(answer.statusCode);
      expect(performance.now() - started).toBeLessThan(1000);
    }
    expect(statuses.every((status) => status === 200)).toBe(true);
    const metrics = await live.core.metrics.registry.metrics();
    expect(metrics).toMatch(/distillguard_proxy_records_total\{outcome="dropped_full"\} [1-9]/);
    expect(Number(await live.store.scalar('SELECT count(*) FROM exchanges'))).toBe(10);
    storeUp = true;
    for (const reject of stuck) reject(new Error('store gone'));
  });

  it('never fails a request under --fail-open when the store itself is closed mid-run', async () => {
    const { live } = await setup({ proxy: { recordQueue: 20, recordBatch: 5 } });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      if (i === 10) {
        await live.recorder.flush();
        // The embedded store goes away under the service, as when its file or disk fails.
        live.store.close();
      }
      const started = performance.now();
      const answer = await request(`${live.url}/v1/chat/completions`, { method: 'POST', headers: OPENAI, body: chatBody() });
      await answer.body.dump();
      statuses.push(answer.statusCode);
      expect(performance.now() - started).toBeLessThan(1000);
    }
    await live.recorder.flush();
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(live.recorder.healthy).toBe(false);
    const metrics = await live.core.metrics.registry.metrics();
    expect(metrics).toMatch(/distillguard_proxy_records_total\{outcome="committed"\} 10\n/);
    expect(metrics).toMatch(/distillguard_proxy_records_total\{outcome="dropped_store"\} [1-9]/);
  });

  it('refuses with 503 under --fail-closed once the store fails, in the API shape', async () => {
    const { live } = await setup({ proxy: { failMode: 'closed', recordBatch: 1 }, sink: () => () => Promise.reject(new Error('store gone')) });
    expect((await request(`${live.url}/v1/chat/completions`, { method: 'POST', headers: OPENAI, body: chatBody() })).statusCode).toBe(200);
    await live.recorder.flush();
    const refused = await request(`${live.url}/v1/chat/completions`, { method: 'POST', headers: OPENAI, body: chatBody() });
    expect(refused.statusCode).toBe(503);
    expect(await refused.body.json()).toMatchObject({ error: { type: 'server_error', code: 'service_unavailable' } });
  });

  it('refuses with 503 under --fail-closed once the store itself is closed, in the API shape', async () => {
    const { live } = await setup({ proxy: { failMode: 'closed', recordBatch: 1 } });
    expect((await request(`${live.url}/v1/messages`, { method: 'POST', headers: ANTHROPIC, body: messagesBody() })).statusCode).toBe(200);
    await live.recorder.flush();
    live.store.close();
    expect((await request(`${live.url}/v1/messages`, { method: 'POST', headers: ANTHROPIC, body: messagesBody() })).statusCode).toBe(200);
    await live.recorder.flush();
    const refused = await request(`${live.url}/v1/messages`, { method: 'POST', headers: ANTHROPIC, body: messagesBody() });
    expect(refused.statusCode).toBe(503);
    expect(await refused.body.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  });

  it('answers auth_request from the headers an edge passes: 204, 429 (or 403 for nginx) and 403', async () => {
    const policy = 'version: 1\nbands:\n  - { min_score: 0.5, action: throttle }\nrules: []\ndeny:\n  accounts: [acct_b]\n';
    const { live } = await setup({ policy, scores: { acct_t: 0.7 }, proxy: { accountHeader: 'x-account', throttleRate: 0.1, throttleBurst: 1 } });
    const ask = (account: string, query = '') => request(`${live.url}/v1/auth-request${query}`, { headers: { 'x-account': account } });
    expect((await ask('acct_ok')).statusCode).toBe(204);
    expect((await ask('acct_b')).statusCode).toBe(403);
    await (await request(`${live.url}/v1/chat/completions`, { method: 'POST', headers: { ...OPENAI, 'x-account': 'acct_t' }, body: chatBody() })).body.dump();
    await recorded(live);
    expect((await ask('acct_t')).statusCode).toBe(204);
    const throttled = await ask('acct_t');
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers['x-distillguard-action']).toBe('throttle');
    const forNginx = await ask('acct_t', '?throttle_status=403');
    expect(forNginx.statusCode).toBe(403);
    expect(forNginx.headers['x-distillguard-action']).toBe('throttle');
    expect(forNginx.headers['retry-after']).toBeDefined();
  });
});
