import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export type LineBatchEvent =
  /** Complete lines `firstLine .. firstLine + lineCount - 1`, each ending in `\n`. */
  | { kind: 'batch'; firstLine: number; lineCount: number; bytes: Buffer }
  /** A line longer than the record limit; only its head is kept, the rest was skipped unread. */
  | { kind: 'oversize'; line: number; size: number; excerpt: Buffer }
  /** The compressed stream ended early or was corrupt: what follows the last complete line is lost. */
  | { kind: 'truncated'; line: number; excerpt: Buffer; message: string };

export interface LineBatchReaderOptions {
  maxRecordBytes: number;
  /** Target size of one batch of complete lines. */
  batchBytes?: number;
  /** Lines already committed by an earlier run; they are counted and skipped. */
  skipLines?: number;
  /** Called with the count of file bytes (compressed, for gzip) read so far. */
  onBytesRead?: (bytes: number) => void;
  /** Called with each skipped line's last bytes when the skip ends, to verify the resume point. */
  onSkipEnd?: (lastSkippedLine: Buffer | null) => void;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const NEWLINE = 0x0a;
/** The longest record accepted by default, by `ingest` and by `serve` alike (`--max-record-bytes`). */
export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
/** How much of a problem line is kept; also what a resume fingerprint covers. */
export const LINE_EXCERPT_BYTES = 4096;

export async function isGzipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
  } finally {
    await handle.close();
  }
}

/**
 * Streams a JSON Lines file (plain or gzip, recognised by its magic bytes) as batches of complete
 * lines, in constant memory: a line longer than `maxRecordBytes` is never buffered whole. Line
 * numbers are 1-based and count every line, blank ones included, so they match what an editor
 * shows. Batches never span a reported problem line, so each batch is one contiguous run.
 */
export async function* readLineBatches(path: string, options: LineBatchReaderOptions): AsyncGenerator<LineBatchEvent> {
  const { onBytesRead } = options;
  const gzip = await isGzipFile(path);
  const file = createReadStream(path, { highWaterMark: 1024 * 1024 });
  let fileBytes = 0;
  file.on('data', (chunk) => {
    fileBytes += chunk.length;
    onBytesRead?.(fileBytes);
  });
  let source: Readable = file;
  if (gzip) {
    const gunzip = createGunzip({ chunkSize: 256 * 1024 });
    file.on('error', (error) => gunzip.destroy(error));
    source = file.pipe(gunzip);
  }
  yield* splitLineBatches(source as AsyncIterable<Buffer>, options);
}

/**
 * Cuts a stream of bytes into batches of complete lines with the rules of `readLineBatches`: a
 * line over `maxRecordBytes` is reported as `oversize` with only its head kept, and an error from
 * the source (a corrupt or cut-off gzip stream) ends the batches with `truncated`. The file
 * ingest and the service's HTTP bodies both go through it, so a record is held to one limit.
 */
