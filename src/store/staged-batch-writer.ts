import { writeFile } from 'node:fs/promises';
import { EXCHANGE_COLUMNS, sqlTypeOf, type ColumnKind, type ColumnValue } from './exchange-columns.js';

/**
 * Stages parsed exchange rows as a CSV file per batch, which the store inserts with DuckDB's
 * native CSV reader (`DuckDbStore.insertStagedExchanges`). It runs inside each parser thread.
 *
 * Why CSV and not an appender: the store's thread is the one part of ingest that cannot be
 * parallelised, and DuckDB's appender costs one native call per value (about 16 µs a row of
 * 60 columns), which is more than parsing the record. Writing CSV text is plain string work in
 * the parser threads, and DuckDB parses it back natively in a fraction of that
 * (`node bench/micro-load.mjs` compares the three ways).
 *
 * Every row starts with its position in the file (`staged_row`), so the store can leave out
 * rows that turned out to be duplicates after the file was written.
 */
// Buffer's own UTF-8 writer, without the argument checks of `Buffer#write` around it (the
// caller has reserved room for the worst case, three bytes a UTF-16 code unit, doubled quotes
// included).
const utf8Write = (Buffer.prototype as unknown as { utf8Write: (this: Buffer, text: string, offset: number) => number }).utf8Write;

export interface StagedRows {
  rows: number;
  /** The longest row written, newline included: the staging reader's line limit follows it. */
  longestRowBytes: number;
}

export class StagedBatchWriter {
  private buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private length = 0;
  private rowCount = 0;
  private longestRow = 0;
  private readonly kinds: readonly ColumnKind[] = EXCHANGE_COLUMNS.map((column) => column.kind);

  static async create(): Promise<StagedBatchWriter> {
    return new StagedBatchWriter();
  }

  /**
   * Encodes the row straight into the batch's byte buffer (building strings per row and joining
   * them cost more in garbage collection than the encoding itself) and returns its length in
   * bytes. A row longer than `maxRowBytes` is taken out again: the caller quarantines its record.
   */
  appendRow(row: readonly ColumnValue[], maxRowBytes = Number.POSITIVE_INFINITY): number {
    const start = this.length;
    this.writeInteger(this.rowCount);
    const kinds = this.kinds;
    for (let i = 0; i < kinds.length; i++) {
      const value = row[i];
      if (value === null || value === undefined) {
        this.writeByte(COMMA);
      } else if (kinds[i] === 'varchar') {
        this.writeQuoted(value as string);
      } else {
        this.writeByte(COMMA);
        if (typeof value === 'number' && Number.isSafeInteger(value)) this.writeInteger(value);
        else this.writeAscii(String(value));
      }
    }
    this.writeByte(NEWLINE);
    const bytes = this.length - start;
    if (bytes > maxRowBytes) {
      this.length = start;
      return bytes;
    }
    if (bytes > this.longestRow) this.longestRow = bytes;
    this.rowCount++;
    return bytes;
  }

  /** Writes the staged rows, in append order, to `path` and empties the stage. */
  async writeTo(path: string): Promise<StagedRows> {
    const staged = { rows: this.rowCount, longestRowBytes: this.longestRow };
    await writeFile(path, this.buffer.subarray(0, this.length));
    this.length = 0;
    this.rowCount = 0;
    this.longestRow = 0;
    if (this.buffer.length > RETAINED_BYTES) this.buffer = Buffer.allocUnsafe(INITIAL_BYTES);
    return staged;
  }

  /** Empties the stage without writing it (a batch refused after some of its rows were staged). */
  discard(): void {
    this.length = 0;
    this.rowCount = 0;
    this.longestRow = 0;
  }

  close(): void {
    this.buffer = Buffer.alloc(0);
    this.length = 0;
  }

