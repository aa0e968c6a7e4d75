import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Keyed hashes for personal data and shareable indicators: without the key a hash cannot be
 * reversed by hashing a dictionary of likely values (e-mail local parts, common prompts).
 */
export function keyedHash(key: Buffer, value: string, bytes = 16): string {
  return createHmac('sha256', key).update(value, 'utf8').digest().subarray(0, bytes).toString('hex');
}

export function createSecretKey(bytes = 32): Buffer {
  return randomBytes(bytes);
}

/** Compares two secrets in time that does not depend on where they differ. */
export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const left = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
  const right = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  if (left.length !== right.length) {
    // Still spend the comparison so a length mismatch is not faster than a content mismatch.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
