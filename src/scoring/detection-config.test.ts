import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DetectionConfigError, defaultDetectionConfigFile, detectionConfigSchema, parseDetectionConfig } from './detection-config.js';
import { DETECTOR_REGISTRY } from './detector-registry.js';

const file = parse(readFileSync(new URL('../../config/detection.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('detection config', () => {
  it('config/detection.yaml lists exactly the defaults of the code', () => {
    expect(detectionConfigSchema.parse(file)).toEqual(defaultDetectionConfigFile());
    // Every key spelled out, not left to a default: the file is the documentation.
    expect(file).toEqual(JSON.parse(JSON.stringify(defaultDetectionConfigFile())));
  });

  it('lists every registered detector once, with all its parameters and their defaults', () => {
    const detectors = file.detectors as Record<'traffic' | 'account' | 'cluster', Record<string, unknown>>;
    const listed = [...Object.keys(detectors.traffic), ...Object.keys(detectors.account), ...Object.keys(detectors.cluster)];
    expect(listed).toEqual(DETECTOR_REGISTRY.map((detector) => detector.signal));
    expect(new Set(listed).size).toBe(listed.length);
    for (const detector of DETECTOR_REGISTRY) expect(detectors[detector.level][detector.signal], detector.signal).toEqual(detector.defaults);
  });

  it('takes any subset over the defaults', () => {
    const config = parseDetectionConfig({ thresholds: { account: 0.7 }, detectors: { traffic: { cot_elicitation: { weight: 0.3 } } } });
    expect(config.thresholds.account).toBe(0.7);
    expect(config.thresholds.cluster).toBe(0.5);
    expect(config.detectors.traffic.cot_elicitation).toEqual({ weight: 0.3, z_low: 2, z_high: 6, min_spread: 0.05 });
    expect(config.linking.kinds.ip.strength).toBe(0.3);
  });

  it('refuses unknown keys and bad values with the path of the problem', () => {
    expect(() => parseDetectionConfig({ thresholds: { acount: 0.5 } })).toThrow(DetectionConfigError);
    expect(() => parseDetectionConfig({ thresholds: { acount: 0.5 } })).toThrow(/thresholds/);
    expect(() => parseDetectionConfig({ detectors: { traffic: { cot_elicitation: { z_low: 6, z_high: 2 } } } })).toThrow(/detectors\.traffic\.cot_elicitation.*z_low must not exceed z_high/);
    expect(() => parseDetectionConfig({ detectors: { cluster: { shared_payment: { low: 0.9, high: 0.1 } } } })).toThrow(/detectors\.cluster\.shared_payment.*low must not exceed high/);
    expect(() => parseDetectionConfig({ linking: { kinds: { ip: { strength: 2 } } } })).toThrow(/linking\.kinds\.ip\.strength/);
  });

  it('gives every detector a description and a role', () => {
    for (const detector of DETECTOR_REGISTRY) {
      expect(detector.description.length, detector.signal).toBeGreaterThan(30);
      expect(['value', 'coordination', 'mitigation']).toContain(detector.role);
      expect(detector.family.length, detector.signal).toBeGreaterThan(0);
    }
  });
});
