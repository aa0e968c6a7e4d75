import { describe, expect, it } from 'vitest';
import { parseIp } from './ip-address.js';

describe('parseIp', () => {
  it('reads IPv4 with its /24', () => {
    expect(parseIp('203.0.113.7')).toEqual({ address: '203.0.113.7', version: 4, subnet: '203.0.113.0/24' });
  });

  it('reads IPv6 in lower case with its /48', () => {
    expect(parseIp('2001:DB8:85A3::8A2E:370:7334')).toEqual({ address: '2001:db8:85a3::8a2e:370:7334', version: 6, subnet: '2001:db8:85a3::/48' });
    expect(parseIp('2001:db8::1')?.subnet).toBe('2001:db8:0::/48');
  });

  it('turns IPv4-mapped IPv6 into IPv4 so one client has one address', () => {
    expect(parseIp('::ffff:198.51.100.4')).toEqual({ address: '198.51.100.4', version: 4, subnet: '198.51.100.0/24' });
  });

  it('drops an IPv6 zone id', () => {
    expect(parseIp('fe80::1%eth0')?.address).toBe('fe80::1');
  });

  it.each(['256.1.1.1', '10.0.0', 'localhost', '', '2001:db8:::1', '1.2.3.4/24'])('rejects %j', (text) => {
    expect(parseIp(text)).toBeNull();
  });
});
