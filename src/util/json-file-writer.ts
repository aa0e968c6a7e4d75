import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { JsonStreamStringify } from 'json-stream-stringify';

/**
 * Writes `value` as JSON indented by two spaces, the same text `JSON.stringify(value, null, 2)`
 * gives, plus a final newline, without ever holding the whole text in memory: findings for
 * hundreds of thousands of accounts are larger than V8's longest string. An object-mode stream
 * anywhere in `value` (`Readable.from(generator())`) is written as the array of what it yields,
 * read as the file is written, so its items need never all be in memory.
 *
 * @example await writeJsonFile('findings.json', findings)
 */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  const json = new JsonStreamStringify(value, undefined, 2);
  const newline = Readable.from(['\n']);
  async function* whole() {
    yield* json;
    yield* newline;
  }
  await pipeline(Readable.from(whole()), createWriteStream(path));
}
