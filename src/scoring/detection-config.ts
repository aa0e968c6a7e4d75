import { z } from 'zod';
import { LINK_KINDS, type LinkKind, type LinkParams } from '../linking/link-input.js';
import type { BehaviourOptions } from '../behaviour/behaviour-tracker.js';
import { ACCOUNT_DETECTORS } from './account-detectors.js';
import { CLUSTER_DETECTORS } from './cluster-detectors.js';
import { TRAFFIC_DETECTORS } from './traffic-detectors.js';

/**
 * The detection configuration: every weight and threshold, with its default, validated once at
 * start-up. `config/detection.yaml` lists all of them with their defaults and a comment each;
 * `analyze --config FILE` reads a file of the same shape (any subset) over the defaults. Keys
 * are snake_case in the file and camelCase in code.
 */

const unit = () => z.number().min(0).max(1);

const templateMinerSchema = (similarity: number, minTokens: number) =>
  z
    .object({
      similarity: unit().default(similarity),
      min_tokens: z.number().int().min(1).default(minTokens),
      max_candidates: z.number().int().min(1).default(24),
      max_templates: z.number().int().min(100).default(200_000),
      length_tolerance: z.number().int().min(0).default(4),
    })
    .strict()
    .default({});

const behaviourSchema = z
  .object({
    thinking_min_effort: z.enum(['minimal', 'low', 'medium', 'high']).default('high'),
    new_model_after_hours: z.number().min(0).default(24),
    new_model_min_exchanges: z.number().int().min(1).default(50),
    template_min_distinct: z.number().int().min(1).default(3),
    template_min_variety: unit().default(0.1),
    near_duplicate_max_entries: z.number().int().min(1000).default(40_000_000),
    max_hours: z.number().int().min(24).default(24 * 62),
    prompt_templates: templateMinerSchema(0.5, 12),
    system_templates: templateMinerSchema(0.5, 8),
  })
  .strict()
  .default({});

const kind = (strength: number, specificity: number, maxGroup: number, perAccount: number, minShared = 1, mode: 'count' | 'overlap' = 'count', fullOverlap = 0.5) =>
  z
    .object({
      strength: unit().default(strength),
      specificity: z.number().min(0).max(4).default(specificity),
      max_group: z.number().int().min(2).default(maxGroup),
      per_account: z.number().int().min(1).default(perAccount),
      min_shared: z.number().int().min(1).default(minShared),
      mode: z.enum(['count', 'overlap']).default(mode),
      full_overlap: z.number().positive().max(1).default(fullOverlap),
    })
    .strict()
    .default({});

const profileSchema = z
  .object({
    strength: unit().default(0.6),
    min_similarity: z.number().min(-1).max(1).default(0.6),
    min_exchanges: z.number().int().min(1).default(20),
  })
  .strict()
  .default({});

const LINK_KIND_DEFAULTS: Record<Exclude<LinkKind, 'profile'>, ReturnType<typeof kind>> = {
  ip: kind(0.3, 0.5, 5000, 16),
  subnet: kind(0.12, 0.5, 5000, 4),
  asn: kind(0.05, 1, 2000, 2, 2),
  user_agent: kind(0.05, 1, 2000, 2),
  tls: kind(0.05, 1, 2000, 2),
  api_key: kind(0.6, 0, 1000, 2),
  payment: kind(0.6, 0.3, 5000, 1),
  email_domain: kind(0.45, 0.3, 2000, 1),
  academic_domain: kind(0.2, 1, 2000, 1),
  signup_ip: kind(0.45, 0.3, 2000, 1),
  signup_time: kind(0.25, 0.5, 2000, 1),
  org: kind(0.45, 0, 2000, 1),
  prompt_template: kind(0.3, 0.5, 50_000, 8, 1, 'overlap', 0.5),
  system_template: kind(0.3, 0.5, 50_000, 4, 1, 'overlap', 0.5),
  prompt: kind(0, 0.5, 2000, 16, 2),
  activity: kind(0.1, 0, 50_000, 4, 2),
};

