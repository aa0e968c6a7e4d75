import type { Rng } from './seeded-rng.js';
import { createWeightedTable, type WeightedTable } from './seeded-rng.js';

/**
 * Where traffic comes from: autonomous systems with the kind of network they are, their
 * country and address blocks shaped like their real allocations. Addresses are drawn inside
 * those blocks, so a /24 or an ASN groups the same way it would in real logs (a campus NAT, a
 * cloud region, a proxy provider's exits), without claiming to be any real subscriber.
 */
export type NetworkKind = 'residential' | 'mobile' | 'business' | 'datacenter' | 'university' | 'vpn';

export interface AutonomousSystem {
  asn: number;
  kind: NetworkKind;
  country: string;
  v4: readonly string[];
  /** An IPv6 allocation (`2601::/20` style, written as its leading groups); null when unused. */
  v6: string | null;
}

export interface Endpoint {
  ip: string;
  asn: number;
  country: string;
}

export interface CountryInfo {
  code: string;
  /** Share of API users (benign accounts) from the country. */
  userWeight: number;
  /** Share of residential-proxy exits in the country. */
  proxyWeight: number;
  /** UTC offsets (hours) of the populated time zones, used for diurnal rhythm. */
  utcOffsets: readonly number[];
  freeMailDomains: readonly string[];
}

