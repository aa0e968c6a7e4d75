import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import { fmix32 } from '../util/hash64.js';
import { LINK_KINDS, type LinkInput, type LinkKind } from './link-input.js';
import { profileSimilarity, type ProfileVectors } from './profile-vector.js';

/**
 * Links accounts into clusters: an account graph whose edges come from shared traits, then
 * community detection (Louvain, seeded) and two repairs that Louvain needs here.
 *
 * Edge weight: each kind of shared trait contributes a strength (several shared values of one
 * kind add a little, up to a cap, and values many accounts share count for less), and the kinds
 * combine as independent evidence, 1 − Π(1 − s): one shared trait is weak evidence, several are
 * strong. Pairs below `minEdge` get no edge, so a single weak trait (a common user agent, one
 * VPN exit) links nobody.
 *
 * Large groups (a template filled by thousands of accounts) do not get every pair: each member is
 * linked to a few others along seeded random cycles, which keeps the group connected and dense
 * enough for Louvain at a cost linear in its size.
 *
 * Repairs: Louvain splits a big homogeneous group (a proxy network's thousands of accounts) into
 * arbitrary parts, so communities whose cross-links are a large share of the smaller one's links
 * are merged back; and it absorbs a loosely attached account into a neighbouring community, so
 * a member whose links into its cluster combine to less than `minAttachment` is let go. Pure and
 * deterministic (the seed drives every choice): it runs in a worker thread in the live service.
 */

export interface LinkedCluster {
  /** Account indexes, ascending. */
  members: number[];
  /** Bit set of the link kinds (index in `LINK_KINDS`) on edges inside the cluster. */
  kinds: number;
  edges: number;
  internalWeight: number;
}

export interface LinkResult {
  /** Cluster index per account, -1 for none. */
  clusterOf: Int32Array;
  /** How strongly each clustered account is tied into its cluster (0 when unclustered). */
  attachment: Float32Array;
  /** Per account: bit set of the kinds on its edges into its cluster. */
  kindsOf: Int32Array;
  /** 1 for accounts tied in by late attachment (only weak links); scoring asks more of them. */
  late: Uint8Array;
  clusters: LinkedCluster[];
  stats: { pairs: number; edges: number; communities: number; merged: number; split: number; released: number; lateJoins: number; modularity: number };
}

// The package is CommonJS (`module.exports = louvain`) with an ES-style `export default` in its
// types, so under NodeNext the default import is typed as the module and is the function at run
// time; this takes whichever it is.
type Louvain = typeof louvainModule.default;
const louvain: Louvain = (louvainModule as unknown as { default?: Louvain }).default ?? (louvainModule as unknown as Louvain);

export function linkKindBit(kind: LinkKind): number {
  return 1 << LINK_KINDS.indexOf(kind);
}

export function linkKindsOf(mask: number): LinkKind[] {
  return LINK_KINDS.filter((_, i) => (mask & (1 << i)) !== 0);
}

/** A small seeded generator (mulberry32) for Louvain's tie-breaking and node order. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Account pairs with a combined strength of at least `minEdge`, in canonical (pair-key) order. */
export interface ScoredPairs {
  n: number;
  /** Pair keys `a * n + b` with a < b, ascending. */
  keys: number[];
  strengths: Float64Array;
  /**
   * Graph weights for community detection: the strength, scaled up for a pair sampled from a
   * large group by the pairs it stands for (to the power `sampleCompensation`), so a group
   * linked through a sample holds together as if all its pairs were linked.
   */
  weights: Float64Array;
  /** Bit set of the link kinds behind each pair. */
  kinds: Int32Array;
  /** Pairs considered before the `minEdge` cut. */
  candidates: number;
  /** Every pair that shares something, edge or not (for late attachment), in a fixed order. */
  candidateKeys: Float64Array;
  candidateStrengths: Float64Array;
  candidateKinds: Int32Array;
}

/**
 * Scores every pair of accounts that share a trait: the edges of the account graph.
 *
 * @example
 * const pairs = scorePairs(input);
 * pairs.strengths[pairs.keys.indexOf(a * pairs.n + b)] // 0.3 for one shared IP, ~0.8 for IP + card + template
 */
