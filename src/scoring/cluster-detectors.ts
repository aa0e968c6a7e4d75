import { z } from 'zod';
import { CONTENT_FLAG } from '../features/content-signals.js';
import type { ClusterIndicatorKind, ClusterView } from './cluster-view.js';
import { flagCount } from './cluster-view.js';
import { evidence, formatCount, formatPercent, formatShare, ramp, type DetectorDefinition } from './detector.js';

/**
 * Detectors that read a cluster of linked accounts. Roles: coordination (the accounts are run
 * together: shared cards, networks, sign-up bursts, templates), value (what they ask for has
 * training value: elicited reasoning, graded answers, rationales, safe rewrites), support (what
 * makes that value larger: maxed outputs, thinking budgets, capability focus, a rush to a new
 * model; these add to value but cannot make it alone) and mitigation. A cluster's score needs
 * coordination and value, so a classroom on one campus network (coordinated, little
 * value) and a lone heavy evaluation harness (value, no coordination) stay clean. Measured over
 * the whole cluster, the value signals survive dilution: a proxy network that mixes customers'
 * ordinary requests into each account still shows its distillation traffic in aggregate.
 */

export interface ClusterDetectorInput {
  view: ClusterView;
  /** Share of all accounts (with the value known) that hold `value`: a public mail domain is common. */
  popularity(kind: ClusterIndicatorKind, value: string): number;
  templateName(template: { kind: 'prompt' | 'system'; templateId: number }): string;
}

type ClusterDetector<P extends { weight: number }> = DetectorDefinition<ClusterDetectorInput, P>;
type RampParams = { weight: number; low: number; high: number };

const rampParams = (weight: number, low: number, high: number) =>
  z
    .object({ weight: z.number().min(0).max(1).default(weight), low: z.number().min(0).default(low), high: z.number().min(0).default(high) })
    .strict()
    .refine((p) => p.low <= p.high, { message: 'low must not exceed high' })
    .default({});

function short(value: string, max = 24): string {
  return value.length <= max ? value : value.slice(0, max - 1) + '…';
}

function memberShareDetector(
  signal: string,
  kind: ClusterIndicatorKind,
  description: string,
  defaults: [number, number, number],
  noun: string,
  maxPopularity = 0.02,
): ClusterDetector<RampParams & { max_popularity: number }> {
  return {
    signal,
    level: 'cluster',
    role: 'coordination',
    description,
    params: z
      .object({
        weight: z.number().min(0).max(1).default(defaults[0]),
        low: z.number().min(0).max(1).default(defaults[1]),
        high: z.number().min(0).max(1).default(defaults[2]),
        max_popularity: z.number().min(0).max(1).default(maxPopularity),
      })
      .strict()
      .default({}),
    detect({ view, popularity }, params) {
      const size = view.members.length;
      // Sharing inside one declared organisation is expected (a company card, the office network).
      const values = view.shared[kind].filter((entry) => entry.orgs >= 2 && popularity(kind, entry.value) <= params.max_popularity);
      if (values.length === 0) return { score: 0, evidence: [] };
      // Account-level kinds: each member holds one value, so the holders of shared values add up.
      const sharing = Math.min(size, values.reduce((sum, entry) => sum + entry.accounts, 0));
      const share = sharing / size;
      const score = ramp(share, params.low, params.high);
      if (score === 0) return { score, evidence: [] };
      const top = values[0]!;
      return {
        score,
        evidence: [
          evidence(
            signal,
            score,
            params.weight,
            `${formatShare(sharing, size, 'accounts')} share ${formatCount(values.length)} ${noun}${values.length === 1 ? '' : 's'} with another member (${short(top.value)} is used by ${formatCount(top.accounts)})`,
            share,
          ),
        ],
      };
    },
  };
}

export const sharedPaymentDetector = memberShareDetector(
  'shared_payment',
  'payment',
  'Members paying with a payment fingerprint another member uses too.',
  [0.6, 0.15, 0.6],
  'payment fingerprint',
  // A card is never a public value: only a card shared by a large part of all accounts is ignored.
  0.25,
);

export const sharedSignupIpDetector = memberShareDetector('shared_signup_ip', 'signup_ip', 'Members that signed up from the same IP address.', [0.4, 0.15, 0.6], 'sign-up IP');

