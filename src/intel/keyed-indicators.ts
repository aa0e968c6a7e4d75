import { createHash } from 'node:crypto';
import { keyedHash } from '../util/keyed-hash.js';

/**
 * What leaves in a bundle instead of a raw value: HMAC-SHA256 under the sharing community's key.
 * A member holding the key hashes its own traffic the same way and compares; someone without it
 * cannot test a guess (docs/intel-sharing.md gives the threat model). The kind is part of the
 * hashed text so a subnet's hash never equals an address's or a domain's.
 */
export const INDICATOR_KINDS = ['ip', 'subnet', 'payment', 'email_domain', 'user_agent', 'tls'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

/** Bytes of HMAC kept: 128 bits, far past any chance collision among a community's indicators. */
const HASH_BYTES = 16;
/** A sketch bin only needs equality between two providers' bins; 64 bits keeps chance agreement away. */
const BIN_BYTES = 8;

export interface CommunityKey {
  community: string;
  key: Buffer;
  /** Names the key without revealing it, so a partner knows which of its keys a bundle needs. */
  keyId: string;
}

export function createCommunityKey(community: string, key: Buffer): CommunityKey {
  const keyId = createHash('sha256').update('distillguard community key id\u0000').update(key).digest('hex').slice(0, 16);
  return { community, key, keyId };
}

export function canonicalIndicatorValue(kind: IndicatorKind, value: string): string {
  const trimmed = value.trim();
  return kind === 'ip' || kind === 'subnet' || kind === 'email_domain' ? trimmed.toLowerCase() : trimmed;
}

export function hashIndicator(key: CommunityKey, kind: IndicatorKind, value: string): string {
  return keyedHash(key.key, `${kind}:${canonicalIndicatorValue(kind, value)}`, HASH_BYTES);
}

/** One keyed bin of a template sketch: equal bins still compare equal, the shingle hash behind them cannot be tested without the key. */
export function hashSketchBin(key: CommunityKey, bin: number, value: number): string {
  return keyedHash(key.key, `template_bin:${bin}:${value}`, BIN_BYTES);
}

/** The STIX cyber-observable a kind's pattern is written on, and the custom property holding the hash. */
function patternTarget(kind: IndicatorKind, ipv6: boolean): { type: string; property: string } {
  switch (kind) {
    case 'ip':
      return { type: ipv6 ? 'ipv6-addr' : 'ipv4-addr', property: 'x_distillguard_ip_hmac' };
    case 'subnet':
      return { type: ipv6 ? 'ipv6-addr' : 'ipv4-addr', property: 'x_distillguard_subnet_hmac' };
    case 'payment':
      return { type: 'user-account', property: 'x_distillguard_payment_hmac' };
    case 'email_domain':
      return { type: 'email-addr', property: 'x_distillguard_domain_hmac' };
    case 'user_agent':
      return { type: 'network-traffic', property: 'x_distillguard_user_agent_hmac' };
    case 'tls':
      return { type: 'network-traffic', property: 'x_distillguard_tls_hmac' };
  }
}

/** `[ipv4-addr:x_distillguard_ip_hmac = '…']`: a STIX pattern on the keyed hash. */
export function indicatorPattern(kind: IndicatorKind, value: string, hash: string): string {
  const { type, property } = patternTarget(kind, value.includes(':'));
  return `[${type}:${property} = '${hash}']`;
}

const PATTERN = /^\[(ipv4-addr|ipv6-addr|user-account|email-addr|network-traffic):x_distillguard_(ip|subnet|payment|domain|user_agent|tls)_hmac = '([0-9a-f]{32})'\]$/;
const PROPERTY_KIND: Record<string, IndicatorKind> = { ip: 'ip', subnet: 'subnet', payment: 'payment', domain: 'email_domain', user_agent: 'user_agent', tls: 'tls' };

/** The kind and hash a pattern of ours matches on, or null for any other pattern. */
export function parseIndicatorPattern(pattern: string): { kind: IndicatorKind; hash: string } | null {
  const match = PATTERN.exec(pattern.trim());
  if (match === null) return null;
  return { kind: PROPERTY_KIND[match[2]!]!, hash: match[3]! };
}
