import { z } from 'zod';
import type { AccountInfo, AccountState } from '../behaviour/account-state.js';
import type { AccountSummary, PopulationContext, TemplateUse } from '../behaviour/account-summary.js';
import { evidence, formatCount, type DetectorDefinition, NOTHING_FOUND } from './detector.js';
import { partnerSightingDetector, type PartnerSighting } from './partner-detectors.js';

/**
 * Detectors that read what the accounts file says about one account. What its traffic shows is
 * read by the traffic detectors (`traffic-detectors.ts`), which run on accounts and clusters
 * alike (how young the accounts are and whether an identity was checked are measures there too,
 * so a cluster's members are judged together). A programme tier is weak evidence: the pathways
 * the public reports say were abused are also where honest students and researchers are.
 */

export interface AccountDetectorInput {
  accountId: string;
  state: AccountState;
  summary: AccountSummary;
  info: AccountInfo | null;
  context: PopulationContext;
  /** The analyst-facing name of a template, e.g. `P17` (prompt) or `S4` (system prompt). */
  templateName(use: Pick<TemplateUse, 'kind' | 'templateId'>): string;
  /** Partner indicators the account matched (`DetectionEngine.setPartnerSightings`). */
  partnerSightings?: readonly PartnerSighting[];
}

type AccountDetector<P extends { weight: number }> = DetectorDefinition<AccountDetectorInput, P>;

/** How much of a detector's weight an account of `exchanges` earns: half at `half`, most by 4 × `half`. */
function confidence(exchanges: number, half: number): number {
  return exchanges / (exchanges + half);
}

export const programmeTierDetector: AccountDetector<{ weight: number; tiers: string[]; half_count: number }> = {
  signal: 'programme_tier',
  level: 'account',
  role: 'value',
  family: 'account',
  description: 'An account on a programme tier (education, research, start-up): the pathways the public reports say were abused; weighs more the more it sends.',
  params: z
    .object({
      weight: z.number().min(0).max(10).default(0.3),
      tiers: z.array(z.string()).default(['education', 'research', 'startup']),
      half_count: z.number().positive().default(100),
    })
    .strict()
    .default({}),
  detect(input, params) {
    const tier = input.info?.tier;
    if (!tier || !params.tiers.includes(tier)) return NOTHING_FOUND;
    const score = confidence(input.summary.exchanges, params.half_count);
    return { score, evidence: [evidence('programme_tier', score, params.weight, `on the ${tier} tier with ${formatCount(input.summary.exchanges)} requests`)] };
  },
};

export const ACCOUNT_DETECTORS = [programmeTierDetector, partnerSightingDetector] as const;