export const sharedEmailDomainDetector = memberShareDetector(
  'shared_email_domain',
  'email_domain',
  'Members whose e-mail addresses are at a domain few other accounts use (a private or catch-all domain, not a public mail provider).',
  [0.25, 0.3, 0.8],
  'e-mail domain',
);

export const sharedNetworkDetector: ClusterDetector<RampParams> = {
  signal: 'shared_network',
  level: 'cluster',
  role: 'coordination',
  description: 'Members sending from client IP addresses (or /24, /48 subnets) that other members send from too.',
  params: rampParams(0.45, 0.2, 0.7),
  detect({ view }, params) {
    const size = view.members.length;
    const ipShare = view.membersSharingAcrossOrgs.ip / size;
    const subnetShare = view.membersSharingAcrossOrgs.subnet / size;
    const share = Math.max(ipShare, subnetShare * 0.6);
    const score = ramp(share, params.low, params.high);
    if (score === 0) return { score, evidence: [] };
    const ips = view.shared.ip.filter((entry) => entry.orgs >= 2);
    const subnets = view.shared.subnet.filter((entry) => entry.orgs >= 2);
    const detail =
      ips.length > 0
        ? `${formatShare(view.membersSharingAcrossOrgs.ip, size, 'accounts')} send from ${formatCount(ips.length)} client IPs that members of other organisations also use (${ips[0]!.value} by ${formatCount(ips[0]!.accounts)} accounts); ${formatCount(subnets.length)} shared subnets`
        : `${formatShare(view.membersSharingAcrossOrgs.subnet, size, 'accounts')} send from ${formatCount(subnets.length)} shared subnets (${subnets[0]?.value ?? ''})`;
    return { score, evidence: [evidence('shared_network', score, params.weight, detail, share)] };
  },
};

export const sharedClientDetector: ClusterDetector<RampParams & { max_popularity: number }> = {
  signal: 'shared_client',
  level: 'cluster',
  role: 'coordination',
  description: 'Members using the same uncommon TLS fingerprint or user agent.',
  params: z
    .object({
      weight: z.number().min(0).max(1).default(0.1),
      low: z.number().min(0).max(1).default(0.5),
      high: z.number().min(0).max(1).default(0.9),
      max_popularity: z.number().min(0).max(1).default(0.05),
    })
    .strict()
    .default({}),
  detect({ view, popularity }, params) {
    const size = view.members.length;
    let best: { kind: ClusterIndicatorKind; value: string; accounts: number } | null = null;
    for (const kind of ['tls', 'user_agent'] as const) {
      for (const entry of view.shared[kind]) {
        if (popularity(kind, entry.value) > params.max_popularity) continue;
        if (best === null || entry.accounts > best.accounts) best = { kind, value: entry.value, accounts: entry.accounts };
        break;
      }
    }
    if (best === null) return { score: 0, evidence: [] };
    const share = best.accounts / size;
    const score = ramp(share, params.low, params.high);
    if (score === 0) return { score, evidence: [] };
    return {
      score,
      evidence: [evidence('shared_client', score, params.weight, `${formatShare(best.accounts, size, 'accounts')} use the uncommon ${best.kind === 'tls' ? 'TLS fingerprint' : 'user agent'} ${short(best.value, 40)}`, share)],
    };
  },
};

export const signupBurstDetector: ClusterDetector<RampParams & { window_minutes: number; min_burst: number }> = {
  signal: 'signup_burst',
  level: 'cluster',
  role: 'coordination',
  description: 'Members created in bursts: at least `min_burst` sign-ups within `window_minutes` of each other.',
  params: z
    .object({
      weight: z.number().min(0).max(1).default(0.35),
      low: z.number().min(0).max(1).default(0.2),
      high: z.number().min(0).max(1).default(0.7),
      window_minutes: z.number().min(1).default(60),
      min_burst: z.number().int().min(2).default(3),
    })
    .strict()
    .default({}),
  detect({ view }, params) {
    const times = view.createdAts;
    if (times.length < params.min_burst) return { score: 0, evidence: [] };
    const window = params.window_minutes * 60_000;
    let inBursts = 0;
    let bursts = 0;
    let largest = 0;
    let i = 0;
    while (i < times.length) {
      let j = i;
      while (j + 1 < times.length && times[j + 1]! - times[j]! <= window) j++;
      const size = j - i + 1;
      if (size >= params.min_burst) {
        inBursts += size;
        bursts++;
        largest = Math.max(largest, size);
      }
      i = j + 1;
    }
    const share = inBursts / view.members.length;
    const score = ramp(share, params.low, params.high);
    if (score === 0) return { score, evidence: [] };
    return {
      score,
      evidence: [
        evidence(
          'signup_burst',
          score,
          params.weight,
          `${formatShare(inBursts, view.members.length, 'accounts')} signed up in ${formatCount(bursts)} burst${bursts === 1 ? '' : 's'} (up to ${formatCount(largest)} accounts less than ${params.window_minutes} minutes apart)`,
          share,
        ),
      ],
    };
  },
};

