import { seededRandom } from '../../util/seeded-random.js';
import type { AccountFinding, ClusterFinding, Evidence, Findings, TemplateSummary, TimelinePoint } from '../../model/findings.js';

/**
 * A realistic findings document without running the detector: a few distillation campaigns (one
 * split over two clusters, one quiet enough to stay under the threshold), many small clusters of
 * legitimate customers (company offices, classrooms, batch pipelines with their developers) and
 * a long tail of unclustered accounts, with the labels that say which is which. Deterministic
 * for a seed; fast enough for 150,000 accounts.
 */
export interface SyntheticFindingsOptions {
  seed?: number;
  accounts?: number;
  clusters?: number;
  /** Share of accounts that belong to campaigns. */
  attackShare?: number;
  /** Hourly buckets in the timeline (the window is this many hours long). */
  hours?: number;
}

export interface SyntheticLabel {
  account_id: string;
  label: 'attack' | 'benign';
  campaign: string | null;
  persona: string;
}

export interface SyntheticCase {
  findings: Findings;
  labels: SyntheticLabel[];
}

const START_MS = Date.parse('2026-02-02T00:00:00.000Z');
const HOUR_MS = 3_600_000;
const ACCOUNT_THRESHOLD = 0.6;
const CLUSTER_THRESHOLD = 0.7;

interface CampaignPlan {
  name: string;
  kind: string;
  share: number;
  clusters: number;
  score: [number, number];
  capabilities: Record<string, number>;
  models: Record<string, number>;
  templates: string[];
  signals: string[];
  asns: number[];
  countries: string[];
  emailDomains: string[];
  userAgents: string[];
  /** Hour the campaign's traffic starts; it moves to the new model after the release. */
  releaseShift: boolean;
}

const RELEASE_HOUR = 24 * 8 + 17;

const CAMPAIGNS: CampaignPlan[] = [
  {
    name: 'harvest-cot-1',
    kind: 'cot_extraction',
    share: 0.12,
    clusters: 1,
    score: [0.86, 0.97],
    capabilities: { reasoning_trace: 0.46, rubric_grading: 0.22, safe_rewrite: 0.14, math: 0.1, science_qa: 0.08 },
    models: { 'claude-opus-4-6': 0.7, 'claude-sonnet-4-6': 0.3 },
    templates: [
      'You are a world-class expert in <*>. Before answering, think step by step and write out every step of your reasoning in full, then state the final answer on its own line.\n\nQuestion: <*>',
      'Grade the following answer against the rubric. For each criterion give a score from 1 to 10 and a one-paragraph justification.\n\nRubric: <*>\n\nAnswer to grade: <*>',
      'Rewrite the following question so that it is safe to answer, then answer it in detail, explaining the reasoning behind each claim: <*>',
    ],
    signals: ['cot_elicitation', 'shared_template', 'rubric_grading', 'synchronized_timing', 'shared_payment', 'signup_burst'],
    asns: [14061, 16276],
    countries: ['SG', 'US'],
    emailDomains: ['researchmail.io', 'labnotes.dev'],
    userAgents: ['anthropic-sdk-python/0.52.0'],
    releaseShift: false,
  },
  {
    name: 'agentic-ops-2',
    kind: 'agentic_coding',
    share: 0.33,
    clusters: 1,
    score: [0.8, 0.95],
    capabilities: { agentic_coding: 0.41, tool_use: 0.24, coding: 0.14, data_analysis: 0.09, computer_use: 0.07, vision: 0.05 },
    models: { 'claude-opus-4-6': 0.45, 'claude-opus-5': 0.5, 'claude-sonnet-4-6': 0.05 },
    templates: [
      'You are an autonomous software engineering agent operating in a sandboxed repository. Use the provided tools to <*>. Explain your plan before each tool call. Repository: <*>',
      'You are a data analysis agent. Load <*>, compute <*> and produce a chart; narrate each step of the analysis.',
      'Operate the desktop to <*>. After every action, describe what you see on the screen and why you chose the next action.',
    ],
    signals: ['shared_template', 'tool_use_volume', 'new_model_shift', 'max_tokens', 'synchronized_timing', 'shared_payment'],
    asns: [16509, 8075, 396982],
    countries: ['US', 'IE', 'DE'],
    emailDomains: ['devshop-mail.com'],
    userAgents: ['anthropic-sdk-typescript/0.40.1', 'OpenAI/Python 1.82.0'],
    releaseShift: true,
  },
  {
    name: 'hydra-proxy-3',
    kind: 'proxy_network',
    share: 0.5,
    clusters: 2,
    score: [0.74, 0.92],
    capabilities: { agentic_coding: 0.33, tool_use: 0.21, coding: 0.18, reasoning_trace: 0.12, chat: 0.1, translation: 0.06 },
    models: { 'claude-opus-5': 0.55, 'claude-opus-4-6': 0.35, 'gpt-5': 0.1 },
    templates: [
      'You are a senior staff engineer. Solve the following task completely, with tests, and explain the design decisions: <*>',
      'SYSTEM: follow the orchestration protocol v3. Step <*> of <*>. Available tools: <*>. Think aloud before acting.',
    ],
    signals: ['proxy_infrastructure', 'shared_template', 'new_model_shift', 'synchronized_timing', 'volume_concentration'],
    asns: [9009, 62240, 212238, 20473],
    countries: ['NL', 'US', 'HK', 'DE', 'GB'],
    emailDomains: ['mailhub-relay.net', 'inboxfast.org', 'quick-post.cc'],
    userAgents: ['OpenAI/Python 1.82.0', 'python-httpx/0.28.1'],
    releaseShift: true,
  },
  {
    name: 'quiet-stealth-4',
    kind: 'stealth',
    share: 0.05,
    clusters: 1,
    score: [0.5, 0.66],
    capabilities: { reasoning_trace: 0.31, math: 0.27, coding: 0.22, chat: 0.2 },
    models: { 'claude-sonnet-4-6': 0.8, 'claude-haiku-4-5': 0.2 },
    templates: ['Explain how to solve this, step by step, as if teaching a student: <*>'],
    signals: ['cot_elicitation', 'education_programme', 'shared_template'],
    asns: [7922, 701],
    countries: ['US'],
    emailDomains: ['state-univ.edu'],
    userAgents: ['anthropic-sdk-python/0.51.0'],
    releaseShift: false,
  },
];

