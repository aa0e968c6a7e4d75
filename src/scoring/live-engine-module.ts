import { linkAccounts } from '../linking/account-linker.js';
import { createDetectionEngine } from './detection-engine.js';

/**
 * What the live service's relink worker loads: `createEngine` for the main thread's state and
 * the pure `relink` (link input → link result) to run off the main thread.
 */
export const liveEngineModule = {
  createEngine: createDetectionEngine,
  relink: linkAccounts,
};
