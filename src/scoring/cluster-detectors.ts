import { z } from 'zod';
import { verifiedBy, type AccountInfo } from '../behaviour/account-state.js';
import type { SignupOrder } from '../behaviour/signup-order.js';
import { organisationKey, type ClusterIndicatorKind, type ClusterView, type SharedValue } from './cluster-view.js';
import { evidence, formatCount, formatPercent, formatShare, mitigationFound, NOTHING_FOUND, ramp, type DetectorDefinition } from './detector.js';

/**
 * Detectors of how a cluster's accounts are run together. What their traffic takes is read by
 * the traffic detectors on the pooled requests (`traffic-detectors.ts`); these read what the
 * members share.
 *
 * Two kinds of sharing weigh differently. Hidden coordination has no ordinary explanation:
 * payment cards shared across accounts that declare no common organisation, a pool of exits
 * each member rotates through, a set of rare system prompts or templates the members rotate
 * through together. Shared context has ordinary ones (a campus or office network, a university
 * mail domain, a sign-up day at the start of term, a class working in the same hour, one
 * assignment), so it weighs little and cannot flag a cluster alone. Sharing inside one declared
 * organisation is expected and never counts (`orgs >= 2`). And every kind weighs by how many
 * accounts it ties together (`groupSize`).
 */

export interface ClusterDetectorInput {
  view: ClusterView;
  /** Accounts in the whole store holding `value`: how public a value is. */
  holders(kind: ClusterIndicatorKind, value: string): number;
  /** Accounts in the whole store with traffic or account details. */
  population: number;
  /** The whole store's accounts in sign-up order. */
  signups: SignupOrder;
  /** Accounts in the whole store filling a template (key: `templateKey`). */
  templateHolders(key: number): number;
  templateName(template: { kind: 'prompt' | 'system'; templateId: number }): string;
  /**
   * How much sharing among `accounts` accounts says (0..1): two or three accounts sharing a card
   * or a network are a household or a small team, dozens are a network (`scoring.group_accounts`).
   */
  groupSize(accounts: number): number;
}

type ClusterDetector<P extends { weight: number }> = DetectorDefinition<ClusterDetectorInput, P>;
type RampParams = { weight: number; low: number; high: number };

const rampParams = (weight: number, low: number, high: number) =>
  z
    .object({ weight: z.number().min(0).max(10).default(weight), low: z.number().min(0).default(low), high: z.number().min(0).default(high) })
    .strict()
    .refine((p) => p.low <= p.high, { message: 'low must not exceed high' })
    .default({});

function short(value: string, max = 24): string {
  return value.length <= max ? value : value.slice(0, max - 1) + '…';
}

/**
 * The part of a value's holders that are members: 1 for a value only this cluster uses (its
 * own card, its own exit), near 0 for a public one (a mail provider, a consumer VPN exit, a
 * popular app's system prompt) that the cluster happens to share with the world.
 */
function insideShare(entry: SharedValue, holders: number): number {
  return Math.min(1, entry.accounts / Math.max(1, holders));
}


/** Addresses from which an account's use reads as rotation whatever its volume, and the share of its requests otherwise. */
const ROTATING_ADDRESSES = 4;
const ROTATING_ADDRESS_SHARE = 0.3;

/** The /24 (IPv4) or /48 (IPv6) an address is in, as text. */
function subnetOf(ip: string): string {
  if (ip.includes(':')) return ip.split(':').slice(0, 3).join(':');
  return ip.slice(0, ip.lastIndexOf('.'));
}

/** Positions of the members holding at least one of `values`. */
function membersHolding(view: ClusterView, kind: ClusterIndicatorKind, values: ReadonlySet<string>): Set<number> {
  const holding = new Set<number>();
  view.memberValues[kind].forEach((member, position) => {
    if (member.some((value) => values.has(value))) holding.add(position);
  });
  return holding;
}

function memberShareDetector(
  signal: string,
  family: string,
  kind: ClusterIndicatorKind,
  description: string,
  defaults: [number, number, number],
  noun: string,
): ClusterDetector<RampParams> {
  return {
    signal,
    level: 'cluster',
    role: 'coordination',
    family,
    description,
    params: rampParams(...defaults),
    detect({ view, holders, groupSize }, params) {
      const size = view.members.length;
      // Mostly the cluster's own values, shared across declared organisations.
      const values = view.shared[kind].filter((entry) => entry.orgs >= 2 && insideShare(entry, holders(kind, entry.value)) >= 0.5);
      if (values.length === 0) return NOTHING_FOUND;
      const holding = membersHolding(view, kind, new Set(values.map((entry) => entry.value)));
      const sharing = holding.size;
      const share = sharing / size;
      // A value two accounts share is the commonest ordinary sharing there is (a couple's card,
      // one person's private and work accounts): it ties one account to another, so it counts
      // one account, not two. Two households of two on a VPN's exits are then two accounts tied
      // (nothing, as one pair is), where counting every holder made them a group of four.
      const tied = values.reduce((total, entry) => total + (entry.accounts === 2 ? 1 : entry.accounts), 0);
      const score = ramp(share, params.low, params.high) * groupSize(tied);
      if (score === 0) return NOTHING_FOUND;
      const top = values[0]!;
      return {
        score,
        members: holding,
        evidence: [
          evidence(
            signal,
            score,
            params.weight,
            `${formatShare(sharing, size, 'accounts')} share ${formatCount(values.length)} ${noun}${values.length === 1 ? '' : 's'} with another member (${short(top.value)} is used by ${formatCount(top.accounts)}, ${formatCount(holders(kind, top.value) - top.accounts)} outside the cluster)`,
            share,
          ),
        ],
      };
    },
  };
}