const BENIGN_MODELS = ['claude-sonnet-4-6', 'claude-haiku-4-5', 'claude-opus-4-6', 'gpt-5-mini'];

export function buildSyntheticFindings(options: SyntheticFindingsOptions = {}): SyntheticCase {
  const { seed = 1, accounts: accountCount = 2_000, clusters: clusterCount = 40, attackShare = 0.08, hours = 24 * 14 } = options;
  const rng = createRng(seed);
  const accounts: AccountFinding[] = [];
  const labels: SyntheticLabel[] = [];
  const clusters: ClusterFinding[] = [];
  const newAccountId = () => `acct_${hex(rng, 10)}`;

  const campaignClusters = CAMPAIGNS.reduce((sum, plan) => sum + plan.clusters, 0);
  const attackAccounts = Math.max(campaignClusters * 3, Math.round(accountCount * attackShare));
  let templateNumber = 100;

  for (const plan of CAMPAIGNS) {
    const planAccounts = Math.max(plan.clusters * 3, Math.round(attackAccounts * plan.share));
    for (let part = 0; part < plan.clusters; part += 1) {
      const size = Math.round(planAccounts / plan.clusters);
      const clusterId = `cl-${plan.kind.replace(/_/g, '-')}-${hex(rng, 4)}`;
      const clusterScore = round(uniform(rng, plan.score[0], plan.score[1]));
      const templates = plan.templates.map((text, index): TemplateSummary => ({
        template_id: `T${(templateNumber += 1)}`,
        text,
        exchanges: Math.round(size * uniform(rng, 300, 900) * (index === 0 ? 1 : 0.4 / index)),
        accounts: Math.max(1, Math.round(size * (index === 0 ? 0.96 : uniform(rng, 0.3, 0.8)))),
      }));
      const members: AccountFinding[] = [];
      for (let i = 0; i < size; i += 1) {
        const id = newAccountId();
        const score = round(Math.min(0.995, Math.max(0.2, clusterScore + normal(rng) * 0.06)));
        const exchanges = Math.round(uniform(rng, 300, 3_000));
        members.push({
          account_id: id,
          score,
          flagged: score >= ACCOUNT_THRESHOLD && clusterScore >= CLUSTER_THRESHOLD,
          cluster_id: clusterScore >= CLUSTER_THRESHOLD ? clusterId : null,
          linked_cluster_id: clusterId,
          evidence: attackEvidence(rng, plan, templates[0]!.template_id, size, exchanges),
          volume: volumeOf(rng, exchanges, 2.5),
          capabilities: jitter(rng, plan.capabilities),
          tier: pick(rng, plan.kind === 'stealth' ? ['education'] : ['free', 'standard', 'startup', 'research']),
          first_seen: isoHour(Math.floor(uniform(rng, 0, hours * 0.3))),
          last_seen: isoHour(Math.floor(uniform(rng, hours * 0.8, hours - 1))),
        });
        labels.push({ account_id: id, label: 'attack', campaign: plan.name, persona: plan.kind });
      }
      accounts.push(...members);
      const volume = sumVolumes(members);
      clusters.push({
        cluster_id: clusterId,
        accounts: members.map((member) => member.account_id),
        score: clusterScore,
        flagged: clusterScore >= CLUSTER_THRESHOLD,
        capabilities: plan.capabilities,
        indicators: {
          ips: Array.from({ length: 12 }, () => `${pick(rng, [45, 91, 185, 194])}.${int(rng, 1, 254)}.${int(rng, 1, 254)}.${int(rng, 1, 254)}`),
          subnets: Array.from({ length: 6 }, () => `${pick(rng, [45, 91, 185])}.${int(rng, 1, 254)}.${int(rng, 1, 254)}.0/24`),
          asns: plan.asns,
          countries: plan.countries,
          payment_fingerprints: Array.from({ length: plan.kind === 'proxy_network' ? 9 : 3 }, () => `pf_${hex(rng, 12)}`),
          user_agents: plan.userAgents,
          tls_fingerprints: [`t13d1516h2_8daaf6152771_${hex(rng, 12)}`],
          email_domains: plan.emailDomains,
          templates: templates.slice(0, 2).map((template) => template.template_id),
        },
        evidence: clusterEvidence(rng, plan, size, volume.exchanges, templates[0]!),
        volume,
        first_seen: minOf(members.map((member) => member.first_seen!)),
        last_seen: maxOf(members.map((member) => member.last_seen!)),
        timeline: campaignTimeline(rng, hours, volume.exchanges, plan),
        templates,
        models: splitCounts(volume.exchanges, plan.models),
      });
    }
  }

  // Legitimate customers that link: offices, classrooms, pipelines with their developers.
  const benignClusterCount = Math.max(0, clusterCount - campaignClusters);
  for (let c = 0; c < benignClusterCount; c += 1) {
    const kind = c % 10 === 3 ? 'classroom' : c % 10 === 7 ? 'batch_pipeline' : 'developer';
    const size = kind === 'classroom' ? int(rng, 12, 30) : kind === 'batch_pipeline' ? int(rng, 2, 5) : int(rng, 2, 9);
    const clusterId = `cl-${kind === 'developer' ? 'org' : kind.replace(/_/g, '-')}-${hex(rng, 4)}`;
    const clusterScore = round(kind === 'classroom' ? uniform(rng, 0.3, 0.62) : kind === 'batch_pipeline' ? uniform(rng, 0.35, 0.55) : uniform(rng, 0.05, 0.35));
    const capabilities: Record<string, number> = kind === 'classroom' ? { math: 0.4, reasoning_trace: 0.2, chat: 0.4 } : kind === 'batch_pipeline' ? { classification: 0.82, extraction: 0.18 } : { coding: 0.55, chat: 0.3, tool_use: 0.15 };
    const members: AccountFinding[] = [];
    for (let i = 0; i < size; i += 1) {
      const id = newAccountId();
      const pipeline = kind === 'batch_pipeline' && i === 0;
      const score = round(Math.min(0.9, Math.max(0.01, clusterScore + normal(rng) * 0.08)));
      const exchanges = pipeline ? int(rng, 20_000, 40_000) : int(rng, 20, 900);
      const persona = kind === 'batch_pipeline' && !pipeline ? 'developer' : kind;
      members.push({
        account_id: id,
        score,
        flagged: score >= ACCOUNT_THRESHOLD,
        cluster_id: clusterScore >= CLUSTER_THRESHOLD ? clusterId : null,
        linked_cluster_id: clusterId,
        evidence: benignEvidence(rng, persona, exchanges, size),
        volume: volumeOf(rng, exchanges, pipeline ? 0.05 : 1),
        capabilities: jitter(rng, capabilities),
        tier: kind === 'classroom' ? 'education' : kind === 'batch_pipeline' ? 'enterprise' : pick(rng, ['standard', 'startup']),
        first_seen: isoHour(int(rng, 0, 48)),
        last_seen: isoHour(int(rng, hours - 48, hours - 1)),
      });
      labels.push({ account_id: id, label: 'benign', campaign: null, persona });
    }
    accounts.push(...members);
    const volume = sumVolumes(members);
    const officeIp = `203.0.${int(rng, 0, 255)}.${int(rng, 1, 254)}`;
    const template: TemplateSummary = {
      template_id: `T${(templateNumber += 1)}`,
      text: kind === 'batch_pipeline' ? 'Classify the support ticket into one of: billing, bug, feature_request, account. Reply with JSON {"label": <*>}. Ticket: <*>' : kind === 'classroom' ? 'Assignment 4, question <*>: show your working.' : null,
      exchanges: Math.round(volume.exchanges * 0.6),
      accounts: size,
    };
    clusters.push({
      cluster_id: clusterId,
      accounts: members.map((member) => member.account_id),
      score: clusterScore,
      flagged: clusterScore >= CLUSTER_THRESHOLD,
      capabilities,
      indicators: {
        ips: [officeIp],
        subnets: [officeIp.replace(/\.\d+$/, '.0/24')],
        asns: [pick(rng, [3320, 7018, 2856, 3215, 1136])],
        countries: [pick(rng, ['US', 'DE', 'GB', 'FR', 'NL', 'JP'])],
        payment_fingerprints: kind === 'classroom' ? [] : [`pf_${hex(rng, 12)}`],
        user_agents: [],
        tls_fingerprints: [],
        email_domains: [kind === 'classroom' ? 'campus.example.edu' : `${pick(rng, ['acme', 'globex', 'initech', 'umbrella', 'hooli'])}-${hex(rng, 3)}.com`],
        templates: template.text === null ? [] : [template.template_id],
      },
      evidence: [
        { signal: 'shared_infrastructure', weight: 0.2, detail: `${size} accounts share the office network ${officeIp} and one payment method (org account)` },
        ...(kind === 'classroom' ? [{ signal: 'signup_burst', weight: 0.3, detail: `${size} education accounts signed up within 20 hours on one campus network` }] : []),
        ...(kind === 'batch_pipeline' ? [{ signal: 'template_volume', weight: 0.35, detail: `one service account sends ${count(members[0]!.volume.exchanges)} requests that fill one classification template` }] : []),
      ],
      volume,
      first_seen: minOf(members.map((member) => member.first_seen!)),
      last_seen: maxOf(members.map((member) => member.last_seen!)),
      timeline: diurnalTimeline(rng, hours, volume.exchanges),
      templates: template.text === null ? [] : [template],
      models: splitCounts(volume.exchanges, twoModels(rng)),
    });
  }

  // Everyone else: chat users, developers, evaluation harnesses and resellers on their own.
  while (accounts.length < accountCount) {
    const id = newAccountId();
    const persona = rng() < 0.002 ? 'eval_harness' : rng() < 0.004 ? 'reseller' : rng() < 0.7 ? 'chat_user' : 'developer';
    const hard = persona === 'eval_harness' || persona === 'reseller';
    const score = round(hard ? uniform(rng, 0.35, 0.68) : Math.pow(rng(), 3) * 0.5);
    const exchanges = hard ? int(rng, 5_000, 20_000) : int(rng, 1, 400);
    accounts.push({
      account_id: id,
      score,
      flagged: score >= ACCOUNT_THRESHOLD,
      cluster_id: null,
      linked_cluster_id: null,
      evidence: benignEvidence(rng, persona, exchanges, 1),
      volume: volumeOf(rng, exchanges, 1),
      capabilities: persona === 'chat_user' ? jitter(rng, { chat: 0.6, writing: 0.25, reasoning_trace: 0.05, coding: 0.1 }) : jitter(rng, { coding: 0.6, tool_use: 0.2, chat: 0.2 }),
      tier: pick(rng, ['free', 'standard']),
      first_seen: isoHour(int(rng, 0, hours / 2)),
      last_seen: isoHour(int(rng, hours / 2, hours - 1)),
    });
    labels.push({ account_id: id, label: 'benign', campaign: null, persona });
  }

  accounts.sort((a, b) => b.score - a.score);
  clusters.sort((a, b) => b.score - a.score);
  const flaggedAccounts = accounts.filter((account) => account.flagged);
  const flaggedClusters = clusters.filter((cluster) => cluster.flagged);
  const exchanges = accounts.reduce((sum, account) => sum + account.volume.exchanges, 0);
  return {
    findings: {
      format_version: 2,
      generated_at: isoHour(hours + 2),
      tool: { name: 'distillguard', version: '0.1.0' },
      input: { exchanges, accounts: accounts.length, accounts_with_traffic: accounts.length, first_ts: isoHour(0), last_ts: new Date(START_MS + hours * HOUR_MS - 1).toISOString() },
      thresholds: { account: ACCOUNT_THRESHOLD, cluster: CLUSTER_THRESHOLD },
      summary: {
        flagged_accounts: flaggedAccounts.length,
        flagged_clusters: flaggedClusters.length,
        flagged_exchanges: flaggedAccounts.reduce((sum, account) => sum + account.volume.exchanges, 0),
      },
      timings: { load: 4.2, features: 31.8, behaviour: 6.1, linking: 12.4, scoring: 2.3 },
      accounts,
      clusters,
    },
    labels,
  };
}

