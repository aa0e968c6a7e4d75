import { describe, expect, it } from 'vitest';
import { createBehaviourTracker } from '../behaviour/behaviour-tracker.js';
import type { Account } from '../model/account.js';
import { holderCounts } from './cluster-view.js';

function account(accountId: string, paymentFingerprint: string | null, orgId: string | null = null): Account {
  return {
    accountId,
    orgId,
    createdAt: null,
    emailDomain: null,
    emailLocalHash: null,
    emailLocalShape: null,
    tier: null,
    country: null,
    paymentFingerprint,
    signupIp: null,
    verification: [],
  };
}

describe('holder counts', () => {
  it('counts the accounts holding each value once, however often each used it', () => {
    const tracker = createBehaviourTracker();
    const [a, b, c] = ['a', 'b', 'c'].map((id) => tracker.accountIndexOf(id)) as [number, number, number];
    tracker.observeIndicator('ip', a, '203.0.113.7', 40);
    tracker.observeIndicator('ip', a, '198.51.100.1');
    tracker.observeIndicator('ip', b, '203.0.113.7');
    tracker.observeIndicator('ip', b, '203.0.113.7', 3);
    tracker.observeIndicator('subnet', c, '203.0.113.0/24');
    const ips = holderCounts(tracker, 'ip');
    expect([ips('203.0.113.7'), ips('198.51.100.1'), ips('192.0.2.1')]).toEqual([2, 1, 0]);
    expect(holderCounts(tracker, 'subnet')('203.0.113.0/24')).toBe(1);
    // A value first sent after the count was made is held by no one the count knows of.
    tracker.observeIndicator('ip', c, '192.0.2.1');
    expect(ips('192.0.2.1')).toBe(0);
    expect(holderCounts(tracker, 'ip')('192.0.2.1')).toBe(1);
    tracker.setAccountInfo(account('a', 'card_1', 'org_1'));
    tracker.setAccountInfo(account('b', 'card_1'));
    tracker.setAccountInfo(account('c', null, 'org_1'));
    expect(holderCounts(tracker, 'payment')('card_1')).toBe(2);
    expect(holderCounts(tracker, 'org')('org_1')).toBe(2);
    expect(holderCounts(tracker, 'signup_ip')('198.51.100.1')).toBe(0);
  });
});
