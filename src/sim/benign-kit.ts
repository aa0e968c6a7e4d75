import type { AccountTier } from '../model/account.js';
import type { ApiKind } from '../model/exchange.js';
import { addressIn, countryInfo, endpointOfKind, homeEndpoint, neighbourOf, systemsOf, userCountryTable, type Endpoint } from './network-catalog.js';
import { cheapDomain, companyDomain, companyName, personName, personalLocalPart, vanityDomain, type University } from './identity-bank.js';
import { addPool, cardFingerprint, orgId, sharedPool, type PopulationContext } from './population-kit.js';
import { createRng, deriveSeed, seedOfText, weightedFromRecord, type Rng } from './seeded-rng.js';
import type { Habits } from './world-model.js';
import { providerNamed, providerPool } from './exit-pools.js';

/*
 * Helpers the legitimate personas share: their random streams, home connections, campus and
 * cloud pools, companies, e-mails and request habits.
 */

export function groupRng(context: PopulationContext, key: string): Rng {
  return createRng(deriveSeed(context.seed, seedOfText(`group:${key}`)));
}

export function homeEndpoints(context: PopulationContext, country: string, rng: Rng): Endpoint[] {
  const v6 = context.scenario.traffic.ipv6_share;
  const home = homeEndpoint(country, rng, v6, 0.1);
  const out = [home];
  if (rng.chance(0.45)) out.push(homeEndpoint(country, rng, v6, 0.9));
  if (rng.chance(0.25)) out.push(homeEndpoint(country, rng, v6, 0));
  return out;
}

export function vpnPool(context: PopulationContext): number {
  const provider = context.scenario.personas.chat_user.vpn_provider;
  if (provider !== null) return providerPool(context, providerNamed(context, provider));
  return sharedPool(context, 'consumer-vpn', () => {
    const rng = groupRng(context, 'consumer-vpn');
    const endpoints: Endpoint[] = [];
    const count = Math.max(24, Math.round(180 * Math.sqrt(context.scale)));
    for (let i = 0; i < count; i++) endpoints.push(endpointOfKind('vpn', rng));
    return endpoints;
  });
}

export function universityPool(context: PopulationContext, university: University): number {
  return sharedPool(context, `campus:${university.domain}`, () => {
    const rng = groupRng(context, `campus:${university.domain}`);
    const system = systemsOf('university').find((candidate) => candidate.asn === university.asn && candidate.country === university.country) ?? systemsOf('university')[0]!;
    const first = addressIn(system, rng);
    const endpoints = [first];
    const extra = rng.range(1, 3);
    for (let i = 0; i < extra; i++) endpoints.push(neighbourOf(first, rng));
    return endpoints;
  });
}

export function cloudEgress(rng: Rng, count: number, country?: string): Endpoint[] {
  const first = endpointOfKind('datacenter', rng, country);
  const out = [first];
  for (let i = 1; i < count; i++) out.push(rng.chance(0.7) ? neighbourOf(first, rng) : endpointOfKind('datacenter', rng, first.country));
  return out;
}

export function maxTokensHabit(api: ApiKind, rng: Rng, choices: number[] = [1024, 2048, 4096, 8192]): number | null {
  // The Anthropic API requires max_tokens; OpenAI clients usually leave it out.
  if (api !== 'anthropic.messages' && rng.chance(0.6)) return null;
  return rng.pick(choices);
}

export function temperatureHabit(rng: Rng): number | null {
  return rng.pick([null, null, 0.7, 1, 0.2, 0.5]);
}

export function tierTable(record: Partial<Record<AccountTier, number>>) {
  return weightedFromRecord(record);
}

export function personalEmail(rng: Rng, country: string): { local: string; domain: string } {
  const { first, last } = personName(rng);
  const local = personalLocalPart(rng, first, last);
  if (rng.chance(0.06)) return { local: first, domain: vanityDomain(last, rng) };
  // Small mail providers and odd registrations exist among real users too, so a cheap-looking
  // domain is evidence only when many sign-ups share it.
  if (rng.chance(0.01)) return { local, domain: cheapDomain(rng) };
  return { local, domain: rng.pick(countryInfo(country).freeMailDomains) };
}

export function baseHabits(outputChars: readonly [number, number], content: Habits['content']): Habits {
  return { maxTokens: null, temperature: null, stream: 0, reasoningShare: 0, reasoningLevel: 'medium', systemPrompt: null, tools: null, outputChars, content };
}

export interface CompanyOrg {
  id: string;
  name: string;
  domain: string;
  country: string;
  office: number;
  card: string | null;
  tier: AccountTier;
}

export function newCompany(context: PopulationContext, rng: Rng, tier: AccountTier, country?: string): CompanyOrg {
  const name = companyName(rng);
  const orgCountry = country ?? userCountryTable().pick(rng);
  const businessSystems = systemsOf('business', orgCountry);
  const office = businessSystems.length > 0 && rng.chance(0.7) ? addressIn(rng.pick(businessSystems), rng) : homeEndpoint(orgCountry, rng, 0, 0);
  const endpoints = [office];
  if (rng.chance(0.4)) endpoints.push(neighbourOf(office, rng));
  return { id: orgId(rng), name, domain: companyDomain(name, rng), country: orgCountry, office: addPool(context, endpoints), card: rng.chance(0.75) ? cardFingerprint(rng) : null, tier };
}

/** Cloud workers in a few regions: some neighbours in one block, some elsewhere in the region's country. */
export function regionalServers(rng: Rng, count: number): Endpoint[] {
  const regions = Array.from({ length: rng.range(2, 4) }, () => endpointOfKind('datacenter', rng));
  return Array.from({ length: count }, (_, s) => {
    const region = regions[s % regions.length]!;
    return rng.chance(0.6) ? neighbourOf(region, rng) : endpointOfKind('datacenter', rng, region.country);
  });
}
