import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { ExchangeFormat } from './exchange-formats.js';

const PARQUET_MAGIC = Buffer.from('PAR1');
const HEAD_BYTES = 1024 * 1024;

/**
 * The format of an exchange file where it can be told safely: Parquet by its magic bytes, and
 * for JSON Lines the first record's keys (an OTLP export request's `resourceSpans` or
 * `resourceLogs`; LiteLLM's `call_type` with `startTime`; the contract's `api` with `request`).
 * Null when the first record says nothing certain (not JSON, or none of these), so the caller
 * asks for `--format` rather than guess. Glasswally events are never guessed: their fields are
 * generic enough to be someone else's.
 */
export async function detectExchangeFormat(path: string): Promise<ExchangeFormat | null> {
  const magic = await readHead(path, 4);
  if (magic.equals(PARQUET_MAGIC)) return 'parquet';
  const gzip = magic[0] === 0x1f && magic[1] === 0x8b;
  const line = firstLine(gzip ? await gunzipHead(path) : await readHead(path, HEAD_BYTES));
  if (line === null) return null;
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return null;
  if ('resourceSpans' in record || 'resourceLogs' in record) return 'otlp-json';
  if ('call_type' in record && 'startTime' in record) return 'litellm';
  if ('api' in record && 'request' in record) return 'jsonl';
  return null;
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function gunzipHead(path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = createReadStream(path).pipe(createGunzip());
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if ((chunk as Buffer).includes(0x0a) || size >= HEAD_BYTES) break;
    }
  } catch {
    // A damaged gzip stream still yields the lines before the damage; the ingest reports the rest.
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks);
}

/** The first non-blank line, if the head holds a whole one. */
function firstLine(head: Buffer): string | null {
  for (const line of head.toString('utf8').split('\n').slice(0, -1)) if (line.trim() !== '') return line;
  const rest = head.toString('utf8').trim();
  return rest !== '' && head.length < HEAD_BYTES ? rest : null;
}