const linkingSchema = z
  .object({
    min_edge: unit().default(0.3),
    repeat_cap: z.number().int().min(1).default(3),
    full_pairs_up_to: z.number().int().min(2).default(24),
    sampled_degree: z.number().int().min(2).default(8),
    sample_compensation: z.number().min(0).max(1).default(0),
    resolution: z.number().positive().default(1),
    merge_ratio: unit().default(0.25),
    merge_resolution: z.number().min(0).default(0.6),
    split_resolution: z.number().positive().default(3),
    split_conductance: unit().default(0.3),
    split_relative: z.number().positive().default(0.6),
    split_max_similarity: z.number().min(-1).max(1).default(0.9),
    split_min_separability: unit().default(0.75),
    min_attachment: unit().default(0.4),
    backup_min: unit().default(0.1),
    late_attachment: unit().default(0.4),
    late_links: z.number().int().min(1).default(3),
    min_cluster_size: z.number().int().min(2).default(3),
    template_min_exchanges: z.number().int().min(1).default(1),
    template_min_share: unit().default(0.05),
    signup_bucket_minutes: z.number().int().min(1).default(30),
    signup_burst_min: z.number().int().min(2).default(4),
    signup_burst_factor: z.number().min(1).default(3),
    activity_min_hours: z.number().int().min(1).default(12),
    seed: z.number().int().default(1),
    kinds: z
      .object({ ...LINK_KIND_DEFAULTS, profile: profileSchema })
      .strict()
      .default({}),
  })
  .strict()
  .default({});

// Built from the registry, so a detector's parameters live in one place: next to its code.
const detectorSchema = (detectors: readonly { signal: string; params: z.ZodTypeAny }[]) =>
  z
    .object(Object.fromEntries(detectors.map((detector) => [detector.signal, detector.params])) as z.ZodRawShape)
    .strict()
    .default({});

const scoringSchema = z
  .object({
    prior_log_odds: z.number().max(0).default(-4),
    family_decay: unit().default(0.5),
    value_decay: unit().default(0.7),
    bystander_share: unit().default(0.5),
    full_attachment: unit().default(0.6),
    late_min_own_log_odds: z.number().min(0).default(2),
    habit_share: unit().default(0.5),
    reference_min_exchanges: z.number().int().min(1).default(5),
    group_accounts: z.number().int().min(3).default(8),
  })
  .strict()
  .default({});

const reportSchema = z
  .object({
    timeline_bucket_hours: z.number().int().min(1).default(6),
    max_templates: z.number().int().min(0).default(8),
    max_indicators: z.number().int().min(1).default(10),
    examples_per_evidence: z.number().int().min(0).max(5).default(2),
    max_evidence: z.number().int().min(1).default(8),
  })
  .strict()
  .default({});

export const detectionConfigSchema = z
  .object({
    thresholds: z
      .object({ account: unit().default(0.5), cluster: unit().default(0.5) })
      .strict()
      .default({}),
    behaviour: behaviourSchema,
    linking: linkingSchema,
    scoring: scoringSchema,
    detectors: z
      .object({ traffic: detectorSchema(TRAFFIC_DETECTORS), account: detectorSchema(ACCOUNT_DETECTORS), cluster: detectorSchema(CLUSTER_DETECTORS) })
      .strict()
      .default({}),
    report: reportSchema,
  })
  .strict();

/** The validated configuration, as the file spells it. */
export type DetectionConfigFile = z.infer<typeof detectionConfigSchema>;

export interface DetectionConfig {
  thresholds: { account: number; cluster: number };
  behaviour: BehaviourOptions & { newModelAfterHours: number; newModelMinExchanges: number; templateMinDistinct: number; templateMinVariety: number };
  linking: LinkParams;
  scoring: { priorLogOdds: number; familyDecay: number; valueDecay: number; bystanderShare: number; fullAttachment: number; lateMinOwnLogOdds: number; habitShare: number; referenceMinExchanges: number; groupAccounts: number };
  /** Parameters per detector signal (snake_case as in the file). */
  detectors: Record<'traffic' | 'account' | 'cluster', Record<string, { weight: number } & Record<string, unknown>>>;
  report: { timelineBucketHours: number; maxTemplates: number; maxIndicators: number; examplesPerEvidence: number; maxEvidence: number };
}

export class DetectionConfigError extends Error {}

/**
 * Validates a parsed config file (any subset of the keys) and fills in the defaults.
 *
 * @example parseDetectionConfig({ thresholds: { account: 0.6 } }).thresholds.account // 0.6
 */
