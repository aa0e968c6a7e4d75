import { createHmac } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';

export interface CallerIdentity {
  /** The account: the edge's header, or `key-` and a keyed hash of the API key; null when neither is there. */
  accountId: string | null;
  /** The keyed hash of the API key, when the caller sent one. */
  apiKeyId: string | null;
  clientIp: string | null;
  userAgent: string | null;
  tlsFingerprint: string | null;
}

export interface CallerIdentityOptions {
  accountHeader: string | null;
  trustedProxies: readonly string[];
  ja4Header: string | null;
  /** The store's secret: the same key hashes to the same account across restarts, and the key is never kept. */
  hashKey: Buffer;
}

/**
 * Who is calling. The account comes from a header only when the operator names one (the edge
 * authenticated the caller and set it); otherwise from the API key the caller sent (`x-api-key`
 * for Anthropic, `Authorization: Bearer` for OpenAI) through an HMAC with the store's secret, so
 * the raw key is neither stored nor recoverable from the store. `X-Forwarded-For` is read only
 * when the connection comes from a trusted proxy, and then from the right: the first address
 * that is not itself a trusted proxy is the client.
 */
export function createCallerIdentifier(options: CallerIdentityOptions): (headers: IncomingHttpHeaders, remoteAddress: string | undefined) => CallerIdentity {
  const trusted = new BlockList();
  for (const entry of options.trustedProxies) {
    const [address = '', prefix] = entry.split('/');
    const version = isIP(address);
    if (version === 0) throw new Error(`--trusted-proxies: ${entry} is not an address or CIDR block`);
    trusted.addSubnet(address, prefix === undefined ? (version === 4 ? 32 : 128) : Number(prefix), version === 4 ? 'ipv4' : 'ipv6');
  }
  const isTrusted = (address: string): boolean => {
    const plain = unmapped(address);
    const version = isIP(plain);
    return version !== 0 && trusted.check(plain, version === 4 ? 'ipv4' : 'ipv6');
  };
  const accountHeader = options.accountHeader?.toLowerCase() ?? null;
  const ja4Header = options.ja4Header?.toLowerCase() ?? null;
  return (headers, remoteAddress) => {
    const key = apiKeyOf(headers);
    const apiKeyId = key === null ? null : createHmac('sha256', options.hashKey).update(key).digest('hex').slice(0, 32);
    const fromHeader = accountHeader === null ? null : single(headers[accountHeader]);
    const accountId = fromHeader !== null && fromHeader !== '' ? fromHeader : apiKeyId === null ? null : `key-${apiKeyId}`;
    let clientIp = remoteAddress === undefined ? null : unmapped(remoteAddress);
    if (clientIp !== null && options.trustedProxies.length > 0 && isTrusted(clientIp)) {
      const chain = (single(headers['x-forwarded-for']) ?? '').split(',').map((part) => part.trim()).filter((part) => part !== '');
      for (let i = chain.length - 1; i >= 0; i--) {
        const hop = unmapped(chain[i]!);
        if (isIP(hop) === 0) break;
        clientIp = hop;
        if (!isTrusted(hop)) break;
      }
    }
    return {
      accountId,
      apiKeyId,
      clientIp,
      userAgent: single(headers['user-agent']),
      tlsFingerprint: ja4Header === null ? null : single(headers[ja4Header]),
    };
  };
}

function apiKeyOf(headers: IncomingHttpHeaders): string | null {
  const anthropic = single(headers['x-api-key']);
  if (anthropic !== null && anthropic !== '') return anthropic;
  const authorization = single(headers.authorization);
  const match = authorization === null ? null : /^Bearer\s+(\S+)$/i.exec(authorization);
  return match?.[1] ?? null;
}

function single(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
