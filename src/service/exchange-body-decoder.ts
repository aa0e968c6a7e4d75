import { gunzipSync } from 'node:zlib';

export type ExchangeBodyFormat = 'json' | 'ndjson';

export type DecodedBody = { ok: true; lines: Buffer } | { ok: false; status: 400 | 413; message: string };

const NEWLINE = 0x0a;
const RETURN = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
// Stands in for a raw line break inside a JSON string: such a record is invalid JSON either way,
// and keeping it on one line keeps every later record at its own index.
const CONTROL_MARK = 0x01;

/**
 * Turns a request body into newline-delimited records for the ingest's line parser: gunzips
 * (bounded, so a small bomb cannot expand past `maxDecompressedBytes`) and, for a JSON array,
 * cuts the array into one line per element without parsing it twice. Elements keep their
 * position, so per-record errors name the element's index. Only the body's outer structure is
 * checked here (an array, closed, no empty elements); each element's JSON is checked by the
 * same validator as a log line.
 */
export function decodeExchangeBody(body: Uint8Array, { format, gzip, maxDecompressedBytes }: { format: ExchangeBodyFormat; gzip: boolean; maxDecompressedBytes: number }): DecodedBody {
  let bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (gzip) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: maxDecompressedBytes });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
        return { ok: false, status: 413, message: `the body decompresses to more than ${maxDecompressedBytes} bytes (--max-decompressed-bytes)` };
      }
      return { ok: false, status: 400, message: `Content-Encoding is gzip but the body is not valid gzip: ${(error as Error).message}` };
    }
  } else if (bytes.length > maxDecompressedBytes) {
    return { ok: false, status: 413, message: `the body is larger than ${maxDecompressedBytes} bytes (--max-decompressed-bytes)` };
  }
  if (format === 'ndjson') {
    return { ok: true, lines: bytes.length === 0 || bytes[bytes.length - 1] === NEWLINE ? bytes : Buffer.concat([bytes, Buffer.from('\n')]) };
  }
  return jsonArrayToLines(bytes);
}

function jsonArrayToLines(bytes: Buffer): DecodedBody {
  let i = skipSpace(bytes, 0);
  if (i === bytes.length) return { ok: false, status: 400, message: 'the body is empty; expected a JSON array of exchanges' };
  if (bytes[i] === OPEN_OBJECT) {
    // A single exchange object is taken as an array of one.
    const out = Buffer.allocUnsafe(bytes.length - i + 1);
    const end = copyElement(bytes, i, out, 0);
    if (end.next !== bytes.length || end.terminator !== -1) return { ok: false, status: 400, message: 'expected a JSON array of exchanges (or one exchange object); found more after the object' };
    out[end.written] = NEWLINE;
    return { ok: true, lines: out.subarray(0, end.written + 1) };
  }
  if (bytes[i] !== OPEN_ARRAY) return { ok: false, status: 400, message: 'expected a JSON array of exchanges; the body does not start with [' };
  i = skipSpace(bytes, i + 1);
  const out = Buffer.allocUnsafe(bytes.length + 1);
  let written = 0;
  if (bytes[i] === CLOSE_ARRAY) {
    i = skipSpace(bytes, i + 1);
    if (i !== bytes.length) return { ok: false, status: 400, message: 'unexpected content after the closing ] of the array' };
    return { ok: true, lines: out.subarray(0, 0) };
  }
  for (let index = 0; ; index++) {
    i = skipSpace(bytes, i);
    if (i === bytes.length) return { ok: false, status: 400, message: 'the JSON array is not closed (missing ])' };
    const element = copyElement(bytes, i, out, written);
    if (element.written === written) return { ok: false, status: 400, message: `element ${index} of the JSON array is empty (a stray comma?)` };
    written = element.written;
    out[written++] = NEWLINE;
    if (element.terminator === CLOSE_ARRAY) {
      i = skipSpace(bytes, element.next);
      if (i !== bytes.length) return { ok: false, status: 400, message: 'unexpected content after the closing ] of the array' };
      return { ok: true, lines: out.subarray(0, written) };
    }
    if (element.terminator === -1) return { ok: false, status: 400, message: 'the JSON array is not closed (missing ])' };
    i = element.next;
  }
}

/**
 * Copies one array element from `start` up to the `,` or `]` that ends it at depth 0, with
 * line breaks outside strings turned into spaces and trailing space dropped. Returns where
 * the copy ended, the terminator found (-1 at the end of the input) and the index after it.
 */
function copyElement(bytes: Buffer, start: number, out: Buffer, at: number): { written: number; terminator: number; next: number } {
  let depth = 0;
  let inString = false;
  let written = at;
  let lastNonSpace = at;
  for (let i = start; i < bytes.length; i++) {
    let byte = bytes[i]!;
    if (inString) {
      if (byte === BACKSLASH && i + 1 < bytes.length) {
        out[written++] = byte;
        byte = bytes[++i]!;
        if (byte === NEWLINE || byte === RETURN) byte = CONTROL_MARK;
      } else if (byte === QUOTE) {
        inString = false;
      } else if (byte === NEWLINE || byte === RETURN) {
        byte = CONTROL_MARK;
      }
      out[written++] = byte;
      lastNonSpace = written;
      continue;
    }
    if (depth === 0 && (byte === COMMA || byte === CLOSE_ARRAY)) return { written: lastNonSpace, terminator: byte, next: i + 1 };
    if (byte === QUOTE) inString = true;
    else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth++;
    else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth--;
    if (byte === NEWLINE || byte === RETURN) byte = SPACE;
    out[written++] = byte;
    if (byte !== SPACE && byte !== 0x09) lastNonSpace = written;
  }
  return { written: lastNonSpace, terminator: -1, next: bytes.length };
}

function skipSpace(bytes: Buffer, from: number): number {
  let i = from;
  while (i < bytes.length) {
    const byte = bytes[i];
    if (byte !== SPACE && byte !== NEWLINE && byte !== RETURN && byte !== 0x09) break;
    i++;
  }
  return i;
}