// Weights are log-odds. Hidden coordination: a shared card across organisations is about as
// strong as evidence of common control gets (LR ~ 12); shared context: LR ~ 2.
export const sharedPaymentDetector = memberShareDetector(
  'shared_payment',
  'payment',
  'payment',
  'Hidden coordination: members paying with a payment fingerprint another member of another organisation uses too, and few accounts outside the cluster use.',
  [3, 0.02, 0.2],
  'payment fingerprint',
);

export const sharedSignupIpDetector = memberShareDetector(
  'shared_signup_ip',
  'context',
  'signup_ip',
  'Shared context: members that signed up from the same IP address as members of other organisations (a sign-up script, or one campus or office).',
  [1, 0.15, 0.6],
  'sign-up IP',
);

export const sharedEmailDomainDetector = memberShareDetector(
  'shared_email_domain',
  'context',
  'email_domain',
  'Shared context: members with e-mail addresses at a domain few accounts outside the cluster use (a private, catch-all or institutional domain, not a public mail provider).',
  [0.7, 0.3, 0.8],
  'e-mail domain',
);

export interface ExitPoolParams extends RampParams {
  /** Shared exits a member must rotate through to count as drawing on a pool. */
  min_exits: number;
  /**
   * What makes shared addresses a pool rather than one network (a campus or office NAT, where
   * many accounts sit behind a few addresses in one subnet): as many exits as there are members
   * (`exits_per_member_low` → `_high`), or exits spread over many subnets (`subnets_low` → `_high`).
   */
  exits_per_member_low: number;
  exits_per_member_high: number;
  subnets_low: number;
  subnets_high: number;
}

export const exitPoolDetector: ClusterDetector<ExitPoolParams> = {
  signal: 'exit_pool',
  level: 'cluster',
  role: 'coordination',
  family: 'exit_pool',
  description:
    "Hidden coordination: members rotating through a common pool of exit IPs: each sends from several IPs that members of other organisations send from too, and that few accounts outside the cluster use (a proxy service's exits, per request or in sticky sessions).",
  params: z
    .object({
      weight: z.number().min(0).max(10).default(3),
      // Shares of the cluster's members: a pool may serve part of a cluster that also holds
      // accounts linked in by other traits; how many accounts it ties counts through groupSize.
      low: z.number().min(0).max(1).default(0.05),
      high: z.number().min(0).max(1).default(0.3),
      min_exits: z.number().int().min(2).default(2),
      exits_per_member_low: z.number().min(0).default(0.5),
      exits_per_member_high: z.number().min(0).default(2),
      subnets_low: z.number().min(0).default(2),
      subnets_high: z.number().min(0).default(8),
    })
    .strict()
    .default({}),
  detect({ view, holders, groupSize }, params) {
    const size = view.members.length;
    const exits = new Set(view.shared.ip.filter((entry) => entry.orgs >= 2 && insideShare(entry, holders('ip', entry.value)) >= 0.5).map((entry) => entry.value));
    if (exits.size === 0) return NOTHING_FOUND;
    // A member rotates when it sends from several of the shared exits and changes address as a
    // proxy client does: many addresses, or a new one every few requests (a person on a cafe's
    // or an office's network keeps to one or two for all its requests).
    const members = new Set<number>();
    view.memberValues.ip.forEach((values, position) => {
      let used = 0;
      for (const value of values) if (exits.has(value)) used++;
      const state = view.members[position]!;
      const addresses = state.indicator('ip').distinct();
      const rotates = addresses >= ROTATING_ADDRESSES || addresses >= ROTATING_ADDRESS_SHARE * state.exchanges;
      if (used >= params.min_exits && rotates) members.add(position);
    });
    const rotating = members.size;
    const share = rotating / size;
    const perMember = exits.size / size;
    const subnets = new Set([...exits].map(subnetOf)).size;
    const spread = Math.max(ramp(perMember, params.exits_per_member_low, params.exits_per_member_high), ramp(subnets, params.subnets_low, params.subnets_high));
    const score = ramp(share, params.low, params.high) * spread * groupSize(rotating);
    if (score === 0) return NOTHING_FOUND;
    return {
      score,
      members,
      evidence: [
        evidence(
          'exit_pool',
          score,
          params.weight,
          `${formatShare(rotating, size, 'accounts')} rotate through ${params.min_exits}+ of ${formatCount(exits.size)} exit IPs in ${formatCount(subnets)} subnets (${perMember.toFixed(1)} per account) that other members of other organisations use too and few outside accounts do`,
          share,
        ),
      ],
    };
  },
};

