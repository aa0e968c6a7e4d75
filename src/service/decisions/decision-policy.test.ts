import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ipListed, parsePolicy } from './decision-policy.js';

describe('parsePolicy', () => {
  it('reads the example policy shipped in config/', () => {
    const policy = parsePolicy(readFileSync(new URL('../../../config/policy.example.yaml', import.meta.url), 'utf8'), 'policy.example.yaml');
    expect(policy.bands.map((band) => band.action)).toEqual(['block']);
    expect(policy.document.rules.map((rule) => rule.action)).toEqual(['step_up', 'throttle', 'step_up']);
    expect(policy.document.verdicts).toEqual({ confirmed: 'block', dismissed: 'allow' });
  });

  it('names the field of the first problem', () => {
    expect(() => parsePolicy('version: 1\nbands: [{ min_score: 0.5, action: ban }]', 'p.yaml')).toThrow(/p\.yaml: bands\.0\.action/);
    expect(() => parsePolicy('version: 1\ndeny: { ips: [not-an-ip] }')).toThrow(/deny\.ips\.0: expected an IP address or CIDR/);
    expect(() => parsePolicy('version: 1\nrules: [{ name: r, action: block }]')).toThrow(/at least one condition: signal, min_score, flagged or in_flagged_cluster/);
    expect(() => parsePolicy('version: 1\nallow: { accounts: [a] }\ndeny: { accounts: [a] }')).toThrow(/both the allow- and the deny-list: a/);
    expect(() => parsePolicy('version: 1\nbandz: []')).toThrow(/Unrecognized key/);
    expect(() => parsePolicy('version: [')).toThrow(/not valid YAML/);
  });

  it('matches IPv4 and IPv6 addresses and blocks, IPv4-mapped IPv6 as IPv4', () => {
    const policy = parsePolicy('version: 1\ndeny: { ips: ["203.0.113.0/24", "2001:db8::/32", "192.0.2.1"] }');
    expect(ipListed(policy.denyIps, '203.0.113.9')).toBe(true);
    expect(ipListed(policy.denyIps, '::ffff:203.0.113.9')).toBe(true);
    expect(ipListed(policy.denyIps, '203.0.114.9')).toBe(false);
    expect(ipListed(policy.denyIps, '2001:db8:1::5')).toBe(true);
    expect(ipListed(policy.denyIps, '192.0.2.1')).toBe(true);
    expect(ipListed(policy.denyIps, '192.0.2.2')).toBe(false);
    expect(ipListed(policy.denyIps, 'garbage')).toBe(false);
  });
});
