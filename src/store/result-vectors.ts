import type { DuckDBVector } from '@duckdb/node-api';

// The vectors of @duckdb/node-api hold their data in a typed array (`items`) that is private
// in the type declarations; reading it directly avoids one boxed value per cell. If a release
// stops exposing it, the fallback copies through the public `getItem`.
function itemsOf(vector: DuckDBVector): ArrayBufferView | undefined {
  return (vector as unknown as { items?: ArrayBufferView }).items;
}

export function int32Items(vector: DuckDBVector, count: number): Int32Array {
  const items = itemsOf(vector);
  if (items instanceof Int32Array) return items.subarray(0, count);
  return Int32Array.from({ length: count }, (_, i) => Number(vector.getItem(i) ?? -1));
}

export function float64Items(vector: DuckDBVector, count: number): Float64Array {
  const items = itemsOf(vector);
  if (items instanceof Float64Array) return items.subarray(0, count);
  return Float64Array.from({ length: count }, (_, i) => Number(vector.getItem(i) ?? 0));
}

/** A UBIGINT column as 32-bit words: [2i] low, [2i + 1] high. */
export function wordItems(vector: DuckDBVector, count: number): Uint32Array {
  const items = itemsOf(vector);
  if (items instanceof BigUint64Array) return new Uint32Array(items.buffer, items.byteOffset, count * 2);
  const out = new Uint32Array(count * 2);
  for (let i = 0; i < count; i++) {
    const value = BigInt((vector.getItem(i) as bigint | null) ?? 0n);
    out[2 * i] = Number(value & 0xffffffffn);
    out[2 * i + 1] = Number(value >> 32n);
  }
  return out;
}
