import { PairTable } from './pair-table.js';
import { seededRandom } from '../util/seeded-random.js';
import { fmix32 } from '../util/hash64.js';
import { grownFloat, grownInt } from '../util/grown-array.js';
import { louvain, LouvainGraph } from './louvain-graph.js';
import { LINK_KINDS, type LinkInput, type LinkKind, type LinkKindParams, type KindMemberships } from './link-input.js';
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
  stats: { pairs: number; edges: number; communities: number; merged: number; split: number; separated: number; released: number; lateJoins: number; modularity: number };
}

/**
 * Kinds that only back up a link another trait makes: sharing the hours of activity (every
 * round-the-clock service does) and common client software or networks say little alone.
 */
const BACKING_KINDS: ReadonlySet<LinkKind> = new Set(['activity', 'asn', 'user_agent', 'tls']);
const BACKING_MASK = [...BACKING_KINDS].reduce((mask, kind) => mask | (1 << LINK_KINDS.indexOf(kind)), 0);
/** The bit set of `kinds`, as `LinkResult.kindsOf` holds them. */
export const linkKindMask = (kinds: readonly LinkKind[]) => kinds.reduce((mask, kind) => mask | (1 << LINK_KINDS.indexOf(kind)), 0);
/** Links through what accounts send (and the backing kinds): a prompt kit can be public. */
const CONTENT_LINKS = BACKING_MASK | linkKindMask(['prompt_template', 'system_template', 'prompt', 'profile']);
const SYSTEM_TEMPLATE_LINK = linkKindMask(['system_template']);
/** Links through who and where the accounts are: one operator's exits, cards and sign-ups. */
/** Traits only one operator holds: a card or an API key shared across a cut ties both sides to one payer. */
const OPERATOR_LINKS = linkKindMask(['payment', 'api_key']);
const DECLARED_ORGANISATION = linkKindMask(['org']);
/**
 * Links that hold a declared organisation in a community beside what it sends: not a /24 alone,
 * which a data centre's or an ISP's unrelated customers share (a campaign's exit in the rack
 * beside a company's servers), only an address, a card, a key, a sign-up or a mail domain.
 */
const HOLDING_LINKS = ~(CONTENT_LINKS | linkKindMask(['subnet']));
const IDENTITY_LINKS = linkKindMask(['ip', 'subnet', 'api_key', 'payment', 'email_domain', 'academic_domain', 'signup_ip', 'signup_time', 'org']);

export function linkKindBit(kind: LinkKind): number {
  return 1 << LINK_KINDS.indexOf(kind);
}

