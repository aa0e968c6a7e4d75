import { isIP } from 'node:net';

export interface ParsedIp {
  /** Canonical text: IPv4 dotted quad, IPv6 lower case; IPv4-mapped IPv6 becomes IPv4. */
  address: string;
  version: 4 | 6;
  /** The /24 (IPv4) or /48 (IPv6) network, the unit that proxy pools and campuses share. */
  subnet: string;
}

/** Parses an IPv4 or IPv6 address, or returns null when it is neither. */
export function parseIp(text: string): ParsedIp | null {
  let address = text.trim();
  const zone = address.indexOf('%');
  if (zone !== -1) address = address.slice(0, zone);
  const version = isIP(address);
  if (version === 4) return { address, version: 4, subnet: ipv4Subnet(address) };
  if (version !== 6) return null;
  address = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped !== null) return { address: mapped[1]!, version: 4, subnet: ipv4Subnet(mapped[1]!) };
  return { address, version: 6, subnet: ipv6Subnet(address) };
}

function ipv4Subnet(address: string): string {
  return address.slice(0, address.lastIndexOf('.')) + '.0/24';
}

function ipv6Subnet(address: string): string {
  const groups = expandIpv6(address);
  return `${groups.slice(0, 3).join(':')}::/48`;
}

function expandIpv6(address: string): string[] {
  // Embedded IPv4 tails (::1.2.3.4) only affect the low groups, which a /48 ignores.
  const [head = '', tail] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = Math.max(0, 8 - headGroups.length - tailGroups.length);
  const groups = [...headGroups, ...new Array<string>(missing).fill('0'), ...tailGroups];
  return groups.map((group) => (group.includes('.') ? group : group.replace(/^0+(?=.)/, '')));
}
