import { deserialize, serialize } from 'node:v8';

/**
 * Observations cross threads as one v8-serialized buffer per batch: the ingest worker encodes,
 * the main thread forwards the buffer untouched (transferred, not copied), and the engine's
 * thread decodes. Structured-cloning the objects instead would cost the main thread about as
 * much as the engine's own work.
 */
export function encodeObservations(observations: readonly unknown[]): Uint8Array {
  // A buffer of its own, so its memory can be transferred rather than copied.
  return new Uint8Array(serialize(observations));
}

/** The observations of a batch, leaving out the rows at `skipRows` (ascending; duplicates). */
export function decodeObservations(encoded: Uint8Array, skipRows: readonly number[] = []): unknown[] {
  const observations = deserialize(encoded) as unknown[];
  if (skipRows.length === 0) return observations;
  const skip = new Set(skipRows);
  return observations.filter((_, row) => !skip.has(row));
}