function attackEvidence(rng: Rng, plan: CampaignPlan, templateId: string, size: number, exchanges: number): Evidence[] {
  const evidence: Evidence[] = [];
  for (const signal of plan.signals.slice(0, int(rng, 3, Math.min(5, plan.signals.length)))) {
    const weight = round(uniform(rng, 0.3, 0.9));
    const share = int(rng, 70, 99);
    const others = int(rng, Math.min(size - 1, 20), size - 1);
    switch (signal) {
      case 'shared_template':
        evidence.push({ signal, weight, value: share / 100, detail: `${count(Math.round((exchanges * share) / 100))} of ${count(exchanges)} requests fill template ${templateId}, shared with ${count(others)} other accounts`, examples: ['You are a world-class expert in organic chemistry. Before answering, think step by step…'] });
        break;
      case 'cot_elicitation':
        evidence.push({ signal, weight, value: share / 100, detail: `${share}% of requests ask the model to write out its reasoning step by step (typical account: 4%)` });
        break;
      case 'rubric_grading':
        evidence.push({ signal, weight, detail: `${count(int(rng, 40, 400))} requests ask the model to grade an answer against a rubric and return scores` });
        break;
      case 'synchronized_timing':
        evidence.push({ signal, weight, detail: `request bursts start in the same 30-second windows as ${count(others)} other accounts on ${int(rng, 6, 14)} of 14 days` });
        break;
      case 'shared_payment':
        evidence.push({ signal, weight, detail: `payment method pf_${hex(rng, 12)} is shared with ${int(rng, 3, 40)} other accounts` });
        break;
      case 'signup_burst':
        evidence.push({ signal, weight, detail: `created within 6 hours of ${count(others)} other accounts of the cluster, same e-mail domain` });
        break;
      case 'new_model_shift':
        evidence.push({ signal, weight, detail: `${share}% of traffic moved to claude-opus-5 within ${int(rng, 3, 20)} hours of its release` });
        break;
      case 'max_tokens':
        evidence.push({ signal, weight, detail: `${share}% of requests set max_tokens to the model limit; median output ${count(int(rng, 2_000, 9_000))} tokens` });
        break;
      case 'tool_use_volume':
        evidence.push({ signal, weight, detail: `${share}% of requests define 6 or more tools; ${count(int(rng, 5, 40))} tool steps per session on median` });
        break;
      case 'proxy_infrastructure':
        evidence.push({ signal, weight, detail: `${share}% of traffic from hosting ASNs (${plan.asns.map((asn) => `AS${asn}`).join(', ')}) through ${int(rng, 30, 400)} IPs that ${count(others)} other accounts also use` });
        break;
      case 'volume_concentration':
        evidence.push({ signal, weight, detail: `${count(exchanges)} exchanges in 14 days, ${share}% in two capability areas` });
        break;
      case 'education_programme':
        evidence.push({ signal, weight, detail: 'education-tier account verified by e-mail only; traffic is unlike coursework (no class rhythm, no assignment template)' });
        break;
      default:
        evidence.push({ signal, weight, detail: `${signal} seen on ${share}% of requests` });
    }
  }
  return evidence.sort((a, b) => b.weight - a.weight);
}

