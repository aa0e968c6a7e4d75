import { readDomainList } from './domain-list.js';

/** An academic registry's domain: `.edu`, or `.edu` or `.ac` under a country (nus.edu.sg, ox.ac.uk). */
const ACADEMIC_REGISTRY = /(^|\.)(edu|ac)(\.[a-z]{2})?$/;
const NO_DOMAINS: ReadonlySet<string> = new Set();

/**
 * The domains of universities and colleges (`data/mail/`, a vendored copy of a maintained public
 * list) and the academic registries' suffixes: many universities write from domains no registry
 * marks (usp.br, ethz.ch, tum.de). Read once per process.
 */
export function loadAcademicMailDomains(): ReadonlySet<string> {
  return readDomainList('academic-domains.txt.gz');
}

/**
 * Whether a lower-case mail domain is a university's or a college's: its registry is an academic
 * one, or it or a domain above it is on `listed` (`loadAcademicMailDomains`; mail.ox.ac.uk and
 * ime.usp.br are their universities'). An institution's students and staff sign up one by one,
 * on their own, where the accounts on a company's or an operator's catch-all domain are one
 * organisation's. A public mail provider's domain (`publicProviders`) counts only by its registry:
 * the university list names gmail.com and outlook.com for the universities whose mail they host,
 * and an address there, checked as a student's or not, says nothing about who holds it.
 */
export function isAcademicMailDomain(domain: string, listed: ReadonlySet<string>, publicProviders: ReadonlySet<string> = NO_DOMAINS): boolean {
  if (ACADEMIC_REGISTRY.test(domain)) return true;
  if (publicProviders.has(domain)) return false;
  for (let suffix = domain; ; ) {
    if (listed.has(suffix)) return true;
    const dot = suffix.indexOf('.');
    if (dot === -1) return false;
    suffix = suffix.slice(dot + 1);
  }
}
