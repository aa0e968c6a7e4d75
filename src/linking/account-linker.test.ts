import { describe, expect, it } from 'vitest';
import { fmix32 } from '../util/hash64.js';
import { parseDetectionConfig } from '../scoring/detection-config.js';
import { linkAccounts, linkKindsOf, pairStrengthBounds, scorePairs } from './account-linker.js';
import { seededRandom } from '../util/seeded-random.js';
import { LINK_KINDS, type LinkInput, type LinkKind } from './link-input.js';
import { rarityPopulation } from '../behaviour/rarity-population.js';
import type { ProfileVectors } from './profile-vector.js';

const params = parseDetectionConfig().linking;

/** A link input from `kind → [[account, value], ...]` for `n` accounts. */
function input(n: number, traits: Partial<Record<LinkKind, [number, number, number?][]>>, overrides: Partial<LinkInput['params']> = {}): LinkInput {
  return {
    accountCount: n,
    accountKeys: Uint32Array.from({ length: n }, (_, a) => fmix32(a + 1)),
    params: { ...params, ...overrides },
    memberships: LINK_KINDS.map((kind) => {
      const rows = traits[kind] ?? [];
      return {
        kind,
        accounts: Int32Array.from(rows.map((r) => r[0])),
        values: Float64Array.from(rows.map((r) => r[1])),
        counts: Float64Array.from(rows.map((r) => r[2] ?? 1)),
      };
    }),
  };
}

function strength(result: ReturnType<typeof scorePairs>, a: number, b: number): number {
  const i = result.keys.indexOf(Math.min(a, b) * result.n + Math.max(a, b));
  return i === -1 ? 0 : result.strengths[i]!;
}

function candidate(result: ReturnType<typeof scorePairs>, a: number, b: number): number {
  const key = Math.min(a, b) * result.n + Math.max(a, b);
  const i = result.candidateKeys.indexOf(key);
  return i === -1 ? 0 : result.candidateStrengths[i]!;
}

// 200 accounts so that the shared values below are rare in the population.
const N = 200;

/**
 * Accounts 0-9 on one card, three addresses and one sign-up half-hour: a cluster for a test to tie
 * account 10 to. The other `kinds` start empty, for the test to fill.
 */
function tenOnOneCard(...kinds: LinkKind[]): Partial<Record<LinkKind, [number, number, number?][]>> {
  const traits: Partial<Record<LinkKind, [number, number, number?][]>> = { payment: [], ip: [], signup_time: [] };
  for (const kind of kinds) traits[kind] = [];
  for (let a = 0; a < 10; a++) {
    traits.payment!.push([a, 500]);
    traits.ip!.push([a, 600 + (a % 3)]);
    traits.signup_time!.push([a, 900]);
  }
  return traits;
}

/** Every pair recorded, edge or not: a pair of two accounts that can reach no edge is otherwise skipped. */
const ALL_PAIRS = { minEdge: 0 };

