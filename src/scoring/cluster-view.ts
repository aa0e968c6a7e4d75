import { CAPABILITIES, CONTENT_FLAG, CONTENT_FLAG_BITS } from '../features/content-signals.js';
import type { AccountInfo, AccountState } from '../behaviour/account-state.js';
import { EXCHANGE_INDICATORS } from '../behaviour/account-state.js';
import { LEVEL_MEASURES, SHARE_MEASURES, type AccountSummary, type LevelMeasure, type Measures, type PopulationContext } from '../behaviour/account-summary.js';
import { templateKey, type BehaviourTracker } from '../behaviour/behaviour-tracker.js';
import type { TopKCounter } from '../behaviour/top-k-counter.js';
import type { LinkedCluster } from '../linking/account-linker.js';

/**
 * What a cluster's members have in common and what they did together, aggregated from their
 * accumulators: the input of the cluster detectors and of the cluster's findings entry.
 */

/** The kinds read from the accounts file rather than the exchanges. */
const ACCOUNT_KINDS = ['payment', 'email_domain', 'signup_ip', 'org'] as const;
type AccountKind = (typeof ACCOUNT_KINDS)[number];

export const CLUSTER_INDICATORS = [...EXCHANGE_INDICATORS, ...ACCOUNT_KINDS] as const;
export type ClusterIndicatorKind = (typeof CLUSTER_INDICATORS)[number];

export interface SharedValue {
  value: string;
  /** Members that use it. */
  accounts: number;
  exchanges: number;
  /** Distinct declared organisations among those members (a member without one counts alone). */
  orgs: number;
}

/** How many members use a value, their exchanges with it, and their organisations. */
interface ValueCount {
  accounts: number;
  exchanges: number;
  /** The first member's organisation; `orgs` is made only when a second one comes (most values have one holder). */
  firstOrg: string;
  orgs: Set<string> | null;
}

function organisationsOf(entry: ValueCount): number {
  return entry.orgs?.size ?? 1;
}

export interface ClusterTemplate {
  key: number;
  kind: 'prompt' | 'system';
  templateId: number;
  /** Exchanges of members filling it. */
  exchanges: number;
  members: number;
}

/** An account's organisation, or the account itself when it declares none: one customer. */
export function organisationKey(state: Pick<AccountState, 'id' | 'info'>): string {
  return state.info?.orgId ?? `account:${state.id}`;
}

export interface ClusterView {
  index: number;
  members: AccountState[];
  summaries: AccountSummary[];
  link: LinkedCluster;
  exchanges: number;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  firstTs: number;
  lastTs: number;
  /** Values used by at least two members, most-shared first. */
  shared: Record<ClusterIndicatorKind, SharedValue[]>;
  /** Per member (in `members` order): the varied templates it fills, key (`templateKey`) to its exchanges. */
  memberTemplates: Map<number, number>[];
  /** Per kind, per member (in `members` order): the values it holds. */
  memberValues: Record<ClusterIndicatorKind, string[][]>;
  /** Members holding at least one value another member holds too. */
  membersSharing: Record<ClusterIndicatorKind, number>;
  /** The same, counting only values shared across declared organisations. */
  membersSharingAcrossOrgs: Record<ClusterIndicatorKind, number>;
  /** Every value in use per kind (distinct), shared or not. */
  distinct: Record<ClusterIndicatorKind, number>;
  createdAts: number[];
  tiers: Record<string, number>;
  templates: ClusterTemplate[];
  /** Member exchanges in templates that at least two members fill. */
  sharedTemplateExchanges: number;
  membersInSharedTemplates: number;
  /** Member exchanges per content-flag bit. */
  flags: Uint32Array;
  elicited: number;
  thinking: number;
  multiSample: number;
  /** The members' measures pooled: shares summed, levels averaged by requests. */
  measures: Measures;
  capabilities: Record<string, number>;
  models: Map<string, number>;
  /** Exchanges and active members per clock hour. */
  hourly: Map<number, { exchanges: number; members: number }>;
}

