import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../store/duckdb-store.js';
import { createSilentLogger } from '../util/log.js';
import { detectExchangeFormat } from './exchange-format-detector.js';
import type { ExchangeFormat } from './exchange-formats.js';
import { runIngest } from './ingest-pipeline.js';
import { createQuarantineWriter, type QuarantineRecord } from './quarantine-writer.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'formats');
const fixture = (name: string) => join(FIXTURES, name);

const stores: DuckDbStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/** Ingests `file` as `format` into a fresh store; the stored exchanges (without their source) and the quarantine. */
async function ingestFixture(file: string, format: ExchangeFormat) {
  const dir = mkdtempSync(join(tmpdir(), 'formats-'));
  const store = await DuckDbStore.open({ path: join(dir, 'store.duckdb'), create: true });
  stores.push(store);
  const quarantinePath = join(dir, 'quarantine.jsonl');
  await runIngest({ store, exchangeFiles: [file], format, quarantine: createQuarantineWriter(quarantinePath), logger: createSilentLogger(), workers: 0 });
  const rows = await store.query('SELECT * EXCLUDE (source_id, source_line) FROM exchanges ORDER BY id');
  const quarantine = existsSync(quarantinePath)
    ? readFileSync(quarantinePath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as QuarantineRecord)
    : [];
  return { rows, quarantine };
}

async function writeParquet(target: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const columns = `{id: 'VARCHAR', ts: 'TIMESTAMPTZ', account_id: 'VARCHAR', org_id: 'VARCHAR', api_key_id: 'VARCHAR', client_ip: 'VARCHAR', client_asn: 'INTEGER',
    client_country: 'VARCHAR', user_agent: 'VARCHAR', tls_fingerprint: 'VARCHAR', api: 'VARCHAR', request: 'JSON', response: 'JSON', status: 'SMALLINT', latency_ms: 'INTEGER'}`;
  // A data lake's copy of the contract: times as TIMESTAMPTZ, bodies as JSON text, and one row whose request is not JSON.
  await connection.run(`COPY (
      SELECT * REPLACE (request::VARCHAR AS request, response::VARCHAR AS response) FROM read_json('${fixture('exchanges.jsonl')}', columns = ${columns}, format = 'newline_delimited')
      UNION ALL SELECT 'bad-body', TIMESTAMPTZ '2026-03-02 10:03:00+00', 'acct_delta', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'openai.chat_completions', '{not json', NULL, 200, NULL
    ) TO '${target}' (FORMAT parquet)`);
  connection.closeSync();
  instance.closeSync();
}

describe('exchange formats', () => {
  it('stores a LiteLLM log as the same exchanges as its contract equivalent, quarantining calls it cannot read', async () => {
    const litellm = await ingestFixture(fixture('litellm.jsonl'), 'litellm');
    const contract = await ingestFixture(fixture('litellm.expected.jsonl'), 'jsonl');
    expect(contract.rows).toHaveLength(4);
    expect(litellm.rows).toEqual(contract.rows);
    expect(litellm.rows.map((row) => [row.id, row.account_id, row.turn_count, row.output_tokens, row.status])).toEqual([
      ['chatcmpl-A1', 'acct_alpha', 1, 31, 200],
      ['chatcmpl-A3', 'acct_alpha', 2, 22, 200],
      ['chatcmpl-A4', 'acct_gamma', 1, null, 429],
      ['msg_01B2', 'acct_beta', 1, 46, 200],
    ]);
    expect(litellm.quarantine.map(({ line, reason, field }) => ({ line, reason, field }))).toEqual([
      { line: 3, reason: 'unknown_api', field: 'call_type' },
      { line: 6, reason: 'missing_field', field: 'metadata.user_api_key_user_id' },
    ]);
    expect(litellm.quarantine[0]!.file).toBe(fixture('litellm.jsonl'));
  });

  it('stores OTLP/JSON traces from three producers as the same exchanges as their contract equivalent', async () => {
    const traces = await ingestFixture(fixture('otlp-traces.jsonl'), 'otlp-json');
    const contract = await ingestFixture(fixture('otlp.expected.jsonl'), 'jsonl');
    expect(contract.rows).toHaveLength(4);
    expect(traces.rows).toEqual(contract.rows);
    expect(traces.rows.map((row) => [row.api, row.system_text, row.turn_count, row.output_tokens, row.latency_ms])).toEqual([
      ['openai.chat_completions', 'You are a careful tutor.', 1, 31, 840],
      ['anthropic.messages', null, 1, 46, 1530],
      ['openai.chat_completions', null, 2, 22, 610],
      ['openai.chat_completions', null, 1, null, 95],
    ]);
    expect(traces.quarantine.map(({ line, reason, field }) => ({ line, reason, field }))).toEqual([
      { line: 3, reason: 'missing_field', field: 'resourceSpans[0].scopeSpans[0].spans[2].attributes["user.id"]' },
      { line: 4, reason: 'malformed_json', field: null },
    ]);
  });

  it('gathers the per-message log records of a span into one exchange, the same as the span itself', async () => {
    const logs = await ingestFixture(fixture('otlp-logs.jsonl'), 'otlp-json');
    const contract = await ingestFixture(fixture('otlp.expected.jsonl'), 'jsonl');
    expect(logs.quarantine).toEqual([]);
    expect(logs.rows).toEqual(contract.rows.filter((row) => logs.rows.some((stored) => stored.id === row.id)));
    expect(logs.rows).toHaveLength(2);
  });

  it('stores a Parquet file of the contract columns as the same exchanges as the JSON Lines, quarantining a bad row by its number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parquet-'));
    const parquet = join(dir, 'exchanges.parquet');
    await writeParquet(parquet);
    const fromParquet = await ingestFixture(parquet, 'parquet');
    const contract = await ingestFixture(fixture('exchanges.jsonl'), 'jsonl');
    expect(contract.rows).toHaveLength(4);
    expect(fromParquet.rows).toEqual(contract.rows);
    expect(fromParquet.quarantine).toMatchObject([{ file: parquet, line: 5, reason: 'wrong_type', field: 'request' }]);
  });

  it('detects the formats it can tell safely and leaves the rest to --format', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'detect-'));
    const parquet = join(dir, 'exchanges.parquet');
    await writeParquet(parquet);
    expect(await detectExchangeFormat(parquet)).toBe('parquet');
    expect(await detectExchangeFormat(fixture('litellm.jsonl'))).toBe('litellm');
    expect(await detectExchangeFormat(fixture('otlp-traces.jsonl'))).toBe('otlp-json');
    expect(await detectExchangeFormat(fixture('otlp-logs.jsonl'))).toBe('otlp-json');
    expect(await detectExchangeFormat(fixture('exchanges.jsonl'))).toBe('jsonl');
    expect(await detectExchangeFormat(join(FIXTURES, '..', '..', '..', '..', 'data', 'peer', 'glasswally', 'README.md'))).toBeNull();
  });
});
