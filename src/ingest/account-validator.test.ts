import { describe, expect, it } from 'vitest';
import { emailShape, parseAccountLine } from './account-validator.js';

const key = Buffer.alloc(32, 7);

describe('parseAccountLine', () => {
  it('keeps the domain, a keyed hash and the shape of an e-mail, never the address', () => {
    const parsed = parseAccountLine(
      JSON.stringify({ account_id: 'a1', email: 'John.Smith1984@Example.COM', tier: 'education', created_at: '2026-01-05T10:00:00Z', verification: ['email', 'card'] }),
      key,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toMatchObject({ accountId: 'a1', emailDomain: 'example.com', emailLocalShape: 'a.a9', tier: 'education', verification: ['email', 'card'] });
    expect(parsed.value.emailLocalHash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(parsed.value)).not.toContain('john');
  });

  it('gives the same hash for the same local part under the same key only', () => {
    const hashOf = (email: string, hashKey: Buffer) => {
      const parsed = parseAccountLine(JSON.stringify({ account_id: 'a', email }), hashKey);
      return parsed.ok ? parsed.value.emailLocalHash : null;
    };
    expect(hashOf('x.y@a.com', key)).toBe(hashOf('X.Y@b.org', key));
    expect(hashOf('x.y@a.com', key)).not.toBe(hashOf('x.y@a.com', Buffer.alloc(32, 9)));
  });

  it('accepts pre-hashed e-mail fields from providers that keep no addresses', () => {
    const parsed = parseAccountLine(JSON.stringify({ account_id: 'a', email_domain: 'Uni.EDU', email_local_hash: 'abc123' }), key);
    expect(parsed.ok && parsed.value).toMatchObject({ emailDomain: 'uni.edu', emailLocalHash: 'abc123', emailLocalShape: null });
  });

  it('reads verification as a list, a comma-separated string or an object of flags', () => {
    for (const verification of [['email', 'phone'], 'email, phone', { email: true, phone: true, card: false }]) {
      const parsed = parseAccountLine(JSON.stringify({ account_id: 'a', verification }), key);
      expect(parsed.ok && parsed.value.verification).toEqual(['email', 'phone']);
    }
  });

  it.each([
    [{ email: 'a@b.c' }, 'missing_field', 'account_id'],
    [{ account_id: 'a', tier: 'platinum' }, 'bad_value', 'tier'],
    [{ account_id: 'a', email: 'no-at-sign' }, 'bad_value', 'email'],
    [{ account_id: 'a', created_at: 'yesterday' }, 'bad_timestamp', 'created_at'],
    [{ account_id: 'a', signup_ip: '1.2.3' }, 'bad_ip', 'signup_ip'],
    [{ account_id: 'a', country: 'Deutschland' }, 'bad_value', 'country'],
    [{ account_id: 'a', verification: [1, 2] }, 'wrong_type', 'verification'],
    [{ account_id: 'a', payment_fingerprint: 12 }, 'wrong_type', 'payment_fingerprint'],
  ])('quarantines %j as %s on %s', (record, reason, field) => {
    const parsed = parseAccountLine(JSON.stringify(record), key);
    expect(parsed.ok || parsed.problem).toMatchObject({ reason, field });
  });
});

describe('emailShape', () => {
  it.each([
    ['john.smith1984', 'a.a9'],
    ['jsmith', 'a'],
    ['user_4821_x', 'a_9_a'],
    ['a1b2c3', 'a9a9a9'],
  ])('%s → %s', (local, shape) => {
    expect(emailShape(local)).toBe(shape);
  });
});
