import type { CampaignConfig, ExitProvider } from './scenario-schema.js';
import { endpointOfKind, homeEndpoint, neighbourOf, proxyCountryTable, type Endpoint } from './network-catalog.js';
import { sharedPool, type PopulationContext } from './population-kit.js';
import { createRng, deriveSeed, seedOfText, type Rng } from './seeded-rng.js';

/*
 * Proxy and VPN exit pools: a campaign's own, or a commercial provider's, shared by every
 * campaign and VPN user that rents from it.
 */

/**
 * How many exits a pool has at this scale. Small pools (a handful of rented hosts) stay small;
 * larger ones never drop below 30 when scaled down.
 */
export function scaledPoolSize(poolSize: number, scale: number): number {
  return Math.max(Math.min(30, poolSize), Math.round(poolSize * scale));
}

export type ExitNetwork = 'residential' | 'datacenter' | 'mixed';

export function exitNetworkOf(network: CampaignConfig['infrastructure']['network']): ExitNetwork {
  return network === 'residential_proxy' ? 'residential' : network === 'datacenter_proxy' ? 'datacenter' : 'mixed';
}

/** `size` exits of a proxy or VPN pool: residential homes and phones, rented datacenter blocks, or both. */
export function exitEndpoints(context: PopulationContext, network: ExitNetwork, size: number, countryWeights: Record<string, number> | undefined, rng: Rng): Endpoint[] {
  const countries = proxyCountryTable(countryWeights);
  const v6 = context.scenario.traffic.ipv6_share * 0.5;
  const residential = () => homeEndpoint(countries.pick(rng), rng, v6, 0.3);
  // Datacenter exits come in rented blocks: many hosts in the same few /24s.
  let block: Endpoint | null = null;
  const datacenter = (kind: 'datacenter' | 'vpn') => {
    if (block === null || rng.chance(0.08)) block = endpointOfKind(kind, rng);
    return neighbourOf(block, rng);
  };
  const out: Endpoint[] = [];
  for (let i = 0; i < size; i++) {
    if (network === 'residential') out.push(residential());
    else if (network === 'datacenter') out.push(datacenter(rng.chance(0.7) ? 'datacenter' : 'vpn'));
    else {
      const u = rng.float();
      // Proxy networks also spread traffic over third-party clouds.
      out.push(u < 0.5 ? residential() : u < 0.85 ? datacenter(rng.chance(0.5) ? 'datacenter' : 'vpn') : endpointOfKind('datacenter', rng));
    }
  }
  return out;
}

/** The pool of a commercial exit provider, built once and shared by everyone who names it. */
export function providerPool(context: PopulationContext, provider: ExitProvider): number {
  return sharedPool(context, `provider:${provider.name}`, () => {
    const rng = createRng(deriveSeed(context.seed, seedOfText(`provider:${provider.name}`)));
    return exitEndpoints(context, provider.network, scaledPoolSize(provider.pool_size, context.scale), provider.countries, rng);
  });
}

export function providerNamed(context: PopulationContext, name: string): ExitProvider {
  const provider = context.scenario.exit_providers.find((candidate) => candidate.name === name);
  // The schema checks every reference; a missing one here is a programming error.
  if (provider === undefined) throw new Error(`no exit provider named ${name}`);
  return provider;
}
