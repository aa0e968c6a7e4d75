import { createGunzip } from 'node:zlib';
import { splitLineBatches, type LineBatchEvent } from '../../ingest/index.js';

export type ExchangeBodyFormat = 'json' | 'ndjson';

/** A batch of the body's records or one record over the limit, as a log file yields them; or the body refused whole. */
export type BodyEvent = Exclude<LineBatchEvent, { kind: 'truncated' }> | { kind: 'refused'; status: 400 | 413; message: string };

export interface BodyDecodeOptions {
  format: ExchangeBodyFormat;
  gzip: boolean;
  maxDecompressedBytes: number;
  /** Longest record accepted: a longer one is reported `oversize` and never held whole. */
  maxRecordBytes: number;
  /** Target size of one batch of records (default 4 MiB). */
  batchBytes?: number;
}

const NEWLINE = 0x0a;
const RETURN = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
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
// Pieces of 1 MiB bound what a long record holds while it streams by; smaller ones cost more in
// hops between the zlib thread and this one.
const GUNZIP_CHUNK_BYTES = 1024 * 1024;

/**
 * Streams a request body as batches of newline-delimited records, the way a log file is read:
 * gunzips as it goes (a small bomb cannot expand past `maxDecompressedBytes`), cuts a JSON array
 * into one line per element without parsing it twice, and holds each record to `maxRecordBytes`
 * with the file ingest's own splitter, so an oversize record is reported while it streams by and
 * never held whole. Elements keep their position, so per-record problems name the element's
 * index (line N is element N - 1). Only the body's outer structure is checked here (an array,
 * closed, no empty elements); each record is checked by the same validator as a log line. Ends
 * with a `refused` event, after which nothing of the body may be kept, when the body is not
 * acceptable as a whole.
 */
export async function* decodeExchangeBody(body: Uint8Array, options: BodyDecodeOptions): AsyncGenerator<BodyEvent> {
  const { format, gzip, maxDecompressedBytes, maxRecordBytes, batchBytes } = options;
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (!gzip && bytes.length > maxDecompressedBytes) {
    yield { kind: 'refused', status: 413, message: `the body is larger than ${maxDecompressedBytes} bytes (--max-decompressed-bytes)` };
    return;
  }
  let refusal: Extract<BodyEvent, { kind: 'refused' }> | null = null;
  const refuse = (status: 400 | 413, message: string): void => {
    refusal ??= { kind: 'refused', status, message };
  };
  let source: AsyncIterable<Buffer> | Iterable<Buffer> = gzip ? gunzipBounded(bytes, maxDecompressedBytes, refuse) : [bytes];
  if (format === 'json') source = jsonArrayAsLines(source, refuse);
  for await (const event of splitLineBatches(source, { maxRecordBytes, batchBytes })) {
    if (refusal !== null) break;
    if (event.kind === 'truncated') {
      refuse(400, `Content-Encoding is gzip but the body is not valid gzip: ${event.message}`);
      break;
    }
    yield event;
  }
  if (refusal !== null) yield refusal;
}

async function* gunzipBounded(bytes: Buffer, maxBytes: number, refuse: (status: 413, message: string) => void): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  gunzip.end(bytes);
  let total = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) {
        refuse(413, `the body decompresses to more than ${maxBytes} bytes (--max-decompressed-bytes)`);
        return;
      }
      yield chunk;
    }
  } finally {
    gunzip.destroy();
  }
}

/**
 * Rewrites a JSON array (or a single object, taken as an array of one) as one element per line,
 * chunk by chunk: line breaks outside strings become spaces, whitespace between elements and at
 * their ends is dropped, and a line break inside a string becomes a control mark.
 */
async function* jsonArrayAsLines(source: AsyncIterable<Buffer> | Iterable<Buffer>, refuse: (status: 400, message: string) => void): AsyncGenerator<Buffer> {
  const cutter = new JsonArrayCutter();
  for await (const chunk of source) {
    const out = cutter.push(chunk);
    if (cutter.error !== null) break;
    if (out.length > 0) yield out;
  }
  const last = cutter.end();
  if (cutter.error !== null) {
    refuse(400, cutter.error);
    return;
  }
  if (last.length > 0) yield last;
}