export const sharedNetworkDetector: ClusterDetector<RampParams> = {
  signal: 'shared_network',
  level: 'cluster',
  role: 'coordination',
  family: 'context',
  description: 'Shared context: members sending from client IP addresses (or /24, /48 subnets) that members of other organisations send from too: one campus, office or home network.',
  params: rampParams(0.7, 0.2, 0.7),
  detect({ view, groupSize }, params) {
    const size = view.members.length;
    const ipShare = view.membersSharingAcrossOrgs.ip / size;
    const subnetShare = view.membersSharingAcrossOrgs.subnet / size;
    const share = Math.max(ipShare, subnetShare * 0.6);
    const score = ramp(share, params.low, params.high) * groupSize(Math.max(view.membersSharingAcrossOrgs.ip, view.membersSharingAcrossOrgs.subnet));
    if (score === 0) return NOTHING_FOUND;
    const ips = view.shared.ip.filter((entry) => entry.orgs >= 2);
    const subnets = view.shared.subnet.filter((entry) => entry.orgs >= 2);
    const members = membersHolding(view, 'ip', new Set(ips.map((entry) => entry.value)));
    for (const position of membersHolding(view, 'subnet', new Set(subnets.map((entry) => entry.value)))) members.add(position);
    const detail =
      ips.length > 0
        ? `${formatShare(view.membersSharingAcrossOrgs.ip, size, 'accounts')} send from ${formatCount(ips.length)} client IPs that members of other organisations also use (${ips[0]!.value} by ${formatCount(ips[0]!.accounts)} accounts); ${formatCount(subnets.length)} shared subnets`
        : `${formatShare(view.membersSharingAcrossOrgs.subnet, size, 'accounts')} send from ${formatCount(subnets.length)} shared subnets (${subnets[0]?.value ?? ''})`;
    return { score, members, evidence: [evidence('shared_network', score, params.weight, detail, share)] };
  },
};

export const sharedClientDetector: ClusterDetector<RampParams> = {
  signal: 'shared_client',
  level: 'cluster',
  role: 'coordination',
  family: 'context',
  description: 'Shared context: members using the same TLS fingerprint or user agent that few accounts outside the cluster use (one tooling build).',
  params: rampParams(0.7, 0.5, 0.9),
  detect({ view, holders, groupSize }, params) {
    const size = view.members.length;
    let best: { kind: ClusterIndicatorKind; value: string; accounts: number; outside: number } | null = null;
    for (const kind of ['tls', 'user_agent'] as const) {
      for (const entry of view.shared[kind]) {
        const all = holders(kind, entry.value);
        if (insideShare(entry, all) < 0.5) continue;
        if (best === null || entry.accounts > best.accounts) best = { kind, value: entry.value, accounts: entry.accounts, outside: all - entry.accounts };
        break;
      }
    }
    if (best === null) return NOTHING_FOUND;
    const share = best.accounts / size;
    const score = ramp(share, params.low, params.high) * groupSize(best.accounts);
    if (score === 0) return NOTHING_FOUND;
    return {
      score,
      members: membersHolding(view, best.kind, new Set([best.value])),
      evidence: [
        evidence(
          'shared_client',
          score,
          params.weight,
          `${formatShare(best.accounts, size, 'accounts')} use the ${best.kind === 'tls' ? 'TLS fingerprint' : 'user agent'} ${short(best.value, 40)}, which ${formatCount(best.outside)} accounts outside the cluster use`,
          share,
        ),
      ],
    };
  },
};

export const signupBurstDetector: ClusterDetector<RampParams & { window_minutes: number; min_burst: number; pair_chance: number }> = {
  signal: 'signup_burst',
  level: 'cluster',
  role: 'coordination',
  family: 'context',
  description:
    'Shared context: members created in bursts, at least `min_burst` sign-ups within `window_minutes` of each other (a script, or the first day of a course), or next to a member of another organisation in the store\'s sign-up order, closer than chance puts them once in 1/`pair_chance` (an operator making accounts a few at a time).',
  params: z
    .object({
      weight: z.number().min(0).max(10).default(1),
      low: z.number().min(0).max(1).default(0.2),
      high: z.number().min(0).max(1).default(0.7),
      window_minutes: z.number().min(1).default(60),
      min_burst: z.number().int().min(2).default(3),
      pair_chance: z.number().min(0).max(1).default(0.05),
    })
    .strict()
    .default({}),
  detect({ view, groupSize, signups }, params) {
    const times = view.members
      .map((state, position) => ({ position, at: state.info?.createdAt ?? null, organisation: organisationKey(state) }))
      .filter((entry): entry is { position: number; at: number; organisation: string } => entry.at !== null)
      .sort((a, b) => a.at - b.at || a.position - b.position);
    if (times.length < params.min_burst) return NOTHING_FOUND;
    const window = params.window_minutes * 60_000;
    const members = new Set<number>();
    let bursts = 0;
    let largest = 0;
    let i = 0;
    while (i < times.length) {
      let j = i;
      while (j + 1 < times.length && times[j + 1]!.at - times[j]!.at <= window) j++;
      const size = j - i + 1;
      if (size >= params.min_burst) {
        for (let k = i; k <= j; k++) members.add(times[k]!.position);
        bursts++;
        largest = Math.max(largest, size);
      }
      i = j + 1;
    }
    const paired = pairedInSignupOrder(times, signups, params.pair_chance);
    let pairedOnly = 0;
    for (const position of paired) {
      if (members.has(position)) continue;
      members.add(position);
      pairedOnly++;
    }
    const inBursts = members.size;
    const share = inBursts / view.members.length;
    // A pair made together ties one account to another, as a couple's shared card does: two
    // paired members count as one account tied.
    const tied = inBursts - pairedOnly + Math.ceil(pairedOnly / 2);
    const score = ramp(share, params.low, params.high) * groupSize(tied);
    if (score === 0) return NOTHING_FOUND;
    const inBurstsText = `in ${formatCount(bursts)} burst${bursts === 1 ? '' : 's'} (up to ${formatCount(largest)} accounts less than ${params.window_minutes} minutes apart)`;
    const pairedText = "next to another organisation's member in the store's sign-up order";
    const how = pairedOnly === 0 ? inBurstsText : bursts === 0 ? pairedText : `${inBurstsText} or, ${formatCount(pairedOnly)} more, ${pairedText}`;
    return {
      score,
      members,
      evidence: [evidence('signup_burst', score, params.weight, `${formatShare(inBursts, view.members.length, 'accounts')} signed up ${how}`, share)],
    };
  },
};

