import { createHash } from 'node:crypto';
import { LINE_EXCERPT_BYTES } from './line-batch-reader.js';

/**
 * Identifies a line for resume checks: the hash of its first bytes without the line ending.
 * A re-run compares the fingerprint of the line at its checkpoint with the stored one and
 * starts the file over when they differ (the file was replaced, not appended to).
 */
export function lineFingerprint(line: Buffer): string {
  let end = line.length;
  if (end > 0 && line[end - 1] === 0x0a) end--;
  if (end > 0 && line[end - 1] === 0x0d) end--;
  return createHash('sha1').update(line.subarray(0, Math.min(end, LINE_EXCERPT_BYTES))).digest('hex');
}

/** The last line of a batch of complete lines (each ending in a newline). */
export function lastLineOf(bytes: Buffer): Buffer {
  const end = bytes.length - 1;
  const start = bytes.lastIndexOf(0x0a, end - 1) + 1;
  return bytes.subarray(start, end + 1);
}

/** A file's identity across runs: the hash of its first 64 KiB (stable while it only grows). */
export async function fileIdentity(path: string, isGzip: boolean): Promise<string> {
  const { open } = await import('node:fs/promises');
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return (isGzip ? 'gz:' : 'raw:') + createHash('sha256').update(head.subarray(0, bytesRead)).digest('hex');
  } finally {
    await handle.close();
  }
}
