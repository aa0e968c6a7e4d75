import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
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

  it('refuses other media types, and asks for an ingest key when sent none', async () => {
    const { app, auth } = await service();
    const text = await app.inject({ method: 'POST', url: '/v1/traces', headers: { ...auth('ingest'), 'content-type': 'text/plain' }, payload: lines[0]! });
    expect(text.statusCode).toBe(415);
    expect(text.body).toContain('application/x-protobuf');
    expect((await app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/json' }, payload: lines[0]! })).statusCode).toBe(401);
  });
});

/**
 * The protobuf bodies are encoded from the JSON fixtures with the vendored schema, so each JSON
 * request has a protobuf twin and the two must store the same exchanges.
 */
const protoRoot = new protobuf.Root();
protoRoot.resolvePath = (_origin, target) => fileURLToPath(new URL(`../../../proto/${target}`, import.meta.url));
protoRoot.loadSync(['opentelemetry/proto/collector/trace/v1/trace_service.proto', 'opentelemetry/proto/collector/logs/v1/logs_service.proto']);
const traceRequest = protoRoot.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
const logsRequest = protoRoot.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest');
const traceResponse = protoRoot.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');

function toProtobuf(type: protobuf.Type, json: string): Buffer {
  // OTLP/JSON has the ids in hex; protobufjs takes bytes as base64.
  const object = JSON.parse(json, (key, value: unknown) => (['traceId', 'spanId', 'parentSpanId'].includes(key) && typeof value === 'string' ? Buffer.from(value, 'hex').toString('base64') : value));
  const message = type.fromObject(object);
  expect(type.verify(message)).toBeNull();
  return Buffer.from(type.encode(message).finish());
}

async function storedExchanges(store: TestService['store']): Promise<unknown[]> {
  return (await store.query('SELECT * FROM exchanges ORDER BY id')).map((row) => JSON.parse(JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))));
}

describe('OTLP/HTTP protobuf', () => {
  it('stores the same exchanges from protobuf traces and logs as from their JSON', async () => {
    const viaJson = await service();
    const viaProtobuf = await service();
    const jsonHeaders = { ...viaJson.auth('ingest'), 'content-type': 'application/json' };
    const protobufHeaders = { ...viaProtobuf.auth('ingest'), 'content-type': 'application/x-protobuf' };
    for (const [url, type, bodies] of [
      ['/v1/traces', traceRequest, lines.filter((line) => !line.includes('broken'))],
      ['/v1/logs', logsRequest, [logs]],
    ] as const) {
      for (const [i, body] of bodies.entries()) {
        const fromJson = await viaJson.app.inject({ method: 'POST', url, headers: jsonHeaders, payload: body });
        const encoded = toProtobuf(type, body);
        const headers = i % 2 === 0 ? protobufHeaders : { ...protobufHeaders, 'content-encoding': 'gzip' };
        const fromProtobuf = await viaProtobuf.app.inject({ method: 'POST', url, headers, payload: i % 2 === 0 ? encoded : gzipSync(encoded) });
        expect(fromProtobuf.statusCode).toBe(200);
        expect(fromProtobuf.headers['content-type']).toBe('application/x-protobuf');
        if (url === '/v1/traces') {
          const answer = traceResponse.toObject(traceResponse.decode(fromProtobuf.rawPayload), { longs: Number });
          expect(answer).toEqual(fromJson.json());
        }
      }
    }
    const expected = await storedExchanges(viaJson.store);
    expect(expected.length).toBe(4);
    expect(await storedExchanges(viaProtobuf.store)).toEqual(expected);
  });

  it('answers 400 to a body that is not protobuf', async () => {
    const { app, auth } = await service();
    const answer = await app.inject({ method: 'POST', url: '/v1/logs', headers: { ...auth('ingest'), 'content-type': 'application/x-protobuf' }, payload: Buffer.from([0x0a, 0xff, 0xff, 0xff]) });
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('not an OTLP protobuf export request');
  });
});
