import { describe, expect, it } from 'vitest';
import { loadAcademicMailDomains } from '../config/academic-mail-domains.js';
import { loadPublicMailDomains } from '../config/public-mail-domains.js';
import { createBehaviourTracker } from '../behaviour/behaviour-tracker.js';
import { parseDetectionConfig } from '../scoring/detection-config.js';
import type { Account } from '../model/account.js';
import { buildLinkInput } from './link-input.js';
import { rarityPopulation } from '../behaviour/rarity-population.js';

function account(accountId: string, emailDomain: string): Account {
  return {
    accountId,
    orgId: null,
    createdAt: null,
    emailDomain,
    emailLocalHash: null,
    emailLocalShape: null,
    tier: null,
    country: null,
    paymentFingerprint: null,
    signupIp: null,
    verification: [],
  };
}

describe('link input', () => {
  it('links accounts on a domain of their own but not on a public mail provider', () => {
    const tracker = createBehaviourTracker({ publicMailDomains: loadPublicMailDomains() });
    const domains = ['gmail.com', 'GMail.com', 'outlook.com', 'gmx.de', 'ironzone93.site', 'IronZone93.site', 'state-univ.edu'];
    for (const [i, domain] of domains.entries()) tracker.setAccountInfo(account(`a${i}`, domain));
    expect(tracker.accounts.map((state) => state.info?.linkableMailDomain ?? null)).toEqual([
      null,
      null,
      null,
      null,
      'ironzone93.site',
      'ironzone93.site',
      'state-univ.edu',
    ]);
    const input = buildLinkInput(tracker, parseDetectionConfig().linking);
    const mail = input.memberships.find((m) => m.kind === 'email_domain')!;
    expect([...mail.accounts].sort()).toEqual([4, 5]);
    expect(mail.values[0]).toBe(mail.values[1]);
    expect([...input.memberships.find((m) => m.kind === 'academic_domain')!.accounts]).toEqual([6]);
  });

  it('does not take a public mail provider\'s domain for a university\'s, whichever list names it', () => {
    // The university list names gmail.com and outlook.com (universities whose mail they host);
    // a provider's domain counts as academic only by its registry (nus.edu.sg, which the free-mail
    // list also names).
    const listed = loadAcademicMailDomains();
    const providers = loadPublicMailDomains();
    expect(['gmail.com', 'outlook.com', 'nus.edu.sg'].every((domain) => listed.has(domain) && providers.has(domain))).toBe(true);
    const tracker = createBehaviourTracker({ publicMailDomains: providers, academicMailDomains: listed });
    const domains = ['gmail.com', 'outlook.com', 'nus.edu.sg', 'usp.br'];
    for (const [i, domain] of domains.entries()) tracker.setAccountInfo({ ...account(`a${i}`, domain), verification: ['email', 'edu_email'] });
    expect(tracker.accounts.map((state) => state.info!.academicMailDomain)).toEqual([false, false, true, true]);
  });

  it('tells a university\'s domains from a company\'s or an operator\'s, registry or not', () => {
    const tracker = createBehaviourTracker({ publicMailDomains: loadPublicMailDomains(), academicMailDomains: loadAcademicMailDomains() });
    const domains = ['usp.br', 'ime.usp.br', 'ETHZ.ch', 'ox.ac.uk', 'cs.state-univ.edu', 'kiteinbox29.store', 'acme-robotics.com', 'tum.de.example.com'];
    for (const [i, domain] of domains.entries()) tracker.setAccountInfo(account(`a${i}`, domain));
    expect(tracker.accounts.map((state) => state.info!.academicMailDomain)).toEqual([true, true, true, true, true, false, false, false]);
    const input = buildLinkInput(tracker, parseDetectionConfig().linking);
    expect([...input.memberships.find((m) => m.kind === 'academic_domain')!.accounts].sort()).toEqual([0, 1, 2, 3, 4]);
    expect([...input.memberships.find((m) => m.kind === 'email_domain')!.accounts].sort()).toEqual([5, 6, 7]);
    // Without the list only the academic registries are known.
    const bare = createBehaviourTracker();
    for (const [i, domain] of domains.entries()) bare.setAccountInfo(account(`a${i}`, domain));
    expect(bare.accounts.map((state) => state.info!.academicMailDomain)).toEqual([false, false, false, true, true, false, false, false]);
  });

  it('keeps every domain when it is given no list of public ones', () => {
    const tracker = createBehaviourTracker();
    tracker.setAccountInfo(account('a0', 'Gmail.com'));
    expect(tracker.accounts[0]!.info?.linkableMailDomain).toBe('gmail.com');
  });
});

describe('rarity population', () => {
  const accounts = (count: number, exchanges: number) => Array.from({ length: count }, () => ({ exchanges }));

  it('is the number of accounts while light accounts stay within twice those with a session of traffic', () => {
    expect(rarityPopulation([...accounts(300, 120), ...accounts(100, 1), { exchanges: 0 }])).toBe(401);
    expect(rarityPopulation([...accounts(300, 10), ...accounts(300, 9)])).toBe(600);
  });

  it('does not grow with a flood of accounts below a session of traffic, whatever its size', () => {
    const active = accounts(400, 120);
    expect(rarityPopulation([...active, ...accounts(3_000, 1)])).toBe(800);
    expect(rarityPopulation([...active, ...accounts(300_000, 9)])).toBe(800);
    // Each account that does move it costs a session of traffic.
    expect(rarityPopulation([...active, ...accounts(3_000, 1), ...accounts(100, 10)])).toBe(1_000);
  });
});