export function linkKindsOf(mask: number): LinkKind[] {
  return LINK_KINDS.filter((_, i) => (mask & (1 << i)) !== 0);
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

/** Per-pair evidence of a specific or backing trait: what `scorePairs` combines. */
interface TraitPairs {
  /** a × n + b of each pair, in the order pairs first gained evidence. */
  pairKeys: Float64Array;
  /** Each pair's index in these arrays. */
  pairIndex: PairTable;
  /** Per pair: Σ ln(1 − strength) over its kinds, and the part of that from backing kinds. */
  logNot: Float64Array;
  backingLogNot: Float64Array;
  /** Bit set of the kinds recorded as ties. */
  masks: Int32Array;
  /** How many pairs of its group a sampled pair stands for (1 when all pairs are linked). */
  multiplicity: Float64Array;
  pairCount: number;
}

/** Members of a sampled group that fit beside a 32-bit rank in a double's 53 bits. */
const PACKED_MEMBERS = 2 ** 21;

/** Every pair of accounts that shares a value of some kind, with each kind's evidence combined. */
function sharedTraitPairs(input: LinkInput): TraitPairs {
  const { params } = input;
  const n = input.accountCount;
  const lnN = logPopulation(input);
  const canLink = edgeCapableAccounts(input);
  // Pairs get a number when they first gain evidence; `pairKeys` holds each one's a × n + b.
  const pairIndex = new PairTable(1024);
  let pairKeys = new Float64Array(1024);
  let logNot = new Float64Array(1024);
  let backingLogNot = new Float64Array(1024);
  let masks = new Int32Array(1024);
  let multiplicity = new Float64Array(1024);
  let pairCount = 0;
  // One kind's pairs while it is scored: a slot per pair touched, reused kind after kind.
  const touched = new PairTable(1024);
  let touchedLow = new Int32Array(1024);
  let touchedHigh = new Int32Array(1024);
  let shared = new Float64Array(1024);
  let best = new Float64Array(1024);
  let stands = new Float64Array(1024);
  let touchedCount = 0;

  // A large group is linked through a few random cycles over its members (each cycle orders
  // them by its own hash): their union is an expander, so the sample holds the group together
  // with no weak seam for community detection to cut along, unlike one ring of neighbours. The
  // hashes are per account, not per group: groups with the same members link the same pairs, so
  // two accounts sharing several large templates get all of them on one edge.
  // Ranked by the account's key (a hash of its id), not its index: the same accounts get the
  // same links whatever order they were numbered in or whoever else is in the store.
  const keyOf = input.accountKeys;
  const rank = (account: number, cycle: number) => fmix32((Math.imul(keyOf[account]! + 1, 0x9e3779b1) ^ Math.imul(cycle + 1, 0x85ebca6b) ^ params.seed) >>> 0);

  for (const memberships of input.memberships) {
    const kindParams = params.kinds[memberships.kind];
    if (kindParams.strength <= 0 || memberships.accounts.length === 0) continue;
    const bit = linkKindBit(memberships.kind);
    const backing = BACKING_KINDS.has(memberships.kind);
    const identity = (IDENTITY_LINKS & bit) !== 0;
    const overlapMode = kindParams.mode === 'overlap';
    const totals = overlapMode ? usesPerAccount(memberships, n) : null;
    const groups = groupByValue(memberships);
    // count mode: shared values and the strongest one's strength; overlap mode: each shared
    // value's evidence (its strength × how much of both accounts' use it covers) combined as
    // independent evidence, so co-using a set of rare templates counts more than one.
    touched.clear();
    touchedCount = 0;
    const touch = (a: number, b: number, s: number, amount: number, standsFor: number) => {
      if (canLink[a] === 0 && canLink[b] === 0) return;
      let slot = touched.getOrSet(a, b, touchedCount);
      if (slot < 0) {
        slot = touchedCount++;
        if (slot === shared.length) {
          touchedLow = grownInt(touchedLow);
          touchedHigh = grownInt(touchedHigh);
          shared = grownFloat(shared);
          best = grownFloat(best);
          stands = grownFloat(stands);
        }
        touchedLow[slot] = a < b ? a : b;
        touchedHigh[slot] = a < b ? b : a;
        shared[slot] = 0;
        best[slot] = 0;
        stands[slot] = 1;
      }
      if (overlapMode) shared[slot]! += Math.log(1 - Math.min(0.999, s * Math.min(1, amount / Math.max(1e-9, kindParams.fullOverlap))));
      else shared[slot]! += amount;
      if (s > best[slot]!) best[slot] = s;
      if (standsFor > stands[slot]!) stands[slot] = standsFor;
    };
    for (let g = 0; g < groups.count; g++) {
      const first = groups.start[g]!;
      const m = groups.start[g + 1]! - first;
      const s = groupStrength(m, kindParams, lnN);
      if (s === 0 || !anyCanLink(groups.accounts, first, first + m, canLink)) continue;
      const accountAt = (i: number) => groups.accounts[first + i]!;
      const amount = (i: number, j: number) =>
        totals === null ? 1 : Math.min(groups.counts[first + i]! / totals[accountAt(i)]!, groups.counts[first + j]! / totals[accountAt(j)]!);
      if (m <= params.fullPairsUpTo) {
        for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) touch(accountAt(i), accountAt(j), s, amount(i, j), 1);
      } else {
        const cycles = Math.max(1, Math.floor(params.sampledDegree / 2));
        // Each sampled pair stands for (m - 1) / degree pairs of the group.
        const standsFor = (m - 1) / (2 * cycles);
        const order = new Int32Array(m);
        const ranks = new Float64Array(m);
        for (let cycle = 0; cycle < cycles; cycle++) {
          if (m <= PACKED_MEMBERS) {
            // Rank and member in one number, sorted natively: the order a comparator on (rank,
            // member) gives, at a fraction of the cost (`npm run bench:hotpaths -- --only orderings`).
            for (let i = 0; i < m; i++) ranks[i] = rank(accountAt(i), cycle) * PACKED_MEMBERS + i;
            ranks.sort();
            for (let i = 0; i < m; i++) order[i] = ranks[i]! % PACKED_MEMBERS;
          } else {
            for (let i = 0; i < m; i++) {
              order[i] = i;
              ranks[i] = rank(accountAt(i), cycle);
            }
            order.sort((x, y) => ranks[x]! - ranks[y]! || x - y);
          }
          for (let i = 0; i < m; i++) {
            const x = order[i]!;
            const y = order[(i + 1) % m]!;
            touch(accountAt(x), accountAt(y), s, amount(x, y), standsFor);
          }
        }
      }
    }
    for (let slot = 0; slot < touchedCount; slot++) {
      const amount = shared[slot]!;
      let combined: number;
      const s = best[slot]!;
      if (overlapMode) {
        combined = 1 - Math.exp(amount);
      } else {
        if (amount < kindParams.minShared) continue;
        combined = 1 - (1 - s) ** Math.min(amount - kindParams.minShared + 1, params.repeatCap);
      }
      if (combined <= 0) continue;
      const low = touchedLow[slot]!;
      const high = touchedHigh[slot]!;
      let index = pairIndex.getOrSet(low, high, pairCount);
      if (index < 0) {
        index = pairCount++;
        if (index === logNot.length) {
          pairKeys = grownFloat(pairKeys);
          logNot = grownFloat(logNot);
          backingLogNot = grownFloat(backingLogNot);
          masks = grownInt(masks);
          multiplicity = grownFloat(multiplicity);
        }
        pairKeys[index] = low * n + high;
      }
      const log = Math.log(Math.max(1e-9, 1 - combined));
      logNot[index]! += log;
      if (backing) backingLogNot[index]! += log;
      // An identity trait too common to say much (a public mail domain) is kept as evidence but
      // not recorded as a tie: the merge and split guards read these bits as "one operator".
      if (!identity || combined >= params.backupMin) masks[index]! |= bit;
      multiplicity[index] = Math.max(multiplicity[index]!, stands[slot]!);
    }
  }
  return { pairKeys, pairIndex, logNot, backingLogNot, masks, multiplicity, pairCount };
}

/** ln N of the population a shared value's rarity is measured against. */
function logPopulation(input: LinkInput): number {
  return Math.log(Math.max(input.population ?? input.accountCount, 3));
}

function anyCanLink(accounts: Int32Array, from: number, to: number, canLink: Uint8Array): boolean {
  for (let i = from; i < to; i++) if (canLink[accounts[i]!] === 1) return true;
  return false;
}

/** The strength one shared value gives a pair in a group of `m` accounts; 0 when the group links nobody. */
function groupStrength(m: number, kindParams: LinkKindParams, lnN: number): number {
  if (m < 2 || m > kindParams.maxGroup) return 0;
  const specific = kindParams.specificity > 0 ? Math.max(0, 1 - Math.log(m) / lnN) ** kindParams.specificity : 1;
  const s = kindParams.strength * specific;
  return s <= 0.001 ? 0 : s;
}

/** ln(1 − strength) is never taken below this (a strength of 1 − 1e-9). */
const LOG_FLOOR = Math.log(1e-9);

/**
 * Per account, the highest strength any pair it is in could reach, judged from its own groups
 * alone: each kind at its best (its strongest group, as many shared values as it has groups, its
 * whole use of a template shared), backing kinds and the profile at their most, within the bound
 * `scorePairs` sets them (no more than the specific traits give). A pair of two accounts whose
 * bounds are under `minEdge` is neither an edge nor a late tie (only a clustered account, which
 * has an edge, pulls another in), so it is never recorded: a flood of throwaway accounts on one
 * subnet costs no pairs.
 */