/**
 * Members (positions) that signed up next to a member of another organisation: so few of the
 * store's accounts were created between the two that the cluster's other organisations' members,
 * placed at random in the store's sign-up order, would come that close to it with a chance of at
 * most `chance`. Measured in accounts, not minutes, the test follows the store's own pace.
 */
function pairedInSignupOrder(times: readonly { position: number; at: number; organisation: string }[], signups: SignupOrder, chance: number): Set<number> {
  const paired = new Set<number>();
  if (signups.accounts === 0 || times.length < 2) return paired;
  const ofOrganisation = new Map<string, number>();
  for (const entry of times) ofOrganisation.set(entry.organisation, (ofOrganisation.get(entry.organisation) ?? 0) + 1);
  // Nearest entry on each side from another organisation: a run of one organisation's members
  // passes its neighbour on, so the scan is linear however large an organisation is.
  const left = new Int32Array(times.length).fill(-1);
  const right = new Int32Array(times.length).fill(-1);
  for (let i = 1; i < times.length; i++) left[i] = times[i - 1]!.organisation !== times[i]!.organisation ? i - 1 : left[i - 1]!;
  for (let i = times.length - 2; i >= 0; i--) right[i] = times[i + 1]!.organisation !== times[i]!.organisation ? i + 1 : right[i + 1]!;
  for (let i = 0; i < times.length; i++) {
    const entry = times[i]!;
    const others = times.length - ofOrganisation.get(entry.organisation)!;
    let between = Infinity;
    for (const j of [left[i]!, right[i]!]) {
      if (j < 0) continue;
      const other = times[j]!;
      // The store's accounts created from one sign-up to the other, the two left out.
      between = Math.min(between, Math.max(0, signups.between(Math.min(entry.at, other.at), Math.max(entry.at, other.at)) - 2));
    }
    if (between === Infinity) continue;
    // Each of the `others` lands within `between + 1` places on either side of this member with
    // a chance of about 2 (between + 1) / accounts.
    if ((others * 2 * (between + 1)) / signups.accounts <= chance) paired.add(entry.position);
  }
  return paired;
}

export interface HarnessParams {
  weight: number;
  /** Share of the cluster's requests through the harness where evidence starts and where it is full. */
  low: number;
  high: number;
  /**
   * Distinct harness templates in the cluster: at one it is one shared prompt (an in-house app:
   * no evidence here), at `full_set` a rotated set. Counted over the cluster, not per member: the
   * thin accounts of a network touch one or two prompts each of a set of dozens.
   */
  full_set: number;
  /**
   * Rotation across the set, as a share of the spread a random pick per request gives, where
   * evidence starts and where it is full (see the two detectors for why they differ).
   */
  rotation_low: number;
  rotation_high: number;
}

const harnessParams = (weight: number, rotation: readonly [number, number]) =>
  z
    .object({
      weight: z.number().min(0).max(10).default(weight),
      // A harness need not carry much of a campaign's traffic (ordinary traffic is mixed in, most
      // prompts may match no template): a fiftieth of a cluster's requests through a rotated set
      // of its own templates is more than coincidence, a fifth leaves no doubt.
      low: z.number().min(0).max(1).default(0.02),
      high: z.number().min(0).max(1).default(0.2),
      full_set: z.number().int().min(1).default(3),
      rotation_low: z.number().min(0).max(1).default(rotation[0]),
      rotation_high: z.number().min(0).max(1).default(rotation[1]),
    })
    .strict()
    .refine((p) => p.low <= p.high, { message: 'low must not exceed high' })
    .refine((p) => p.rotation_low <= p.rotation_high, { message: 'rotation_low must not exceed rotation_high' })
    .default({});

/** The organisations among the cluster's members that fill each of its templates. */
function templateOrganisations(view: ClusterView): Map<number, Set<string>> {
  const organisations = new Map<number, Set<string>>();
  for (const [position, member] of view.memberTemplates.entries()) {
    const organisation = organisationKey(view.members[position]!);
    for (const key of member.keys()) {
      let set = organisations.get(key);
      if (set === undefined) organisations.set(key, (set = new Set()));
      set.add(organisation);
    }
  }
  return organisations;
}

/**
 * Whether a template is the cluster's own, from the members that fill it, the accounts in the
 * store that fill it, and the members' organisations: several members of more than one
 * organisation, and at least half of its holders in the store among them. A template only one
 * organisation's accounts fill is that organisation's application; one most holders outside
 * fill is public.
 */
export function isClustersOwnTemplate(members: number, holders: number, organisations: number): boolean {
  return members >= 2 && organisations >= 2 && members / Math.max(1, holders) >= 0.5;
}