function clusterEvidence(rng: Rng, plan: CampaignPlan, size: number, exchanges: number, template: TemplateSummary): Evidence[] {
  const base: Evidence[] = [
    { signal: 'shared_template', weight: 0.9, value: template.accounts / size, detail: `${count(template.accounts)} of ${count(size)} accounts fill template ${template.template_id} in ${count(template.exchanges)} requests`, examples: [template.text!.slice(0, 120)] },
    { signal: 'volume_concentration', weight: 0.7, detail: `${count(exchanges)} exchanges, ${int(rng, 70, 90)}% in ${Object.keys(plan.capabilities).slice(0, 2).join(' and ')}` },
  ];
  const extra: Record<string, Evidence> = {
    cot_elicitation: { signal: 'cot_elicitation', weight: 0.85, detail: `${int(rng, 75, 95)}% of requests ask for the reasoning behind the answer, written out in full` },
    synchronized_timing: { signal: 'synchronized_timing', weight: 0.6, detail: `${count(Math.round(size * 0.8))} accounts start and stop within the same minutes each day (load balancing)` },
    shared_payment: { signal: 'shared_payment', weight: 0.75, detail: `${count(size)} accounts pay with ${int(rng, 2, 9)} cards` },
    new_model_shift: { signal: 'new_model_shift', weight: 0.65, detail: `half of the traffic moved to claude-opus-5 within ${int(rng, 6, 24)} hours of its release` },
    proxy_infrastructure: { signal: 'proxy_infrastructure', weight: 0.7, detail: `traffic leaves through ${int(rng, 200, 900)} hosting IPs in ${plan.asns.length} ASNs, interleaved with other customers' traffic` },
    education_programme: { signal: 'education_programme', weight: 0.4, detail: `${count(size)} education-tier accounts with no coursework pattern` },
  };
  return [...base, ...plan.signals.filter((signal) => signal in extra).map((signal) => extra[signal]!)].sort((a, b) => b.weight - a.weight);
}

