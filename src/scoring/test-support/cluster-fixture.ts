import type { Account } from '../../model/account.js';
import { createBehaviourTracker } from '../../behaviour/behaviour-tracker.js';
import { measureReferences, summarizeAccount, summarizePopulation } from '../../behaviour/account-summary.js';
import { buildClusterView, holderCounts, type ClusterIndicatorKind, type ClusterView } from '../cluster-view.js';
import type { ClusterDetectorInput } from '../cluster-detectors.js';
import { groupSize, templateName } from '../detection-engine.js';
import { random, sentence, toRecord, type SyntheticExchange } from './synthetic-traffic.js';

/** One crafted account: what it shares is spelled out, its traffic is a few plain requests. */
export interface MemberSpec {
  id: string;
  org?: string;
  card?: string;
  signupIp?: string;
  emailDomain?: string;
  createdAt?: number;
  tier?: Account['tier'];
  verification?: string[];
  /** Client IPs, used in turn. */
  ips?: string[];
  userAgent?: string;
  /** System prompts, used in turn (per conversation when `loopSteps` is set). */
  systems?: string[];
  /**
   * Requests come as agent loops of this many steps: the first opens the conversation, the
   * others carry its earlier turns; the system prompt is the conversation's.
   */
  loopSteps?: number;
  /** A prompt frame, `{}` replaced by varied words. */
  frame?: string;
  /** Prompt frames used in turn (instead of `frame`). */
  frames?: string[];
  requests?: number;
}

const START = Date.UTC(2026, 1, 2);
const DAY = 86_400_000;

/**
 * Builds the accounts into a tracker and a cluster view of `members` (the rest are the store's
 * other accounts), with the detector input the engine would pass.
 */
export function clusterFixture(members: MemberSpec[], others: MemberSpec[] = [], seed = 1, publicMailDomains?: ReadonlySet<string>): { view: ClusterView; input: ClusterDetectorInput } {
  const rng = random(seed);
  const tracker = createBehaviourTracker(publicMailDomains === undefined ? {} : { publicMailDomains });
  const all = [...members, ...others];
  const accounts: Account[] = all.map((spec) => ({
    accountId: spec.id,
    orgId: spec.org ?? `org_${spec.id}`,
    createdAt: spec.createdAt ?? START - 200 * DAY,
    emailDomain: spec.emailDomain ?? 'mail.example',
    emailLocalHash: null,
    emailLocalShape: 'a.a9',
    tier: spec.tier ?? 'standard',
    country: 'US',
    paymentFingerprint: spec.card ?? `card_${spec.id}`,
    signupIp: spec.signupIp ?? null,
    verification: spec.verification ?? ['email', 'card'],
  }));
  for (const account of accounts) tracker.setAccountInfo(account);
  const exchanges: SyntheticExchange[] = [];
  let n = 0;
  for (const spec of all) {
    const count = spec.requests ?? 30;
    const ips = spec.ips ?? [`198.51.${n % 200}.${(n * 7) % 250}`];
    for (let i = 0; i < count; i++) {
      const ip = ips[i % ips.length]!;
      const frame = spec.frames?.[i % spec.frames.length] ?? spec.frame ?? 'Tell me about {} please, I am curious about it';
      const prompt = frame.replace('{}', sentence(rng, 8 + Math.floor(rng() * 8)));
      const steps = spec.loopSteps ?? 1;
      const turn = i % steps;
      const system = spec.systems === undefined ? undefined : spec.systems[Math.floor(i / steps) % spec.systems.length];
      const history = turn === 0 ? undefined : [{ role: 'user' as const, text: 'Open the settings page and export the report.' }, { role: 'assistant' as const, text: `Step ${turn}: taking a screenshot.` }];
      exchanges.push({
        spec: { accountId: spec.id, ts: START + Math.floor(rng() * 5 * DAY), id: `req_${(n++).toString(36)}`, prompt, ...(system === undefined ? {} : { system }), ...(history === undefined ? {} : { history }) },
        clientIp: ip,
        subnet: ip.split('.').slice(0, 3).join('.') + '.0/24',
        userAgent: spec.userAgent ?? `client-${spec.id}`,
      });
    }
  }
  exchanges.sort((a, b) => a.spec.ts - b.spec.ts);
  const records = exchanges.map(toRecord);
  for (let i = 0; i < records.length; i += 500) tracker.observeRecords(records.slice(i, i + 500));
  const context = summarizePopulation(tracker);
  const summaries = tracker.accounts.map((state) => summarizeAccount(state, context));
  measureReferences(context, summaries);
  const indexes = members.map((spec) => tracker.account(spec.id)!.index).sort((a, b) => a - b);
  const view = buildClusterView(0, { members: indexes, kinds: 0, edges: 0, internalWeight: 0 }, tracker, (a) => summaries[a]!, context);
  const holders = new Map<ClusterIndicatorKind, (value: string) => number>();
  const input: ClusterDetectorInput = {
    view,
    holders: (kind, value) => {
      let holdersOf = holders.get(kind);
      if (holdersOf === undefined) holders.set(kind, (holdersOf = holderCounts(tracker, kind)));
      return holdersOf(value);
    },
    population: tracker.accounts.length,
    signups: context.signups,
    templateHolders: (key) => context.templateAccounts.get(key) ?? 0,
    templateName,
    groupSize: (accounts) => groupSize(accounts, 8),
  };
  return { view, input };
}

/** `count` accounts named `${prefix}${i}`, each from `make(i)`. */
export function members(prefix: string, count: number, make: (i: number) => Omit<MemberSpec, 'id'>): MemberSpec[] {
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}${i}`, ...make(i) }));
}