export function scorePairs(input: LinkInput): ScoredPairs {
  const { params } = input;
  const n = input.accountCount;
  const lnN = Math.log(Math.max(n, 3));
  const pairIndex = new Map<number, number>();
  let logNot = new Float64Array(1024);
  let masks = new Int32Array(1024);
  let multiplicity = new Float64Array(1024);
  let pairCount = 0;
  const pairKey = (a: number, b: number) => (a < b ? a * n + b : b * n + a);

  // A large group is linked through a few random cycles over its members (each cycle orders
  // them by its own hash): their union is an expander, so the sample holds the group together
  // with no weak seam for community detection to cut along, unlike one ring of neighbours. The
  // hashes are per account, not per group: groups with the same members link the same pairs, so
  // two accounts sharing several large templates get all of them on one edge.
  const rank = (account: number, cycle: number) => fmix32((Math.imul(account + 1, 0x9e3779b1) ^ Math.imul(cycle + 1, 0x85ebca6b) ^ params.seed) >>> 0);

  for (const memberships of input.memberships) {
    const kindParams = params.kinds[memberships.kind];
    if (kindParams.strength <= 0 || memberships.accounts.length === 0) continue;
    const bit = linkKindBit(memberships.kind);
    const overlapMode = kindParams.mode === 'overlap';
    const totals = overlapMode ? usesPerAccount(memberships, n) : null;
    const groups = groupByValue(memberships);
    const shared = new Map<number, number>();
    const best = new Map<number, number>();
    const stands = new Map<number, number>();
    const touch = (a: number, b: number, s: number, amount: number, standsFor: number) => {
      const key = pairKey(a, b);
      shared.set(key, (shared.get(key) ?? 0) + amount);
      if (s > (best.get(key) ?? 0)) best.set(key, s);
      if (standsFor > (stands.get(key) ?? 1)) stands.set(key, standsFor);
    };
    for (const members of groups.values()) {
      const m = members.length;
      if (m < 2 || m > kindParams.maxGroup) continue;
      const specific = kindParams.specificity > 0 ? Math.max(0, 1 - Math.log(m) / lnN) ** kindParams.specificity : 1;
      const s = kindParams.strength * specific;
      if (s <= 0.001) continue;
      const amount = (i: number, j: number) =>
        totals === null ? 1 : Math.min(members[i]!.count / totals[members[i]!.account]!, members[j]!.count / totals[members[j]!.account]!);
      if (m <= params.fullPairsUpTo) {
        for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) touch(members[i]!.account, members[j]!.account, s, amount(i, j), 1);
      } else {
        const cycles = Math.max(1, Math.floor(params.sampledDegree / 2));
        // Each sampled pair stands for (m - 1) / degree pairs of the group.
        const standsFor = (m - 1) / (2 * cycles);
        for (let cycle = 0; cycle < cycles; cycle++) {
          const order = members.map((member, index) => ({ index, rank: rank(member.account, cycle) })).sort((x, y) => x.rank - y.rank || x.index - y.index);
          for (let i = 0; i < m; i++) {
            const x = order[i]!.index;
            const y = order[(i + 1) % m]!.index;
            touch(members[x]!.account, members[y]!.account, s, amount(x, y), standsFor);
          }
        }
      }
    }
    for (const [key, amount] of shared) {
      let combined: number;
      const s = best.get(key)!;
      if (overlapMode) {
        combined = s * Math.min(1, amount / Math.max(1e-9, kindParams.fullOverlap));
      } else {
        if (amount < kindParams.minShared) continue;
        combined = 1 - (1 - s) ** Math.min(amount - kindParams.minShared + 1, params.repeatCap);
      }
      if (combined <= 0) continue;
      let index = pairIndex.get(key);
      if (index === undefined) {
        index = pairCount++;
        pairIndex.set(key, index);
        if (index >= logNot.length) {
          const grownLog = new Float64Array(logNot.length * 2);
          grownLog.set(logNot);
          logNot = grownLog;
          const grownMasks = new Int32Array(masks.length * 2);
          grownMasks.set(masks);
          masks = grownMasks;
          const grownMultiplicity = new Float64Array(multiplicity.length * 2);
          grownMultiplicity.set(multiplicity);
          multiplicity = grownMultiplicity;
        }
      }
      logNot[index]! += Math.log(Math.max(1e-9, 1 - combined));
      masks[index]! |= bit;
      multiplicity[index] = Math.max(multiplicity[index]!, stands.get(key) ?? 1);
    }
  }

  // Behavioural fingerprints: evidence on pairs that already share something, never a link alone.
  const profileParams = params.kinds.profile;
  if (input.profiles !== undefined && profileParams.strength > 0) {
    const bit = linkKindBit('profile');
    for (const [key, index] of pairIndex) {
      const a = Math.floor(key / n);
      const similarity = profileSimilarity(input.profiles, a, key - a * n);
      const s = profileParams.strength * Math.min(1, Math.max(0, (similarity - params.profileMinSimilarity) / Math.max(1e-9, 1 - params.profileMinSimilarity)));
      if (s <= 0) continue;
      logNot[index]! += Math.log(1 - Math.min(0.999, s));
      masks[index]! |= bit;
    }
  }

  // Edges in a canonical order (by pair key) so graph construction, and with it Louvain, is
  // deterministic whatever order the memberships came in.
  const keys: number[] = [];
  for (const [key, index] of pairIndex) if (1 - Math.exp(logNot[index]!) >= params.minEdge) keys.push(key);
  keys.sort((a, b) => a - b);
  const strengths = new Float64Array(keys.length);
  const weights = new Float64Array(keys.length);
  const kinds = new Int32Array(keys.length);
  keys.forEach((key, i) => {
    const index = pairIndex.get(key)!;
    strengths[i] = 1 - Math.exp(logNot[index]!);
    weights[i] = strengths[i]! * Math.max(1, multiplicity[index]!) ** params.sampleCompensation;
    kinds[i] = masks[index]!;
  });
  const candidateKeys = new Float64Array(pairCount);
  for (const [key, index] of pairIndex) candidateKeys[index] = key;
  const candidateStrengths = new Float64Array(pairCount);
  for (let i = 0; i < pairCount; i++) candidateStrengths[i] = 1 - Math.exp(logNot[i]!);
  return { n, keys, strengths, weights, kinds, candidates: pairCount, candidateKeys, candidateStrengths, candidateKinds: masks.slice(0, pairCount) };
}

