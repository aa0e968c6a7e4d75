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
    const detectors = file.detectors as { account: Record<string, unknown>; cluster: Record<string, unknown> };
    const listed = [...Object.keys(detectors.account), ...Object.keys(detectors.cluster)];
    expect(listed).toEqual(DETECTOR_REGISTRY.map((detector) => detector.signal));
    expect(new Set(listed).size).toBe(listed.length);
    for (const detector of DETECTOR_REGISTRY) expect(detectors[detector.level][detector.signal], detector.signal).toEqual(detector.defaults);
  });

  it('takes any subset over the defaults', () => {
    const config = parseDetectionConfig({ thresholds: { account: 0.7 }, detectors: { account: { cot_elicitation: { weight: 0.3 } } } });
    expect(config.thresholds.account).toBe(0.7);
    expect(config.thresholds.cluster).toBe(0.5);
    expect(config.detectors.account.cot_elicitation).toEqual({ weight: 0.3, low: 0.1, high: 0.5, min_exchanges: 20 });
    expect(config.linking.kinds.ip.strength).toBe(0.3);
  });

  it('refuses unknown keys and bad values with the path of the problem', () => {
    expect(() => parseDetectionConfig({ thresholds: { acount: 0.5 } })).toThrow(DetectionConfigError);
    expect(() => parseDetectionConfig({ thresholds: { acount: 0.5 } })).toThrow(/thresholds/);
    expect(() => parseDetectionConfig({ detectors: { account: { cot_elicitation: { low: 0.9, high: 0.1 } } } })).toThrow(/detectors\.account\.cot_elicitation.*low must not exceed high/);
    expect(() => parseDetectionConfig({ linking: { kinds: { ip: { strength: 2 } } } })).toThrow(/linking\.kinds\.ip\.strength/);
  });

  it('gives every detector a description and a role', () => {
    for (const detector of DETECTOR_REGISTRY) {
      expect(detector.description.length, detector.signal).toBeGreaterThan(30);
      expect(['value', 'support', 'coordination', 'mitigation']).toContain(detector.role);
    }
  });
});
