export type * from './model/index.js';
export { API_KINDS, ACCOUNT_TIERS, isApiKind, isAccountTier, lastUserText, firstUserText } from './model/index.js';
export * from './ingest/index.js';
export * from './store/index.js';
export { analyzeStore, type AnalysisOptions, type AnalysisResult } from './analysis/index.js';
export { parseDetectionConfig, type DetectionConfig } from './scoring/index.js';
export { DistillguardError, UsageError, InputError, NotFoundError, StoreError } from './util/errors.js';
export { VERSION } from './version.js';
