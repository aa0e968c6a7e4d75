import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const LIST_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'mail', 'public-mail-domains.txt.gz');

let cached: ReadonlySet<string> | null = null;

/**
 * The domains of free and public mail providers (`data/mail/`, a vendored copy of a maintained
 * public list): an account on one of them shares its domain with strangers, so linking and the
 * shared-domain detector leave these out. Read once per process.
 */
export function loadPublicMailDomains(): ReadonlySet<string> {
  if (cached === null) {
    const text = gunzipSync(readFileSync(LIST_PATH)).toString('utf8');
    cached = new Set(text.split('\n').filter((line) => line.length > 0));
  }
  return cached;
}
