import { deserialize, serialize } from 'node:v8';

/**
 * Observations cross threads as one buffer per batch: the ingest worker encodes, the main
 * thread forwards the buffer untouched (transferred, not copied), and the engine's thread
 * decodes. Structured-cloning the objects instead would cost the main thread about as much as
 * the engine's own work.
 *
 * Observations are flat records of one shape (what `observationOfRow` makes), so they go in
 * columns: numbers in a Float64Array, strings through a per-batch dictionary (an account, a
 * user agent or a model recurs hundreds of times in a batch and is decoded once), short
 * number arrays side by side. v8's serializer, which writes every property name and string of
 * every record and allocates them all again on the other side, took a quarter of the engine
 * thread's time. Anything that does not fit the columns (nested objects, `undefined`, records
 * of differing shapes) is v8-serialized as before, so the codec never changes what arrives.
 */
export function encodeObservations(observations: readonly unknown[]): Uint8Array {
  return encodeColumns(observations) ?? withTag(V8_SERIALIZED, serialize(observations));
}

/** The observations of a batch, leaving out the rows at `skipRows` (ascending; duplicates). */
export function decodeObservations(encoded: Uint8Array, skipRows: readonly number[] = []): unknown[] {
  if (encoded[0] === COLUMNS) return decodeColumns(encoded, skipRows);
  const observations = deserialize(encoded.subarray(1)) as unknown[];
  if (skipRows.length === 0) return observations;
  const skip = new Set(skipRows);
  return observations.filter((_, row) => !skip.has(row));
}

const V8_SERIALIZED = 1;
const COLUMNS = 2;
/** The format tag, then the header's byte length; the sections start 8-byte aligned after the header. */
const PREAMBLE_BYTES = 8;

type ColumnKind = 'number' | 'string' | 'boolean' | 'numbers';

interface ColumnPlan {
  key: string;
  kind: ColumnKind;
  /** Elements per row of a `numbers` column. */
  width: number;
}

interface Header {
  rows: number;
  columns: ColumnPlan[];
  /** Per column: byte offset of its section from the start of the sections. */
  offsets: number[];
  /** The dictionary of every string column together. */
  strings: string[];
}

type FlatRecord = Record<string, unknown>;

function withTag(tag: number, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.byteLength + 1);
  out[0] = tag;
  out.set(bytes, 1);
  return out;
}

function isFlatRecord(value: unknown): value is FlatRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function kindOf(value: unknown): { kind: ColumnKind; width: number } | null {
  switch (typeof value) {
    case 'number':
      return { kind: 'number', width: 1 };
    case 'string':
      return { kind: 'string', width: 1 };
    case 'boolean':
      return { kind: 'boolean', width: 1 };
    default:
      return Array.isArray(value) ? { kind: 'numbers', width: value.length } : null;
  }
}

/** Each column's kind, from its first non-null value (a column of nulls only is a string column). */
function planColumns(observations: readonly unknown[]): ColumnPlan[] | null {
  const first = observations[0];
  if (!isFlatRecord(first)) return null;
  const plans: ColumnPlan[] = [];
  for (const key of Object.keys(first)) {
    // Assigning this key on decoding would set the prototype instead.
    if (key === '__proto__') return null;
    let plan: ColumnPlan = { key, kind: 'string', width: 1 };
    for (const observation of observations) {
      const value = (observation as FlatRecord)[key];
      if (value === null) continue;
      const found = kindOf(value);
      if (found === null) return null;
      plan = { key, ...found };
      break;
    }
    plans.push(plan);
  }
  return plans;
}

function sectionBytes(plan: ColumnPlan, rows: number): number {
  switch (plan.kind) {
    case 'number':
      // Values, then one null flag per row.
      return rows * 8 + rows;
    case 'numbers':
      return rows * plan.width * 8 + rows;
    case 'string':
      return rows * 4;
    case 'boolean':
      return rows;
  }
}

function align8(offset: number): number {
  return (offset + 7) & ~7;
}

function encodeColumns(observations: readonly unknown[]): Uint8Array | null {
  const rows = observations.length;
  if (rows === 0) return null;
  const plans = planColumns(observations);
  if (plans === null) return null;
  const relative: number[] = [];
  let dataBytes = 0;
  for (const plan of plans) {
    relative.push(dataBytes);
    dataBytes = align8(dataBytes + sectionBytes(plan, rows));
  }
  const data = new ArrayBuffer(dataBytes);
  const sections = plans.map((plan, column) => sectionViews(plan, data, relative[column]!, rows));
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const idOf = (value: string): number => {
    let id = stringIds.get(value);
    if (id === undefined) {
      id = strings.length;
      strings.push(value);
      stringIds.set(value, id);
    }
    return id;
  };
  if (!codecFor(plans).fill(observations, sections, idOf)) return null;
  const header = Buffer.from(JSON.stringify({ rows, columns: plans, offsets: relative, strings } satisfies Header));
  const dataStart = align8(PREAMBLE_BYTES + header.byteLength);
  const out = Buffer.allocUnsafeSlow(dataStart + dataBytes);
  out.fill(0, 0, dataStart);
  out[0] = COLUMNS;
  out.writeUInt32LE(header.byteLength, 4);
  header.copy(out, PREAMBLE_BYTES);
  out.set(new Uint8Array(data), dataStart);
  // A Uint8Array that owns its whole buffer, so it can be transferred rather than copied.
  return new Uint8Array(out.buffer, 0, out.byteLength);
}

/** A column's typed arrays over its section: values (or string ids, or flags), then null flags. */
type SectionViews = [values: Float64Array | Int32Array | Uint8Array, nulls: Uint8Array | null];