export async function* splitLineBatches(source: AsyncIterable<Buffer> | Iterable<Buffer>, options: Omit<LineBatchReaderOptions, 'onBytesRead'>): AsyncGenerator<LineBatchEvent> {
  const { maxRecordBytes, batchBytes = 4 * 1024 * 1024, skipLines = 0, onSkipEnd } = options;
  const excerptBytes = LINE_EXCERPT_BYTES;

  // Pieces of the line that is not yet complete.
  let carry: Buffer[] = [];
  let carryLength = 0;
  // Oversize mode: the current line passed the limit; bytes are counted and dropped until its end.
  let oversizeHead: Buffer | null = null;
  let oversizeLength = 0;
  let lineNumber = 0;
  let skipRemaining = skipLines;
  let lastSkipped: Buffer | null = null;
  let parts: Buffer[] = [];
  let partsLength = 0;
  let batchFirstLine = 1;
  let batchLineCount = 0;

  const takeBatch = (): LineBatchEvent | null => {
    if (batchLineCount === 0) return null;
    const event: LineBatchEvent = { kind: 'batch', firstLine: batchFirstLine, lineCount: batchLineCount, bytes: Buffer.concat(parts, partsLength) };
    parts = [];
    partsLength = 0;
    batchLineCount = 0;
    return event;
  };
  const addLine = (pieces: Buffer[], length: number): void => {
    if (batchLineCount === 0) batchFirstLine = lineNumber;
    for (const piece of pieces) parts.push(piece);
    partsLength += length;
    batchLineCount++;
  };
  const endSkipIfDone = (): void => {
    if (skipRemaining === 0 && skipLines > 0 && onSkipEnd) {
      onSkipEnd(lastSkipped);
      lastSkipped = null;
    }
  };

  try {
    for await (const chunk of source) {
      let position = 0;
      while (position < chunk.length) {
        const newline = chunk.indexOf(NEWLINE, position);
        if (newline === -1) {
          const rest = chunk.subarray(position);
          if (oversizeHead !== null) {
            oversizeLength += rest.length;
          } else if (carryLength + rest.length > maxRecordBytes) {
            oversizeHead = Buffer.concat([...carry, rest], carryLength + rest.length).subarray(0, excerptBytes);
            oversizeLength = carryLength + rest.length;
            carry = [];
            carryLength = 0;
          } else {
            carry.push(rest);
            carryLength += rest.length;
          }
          break;
        }
        const piece = chunk.subarray(position, newline + 1);
        position = newline + 1;
        lineNumber++;
        if (oversizeHead !== null) {
          const size = oversizeLength + piece.length - 1;
          const head = oversizeHead;
          oversizeHead = null;
          oversizeLength = 0;
          if (skipRemaining > 0) {
            skipRemaining--;
            lastSkipped = head;
            endSkipIfDone();
            continue;
          }
          const batch = takeBatch();
          if (batch) yield batch;
          yield { kind: 'oversize', line: lineNumber, size, excerpt: head };
          continue;
        }
        const length = carryLength + piece.length;
        if (length - 1 > maxRecordBytes) {
          const head = Buffer.concat([...carry, piece], length).subarray(0, excerptBytes);
          carry = [];
          carryLength = 0;
          if (skipRemaining > 0) {
            skipRemaining--;
            lastSkipped = head;
            endSkipIfDone();
            continue;
          }
          const batch = takeBatch();
          if (batch) yield batch;
          yield { kind: 'oversize', line: lineNumber, size: length - 1, excerpt: head };
          continue;
        }
        if (skipRemaining > 0) {
          skipRemaining--;
          if (skipRemaining === 0) lastSkipped = carryLength === 0 ? Buffer.from(piece) : Buffer.concat([...carry, piece], length);
          carry = [];
          carryLength = 0;
          endSkipIfDone();
          continue;
        }
        if (carryLength === 0) {
          addLine([piece], length);
        } else {
          carry.push(piece);
          addLine(carry, length);
          carry = [];
          carryLength = 0;
        }
        if (partsLength >= batchBytes) yield takeBatch()!;
      }
    }
  } catch (error) {
    const batch = takeBatch();
    if (batch) yield batch;
    const partial = oversizeHead ?? Buffer.concat(carry, carryLength).subarray(0, excerptBytes);
    const reason = (error as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' || /unexpected end/i.test((error as Error).message)
      ? 'the gzip stream ends early (the file was cut off)'
      : `the compressed stream is corrupt (${(error as Error).message})`;
    const hasPartial = partial.length > 0 || oversizeHead !== null;
    yield {
      kind: 'truncated',
      line: lineNumber + 1,
      excerpt: partial,
      message: hasPartial
        ? `${reason}; line ${lineNumber + 1} is incomplete and everything after it is lost`
        : `${reason} after line ${lineNumber}; anything after it is lost`,
    };
    return;
  }

  // A last line without a trailing newline is still a line.
  if (oversizeHead !== null) {
    lineNumber++;
    const batch = takeBatch();
    if (batch) yield batch;
    if (skipRemaining > 0) {
      skipRemaining--;
    } else {
      yield { kind: 'oversize', line: lineNumber, size: oversizeLength, excerpt: oversizeHead };
    }
  } else if (carryLength > 0) {
    lineNumber++;
    if (skipRemaining > 0) {
      skipRemaining--;
      lastSkipped = Buffer.concat(carry, carryLength);
      endSkipIfDone();
    } else {
      carry.push(Buffer.from('\n'));
      addLine(carry, carryLength + 1);
    }
  }
  const batch = takeBatch();
  if (batch) yield batch;
  if (skipRemaining > 0 && onSkipEnd) {
    // The file now has fewer lines than the checkpoint: it is not the file that was ingested.
    onSkipEnd(null);
  }
}