/** Aggregates the members of each linked cluster. */
export function buildClusterView(index: number, link: LinkedCluster, tracker: BehaviourTracker, summaryOf: (account: number) => AccountSummary, context: PopulationContext): ClusterView {
  const members = link.members.map((a) => tracker.accounts[a]!);
  const memberSummaries = link.members.map((a) => summaryOf(a));
  // Exchange indicators are counted by their dictionary id (one per value), named only when
  // shared; the account file's values by the value itself.
  const counts = Object.fromEntries(CLUSTER_INDICATORS.map((kind) => [kind, new Map<string | number, ValueCount>()])) as Record<ClusterIndicatorKind, Map<string | number, ValueCount>>;
  let org = '';
  const note = (kind: ClusterIndicatorKind, value: string | number, exchanges: number) => {
    const entry = counts[kind].get(value);
    if (entry === undefined) counts[kind].set(value, { accounts: 1, exchanges, firstOrg: org, orgs: null });
    else {
      entry.accounts++;
      entry.exchanges += exchanges;
      if (entry.orgs !== null) entry.orgs.add(org);
      else if (org !== entry.firstOrg) entry.orgs = new Set([entry.firstOrg, org]);
    }
  };
  const flags = new Uint32Array(CONTENT_FLAG_BITS);
  const capabilityCounts = new Uint32Array(CAPABILITIES.length);
  const tiers: Record<string, number> = {};
  const createdAts: number[] = [];
  const templateCounts = new Map<number, ClusterTemplate>();
  const memberTemplates: Map<number, number>[] = [];
  /** Counts a member's varied templates of one kind into the cluster's, and into `uses`, the member's own. */
  const noteTemplates = (kind: 'prompt' | 'system', counter: TopKCounter, uses: Map<number, number>) =>
    counter.forEach((id, count) => {
      const key = templateKey(kind, id);
      if (!context.variedTemplates.has(key)) return;
      uses.set(key, count);
      const entry = templateCounts.get(key);
      if (entry === undefined) templateCounts.set(key, { key, kind, templateId: id, exchanges: count, members: 1 });
      else {
        entry.exchanges += count;
        entry.members++;
      }
    });
  const models = new Map<string, number>();
  const hourly = new Map<number, { exchanges: number; members: number }>();
  let exchanges = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let reasoningTokens = 0;
  let firstTs = Infinity;
  let lastTs = -Infinity;
  let elicited = 0;
  let thinking = 0;
  let multiSample = 0;

  for (let m = 0; m < members.length; m++) {
    const state = members[m]!;
    org = organisationKey(state);
    exchanges += state.exchanges;
    inputTokens += state.inputTokens;
    outputTokens += state.outputTokens;
    reasoningTokens += state.reasoningTokens;
    if (state.exchanges > 0) {
      firstTs = Math.min(firstTs, state.firstTs);
      lastTs = Math.max(lastTs, state.lastTs);
    }
    elicited += state.elicited;
    thinking += state.thinking;
    multiSample += state.multiSample;
    for (let b = 0; b < CONTENT_FLAG_BITS; b++) flags[b]! += state.flagCount(b);
    for (let c = 0; c < capabilityCounts.length; c++) capabilityCounts[c]! += state.capabilityCount(c);
    for (const kind of EXCHANGE_INDICATORS) state.indicator(kind).forEach((id, count) => note(kind, id, count));
    const info = state.info;
    if (info !== null) {
      for (const kind of ACCOUNT_KINDS) {
        const value = accountValue(info, kind);
        if (value) note(kind, value, state.exchanges);
      }
      if (info.createdAt !== null) createdAts.push(info.createdAt);
      const tier = info.tier ?? 'unknown';
      tiers[tier] = (tiers[tier] ?? 0) + 1;
    }
    const uses = new Map<number, number>();
    noteTemplates('prompt', state.promptTemplates, uses);
    noteTemplates('system', state.systemTemplates, uses);
    memberTemplates.push(uses);
    for (const use of state.models) {
      const name = tracker.models[use.model]!.name;
      models.set(name, (models.get(name) ?? 0) + use.count);
    }
    state.series.forEach((hour, count) => {
      const entry = hourly.get(hour);
      if (entry === undefined) hourly.set(hour, { exchanges: count, members: 1 });
      else {
        entry.exchanges += count;
        entry.members++;
      }
    });
  }

  const shared = {} as Record<ClusterIndicatorKind, SharedValue[]>;
  const distinct = {} as Record<ClusterIndicatorKind, number>;
  const membersSharing = {} as Record<ClusterIndicatorKind, number>;
  const membersSharingAcrossOrgs = {} as Record<ClusterIndicatorKind, number>;
  const memberValues = {} as Record<ClusterIndicatorKind, string[][]>;
  for (const kind of CLUSTER_INDICATORS) {
    const exchangeKind = isAccountKind(kind) ? null : kind;
    const list: SharedValue[] = [];
    const sharedKeys = new Set<string | number>();
    const acrossOrgs = new Set<string | number>();
    for (const [key, entry] of counts[kind]) {
      if (entry.accounts < 2) continue;
      const value = exchangeKind === null ? (key as string) : tracker.indicatorValue(exchangeKind, key as number);
      list.push({ value, accounts: entry.accounts, exchanges: entry.exchanges, orgs: organisationsOf(entry) });
      sharedKeys.add(key);
      if (organisationsOf(entry) >= 2) acrossOrgs.add(key);
    }
    list.sort((a, b) => b.accounts - a.accounts || b.exchanges - a.exchanges || (a.value < b.value ? -1 : 1));
    shared[kind] = list;
    distinct[kind] = counts[kind].size;
    let sharing = 0;
    let sharingAcross = 0;
    const perMember: string[][] = [];
    for (const state of members) {
      const values: string[] = [];
      let sharesOne = false;
      let sharesAcross = false;
      const add = (key: string | number, value: string) => {
        values.push(value);
        if (sharedKeys.has(key)) sharesOne = true;
        if (acrossOrgs.has(key)) sharesAcross = true;
      };
      if (exchangeKind === null) {
        const value = accountValue(state.info, kind as AccountKind);
        if (value) add(value, value);
      } else state.indicator(exchangeKind).forEach((id) => add(id, tracker.indicatorValue(exchangeKind, id)));
      perMember.push(values);
      if (sharesOne) sharing++;
      if (sharesAcross) sharingAcross++;
    }
    memberValues[kind] = perMember;
    membersSharing[kind] = sharing;
    membersSharingAcrossOrgs[kind] = sharingAcross;
  }

  const templates = [...templateCounts.values()].sort((a, b) => b.exchanges - a.exchanges || a.key - b.key);
  let sharedPrompt = 0;
  let sharedSystem = 0;
  const inShared = new Set<number>();
  for (const template of templates) {
    if (template.members < 2) continue;
    if (template.kind === 'prompt') sharedPrompt += template.exchanges;
    else sharedSystem += template.exchanges;
  }
  memberTemplates.forEach((member, i) => {
    for (const key of member.keys()) {
      if (templateCounts.get(key)!.members >= 2) {
        inShared.add(i);
        break;
      }
    }
  });

  const capabilities: Record<string, number> = {};
  CAPABILITIES.forEach((name, code) => {
    if (capabilityCounts[code]! > 0) capabilities[name] = capabilityCounts[code]! / Math.max(1, exchanges);
  });

  return {
    index,
    members,
    summaries: memberSummaries,
    link,
    exchanges,
    inputTokens,
    outputTokens,
    reasoningTokens,
    firstTs,
    lastTs,
    shared,
    memberValues,
    memberTemplates,
    membersSharing,
    membersSharingAcrossOrgs,
    distinct,
    createdAts: createdAts.sort((a, b) => a - b),
    tiers,
    templates,
    sharedTemplateExchanges: Math.min(exchanges, Math.max(sharedPrompt, sharedSystem)),
    membersInSharedTemplates: inShared.size,
    flags,
    elicited,
    thinking,
    multiSample,
    measures: pooledMeasures(memberSummaries),
    capabilities,
    models,
    hourly,
  };
}

