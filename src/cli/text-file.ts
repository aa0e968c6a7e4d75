import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { InputError, UsageError } from '../util/errors.js';

/** Reads a whole text file, gunzipping it when it starts with the gzip magic bytes. */
export async function readTextFile(path: string, flag: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${flag} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message}`, { cause: error });
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new InputError(`${flag} ${path}: not a readable gzip file (${(error as Error).message})`, { cause: error });
    }
  }
  return bytes.toString('utf8');
}