export function linkAccounts(input: LinkInput): LinkResult {
  const { params } = input;
  const n = input.accountCount;
  const pairs = scorePairs(input);
  const edgeKeys = pairs.keys;
  const edgeIndex = new Map<number, number>(edgeKeys.map((key, i) => [key, i]));
  const weightOf = (key: number) => pairs.weights[edgeIndex.get(key)!]!;
  const strengthOf = (key: number) => pairs.strengths[edgeIndex.get(key)!]!;
  const maskOf = (key: number) => pairs.kinds[edgeIndex.get(key)!]!;

  const graph = new UndirectedGraph({ allowSelfLoops: false });
  for (const key of edgeKeys) {
    const a = Math.floor(key / n);
    const b = key - a * n;
    const sa = String(a);
    const sb = String(b);
    if (!graph.hasNode(sa)) graph.addNode(sa);
    if (!graph.hasNode(sb)) graph.addNode(sb);
    graph.addEdge(sa, sb, { weight: weightOf(key) });
  }

  const community = new Int32Array(n).fill(-1);
  let modularity = 0;
  let communityCount = 0;
  if (graph.order > 0) {
    const detailed = louvain.detailed(graph, { getEdgeWeight: 'weight', rng: seededRandom(params.seed), resolution: params.resolution });
    modularity = detailed.modularity;
    communityCount = detailed.count;
    for (const [node, c] of Object.entries(detailed.communities)) community[Number(node)] = c as number;
  }

  const merged = mergeCommunities(community, edgeKeys, weightOf, n, params.mergeRatio, params.mergeResolution);
  const split = splitCommunities(community, edgeKeys, weightOf, n, params, input.profiles);

  // Attachment: the account's in-cluster links as evidence it belongs there.
  const attachment = new Float32Array(n);
  const kindsOf = new Int32Array(n);
  const maxEdge = new Float32Array(n);
  for (const key of edgeKeys) {
    const a = Math.floor(key / n);
    const b = key - a * n;
    if (community[a] === -1 || community[a] !== community[b]) continue;
    const mask = maskOf(key);
    const weight = strengthOf(key);
    kindsOf[a]! |= mask;
    kindsOf[b]! |= mask;
    if (weight > maxEdge[a]!) maxEdge[a] = weight;
    if (weight > maxEdge[b]!) maxEdge[b] = weight;
  }
  let released = 0;
  for (let a = 0; a < n; a++) {
    if (community[a] === -1) continue;
    let notKinds = 1;
    for (let k = 0; k < LINK_KINDS.length; k++) if (kindsOf[a]! & (1 << k)) notKinds *= 1 - params.kinds[LINK_KINDS[k]!].strength;
    attachment[a] = Math.max(maxEdge[a]!, 1 - notKinds);
    if (attachment[a]! < params.minAttachment) {
      community[a] = -1;
      attachment[a] = 0;
      kindsOf[a] = 0;
      released++;
    }
  }

  const byCommunity = new Map<number, number[]>();
  for (let a = 0; a < n; a++) {
    const c = community[a]!;
    if (c === -1) continue;
    let list = byCommunity.get(c);
    if (list === undefined) byCommunity.set(c, (list = []));
    list.push(a);
  }
  const clusters: LinkedCluster[] = [];
  const clusterOf = new Int32Array(n).fill(-1);
  const ordered = [...byCommunity.values()].filter((members) => members.length >= params.minClusterSize).sort((x, y) => y.length - x.length || x[0]! - y[0]!);
  for (const members of ordered) {
    const index = clusters.length;
    for (const a of members) clusterOf[a] = index;
    clusters.push({ members, kinds: 0, edges: 0, internalWeight: 0 });
  }
  for (const key of edgeKeys) {
    const a = Math.floor(key / n);
    const b = key - a * n;
    const c = clusterOf[a]!;
    if (c === -1 || c !== clusterOf[b]) continue;
    const cluster = clusters[c]!;
    cluster.edges++;
    cluster.internalWeight += strengthOf(key);
    cluster.kinds |= maskOf(key);
  }
  for (let a = 0; a < n; a++) {
    if (clusterOf[a] === -1) {
      attachment[a] = 0;
      kindsOf[a] = 0;
    }
  }
  const late = new Uint8Array(n);
  const lateJoins = attachLate(pairs, clusterOf, clusters, attachment, kindsOf, late, params.lateAttachment, params.lateLinks);
  return {
    clusterOf,
    attachment,
    kindsOf,
    late,
    clusters,
    stats: { pairs: pairs.candidates, edges: edgeKeys.length, communities: communityCount, merged, split, released, lateJoins, modularity },
  };
}