export function pairStrengthBounds(input: LinkInput): Float64Array {
  const n = input.accountCount;
  const lnN = logPopulation(input);
  const { params } = input;
  // Σ ln(1 − bound) per account: specific kinds, and backing kinds with the profile.
  const specificLog = new Float64Array(n);
  const backingLog = new Float64Array(n);
  const meetings = new Float64Array(n);
  const best = new Float64Array(n);
  const overlapLog = new Float64Array(n);
  const cycles = Math.max(1, Math.floor(params.sampledDegree / 2));
  for (const memberships of input.memberships) {
    const kindParams = params.kinds[memberships.kind];
    if (kindParams.strength <= 0 || memberships.accounts.length === 0) continue;
    const totals = kindParams.mode === 'overlap' ? usesPerAccount(memberships, n) : null;
    meetings.fill(0);
    best.fill(0);
    overlapLog.fill(0);
    // Grouped here and again when the pairs are gathered: holding every kind's groups at once
    // would cost more memory, at a flood's peak, than grouping twice costs time.
    const groups = groupByValue(memberships);
    for (let g = 0; g < groups.count; g++) {
      const m = groups.start[g + 1]! - groups.start[g]!;
      const s = groupStrength(m, kindParams, lnN);
      if (s === 0) continue;
      // A pair meets once in a fully linked group and at most once per cycle of a sampled one.
      const times = m <= params.fullPairsUpTo ? 1 : cycles;
      for (let i = groups.start[g]!; i < groups.start[g + 1]!; i++) {
        const a = groups.accounts[i]!;
        if (totals === null) {
          meetings[a]! += times;
          if (s > best[a]!) best[a] = s;
        } else {
          const share = groups.counts[i]! / totals[a]!;
          overlapLog[a]! += times * Math.log(1 - Math.min(0.999, s * Math.min(1, share / Math.max(1e-9, kindParams.fullOverlap))));
        }
      }
    }
    const target = BACKING_KINDS.has(memberships.kind) ? backingLog : specificLog;
    for (let a = 0; a < n; a++) {
      if (totals !== null) target[a]! += Math.max(LOG_FLOOR, overlapLog[a]!);
      else if (meetings[a]! >= kindParams.minShared) {
        target[a]! += Math.max(LOG_FLOOR, Math.min(meetings[a]! - kindParams.minShared + 1, params.repeatCap) * Math.log(1 - best[a]!));
      }
    }
  }
  const profileStrength = params.kinds.profile.strength;
  if (input.profiles !== undefined && profileStrength > 0) {
    const { dims, data } = input.profiles;
    const log = Math.log(1 - Math.min(0.999, profileStrength));
    for (let a = 0; a < n; a++) {
      for (let d = 0; d < dims; d++) {
        if (data[a * dims + d] !== 0) {
          backingLog[a]! += log;
          break;
        }
      }
    }
  }
  const bounds = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    const specific = specificLog[a]!;
    bounds[a] = 1 - Math.exp(specific + Math.max(specific, backingLog[a]!));
  }
  return bounds;
}

/** 1 for accounts whose pairs could reach `minEdge` (`pairStrengthBounds`). */
function edgeCapableAccounts(input: LinkInput): Uint8Array {
  const bounds = pairStrengthBounds(input);
  const capable = new Uint8Array(bounds.length);
  // The margin keeps a pair whose strength, summed in another order, lands a rounding error higher.
  for (let a = 0; a < bounds.length; a++) if (bounds[a]! >= input.params.minEdge - 1e-9) capable[a] = 1;
  return capable;
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
  // Gathered in a function of its own, so that its per-kind tables can be collected before the
  // arrays below are made.
  const { pairKeys, pairIndex, logNot, backingLogNot, masks, multiplicity, pairCount } = sharedTraitPairs(input);

  // Backing evidence (the same hours of activity, like behaviour) may strengthen a pair that
  // shares a specific trait, up to as much as that trait gives, but never make or join a link on
  // its own: round-the-clock services all share their hours, and scripts of one kind behave alike.
  // Log-evidence the backing kinds may still add to each pair: as much as its specific traits gave.
  const budget = new Float64Array(pairCount);
  for (let i = 0; i < pairCount; i++) {
    const specific = 1 - Math.exp(logNot[i]! - backingLogNot[i]!);
    budget[i] = specific >= params.backupMin ? -Math.log(Math.max(1e-9, 1 - specific)) : 0;
  }
  const back = (index: number, s: number, bit: number) => {
    const log = Math.min(budget[index]!, -Math.log(1 - Math.min(0.999, s)));
    if (log <= 0) return false;
    budget[index]! -= log;
    logNot[index]! -= log;
    masks[index]! |= bit;
    return true;
  };
  for (let i = 0; i < pairCount; i++) {
    if (backingLogNot[i]! === 0) continue;
    // Take the backing kinds' own evidence out again and put it back, bounded by the specific part.
    logNot[i]! -= backingLogNot[i]!;
    if (!back(i, 1 - Math.exp(backingLogNot[i]!), 0)) masks[i]! &= ~BACKING_MASK;
  }
  const profileParams = params.kinds.profile;
  if (input.profiles !== undefined && profileParams.strength > 0) {
    const bit = linkKindBit('profile');
    for (let index = 0; index < pairCount; index++) {
      const key = pairKeys[index]!;
      const a = Math.floor(key / n);
      const similarity = profileSimilarity(input.profiles, a, key - a * n);
      const s = profileParams.strength * Math.min(1, Math.max(0, (similarity - params.profileMinSimilarity) / Math.max(1e-9, 1 - params.profileMinSimilarity)));
      if (s > 0) back(index, s, bit);
    }
  }

  // Edges in a canonical order (by pair key) so graph construction, and with it Louvain, is
  // deterministic whatever order the memberships came in.
  // Keys are distinct, so sorting them natively and finding each one's pair again gives the order
  // a comparator over pair indexes gives, for less.
  const candidateStrengths = new Float64Array(pairCount);
  let edgeCount = 0;
  for (let i = 0; i < pairCount; i++) if ((candidateStrengths[i] = 1 - Math.exp(logNot[i]!)) >= params.minEdge) edgeCount++;
  const sortedKeys = new Float64Array(edgeCount);
  for (let index = 0, e = 0; index < pairCount; index++) if (candidateStrengths[index]! >= params.minEdge) sortedKeys[e++] = pairKeys[index]!;
  sortedKeys.sort();
  const keys = Array.from(sortedKeys);
  const strengths = new Float64Array(edgeCount);
  const weights = new Float64Array(edgeCount);
  const kinds = new Int32Array(edgeCount);
  for (let i = 0; i < edgeCount; i++) {
    const key = sortedKeys[i]!;
    const a = Math.floor(key / n);
    const index = pairIndex.get(a, key - a * n);
    strengths[i] = candidateStrengths[index]!;
    weights[i] = strengths[i]! * Math.max(1, multiplicity[index]!) ** params.sampleCompensation;
    kinds[i] = masks[index]!;
  }
  // Views, not copies: a copy would hold both at once at the peak of a flood.
  const candidateKeys = pairKeys.subarray(0, pairCount);
  return { n, keys, strengths, weights, kinds, candidates: pairCount, candidateKeys, candidateStrengths, candidateKinds: masks.subarray(0, pairCount) };
}