function harnessDetector(
  signal: string,
  family: string,
  kind: 'system' | 'prompt',
  weight: number,
  rotation: readonly [number, number],
  description: string,
): ClusterDetector<HarnessParams> {
  const noun = kind === 'system' ? 'system prompts' : 'prompt templates';
  return {
    signal,
    level: 'cluster',
    role: 'coordination',
    family,
    description,
    params: harnessParams(weight, rotation),
    detect({ view, templateHolders, templateName, groupSize }, params) {
      if (view.exchanges === 0) return NOTHING_FOUND;
      // The cluster's own templates, as one organisation's accounts count as one user below: a
      // product whose prompt is linked into a campaign's cluster is not running the campaign's set.
      const organisationsOf = templateOrganisations(view);
      const harness = view.templates.filter(
        (template) =>
          template.kind === kind &&
          isClustersOwnTemplate(template.members, templateHolders(template.key), organisationsOf.get(template.key)?.size ?? 0),
      );
      if (harness.length === 0) return NOTHING_FOUND;
      let exchanges = 0;
      for (const template of harness) exchanges += template.exchanges;
      const share = Math.min(1, exchanges / view.exchanges);
      const keys = new Set(harness.map((template) => template.key));
      const set = harness.length;
      const perMember: number[] = [];
      const members = new Set<number>();
      const rotating = new Set<number>();
      // Rotation: do members spread their requests over the set, as a script picking a prompt
      // per request does, or does each keep to one (several apps, each with its own users)? A
      // member with r harness picks drawn from a set of S shows S(1 − (1 − 1/S)^r) distinct
      // ones on average; the excess over one, observed against expected, is the rotation. A
      // pick is made per conversation, not per request: an agent loop keeps its system prompt
      // for all of its steps, so a member's harness requests count as picks in the share of its
      // requests that open a conversation (one message sent). A member that never opens one
      // (every request carries earlier turns, as few-shot prompts do) is taken request by request.
      let observed = 0;
      let expected = 0;
      for (const [position, member] of view.memberTemplates.entries()) {
        let used = 0;
        let requests = 0;
        for (const [key, count] of member) {
          if (!keys.has(key)) continue;
          used++;
          requests += count;
        }
        perMember.push(used);
        if (used > 0) members.add(position);
        if (used >= 2) rotating.add(position);
        const state = view.members[position]!;
        const picks = state.singleTurn > 0 ? (requests * state.singleTurn) / state.exchanges : requests;
        if (picks >= 2 && set >= 2) {
          observed += used - 1;
          expected += set * (1 - (1 - 1 / set) ** picks) - 1;
        }
      }
      perMember.sort((a, b) => a - b);
      const typicalSet = perMember[Math.floor(perMember.length / 2)] ?? 0;
      const rotation = expected > 0 ? Math.min(1, observed / expected) : 0;
      // Counted by organisation: one lab's accounts running the same published prompts are one user.
      const organisations = new Set([...members].map((position) => organisationKey(view.members[position]!)));
      const score = ramp(share, params.low, params.high) * ramp(set, 1, params.full_set) * ramp(rotation, params.rotation_low, params.rotation_high) * groupSize(organisations.size);
      if (score === 0) return NOTHING_FOUND;
      const top = harness[0]!;
      return {
        score,
        members,
        rotating,
        evidence: [
          evidence(
            signal,
            score,
            params.weight,
            `${formatShare(exchanges, view.exchanges)} from ${formatCount(members.size)} accounts go through ${formatCount(set)} ${noun} that few accounts outside the cluster use, each account spreading its requests over them (${formatPercent(rotation)} of the spread a random pick per request gives; the typical member uses ${formatCount(typicalSet)}; ${templateName(top)}: ${formatCount(top.exchanges)} requests from ${formatCount(top.members)} members)`,
            share,
          ),
        ],
      };
    },
  };
}

export const rotatedSystemPromptsDetector = harnessDetector(
  'rotated_system_prompts',
  'harness',
  'system',
  3,
  // An application sets one system prompt, so several apps, each with its own users, show about
  // no rotation: a tenth is already more than a developer trying a second app adds. A third is a
  // script, even one that keeps a favourite prompt per account and picks another for one request
  // in three or four, as a harness does to vary its prompts without every account looking alike.
  [0.1, 0.35],
  "Hidden coordination: members rotating through a set of system prompts that few accounts outside the cluster use: one operator's script varying its expert prompts so that no single one stands out. An application sets one system prompt; rotating a set across many accounts is done to look unrelated. One shared system prompt is no evidence here; a set of `full_set` is the full weight.",
);

export const sharedPromptTemplatesDetector = harnessDetector(
  'shared_prompt_templates',
  'templates',
  'prompt',
  1.5,
  // People working through the same published frames (a benchmark's item formats, a class's
  // assignment) spread their requests over them as a script does, so rotation separates less
  // here: a fifth is more than apps with their own users show, three fifths is a script.
  [0.2, 0.6],
  'Members rotating through the same set of prompt templates (instruction frames with the task slotted in) that few accounts outside the cluster use. Weaker than rotated system prompts: a class working through one assignment, or evaluators running the same published prompt formats, fill shared frames too.',
);