interface Member {
  account: number;
  count: number;
}

function groupByValue(memberships: LinkInput['memberships'][number]): Map<number, Member[]> {
  const groups = new Map<number, Member[]>();
  for (let i = 0; i < memberships.accounts.length; i++) {
    const value = memberships.values[i]!;
    let list = groups.get(value);
    if (list === undefined) groups.set(value, (list = []));
    const account = memberships.accounts[i]!;
    const last = list[list.length - 1];
    if (last !== undefined && last.account === account) last.count += memberships.counts[i]!;
    else list.push({ account, count: memberships.counts[i]! });
  }
  return groups;
}

/** Each account's total uses of a kind, the denominator of its per-value shares. */
function usesPerAccount(memberships: LinkInput['memberships'][number], n: number): Float64Array {
  const totals = new Float64Array(n);
  for (let i = 0; i < memberships.accounts.length; i++) totals[memberships.accounts[i]!]! += memberships.counts[i]!;
  return totals;
}

/**
 * Ties an unclustered account into a cluster when several of its links into that cluster, each
 * too weak to be an edge, together are strong: the `lateLinks` strongest combine as independent
 * evidence and must reach `threshold`. A proxy network's thinly used accounts share a subnet with
 * one member, a user agent with another and a template with a third. One pass, against the
 * clusters as Louvain left them (a late member pulls nobody in after it).
 */
