import { ACCOUNT_DETECTORS } from './account-detectors.js';
import { CLUSTER_DETECTORS } from './cluster-detectors.js';
import { TRAFFIC_DETECTORS } from './traffic-detectors.js';
import type { DetectorLevel, DetectorRole } from './detector.js';

/** One detector as the registry lists it: what it reads, what it weighs and its defaults. */
export interface RegisteredDetector {
  signal: string;
  level: DetectorLevel;
  role: DetectorRole;
  family: string;
  description: string;
  defaults: Record<string, unknown>;
}

/**
 * Every detector, listed once: traffic detectors, account detectors, then cluster detectors. The config schema is
 * built from the same lists, and a test checks `config/detection.yaml` lists exactly these with
 * these defaults, so the file cannot drift from the code.
 */
export const DETECTOR_REGISTRY: readonly RegisteredDetector[] = [...TRAFFIC_DETECTORS, ...ACCOUNT_DETECTORS, ...CLUSTER_DETECTORS].map((detector) => ({
  signal: detector.signal,
  level: detector.level,
  role: detector.role,
  family: detector.family,
  description: detector.description,
  defaults: (detector.params as { parse(value: unknown): Record<string, unknown> }).parse(undefined),
}));