export const synchronisedActivityDetector: ClusterDetector<RampParams & { min_members: number }> = {
  signal: 'synchronised_activity',
  level: 'cluster',
  role: 'coordination',
  family: 'context',
  description:
    'Shared context: members active in the same hours more than their own activity explains, the ratio of observed to expected co-activity (load balancing, shared shifts, or a class in session).',
  params: z
    .object({
      weight: z.number().min(0).max(10).default(0.6),
      low: z.number().min(0).default(1.5),
      high: z.number().min(0).default(4),
      min_members: z.number().int().min(2).default(3),
    })
    .strict()
    .default({}),
  detect({ view, groupSize }, params) {
    const size = view.members.length;
    if (size < params.min_members || view.hourly.size === 0) return NOTHING_FOUND;
    let first = Infinity;
    let last = -Infinity;
    for (const hour of view.hourly.keys()) {
      first = Math.min(first, hour);
      last = Math.max(last, hour);
    }
    const hours = last - first + 1;
    // Observed: for a member's active hour, the share of the other members active then too.
    // Expected: the share of hours an average other member is active at all.
    let memberHours = 0;
    let together = 0;
    for (const { members } of view.hourly.values()) {
      memberHours += members;
      together += members * (members - 1);
    }
    if (memberHours === 0) return NOTHING_FOUND;
    const observed = together / memberHours / (size - 1);
    const expected = memberHours / size / hours;
    const ratio = expected > 0 ? observed / expected : 0;
    const score = ramp(ratio, params.low, params.high) * groupSize(size);
    if (score === 0) return NOTHING_FOUND;
    return {
      score,
      evidence: [
        evidence(
          'synchronised_activity',
          score,
          params.weight,
          `members are active in the same hours ${ratio.toFixed(1)}× as often as their own activity explains (each active hour has ${formatPercent(observed)} of the other members active too)`,
          ratio,
        ),
      ],
    };
  },
};

export const newModelWaveDetector: ClusterDetector<RampParams & { member_share: number }> = {
  signal: 'new_model_wave',
  level: 'cluster',
  role: 'value',
  family: 'timing',
  description: 'Share of members that moved at least `member_share` of their traffic to a newly released model within 24 hours of its release.',
  params: z
    .object({
      weight: z.number().min(0).max(10).default(0.5),
      low: z.number().min(0).max(1).default(0.2),
      high: z.number().min(0).max(1).default(0.6),
      member_share: z.number().min(0).max(1).default(0.4),
    })
    .strict()
    .default({}),
  detect({ view }, params) {
    const movers = view.summaries.filter((summary) => summary.newModel !== null && summary.newModel.share >= params.member_share);
    const share = movers.length / view.members.length;
    const score = ramp(share, params.low, params.high);
    if (score === 0) return NOTHING_FOUND;
    const names = [...new Set(movers.map((summary) => summary.newModel!.name))].slice(0, 2).join(', ');
    return {
      score,
      evidence: [
        evidence('new_model_wave', score, params.weight, `${formatShare(movers.length, view.members.length, 'accounts')} moved ${Math.round(params.member_share * 100)}%+ of their traffic to ${names} within 24 hours of its release`, share),
      ],
    };
  },
};

export const programmeAbuseDetector: ClusterDetector<RampParams & { tiers: string[] }> = {
  signal: 'programme_abuse',
  level: 'cluster',
  role: 'value',
  family: 'account',
  description: 'Share of members on programme tiers (education, research, start-up), the pathways the public reports say were abused.',
  params: z
    .object({
      weight: z.number().min(0).max(10).default(0.3),
      low: z.number().min(0).max(1).default(0.3),
      high: z.number().min(0).max(1).default(0.8),
      tiers: z.array(z.string()).default(['education', 'research', 'startup']),
    })
    .strict()
    .default({}),
  detect({ view }, params) {
    let count = 0;
    for (const tier of params.tiers) count += view.tiers[tier] ?? 0;
    const share = count / view.members.length;
    const score = ramp(share, params.low, params.high);
    if (score === 0) return NOTHING_FOUND;
    const mix = params.tiers
      .filter((tier) => (view.tiers[tier] ?? 0) > 0)
      .map((tier) => `${tier} ${formatCount(view.tiers[tier]!)}`)
      .join(', ');
    return { score, evidence: [evidence('programme_abuse', score, params.weight, `${formatShare(count, view.members.length, 'accounts')} are on programme tiers (${mix})`, share)] };
  },
};

export const declaredOrganisationDetector: ClusterDetector<RampParams> = {
  signal: 'declared_organisation',
  level: 'cluster',
  role: 'mitigation',
  family: 'organisation',
  description:
    "Mitigation: share of members in one declared organisation (the accounts file's org_id). A company's developers share an office network, a corporate card and the same tools; that coordination is declared, not hidden. Holds only for members of that one organisation; what they send is still weighed.",
  params: rampParams(2, 0.5, 0.9),
  detect({ view }, params) {
    const top = view.shared.org[0];
    if (top === undefined) return NOTHING_FOUND;
    const share = top.accounts / view.members.length;
    const score = ramp(share, params.low, params.high);
    if (score === 0) return NOTHING_FOUND;
    const item = evidence(
      'declared_organisation',
      score,
      params.weight,
      `${formatShare(top.accounts, view.members.length, 'accounts')} belong to the declared organisation ${short(top.value, 40)}, which explains shared networks, cards and tools`,
      share,
    );
    return mitigationFound(score, item);
  },
};

/**
 * The mail domain of the institution a member writes from: its own domain, or an academic one
 * (by its registry) where the provider checked an academic address (`edu_email`) even though the
 * free-mail list names it, as it does some universities' student and alumni mail. None on a
 * public provider's domain: a checked academic address says nothing about a gmail.com sign-up.
 */
function institutionDomain(info: AccountInfo | null): string | null {
  if (info === null) return null;
  if (info.linkableMailDomain !== null) return info.linkableMailDomain;
  return info.emailDomain && checkedAcademicAddress(info) ? info.emailDomain.toLowerCase() : null;
}

const ACADEMIC_ADDRESS_CHECK: ReadonlySet<string> = new Set(['edu_email']);

/** Whether the member writes from a university's address that the provider checked (`edu_email`). */
function checkedAcademicAddress(info: AccountInfo | null): boolean {
  return info !== null && info.academicMailDomain && verifiedBy(info, ACADEMIC_ADDRESS_CHECK);
}

