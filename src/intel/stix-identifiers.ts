import { createHash } from 'node:crypto';

/**
 * Deterministic STIX identifiers (UUIDv5 under one namespace): the same cluster, indicator or
 * sketch exported twice gets the same id, so a partner's TAXII client or MISP updates the object
 * it already holds instead of piling up copies.
 */
const NAMESPACE = Buffer.from('4d0b6a39c2e84f7f9a5e1c7d2b3f6a81', 'hex');

export function stixId(type: string, ...parts: string[]): string {
  const digest = createHash('sha1').update(NAMESPACE).update(`${type}\u0000${parts.join('\u0000')}`, 'utf8').digest();
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${type}--${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** STIX timestamps carry milliseconds and `Z`. */
export function stixTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
