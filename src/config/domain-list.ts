import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const MAIL_DATA = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'mail');

const cached = new Map<string, ReadonlySet<string>>();

/** A gzipped list of domains in `data/mail/`, one per line, as a set; read once per process. */
export function readDomainList(fileName: string): ReadonlySet<string> {
  let list = cached.get(fileName);
  if (list === undefined) {
    const text = gunzipSync(readFileSync(resolve(MAIL_DATA, fileName))).toString('utf8');
    list = new Set(text.split('\n').filter((line) => line.length > 0));
    cached.set(fileName, list);
  }
  return list;
}