function attachLate(
  pairs: ScoredPairs,
  clusterOf: Int32Array,
  clusters: LinkedCluster[],
  attachment: Float32Array,
  kindsOf: Int32Array,
  late: Uint8Array,
  threshold: number,
  lateLinks: number,
): number {
  if (threshold >= 1 || clusters.length === 0) return 0;
  const n = pairs.n;
  const best = new Map<number, { strengths: number[]; kinds: number }>();
  const note = (account: number, cluster: number, strength: number, kinds: number) => {
    const key = account * clusters.length + cluster;
    let entry = best.get(key);
    if (entry === undefined) best.set(key, (entry = { strengths: [], kinds: 0 }));
    entry.kinds |= kinds;
    entry.strengths.push(strength);
    if (entry.strengths.length > lateLinks) {
      entry.strengths.sort((x, y) => y - x);
      entry.strengths.length = lateLinks;
    }
  };
  for (let i = 0; i < pairs.candidateKeys.length; i++) {
    const key = pairs.candidateKeys[i]!;
    const a = Math.floor(key / n);
    const b = key - a * n;
    const ca = clusterOf[a]!;
    const cb = clusterOf[b]!;
    if (ca === -1 && cb >= 0) note(a, cb, pairs.candidateStrengths[i]!, pairs.candidateKinds[i]!);
    else if (cb === -1 && ca >= 0) note(b, ca, pairs.candidateStrengths[i]!, pairs.candidateKinds[i]!);
  }
  const choice = new Map<number, { cluster: number; value: number; kinds: number }>();
  for (const [key, entry] of [...best].sort((x, y) => x[0] - y[0])) {
    const account = Math.floor(key / clusters.length);
    const cluster = key - account * clusters.length;
    let none = 1;
    for (const strength of entry.strengths) none *= 1 - strength;
    const value = 1 - none;
    const current = choice.get(account);
    if (value >= threshold && (current === undefined || value > current.value)) choice.set(account, { cluster, value, kinds: entry.kinds });
  }
  for (const [account, { cluster, value, kinds }] of choice) {
    clusterOf[account] = cluster;
    attachment[account] = value;
    kindsOf[account] = kinds;
    late[account] = 1;
    clusters[cluster]!.members.push(account);
  }
  for (const cluster of clusters) cluster.members.sort((x, y) => x - y);
  return choice.size;
}

/**
 * Louvain at resolution 1 cannot see a small group hanging off a large one (its resolution
 * limit: a stealth campaign of 8 accounts sharing a prompt kit with a proxy network of 30 is
 * absorbed). So each community is searched again at a finer resolution, and a sub-community is
 * split off when it is only loosely tied to the rest: its conductance, the weight of its links
 * to the rest over the smaller of the two volumes, is below `splitConductance`. The pieces of a
 * homogeneous group stay together, because each is tied to the rest about as strongly as to
 * itself. Returns how many groups were split off.
 */
function splitCommunities(
  community: Int32Array,
  edgeKeys: readonly number[],
  weightOf: (key: number) => number,
  n: number,
  params: LinkInput['params'],
  profiles: ProfileVectors | undefined,
): number {
  if (profiles === undefined) return 0;
  const members = new Map<number, number[]>();
  for (let a = 0; a < n; a++) {
    const c = community[a]!;
    if (c === -1) continue;
    let list = members.get(c);
    if (list === undefined) members.set(c, (list = []));
    list.push(a);
  }
  const edgesOf = new Map<number, number[]>();
  for (const key of edgeKeys) {
    const a = Math.floor(key / n);
    const b = key - a * n;
    if (community[a] === -1 || community[a] !== community[b]) continue;
    let list = edgesOf.get(community[a]!);
    if (list === undefined) edgesOf.set(community[a]!, (list = []));
    list.push(key);
  }
  // A loop, not Math.max(...community): spreading 100,000+ arguments overflows the stack.
  let nextCommunity = 0;
  for (const c of community) if (c >= nextCommunity) nextCommunity = c + 1;
  let splits = 0;
  for (const [c, nodes] of [...members].sort((x, y) => x[0] - y[0])) {
    if (nodes.length < 2 * params.minClusterSize) continue;
    const keys = edgesOf.get(c) ?? [];
    const graph = new UndirectedGraph({ allowSelfLoops: false });
    for (const a of nodes) graph.addNode(String(a));
    for (const key of keys) {
      const a = Math.floor(key / n);
      graph.addEdge(String(a), String(key - a * n), { weight: weightOf(key) });
    }
    const sub = louvain(graph, { getEdgeWeight: 'weight', rng: seededRandom(params.seed + c), resolution: params.splitResolution });
    const groups = new Map<number, number>();
    const groupOf = new Map<number, number>();
    for (const [node, label] of Object.entries(sub)) {
      let g = groups.get(label as number);
      if (g === undefined) groups.set(label as number, (g = groups.size));
      groupOf.set(Number(node), g);
    }
    const k = groups.size;
    if (k < 2 || k > MAX_SPLIT_GROUPS) continue;
    const size = new Float64Array(k);
    for (const g of groupOf.values()) size[g]!++;
    const between = Array.from({ length: k }, () => new Float64Array(k));
    const volume = new Float64Array(k);
    const inside = new Float64Array(k);
    for (const key of keys) {
      const a = Math.floor(key / n);
      const ga = groupOf.get(a)!;
      const gb = groupOf.get(key - a * n)!;
      const w = weightOf(key);
      volume[ga]! += w;
      volume[gb]! += w;
      if (ga === gb) inside[ga]! += w;
      else {
        between[ga]![gb]! += w;
        between[gb]![ga]! += w;
      }
    }
    const members = (pieces: ReadonlySet<number>, inside: boolean) => nodes.filter((a) => pieces.has(groupOf.get(a)!) === inside);
    // A loosely tied part is split off only if it also behaves differently from the rest: the
    // parts of one operation look alike, another operation's accounts do not.
    const accept = (pieces: readonly number[]) => {
      const set = new Set(pieces);
      return centroidSimilarity(profiles, members(set, true), members(set, false)) < params.splitMaxSimilarity;
    };
    const detached = new Map<number, number>();
    for (const group of loosePieces(between, volume, inside, size, accept, params)) {
      const id = nextCommunity++;
      for (const g of group) detached.set(g, id);
    }
    if (detached.size === 0) continue;
    for (const a of nodes) {
      const target = detached.get(groupOf.get(a)!);
      if (target !== undefined) community[a] = target;
    }
    splits += new Set(detached.values()).size;
  }
  return splits;
}