  /**
   * Strings are always quoted, so an empty string differs from NULL (an empty unquoted field);
   * quotes are doubled, and newlines and every other character go through as they are, which
   * DuckDB's reader accepts inside quotes.
   */
  private writeQuoted(text: string): void {
    this.reserve(text.length * 6 + 3);
    const buffer = this.buffer;
    let length = this.length;
    buffer[length++] = COMMA;
    buffer[length++] = QUOTE;
    // Short ASCII strings (ids, addresses, model names) are most values: copying their code
    // units here is cheaper than a call into the encoder. Anything else goes to the encoder.
    let i = 0;
    if (text.length <= INLINE_ASCII_CHARS) {
      for (; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code >= 0x80) break;
        buffer[length++] = code;
        if (code === QUOTE) buffer[length++] = QUOTE;
      }
    }
    if (i < text.length) {
      const rest = i === 0 ? text : text.slice(i);
      length += utf8Write.call(buffer, rest.indexOf('"') === -1 ? rest : rest.replaceAll('"', '""'), length);
    }
    buffer[length++] = QUOTE;
    this.length = length;
  }

  /** Most values are small integers; writing their digits here skips a string per value. */
  private writeInteger(value: number): void {
    this.reserve(20);
    const buffer = this.buffer;
    if (value < 0) {
      buffer[this.length++] = MINUS;
      value = -value;
    }
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    let position = this.length + digits;
    this.length = position;
    do {
      buffer[--position] = DIGIT_ZERO + (value % 10);
      value = Math.floor(value / 10);
    } while (value > 0);
  }

  private writeAscii(text: string): void {
    this.reserve(text.length);
    const buffer = this.buffer;
    for (let i = 0; i < text.length; i++) buffer[this.length++] = text.charCodeAt(i);
  }

  private writeByte(byte: number): void {
    this.reserve(1);
    this.buffer[this.length++] = byte;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

const INITIAL_BYTES = 4 << 20;
// A batch of long texts (--text full) can grow the buffer far past the usual size; one that
// large is not kept for the next batch.
const RETAINED_BYTES = 64 << 20;
const COMMA = 0x2c;
const QUOTE = 0x22;
const NEWLINE = 0x0a;
const INLINE_ASCII_CHARS = 128;
const MINUS = 0x2d;
const DIGIT_ZERO = 0x30;

/**
 * The longest staged row a record of at most `maxRecordBytes` may make. A row holds the record's
 * texts at most once each, and a JSON string is never shorter than its CSV form (escapes shrink,
 * `\"` becomes `""`), so a row is about its record's size plus the fixed columns; twice the
 * record and 64 KiB leave room for what that reckoning misses. A longer row is quarantined alone.
 */
export function stagingRowLimit(maxRecordBytes: number): number {
  return 2 * maxRecordBytes + 64 * 1024;
}

/** DuckDB's own `read_csv` line limit; rows within it are read with the reader's defaults. */
const DUCKDB_DEFAULT_MAX_LINE_BYTES = 2_000_000;
const DUCKDB_DEFAULT_BUFFER_BYTES = 16 * DUCKDB_DEFAULT_MAX_LINE_BYTES;

/**
 * The `read_csv` call and select list that turn staged files back into `exchanges` rows, in
 * table order, with `staged_row` and `filename` kept for leaving out duplicates. The reader's
 * line limit covers the longest row staged (`StagedRows.longestRowBytes`), so every row that was
 * staged can be read back.
 */
export function stagedCsvSource(quotedPaths: string, longestRowBytes = 0): { from: string; select: string } {
  const columns = [`'staged_row': 'BIGINT'`, ...EXCHANGE_COLUMNS.map((column) => `'${column.name}': '${column.kind === 'timestamp_ms' ? 'BIGINT' : sqlTypeOf(column.kind)}'`)];
  // DuckDB wants a line shorter than max_line_size, and a read buffer larger than it (by default
  // sixteen times as large, which for long rows would be more memory than needed).
  const maxLineBytes = longestRowBytes + 1024;
  const lineLimit =
    maxLineBytes <= DUCKDB_DEFAULT_MAX_LINE_BYTES ? '' : `, max_line_size = ${maxLineBytes}, buffer_size = ${Math.max(DUCKDB_DEFAULT_BUFFER_BYTES, 2 * maxLineBytes)}`;
  const from = `read_csv([${quotedPaths}], header = false, delim = ',', quote = '"', escape = '"', nullstr = '',
    allow_quoted_nulls = false, auto_detect = false, filename = true${lineLimit}, columns = {${columns.join(', ')}})`;
  const select = EXCHANGE_COLUMNS.map((column) => (column.kind === 'timestamp_ms' ? `epoch_ms(staged.${column.name}) AS ${column.name}` : `staged.${column.name}`)).join(', ');
  return { from, select };
}
