import { isAccountTier, ACCOUNT_TIERS, type Account } from '../model/account.js';
import { keyedHash } from '../util/keyed-hash.js';
import { parseIp } from './ip-address.js';
import { describeJsonType, rejected, type ParseResult } from './record-problem.js';
import { parseRfc3339 } from './rfc3339-timestamp.js';
import { isRejection, readJsonObject } from './record-field-reader.js';

/**
 * Parses one line of the accounts file. A raw e-mail address is reduced at once to its domain,
 * a keyed hash of the local part and the local part's shape; the address itself is never kept.
 */
export function parseAccountLine(line: string, hashKey: Buffer): ParseResult<Account> {
  const r = readJsonObject(line);
  if (isRejection(r)) return r;

  const accountId = r.account_id;
  if (accountId === undefined || accountId === null) return rejected('missing_field', 'account_id', 'account_id is required');
  if (typeof accountId !== 'string' || accountId.length === 0) return rejected('wrong_type', 'account_id', `expected a non-empty string, found ${describeJsonType(accountId)}`);

  const strings: Record<string, string | null> = {};
  for (const field of ['org_id', 'email', 'email_domain', 'email_local_hash', 'payment_fingerprint', 'country', 'created_at', 'signup_ip', 'tier']) {
    const value = r[field];
    if (value === undefined || value === null || value === '') {
      strings[field] = null;
    } else if (typeof value !== 'string') {
      return rejected('wrong_type', field, `expected a string or null, found ${describeJsonType(value)}`);
    } else {
      strings[field] = value;
    }
  }

  let createdAt: number | null = null;
  if (strings.created_at !== null) {
    createdAt = parseRfc3339(strings.created_at!);
    if (createdAt === null) return rejected('bad_timestamp', 'created_at', `expected RFC 3339, found ${JSON.stringify(strings.created_at!.slice(0, 60))}`);
  }

  const tier = strings.tier;
  if (tier !== null && !isAccountTier(tier)) {
    return rejected('bad_value', 'tier', `expected one of ${ACCOUNT_TIERS.join(', ')}, found ${JSON.stringify(tier)}`);
  }

  let country: string | null = null;
  if (strings.country !== null) {
    if (!/^[A-Za-z]{2}$/.test(strings.country!)) return rejected('bad_value', 'country', `expected an ISO 3166-1 alpha-2 code, found ${JSON.stringify(strings.country)}`);
    country = strings.country!.toUpperCase();
  }

  let signupIp: string | null = null;
  if (strings.signup_ip !== null) {
    const parsed = parseIp(strings.signup_ip!);
    if (parsed === null) return rejected('bad_ip', 'signup_ip', `expected an IPv4 or IPv6 address, found ${JSON.stringify(strings.signup_ip!.slice(0, 60))}`);
    signupIp = parsed.address;
  }

  let emailDomain = strings.email_domain?.toLowerCase() ?? null;
  let emailLocalHash = strings.email_local_hash ?? null;
  let emailLocalShape: string | null = null;
  if (strings.email !== null) {
    const email = strings.email!.trim();
    const at = email.lastIndexOf('@');
    if (at <= 0 || at === email.length - 1) return rejected('bad_value', 'email', 'expected an e-mail address with a local part and a domain');
    const local = email.slice(0, at).toLowerCase();
    emailDomain = email.slice(at + 1).toLowerCase();
    emailLocalHash = keyedHash(hashKey, local);
    emailLocalShape = emailShape(local);
  }

  const verification = parseVerification(r.verification);
  if (verification === null) {
    return rejected('wrong_type', 'verification', `expected a list of verified items, a comma-separated string or an object of booleans, found ${describeJsonType(r.verification)}`);
  }

  return {
    ok: true,
    value: {
      accountId,
      orgId: strings.org_id ?? null,
      createdAt,
      emailDomain,
      emailLocalHash,
      emailLocalShape,
      tier: tier as Account['tier'],
      country,
      paymentFingerprint: strings.payment_fingerprint ?? null,
      signupIp,
      verification,
    },
  };
}

/** `john.smith1984` → `a.a9`: the pattern that bulk sign-up scripts repeat. */
export function emailShape(local: string): string {
  let shape = '';
  let last = '';
  for (const char of local) {
    const kind = /\p{L}/u.test(char) ? 'a' : /\d/.test(char) ? '9' : char;
    if (kind !== last || (kind !== 'a' && kind !== '9')) shape += kind;
    last = kind;
  }
  return shape;
}

function parseVerification(value: unknown): string[] | null {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
  if (Array.isArray(value)) {
    if (!value.every((item) => typeof item === 'string')) return null;
    return value as string[];
  }
  if (typeof value === 'object') {
    const verified: string[] = [];
    for (const [key, flag] of Object.entries(value as Record<string, unknown>)) {
      if (typeof flag !== 'boolean') return null;
      if (flag) verified.push(key);
    }
    return verified;
  }
  return null;
}