export const clusterTemplatesDetector: ClusterDetector<RampParams> = {
  signal: 'cluster_templates',
  level: 'cluster',
  role: 'coordination',
  description: "Share of the cluster's traffic that fills prompt or system-prompt templates several members fill: one script behind many accounts.",
  params: rampParams(0.5, 0.2, 0.6),
  detect({ view, templateName }, params) {
    if (view.exchanges === 0) return { score: 0, evidence: [] };
    const share = view.sharedTemplateExchanges / view.exchanges;
    const score = ramp(share, params.low, params.high);
    if (score === 0) return { score, evidence: [] };
    const shared = view.templates.filter((template) => template.members >= 2);
    const top = shared[0]!;
    return {
      score,
      evidence: [
        evidence(
          'cluster_templates',
          score,
          params.weight,
          `${formatShare(view.sharedTemplateExchanges, view.exchanges)} fill ${formatCount(shared.length)} template${shared.length === 1 ? '' : 's'} shared by ${formatCount(view.membersInSharedTemplates)} of ${formatCount(view.members.length)} accounts (${templateName(top)}: ${formatCount(top.exchanges)} requests from ${formatCount(top.members)} accounts)`,
          share,
        ),
      ],
    };
  },
};

export const synchronisedActivityDetector: ClusterDetector<RampParams & { min_members: number }> = {
  signal: 'synchronised_activity',
  level: 'cluster',
  role: 'coordination',
  description:
    'Members active in the same hours more than their own activity explains: the ratio of observed to expected co-activity (load balancing, shared shifts).',
  params: z
    .object({
      weight: z.number().min(0).max(1).default(0.2),
      low: z.number().min(0).default(1.5),
      high: z.number().min(0).default(4),
      min_members: z.number().int().min(2).default(3),
    })
    .strict()
    .default({}),
  detect({ view }, params) {
    const size = view.members.length;
    if (size < params.min_members || view.hourly.size === 0) return { score: 0, evidence: [] };
    let hours = 0;
    let first = Infinity;
    let last = -Infinity;
    for (const hour of view.hourly.keys()) {
      first = Math.min(first, hour);
      last = Math.max(last, hour);
    }
    hours = last - first + 1;
    // Observed: for a member's active hour, the share of the other members active then too.
    // Expected: the share of hours an average other member is active at all.
    let memberHours = 0;
    let together = 0;
    for (const { members } of view.hourly.values()) {
      memberHours += members;
      together += members * (members - 1);
    }
    if (memberHours === 0) return { score: 0, evidence: [] };
    const observed = together / memberHours / (size - 1);
    const expected = memberHours / size / hours;
    const ratio = expected > 0 ? observed / expected : 0;
    const score = ramp(ratio, params.low, params.high);
    if (score === 0) return { score, evidence: [] };
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

export const clusterElicitationDetector: ClusterDetector<RampParams> = {
  signal: 'cluster_elicitation',
  level: 'cluster',
  role: 'value',
  description: "Share of the cluster's requests asking for reasoning traces, rubric grading, explanations of given answers or safe rewrites.",
  params: rampParams(0.6, 0.08, 0.4),
  detect({ view }, params) {
    if (view.exchanges === 0) return { score: 0, evidence: [] };
    const share = view.elicited / view.exchanges;
    const score = ramp(share, params.low, params.high);
    if (score === 0) return { score, evidence: [] };
    const parts = [
      // An exchange may ask in both its prompt and its system prompt: count the larger, not the sum.
      ['step-by-step reasoning', Math.max(flagCount(view, CONTENT_FLAG.cotElicitation), flagCount(view, CONTENT_FLAG.systemCot))],
      ['rubric grading', Math.max(flagCount(view, CONTENT_FLAG.rubricGrading), flagCount(view, CONTENT_FLAG.systemRubric))],
      ['explaining given answers', flagCount(view, CONTENT_FLAG.explainAnswer)],
      ['safe rewrites', flagCount(view, CONTENT_FLAG.safeRewrite)],
    ] as [string, number][];
    const mix = parts
      .filter(([, count]) => count > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([name, count]) => `${name} ${formatPercent(count / view.exchanges)}`)
      .join(', ');
    return {
      score,
      evidence: [evidence('cluster_elicitation', score, params.weight, `${formatShare(view.elicited, view.exchanges)} ask for training-value output: ${mix}`, share)],
    };
  },
};

export const clusterOutputValueDetector: ClusterDetector<RampParams> = {
  signal: 'cluster_output_value',
  level: 'cluster',
  role: 'support',
  description: "Share of the cluster's requests maximising output: max_tokens at the limit, extended thinking, several completions.",
  params: rampParams(0.35, 0.2, 0.6),
  detect({ view }, params) {
    if (view.exchanges === 0) return { score: 0, evidence: [] };
    const maxed = view.maxedTokens / view.exchanges;
    const thinking = view.thinking / view.exchanges;
    const multi = view.multiSample / view.exchanges;
    const share = Math.max(maxed, thinking, Math.min(1, 2 * multi));
    const score = ramp(share, params.low, params.high);
    if (score === 0) return { score, evidence: [] };
    return {
      score,
      evidence: [
        evidence(
          'cluster_output_value',
          score,
          params.weight,
          `max_tokens at the model's limit in ${formatPercent(maxed)}, extended thinking in ${formatPercent(thinking)} and n > 1 in ${formatPercent(multi)} of ${formatCount(view.exchanges)} requests`,
          share,
        ),
      ],
    };
  },
};

const TARGETS = ['coding', 'math', 'reasoning', 'agentic', 'data_analysis', 'computer_use', 'vision'];

export const clusterCapabilityFocusDetector: ClusterDetector<RampParams> = {
  signal: 'cluster_capability_focus',
  level: 'cluster',
  role: 'support',
  description: "Share of the cluster's traffic in the capabilities distillers target (coding, math, reasoning, agentic tool use, data analysis, computer use, vision).",
  params: rampParams(0.2, 0.6, 0.9),
  detect({ view }, params) {
    const targeted = Object.entries(view.capabilities)
      .filter(([name]) => TARGETS.includes(name))
      .sort((a, b) => b[1] - a[1]);
    const share = targeted.reduce((sum, [, s]) => sum + s, 0);
    const score = ramp(share, params.low, params.high);
    if (score === 0) return { score, evidence: [] };
    const mix = targeted.slice(0, 3).map(([name, s]) => `${name.replace('_', ' ')} ${formatPercent(s)}`).join(', ');
    return { score, evidence: [evidence('cluster_capability_focus', score, params.weight, `${formatPercent(share)} of the traffic targets ${mix}`, share)] };
  },
};

export const newModelWaveDetector: ClusterDetector<RampParams & { member_share: number }> = {
  signal: 'new_model_wave',
  level: 'cluster',
  role: 'support',
  description: 'Share of members that moved at least `member_share` of their traffic to a newly released model within 24 hours of its appearance.',
  params: z
    .object({
      weight: z.number().min(0).max(1).default(0.2),
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
    if (score === 0) return { score, evidence: [] };
    const names = [...new Set(movers.map((summary) => summary.newModel!.name))].slice(0, 2).join(', ');
    return {
      score,
      evidence: [
        evidence('new_model_wave', score, params.weight, `${formatShare(movers.length, view.members.length, 'accounts')} moved ${formatPercent(params.member_share)}+ of their traffic to ${names} within 24 hours of its release`, share),
      ],
    };
  },
};

export const programmeAbuseDetector: ClusterDetector<RampParams & { tiers: string[] }> = {
  signal: 'programme_abuse',
  level: 'cluster',
  role: 'support',
  description: 'Share of members on programme tiers (education, research, start-up).',
  params: z
    .object({
      weight: z.number().min(0).max(1).default(0.1),
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
    if (score === 0) return { score, evidence: [] };
    const mix = params.tiers
      .filter((tier) => (view.tiers[tier] ?? 0) > 0)
      .map((tier) => `${tier} ${formatCount(view.tiers[tier]!)}`)
      .join(', ');
    return { score, evidence: [evidence('programme_abuse', score, params.weight, `${formatShare(count, view.members.length, 'accounts')} are on programme tiers (${mix})`, share)] };
  },
};

export const clusterVolumeDetector: ClusterDetector<RampParams> = {
  signal: 'cluster_volume',
  level: 'cluster',
  role: 'support',
  description: 'Requests per member per active day across the cluster.',
  params: rampParams(0.15, 10, 60),
  detect({ view }, params) {
    const perMemberDay = view.summaries.reduce((sum, summary) => sum + summary.perActiveDay, 0) / view.members.length;
    const score = ramp(perMemberDay, params.low, params.high);
    if (score === 0) return { score, evidence: [] };
    return {
      score,
      evidence: [
        evidence('cluster_volume', score, params.weight, `${formatCount(view.exchanges)} requests from ${formatCount(view.members.length)} accounts, ${formatCount(perMemberDay)} per account per active day`, perMemberDay),
      ],
    };
  },
};

export const clusterVerbatimRepeatsDetector: ClusterDetector<RampParams> = {
  signal: 'cluster_verbatim_repeats',
  level: 'cluster',
  role: 'mitigation',
  description:
    "Mitigation: share of the members' single-turn prompts re-sent word for word by the same account (benchmark and regression runs, not harvesting).",
  params: rampParams(0.8, 0.05, 0.25),
  detect({ view }, params) {
    let prompts = 0;
    let repeats = 0;
    for (const state of view.members) {
      prompts += state.singleTurnPrompts;
      repeats += state.verbatimRepeats;
    }
    if (prompts === 0) return { score: 0, evidence: [] };
    const share = repeats / prompts;
    const score = ramp(share, params.low, params.high);
    if (score === 0) return { score, evidence: [] };
    const item = evidence('cluster_verbatim_repeats', score, params.weight, `members re-sent ${formatShare(repeats, prompts, 'single-turn prompts')} word for word, as evaluation and regression runs do`, share);
    return { score, evidence: [{ ...item, weight: -item.weight }] };
  },
};

export const declaredOrganisationDetector: ClusterDetector<RampParams> = {
  signal: 'declared_organisation',
  level: 'cluster',
  role: 'mitigation',
  description:
    "Mitigation: share of members in one declared organisation (the accounts file's org_id). A company's developers share an office network, a corporate card and the same tools; that coordination is declared, not hidden.",
  params: rampParams(0.6, 0.5, 0.9),
  detect({ view }, params) {
    const top = view.shared.org[0];
    if (top === undefined) return { score: 0, evidence: [] };
    const share = top.accounts / view.members.length;
    const score = ramp(share, params.low, params.high);
    if (score === 0) return { score, evidence: [] };
    const item = evidence(
      'declared_organisation',
      score,
      params.weight,
      `${formatShare(top.accounts, view.members.length, 'accounts')} belong to the declared organisation ${short(top.value, 40)}, which explains shared networks, cards and tools`,
      share,
    );
    return { score, evidence: [{ ...item, weight: -item.weight }] };
  },
};

export const CLUSTER_DETECTORS = [
  sharedPaymentDetector,
  sharedNetworkDetector,
  sharedSignupIpDetector,
  sharedEmailDomainDetector,
  sharedClientDetector,
  signupBurstDetector,
  clusterTemplatesDetector,
  synchronisedActivityDetector,
  clusterElicitationDetector,
  clusterOutputValueDetector,
  clusterCapabilityFocusDetector,
  newModelWaveDetector,
  programmeAbuseDetector,
  clusterVolumeDetector,
  clusterVerbatimRepeatsDetector,
  declaredOrganisationDetector,
] as const;