/** Members per institution mail domain (`institutionDomain`); members with none are left out. */
function membersByInstitutionDomain(view: ClusterView): Map<string, number> {
  const counts = new Map<string, number>();
  for (const member of view.members) {
    const domain = institutionDomain(member.info);
    if (domain !== null) counts.set(domain, (counts.get(domain) ?? 0) + 1);
  }
  return counts;
}

/**
 * Positions of the members that write from an institution mail domain (`institutionDomain`) no
 * member of another organisation in the cluster writes from: a domain of their own
 * organisation's, not one an operator hands out to many accounts. An academic domain counts
 * only where the provider checked the address (`edu_email`): student addresses are what sign-up
 * farms buy, one university at a time.
 */
export function membersOnOwnDomain(view: ClusterView): Set<number> {
  const organisationsOf = new Map<string, Set<string>>();
  const domains = view.members.map((member) => {
    let domain = institutionDomain(member.info);
    if (domain !== null && member.info!.academicMailDomain && !checkedAcademicAddress(member.info)) domain = null;
    if (domain !== null) {
      let organisations = organisationsOf.get(domain);
      if (organisations === undefined) organisationsOf.set(domain, (organisations = new Set()));
      organisations.add(organisationKey(member));
    }
    return domain;
  });
  const own = new Set<number>();
  domains.forEach((domain, position) => {
    if (domain !== null && organisationsOf.get(domain)!.size === 1) own.add(position);
  });
  return own;
}

/** Verification items that say the holder received mail at the address: it is theirs, not typed in. */
const MAILBOX_CHECKS: ReadonlySet<string> = new Set(['email', 'edu_email']);

/**
 * Positions of the members writing from a mail domain that is neither a public provider's nor a
 * university's, that few accounts outside the cluster use, and at which three or more members of
 * two or more organisations proved they receive mail: addresses minted at a catch-all domain the
 * operator holds. A domain two accounts share is the commonest ordinary sharing there is (an
 * internet provider's mail that no list of public providers names, a small firm's), so two do
 * not make it one, as they do not for `shared_email_domain`'s count. Only verified addresses
 * count towards it: an address at someone else's domain costs nothing to type, and unverified
 * sign-ups at a company's domain must not make the company's own accounts an operator's.
 */
export function membersOnMintedDomain(view: ClusterView, holders: (kind: ClusterIndicatorKind, value: string) => number): Set<number> {
  const verified = new Map<string, { accounts: number; orgs: Set<string> }>();
  view.members.forEach((member, position) => {
    if (member.info?.academicMailDomain !== false || !verifiedBy(member.info, MAILBOX_CHECKS)) return;
    for (const value of view.memberValues.email_domain[position]!) {
      const entry = verified.get(value) ?? { accounts: 0, orgs: new Set<string>() };
      entry.accounts++;
      entry.orgs.add(organisationKey(member));
      verified.set(value, entry);
    }
  });
  const minted = new Set<string>();
  for (const entry of view.shared.email_domain) {
    const proven = verified.get(entry.value);
    if (proven !== undefined && proven.accounts >= 3 && proven.orgs.size >= 2 && insideShare(entry, holders('email_domain', entry.value)) >= 0.5) minted.add(entry.value);
  }
  const members = new Set<number>();
  if (minted.size === 0) return members;
  view.memberValues.email_domain.forEach((values, position) => {
    if (view.members[position]!.info?.academicMailDomain === false && values.some((value) => minted.has(value))) members.add(position);
  });
  return members;
}

/** An institution of a cluster: its mail domain, the network most of its members send from, and how many do each. */
interface OpenInstitution {
  domain: string;
  network: string;
  domainMembers: number;
}

/**
 * The institutions working in the open in a cluster: each mail domain of an institution
 * (`institutionDomain`) with a network of its own, the subnet most of its members send from,
 * used by two of them or more and by few members of the cluster's other institution domains (a
 * fifth at most: a visitor from another campus, not a pool of exits both domains' accounts
 * rotate through; universities' checked addresses may share one). Two universities' labs on a
 * shared benchmark are two institutions, each on
 * its own campus network; an operator's two catch-all domains behind one proxy pool are neither.
 * Largest first, then by domain.
 */
function openInstitutions(view: ClusterView): { institutions: OpenInstitution[]; onNetwork: number } {
  const domainOf = view.members.map((member) => institutionDomain(member.info));
  const subnets = view.memberValues.subnet;
  const byDomain = new Map<string, number[]>();
  domainOf.forEach((domain, position) => {
    if (domain === null) return;
    let positions = byDomain.get(domain);
    if (positions === undefined) byDomain.set(domain, (positions = []));
    positions.push(position);
  });
  const institutions: OpenInstitution[] = [];
  for (const [domain, positions] of byDomain) {
    const uses = new Map<string, number>();
    for (const position of positions) for (const subnet of subnets[position]!) uses.set(subnet, (uses.get(subnet) ?? 0) + 1);
    let network = '';
    let users = 0;
    for (const [subnet, count] of uses) if (count > users || (count === users && subnet < network)) [network, users] = [subnet, count];
    if (users < 2) continue;
    // A university's network may carry other universities' students (a joint course, an
    // exchange); addresses the provider checked as academic are not an operator's domains.
    const checkedAcademic = positions.every((position) => checkedAcademicAddress(view.members[position]!.info));
    let others = 0;
    domainOf.forEach((other, position) => {
      if (other !== null && other !== domain && subnets[position]!.includes(network)) others++;
    });
    if (!checkedAcademic && others > (users + others) / 5) continue;
    institutions.push({ domain, network, domainMembers: positions.length });
  }
  institutions.sort((a, b) => b.domainMembers - a.domainMembers || (a.domain < b.domain ? -1 : 1));
  const networks = new Set(institutions.map((institution) => institution.network));
  let onNetwork = 0;
  for (const values of subnets) if (values.some((subnet) => networks.has(subnet))) onNetwork++;
  return { institutions, onNetwork };
}

