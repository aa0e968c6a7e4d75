import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDbStore } from '../store/duckdb-store.js';
import { EXCHANGE_COLUMNS } from '../store/exchange-columns.js';
import { VERSION } from '../version.js';
import { TRACE_FLOAT_COLUMNS, TRACE_INT_COLUMNS, TRACE_ITEM_COLUMNS, type AssessmentTrace } from './assessment-trace.js';

/**
 * Recorded traces of earlier backtests, one file per store content and replay schedule: the
 * engine's work (observing, scoring, linking) does not depend on the policy, so a second
 * backtest of the same history with the same step and relink interval decides from the trace
 * instead of doing that work again.
 */
const FORMAT = 'distillguard-assessment-trace-1';
const MAGIC = Buffer.from('DGTRACE1');
/** Traces kept in a cache directory; the least recently used go first. */
export const TRACES_KEPT = 8;

/** Where traces go when no directory is named: the user's cache directory, as XDG says. */
export function defaultTraceCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'distillguard', 'backtest-traces');
}

export interface TraceSchedule {
  stepMs: number;
  relinkIntervalMs: number;
  toMs: number | null;
}

// The store's own text is never observed by the engine; hashing it would triple the cost.
const HASHED_COLUMNS = EXCHANGE_COLUMNS.map((column) => column.name).filter((name) => !['system_text', 'prompt_text', 'output_text'].includes(name));

/**
 * What a trace depends on, as a hash: every exchange the replay reads (all columns but the text,
 * which the engine does not read; about a second for a million rows), the account records, the
 * schedule, and the engine's code (its version and its files' sizes and times, so a rebuilt or
 * patched engine never reads another's trace).
 */
export async function traceKey(store: DuckDbStore, schedule: TraceSchedule): Promise<string> {
  const where = schedule.toMs === null ? '' : ' WHERE e.ts < epoch_ms($toMs::BIGINT)';
  const params = schedule.toMs === null ? undefined : { toMs: schedule.toMs };
  const exchanges = await store.query<{ rows: bigint; digest: bigint | null }>(
    `SELECT count(*) AS rows, bit_xor(hash(${HASHED_COLUMNS.map((name) => `e.${name}`).join(', ')})) AS digest FROM exchanges e${where}`,
    params,
  );
  const accounts = await store.query<{ rows: bigint; digest: bigint | null }>('SELECT count(*) AS rows, bit_xor(hash(a)) AS digest FROM accounts a');
  const parts = {
    format: FORMAT,
    version: VERSION,
    code: codeDigest(),
    schedule,
    exchanges: [String(exchanges[0]!.rows), String(exchanges[0]!.digest)],
    accounts: [String(accounts[0]!.rows), String(accounts[0]!.digest)],
  };
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

let cachedCodeDigest: string | null = null;

function codeDigest(): string {
  if (cachedCodeDigest !== null) return cachedCodeDigest;
  // The directory above this module's: `dist/` when built, `src/` when run from source.
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(js|ts|json|gz)$/.test(entry.name) && !entry.name.includes('.test.')) {
        const stat = statSync(path);
        hash.update(`${path.slice(root.length)} ${stat.size} ${stat.mtimeMs}\n`);
      }
    }
  };
  walk(root);
  cachedCodeDigest = hash.digest('hex');
  return cachedCodeDigest;
}

const COLUMNS = [...TRACE_FLOAT_COLUMNS.map((name) => ({ name, bytes: 8 as const })), ...TRACE_INT_COLUMNS.map((name) => ({ name, bytes: 4 as const }))];

interface TraceHeader {
  format: string;
  key: string;
  relinks: number;
  clusterMembers: [string, string[]][];
  strings: number;
  changes: number;
  items: number;
}

/**
 * The file form, written piece by piece so that no copy of the whole trace is ever held: magic,
 * header length, JSON header, the string table (each a 4-byte length and its UTF-8), padding to
 * 8 bytes, then the numeric columns one after another.
 */
export function writeTrace(write: (bytes: Uint8Array) => void, trace: AssessmentTrace, key: string): void {
  const header: TraceHeader = {
    format: FORMAT,
    key,
    relinks: trace.relinks,
    clusterMembers: [...trace.clusterMembers],
    strings: trace.strings.length,
    changes: trace.boundary.length,
    items: trace.itemA.length,
  };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  write(MAGIC);
  write(length);
  write(headerBytes);
  let written = MAGIC.length + 4 + headerBytes.length;
  let block = Buffer.allocUnsafe(1 << 20);
  let used = 0;
  const flush = (): void => {
    write(block.subarray(0, used));
    written += used;
    block = Buffer.allocUnsafe(block.length);
    used = 0;
  };
  for (const value of trace.strings) {
    const size = Buffer.byteLength(value);
    if (used + 4 + size > block.length) {
      flush();
      if (4 + size > block.length) block = Buffer.allocUnsafe(4 + size);
    }
    block.writeUInt32LE(size, used);
    used += 4 + block.write(value, used + 4);
  }
  // The columns start at a multiple of 8 bytes, so a file read whole can be viewed, not copied.
  if (used + 8 > block.length) flush();
  const padding = (8 - ((written + used) % 8)) % 8;
  block.fill(0, used, used + padding);
  used += padding;
  flush();
  for (const { name } of COLUMNS) {
    const column = trace[name];
    write(new Uint8Array(column.buffer, column.byteOffset, column.byteLength));
  }
}