export function flagCount(view: ClusterView, flag: number): number {
  return view.flags[Math.log2(flag)]!;
}

export { CONTENT_FLAG };

/**
 * A cluster's volume is the operator's: the members' daily rates added up (log10), since the
 * point of many accounts is to spread one job's volume thin.
 */
function pooledVolume(summaries: readonly AccountSummary[]): LevelMeasure | null {
  let rate = 0;
  let total = 0;
  for (const summary of summaries) {
    const measure = summary.measures.volume;
    if (measure === null) continue;
    rate += 10 ** measure.value;
    total += measure.total;
  }
  return total === 0 ? null : { value: Math.log10(rate), noise: Math.LOG10E / Math.sqrt(total), total };
}

/** The members' measures as one traffic: counts of shares added, levels averaged by requests (volume: added). */
export function pooledMeasures(summaries: readonly AccountSummary[]): Measures {
  const pooled = {} as Record<string, unknown>;
  for (const name of SHARE_MEASURES) {
    let count = 0;
    let total = 0;
    for (const summary of summaries) {
      count += summary.measures[name].count;
      total += summary.measures[name].total;
    }
    pooled[name] = { count, total };
  }
  for (const name of LEVEL_MEASURES) {
    if (name === 'volume') {
      pooled[name] = pooledVolume(summaries);
      continue;
    }
    let weighted = 0;
    let variance = 0;
    let total = 0;
    for (const summary of summaries) {
      const measure = summary.measures[name];
      if (measure === null) continue;
      weighted += measure.value * measure.total;
      variance += (measure.noise * measure.total) ** 2;
      total += measure.total;
    }
    pooled[name] = total === 0 ? null : ({ value: weighted / total, noise: Math.sqrt(variance) / total, total } satisfies LevelMeasure);
  }
  return pooled as Measures;
}