export const openInstitutionDetector: ClusterDetector<RampParams> = {
  signal: 'open_institution',
  level: 'cluster',
  role: 'mitigation',
  family: 'organisation',
  description:
    "Mitigation: most members carry an institution's own mail domain (not a public provider's) and send from that institution's network, and no card is shared across organisations: a university's labs and classes, or a company's teams, working in the open on their campus or office network (several institutions count together: two universities' labs on one benchmark each work from their own campus). A distillation operation hides behind proxy exits, throwaway domains and shared cards instead. Holds for the cluster as the declared organisation does; what the members send is still weighed.",
  params: rampParams(2, 0.5, 0.8),
  detect({ view }, params) {
    const size = view.members.length;
    if (size === 0 || view.membersSharingAcrossOrgs.payment > 0) return NOTHING_FOUND;
    const { institutions, onNetwork } = openInstitutions(view);
    if (institutions.length === 0) return NOTHING_FOUND;
    const domainMembers = institutions.reduce((total, institution) => total + institution.domainMembers, 0);
    const domainShare = domainMembers / size;
    const networkShare = onNetwork / size;
    // Both must hold for most members; some of an institution's people use a personal address
    // or work from home, so four in five is full.
    const score = ramp(Math.min(domainShare, networkShare), params.low, params.high);
    if (score === 0) return NOTHING_FOUND;
    const [first] = institutions;
    const named =
      institutions.length === 1
        ? `the mail domain ${short(first!.domain, 40)}`
        : `the mail domains of ${formatCount(institutions.length)} institutions (${short(first!.domain, 40)} most)`;
    const networks = institutions.length === 1 ? `its network ${first!.network}` : 'their own networks';
    const item = evidence(
      'open_institution',
      score,
      params.weight,
      `${formatShare(domainMembers, size, 'accounts')} use ${named} and ${formatShare(onNetwork, size, 'accounts')} send from ${networks}, with no card shared across organisations: ${institutions.length === 1 ? 'one institution' : 'institutions'} working in the open`,
      Math.min(domainShare, networkShare),
    );
    return mitigationFound(score, item);
  },
};

/** Ties an operator's accounts share and independent customers do not: across organisations, any of these voids the mitigation. */
const OPERATOR_TIES = ['payment', 'api_key'] as const;
/** Networks and sign-up addresses: a few members may share one (a VPN, a conference network), most may not. */
const NETWORK_TIES = ['ip', 'subnet', 'signup_ip'] as const;

export const independentCustomersDetector: ClusterDetector<RampParams> = {
  signal: 'independent_customers',
  level: 'cluster',
  role: 'mitigation',
  family: 'organisation',
  description:
    "Mitigation: the members write from mail domains of their own (an institution's or a company's, not a public provider's), hardly two on one, and share no card or API key and almost no network or sign-up address across organisations: independent customers whom one public tool or prompt kit ties together (an evaluation suite, a benchmark harness). An operator of many accounts would need a mail domain and a network of its own for each. Holds for the cluster as the declared organisation does; what the members send is still weighed.",
  params: rampParams(2, 0.5, 0.8),
  detect({ view }, params) {
    const size = view.members.length;
    if (size === 0) return NOTHING_FOUND;
    for (const kind of OPERATOR_TIES) if (view.membersSharingAcrossOrgs[kind] > 0) return NOTHING_FOUND;
    let networked = 0;
    for (const kind of NETWORK_TIES) networked = Math.max(networked, view.membersSharingAcrossOrgs[kind]);
    const domains = membersByInstitutionDomain(view);
    // Distinct own domains per member: 1 when every member writes from its own, near 0 for a
    // campaign on free mail, a catch-all domain or a few abused university addresses.
    const diversity = domains.size / size;
    const apart = 1 - networked / size;
    const score = ramp(Math.min(diversity, apart), params.low, params.high);
    if (score === 0) return NOTHING_FOUND;
    const item = evidence(
      'independent_customers',
      score,
      params.weight,
      `${formatCount(size)} accounts write from ${formatCount(domains.size)} mail domains of their own and share no card or API key${networked > 0 ? ` (${formatShare(networked, size, 'accounts')} share a network or sign-up address across organisations)` : ' and no network or sign-up address'} across organisations: independent customers on one public tool or prompt kit`,
      Math.min(diversity, apart),
    );
    return mitigationFound(score, item);
  },
};

export const CLUSTER_DETECTORS = [
  sharedPaymentDetector,
  exitPoolDetector,
  sharedNetworkDetector,
  sharedSignupIpDetector,
  signupBurstDetector,
  sharedEmailDomainDetector,
  sharedClientDetector,
  rotatedSystemPromptsDetector,
  sharedPromptTemplatesDetector,
  synchronisedActivityDetector,
  newModelWaveDetector,
  programmeAbuseDetector,
  declaredOrganisationDetector,
  openInstitutionDetector,
  independentCustomersDetector,
] as const;