function sectionViews(plan: ColumnPlan, buffer: ArrayBufferLike, at: number, rows: number): SectionViews {
  switch (plan.kind) {
    case 'number':
    case 'numbers':
      return [new Float64Array(buffer, at, rows * plan.width), new Uint8Array(buffer, at + rows * plan.width * 8, rows)];
    case 'string':
      return [new Int32Array(buffer, at, rows), null];
    case 'boolean':
      return [new Uint8Array(buffer, at, rows), null];
  }
}

function decodeColumns(encoded: Uint8Array, skipRows: readonly number[]): unknown[] {
  const bytes = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const headerBytes = bytes.readUInt32LE(4);
  const header = JSON.parse(bytes.toString('utf8', PREAMBLE_BYTES, PREAMBLE_BYTES + headerBytes)) as Header;
  // Views need aligned offsets into the buffer; an encoded batch that was sliced is copied once.
  const aligned = encoded.byteOffset % 8 === 0 ? encoded : encoded.slice();
  const base = aligned.byteOffset + align8(PREAMBLE_BYTES + headerBytes);
  const sections = header.columns.map((plan, column) => sectionViews(plan, aligned.buffer, base + header.offsets[column]!, header.rows));
  return codecFor(header.columns).build(header.rows, skipRows, sections, header.strings);
}

interface ShapeCodec {
  /** Writes every record into the sections; false when a value does not fit its column. */
  fill(observations: readonly unknown[], sections: SectionViews[], idOf: (value: string) => number): boolean;
  build(rows: number, skipRows: readonly number[], sections: SectionViews[], strings: readonly string[]): unknown[];
}

/**
 * The loops that fill and read one shape's columns, compiled once per shape. Generated so each
 * property is read and written by its name: a record built from an object literal gets its
 * final layout at once, and a loop over the keys instead made every access a dictionary-style
 * lookup, slower than v8's own serializer. Keys enter the code only as JSON string literals.
 */
function codecFor(plans: readonly ColumnPlan[]): ShapeCodec {
  const shape = JSON.stringify(plans);
  let codec = codecs.get(shape);
  if (codec === undefined) {
    codec = compileCodec(plans);
    codecs.set(shape, codec);
  }
  return codec;
}

const codecs = new Map<string, ShapeCodec>();

function compileCodec(plans: readonly ColumnPlan[]): ShapeCodec {
  const views = plans.map((_, c) => `const v${c} = sections[${c}][0], n${c} = sections[${c}][1];`).join('\n');
  const fills = plans
    .map((plan, c) => {
      const read = `value = observation[${JSON.stringify(plan.key)}];`;
      switch (plan.kind) {
        case 'number':
          return `${read} if (typeof value === 'number') v${c}[row] = value; else if (value === null) n${c}[row] = 1; else return false;`;
        case 'numbers':
          return (
            `${read} if (value === null) n${c}[row] = 1; else { if (!Array.isArray(value) || value.length !== ${plan.width}) return false; ` +
            `for (let i = 0; i < ${plan.width}; i++) { const element = value[i]; if (typeof element !== 'number') return false; v${c}[row * ${plan.width} + i] = element; } }`
          );
        case 'string':
          return `${read} if (value === null) v${c}[row] = -1; else if (typeof value === 'string') v${c}[row] = idOf(value); else return false;`;
        case 'boolean':
          return `${read} if (value === null) v${c}[row] = 2; else if (typeof value === 'boolean') v${c}[row] = value ? 1 : 0; else return false;`;
      }
    })
    .join('\n');
  const fields = plans
    .map((plan, c) => {
      const name = JSON.stringify(plan.key);
      switch (plan.kind) {
        case 'number':
          return `${name}: n${c}[row] === 1 ? null : v${c}[row]`;
        case 'numbers':
          return `${name}: n${c}[row] === 1 ? null : [${Array.from({ length: plan.width }, (_, i) => `v${c}[row * ${plan.width} + ${i}]`).join(', ')}]`;
        case 'string':
          return `${name}: v${c}[row] < 0 ? null : strings[v${c}[row]]`;
        case 'boolean':
          return `${name}: v${c}[row] === 2 ? null : v${c}[row] === 1`;
      }
    })
    .join(',\n');
  const keyCount = plans.length;
  const fill = new Function(
    'observations',
    'sections',
    'idOf',
    'countKeys',
    `${views}
    let value;
    for (let row = 0; row < observations.length; row++) {
      const observation = observations[row];
      if (observation === null || typeof observation !== 'object' || Array.isArray(observation) || countKeys(observation) !== ${keyCount}) return false;
      ${fills}
    }
    return true;`,
  ) as (observations: readonly unknown[], sections: SectionViews[], idOf: (value: string) => number, count: typeof countKeys) => boolean;
  const build = new Function(
    'rows',
    'skipRows',
    'sections',
    'strings',
    `${views}
    const out = [];
    let nextSkip = 0;
    for (let row = 0; row < rows; row++) {
      if (nextSkip < skipRows.length && skipRows[nextSkip] === row) { nextSkip++; continue; }
      out.push({ ${fields} });
    }
    return out;`,
  ) as ShapeCodec['build'];
  return { fill: (observations, sections, idOf) => fill(observations, sections, idOf, countKeys), build };
}

/**
 * Enumerable keys, counted without making an array of them: with the column count it tells a
 * record that has more properties than the first one (a plain record inherits none).
 */
function countKeys(record: FlatRecord): number {
  let count = 0;
  for (const _key in record) count++;
  return count;
}
