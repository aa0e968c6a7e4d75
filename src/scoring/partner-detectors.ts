import { z } from 'zod';
import type { AccountDetectorInput } from './account-detectors.js';
import { evidence, formatCount, noisyOr, type DetectorDefinition, NOTHING_FOUND } from './detector.js';

/** One partner indicator the account's traffic or sign-up matched (`src/intel` finds these). */
export interface PartnerSighting {
  /** The partner's producer identity and sharing community, e.g. `Provider A (labs)`. */
  source: string;
  /** `ip`, `subnet`, `payment`, `email_domain`, `user_agent`, `tls` or `template`. */
  kind: string;
  /** The partner's confidence, 0..100. */
  confidence: number;
  /** Days between the partner's last sighting and this account's latest matching traffic. */
  ageDays: number;
  /** The account's exchanges (or accounts-file records) that matched. */
  matches: number;
}

/**
 * How far one match of each kind identifies the operation: a card or a harness template is the
 * operator's own; an exit address may be a commercial proxy others rent too; a client build or
 * TLS stack is shared by every user of that library.
 */
const KIND_STRENGTH: Readonly<Record<string, number>> = {
  payment: 1,
  template: 0.9,
  ip: 0.7,
  email_domain: 0.5,
  subnet: 0.4,
  user_agent: 0.2,
  tls: 0.2,
};

type Params = { weight: number; half_life_days: number };

export const partnerSightingDetector: DetectorDefinition<AccountDetectorInput, Params> = {
  signal: 'partner_sighting',
  level: 'account',
  role: 'coordination',
  family: 'partner',
  description:
    "The account's traffic or sign-up matches indicators a partner shared (keyed hashes of exits, cards, clients, template sketches): weighted by the partner's confidence, the kind of match and its age (halving every half_life_days).",
  params: z
    .object({
      weight: z.number().min(0).max(10).default(1),
      half_life_days: z.number().positive().default(30),
    })
    .strict()
    .default({}),
  detect(input, params) {
    const sightings = input.partnerSightings ?? [];
    if (sightings.length === 0) return NOTHING_FOUND;
    const strengths = sightings.map(
      (sighting) => (KIND_STRENGTH[sighting.kind] ?? 0.2) * Math.min(1, Math.max(0, sighting.confidence / 100)) * 0.5 ** (Math.max(0, sighting.ageDays) / params.half_life_days),
    );
    const score = noisyOr(strengths);
    const bySource = new Map<string, PartnerSighting[]>();
    for (const sighting of sightings) bySource.set(sighting.source, [...(bySource.get(sighting.source) ?? []), sighting]);
    const parts = [...bySource].map(([source, items]) => {
      const kinds = new Map<string, number>();
      for (const item of items) kinds.set(item.kind, (kinds.get(item.kind) ?? 0) + 1);
      const youngest = Math.min(...items.map((item) => item.ageDays));
      const confidence = Math.max(...items.map((item) => item.confidence));
      return `${source}: ${[...kinds].map(([kind, count]) => `${formatCount(count)} ${kind}`).join(', ')} (confidence ${confidence}, ${Math.round(youngest)} days old)`;
    });
    const matched = sightings.reduce((total, sighting) => total + sighting.matches, 0);
    return { score, evidence: [evidence('partner_sighting', score, params.weight, `seen by a partner: ${parts.join('; ')}; ${formatCount(matched)} matching records`, sightings.length)] };
  },
};
