import { lastUserText, type Exchange } from '../model/exchange.js';
import { fmix32 } from '../util/hash64.js';
import { createContentSignalDetector, type RequestShape } from './content-signals.js';
import { SKETCH_BINS, SKETCH_WORDS, computeMinHashSketch } from './minhash-sketch.js';
import { createTextScanner, type TextScan, type TextScannerOptions } from './text-scanner.js';
import { SHAPE_POSITIONS, SHAPE_WORDS, packShape, shapeOfScan } from './template-shape.js';

/**
 * The content features of one exchange, computed from its full text at ingest and stored as
 * numbers, so analysis works the same whether the store keeps the text or not.
 */
export interface ExchangeFeatures {
  /** `CONTENT_FLAG` bits. */
  contentFlags: number;
  /** Index into `CAPABILITIES`. */
  capability: number;
  /** Hash of the last user prompt as written (numbers included): equal for verbatim repeats. */
  promptHashHi: number;
  promptHashLo: number;
  /** MinHash sketch of the prompt (4 words of two 16-bit bins), all zero for an empty prompt. */
  promptSketch: Uint32Array;
  /** Estimated tokens (words and slots) in the prompt. */
  promptTokens: number;
  /** Template shape of the prompt, packed (8 words). */
  promptShape: Uint32Array;
  systemTokens: number;
  systemShape: Uint32Array;
}

export type ExchangeFeatureExtractor = (exchange: Exchange) => ExchangeFeatures;

/** How much of each text ingest reads: the instruction of a prompt sits at its head or tail. */
export const PROMPT_SCAN: Readonly<TextScannerOptions> = { headChars: 640, tailChars: 240, maxTokens: 512 };
/** System prompts are long and fixed: their head and tail carry the template and the framing. */
export const SYSTEM_SCAN: Readonly<TextScannerOptions> = { headChars: 320, tailChars: 120, maxTokens: 256 };

/**
 * The template shape and token count of a text as ingest computes them, for tests and for
 * matching stored text to mined templates.
 */
export function shapeOfText(text: string, kind: 'prompt' | 'system' = 'prompt'): { shape: Uint16Array; tokens: number } {
  const scan = createTextScanner(kind === 'prompt' ? PROMPT_SCAN : SYSTEM_SCAN).scan(text);
  const shape = new Uint16Array(SHAPE_POSITIONS);
  shapeOfScan(scan, shape);
  return { shape, tokens: scan.estimatedTokens };
}

/**
 * Creates an extractor with its own scanners and buffers; the features object it returns is
 * reused by the next call, so copy what you keep. One per thread (the ingest parser threads
 * each hold one), budgeted at a few microseconds per exchange.
 *
 * @example
 * const extract = createExchangeFeatureExtractor();
 * const features = extract(exchange);
 * const elicits = (features.contentFlags & CONTENT_FLAG.cotElicitation) !== 0;
 */
export function createExchangeFeatureExtractor(): ExchangeFeatureExtractor {
  const promptScanner = createTextScanner(PROMPT_SCAN);
  const systemScanner = createTextScanner(SYSTEM_SCAN);
  const detect = createContentSignalDetector();
  const shape = new Uint16Array(SHAPE_POSITIONS);
  const binScratch = new Uint32Array(SKETCH_BINS);
  const requestShape: { imageCount: number; toolCount: number; toolActivity: number; toolTypes: string[] } = {
    imageCount: 0,
    toolCount: 0,
    toolActivity: 0,
    toolTypes: [],
  };
  const features: ExchangeFeatures = {
    contentFlags: 0,
    capability: 0,
    promptHashHi: 0,
    promptHashLo: 0,
    promptSketch: new Uint32Array(SKETCH_WORDS),
    promptTokens: 0,
    promptShape: new Uint32Array(SHAPE_WORDS),
    systemTokens: 0,
    systemShape: new Uint32Array(SHAPE_WORDS),
  };

  return (exchange) => {
    const request = exchange.request;
    const systemText = request.systemText;
    let system: TextScan | null = null;
    if (systemText.length > 0) {
      system = systemScanner.scan(systemText);
      shapeOfScan(system, shape);
      packShape(shape, features.systemShape);
      features.systemTokens = system.estimatedTokens;
    } else {
      features.systemShape.fill(0);
      features.systemTokens = 0;
    }

    const prompt = promptScanner.scan(lastUserText(request));
    shapeOfScan(prompt, shape);
    packShape(shape, features.promptShape);
    features.promptTokens = prompt.estimatedTokens;
    computeMinHashSketch(prompt.tokens, prompt.count, features.promptSketch, binScratch);
    if (prompt.length === 0) {
      features.promptHashHi = 0;
      features.promptHashLo = 0;
    } else {
      let h = 0x3c6ef372;
      for (let i = 0; i < prompt.count; i++) h = Math.imul(h ^ prompt.tokens[i]!, 0x85ebca6b);
      features.promptHashHi = prompt.rawHash;
      features.promptHashLo = fmix32((h ^ prompt.estimatedTokens) >>> 0);
    }

    let toolActivity = exchange.response?.toolCalls.length ?? 0;
    for (const message of request.messages) toolActivity += message.toolCalls.length + message.toolResults.length;
    requestShape.imageCount = request.imageCount;
    requestShape.toolCount = request.tools.length;
    requestShape.toolActivity = toolActivity;
    requestShape.toolTypes.length = 0;
    for (const tool of request.tools) if (tool.type !== null) requestShape.toolTypes.push(tool.type);
    const signals = detect(prompt, system, requestShape as RequestShape);
    features.contentFlags = signals.flags;
    features.capability = signals.capability;
    return features;
  };
}
