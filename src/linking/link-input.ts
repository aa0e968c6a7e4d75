import { fmix32, murmur32 } from '../util/hash64.js';
import { grownFloat, grownInt } from '../util/grown-array.js';
import type { BehaviourTracker } from '../behaviour/behaviour-tracker.js';
import { templateKey } from '../behaviour/behaviour-tracker.js';
import type { AccountState } from '../behaviour/account-state.js';
import type { PopulationContext } from '../behaviour/account-summary.js';
import { rarityPopulation } from '../behaviour/rarity-population.js';
import { buildProfileVectors, type ProfileVectors, type SummarySource } from './profile-vector.js';

/**
 * The traits two accounts can share, each an edge source of the account graph. Infrastructure
 * and payment come from the exchanges and the accounts file (`email_domain` a company's or an
 * operator's own mail domain, `academic_domain` a university's, whose members sign up on their
 * own); templates and prompts from the content features; `signup_time` is the half-hour an
 * account was created in (bursts of sign-ups); `activity` a MinHash band of the hours an account
 * was active in (synchronised load-balancing across accounts). `profile` is not a shared value
 * but the similarity of two already-linked accounts' behavioural fingerprints
 * (`profile-vector.ts`).
 */
export const LINK_KINDS = [
  'ip',
  'subnet',
  'asn',
  'user_agent',
  'tls',
  'api_key',
  'payment',
  'email_domain',
  'academic_domain',
  'signup_ip',
  'signup_time',
  'org',
  'prompt_template',
  'system_template',
  'prompt',
  'activity',
  'profile',
] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export interface LinkKindParams {
  /** Strength of one shared value as evidence that two accounts are run together (0..1). */
  strength: number;
  /**
   * How much a common value is discounted: strength × (1 − ln m / ln N)^specificity for a value
   * m of N accounts share. 0 for traits whose breadth is itself the signal (templates).
   */
  specificity: number;
  /** Values shared by more accounts than this are ignored (a public mail domain, a big ASN). */
  maxGroup: number;
  /** Values per account taken into the graph (the account's lowest-hash ones: a consistent sample). */
  perAccount: number;
  /** Shared values of this kind a pair needs before the kind counts (an ASN alone is nothing). */
  minShared: number;
  /**
   * `count`: the more values two accounts share, the stronger (up to `repeatCap`), as for IPs.
   * `overlap`: how much of their use the shared values cover, Σ min(share_a, share_b) with
   * share = the value's part of the account's uses of this kind, reaching full strength at
   * `fullOverlap`. For templates: two accounts running one script fill the same templates in
   * similar proportions, while two unrelated ones share at most a common boilerplate template.
   */
  mode: 'count' | 'overlap';
  fullOverlap: number;
}

export interface LinkParams {
  kinds: Record<LinkKind, LinkKindParams>;
  /** Shared values of one kind beyond the first add to a pair's evidence, up to this many. */
  repeatCap: number;
  /** Groups up to this size link every pair; larger ones link each member to `sampledDegree` others. */
  fullPairsUpTo: number;
  sampledDegree: number;
  /** Power of the pairs a sampled pair stands for, applied to its graph weight (0: none, 1: all). */
  sampleCompensation: number;
  /** Pairs weaker than this get no edge: one weak shared trait links nobody. */
  minEdge: number;
  /** Louvain resolution: above 1 finds smaller communities. */
  resolution: number;
  /** Communities whose cross-links reach this share of the smaller one's links are merged... */
  mergeRatio: number;
  /** ...as are those linked more than this multiple of what random mixing in the graph gives. */
  mergeResolution: number;
  /** Resolution of the second, finer Louvain pass inside each community. */
  splitResolution: number;
  /** A sub-community whose conductance to the rest of its community is below this is split off... */
  splitConductance: number;
  /** ...and below this multiple of the community's typical piece conductance... */
  splitRelative: number;
  /** ...and when its mean fingerprint is less similar than this to the rest's... */
  splitMaxSimilarity: number;
  /** ...and behaviour alone puts at least this share of each side's members with their own side (0.5: chance). */
  splitMinSeparability: number;
  /** A member whose links into its cluster combine to less than this is let go. */
  minAttachment: number;
  /** An unclustered account joins a cluster when its `lateLinks` strongest links into it combine to this. */
  lateAttachment: number;
  lateLinks: number;
  minClusterSize: number;
  /** A template counts for an account when it fills at least this many of its exchanges... */
  templateMinExchanges: number;
  /** ...and at least this share of them. */
  templateMinShare: number;
  signupBucketMinutes: number;
  /** A sign-up half-hour counts as a burst from this many accounts... */
  signupBurstMin: number;
  /** ...and this many times the typical half-hour. */
  signupBurstFactor: number;
  /** Accounts active in fewer hours than this get no activity band (too little to compare). */
  activityMinHours: number;
  /** Specific evidence a pair needs before backing kinds (activity, client software, ASN, behaviour) add to it. */
  backupMin: number;
  /** Fingerprint similarity (cosine) from which `profile` adds evidence; full at 1. */
  profileMinSimilarity: number;
  /** Accounts with fewer exchanges get no fingerprint (too noisy). */
  profileMinExchanges: number;
  seed: number;
}

