import { describe, expect, it } from 'vitest';
import type { AccountDetectorInput } from './account-detectors.js';
import { parseDetectionConfig } from './detection-config.js';
import { partnerSightingDetector, type PartnerSighting } from './partner-detectors.js';

const params = { weight: 1, half_life_days: 30 };
const run = (partnerSightings: PartnerSighting[]) => partnerSightingDetector.detect({ partnerSightings } as unknown as AccountDetectorInput, params);
const sighting = (overrides: Partial<PartnerSighting> = {}): PartnerSighting => ({ source: 'Provider A (labs)', kind: 'ip', confidence: 90, ageDays: 0, matches: 12, ...overrides });

describe('partner_sighting', () => {
  it('says nothing without sightings', () => {
    expect(run([])).toEqual({ score: 0, evidence: [] });
  });

  it('names the partner, the kinds matched, the confidence and the age', () => {
    const result = run([sighting(), sighting({ kind: 'template', ageDays: 3 })]);
    expect(result.evidence[0]!.detail).toMatch(/^seen by a partner: Provider A \(labs\): 1 ip, 1 template \(confidence 90, 0 days old\); 24 matching records$/);
  });

  it('halves with every half-life of age and weighs a card above a client build', () => {
    const fresh = run([sighting()]).score;
    expect(run([sighting({ ageDays: 30 })]).score).toBeCloseTo(fresh / 2, 6);
    expect(run([sighting({ kind: 'payment' })]).score).toBeGreaterThan(run([sighting({ kind: 'user_agent' })]).score);
  });

  it('cannot flag an account on its own at the default weight and prior', () => {
    const config = parseDetectionConfig();
    const weight = (config.detectors.account as Record<string, { weight: number }>).partner_sighting!.weight;
    const strongest = run([sighting({ kind: 'payment', confidence: 100 }), sighting({ kind: 'template', confidence: 100 })]);
    const logOdds = config.scoring.priorLogOdds + strongest.score * weight;
    expect(logOdds).toBeLessThan(0);
  });
});
