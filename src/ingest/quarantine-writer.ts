import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { QuarantineReason } from './record-problem.js';

/** One line of the quarantine file: where the bad record was, why, and its head. */
export interface QuarantineRecord {
  file: string;
  line: number;
  reason: QuarantineReason;
  field: string | null;
  message: string;
  /** The raw line cut to the excerpt limit; null when text is kept out of storage. */
  raw: string | null;
  raw_bytes: number;
}

export interface QuarantineWriter {
  write(records: readonly QuarantineRecord[]): Promise<void>;
  readonly path: string | null;
  readonly written: number;
  close(): Promise<void>;
}

/** Appends quarantine records as JSON Lines; the file is created on the first record only. */
export function createQuarantineWriter(path: string | null): QuarantineWriter {
  let stream: WriteStream | null = null;
  let written = 0;
  return {
    path,
    get written() {
      return written;
    },
    async write(records) {
      if (path === null || records.length === 0) return;
      stream ??= createWriteStream(path, { flags: 'a' });
      const text = records.map((record) => JSON.stringify(record)).join('\n') + '\n';
      written += records.length;
      if (!stream.write(text)) await once(stream, 'drain');
    },
    async close() {
      if (stream === null) return;
      const closing = once(stream, 'close');
      stream.end();
      await closing;
    },
  };
}
