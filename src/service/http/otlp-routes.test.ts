import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestService, type TestService } from '../test-support/service-fixture.js';

const lines = readFileSync(new URL('../../ingest/fixtures/formats/otlp-traces.jsonl', import.meta.url), 'utf8').trim().split('\n');
const logs = readFileSync(new URL('../../ingest/fixtures/formats/otlp-logs.jsonl', import.meta.url), 'utf8').trim();

const services: TestService[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
});

async function service(): Promise<TestService> {
  const created = await createTestService();
  services.push(created);
  return created;
}

describe('OTLP/HTTP receiver', () => {
  it('stores the model calls of a trace export and reports the unreadable ones as partial success', async () => {
    const { app, auth, store } = await service();
    const headers = { ...auth('ingest'), 'content-type': 'application/json' };
    const first = await app.inject({ method: 'POST', url: '/v1/traces', headers, payload: lines[0]! });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({});
    const third = await app.inject({ method: 'POST', url: '/v1/traces', headers: { ...headers, 'content-encoding': 'gzip' }, payload: gzipSync(lines[2]!) });
    expect(third.statusCode).toBe(200);
    expect(third.json()).toEqual({ partialSuccess: { rejectedSpans: 1, errorMessage: expect.stringContaining('user.id') } });
    expect(await store.scalar('SELECT count(*) FROM exchanges')).toBe(3n);
  });

  it('stores the calls of a logs export, gathered by span', async () => {
    const { app, auth, store } = await service();
    const answer = await app.inject({ method: 'POST', url: '/v1/logs', headers: { ...auth('ingest'), 'content-type': 'application/json' }, payload: logs });
    expect(answer.statusCode).toBe(200);
    expect(await store.scalar('SELECT count(*) FROM exchanges')).toBe(2n);
  });

  it('asks for JSON when sent protobuf, and for an ingest key when sent none', async () => {
    const { app, auth } = await service();
    const protobuf = await app.inject({ method: 'POST', url: '/v1/traces', headers: { ...auth('ingest'), 'content-type': 'application/x-protobuf' }, payload: Buffer.from([0x0a, 0x00]) });
    expect(protobuf.statusCode).toBe(415);
    expect(protobuf.body).toContain('http/json');
    expect((await app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/json' }, payload: lines[0]! })).statusCode).toBe(401);
  });
});