function benignEvidence(rng: Rng, persona: string, exchanges: number, size: number): Evidence[] {
  const roll = rng();
  switch (persona) {
    case 'batch_pipeline':
    case 'developer':
      return size > 1 ? [{ signal: 'shared_infrastructure', weight: round(uniform(rng, 0.05, 0.25)), detail: `shares an office network and payment method with ${size - 1} accounts of the same org` }] : roll < 0.5 ? [] : [{ signal: 'volume', weight: 0.05, detail: `${count(exchanges)} exchanges, within the usual range for a developer` }];
    case 'classroom':
      return [{ signal: 'signup_burst', weight: round(uniform(rng, 0.2, 0.5)), detail: `signed up within 20 hours of ${size - 1} other accounts on one campus network` }];
    case 'eval_harness':
      return [
        { signal: 'benchmark_prompts', weight: round(uniform(rng, 0.3, 0.6)), detail: `${count(int(rng, 150, 500))} prompts in one-hour runs match public benchmark items (gsm8k, humaneval)` },
        { signal: 'new_model_shift', weight: 0.3, detail: 'the benchmark was re-run on claude-opus-5 within 6 hours of its release' },
      ];
    case 'reseller':
      return [{ signal: 'proxy_infrastructure', weight: round(uniform(rng, 0.3, 0.6)), detail: `${int(rng, 6, 40)} egress IPs in 3 clouds; ${count(int(rng, 200, 3_000))} distinct end-user ids` }];
    default:
      return roll < 0.6 ? [] : roll < 0.9 ? [{ signal: 'cot_elicitation', weight: round(uniform(rng, 0.02, 0.2)), detail: `${int(rng, 3, 15)}% of requests ask for step-by-step reasoning (typical account: 4%)` }] : [{ signal: 'volume', weight: 0.05, detail: `${count(exchanges)} exchanges in 14 days` }];
  }
}