/**
 * Per value of a kind, the accounts in the whole store that hold it (how public the value is), as
 * a lookup: 0 for a value no account holds, or one first seen after the count was made.
 */
export function holderCounts(tracker: BehaviourTracker, kind: ClusterIndicatorKind): (value: string) => number {
  if (isAccountKind(kind)) {
    const counts = new Map<string, number>();
    for (const state of tracker.accounts) {
      const value = accountValue(state.info, kind);
      if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return (value) => counts.get(value) ?? 0;
  }
  // Counted by dictionary id (a sketch holds each value at most once), in an array rather than a
  // map keyed by value: a flood of light accounts brings a value of its own per account.
  const byId = new Uint32Array(tracker.indicatorValueCount(kind));
  for (const state of tracker.accounts) state.indicator(kind).forEach((id) => byId[id]!++);
  return (value) => {
    const id = tracker.indicatorId(kind, value);
    return id === undefined ? 0 : (byId[id] ?? 0);
  };
}

function isAccountKind(kind: ClusterIndicatorKind): kind is AccountKind {
  return (ACCOUNT_KINDS as readonly string[]).includes(kind);
}

/** An account's value of a kind from its details; a public mail provider's domain is none (it says nothing of who runs the account). */
function accountValue(info: AccountInfo | null, kind: AccountKind): string | null | undefined {
  if (kind === 'payment') return info?.paymentFingerprint;
  if (kind === 'email_domain') return info?.linkableMailDomain;
  if (kind === 'signup_ip') return info?.signupIp;
  return info?.orgId;
}
