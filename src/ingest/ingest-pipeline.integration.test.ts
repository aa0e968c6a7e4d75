import fc from 'fast-check';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../store/duckdb-store.js';
import { createSilentLogger } from '../util/log.js';
import { runIngest, type IngestOptions } from './ingest-pipeline.js';
import { createQuarantineWriter, type QuarantineRecord } from './quarantine-writer.js';
import { runCli, startCli } from './test-support/cli-runner.js';
import { validExchangeLine } from './test-support/exchange-lines.js';

const stores: DuckDbStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function workspace(): string {
  return mkdtempSync(join(tmpdir(), 'ingest-'));
}

async function openStore(path: string): Promise<DuckDbStore> {
  const store = await DuckDbStore.open({ path, create: true });
  stores.push(store);
  return store;
}

async function ingest(store: DuckDbStore, files: string[], quarantinePath: string | null, options: Partial<IngestOptions> = {}) {
  return runIngest({ store, exchangeFiles: files, quarantine: createQuarantineWriter(quarantinePath), logger: createSilentLogger(), workers: 0, ...options });
}

function readQuarantine(path: string): QuarantineRecord[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as QuarantineRecord);
}

describe('ingest', () => {
  it('quarantines every kind of bad record with file, line and reason, and stores the rest', async () => {
    const dir = workspace();
    const good = (n: number) => validExchangeLine({ id: `good-${n}`, fixtureIndex: n });
    const record = JSON.parse(good(0)) as Record<string, unknown>;
    const lines: (string | Buffer)[] = [
      good(1),
      '{"id": "broken", ',
      JSON.stringify({ ...record, id: 'no-account', account_id: undefined }),
      JSON.stringify({ ...record, id: 'bad-type', status: 'ok' }),
      JSON.stringify({ ...record, id: 'bad-api', api: 'gemini.generate_content' }),
      JSON.stringify({ ...record, id: 'bad-ts', ts: '2026-02-30T00:00:00Z' }),
      JSON.stringify({ ...record, id: 'bad-ip', client_ip: '999.1.1.1' }),
      JSON.stringify({ ...record, id: 'too-big', pad: 'x'.repeat(20_000) }),
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      '',
      good(2),
      good(1),
    ];
    const path = join(dir, 'mixed.jsonl');
    writeFileSync(path, Buffer.concat(lines.flatMap((line) => [Buffer.isBuffer(line) ? line : Buffer.from(line), Buffer.from('\n')])));
    const compressed = gzipSync(Buffer.from([good(10), good(11), good(12), good(13)].join('\n') + '\n'));
    const truncatedPath = join(dir, 'truncated.jsonl.gz');
    writeFileSync(truncatedPath, compressed.subarray(0, compressed.length - 40));

    const store = await openStore(join(dir, 'store.duckdb'));
    const quarantinePath = join(dir, 'quarantine.jsonl');
    const summary = await ingest(store, [path, truncatedPath], quarantinePath, { maxRecordBytes: 10_000 });

    expect(summary.totals.quarantinedByReason).toMatchObject({
      malformed_json: 1,
      missing_field: 1,
      wrong_type: 1,
      unknown_api: 1,
      bad_timestamp: 1,
      bad_ip: 1,
      oversize: 1,
      invalid_utf8: 1,
      truncated_gzip: 1,
    });
    expect(summary.sources[0]).toMatchObject({ linesRead: 12, stored: 2, duplicates: 1, blank: 1, quarantined: 8 });
    const quarantined = readQuarantine(quarantinePath);
    expect(quarantined.map((entry) => [entry.file, entry.line, entry.reason])).toContainEqual([path, 6, 'bad_timestamp']);
    expect(quarantined.find((entry) => entry.reason === 'missing_field')).toMatchObject({ line: 3, field: 'account_id' });
    expect(quarantined.find((entry) => entry.reason === 'oversize')!.raw!.length).toBeLessThanOrEqual(4096);
    expect(quarantined.find((entry) => entry.reason === 'truncated_gzip')).toMatchObject({ file: truncatedPath });
    const storedTruncated = summary.sources[1]!.stored;
    expect(storedTruncated).toBeGreaterThanOrEqual(1);
    expect(await store.countExchanges()).toBe(2 + storedTruncated);
  });

  it('reads an accounts file as the service reads POST /v1/accounts: a line that is not UTF-8 is quarantined, not stored mangled', async () => {
    const dir = workspace();
    const path = join(dir, 'accounts.jsonl');
    writeFileSync(path, Buffer.concat([Buffer.from('{"account_id": "acct_ok"}\n{"account_id": "acct_'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n\n{"org_id": "o"}\n')]));
    const store = await openStore(join(dir, 'store.duckdb'));
    const quarantinePath = join(dir, 'q.jsonl');
    const summary = await ingest(store, [], quarantinePath, { accountFiles: [path] });
    expect(summary.sources[0]).toMatchObject({ kind: 'accounts', linesRead: 4, stored: 1, blank: 1, quarantined: 2, quarantinedByReason: { invalid_utf8: 1, missing_field: 1 } });
    expect((await store.query<{ account_id: string }>('SELECT account_id FROM accounts')).map((row) => row.account_id)).toEqual(['acct_ok']);
    expect(readQuarantine(quarantinePath).map((entry) => [entry.file, entry.line, entry.reason])).toEqual([
      [path, 2, 'invalid_utf8'],
      [path, 4, 'missing_field'],
    ]);
  });

  it('quarantines exchange times outside the window as bad_timestamp, and a wider window takes them', async () => {
    const dir = workspace();
    const path = join(dir, 'log.jsonl');
    const times = ['2026-02-11T09:14:03.512Z', '2019-06-01T00:00:00Z', '0019-06-01T00:00:00Z', '2026-12-05T00:00:00Z', '2020-01-01T00:00:00Z'];
    writeFileSync(path, times.map((ts, i) => validExchangeLine({ id: `t${i}`, ts })).join('\n') + '\n');
    const quarantinePath = join(dir, 'q.jsonl');
    const startedAtMs = Date.UTC(2026, 11, 3, 12);
    const summary = await ingest(await openStore(join(dir, 'store.duckdb')), [path], quarantinePath, { startedAtMs });
    expect(summary.totals).toMatchObject({ stored: 2, quarantined: 3, quarantinedByReason: { bad_timestamp: 3 } });
    expect(summary.timestampWindow).toEqual({ from: '2020-01-01T00:00:00.000Z', to: '2026-12-04T12:00:00.000Z' });
    expect(readQuarantine(quarantinePath).map((entry) => [entry.line, entry.field, entry.message])).toEqual([
      [2, 'ts', '"2019-06-01T00:00:00Z" is outside the accepted window 2020-01-01T00:00:00.000Z..2026-12-04T12:00:00.000Z (--ts-window)'],
      [3, 'ts', expect.stringMatching(/^"0019-06-01T00:00:00Z" is outside/)],
      [4, 'ts', expect.stringMatching(/^"2026-12-05T00:00:00Z" is outside/)],
    ]);

    const wide = await openStore(join(dir, 'wide.duckdb'));
    const widened = await ingest(wide, [path], null, { startedAtMs, timestampWindow: { fromMs: Date.parse('0001-01-01T00:00:00Z'), toMs: Date.UTC(2027, 0, 1) } });
    expect(widened.totals).toMatchObject({ stored: 5, quarantined: 0 });
    const stored = await wide.query<{ id: string; ts: string }>("SELECT id, strftime(ts, '%Y-%m-%d') AS ts FROM exchanges WHERE id = 't2'");
    expect(stored).toEqual([{ id: 't2', ts: '0019-06-01' }]);
  });

  it('stores a record longer than the staging reader takes by default (--text full, --max-record-bytes 2MiB)', async () => {
    const dir = workspace();
    const path = join(dir, 'log.jsonl');
    const record = JSON.parse(validExchangeLine({ id: 'long' })) as Record<string, unknown>;
    const prompt = 'word '.repeat(410_000);
    const long = JSON.stringify({ ...record, request: { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: prompt }] } });
    expect(long.length).toBeGreaterThan(2_050_000);
    writeFileSync(path, [validExchangeLine({ id: 'before' }), long, validExchangeLine({ id: 'after' })].join('\n') + '\n');
    const store = await openStore(join(dir, 'store.duckdb'));
    // DuckDB's error quotes the whole line; a shorter message keeps a failure readable.
    const summary = await ingest(store, [path], null, { textPolicy: 'full', maxRecordBytes: 2 * 1024 * 1024 }).catch((error: Error) => {
      throw new Error(error.message.slice(0, 300));
    });
    expect(summary.totals).toMatchObject({ stored: 3, quarantined: 0 });
    expect(await store.query('SELECT id, length(prompt_text)::INTEGER AS chars FROM exchanges ORDER BY source_line')).toEqual([
      { id: 'before', chars: expect.any(Number) },
      { id: 'long', chars: prompt.length },
      { id: 'after', chars: expect.any(Number) },
    ]);
  });

  it('quarantines alone a record whose row is over the staging limit, and stores the rest of its batch', async () => {
    const dir = workspace();
    const path = join(dir, 'log.jsonl');
    const record = JSON.parse(validExchangeLine({ id: 'wide' })) as Record<string, unknown>;
    const wide = JSON.stringify({ ...record, request: { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x'.repeat(30_000) }] } });
    const lines = [validExchangeLine({ id: 'a', fixtureIndex: 1 }), wide, validExchangeLine({ id: 'b', fixtureIndex: 2 }), validExchangeLine({ id: 'c', fixtureIndex: 3 })];
    writeFileSync(path, lines.join('\n') + '\n');
    const quarantinePath = join(dir, 'q.jsonl');
    const store = await openStore(join(dir, 'store.duckdb'));
    const options = { textPolicy: 'full' as const, maxStagedRowBytes: 20_000 };
    const summary = await ingest(store, [path], quarantinePath, options);
    expect(summary.totals).toMatchObject({ linesRead: 4, stored: 3, quarantined: 1, quarantinedByReason: { oversize: 1 } });
    expect(readQuarantine(quarantinePath)).toEqual([
      expect.objectContaining({ line: 2, reason: 'oversize', field: null, message: expect.stringMatching(/row for the store is \d+ bytes, more than the staging limit of 20000/) }),
    ]);
    expect(await store.query('SELECT id, source_line FROM exchanges ORDER BY source_line')).toEqual([
      { id: 'a', source_line: 1 },
      { id: 'b', source_line: 3 },
      { id: 'c', source_line: 4 },
    ]);
    const again = await ingest(store, [path], quarantinePath, options);
    expect(again.totals).toMatchObject({ stored: 0, quarantined: 0, alreadyIngested: 4 });
  });

  it('stores a repeated id once, and a second run of the same ingest changes nothing', async () => {
    const dir = workspace();
    const path = join(dir, 'log.jsonl');
    const lines = Array.from({ length: 300 }, (_, i) => validExchangeLine({ id: `r${i % 250}`, fixtureIndex: i }));
    writeFileSync(path, [...lines, 'not json'].join('\n') + '\n');
    const dbPath = join(dir, 'store.duckdb');
    const quarantinePath = join(dir, 'q.jsonl');
    const store = await openStore(dbPath);
    const first = await ingest(store, [path], quarantinePath);
    expect(first.totals).toMatchObject({ stored: 250, duplicates: 50, quarantined: 1 });
    const fingerprint = async () => store.query('SELECT count(*) AS n, sum(hash(id)) AS h, sum(hash(prompt_text)) AS p FROM exchanges');
    const before = await fingerprint();
    const second = await ingest(store, [path], quarantinePath);
    expect(second.totals).toMatchObject({ stored: 0, duplicates: 0, quarantined: 0, alreadyIngested: 301 });
    expect(await fingerprint()).toEqual(before);
    expect(readQuarantine(quarantinePath)).toHaveLength(1);

    const other = join(dir, 'overlap.jsonl');
    writeFileSync(other, lines.slice(200).join('\n') + '\n');
    const third = await ingest(store, [other], quarantinePath);
    expect(third.totals).toMatchObject({ stored: 0, duplicates: 100 });
  });

  it('stays exact with an id filter far too small for the store, looking the ids up in the store instead', async () => {
    const dir = workspace();
    const store = await openStore(join(dir, 'store.duckdb'));
    const first = join(dir, 'first.jsonl');
    writeFileSync(first, Array.from({ length: 400 }, (_, i) => validExchangeLine({ id: `s${i % 300}`, fixtureIndex: i })).join('\n') + '\n');
    const tiny = { idFilterBytes: 64, commitRows: 37 };
    const one = await ingest(store, [first], null, tiny);
    expect(one.totals).toMatchObject({ stored: 300, duplicates: 100 });
    expect(one.deduplication).toMatchObject({ filterBytes: 64 });
    expect(one.deduplication!.falsePositives).toBeGreaterThan(0);

    const second = join(dir, 'second.jsonl');
    writeFileSync(second, Array.from({ length: 200 }, (_, i) => validExchangeLine({ id: `s${250 + i}`, fixtureIndex: i })).join('\n') + '\n');
    const two = await ingest(store, [second], null, tiny);
    expect(two.totals).toMatchObject({ stored: 150, duplicates: 50 });
    expect(two.deduplication).toMatchObject({ storedIds: 300 });
    expect(two.deduplication!.storeLookups).toBeGreaterThan(0);
    expect(await store.query('SELECT count(*)::INTEGER AS rows, count(DISTINCT id)::INTEGER AS ids FROM exchanges')).toEqual([{ rows: 450, ids: 450 }]);
  });

  it('reads a replaced file again from the start instead of trusting its checkpoint', async () => {
    const dir = workspace();
    const path = join(dir, 'log.jsonl');
    const padded = JSON.parse(validExchangeLine({ id: 'same-first-line' })) as Record<string, unknown>;
    // Longer than the 64 KiB a file's identity covers, so both versions share one identity.
    const header = JSON.stringify({ ...padded, pad: 'p'.repeat(70_000) });
    writeFileSync(path, [header, ...Array.from({ length: 5 }, (_, i) => validExchangeLine({ id: `a${i}` }))].join('\n') + '\n');
    const store = await openStore(join(dir, 'store.duckdb'));
    await ingest(store, [path], null);
    writeFileSync(path, [header, ...Array.from({ length: 8 }, (_, i) => validExchangeLine({ id: `b${i}` }))].join('\n') + '\n');
    const summary = await ingest(store, [path], null);
    expect(summary.sources[0]).toMatchObject({ restarted: true, stored: 8, duplicates: 1 });
    expect(await store.countExchanges()).toBe(14);
  });

  it('keeps prompt and output text out of the store and the quarantine with --text none', async () => {
    const dir = workspace();
    const path = join(dir, 'log.jsonl');
    const secret = 'the secret launch codes are 0000';
    const record = JSON.parse(validExchangeLine({ id: 'x1' })) as Record<string, unknown>;
    const withSecret = { ...record, request: { model: 'm', max_tokens: 10, system: secret, messages: [{ role: 'user', content: secret }] } };
    writeFileSync(path, [JSON.stringify(withSecret), JSON.stringify({ ...withSecret, id: 'x2', ts: 'soon' })].join('\n') + '\n');
    const dbPath = join(dir, 'store.duckdb');
    const quarantinePath = join(dir, 'q.jsonl');
    const store = await openStore(dbPath);
    await ingest(store, [path], quarantinePath, { textPolicy: 'none' });
    const rows = await store.query<{ system_text: string | null; prompt_text: string | null; prompt_chars: number }>('SELECT system_text, prompt_text, prompt_chars FROM exchanges');
    expect(rows).toEqual([{ system_text: null, prompt_text: null, prompt_chars: secret.length }]);
    expect(readQuarantine(quarantinePath)).toMatchObject([{ reason: 'bad_timestamp', raw: null }]);
    await store.checkpoint();
    expect(readFileSync(dbPath).includes(Buffer.from('launch codes'))).toBe(false);
  });

  it('parses on worker threads with the same result as on the main thread', async () => {
    const dir = workspace();
    const path = join(dir, 'log.jsonl');
    writeFileSync(path, Array.from({ length: 3000 }, (_, i) => (i % 97 === 0 ? 'garbage' : validExchangeLine({ id: `w${i}`, fixtureIndex: i }))).join('\n') + '\n');
    const inline = await openStore(join(dir, 'inline.duckdb'));
    const threaded = await openStore(join(dir, 'threaded.duckdb'));
    const a = await ingest(inline, [path], null, { workers: 0, batchBytes: 50_000, commitRows: 700 });
    const b = await ingest(threaded, [path], null, { workers: 2, batchBytes: 50_000, commitRows: 700 });
    expect(b.totals).toEqual(a.totals);
    const sql = 'SELECT id, account_id, model, prompt_chars, output_tokens, source_line FROM exchanges ORDER BY id';
    expect(await threaded.query(sql)).toEqual(await inline.query(sql));
  });

  it('never crashes on garbage and never loses a valid line (property)', async () => {
    const garbage = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json(),
      fc.uint8Array({ maxLength: 100 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
      fc.constantFrom('{', '{"id":null}', '[]', 'null', '"x"', '{"id":"a","ts":"x"}'),
    ).map((text) => text.replace(/[\n]/g, ' '));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.nat(10_000).map((n) => ({ valid: n })), garbage.map((text) => ({ text }))), { maxLength: 60 }), async (items) => {
        const dir = workspace();
        const path = join(dir, 'log.jsonl');
        const validIds = new Set<string>();
        const lines = items.map((item) => {
          if ('valid' in item) {
            validIds.add(`v${item.valid}`);
            return validExchangeLine({ id: `v${item.valid}`, fixtureIndex: item.valid });
          }
          return item.text;
        });
        writeFileSync(path, lines.length === 0 ? '' : lines.join('\n') + '\n');
        const store = await DuckDbStore.open({ path: ':memory:' });
        try {
          const summary = await ingest(store, [path], null, { stagingDirectory: join(dir, 'staging') });
          const stored = await store.query<{ id: string }>('SELECT id FROM exchanges');
          expect(new Set(stored.map((row) => row.id))).toEqual(validIds);
          const { linesRead, stored: storedCount, duplicates, blank, quarantined } = summary.totals;
          expect(linesRead).toBe(lines.length);
          expect(storedCount + duplicates + blank + quarantined).toBe(lines.length);
        } finally {
          store.close();
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('ingest CLI', () => {
  it('exits non-zero when the bad share passes --max-bad, and says so', async () => {
    const dir = workspace();
    const path = join(dir, 'log.jsonl');
    writeFileSync(path, [validExchangeLine({ id: 'a' }), 'bad', 'bad', validExchangeLine({ id: 'b' })].join('\n') + '\n');
    const strict = await runCli(['ingest', path, '--db', join(dir, 's1.duckdb')]);
    expect(strict.code).toBe(3);
    expect(strict.stderr).toMatch(/50\.0% of records were quarantined \(2 of 4\), more than --max-bad 1\.00%/);
    expect(strict.stdout).toMatch(/stored\s+2/);
    const lenient = await runCli(['ingest', path, '--db', join(dir, 's2.duckdb'), '--max-bad', '60%']);
    expect(lenient.code).toBe(0);
  });

  it('refuses a malformed --ts-window as a usage error (exit 2)', async () => {
    const dir = workspace();
    const path = join(dir, 'log.jsonl');
    writeFileSync(path, validExchangeLine({ id: 'a' }) + '\n');
    const result = await runCli(['ingest', path, '--db', join(dir, 's.duckdb'), '--ts-window', '2026-01-01']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--ts-window.*expected FROM\.\.TO/);
  });

  it('resumes after being killed mid-run and ends with every exchange stored once', async () => {
    const dir = workspace();
    const path = join(dir, 'big.jsonl.gz');
    const total = 40_000;
    const lines: string[] = [];
    for (let i = 0; i < total; i++) lines.push(i % 1000 === 7 ? '{"broken":' : validExchangeLine({ id: `k${i}`, fixtureIndex: i }));
    writeFileSync(path, gzipSync(lines.join('\n') + '\n'));
    const db = join(dir, 'store.duckdb');
    const quarantinePath = join(dir, 'q.jsonl');
    const args = ['ingest', path, '--db', db, '--quarantine', quarantinePath, '--commit-rows', '2000', '--workers', '1', '--max-bad', '5%'];

    const child = startCli(args, { DISTILLGUARD_LOG_LEVEL: 'debug' });
    let commits = 0;
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        commits += chunk.toString().split('"msg":"committed"').length - 1;
        if (commits >= 3) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('close', () => (commits >= 3 ? resolve() : reject(new Error('ingest finished before it could be killed'))));
    });
    await new Promise((resolve) => child.on('close', resolve));

    const resumed = await runCli([...args, '--json']);
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout) as { totals: { alreadyIngested: number; stored: number } };
    expect(summary.totals.alreadyIngested).toBeGreaterThan(0);
    const store = await DuckDbStore.open({ path: db, readOnly: true });
    stores.push(store);
    expect(await store.scalar<bigint>('SELECT count(DISTINCT id) FROM exchanges')).toBe(BigInt(total - 40));
    expect(await store.countExchanges()).toBe(total - 40);
    const quarantined = readQuarantine(quarantinePath).map((entry) => entry.line);
    expect(new Set(quarantined).size).toBe(quarantined.length);
  });
});
