export { createExchangeFeatureExtractor, shapeOfText, DETECTION_BUDGET, PROMPT_SCAN, SYSTEM_SCAN } from './exchange-features.js';
export type { ExchangeFeatures, ExchangeFeatureExtractor, ExchangeFeatureOptions } from './exchange-features.js';
export {
  CAPABILITIES,
  CAPABILITY_CODE,
  CONTENT_FLAG,
  CONTENT_PHRASES,
  PROMPT_LANGUAGES,
  PROMPT_LANGUAGE_CODE,
  REQUEST_PARTS,
  VERDICT_FLAGS,
  contentFlagNames,
  createContentSignalDetector,
  partFlags,
} from './content-signals.js';
export type { Capability, ContentSignalDetector, PromptLanguage, PromptSignals, RequestPart, RequestShape } from './content-signals.js';
export { normalizeForDetection, SCRIPTS } from './text-normalizer.js';
export type { NormalizationStats, Script } from './text-normalizer.js';
export { createTextScanner, displayTokens, wordHash } from './text-scanner.js';
export type { TextScan, TextScanner, TextScannerOptions } from './text-scanner.js';
export { computeMinHashSketch, estimateJaccard, SKETCH_BINS, SKETCH_WORDS } from './minhash-sketch.js';
export { createLshIndex } from './lsh-index.js';
export type { LshIndex } from './lsh-index.js';
export { createTemplateMiner, lengthGroupOf, renderTemplate } from './template-miner.js';
export type { MinedTemplate, TemplateMiner, TemplateMinerOptions } from './template-miner.js';
export { packShape, shapeOfScan, unpackShape, PAD, SHAPE_HEAD, SHAPE_POSITIONS, SHAPE_TAIL, SHAPE_WORDS, WILDCARD } from './template-shape.js';
export { reasoningEffortCode, REASONING_EFFORTS } from './exchange-record.js';
export type { ExchangeRecord } from './exchange-record.js';