/** One kind's memberships: account `accounts[i]` has value `values[i]` (with `counts[i]` uses). */
export interface KindMemberships {
  kind: LinkKind;
  accounts: Int32Array;
  values: Float64Array;
  counts: Float64Array;
}

/** Everything relinking needs, in plain arrays: cheap to send to a worker thread. */
export interface LinkInput {
  accountCount: number;
  /**
   * The population a shared value's rarity is measured against: accounts weighted by how much
   * traffic they had to share anything with (`rarityPopulation`). Defaults to `accountCount`.
   */
  population?: number;
  /** A hash of each account's id: what sampling ranks by, so numbering order changes nothing. */
  accountKeys: Uint32Array;
  memberships: KindMemberships[];
  /** Behavioural fingerprints, when the caller computed them. */
  profiles?: ProfileVectors;
  params: LinkParams;
}

/** Grows its typed arrays by doubling: a flood of accounts adds millions of memberships. */
class MembershipBuilder {
  private size = 0;
  private accounts = new Int32Array(1024);
  private values = new Float64Array(1024);
  private counts = new Float64Array(1024);
  readonly kindIndex: number;
  constructor(readonly kind: LinkKind) {
    this.kindIndex = LINK_KINDS.indexOf(kind);
  }
  add(account: number, value: number, count: number): void {
    if (this.size === this.accounts.length) {
      this.accounts = grownInt(this.accounts);
      this.values = grownFloat(this.values);
      this.counts = grownFloat(this.counts);
    }
    this.accounts[this.size] = account;
    this.values[this.size] = value;
    this.counts[this.size] = count;
    this.size++;
  }
  build(): KindMemberships {
    return { kind: this.kind, accounts: this.accounts.slice(0, this.size), values: this.values.slice(0, this.size), counts: this.counts.slice(0, this.size) };
  }
}

/**
 * Reads the traits of every account from the behaviour state. Runs on the thread that owns the
 * state; the result is what `linkAccounts` (pure, possibly in a worker) consumes.
 */
export function buildLinkInput(tracker: BehaviourTracker, params: LinkParams, population?: { context: PopulationContext; summaries: SummarySource }): LinkInput {
  return assembleLinkInput(tracker, params, population, null);
}

/** Kinds an account's own traffic alone decides (templates too, while the population's set of templates holds). */
const SKETCH_KINDS = ['ip', 'subnet', 'asn', 'user_agent', 'tls', 'api_key'] as const;
const OWN_KINDS = [...SKETCH_KINDS, 'prompt', 'activity'] as const;
const TEMPLATE_KINDS = [
  ['prompt_template', 'prompt'],
  ['system_template', 'system'],
] as const;
/** Every template's standing changed (or no earlier build): no account's template rows hold. */
const ALL = 'all';

/** What one build leaves for the next: its rows, and what they were read at. */
interface LastBuild {
  revision: number;
  params: LinkParams;
  accountCount: number;
  accountKeys: Uint32Array;
  memberships: KindMemberships[];
  /** Rows per kind, to tell arrays a caller has since transferred to another thread (detached, length 0). */
  rows: number[];
  varied: ReadonlySet<number> | undefined;
}

/**
 * Builds a store's link inputs one after another, as a live engine or a backtest relinks: an
 * account that has not changed since the last build (its `changedAt` is not past that build's
 * revision) keeps the rows it had, copied instead of read again from its sketches, templates and
 * hours. Between two relinks most accounts send nothing, and reading every account's traits was
 * most of a relink's snapshot (docs/performance.md, "policy backtest"). Traits that depend on the
 * whole population (sign-up bursts, which templates count) or on the account records are read
 * again every time; each input is the one `buildLinkInput` would make, row for row.
 */
export class LinkInputBuilder {
  private last: LastBuild | null = null;

  build(tracker: BehaviourTracker, params: LinkParams, population?: { context: PopulationContext; summaries: SummarySource }): LinkInput {
    const last = this.last;
    // Let the old rows go as soon as the new ones are made, not after the caller is done.
    this.last = null;
    const input = assembleLinkInput(tracker, params, population, last);
    this.last = {
      revision: tracker.revision,
      params,
      accountCount: input.accountCount,
      accountKeys: input.accountKeys,
      memberships: input.memberships,
      rows: input.memberships.map((m) => m.accounts.length),
      varied: population?.context.variedTemplates,
    };
    return input;
  }
}

