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
  const habit = (exchanges: number) => 1 - Math.exp(-Math.max(1, exchanges) / 10);

  it('is the number of accounts while light accounts stay within twice the habitual population', () => {
    const store = [...Array.from({ length: 300 }, () => ({ exchanges: 120 })), ...Array.from({ length: 100 }, () => ({ exchanges: 1 })), { exchanges: 0 }];
    expect(linkingPopulation(store)).toBe(401);
  });

  it('does not count a flood of one-request accounts past twice the habitual population', () => {
    const active = Array.from({ length: 400 }, () => ({ exchanges: 120 }));
    const flood = Array.from({ length: 3_000 }, () => ({ exchanges: 1 }));
    const flooded = linkingPopulation([...active, ...flood]);
    expect(flooded).toBeCloseTo(2 * (400 * habit(120) + 3_000 * habit(1)), 6);
    // 3,400 accounts counted raw; about 1,370 here.
    expect(flooded).toBeLessThan(3_400 * 0.45);
  });
});
