import { createGzip } from 'node:zlib';

/** Gzips text given in pieces, off the event loop and without ever holding the whole uncompressed text. */
export async function gzipInPieces(pieces: readonly string[]): Promise<Buffer> {
  const gzip = createGzip();
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  for (const piece of pieces) if (!gzip.write(piece)) await new Promise((resolve) => gzip.once('drain', resolve));
  gzip.end();
  await done;
  return Buffer.concat(out);
}
