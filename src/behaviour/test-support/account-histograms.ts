import { CAPABILITIES, CONTENT_FLAG_BITS } from '../../features/content-signals.js';
import { OUTPUT_HISTOGRAM_BUCKETS, type AccountState } from '../account-state.js';

/** An account's four histograms as plain arrays, for comparing states in tests. */
export function accountHistograms(state: AccountState) {
  return {
    hours: Array.from({ length: 24 }, (_, hour) => state.hourCount(hour)),
    capabilities: CAPABILITIES.map((_, code) => state.capabilityCount(code)),
    flags: Array.from({ length: CONTENT_FLAG_BITS }, (_, bit) => state.flagCount(bit)),
    outputs: Array.from({ length: OUTPUT_HISTOGRAM_BUCKETS }, (_, bucket) => state.outputCount(bucket)),
  };
}