/** The trace as one buffer (tests, and callers that hold it anyway). */
export function encodeTrace(trace: AssessmentTrace, key: string): Buffer {
  const parts: Uint8Array[] = [];
  writeTrace((bytes) => parts.push(Buffer.from(bytes)), trace, key);
  return Buffer.concat(parts);
}

export class TraceFormatError extends Error {}

export function decodeTrace(buffer: Buffer, key: string): AssessmentTrace {
  if (buffer.length < MAGIC.length + 4 || !buffer.subarray(0, MAGIC.length).equals(MAGIC)) throw new TraceFormatError('not a distillguard assessment trace');
  const cutShort = (where: string) => new TraceFormatError(`the trace is ${buffer.length} bytes, shorter than its ${where}: cut short or damaged`);
  const headerLength = buffer.readUInt32LE(MAGIC.length);
  let offset = MAGIC.length + 4;
  if (offset + headerLength > buffer.length) throw cutShort('header');
  let header: TraceHeader;
  try {
    header = JSON.parse(buffer.subarray(offset, offset + headerLength).toString('utf8')) as TraceHeader;
  } catch (error) {
    throw new TraceFormatError(`its header does not parse (${(error as Error).message}): damaged`);
  }
  offset += headerLength;
  if (header.format !== FORMAT) throw new TraceFormatError(`trace format ${header.format}, expected ${FORMAT}`);
  if (header.key !== key) throw new TraceFormatError('the trace was recorded for other exchanges or another schedule');

  const strings = new Array<string>(header.strings);
  for (let i = 0; i < header.strings; i++) {
    if (offset + 4 > buffer.length) throw cutShort('string table');
    const size = buffer.readUInt32LE(offset);
    if (offset + 4 + size > buffer.length) throw cutShort('string table');
    strings[i] = buffer.toString('utf8', offset + 4, offset + 4 + size);
    offset += 4 + size;
  }
  offset += (8 - (offset % 8)) % 8;
  const lengthOf = (name: string): number => (TRACE_ITEM_COLUMNS.has(name) ? header.items : header.changes);
  const expected = offset + COLUMNS.reduce((sum, { name, bytes }) => sum + bytes * lengthOf(name), 0);
  if (buffer.length !== expected) throw new TraceFormatError(`the trace is ${buffer.length} bytes, expected ${expected}: cut short or damaged`);
  const columns: Record<string, Float64Array | Int32Array> = {};
  for (const { name, bytes } of COLUMNS) {
    const size = bytes * lengthOf(name);
    // A view where the buffer is aligned (a file read whole is), else a copy.
    const aligned = (buffer.byteOffset + offset) % bytes === 0;
    const source = aligned ? buffer.buffer : new Uint8Array(buffer.subarray(offset, offset + size)).buffer;
    const start = aligned ? buffer.byteOffset + offset : 0;
    columns[name] = bytes === 8 ? new Float64Array(source, start, lengthOf(name)) : new Int32Array(source, start, lengthOf(name));
    offset += size;
  }
  return {
    relinks: header.relinks,
    clusterMembers: new Map(header.clusterMembers),
    strings,
    ...(columns as Pick<AssessmentTrace, (typeof TRACE_FLOAT_COLUMNS)[number] | (typeof TRACE_INT_COLUMNS)[number]>),
  };
}

/** A kept trace, or none: `problem` says why one that is there could not be used (null when none was kept yet). */
export type CachedTrace = { trace: AssessmentTrace; path: string } | { trace: null; path: string; problem: string | null };

/** The trace recorded under `key`, if there is a usable one. */
export function readCachedTrace(dir: string, key: string): CachedTrace {
  const path = join(dir, `${key}.trace`);
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (error) {
    // No such file, or no such directory (a file where it should be): nothing was kept there.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { trace: null, path, problem: null };
    return { trace: null, path, problem: `cannot read ${path}: ${(error as Error).message}` };
  }
  try {
    const trace = decodeTrace(buffer, key);
    markUsed(path);
    return { trace, path };
  } catch (error) {
    return { trace: null, path, problem: `${path} is unusable (${(error as Error).message}); it will be recorded again` };
  }
}

/** Writes the trace whole or not at all (a temporary file renamed), then drops all but the most recently used traces. */
export function writeCachedTrace(dir: string, key: string, trace: AssessmentTrace): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${key}.trace`);
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeTrace((bytes) => writeAllSync(fd, bytes), trace, key);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
  pruneTraces(dir);
  return path;
}

function writeAllSync(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

function markUsed(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // A cache on a read-only disk is still read; it is only pruned in the order traces were made.
  }
}

function pruneTraces(dir: string): void {
  const traces = readdirSync(dir)
    .filter((name) => name.endsWith('.trace'))
    .map((name) => ({ path: join(dir, name), used: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const stale of traces.slice(TRACES_KEPT)) rmSync(stale.path, { force: true });
}
