import { describe, expect, it } from 'vitest';
import { buildWorld } from './world-builder.js';
import { PERSONA_NAMES } from './scenario-schema.js';
import { personasOf, smokeScenario, testCorpora } from './test-support/sim-fixtures.js';
import type { AccountSignup, SimAccount, World } from './world-model.js';
import { fullAccountsOf } from './test-support/world-accounts.js';

const scenario = smokeScenario();
const world = buildWorld(scenario, testCorpora(), { scale: 1, seed: 1, accountFiles: true });
const worldAccounts = fullAccountsOf(world);

type Account = SimAccount & AccountSignup;

function accountsOf(w: World, predicate: (group: World['groups'][number]) => boolean): Account[] {
  return (w === world ? worldAccounts : fullAccountsOf(w)).filter((account) => predicate(w.groups[account.group]!));
}

const family = (userAgent: string) => userAgent.replace(/[\d.]+/g, '#');

describe('world builder', () => {
  it.each([1, 0.05])('has every persona and campaign it sets (the smoke scenario leaves out the later groups), with at least min_per_group accounts, at scale %s', (scale) => {
    const w = scale === 1 ? world : buildWorld(scenario, testCorpora(), { scale, seed: 1, accountFiles: true });
    for (const persona of personasOf(scenario)) expect(accountsOf(w, (group) => group.persona === persona).length).toBeGreaterThanOrEqual(scenario.accounts.min_per_group);
    for (const persona of PERSONA_NAMES.filter((name) => !personasOf(scenario).includes(name))) expect(accountsOf(w, (group) => group.persona === persona)).toHaveLength(0);
    for (const kind of new Set(scenario.campaigns.map((campaign) => campaign.kind))) expect(accountsOf(w, (group) => group.persona === kind && group.label === 'attack').length).toBeGreaterThanOrEqual(scenario.accounts.min_per_group);
    expect(w.expectedExchanges).toBeGreaterThan(0);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const again = fullAccountsOf(buildWorld(scenario, testCorpora(), { scale: 1, seed: 1, accountFiles: true }));
    expect(again.map((account) => account.id)).toEqual(worldAccounts.map((account) => account.id));
    expect(again.map((account) => `${account.emailLocal}@${account.emailDomain}`)).toEqual(worldAccounts.map((account) => `${account.emailLocal}@${account.emailDomain}`));
    const other = fullAccountsOf(buildWorld(scenario, testCorpora(), { scale: 1, seed: 2, accountFiles: true }));
    expect(other.map((account) => account.id)).not.toEqual(worldAccounts.map((account) => account.id));
  });

  it('gives every account the same kind of identifiers, with nothing that names its role', () => {
    const forbidden = ['attack', 'benign', 'distill', 'campaign', 'persona', 'harvest', 'stealth', 'hydra', 'proxy', 'pipeline', 'classroom', 'reseller', 'eval', ...world.groups.map((group) => group.key.toLowerCase())];
    for (const account of worldAccounts) {
      expect(account.id).toMatch(/^acct_[a-z2-7]{20}$/);
      expect(account.orgId).toMatch(/^org_[a-z2-7]{20}$/);
      for (const key of account.apiKeys) expect(key).toMatch(/^key_[a-z2-7]{16}$/);
      const visible = `${account.emailLocal}@${account.emailDomain}`.toLowerCase();
      for (const token of forbidden) expect(visible).not.toContain(token);
    }
  });

  it('builds attack tooling from the same client software and TLS stacks that legitimate accounts use', () => {
    const benign = accountsOf(world, (group) => group.label === 'benign');
    const attack = accountsOf(world, (group) => group.label === 'attack');
    const clients = benign.flatMap((account) => (account.altClient === null ? [account.client] : [account.client, account.altClient]));
    const benignFamilies = new Set(clients.map((client) => family(client.userAgent)));
    const benignTls = new Set(clients.map((client) => client.tlsFingerprint));
    for (const account of attack) {
      expect(benignFamilies).toContain(family(account.client.userAgent));
      expect(benignTls).toContain(account.client.tlsFingerprint);
    }
  });

  it('creates bursty campaigns in sign-up bursts and the stealthy one over months, with its own cards', () => {
    const burst = accountsOf(world, (group) => group.persona === 'cot_extraction').map((account) => account.createdAtMs).sort((a, b) => a - b);
    const gaps = burst.slice(1).map((t, i) => t - burst[i]!);
    expect(gaps.filter((gap) => gap < 2 * 3_600_000).length).toBeGreaterThan(gaps.length / 2);
    const stealth = accountsOf(world, (group) => group.persona === 'stealth');
    const spanDays = (Math.max(...stealth.map((a) => a.createdAtMs)) - Math.min(...stealth.map((a) => a.createdAtMs))) / 86_400_000;
    expect(spanDays).toBeGreaterThan(20);
    const cards = stealth.map((account) => account.paymentFingerprint).filter((card) => card !== null);
    expect(new Set(cards).size).toBe(cards.length);
    expect(stealth.every((account) => account.network.kind === 'own')).toBe(true);
  });

  it('makes the hard negatives share traits with attacks: campus sign-up bursts, shared org cards, proxy-like pools', () => {
    const students = accountsOf(world, (group) => group.persona === 'classroom');
    expect(students.every((account) => account.tier === 'education' && account.verification.includes('edu_email'))).toBe(true);
    const signupIps = new Map<string, number>();
    for (const student of students) signupIps.set(student.signupIp, (signupIps.get(student.signupIp) ?? 0) + 1);
    expect(Math.max(...signupIps.values())).toBeGreaterThan(3);
    const developerCards = new Map<string, number>();
    for (const account of accountsOf(world, (group) => group.persona === 'developer')) {
      if (account.paymentFingerprint !== null) developerCards.set(account.paymentFingerprint, (developerCards.get(account.paymentFingerprint) ?? 0) + 1);
    }
    expect(Math.max(...developerCards.values())).toBeGreaterThan(1);
    const resellers = accountsOf(world, (group) => group.persona === 'reseller');
    for (const reseller of resellers) {
      expect(reseller.network.kind).toBe('pool');
      if (reseller.network.kind === 'pool') expect(world.pools.sizeOf(reseller.network.pool)).toBeGreaterThan(3);
    }
  });

  it('uses the forced API for every account when one is given', () => {
    const forced = buildWorld(scenario, testCorpora(), { scale: 0.05, seed: 1, forcedApi: 'openai.responses' });
    const accounts = Array.from({ length: forced.accounts.length }, (_, index) => forced.accounts.get(index));
    expect(accounts.every((account) => account.api === 'openai.responses')).toBe(true);
    expect(accounts.some((account) => account.client.userAgent.startsWith('Anthropic/'))).toBe(false);
  });
});