const MAX_SPLIT_GROUPS = 400;

/**
 * Finds unions of sub-communities that are loosely tied to the rest of their community: from
 * each piece, grow a group by adding the neighbouring piece that lowers the group's conductance
 * most, while it does; keep the best group if its conductance is below `splitConductance`, take
 * it out, and search again in what is left. Growing matters: a finer Louvain pass cuts a small
 * campaign into parts, and each part alone is tied to its sibling parts as much as to anything.
 */
function loosePieces(
  between: Float64Array[],
  volume: Float64Array,
  inside: Float64Array,
  size: Float64Array,
  accept: (pieces: readonly number[]) => boolean,
  params: LinkInput['params'],
): number[][] {
  const k = volume.length;
  const remaining = new Set<number>(Array.from({ length: k }, (_, g) => g));
  const result: number[][] = [];
  // How loosely the pieces of this community usually hang together: a sparse group (accounts
  // that share little) has loose pieces everywhere and is left whole; a dense group with one
  // loose part gives that part up.
  let all = 0;
  for (let g = 0; g < k; g++) all += volume[g]!;
  const typical: number[] = [];
  for (let g = 0; g < k; g++) {
    if (size[g]! < 2) continue;
    typical.push((volume[g]! - 2 * inside[g]!) / Math.max(1e-9, Math.min(volume[g]!, all - volume[g]!)));
  }
  typical.sort((x, y) => x - y);
  const median = typical.length === 0 ? 1 : typical[Math.floor(typical.length / 2)]!;
  const threshold = Math.min(params.splitConductance, params.splitRelative * median);
  for (;;) {
    let total = 0;
    for (const g of remaining) total += volume[g]!;
    let remainingSize = 0;
    for (const g of remaining) remainingSize += size[g]!;
    let best: { group: number[]; conductance: number } | null = null;
    for (const seed of remaining) {
      const group = [seed];
      const inGroup = new Set(group);
      const toGroup = new Float64Array(k);
      for (const g of remaining) toGroup[g] = between[seed]![g]!;
      let groupVolume = volume[seed]!;
      let groupSize = size[seed]!;
      // Cut to the remaining pieces: links to pieces already taken out no longer count.
      let cut = 0;
      for (const g of remaining) if (g !== seed) cut += between[seed]![g]!;
      let conductance = cut / Math.max(1e-9, Math.min(groupVolume, total - groupVolume));
      for (;;) {
        let pick = -1;
        let pickConductance = conductance;
        for (const t of remaining) {
          if (inGroup.has(t) || toGroup[t]! === 0) continue;
          let cutT = 0;
          for (const g of remaining) if (g !== t) cutT += between[t]![g]!;
          const nextCut = cut + cutT - 2 * toGroup[t]!;
          const nextVolume = groupVolume + volume[t]!;
          if (nextVolume * 2 > total) continue;
          const c = nextCut / Math.max(1e-9, Math.min(nextVolume, total - nextVolume));
          if (c < pickConductance - 1e-12) {
            pick = t;
            pickConductance = c;
          }
        }
        if (pick === -1) break;
        let cutT = 0;
        for (const g of remaining) if (g !== pick) cutT += between[pick]![g]!;
        cut = cut + cutT - 2 * toGroup[pick]!;
        groupVolume += volume[pick]!;
        groupSize += size[pick]!;
        conductance = pickConductance;
        group.push(pick);
        inGroup.add(pick);
        for (const g of remaining) toGroup[g]! += between[pick]![g]!;
      }
      if (groupSize < params.minClusterSize || remainingSize - groupSize < params.minClusterSize || groupVolume * 2 > total) continue;
      if (conductance < threshold && (best === null || conductance < best.conductance) && accept(group)) best = { group: group.sort((x, y) => x - y), conductance };
    }
    if (best === null) break;
    result.push(best.group);
    for (const g of best.group) remaining.delete(g);
    if (remaining.size < 2) break;
  }
  return result;
}