const COUNTRIES: readonly CountryInfo[] = [
  { code: 'US', userWeight: 30, proxyWeight: 42, utcOffsets: [-5, -5, -6, -7, -8, -8], freeMailDomains: ['gmail.com', 'gmail.com', 'gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'hotmail.com', 'proton.me', 'aol.com'] },
  { code: 'IN', userWeight: 9, proxyWeight: 4, utcOffsets: [5.5], freeMailDomains: ['gmail.com', 'gmail.com', 'gmail.com', 'outlook.com', 'yahoo.co.in', 'rediffmail.com'] },
  { code: 'GB', userWeight: 6, proxyWeight: 6, utcOffsets: [0], freeMailDomains: ['gmail.com', 'gmail.com', 'outlook.com', 'hotmail.co.uk', 'yahoo.co.uk', 'icloud.com', 'btinternet.com'] },
  { code: 'DE', userWeight: 5, proxyWeight: 5, utcOffsets: [1], freeMailDomains: ['gmail.com', 'gmx.de', 'web.de', 't-online.de', 'outlook.de', 'posteo.de'] },
  { code: 'FR', userWeight: 4, proxyWeight: 3, utcOffsets: [1], freeMailDomains: ['gmail.com', 'gmail.com', 'orange.fr', 'free.fr', 'outlook.fr', 'laposte.net'] },
  { code: 'BR', userWeight: 4, proxyWeight: 4, utcOffsets: [-3], freeMailDomains: ['gmail.com', 'gmail.com', 'hotmail.com', 'outlook.com', 'yahoo.com.br', 'uol.com.br'] },
  { code: 'JP', userWeight: 4, proxyWeight: 3, utcOffsets: [9], freeMailDomains: ['gmail.com', 'yahoo.co.jp', 'icloud.com', 'outlook.jp', 'docomo.ne.jp'] },
  { code: 'CA', userWeight: 4, proxyWeight: 5, utcOffsets: [-5, -5, -8, -7], freeMailDomains: ['gmail.com', 'gmail.com', 'outlook.com', 'hotmail.ca', 'yahoo.ca', 'icloud.com'] },
  { code: 'KR', userWeight: 3, proxyWeight: 2, utcOffsets: [9], freeMailDomains: ['gmail.com', 'naver.com', 'naver.com', 'daum.net', 'kakao.com'] },
  { code: 'AU', userWeight: 2.5, proxyWeight: 3, utcOffsets: [10, 10, 8], freeMailDomains: ['gmail.com', 'gmail.com', 'outlook.com', 'bigpond.com', 'icloud.com'] },
  { code: 'ES', userWeight: 2, proxyWeight: 2, utcOffsets: [1], freeMailDomains: ['gmail.com', 'gmail.com', 'hotmail.es', 'outlook.es', 'yahoo.es'] },
  { code: 'IT', userWeight: 2, proxyWeight: 2, utcOffsets: [1], freeMailDomains: ['gmail.com', 'gmail.com', 'libero.it', 'hotmail.it', 'virgilio.it'] },
  { code: 'NL', userWeight: 2, proxyWeight: 3, utcOffsets: [1], freeMailDomains: ['gmail.com', 'gmail.com', 'outlook.com', 'ziggo.nl', 'kpnmail.nl'] },
  { code: 'SG', userWeight: 1.5, proxyWeight: 3, utcOffsets: [8], freeMailDomains: ['gmail.com', 'gmail.com', 'outlook.com', 'yahoo.com.sg', 'icloud.com'] },
  { code: 'MX', userWeight: 1.5, proxyWeight: 2, utcOffsets: [-6], freeMailDomains: ['gmail.com', 'gmail.com', 'hotmail.com', 'outlook.com', 'yahoo.com.mx'] },
  { code: 'ID', userWeight: 1.5, proxyWeight: 2, utcOffsets: [7], freeMailDomains: ['gmail.com', 'gmail.com', 'yahoo.co.id', 'outlook.com'] },
  { code: 'PL', userWeight: 1.2, proxyWeight: 1.5, utcOffsets: [1], freeMailDomains: ['gmail.com', 'wp.pl', 'o2.pl', 'onet.pl', 'interia.pl'] },
  { code: 'SE', userWeight: 1, proxyWeight: 1, utcOffsets: [1], freeMailDomains: ['gmail.com', 'gmail.com', 'hotmail.se', 'outlook.com', 'telia.com'] },
  { code: 'TR', userWeight: 1, proxyWeight: 1.5, utcOffsets: [3], freeMailDomains: ['gmail.com', 'gmail.com', 'hotmail.com', 'yandex.com', 'outlook.com'] },
  { code: 'VN', userWeight: 1, proxyWeight: 2, utcOffsets: [7], freeMailDomains: ['gmail.com', 'gmail.com', 'yahoo.com', 'outlook.com'] },
  { code: 'PH', userWeight: 1, proxyWeight: 1.5, utcOffsets: [8], freeMailDomains: ['gmail.com', 'gmail.com', 'yahoo.com', 'outlook.com'] },
  { code: 'TW', userWeight: 1, proxyWeight: 1.5, utcOffsets: [8], freeMailDomains: ['gmail.com', 'gmail.com', 'yahoo.com.tw', 'outlook.com'] },
  { code: 'HK', userWeight: 0.4, proxyWeight: 2, utcOffsets: [8], freeMailDomains: ['gmail.com', 'gmail.com', 'yahoo.com.hk', 'outlook.com', 'netvigator.com'] },
  { code: 'NG', userWeight: 0.8, proxyWeight: 0.5, utcOffsets: [1], freeMailDomains: ['gmail.com', 'gmail.com', 'yahoo.com', 'outlook.com'] },
  { code: 'ZA', userWeight: 0.7, proxyWeight: 0.5, utcOffsets: [2], freeMailDomains: ['gmail.com', 'gmail.com', 'outlook.com', 'webmail.co.za'] },
  { code: 'AR', userWeight: 0.8, proxyWeight: 1, utcOffsets: [-3], freeMailDomains: ['gmail.com', 'gmail.com', 'hotmail.com', 'yahoo.com.ar'] },
];

const COUNTRY_BY_CODE = new Map(COUNTRIES.map((country) => [country.code, country]));

export function countryInfo(code: string): CountryInfo {
  return COUNTRY_BY_CODE.get(code) ?? COUNTRY_BY_CODE.get('US')!;
}

export function knownCountries(): readonly string[] {
  return COUNTRIES.map((country) => country.code);
}

function as(asn: number, kind: NetworkKind, country: string, v4: string[], v6: string | null = null): AutonomousSystem {
  return { asn, kind, country, v4, v6 };
}

const SYSTEMS: readonly AutonomousSystem[] = [
  // Residential and mobile access networks.
  as(7922, 'residential', 'US', ['73.0.0.0/8', '24.0.0.0/12', '98.192.0.0/10', '67.160.0.0/11'], '2601'),
  as(7018, 'residential', 'US', ['99.0.0.0/10', '107.192.0.0/10', '104.0.0.0/12'], '2600:1700'),
  as(701, 'residential', 'US', ['71.96.0.0/11', '108.0.0.0/14', '96.224.0.0/11'], '2600:4040'),
  as(20115, 'residential', 'US', ['75.128.0.0/12', '97.64.0.0/12', '66.168.0.0/14'], '2603:6000'),
  as(22773, 'residential', 'US', ['68.0.0.0/12', '70.160.0.0/11'], '2600:8800'),
  as(21928, 'mobile', 'US', ['172.56.0.0/14', '172.32.0.0/13'], '2607:fb90'),
  as(55836, 'mobile', 'IN', ['49.32.0.0/12', '157.32.0.0/12'], '2409:4000'),
  as(24560, 'residential', 'IN', ['122.160.0.0/12', '182.64.0.0/12'], '2401:4900'),
  as(9829, 'residential', 'IN', ['117.192.0.0/11', '59.88.0.0/13']),
  as(24309, 'residential', 'IN', ['106.51.0.0/16', '49.207.0.0/16']),
  as(2856, 'residential', 'GB', ['86.128.0.0/11', '81.128.0.0/12', '109.144.0.0/13'], '2a00:23c0'),
  as(5089, 'residential', 'GB', ['82.0.0.0/14', '86.0.0.0/13'], '2a02:c7c'),
  as(5607, 'residential', 'GB', ['90.192.0.0/11', '2.96.0.0/13'], '2a02:c78'),
  as(3320, 'residential', 'DE', ['79.192.0.0/10', '91.0.0.0/10', '87.128.0.0/10'], '2003'),
  as(3209, 'residential', 'DE', ['88.64.0.0/12', '94.216.0.0/13'], '2a02:8100'),
  as(6805, 'mobile', 'DE', ['95.112.0.0/12', '89.244.0.0/14']),
  as(3215, 'residential', 'FR', ['90.0.0.0/9', '86.192.0.0/10'], '2a01:cb00'),
  as(12322, 'residential', 'FR', ['82.64.0.0/10', '88.160.0.0/11'], '2a01:e0a'),
  as(28573, 'residential', 'BR', ['177.0.0.0/12', '189.0.0.0/11']),
  as(18881, 'residential', 'BR', ['187.0.0.0/11', '177.128.0.0/11'], '2804:14c'),
  as(4713, 'residential', 'JP', ['153.128.0.0/9', '114.144.0.0/12'], '240b:10'),
  as(2516, 'residential', 'JP', ['106.128.0.0/10', '111.96.0.0/11'], '2001:268'),
  as(17676, 'residential', 'JP', ['126.0.0.0/8'], '240b:250'),
  as(812, 'residential', 'CA', ['99.224.0.0/11', '174.112.0.0/12'], '2607:fea8'),
  as(577, 'residential', 'CA', ['70.24.0.0/13', '184.144.0.0/12']),
  as(4766, 'residential', 'KR', ['175.192.0.0/10', '211.200.0.0/13']),
  as(9318, 'residential', 'KR', ['1.224.0.0/11', '118.32.0.0/11']),
  as(1221, 'residential', 'AU', ['101.160.0.0/11', '120.144.0.0/12'], '2001:8003'),
  as(4804, 'residential', 'AU', ['49.176.0.0/12']),
  as(3352, 'residential', 'ES', ['83.32.0.0/11', '88.0.0.0/11']),
  as(3269, 'residential', 'IT', ['79.0.0.0/10', '93.32.0.0/11']),
  as(1136, 'residential', 'NL', ['77.160.0.0/11', '145.128.0.0/11']),
  as(33915, 'residential', 'NL', ['84.80.0.0/12', '62.194.0.0/15'], '2001:1c00'),
  as(9506, 'residential', 'SG', ['116.86.0.0/15', '118.200.0.0/13']),
  as(8151, 'residential', 'MX', ['187.128.0.0/10', '189.128.0.0/10']),
  as(7713, 'residential', 'ID', ['36.64.0.0/11', '180.240.0.0/13']),
  as(5617, 'residential', 'PL', ['83.0.0.0/11', '79.184.0.0/13']),
  as(3301, 'residential', 'SE', ['78.64.0.0/12', '90.224.0.0/11']),
  as(9121, 'residential', 'TR', ['78.160.0.0/11', '88.224.0.0/11']),
  as(7552, 'residential', 'VN', ['113.160.0.0/11', '171.224.0.0/11']),
  as(9299, 'residential', 'PH', ['49.144.0.0/13', '112.198.0.0/15']),
  as(3462, 'residential', 'TW', ['36.224.0.0/11', '114.32.0.0/12']),
  as(9269, 'residential', 'HK', ['61.244.0.0/14', '118.140.0.0/14']),
  as(29465, 'mobile', 'NG', ['102.88.0.0/13', '197.210.0.0/15']),
  as(37457, 'residential', 'ZA', ['105.224.0.0/11', '41.144.0.0/12']),
  as(7303, 'residential', 'AR', ['181.0.0.0/12', '186.0.0.0/11']),
  // Business access (offices).
  as(3356, 'business', 'US', ['4.0.0.0/9', '8.0.0.0/11']),
  as(174, 'business', 'US', ['38.0.0.0/8']),
  as(6461, 'business', 'US', ['64.124.0.0/15', '208.184.0.0/15']),
  as(8220, 'business', 'GB', ['212.74.64.0/18', '62.96.0.0/16']),
  as(8220, 'business', 'DE', ['62.96.0.0/16', '212.74.0.0/18']),
  as(2914, 'business', 'JP', ['61.112.0.0/12', '210.128.0.0/11']),
  as(3257, 'business', 'FR', ['77.67.0.0/17', '213.200.64.0/18']),
  // Clouds and hosting.
  as(16509, 'datacenter', 'US', ['3.0.0.0/9', '18.128.0.0/9', '52.0.0.0/10', '54.64.0.0/11']),
  as(16509, 'datacenter', 'IE', ['34.240.0.0/13', '52.208.0.0/13', '54.72.0.0/15']),
  as(16509, 'datacenter', 'DE', ['3.64.0.0/12', '18.184.0.0/15', '52.28.0.0/16']),
  as(16509, 'datacenter', 'SG', ['13.212.0.0/15', '18.136.0.0/16', '52.74.0.0/16']),
  as(16509, 'datacenter', 'JP', ['13.112.0.0/14', '18.176.0.0/13', '54.64.0.0/15']),
  as(396982, 'datacenter', 'US', ['34.64.0.0/10', '35.184.0.0/13']),
  as(396982, 'datacenter', 'NL', ['34.90.0.0/15', '35.204.0.0/16']),
  as(8075, 'datacenter', 'US', ['20.0.0.0/11', '40.64.0.0/10']),
  as(8075, 'datacenter', 'NL', ['20.50.0.0/16', '40.114.0.0/16']),
  as(14061, 'datacenter', 'US', ['104.131.0.0/16', '159.89.0.0/16', '167.99.0.0/16', '138.68.0.0/16', '165.227.0.0/16']),
  as(14061, 'datacenter', 'DE', ['46.101.0.0/16', '164.90.160.0/19']),
  as(24940, 'datacenter', 'DE', ['65.21.0.0/16', '88.198.0.0/16', '116.202.0.0/16', '135.181.0.0/16', '95.216.0.0/16']),
  as(16276, 'datacenter', 'FR', ['51.68.0.0/16', '51.75.0.0/16', '54.36.0.0/16', '145.239.0.0/16', '137.74.0.0/16']),
  as(16276, 'datacenter', 'CA', ['51.222.0.0/16', '144.217.0.0/16']),
  as(63949, 'datacenter', 'US', ['45.33.0.0/17', '172.104.0.0/15', '139.144.0.0/16']),
  as(20473, 'datacenter', 'US', ['45.76.0.0/15', '149.28.0.0/16', '207.148.0.0/17']),
  as(20473, 'datacenter', 'JP', ['45.32.0.0/16', '108.61.160.0/19']),
  as(31898, 'datacenter', 'US', ['129.146.0.0/16', '150.136.0.0/16']),
  as(51167, 'datacenter', 'DE', ['161.97.0.0/16', '5.189.128.0/17', '173.212.192.0/18']),
  as(60781, 'datacenter', 'NL', ['5.79.64.0/18', '37.48.64.0/18', '212.32.224.0/19']),
  as(45102, 'datacenter', 'SG', ['47.74.0.0/15', '8.219.0.0/16']),
  as(132203, 'datacenter', 'HK', ['43.128.0.0/12', '119.28.0.0/15']),
  // Consumer VPN and proxy hosting.
  as(9009, 'vpn', 'GB', ['146.70.0.0/16', '89.238.128.0/18']),
  as(9009, 'vpn', 'US', ['146.70.96.0/19', '37.120.128.0/17']),
  as(60068, 'vpn', 'DE', ['89.187.160.0/19', '143.244.32.0/19']),
  as(60068, 'vpn', 'US', ['185.59.220.0/22', '156.146.32.0/19']),
  as(13335, 'vpn', 'US', ['104.28.0.0/16'], '2a09:bac0'),
  // Universities and research networks.
  as(3, 'university', 'US', ['18.0.0.0/11']),
  as(32, 'university', 'US', ['171.64.0.0/14']),
  as(25, 'university', 'US', ['128.32.0.0/16', '136.152.0.0/16']),
  as(36375, 'university', 'US', ['141.211.0.0/16', '141.212.0.0/16']),
  as(2637, 'university', 'US', ['128.61.0.0/16', '130.207.0.0/16']),
  as(786, 'university', 'GB', ['128.232.0.0/16', '129.67.0.0/16', '128.40.0.0/16'], '2001:630'),
  as(680, 'university', 'DE', ['129.187.0.0/16', '141.84.0.0/16'], '2001:638'),
  as(559, 'university', 'CH', ['129.132.0.0/16', '192.33.96.0/19'], '2001:620'),
  as(2907, 'university', 'JP', ['133.11.0.0/16', '130.54.0.0/16']),
  as(55824, 'university', 'IN', ['14.139.0.0/16']),
  as(7575, 'university', 'AU', ['128.250.0.0/16', '129.78.0.0/16']),
  as(1916, 'university', 'BR', ['143.107.0.0/16', '200.144.0.0/14']),
  as(17579, 'university', 'KR', ['143.248.0.0/16']),
  as(239, 'university', 'CA', ['128.100.0.0/16', '142.150.0.0/16']),
  as(7472, 'university', 'SG', ['137.132.0.0/16']),
  as(2200, 'university', 'FR', ['129.199.0.0/16', '134.157.0.0/16']),
];

interface ParsedBlock {
  base: number;
  size: number;
}

interface PreparedSystem extends AutonomousSystem {
  blocks: ParsedBlock[];
}

const PREPARED: readonly PreparedSystem[] = SYSTEMS.map((system) => ({ ...system, blocks: system.v4.map(parseCidr) }));

function parseCidr(cidr: string): ParsedBlock {
  const [address, bits] = cidr.split('/') as [string, string];
  const octets = address.split('.').map(Number);
  const base = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  return { base, size: 2 ** (32 - Number(bits)) };
}

export function formatIpv4(value: number): string {
  // join gives a flat string; a template literal would keep a rope alive per address.
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** The address as a 32-bit number when `formatIpv4` gives it back unchanged; null otherwise (IPv6). */
export function packIpv4(ip: string): number | null {
  const octets = ip.split('.');
  if (octets.length !== 4) return null;
  let value = 0;
  for (const octet of octets) {
    const byte = Number(octet);
    if (!/^\d{1,3}$/.test(octet) || byte > 255) return null;
    value = value * 256 + byte;
  }
  return formatIpv4(value) === ip ? value : null;
}

export function systemsOf(kind: NetworkKind, country?: string): readonly PreparedSystem[] {
  return PREPARED.filter((system) => system.kind === kind && (country === undefined || system.country === country));
}

/** A host address inside the system's blocks; never a .0 or .255 host. */
export function addressIn(system: AutonomousSystem, rng: Rng, v6 = false): Endpoint {
  const prepared = system as PreparedSystem;
  if (v6 && system.v6 !== null) {
    const groups = system.v6.split(':').length;
    let ip = system.v6;
    for (let i = groups; i < 4; i++) ip += ':' + rng.int(0x10000).toString(16);
    // Residential IPv6: a /64 per home and a privacy-extension interface id.
    ip += `:${rng.int(0x10000).toString(16)}:${rng.int(0x10000).toString(16)}:${rng.int(0x10000).toString(16)}:${(rng.int(0xffff) + 1).toString(16)}`;
    return { ip, asn: system.asn, country: system.country };
  }
  const blocks = prepared.blocks ?? system.v4.map(parseCidr);
  const block = rng.pick(blocks);
  let value = (block.base + rng.int(block.size)) >>> 0;
  const last = value & 255;
  if (last === 0 || last === 255) value = (value & ~255) | (1 + rng.int(254));
  return { ip: formatIpv4(value >>> 0), asn: system.asn, country: system.country };
}

/** An address in the same /24 as `endpoint` (a second host of one NAT pool or server rack). */
export function neighbourOf(endpoint: Endpoint, rng: Rng): Endpoint {
  if (endpoint.ip.includes(':')) return endpoint;
  const prefix = endpoint.ip.slice(0, endpoint.ip.lastIndexOf('.'));
  return { ip: [prefix, 1 + rng.int(254)].join('.'), asn: endpoint.asn, country: endpoint.country };
}

function countryTable(weightOf: (country: CountryInfo) => number, override?: Record<string, number>): WeightedTable<string> {
  if (override) return createWeightedTable(Object.entries(override));
  return createWeightedTable(COUNTRIES.map((country) => [country.code, weightOf(country)] as const));
}

export function userCountryTable(override?: Record<string, number>): WeightedTable<string> {
  return countryTable((country) => country.userWeight, override);
}

export function proxyCountryTable(override?: Record<string, number>): WeightedTable<string> {
  return countryTable((country) => country.proxyWeight, override);
}

/** A home (or mobile) connection in the country; falls back to the US when none is listed. */
export function homeEndpoint(country: string, rng: Rng, v6Share: number, mobileShare = 0.12): Endpoint {
  const mobile = systemsOf('mobile', country);
  const residential = systemsOf('residential', country);
  let pool = rng.chance(mobileShare) && mobile.length > 0 ? mobile : residential.length > 0 ? residential : mobile;
  if (pool.length === 0) pool = systemsOf('residential', 'US');
  const system = rng.pick(pool);
  return addressIn(system, rng, rng.chance(v6Share));
}

export function endpointOfKind(kind: NetworkKind, rng: Rng, country?: string): Endpoint {
  let pool = systemsOf(kind, country);
  if (pool.length === 0) pool = systemsOf(kind);
  return addressIn(rng.pick(pool), rng);
}

export function utcOffsetFor(country: string, rng: Rng): number {
  return rng.pick(countryInfo(country).utcOffsets);
}