function twoModels(rng: Rng): Record<string, number> {
  const first = int(rng, 0, BENIGN_MODELS.length - 1);
  const second = (first + int(rng, 1, BENIGN_MODELS.length - 1)) % BENIGN_MODELS.length;
  return { [BENIGN_MODELS[first]!]: 0.7, [BENIGN_MODELS[second]!]: 0.3 };
}

function campaignTimeline(rng: Rng, hours: number, total: number, plan: CampaignPlan): TimelinePoint[] {
  const weights = Array.from({ length: hours }, (_, hour) => {
    const shift = hour % 24 >= 2 && hour % 24 < 20 ? 1 : 0.35;
    const ramp = hour < 24 ? hour / 24 : 1;
    const release = plan.releaseShift && hour >= RELEASE_HOUR ? 1.8 : 1;
    return shift * ramp * release * (0.85 + rng() * 0.3);
  });
  return toTimeline(weights, total);
}

function diurnalTimeline(rng: Rng, hours: number, total: number): TimelinePoint[] {
  const weights = Array.from({ length: hours }, (_, hour) => {
    const local = (hour + 24 - 7) % 24;
    const day = Math.floor(hour / 24) % 7;
    const weekend = day === 5 || day === 6 ? 0.3 : 1;
    return Math.max(0, Math.sin(((local - 6) / 16) * Math.PI)) * weekend * (0.6 + rng() * 0.8) + 0.02;
  });
  return toTimeline(weights, total);
}