export function parseDetectionConfig(raw: unknown = {}): DetectionConfig {
  const parsed = detectionConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DetectionConfigError(`${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const file = parsed.data;
  const effort = { minimal: 1, low: 2, medium: 3, high: 4 }[file.behaviour.thinking_min_effort];
  const miner = (m: DetectionConfigFile['behaviour']['prompt_templates']) => ({
    similarity: m.similarity,
    minTokens: m.min_tokens,
    maxCandidates: m.max_candidates,
    maxTemplates: m.max_templates,
    lengthTolerance: m.length_tolerance,
  });
  const l = file.linking;
  return {
    thresholds: { account: file.thresholds.account, cluster: file.thresholds.cluster },
    behaviour: {
      thinkingMinEffort: effort,
      nearDuplicateMaxEntries: file.behaviour.near_duplicate_max_entries,
      maxHours: file.behaviour.max_hours,
      promptTemplates: miner(file.behaviour.prompt_templates),
      systemTemplates: miner(file.behaviour.system_templates),
      newModelAfterHours: file.behaviour.new_model_after_hours,
      newModelMinExchanges: file.behaviour.new_model_min_exchanges,
      templateMinDistinct: file.behaviour.template_min_distinct,
      templateMinVariety: file.behaviour.template_min_variety,
    },
    linking: {
      kinds: Object.fromEntries(
        LINK_KINDS.map((name) => {
          if (name === 'profile') {
            // Not a shared value: only its strength is used (see `profileMinSimilarity`).
            return [name, { strength: l.kinds.profile.strength, specificity: 0, maxGroup: 2, perAccount: 1, minShared: 1, mode: 'count', fullOverlap: 1 }];
          }
          const k = l.kinds[name];
          return [
            name,
            { strength: k.strength, specificity: k.specificity, maxGroup: k.max_group, perAccount: k.per_account, minShared: k.min_shared, mode: k.mode, fullOverlap: k.full_overlap },
          ];
        }),
      ) as LinkParams['kinds'],
      repeatCap: l.repeat_cap,
      fullPairsUpTo: l.full_pairs_up_to,
      sampledDegree: l.sampled_degree,
      sampleCompensation: l.sample_compensation,
      minEdge: l.min_edge,
      resolution: l.resolution,
      mergeRatio: l.merge_ratio,
      mergeResolution: l.merge_resolution,
      splitResolution: l.split_resolution,
      splitConductance: l.split_conductance,
      splitRelative: l.split_relative,
      splitMaxSimilarity: l.split_max_similarity,
      splitMinSeparability: l.split_min_separability,
      minAttachment: l.min_attachment,
      backupMin: l.backup_min,
      lateAttachment: l.late_attachment,
      lateLinks: l.late_links,
      minClusterSize: l.min_cluster_size,
      templateMinExchanges: l.template_min_exchanges,
      templateMinShare: l.template_min_share,
      signupBucketMinutes: l.signup_bucket_minutes,
      signupBurstMin: l.signup_burst_min,
      signupBurstFactor: l.signup_burst_factor,
      activityMinHours: l.activity_min_hours,
      profileMinSimilarity: l.kinds.profile.min_similarity,
      profileMinExchanges: l.kinds.profile.min_exchanges,
      seed: l.seed,
    },
    scoring: {
      priorLogOdds: file.scoring.prior_log_odds,
      familyDecay: file.scoring.family_decay,
      valueDecay: file.scoring.value_decay,
      bystanderShare: file.scoring.bystander_share,
      fullAttachment: file.scoring.full_attachment,
      lateMinOwnLogOdds: file.scoring.late_min_own_log_odds,
      habitShare: file.scoring.habit_share,
      referenceMinExchanges: file.scoring.reference_min_exchanges,
      groupAccounts: file.scoring.group_accounts,
    },
    detectors: file.detectors as DetectionConfig['detectors'],
    report: {
      timelineBucketHours: file.report.timeline_bucket_hours,
      maxTemplates: file.report.max_templates,
      maxIndicators: file.report.max_indicators,
      examplesPerEvidence: file.report.examples_per_evidence,
      maxEvidence: file.report.max_evidence,
    },
  };
}

/** The defaults, as the config file spells them (what `config/detection.yaml` must list). */
export function defaultDetectionConfigFile(): DetectionConfigFile {
  return detectionConfigSchema.parse({});
}