function assembleLinkInput(
  tracker: BehaviourTracker,
  params: LinkParams,
  population: { context: PopulationContext; summaries: SummarySource } | undefined,
  last: LastBuild | null,
): LinkInput {
  const varied = population?.context.variedTemplates;
  const builders = Object.fromEntries(LINK_KINDS.map((kind) => [kind, new MembershipBuilder(kind)])) as Record<LinkKind, MembershipBuilder>;
  // A number per distinct value of each kind: only which accounts share one matters.
  const payments = new Map<string, number>();
  const mailDomains = new Map<string, number>();
  const signupIps = new Map<string, number>();
  const orgs = new Map<string, number>();
  const signupBuckets = signupBurstBuckets(tracker.accounts, params);
  const previous =
    last !== null && last.params === params && last.accountKeys.length === last.accountCount && last.memberships.every((m, k) => m.accounts.length === last.rows[k]) ? last : null;
  const templateChanges = previous === null ? ALL : changedTemplates(previous.varied, varied);
  const copier = previous === null ? null : new RowCopier(previous.memberships);

  for (const state of tracker.accounts) {
    const a = state.index;
    const unchanged = previous !== null && a < previous.accountCount && state.changedAt <= previous.revision;
    if (unchanged) for (const kind of OWN_KINDS) copier!.copy(builders[kind], a);
    else addOwnTraits(builders, state, params);
    for (const [kind, text] of TEMPLATE_KINDS) {
      if (unchanged && templatesHold(state, text, templateChanges)) copier!.copy(builders[kind], a);
      else if (state.exchanges > 0) addTemplates(builders[kind], state, text, params, varied);
    }
    const info = state.info;
    if (info !== null) {
      if (info.paymentFingerprint) builders.payment.add(a, intern(payments, info.paymentFingerprint), 1);
      if (info.linkableMailDomain) builders[info.academicMailDomain ? 'academic_domain' : 'email_domain'].add(a, intern(mailDomains, info.linkableMailDomain), 1);
      if (info.signupIp) builders.signup_ip.add(a, intern(signupIps, info.signupIp), 1);
      if (info.orgId) builders.org.add(a, intern(orgs, info.orgId), 1);
      if (info.createdAt !== null) {
        const bucket = Math.floor(info.createdAt / (params.signupBucketMinutes * 60_000));
        if (signupBuckets.has(bucket)) builders.signup_time.add(a, bucket, 1);
      }
    }
  }
  const accountKeys = new Uint32Array(tracker.accounts.length);
  const keptKeys = previous === null ? 0 : Math.min(previous.accountCount, accountKeys.length);
  if (keptKeys > 0) accountKeys.set(previous!.accountKeys.subarray(0, keptKeys));
  for (let a = keptKeys; a < accountKeys.length; a++) accountKeys[a] = murmur32(tracker.accounts[a]!.id, 0x6c696e6b) >>> 0;
  const input: LinkInput = {
    accountCount: tracker.accounts.length,
    population: rarityPopulation(tracker.accounts),
    accountKeys,
    memberships: LINK_KINDS.map((kind) => builders[kind].build()),
    params,
  };
  if (population !== undefined && params.kinds.profile.strength > 0) input.profiles = buildProfileVectors(population.summaries, params.profileMinExchanges);
  return input;
}

/** The traits of `OWN_KINDS` from the account's own state. */
function addOwnTraits(builders: Record<LinkKind, MembershipBuilder>, state: AccountState, params: LinkParams): void {
  const a = state.index;
  for (const kind of SKETCH_KINDS) {
    const limit = params.kinds[kind].perAccount;
    const sketch = state.indicator(kind);
    // Most accounts of a flood hold one value a kind: taken without sorting a list of one.
    if (sketch.length === 1) sketch.forEach((id, count) => builders[kind].add(a, id, count));
    else {
      const entries = sketch.entries();
      for (let i = 0; i < entries.length && i < limit; i++) builders[kind].add(a, entries[i]!.id, entries[i]!.count);
    }
  }
  if (state.exchanges > 0) {
    const prompts = state.prompts.entries();
    for (let i = 0; i < prompts.length && i < params.kinds.prompt.perAccount; i++) builders.prompt.add(a, prompts[i]!.hash, prompts[i]!.count);
    if (state.series.activeHours() >= params.activityMinHours) {
      const bands = activityBands(state);
      for (let band = 0; band < bands.length && band < params.kinds.activity.perAccount; band++) builders.activity.add(a, band * 2 ** 32 + bands[band]!, 1);
    }
  }
}