type CutterState = 'start' | 'before_element' | 'element' | 'after_array' | 'single_object';

/**
 * The JSON array's outer structure as a state machine over bytes, so the body can be cut into
 * lines one chunk at a time. A run of whitespace between the tokens of an element becomes one
 * space, so pretty-printing neither counts against the record limit nor holds memory.
 */
class JsonArrayCutter {
  error: string | null = null;
  private state: CutterState = 'start';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private index = 0;
  /** Whitespace seen inside an element, written as one space only if more of the element follows. */
  private pendingSpace = false;
  private elementEmpty = true;

  push(chunk: Buffer): Buffer {
    // Each byte read writes at most one, and a space held back from the last chunk one more.
    const out = Buffer.allocUnsafe(chunk.length + 1);
    let written = 0;
    for (let i = 0; i < chunk.length && this.error === null; i++) {
      let byte = chunk[i]!;
      switch (this.state) {
        case 'start':
          if (isSpace(byte)) continue;
          if (byte === OPEN_ARRAY) {
            this.state = 'before_element';
          } else if (byte === OPEN_OBJECT) {
            this.state = 'single_object';
            this.depth = 1;
            this.elementEmpty = false;
            out[written++] = byte;
          } else {
            this.error = 'expected a JSON array of exchanges; the body does not start with [';
          }
          continue;
        case 'after_array':
          if (!isSpace(byte)) this.error = 'unexpected content after the closing ] of the array';
          continue;
        case 'before_element':
          if (isSpace(byte)) continue;
          if (byte === CLOSE_ARRAY && this.index === 0) {
            this.state = 'after_array';
            continue;
          }
          this.state = 'element';
          this.elementEmpty = true;
          break;
      }
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          if (byte === NEWLINE || byte === RETURN) byte = CONTROL_MARK;
        } else if (byte === BACKSLASH) {
          this.escaped = true;
        } else if (byte === QUOTE) {
          this.inString = false;
        } else if (byte === NEWLINE || byte === RETURN) {
          byte = CONTROL_MARK;
        }
        out[written++] = byte;
        continue;
      }
      if (this.depth === 0 && (byte === COMMA || byte === CLOSE_ARRAY)) {
        if (this.state === 'single_object') {
          this.error = 'expected a JSON array of exchanges (or one exchange object); found more after the object';
        } else if (this.elementEmpty) {
          this.error = `element ${this.index} of the JSON array is empty (a stray comma?)`;
        } else {
          out[written++] = NEWLINE;
          this.pendingSpace = false;
          this.index++;
          this.state = byte === COMMA ? 'before_element' : 'after_array';
        }
        continue;
      }
      if (isSpace(byte)) {
        this.pendingSpace = !this.elementEmpty;
        continue;
      }
      if (this.pendingSpace) {
        out[written++] = SPACE;
        this.pendingSpace = false;
      }
      if (byte === QUOTE) this.inString = true;
      else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) this.depth++;
      else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) this.depth--;
      this.elementEmpty = false;
      out[written++] = byte;
    }
    return out.subarray(0, written);
  }

  /** What the end of the body adds: the line end of a single object, or the error of an unclosed array. */
  end(): Buffer {
    if (this.error !== null) return EMPTY;
    switch (this.state) {
      case 'start':
        this.error = 'the body is empty; expected a JSON array of exchanges';
        return EMPTY;
      case 'single_object':
        return Buffer.from([NEWLINE]);
      case 'after_array':
        return EMPTY;
      default:
        this.error = 'the JSON array is not closed (missing ])';
        return EMPTY;
    }
  }
}

const EMPTY = Buffer.alloc(0);

function isSpace(byte: number): boolean {
  return byte === SPACE || byte === NEWLINE || byte === RETURN || byte === TAB;
}
