import { readDomainList } from './domain-list.js';

/**
 * The domains of free and public mail providers (`data/mail/`, a vendored copy of a maintained
 * public list): an account on one of them shares its domain with strangers, so linking and the
 * shared-domain detector leave these out. Read once per process.
 */
export function loadPublicMailDomains(): ReadonlySet<string> {
  return readDomainList('public-mail-domains.txt.gz');
}