export function linkAccounts(input: LinkInput): LinkResult {
  const { params } = input;
  const n = input.accountCount;
  const pairs = scorePairs(input);
  const { keys: edgeKeys, strengths, kinds } = pairs;

  // Nodes and edges go in by the accounts' keys (hashes of their ids), not their numbering, so
  // community detection sees the same graph whatever order the accounts were numbered in.
  const byKey = (a: number, b: number) => input.accountKeys[a]! - input.accountKeys[b]! || a - b;
  const community = new Int32Array(n).fill(-1);
  const { modularity, count: communityCount } = communitiesByComponent(pairs, byKey, input.accountKeys, params, community);

  const merged = mergeCommunities(community, pairs, params.mergeRatio, params.mergeResolution);
  const split = splitCommunities(community, pairs, params, input.profiles, byKey, input.accountKeys, input.memberships[LINK_KINDS.indexOf('system_template')]!);
  const separated = separateDeclaredOrganisations(community, pairs, declaredOrganisations(input), params.minClusterSize);

  // Attachment: the account's strongest in-cluster links, combined as independent evidence (an
  // account tied to several members belongs more surely than one tied to a single member).
  const attachment = new Float32Array(n);
  const kindsOf = new Int32Array(n);
  const topEdges = new Float32Array(n * ATTACHMENT_LINKS);
  const noteEdge = (a: number, weight: number) => {
    const base = a * ATTACHMENT_LINKS;
    for (let k = 0; k < ATTACHMENT_LINKS; k++) {
      if (weight > topEdges[base + k]!) {
        for (let j = ATTACHMENT_LINKS - 1; j > k; j--) topEdges[base + j] = topEdges[base + j - 1]!;
        topEdges[base + k] = weight;
        return;
      }
    }
  };
  for (let e = 0; e < edgeKeys.length; e++) {
    const key = edgeKeys[e]!;
    const a = Math.floor(key / n);
    const b = key - a * n;
    if (community[a] === -1 || community[a] !== community[b]) continue;
    const mask = kinds[e]!;
    const weight = strengths[e]!;
    kindsOf[a]! |= mask;
    kindsOf[b]! |= mask;
    noteEdge(a, weight);
    noteEdge(b, weight);
  }
  let released = 0;
  for (let a = 0; a < n; a++) {
    if (community[a] === -1) continue;
    let none = 1;
    for (let k = 0; k < ATTACHMENT_LINKS; k++) none *= 1 - topEdges[a * ATTACHMENT_LINKS + k]!;
    attachment[a] = 1 - none;
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
  for (let e = 0; e < edgeKeys.length; e++) {
    const key = edgeKeys[e]!;
    const a = Math.floor(key / n);
    const b = key - a * n;
    const c = clusterOf[a]!;
    if (c === -1 || c !== clusterOf[b]) continue;
    const cluster = clusters[c]!;
    cluster.edges++;
    cluster.internalWeight += strengths[e]!;
    cluster.kinds |= kinds[e]!;
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
    stats: { pairs: pairs.candidates, edges: edgeKeys.length, communities: communityCount, merged, split, separated, released, lateJoins, modularity },
  };
}

/** A seed for one part of the graph, from the run's seed and a key of the accounts in it. */
function contentSeed(seed: number, key: number): number {
  return fmix32((Math.imul(key + 1, 0x9e3779b1) ^ seed) >>> 0);
}

/**
 * Louvain, run on each connected component of the account graph on its own, into `community`
 * (-1 for accounts without an edge). Communities never span components, and global modularity
 * is the sum of the components' own, each weighted by its share of the graph's weight, with the
 * resolution scaled by that share: so this optimises what one run over the whole graph would.
 * What it changes is where the randomness comes from: each component's node order is drawn from
 * a seed of its own accounts' keys, not from one sequence over the whole graph, so traffic that
 * touches one component (an unrelated account added, another campaign padded) no longer
 * reshuffles how Louvain cuts all the others; it reaches them only through the graph's total
 * weight, the scale the resolution is measured on. Returns the graph's modularity and the number
 * of communities.
 */
function communitiesByComponent(
  { n, keys: edgeKeys, weights }: ScoredPairs,
  byKey: (a: number, b: number) => number,
  accountKeys: Uint32Array,
  params: LinkInput['params'],
  community: Int32Array,
): { modularity: number; count: number } {
  const parent = new Int32Array(n).fill(-1);
  const root = (a: number): number => {
    let r = a;
    while (parent[r]! !== r) r = parent[r]!;
    while (parent[a]! !== r) {
      const next = parent[a]!;
      parent[a] = r;
      a = next;
    }
    return r;
  };
  let total = 0;
  for (let e = 0; e < edgeKeys.length; e++) {
    const key = edgeKeys[e]!;
    const a = Math.floor(key / n);
    const b = key - a * n;
    if (parent[a] === -1) parent[a] = a;
    if (parent[b] === -1) parent[b] = b;
    const ra = root(a);
    const rb = root(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    total += weights[e]!;
  }
  const nodesOf = new Map<number, number[]>();
  for (let a = 0; a < n; a++) {
    if (parent[a] === -1) continue;
    const r = root(a);
    let list = nodesOf.get(r);
    if (list === undefined) nodesOf.set(r, (list = []));
    list.push(a);
  }
  // Each component's edges as [a, b, weight], a before b in key order, and its total weight.
  const edgesOf = new Map<number, { edges: number[][]; weight: number }>();
  for (let e = 0; e < edgeKeys.length; e++) {
    const key = edgeKeys[e]!;
    const a = Math.floor(key / n);
    const b = key - a * n;
    const r = root(a);
    let part = edgesOf.get(r);
    if (part === undefined) edgesOf.set(r, (part = { edges: [], weight: 0 }));
    const w = weights[e]!;
    part.edges.push(byKey(a, b) <= 0 ? [a, b, w] : [b, a, w]);
    part.weight += w;
  }
  const components = [...nodesOf.entries()].map(([r, nodes]) => ({ nodes: nodes.sort(byKey), ...edgesOf.get(r)! }));
  components.sort((x, y) => byKey(x.nodes[0]!, y.nodes[0]!));
  let next = 0;
  let modularity = 0;
  const rankOf = new Int32Array(n);
  for (const { nodes, edges, weight } of components) {
    const resolution = (params.resolution * weight) / total;
    const graph = new LouvainGraph();
    for (const node of nodes) graph.addNode(node);
    // Edges by their ends' places in `byKey` order, first end then second: nodes are in that order
    // already, so two stable counting passes give it without a comparison.
    nodes.forEach((node, place) => (rankOf[node] = place));
    for (const [a, b, w] of byPlace(byPlace(edges, 1, rankOf, nodes.length), 0, rankOf, nodes.length)) graph.addEdge(a!, b!, w!);
    const detailed = louvain.detailed(graph.asGraph(), { getEdgeWeight: 'weight', rng: seededRandom(contentSeed(params.seed, accountKeys[nodes[0]!]!)), resolution });
    for (const [node, c] of Object.entries(detailed.communities)) community[Number(node)] = next + (c as number);
    modularity += (weight / total) * detailed.modularity;
    next += detailed.count;
  }
  return { modularity, count: next };
}

/** `edges` in a stable order of their `end`-th node's place (`rankOf`, below `places`). */
function byPlace(edges: readonly number[][], end: number, rankOf: Int32Array, places: number): number[][] {
  const start = new Int32Array(places + 1);
  for (const edge of edges) start[rankOf[edge[end]!]! + 1]!++;
  for (let place = 0; place < places; place++) start[place + 1]! += start[place]!;
  const ordered = new Array<number[]>(edges.length);
  for (const edge of edges) ordered[start[rankOf[edge[end]!]!]!++] = edge;
  return ordered;
}

/**
 * One kind's accounts grouped by shared value, in flat arrays: group g is
 * `accounts[start[g] .. start[g + 1]]` with their use counts. Groups come in the order their value
 * first appears, members in membership order, an account listed twice in a row counted once:
 * the order the pairs are summed in, so results do not move by a rounding error.
 */
interface ValueGroups {
  count: number;
  start: Int32Array;
  accounts: Int32Array;
  counts: Float64Array;
}

function groupByValue(memberships: LinkInput['memberships'][number]): ValueGroups {
  const total = memberships.accounts.length;
  const groupOf = new Int32Array(total);
  const ids = new Map<number, number>();
  for (let i = 0; i < total; i++) {
    const value = memberships.values[i]!;
    let id = ids.get(value);
    if (id === undefined) ids.set(value, (id = ids.size));
    groupOf[i] = id;
  }
  const count = ids.size;
  ids.clear();
  const start = new Int32Array(count + 1);
  for (let i = 0; i < total; i++) start[groupOf[i]! + 1]!++;
  for (let g = 0; g < count; g++) start[g + 1]! += start[g]!;
  const fill = start.slice(0, count);
  const accounts = new Int32Array(total);
  const counts = new Float64Array(total);
  for (let i = 0; i < total; i++) {
    const g = groupOf[i]!;
    const account = memberships.accounts[i]!;
    if (fill[g]! > start[g]! && accounts[fill[g]! - 1] === account) counts[fill[g]! - 1]! += memberships.counts[i]!;
    else {
      accounts[fill[g]!] = account;
      counts[fill[g]!] = memberships.counts[i]!;
      fill[g]!++;
    }
  }
  // Merged repeats leave gaps at the ends of their groups: close them up.
  let write = 0;
  for (let g = 0; g < count; g++) {
    const from = start[g]!;
    start[g] = write;
    for (let i = from; i < fill[g]!; i++, write++) {
      accounts[write] = accounts[i]!;
      counts[write] = counts[i]!;
    }
  }
  start[count] = write;
  return { count, start, accounts: accounts.subarray(0, write), counts: counts.subarray(0, write) };
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
    // Prompt text alone never pulls an account in late: a benchmark runner on a public kit's
    // frames sends what a campaign on the same kit sends. System prompts may: the client's
    // operator picks them (scoring then asks for several of the cluster's, or value evidence).
    if ((entry.kinds & ~CONTENT_LINKS) === 0 && (entry.kinds & SYSTEM_TEMPLATE_LINK) === 0) continue;
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

/** Communities with more sub-communities than this are left whole: the conductance search is quadratic in them. */
const MAX_SPLIT_GROUPS = 400;

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
  { n, keys: edgeKeys, weights, kinds }: ScoredPairs,
  params: LinkInput['params'],
  profiles: ProfileVectors | undefined,
  byKey: (a: number, b: number) => number,
  accountKeys: Uint32Array,
  systemTemplates: KindMemberships,
): number {
  if (profiles === undefined) return 0;
  // Each system prompt's holders, and each account's system prompts.
  const holders = new Map<number, number>();
  const promptsOf = new Map<number, number[]>();
  for (let i = 0; i < systemTemplates.accounts.length; i++) {
    const a = systemTemplates.accounts[i]!;
    const value = systemTemplates.values[i]!;
    holders.set(value, (holders.get(value) ?? 0) + 1);
    let list = promptsOf.get(a);
    if (list === undefined) promptsOf.set(a, (list = []));
    list.push(value);
  }
  const members = new Map<number, number[]>();
  for (let a = 0; a < n; a++) {
    const c = community[a]!;
    if (c === -1) continue;
    let list = members.get(c);
    if (list === undefined) members.set(c, (list = []));
    list.push(a);
  }
  // Pair keys in graph order: by the accounts' keys at each end, as the nodes go in.
  const byEnds = (x: number, y: number) => byKey(Math.floor(x / n), Math.floor(y / n)) || byKey(x % n, y % n);
  // Each community's edges, as indexes into the pairs.
  const edgesOf = new Map<number, number[]>();
  for (let e = 0; e < edgeKeys.length; e++) {
    const key = edgeKeys[e]!;
    const a = Math.floor(key / n);
    const b = key - a * n;
    if (community[a] === -1 || community[a] !== community[b]) continue;
    let list = edgesOf.get(community[a]!);
    if (list === undefined) edgesOf.set(community[a]!, (list = []));
    list.push(e);
  }
  // A loop, not Math.max(...community): spreading 100,000+ arguments overflows the stack.
  let nextCommunity = 0;
  for (const c of community) if (c >= nextCommunity) nextCommunity = c + 1;
  let splits = 0;
  for (const [c, nodes] of [...members].sort((x, y) => x[0] - y[0])) {
    if (nodes.length < 2 * params.minClusterSize) continue;
    const edges = edgesOf.get(c) ?? [];
    const graph = new LouvainGraph();
    const sorted = [...nodes].sort(byKey);
    for (const a of sorted) graph.addNode(a);
    for (const e of [...edges].sort((x, y) => byEnds(edgeKeys[x]!, edgeKeys[y]!))) {
      const key = edgeKeys[e]!;
      const a = Math.floor(key / n);
      graph.addEdge(a, key - a * n, weights[e]!);
    }
    const sub = louvain(graph.asGraph(), { getEdgeWeight: 'weight', rng: seededRandom(contentSeed(params.seed + 1, accountKeys[sorted[0]!]!)), resolution: params.splitResolution });
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
    for (const e of edges) {
      const key = edgeKeys[e]!;
      const a = Math.floor(key / n);
      const ga = groupOf.get(a)!;
      const gb = groupOf.get(key - a * n)!;
      const w = weights[e]!;
      volume[ga]! += w;
      volume[gb]! += w;
      if (ga === gb) inside[ga]! += w;
      else {
        between[ga]![gb]! += w;
        between[gb]![ga]! += w;
      }
    }
    const members = (pieces: ReadonlySet<number>, inside: boolean) => nodes.filter((a) => pieces.has(groupOf.get(a)!) === inside);
    // The community's own system prompts: held by three of its members or more and by few
    // accounts outside it (a fifth of their holders at most). A harness rotates such a set over
    // all of its accounts, whatever task each works on.
    const heldInside = new Map<number, number>();
    for (const a of nodes) for (const value of promptsOf.get(a) ?? []) heldInside.set(value, (heldInside.get(value) ?? 0) + 1);
    // Per own prompt, how many members of each sub-community send it: a candidate's side is a
    // union of sub-communities, so its count is a sum, not a pass over the members.
    const ownPerGroup = new Map<number, Float64Array>();
    for (const [value, count] of heldInside) if (count >= params.minClusterSize && count >= 0.8 * holders.get(value)!) ownPerGroup.set(value, new Float64Array(k));
    for (const a of nodes) {
      for (const value of promptsOf.get(a) ?? []) {
        const perGroup = ownPerGroup.get(value);
        if (perGroup !== undefined) perGroup[groupOf.get(a)!]!++;
      }
    }
    // Parts that both send the community's own system prompts (two members each) are one
    // harness's division of labour: cut apart, each would lose the rotated set only the whole shows.
    const shareOwnPrompts = (pieces: readonly number[]) => {
      for (const [value, perGroup] of ownPerGroup) {
        let inPiece = 0;
        for (const g of pieces) inPiece += perGroup[g]!;
        if (inPiece >= 2 && heldInside.get(value)! - inPiece >= 2) return true;
      }
      return false;
    };
    // A loosely tied part is split off only if it is another operation: it behaves another way
    // (the parts of one operation behave alike) and it pays with none of the rest's cards or keys
    // (one payer dividing its work among scripts is still one operation), or all that ties it to
    // the rest is prompt text while one side is held together by infrastructure, cards or
    // sign-ups (two operators can use one public prompt kit; they do not share one exit pool or
    // card); and never while both parts send the community's own system prompts, unless accounts
    // of one declared organisation are among them (a product running the public kit a campaign
    // beside it runs is another operator, whatever prompts the two share).
    const accept = (pieces: readonly number[]) => {
      const set = new Set(pieces);
      let cross = 0;
      let held = 0;
      for (const e of edges) {
        const key = edgeKeys[e]!;
        const a = Math.floor(key / n);
        const inA = set.has(groupOf.get(a)!);
        const inB = set.has(groupOf.get(key - a * n)!);
        if (inA !== inB) cross |= kinds[e]!;
        else held |= kinds[e]!;
      }
      if ((held & DECLARED_ORGANISATION) === 0 && shareOwnPrompts(pieces)) return false;
      if ((cross & OPERATOR_LINKS) === 0 && behavesApart(profiles, members(set, true), members(set, false), params)) return true;
      return cross !== 0 && (cross & ~CONTENT_LINKS) === 0 && (held & IDENTITY_LINKS) !== 0;
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

/** Each account's declared organisation as a number (-1: none), from the `org` memberships. */
function declaredOrganisations(input: LinkInput): Float64Array {
  const organisation = new Float64Array(input.accountCount).fill(-1);
  const memberships = input.memberships[LINK_KINDS.indexOf('org')]!;
  for (let i = 0; i < memberships.accounts.length; i++) organisation[memberships.accounts[i]!] = memberships.values[i]!;
  return organisation;
}

/**
 * A declared organisation is one customer. When several of its accounts sit in a community
 * with others and nothing but what they send ties them to the rest (templates, prompts,
 * behaviour, common client software: a public prompt kit or a shared task list), they are
 * another operator than the rest and become a community of their own, as `mergeCommunities`
 * never joins two groups tied by prompt text alone when one is held together by identity. A
 * shared exit, card, sign-up or mail domain keeps them in (a shared /24 alone does not:
 * `HOLDING_LINKS`), unless it ties them only to another
 * organisation of several accounts that is in the same position: one company's product team
 * and its developers on the company's mail domain are one customer too, and leave together.
 * An account of no organisation, or one that is its organisation's only account in the
 * community (how sign-up farms look), holds in whatever its identity links reach. Returns how
 * many groups were separated.
 */
function separateDeclaredOrganisations(community: Int32Array, { n, keys: edgeKeys, kinds }: ScoredPairs, organisation: Float64Array, minClusterSize: number): number {
  const members = new Map<number, Map<number, number[]>>();
  const sizes = new Map<number, number>();
  let nextCommunity = 0;
  let organisations = 0;
  for (let a = 0; a < n; a++) {
    const c = community[a]!;
    if (c === -1) continue;
    if (c >= nextCommunity) nextCommunity = c + 1;
    sizes.set(c, (sizes.get(c) ?? 0) + 1);
    if (organisation[a]! < 0) continue;
    if (organisation[a]! >= organisations) organisations = organisation[a]! + 1;
    let byOrganisation = members.get(c);
    if (byOrganisation === undefined) members.set(c, (byOrganisation = new Map()));
    let list = byOrganisation.get(organisation[a]!);
    if (list === undefined) byOrganisation.set(organisation[a]!, (list = []));
    list.push(a);
  }
  const slot = (a: number) => community[a]! * organisations + organisation[a]!;
  const lone = (a: number) => organisation[a]! < 0 || members.get(community[a]!)!.get(organisation[a]!)!.length < 2;
  // Organisations of one community that identity links tie to each other form a group (union
  // by slot); one tied to an account of no organisation, or to a lone account, is held in.
  const parent = new Map<number, number>();
  const root = (x: number): number => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const heldIn = new Set<number>();
  for (let e = 0; e < edgeKeys.length; e++) {
    const key = edgeKeys[e]!;
    const a = Math.floor(key / n);
    const b = key - a * n;
    if (community[a] === -1 || community[a] !== community[b] || organisation[a] === organisation[b]) continue;
    if ((kinds[e]! & HOLDING_LINKS) === 0) continue;
    if (lone(a) || lone(b)) {
      if (organisation[a]! >= 0) heldIn.add(slot(a));
      if (organisation[b]! >= 0) heldIn.add(slot(b));
      continue;
    }
    const x = root(slot(a));
    const y = root(slot(b));
    if (x !== y) parent.set(Math.max(x, y), Math.min(x, y));
  }
  let separated = 0;
  for (const [c, byOrganisation] of [...members].sort((x, y) => x[0] - y[0])) {
    const groups = new Map<number, { accounts: number[]; largest: number; held: boolean }>();
    for (const [org, accounts] of [...byOrganisation].sort((x, y) => x[0] - y[0])) {
      const key = root(c * organisations + org);
      let group = groups.get(key);
      if (group === undefined) groups.set(key, (group = { accounts: [], largest: 0, held: false }));
      group.accounts.push(...accounts);
      group.largest = Math.max(group.largest, accounts.length);
      if (heldIn.has(c * organisations + org)) group.held = true;
    }
    let remaining = sizes.get(c)!;
    for (const group of groups.values()) {
      if (group.largest < minClusterSize || group.accounts.length === remaining || group.held) continue;
      const id = nextCommunity++;
      for (const a of group.accounts) community[a] = id;
      remaining -= group.accounts.length;
      separated++;
    }
  }
  return separated;
}

/** In-cluster links that make up an account's attachment. */
const ATTACHMENT_LINKS = 3;

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
  const inGroup = new Uint8Array(k);
  const toGroup = new Float64Array(k);
  for (;;) {
    // The remaining pieces in their order, as an array: the loops below run over them k² times.
    const left = [...remaining];
    let total = 0;
    for (const g of left) total += volume[g]!;
    let remainingSize = 0;
    for (const g of left) remainingSize += size[g]!;
    // Each piece's links to the other remaining pieces: fixed until a group is taken out.
    const cutOf = new Float64Array(k);
    for (const t of left) {
      let cutT = 0;
      const row = between[t]!;
      for (const g of left) if (g !== t) cutT += row[g]!;
      cutOf[t] = cutT;
    }
    let best: { group: number[]; conductance: number } | null = null;
    for (const seed of left) {
      const group = [seed];
      inGroup.fill(0);
      inGroup[seed] = 1;
      toGroup.fill(0);
      const seedRow = between[seed]!;
      for (const g of left) toGroup[g] = seedRow[g]!;
      let groupVolume = volume[seed]!;
      let groupSize = size[seed]!;
      // Cut to the remaining pieces: links to pieces already taken out no longer count.
      let cut = cutOf[seed]!;
      let conductance = cut / Math.max(1e-9, Math.min(groupVolume, total - groupVolume));
      for (;;) {
        let pick = -1;
        let pickConductance = conductance;
        for (const t of left) {
          if (inGroup[t] === 1 || toGroup[t]! === 0) continue;
          const nextCut = cut + cutOf[t]! - 2 * toGroup[t]!;
          const nextVolume = groupVolume + volume[t]!;
          if (nextVolume * 2 > total) continue;
          const c = nextCut / Math.max(1e-9, Math.min(nextVolume, total - nextVolume));
          if (c < pickConductance - 1e-12) {
            pick = t;
            pickConductance = c;
          }
        }
        if (pick === -1) break;
        cut = cut + cutOf[pick]! - 2 * toGroup[pick]!;
        groupVolume += volume[pick]!;
        groupSize += size[pick]!;
        conductance = pickConductance;
        group.push(pick);
        inGroup[pick] = 1;
        const pickRow = between[pick]!;
        for (const g of left) toGroup[g]! += pickRow[g]!;
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

/** One side of a cut as behaviour sees it: its members with a fingerprint and their sum. */
interface FingerprintSide {
  accounts: number[];
  sum: Float64Array;
}

function fingerprintSide(profiles: ProfileVectors, accounts: readonly number[]): FingerprintSide {
  const { dims, data } = profiles;
  const profiled = accounts.filter((a) => profiles.profiled[a] === 1);
  const sum = new Float64Array(dims);
  for (const a of profiled) for (let d = 0; d < dims; d++) sum[d]! += data[a * dims + d]!;
  return { accounts: profiled, sum };
}

/**
 * Whether two sets of accounts behave as two operations: their mean fingerprints point different
 * ways from the population's centre (they do different unusual things), and their members can be
 * told apart one by one (`behaviourSeparability`). The first alone answers to the population:
 * when the population moves toward an operation (other campaigns' padded prompts all filling the
 * filler's template raised its templated share), what the operation's parts have in common
 * shrinks and the noise of their two means is left, which cut one probing campaign along its card
 * groups padded and not clean. The second alone is not enough: the finer pass cuts along the
 * links, behaviour among them, so the parts it finds in one operation differ more than chance.
 * Only accounts with a fingerprint count: one with too little traffic to judge says nothing about
 * how its side behaves, and averaging its zeros in would leave a mean made of the few that have
 * one (a campaign of four-request accounts, split anywhere, then looks like two behaviours). A
 * side with fewer than `minClusterSize` fingerprints gives no verdict: alike.
 */
function behavesApart(profiles: ProfileVectors, left: readonly number[], right: readonly number[], params: LinkInput['params']): boolean {
  const sides: [FingerprintSide, FingerprintSide] = [fingerprintSide(profiles, left), fingerprintSide(profiles, right)];
  if (sides[0].accounts.length < params.minClusterSize || sides[1].accounts.length < params.minClusterSize) return false;
  return meanCosine(sides) < params.splitMaxSimilarity && behaviourSeparability(profiles, sides) >= params.splitMinSeparability;
}

/** Cosine similarity of two sides' mean fingerprints (1 when either mean is zero). */
function meanCosine([x, y]: readonly [FingerprintSide, FingerprintSide]): number {
  let dot = 0;
  let nx = 0;
  let ny = 0;
  for (let d = 0; d < x.sum.length; d++) {
    dot += x.sum[d]! * y.sum[d]!;
    nx += x.sum[d]! * x.sum[d]!;
    ny += y.sum[d]! * y.sum[d]!;
  }
  return nx === 0 || ny === 0 ? 1 : dot / Math.sqrt(nx * ny);
}

/**
 * How well behaviour alone tells two sides apart: each member is put with the side whose mean
 * fingerprint is nearer (its own side's mean taken without it), and the shares put back on their
 * own side are averaged over the two sides. Parts of one operation cut anywhere score about one
 * half, chance, whatever centre and scale the population gives the fingerprint; two operations
 * that behave differently score near 1. Each side holds at least two members.
 */
function behaviourSeparability(profiles: ProfileVectors, sides: readonly [FingerprintSide, FingerprintSide]): number {
  const { dims, data } = profiles;
  let separability = 0;
  for (let side = 0; side < 2; side++) {
    const own = sides[side]!;
    const other = sides[1 - side]!;
    const ownCount = own.accounts.length - 1;
    const otherCount = other.accounts.length;
    let placed = 0;
    for (const a of own.accounts) {
      let toOwn = 0;
      let toOther = 0;
      for (let d = 0; d < dims; d++) {
        const x = data[a * dims + d]!;
        toOwn += (x - (own.sum[d]! - x) / ownCount) ** 2;
        toOther += (x - other.sum[d]! / otherCount) ** 2;
      }
      if (toOwn < toOther) placed++;
    }
    separability += placed / own.accounts.length / 2;
  }
  return separability;
}

/**
 * Union of communities linked to each other more than their size explains; returns how many
 * merges happened. Louvain cuts a large homogeneous group (a proxy network whose accounts all
 * share templates and a pool of exits) into pieces that modularity cannot tell apart; their
 * cross-links are close to what random mixing inside the group gives, far above what it gives in
 * the whole graph, so `resolution` well below 1 rejoins them. What this merges wrongly, a small
 * campaign hanging off a large one, the split step that follows takes apart again.
 */
function mergeCommunities(community: Int32Array, { n, keys: edgeKeys, weights, kinds }: ScoredPairs, ratio: number, resolution: number): number {
  const volume = new Map<number, number>();
  const cross = new Map<string, number>();
  const crossKinds = new Map<string, number>();
  const heldBy = new Map<number, number>();
  let total = 0;
  for (let e = 0; e < edgeKeys.length; e++) total += weights[e]!;
  for (let e = 0; e < edgeKeys.length; e++) {
    const key = edgeKeys[e]!;
    const a = Math.floor(key / n);
    const b = key - a * n;
    const ca = community[a]!;
    const cb = community[b]!;
    const w = weights[e]!;
    volume.set(ca, (volume.get(ca) ?? 0) + w);
    volume.set(cb, (volume.get(cb) ?? 0) + w);
    if (ca !== cb) {
      const pair = ca < cb ? `${ca},${cb}` : `${cb},${ca}`;
      cross.set(pair, (cross.get(pair) ?? 0) + w);
      crossKinds.set(pair, (crossKinds.get(pair) ?? 0) | kinds[e]!);
    } else heldBy.set(ca, (heldBy.get(ca) ?? 0) | kinds[e]!);
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
    // Tied strongly for their size, or more than `resolution` times what random mixing gives;
    // but never two groups tied only by prompt text when either is held together by exits,
    // cards or sign-ups: two operators may use one public prompt kit (see `splitCommunities`).
    if (weight < ratio * Math.min(va, vb) && weight < (resolution * va * vb) / (2 * total)) continue;
    if ((crossKinds.get(pair)! & ~CONTENT_LINKS) === 0 && ((heldBy.get(ca) ?? 0) | (heldBy.get(cb) ?? 0)) & IDENTITY_LINKS) continue;
    const ra = find(ca);
    const rb = find(cb);
    if (ra === rb) continue;
    parent.set(Math.max(ra, rb), Math.min(ra, rb));
    merges++;
  }
  if (merges > 0) for (let a = 0; a < community.length; a++) if (community[a]! >= 0) community[a] = find(community[a]!);
  return merges;
}