function toTimeline(weights: number[], total: number): TimelinePoint[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((weight, hour) => ({ start: isoHour(hour), exchanges: Math.round((weight / sum) * total) }));
}

function volumeOf(rng: Rng, exchanges: number, outputFactor: number) {
  const input = Math.round(exchanges * uniform(rng, 400, 2_500));
  const output = Math.round(exchanges * uniform(rng, 200, 1_500) * outputFactor);
  return { exchanges, input_tokens: input, output_tokens: output, reasoning_tokens: Math.round(output * uniform(rng, 0, 0.6)) };
}

function sumVolumes(members: AccountFinding[]) {
  const volume = { exchanges: 0, input_tokens: 0, output_tokens: 0, reasoning_tokens: 0 };
  for (const member of members) {
    volume.exchanges += member.volume.exchanges;
    volume.input_tokens += member.volume.input_tokens;
    volume.output_tokens += member.volume.output_tokens;
    volume.reasoning_tokens += member.volume.reasoning_tokens;
  }
  return volume;
}

function splitCounts(total: number, shares: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(shares).map(([key, share]) => [key, Math.round(total * share)]));
}

function jitter(rng: Rng, shares: Record<string, number>): Record<string, number> {
  const raw = Object.entries(shares).map(([key, share]) => [key, share * (0.7 + rng() * 0.6)] as const);
  const sum = raw.reduce((total, [, value]) => total + value, 0);
  return Object.fromEntries(raw.map(([key, value]) => [key, round(value / sum)]));
}

function isoHour(hour: number): string {
  return new Date(START_MS + hour * HOUR_MS).toISOString();
}

function minOf(values: string[]): string {
  return values.reduce((a, b) => (b < a ? b : a));
}

function maxOf(values: string[]): string {
  return values.reduce((a, b) => (b > a ? b : a));
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

type Rng = () => number;

const createRng: (seed: number) => Rng = seededRandom;

function uniform(rng: Rng, min: number, max: number): number {
  return min + rng() * (max - min);
}

function int(rng: Rng, min: number, max: number): number {
  return Math.floor(uniform(rng, min, max + 1));
}

function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

function hex(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += Math.floor(rng() * 16).toString(16);
  return out;
}