describe('account linking', () => {
  it('treats one shared trait as weak evidence and several as strong', () => {
    const one = scorePairs(input(N, { subnet: [[0, 1], [1, 1]] }));
    expect(strength(one, 0, 1)).toBe(0);
    expect(candidate(one, 0, 1)).toBeLessThan(0.12);
    const several = scorePairs(
      input(N, {
        ip: [[0, 7], [1, 7]],
        subnet: [[0, 1], [1, 1]],
        payment: [[0, 3], [1, 3]],
        signup_time: [[0, 5], [1, 5]],
        system_template: [[0, 11, 40], [1, 11, 50]],
      }),
    );
    expect(strength(several, 0, 1)).toBeGreaterThan(0.75);
    expect(linkKindsOf(several.kinds[0]!)).toEqual(['ip', 'subnet', 'payment', 'signup_time', 'system_template']);
  });

  it('counts a value many accounts share for less (a popular domain, a big ASN)', () => {
    const rare = scorePairs(input(N, { academic_domain: [[0, 1], [1, 1]] }, ALL_PAIRS));
    const common = scorePairs(input(N, { academic_domain: Array.from({ length: 150 }, (_, a) => [a, 1] as [number, number]) }, ALL_PAIRS));
    expect(candidate(common, 0, 1)).toBeLessThan(candidate(rare, 0, 1) / 4);
  });

  it('links the accounts of one organisation\'s own mail domain, not the students of one university by theirs', () => {
    const six = (value: number, from: number) => Array.from({ length: 6 }, (_, i) => [from + i, value] as [number, number]);
    const { clusters } = linkAccounts(input(N, { email_domain: six(1, 0), academic_domain: six(2, 6) }));
    expect(clusters.map((cluster) => [...cluster.members].sort((x, y) => x - y))).toEqual([[0, 1, 2, 3, 4, 5]]);
    // The same six on a university's domain, and they are not one operator.
    expect(linkAccounts(input(N, { academic_domain: six(1, 0) })).clusters).toEqual([]);
  });

  it('measures a value\'s rarity against the linking population, not the raw number of accounts', () => {
    const shared: [number, number][] = Array.from({ length: 6 }, (_, a) => [a, 7] as [number, number]);
    const active = scorePairs(input(400, { ip: shared }, ALL_PAIRS));
    // The same 400 accounts plus 3,000 one-request accounts.
    const population = rarityPopulation([...Array.from({ length: 400 }, () => ({ exchanges: 120 })), ...Array.from({ length: 3_000 }, () => ({ exchanges: 1 }))]);
    const flooded = scorePairs({ ...input(3_400, { ip: shared }, ALL_PAIRS), population });
    const rawCount = scorePairs(input(3_400, { ip: shared }, ALL_PAIRS));
    // Counted raw, the flood makes the shared IP look rarer; capped, far less so.
    const gainRaw = candidate(rawCount, 0, 1) - candidate(active, 0, 1);
    const gainWeighted = candidate(flooded, 0, 1) - candidate(active, 0, 1);
    expect(gainRaw).toBeGreaterThan(0.01);
    expect(gainWeighted).toBeLessThan(gainRaw * 0.5);
  });

  it('records a shared identity trait as a tie only when it is specific enough to mean one operator', () => {
    // Accounts 0 and 1 (pair key 0 × n + 1) share a template; in one store also a university's
    // domain 20 accounts use (listed in full, no sampling).
    const template: [number, number, number?][] = [[0, 5, 90], [1, 5, 80]];
    const kindsOf = (result: ReturnType<typeof scorePairs>) => linkKindsOf(result.candidateKinds[result.candidateKeys.indexOf(1)]!);
    const common = scorePairs(input(N, { prompt_template: template, academic_domain: Array.from({ length: 20 }, (_, a) => [a, 1] as [number, number]) }));
    const rare = scorePairs(input(N, { prompt_template: template, academic_domain: [[0, 1], [1, 1]] }));
    expect(kindsOf(common)).toEqual(['prompt_template']);
    expect(kindsOf(rare)).toEqual(['academic_domain', 'prompt_template']);
    // The common domain still adds its little evidence.
    expect(candidate(common, 0, 1)).toBeGreaterThan(candidate(scorePairs(input(N, { prompt_template: template })), 0, 1));
  });

  it('links two accounts through a template by how much of their use it covers', () => {
    const script = scorePairs(input(N, { prompt_template: [[0, 5, 90], [1, 5, 80]] }, ALL_PAIRS));
    const boilerplate = scorePairs(input(N, { prompt_template: [[0, 5, 5], [0, 6, 95], [1, 5, 5], [1, 7, 95]] }, ALL_PAIRS));
    const specific = (1 - Math.log(2) / Math.log(N)) ** params.kinds.prompt_template.specificity;
    expect(candidate(script, 0, 1)).toBeCloseTo(params.kinds.prompt_template.strength * specific, 5);
    expect(candidate(boilerplate, 0, 1)).toBeLessThan(0.05);
  });

  it('counts co-use of a set of rare templates as more than one shared template', () => {
    const one = scorePairs(input(N, { system_template: [[0, 5, 50], [1, 5, 50]] }));
    // Both accounts rotate through the same five system prompts, a fifth of their requests each.
    const rotation = [5, 6, 7, 8, 9].flatMap((t) => [[0, t, 10], [1, t, 10]] as [number, number, number][]);
    const set = scorePairs(input(N, { system_template: rotation }));
    expect(candidate(set, 0, 1)).toBeGreaterThan(candidate(one, 0, 1));
    expect(strength(set, 0, 1)).toBeGreaterThan(0);
  });

  it('never links two accounts by behaviour, shared hours or common client software alone', () => {
    const profiles = { dims: 2, data: new Float32Array(N * 2), profiled: new Uint8Array(N).fill(1) };
    profiles.data[0] = 1;
    profiles.data[2] = 1;
    const backing = scorePairs({ ...input(N, { activity: [[0, 1], [1, 1], [0, 2], [1, 2]], user_agent: [[0, 3], [1, 3]], tls: [[0, 4], [1, 4]], asn: [[0, 5], [1, 5], [0, 6], [1, 6]] }), profiles });
    expect(candidate(backing, 0, 1)).toBe(0);
    // With a specific shared trait, the same backing adds up to as much as that trait gives.
    const withCard = scorePairs({ ...input(N, { payment: [[0, 9], [1, 9]], user_agent: [[0, 3], [1, 3]] }), profiles });
    const cardOnly = scorePairs(input(N, { payment: [[0, 9], [1, 9]] }));
    expect(candidate(withCard, 0, 1)).toBeGreaterThan(candidate(cardOnly, 0, 1));
    expect(1 - candidate(withCard, 0, 1)).toBeGreaterThanOrEqual((1 - candidate(cardOnly, 0, 1)) ** 2 - 1e-9);
  });

  it('links a large group with a sample of pairs that keeps it whole', () => {
    // 150 accounts of one script (two templates) sending through a rotating pool of 60 exits,
    // four exits each.
    const members = Array.from({ length: 150 }, (_, a) => [a, 9, 10] as [number, number, number]);
    const rng = seededRandom(5);
    const exits = members.flatMap(([a]) => [0, 1, 2, 3].map(() => [a, 1000 + Math.floor(rng() * 60)] as [number, number]));
    const traits = { prompt_template: members, system_template: members, ip: exits };
    // In a store of 2,000 accounts, so that the group's template is its own and not everyone's.
    const result = scorePairs(input(2000, traits));
    expect(result.candidates).toBeLessThan(150 * 149 / 2);
    const linked = linkAccounts(input(2000, traits));
    expect(linked.clusters.length).toBe(1);
    expect(linked.clusters[0]!.members.length).toBe(150);
  });

  it('never cuts a campaign of accounts too thin to fingerprint on the fingerprints of a few', () => {
    // 120 accounts of one operation, each sending a few requests through four exits of a shared
    // pool of 30, under a rotation of prompt kits. Four of them sent enough to be fingerprinted,
    // and those four behave two ways: no side of any cut holds three fingerprints, so behaviour
    // has nothing to say about where the operation could be cut.
    const size = 120;
    for (let seed = 1; seed <= 20; seed++) {
      const rng = seededRandom(seed);
      const traits: Partial<Record<LinkKind, [number, number, number?][]>> = { ip: [], subnet: [], prompt_template: [], system_template: [] };
      for (let a = 0; a < size; a++) {
        for (let k = 0; k < 4; k++) traits.ip!.push([a, 1000 + Math.floor(rng() * 30)]);
        traits.subnet!.push([a, 2000 + Math.floor(rng() * 3)]);
        traits.prompt_template!.push([a, 1 + (a % 3), 4]);
        traits.system_template!.push([a, 10 + Math.floor(rng() * 4), 4]);
      }
      const profiles: ProfileVectors = { dims: 2, data: new Float32Array(400 * 2), profiled: new Uint8Array(400) };
      for (const a of [0, 1, 2, 3]) {
        profiles.data[a * 2 + (a % 2)] = 1;
        profiles.profiled[a] = 1;
      }
      const clustersOf = (result: ReturnType<typeof linkAccounts>) => new Set(Array.from({ length: size }, (_, a) => result.clusterOf[a])).size;
      const linked = linkAccounts({ ...input(400, traits), profiles });
      expect(clustersOf(linked)).toBe(1);
      expect(linked.clusterOf[0]).not.toBe(-1);
    }
  });

  /**
   * A dense group of 40 (shared cards and IPs) and a part of 8 with its own template mix, which
   * shares one template with a few members of the group and behaves another way; the part may
   * also send from `exits` of the group's IPs each and pay with four of its cards.
   */
  function groupWithHangingPart(part: { exits: number; cards: boolean }): LinkInput {
    const traits: Partial<Record<LinkKind, [number, number, number?][]>> = { ip: [], payment: [], prompt_template: [], system_template: [], signup_time: [] };
    const rng = seededRandom(11);
    for (let a = 0; a < 40; a++) {
      traits.payment!.push([a, 1000 + (a % 20)]);
      for (let k = 0; k < 3; k++) traits.ip!.push([a, 2000 + Math.floor(rng() * 10)]);
      traits.prompt_template!.push([a, 1, 50]);
    }
    for (let a = 40; a < 48; a++) {
      traits.prompt_template!.push([a, 2, 60], [a, 1, 10]);
      traits.system_template!.push([a, 3, 70]);
      traits.signup_time!.push([a, 77]);
      for (let k = 0; k < part.exits; k++) traits.ip!.push([a, 2000 + Math.floor(rng() * 10)]);
      if (part.cards) traits.payment!.push([a, 1000 + (a % 4)]);
    }
    // Fingerprints: the two behave differently (two dimensions are enough here).
    const profiles: ProfileVectors = { dims: 2, data: new Float32Array(N * 2), profiled: new Uint8Array(N).fill(1) };
    for (let a = 0; a < 48; a++) profiles.data[a * 2 + (a < 40 ? 0 : 1)] = 1;
    return { ...input(N, traits), profiles };
  }

  it('separates a small group that hangs off a large one by a few template links', () => {
    const result = linkAccounts(groupWithHangingPart({ exits: 0, cards: false }));
    const big = result.clusterOf[0];
    const small = result.clusterOf[40];
    expect(small).not.toBe(-1);
    expect(small).not.toBe(big);
    for (let a = 0; a < 40; a++) expect(result.clusterOf[a]).toBe(big);
    for (let a = 40; a < 48; a++) expect(result.clusterOf[a]).toBe(small);
  });

  it('keeps a part that behaves differently with the rest when it pays with the rest\'s cards', () => {
    // The part is tied in by two of the group's exits each; in the second draw it also pays
    // with four of the group's cards. The finer pass finds the part either way; with the cards
    // it is one payer's division of labour, not another operation, and stays.
    const linked = (cards: boolean) => linkAccounts(groupWithHangingPart({ exits: 2, cards }));
    const apart = linked(false);
    expect(apart.clusterOf[40]).not.toBe(apart.clusterOf[0]);
    const together = linked(true);
    expect(together.clusterOf[0]).not.toBe(-1);
    for (let a = 1; a < 48; a++) expect(together.clusterOf[a], String(a)).toBe(together.clusterOf[0]);
    expect(together.stats.split).toBe(0);
  });

  /**
   * One operation of 60 accounts sending through a shared pool of 20 exits, paying with two
   * cards (one per half), so the finer pass sees two loosely tied halves. Fingerprints: every
   * member the same behaviour plus noise, `offset` from the population's centre in one
   * dimension; with `apart`, the second half also behaves another way in a second dimension.
   */
  function cardHalves(seed: number, offset: number, apart: boolean, harness = false, declared = false) {
    const size = 60;
    const dims = 6;
    const rng = seededRandom(seed);
    const traits: Partial<Record<LinkKind, [number, number, number?][]>> = { ip: [], payment: [], signup_time: [], subnet: [], system_template: [], org: [] };
    const profiles: ProfileVectors = { dims, data: new Float32Array(400 * dims), profiled: new Uint8Array(400) };
    const gaussian = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    for (let a = 0; a < size; a++) {
      const half = a < size / 2 ? 0 : 1;
      traits.payment!.push([a, 100 + half]);
      traits.signup_time!.push([a, 200 + half]);
      traits.subnet!.push([a, 300]);
      // With `harness`, every member also rotates two of three system prompts no one else sends.
      if (harness) traits.system_template!.push([a, 400 + (a % 3), 5], [a, 400 + ((a + 1) % 3), 5]);
      // With `declared`, the second half is one declared organisation's accounts.
      if (declared && half === 1) traits.org!.push([a, 500]);
      for (let k = 0; k < 4; k++) traits.ip!.push([a, 1000 + Math.floor(rng() * 20)]);
      profiles.profiled[a] = 1;
      for (let d = 0; d < dims; d++) profiles.data[a * dims + d] = (d === 0 ? offset : 0) + (apart && d === 1 && half === 1 ? 3 : 0) + gaussian();
    }
    // The system prompts weigh nothing as links here, so the halves are tied as before and only
    // the split step's reading of them is tested.
    const kinds = { ...params.kinds, system_template: { ...params.kinds.system_template, strength: 0 } };
    return linkAccounts({ ...input(400, traits, { kinds }), profiles });
  }

  /** The first `n` accounts' clusters, numbered in order of first appearance (-1: none). */
  function partition(clusterOf: ArrayLike<number>, n: number): number[] {
    const renumbered = new Map<number, number>([[-1, -1]]);
    return Array.from({ length: n }, (_, a) => {
      if (!renumbered.has(clusterOf[a]!)) renumbered.set(clusterOf[a]!, renumbered.size - 1);
      return renumbered.get(clusterOf[a]!)!;
    });
  }

  it('never cuts an operation whose parts behave alike, wherever the population\'s centre lies', () => {
    // Measured from the population's centre, the two halves' mean fingerprints share the offset;
    // near the centre what is left is their noise, and a cosine of the two means fell below any
    // bar in some draws. Told apart member by member, they are at chance at every offset.
    for (const offset of [3, 1, 0.3, 0]) {
      for (let seed = 1; seed <= 10; seed++) expect(cardHalves(seed, offset, false).stats.split, `offset ${offset}, seed ${seed}`).toBe(0);
    }
  });

  it('cuts parts that behave differently along their own line, wherever the population\'s centre lies', () => {
    for (const offset of [3, 1, 0.3, 0]) {
      let cut = 0;
      for (let seed = 1; seed <= 10; seed++) {
        const result = cardHalves(seed, offset, true);
        if (result.stats.split === 0) continue;
        cut++;
        expect(partition(result.clusterOf, 60), `offset ${offset}, seed ${seed}`).toEqual([...Array(30).fill(0), ...Array(30).fill(1)]);
      }
      expect(cut, `offset ${offset}`).toBeGreaterThan(0);
    }
  });

  it('never cuts apart parts that both send the community\'s own system prompts, however they behave', () => {
    // The halves of the test above, where each behaves its own way, now rotate one harness's
    // system prompts: one operation's division of labour, which cut apart would hide the set.
    let cutWithout = 0;
    for (let seed = 1; seed <= 10; seed++) {
      if (cardHalves(seed, 1, true).stats.split > 0) cutWithout++;
      expect(cardHalves(seed, 1, true, true).stats.split, `seed ${seed}`).toBe(0);
    }
    expect(cutWithout).toBeGreaterThan(0);
    // A declared organisation among them is one customer, another operator than a harness beside
    // it on the same public kit: it can be cut off again.
    let cutDeclared = 0;
    for (let seed = 1; seed <= 10; seed++) if (cardHalves(seed, 1, true, true, true).stats.split > 0) cutDeclared++;
    expect(cutDeclared).toBeGreaterThan(0);
  });

  it('takes a declared organisation out of a cluster that only prompts tie it to', () => {
    // A product's four accounts (one organisation, one card) and a campaign's six (one exit),
    // all filling the same twelve templates of a public task list in the same proportions.
    const traits = (exitShared: boolean): Partial<Record<LinkKind, [number, number, number?][]>> => ({
      org: [0, 1, 2, 3].map((a) => [a, 1] as [number, number]),
      payment: [0, 1, 2, 3].map((a) => [a, 2] as [number, number]),
      ip: [...[4, 5, 6, 7, 8, 9].map((a) => [a, 100] as [number, number]), ...(exitShared ? [[0, 100] as [number, number]] : [])],
      prompt_template: Array.from({ length: 10 }, (_, a) => Array.from({ length: 12 }, (_, t) => [a, 50 + t, 10] as [number, number, number])).flat(),
    });
    // A coarse first pass (the resolution limit of a large graph) leaves all ten in one community.
    const coarse = { resolution: 0.05 };
    const apart = linkAccounts(input(N, traits(false), coarse));
    const product = apart.clusterOf[0]!;
    const campaign = apart.clusterOf[4]!;
    expect(product).not.toBe(-1);
    expect(campaign).not.toBe(-1);
    expect(product).not.toBe(campaign);
    for (const a of [1, 2, 3]) expect(apart.clusterOf[a]).toBe(product);
    for (const a of [5, 6, 7, 8, 9]) expect(apart.clusterOf[a]).toBe(campaign);
    // A campaign exit in the same /24 as the product's servers (a data centre's rack) does not.
    const neighbours = linkAccounts(input(N, { ...traits(false), subnet: [0, 1, 2, 3, 4].map((a) => [a, 300] as [number, number]) }, coarse));
    expect(neighbours.clusterOf[0]).not.toBe(-1);
    expect(neighbours.clusterOf[0]).not.toBe(neighbours.clusterOf[5]);
    // Sending from the campaign's exit ties the organisation to it by more than what it sends.
    const together = linkAccounts(input(N, traits(true), coarse));
    expect(together.clusterOf[0]).toBe(together.clusterOf[4]);
    expect(together.clusterOf[1]).toBe(together.clusterOf[4]);
  });

  it('takes a company\'s two organisations out together when their mail domain is all that ties them', () => {
    // A product's four accounts (one organisation) and three developers of the same company (a
    // second organisation) write from the company's domain; a campaign's six send from one exit.
    // All ten fill the same twelve templates of a public task list.
    const traits = (colleagues: 'one organisation' | 'lone accounts'): Partial<Record<LinkKind, [number, number, number?][]>> => ({
      org: [...[0, 1, 2, 3].map((a) => [a, 1] as [number, number]), ...[4, 5, 6].map((a) => [a, colleagues === 'one organisation' ? 2 : 10 + a] as [number, number])],
      email_domain: [0, 1, 2, 3, 4, 5, 6].map((a) => [a, 3] as [number, number]),
      ip: [7, 8, 9, 10, 11, 12].map((a) => [a, 100] as [number, number]),
      prompt_template: Array.from({ length: 13 }, (_, a) => Array.from({ length: 12 }, (_, t) => [a, 50 + t, 10] as [number, number, number])).flat(),
    });
    const coarse = { resolution: 0.05 };
    const apart = linkAccounts(input(N, traits('one organisation'), coarse));
    const company = apart.clusterOf[0]!;
    expect(company).not.toBe(-1);
    expect(apart.clusterOf[7]).not.toBe(-1);
    expect(company).not.toBe(apart.clusterOf[7]);
    for (const a of [1, 2, 3, 4, 5, 6]) expect(apart.clusterOf[a]).toBe(company);
    for (const a of [8, 9, 10, 11, 12]) expect(apart.clusterOf[a]).toBe(apart.clusterOf[7]);
    // Three accounts each of an organisation of its own on that domain are how a sign-up farm
    // looks, not a company: they hold the product in.
    const farm = linkAccounts(input(N, traits('lone accounts'), coarse));
    expect(farm.clusterOf[0]).toBe(farm.clusterOf[7]);
  });

  it('ties an account in by several weak links into one cluster', () => {
    const traits = tenOnOneCard('subnet', 'user_agent');
    // Account 10 shares a subnet with member 1, a rare user agent with member 2 and the user
    // agent again with member 3: no single edge, one weak link each.
    traits.subnet!.push([1, 700], [10, 700], [2, 701], [10, 701], [3, 702], [10, 702]);
    traits.user_agent!.push([2, 800], [3, 800], [10, 800]);
    const strict = linkAccounts(input(N, traits, { lateAttachment: 1 }));
    expect(strict.clusterOf[10]).toBe(-1);
    const late = linkAccounts(input(N, traits, { lateAttachment: 0.2 }));
    expect(late.clusterOf[10]).toBe(late.clusterOf[0]);
    expect(late.late[10]).toBe(1);
  });

  it('never ties an account in late by prompt text alone', () => {
    const traits = tenOnOneCard('prompt_template', 'subnet');
    // Account 10 fills a public kit's frames, each of which one member also fills.
    for (const member of [1, 2, 3]) traits.prompt_template!.push([member, 39 + member, 10], [10, 39 + member, 10]);
    const byPrompts = linkAccounts(input(N, traits, { lateAttachment: 0.2 }));
    expect(byPrompts.clusterOf[0]).not.toBe(-1);
    expect(byPrompts.clusterOf[10]).toBe(-1);
    // The same, and a subnet of member 1's: a tie where it sends from.
    traits.subnet!.push([1, 700], [10, 700]);
    const besideIt = linkAccounts(input(N, traits, { lateAttachment: 0.2 }));
    expect(besideIt.clusterOf[10]).toBe(besideIt.clusterOf[0]);
  });

  it('ties an account in late by system prompts it sends with members of one cluster', () => {
    const traits = tenOnOneCard('system_template');
    // Account 10 sends three system prompts of the cluster's rotation, each of which one member sends.
    for (const member of [1, 2, 3]) traits.system_template!.push([member, 39 + member, 10], [10, 39 + member, 10]);
    const bySystemPrompts = linkAccounts(input(N, traits, { lateAttachment: 0.2 }));
    expect(bySystemPrompts.clusterOf[0]).not.toBe(-1);
    expect(bySystemPrompts.clusterOf[10]).toBe(bySystemPrompts.clusterOf[0]);
    expect(bySystemPrompts.late[10]).toBe(1);
    expect(linkKindsOf(bySystemPrompts.kindsOf[10]!)).toEqual(['system_template']);
  });

  it('gives the same clusters for the same input, whatever the order of memberships', () => {
    const rows = Array.from({ length: 60 }, (_, a) => [a, 10 + (a % 6)] as [number, number]);
    const first = linkAccounts(input(N, { payment: rows, ip: rows.map(([a]) => [a, 90 + (a % 6)] as [number, number]) }));
    const second = linkAccounts(input(N, { payment: [...rows].reverse(), ip: rows.map(([a]) => [a, 90 + (a % 6)] as [number, number]).reverse() }));
    expect(Array.from(second.clusterOf)).toEqual(Array.from(first.clusterOf));
    expect(second.clusters.map((c) => c.members)).toEqual(first.clusters.map((c) => c.members));
  });

  /** Random traits of every kind over `n` accounts: small groups, groups large enough to be sampled, templates of uneven use. */
  function randomTraits(seed: number, n: number): { traits: Partial<Record<LinkKind, [number, number, number?][]>>; profiles: ProfileVectors } {
    const rng = seededRandom(seed);
    const traits: Partial<Record<LinkKind, [number, number, number?][]>> = {};
    for (const kind of LINK_KINDS) {
      // Every kind is drawn alike here: one more kind as strong as a sign-up IP (an
      // organisation's mail domain) ties each part into one cluster, and one cluster cannot move.
      if (kind === 'profile' || kind === 'email_domain') continue;
      const rows: [number, number, number?][] = [];
      const values = 2 + Math.floor(rng() * 40);
      for (let a = 0; a < n; a++) {
        // Sparse: most accounts hold a kind's value or none, so some can reach an edge and some cannot.
        const held = rng() < 0.3 ? 1 + Math.floor(rng() * 2) : 0;
        // A value drawn squared: a few values are held by many accounts (sampled groups), most by few.
        for (let k = 0; k < held; k++) rows.push([a, Math.floor(rng() ** 2 * values), 1 + Math.floor(rng() * 50)]);
      }
      traits[kind] = rows;
    }
    const profiles = { dims: 3, data: new Float32Array(n * 3), profiled: new Uint8Array(n).fill(1) };
    for (let i = 0; i < profiles.data.length; i++) if (rng() < 0.5) profiles.data[i] = rng() * 2 - 1;
    return { traits, profiles };
  }

  it('cuts each connected part of the graph the same, whatever the accounts of another part are called', () => {
    // Two groups of 120 accounts sharing no value. Renaming the second group's accounts (their
    // keys, which order the graph) must not move how the first is cut into clusters: Louvain's
    // random choices in one part come from that part alone.
    const partition = (result: ReturnType<typeof linkAccounts>) => {
      const byCluster = new Map<number, number[]>();
      for (let a = 0; a < 120; a++) {
        const c = result.clusterOf[a]!;
        if (c === -1) continue;
        if (!byCluster.has(c)) byCluster.set(c, []);
        byCluster.get(c)!.push(a);
      }
      return [...byCluster.values()].map((members) => members.join(',')).sort();
    };
    let clusters = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const first = randomTraits(seed, 120);
      const second = randomTraits(1000 + seed, 120);
      const traits = Object.fromEntries(
        LINK_KINDS.map((kind) => [kind, [...(first.traits[kind] ?? []), ...(second.traits[kind] ?? []).map(([a, v, c]) => [a + 120, v + 10_000, c] as [number, number, number?])]]),
      );
      const profiles: ProfileVectors = { dims: 3, data: new Float32Array(240 * 3), profiled: new Uint8Array(240).fill(1) };
      profiles.data.set(first.profiles.data);
      profiles.data.set(second.profiles.data, 120 * 3);
      const cut = (rename: number) =>
        partition(linkAccounts({ ...input(240, traits), profiles, accountKeys: Uint32Array.from({ length: 240 }, (_, a) => fmix32(a < 120 ? a + 1 : a + 1 + 7919 * rename)) }));
      const named = cut(0);
      for (let rename = 1; rename <= 3; rename++) expect(cut(rename)).toEqual(named);
      clusters += named.length;
    }
    expect(clusters).toBeGreaterThan(12);
  });

  it('bounds the strength of every pair an account is in by what its own groups could give', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const { traits, profiles } = randomTraits(seed, 120);
      const linkInput = { ...input(120, traits, ALL_PAIRS), profiles };
      const bounds = pairStrengthBounds(linkInput);
      const pairs = scorePairs(linkInput);
      expect(pairs.candidates).toBeGreaterThan(100);
      for (let i = 0; i < pairs.candidates; i++) {
        const a = Math.floor(pairs.candidateKeys[i]! / 120);
        const b = pairs.candidateKeys[i]! - a * 120;
        expect(pairs.candidateStrengths[i]!).toBeLessThanOrEqual(Math.min(bounds[a]!, bounds[b]!) + 1e-9);
      }
    }
  });

  it('skips only pairs that could be neither an edge nor a late tie', () => {
    let skipped = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const { traits, profiles } = randomTraits(seed, 120);
      const every = scorePairs({ ...input(120, traits, ALL_PAIRS), profiles });
      const linkInput = { ...input(120, traits), profiles };
      const kept = scorePairs(linkInput);
      const capable = Array.from(pairStrengthBounds(linkInput), (bound) => bound >= params.minEdge - 1e-9);
      const expected = new Map<number, number>();
      for (let i = 0; i < every.candidates; i++) {
        const key = every.candidateKeys[i]!;
        const a = Math.floor(key / 120);
        if (capable[a] || capable[key - a * 120]) expected.set(key, every.candidateStrengths[i]!);
      }
      const actual = new Map(Array.from(kept.candidateKeys, (key, i) => [key, kept.candidateStrengths[i]!]));
      skipped += every.candidates - kept.candidates;
      expect([...actual.keys()].sort((x, y) => x - y)).toEqual([...expected.keys()].sort((x, y) => x - y));
      for (const [key, value] of expected) expect(actual.get(key)).toBeCloseTo(value, 12);
      // Every edge of the full set is there, as strong.
      const edges = every.keys.filter((_, i) => every.strengths[i]! >= params.minEdge);
      expect(kept.keys).toEqual(edges);
    }
    expect(skipped).toBeGreaterThan(0);
  });

  it('records no pairs for a flood of accounts that share nothing but their subnets', () => {
    const n = 2_000;
    const subnet: [number, number][] = Array.from({ length: n }, (_, a) => [a, Math.floor(a / 256)]);
    const flood = scorePairs(input(n, { subnet }));
    expect(flood.candidates).toBe(0);
    // Ten accounts on one card among them still link, and keep their weak ties to the rest.
    const payment: [number, number][] = Array.from({ length: 10 }, (_, a) => [a, 1]);
    const withCampaign = scorePairs(input(n, { subnet, payment }));
    expect(withCampaign.keys.length).toBeGreaterThanOrEqual(45);
    expect(withCampaign.candidates).toBeGreaterThan(withCampaign.keys.length);
    expect(withCampaign.candidates).toBeLessThan(10 * 256);
  });
});
