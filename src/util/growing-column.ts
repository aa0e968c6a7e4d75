/**
 * Numeric columns that grow while a table is filled and shrink to their length once it is
 * sealed, and interning for values that many rows share. Typed arrays live outside the JS heap
 * and cost their element size, where an object per row costs a header, a pointer per field and
 * a string per identifier.
 */
export type NumericArray = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

interface NumericArrayType<A extends NumericArray> {
  new (length: number): A;
  new (buffer: ArrayBufferLike): A;
  readonly BYTES_PER_ELEMENT: number;
}

/** ES2024 resizable buffers (Node 20 has them; the TypeScript lib in use predates them). */
interface ResizableArrayBuffer extends ArrayBuffer {
  resize(byteLength: number): void;
}
const ResizableArrayBuffer = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => ResizableArrayBuffer;

/** Address space a column may grow into while it is filled; only the part in use is backed by memory. */
const MAX_COLUMN_BYTES = 2 ** 30;

/**
 * A numeric column that grows in place while it is filled: it lives in a resizable buffer,
 * which reserves address space and commits pages as it grows. Doubling into fresh arrays would
 * leave the outgrown copies in the allocator, where they stay resident (about the size of the
 * table again, per thread).
 */
export class GrowingColumn<A extends NumericArray> {
  private growing: ResizableArrayBuffer | null;
  private data: A;
  private size = 0;

  constructor(private readonly type: NumericArrayType<A>, initialCapacity = 1024) {
    this.growing = new ResizableArrayBuffer(initialCapacity * type.BYTES_PER_ELEMENT, { maxByteLength: MAX_COLUMN_BYTES });
    this.data = new type(this.growing);
  }

  get length(): number {
    return this.size;
  }

  /** The values; only the first `length` are meaningful. */
  get values(): A {
    return this.data;
  }

  push(value: number): number {
    if (this.size === this.data.length) {
      if (this.growing === null) throw new Error('column is sealed');
      // The view tracks the buffer's length, so it sees the new room at once.
      this.growing.resize(Math.min(MAX_COLUMN_BYTES, this.growing.byteLength * 2));
      if (this.size === this.data.length) throw new RangeError(`a column holds at most ${MAX_COLUMN_BYTES / this.type.BYTES_PER_ELEMENT} values`);
    }
    this.data[this.size] = value;
    // Typed arrays wrap or round silently; a value that does not fit is a programming error.
    if (this.data[this.size] !== value && !Number.isNaN(value)) throw new RangeError(`${value} does not fit a ${this.type.name}`);
    return this.size++;
  }

  /** Moves the values to a plain array of exactly `length` (plain arrays are what the hot loops read fastest). */
  seal(): A {
    if (this.growing !== null) {
      const exact = new this.type(this.size);
      exact.set(this.data.subarray(0, this.size));
      this.data = exact;
      this.growing = null;
    }
    return this.data;
  }
}

/**
 * Distinct values by key, each stored once and named by its position. Lookups by value are
 * needed only while building; `seal` drops the key index.
 */
export class InternTable<T> {
  readonly values: T[] = [];
  private index: Map<unknown, number> | null = new Map();

  constructor(private readonly keyOf: (value: T) => unknown = (value) => value) {}

  idOf(value: T): number {
    if (this.index === null) throw new Error('intern table is sealed');
    const key = this.keyOf(value);
    let id = this.index.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.index.set(key, id);
    }
    return id;
  }

  at(id: number): T {
    return this.values[id]!;
  }

  seal(): void {
    this.index = null;
  }
}
