import { describe, expect, it } from 'vitest';
import { loadPublicMailDomains } from '../config/public-mail-domains.js';
import { createBehaviourTracker } from '../behaviour/behaviour-tracker.js';
import { parseDetectionConfig } from '../scoring/detection-config.js';
import type { Account } from '../model/account.js';
import { buildLinkInput, linkingPopulation } from './link-input.js';

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
    expect([...mail.accounts].sort()).toEqual([4, 5, 6]);
    expect(mail.values[0]).toBe(mail.values[1]);
    expect(mail.values[2]).not.toBe(mail.values[0]);
  });

  it('keeps every domain when it is given no list of public ones', () => {
    const tracker = createBehaviourTracker();
    tracker.setAccountInfo(account('a0', 'Gmail.com'));
    expect(tracker.accounts[0]!.info?.linkableMailDomain).toBe('gmail.com');
  });
});

describe('linking population', () => {
  it('counts an account with a session of traffic almost fully and a one-request account about a tenth', () => {
    expect(linkingPopulation([{ exchanges: 200 }])).toBeCloseTo(1, 6);
    expect(linkingPopulation([{ exchanges: 1 }])).toBeCloseTo(1 - Math.exp(-0.1), 6);
    // A dormant sign-up counts as a one-request account.
    expect(linkingPopulation([{ exchanges: 0 }])).toBeCloseTo(1 - Math.exp(-0.1), 6);
  });

  it('grows by a tenth of the flood when a thousand one-request accounts join four hundred active ones', () => {
    const active = Array.from({ length: 400 }, () => ({ exchanges: 120 }));
    const flood = Array.from({ length: 1_000 }, () => ({ exchanges: 1 }));
    const before = linkingPopulation(active);
    const after = linkingPopulation([...active, ...flood]);
    expect(after - before).toBeCloseTo(1_000 * (1 - Math.exp(-0.1)), 3);
    expect(after).toBeLessThan(before * 1.25);
  });
});