/** Cosine similarity of the mean fingerprints of two sets of accounts (1 when either is empty). */
function centroidSimilarity(profiles: ProfileVectors, left: readonly number[], right: readonly number[]): number {
  const centroid = (accounts: readonly number[]) => {
    const sum = new Float64Array(profiles.dims);
    for (const a of accounts) for (let d = 0; d < profiles.dims; d++) sum[d]! += profiles.data[a * profiles.dims + d]!;
    return sum;
  };
  const x = centroid(left);
  const y = centroid(right);
  let dot = 0;
  let nx = 0;
  let ny = 0;
  for (let d = 0; d < profiles.dims; d++) {
    dot += x[d]! * y[d]!;
    nx += x[d]! * x[d]!;
    ny += y[d]! * y[d]!;
  }
  return nx === 0 || ny === 0 ? 1 : dot / Math.sqrt(nx * ny);
}

/**
 * Union of communities linked to each other more than their size explains; returns how many
 * merges happened. Louvain cuts a large homogeneous group (a proxy network whose accounts all
 * share templates and a pool of exits) into pieces that modularity cannot tell apart; their
 * cross-links are close to what random mixing inside the group gives, far above what it gives in
 * the whole graph, so `resolution` well below 1 rejoins them. What this merges wrongly, a small
 * campaign hanging off a large one, the split step that follows takes apart again.
 */
function mergeCommunities(community: Int32Array, edgeKeys: readonly number[], weightOf: (key: number) => number, n: number, ratio: number, resolution: number): number {
  const volume = new Map<number, number>();
  const cross = new Map<string, number>();
  let total = 0;
  for (const key of edgeKeys) total += weightOf(key);
  for (const key of edgeKeys) {
    const a = Math.floor(key / n);
    const b = key - a * n;
    const ca = community[a]!;
    const cb = community[b]!;
    const w = weightOf(key);
    volume.set(ca, (volume.get(ca) ?? 0) + w);
    volume.set(cb, (volume.get(cb) ?? 0) + w);
    if (ca !== cb) {
      const pair = ca < cb ? `${ca},${cb}` : `${cb},${ca}`;
      cross.set(pair, (cross.get(pair) ?? 0) + w);
    }
  }
  const parent = new Map<number, number>();
  const find = (c: number): number => {
    let root = c;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    return root;
  };
  let merges = 0;
  const candidates = [...cross].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  for (const [pair, weight] of candidates) {
    const [ca, cb] = pair.split(',').map(Number) as [number, number];
    const va = volume.get(ca) ?? 0;
    const vb = volume.get(cb) ?? 0;
    // Tied strongly for their size, or more than `resolution` times what random mixing gives.
    if (weight < ratio * Math.min(va, vb) && weight < (resolution * va * vb) / (2 * total)) continue;
    const ra = find(ca);
    const rb = find(cb);
    if (ra === rb) continue;
    parent.set(Math.max(ra, rb), Math.min(ra, rb));
    merges++;
  }
  if (merges > 0) for (let a = 0; a < community.length; a++) if (community[a]! >= 0) community[a] = find(community[a]!);
  return merges;
}