/** Copies an account's rows of a kind from the last build, whose rows are in account order. */
class RowCopier {
  private readonly cursors: Int32Array;
  constructor(private readonly memberships: readonly KindMemberships[]) {
    this.cursors = new Int32Array(memberships.length);
  }

  copy(builder: MembershipBuilder, account: number): void {
    const k = builder.kindIndex;
    const { accounts, values, counts } = this.memberships[k]!;
    let row = this.cursors[k]!;
    while (row < accounts.length && accounts[row]! < account) row++;
    for (; row < accounts.length && accounts[row] === account; row++) builder.add(account, values[row]!, counts[row]!);
    this.cursors[k] = row;
  }
}

function intern(ids: Map<string, number>, value: string): number {
  let id = ids.get(value);
  if (id === undefined) ids.set(value, (id = ids.size));
  return id;
}

/** The templates counted in one build and not the other (`ALL` when either counted every template). */
function changedTemplates(before: ReadonlySet<number> | undefined, now: ReadonlySet<number> | undefined): ReadonlySet<number> | typeof ALL {
  if (before === undefined || now === undefined) return before === now ? new Set() : ALL;
  const changed = new Set<number>();
  for (const key of before) if (!now.has(key)) changed.add(key);
  for (const key of now) if (!before.has(key)) changed.add(key);
  return changed;
}

/** Whether an unchanged account's rows of a template kind hold: none of its templates changed standing. */
function templatesHold(state: AccountState, kind: 'prompt' | 'system', changes: ReadonlySet<number> | typeof ALL): boolean {
  if (changes === ALL) return false;
  if (changes.size === 0) return true;
  let hold = true;
  (kind === 'prompt' ? state.promptTemplates : state.systemTemplates).forEach((id) => {
    if (changes.has(templateKey(kind, id))) hold = false;
  });
  return hold;
}

function addTemplates(builder: MembershipBuilder, state: AccountState, kind: 'prompt' | 'system', params: LinkParams, varied: ReadonlySet<number> | undefined): void {
  const counter = kind === 'prompt' ? state.promptTemplates : state.systemTemplates;
  let taken = 0;
  for (const [id, count] of counter.entries()) {
    if (taken >= params.kinds[builder.kind].perAccount) break;
    if (varied !== undefined && !varied.has(templateKey(kind, id))) continue;
    if (count < params.templateMinExchanges || count < params.templateMinShare * state.exchanges) continue;
    builder.add(state.index, templateKey(kind, id), count);
    taken++;
  }
}

/** The sign-up half-hours with a burst: many more accounts created than in a typical one. */
function signupBurstBuckets(accounts: readonly AccountState[], params: LinkParams): Set<number> {
  const counts = new Map<number, number>();
  for (const state of accounts) {
    const created = state.info?.createdAt;
    if (created === null || created === undefined) continue;
    const bucket = Math.floor(created / (params.signupBucketMinutes * 60_000));
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  const sorted = [...counts.values()].sort((a, b) => a - b);
  const typical = sorted.length === 0 ? 1 : sorted[Math.floor(sorted.length / 2)]!;
  const bursts = new Set<number>();
  for (const [bucket, count] of counts) if (count >= params.signupBurstMin && count >= params.signupBurstFactor * typical) bursts.add(bucket);
  return bursts;
}

const ACTIVITY_BINS = 8;

/**
 * A MinHash (one permutation, 8 bins) of the set of hours the account was active in, as four
 * band keys: accounts that are active in the same hours share bands.
 */
export function activityBands(state: AccountState): number[] {
  const mins = new Array<number>(ACTIVITY_BINS).fill(0xffffffff);
  state.series.forEach((hour) => {
    const h = fmix32((Math.imul(hour, 0x9e3779b1) ^ 0x3243f6a8) >>> 0);
    const bin = h >>> 29;
    const value = h & 0x1fffffff;
    if (value < mins[bin]!) mins[bin] = value;
  });
  for (let j = 0; j < ACTIVITY_BINS; j++) {
    if (mins[j] !== 0xffffffff) continue;
    for (let step = 1; step < ACTIVITY_BINS; step++) {
      const source = mins[(j + step) % ACTIVITY_BINS]!;
      if (source !== 0xffffffff && source <= 0x1fffffff) {
        mins[j] = (fmix32((source + Math.imul(step, 0x9e3779b9)) >>> 0) & 0x1fffffff) | 0x20000000;
        break;
      }
    }
  }
  const bands: number[] = [];
  for (let b = 0; b < ACTIVITY_BINS / 2; b++) bands.push(fmix32((mins[2 * b]! ^ Math.imul(mins[2 * b + 1]!, 0x85ebca6b)) >>> 0));
  return bands;
}
