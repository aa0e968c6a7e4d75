import { parseExchangeLine, type ExchangeParseOptions, type ValidatedExchange } from './exchange-validator.js';
import { parseGlasswallyLine } from './glasswally-event-parser.js';
import { parseLitellmLine } from './litellm-payload-parser.js';
import { parseOtlpJsonLine } from './otlp-json-parser.js';
import type { ParseResult } from './record-problem.js';

/**
 * The exchange-log formats ingest reads: `jsonl`, the project's own contract
 * (docs/input-formats.md), `glasswally`, the events of the Glasswally detector, `litellm`,
 * LiteLLM's StandardLoggingPayload, `otlp-json`, OpenTelemetry export requests with the GenAI
 * conventions, and `parquet`, the contract's columns in Parquet. Every line format parses a line
 * onto the same internal exchange, so everything after the parser is shared; Parquet is read
 * into contract lines first (`parquet-exchange-reader.ts`).
 */
export const EXCHANGE_FORMATS = ['jsonl', 'glasswally', 'litellm', 'otlp-json', 'parquet'] as const;
export type ExchangeFormat = (typeof EXCHANGE_FORMATS)[number];

/** The formats read line by line; Parquet reaches the parsers as contract lines. */
export type ExchangeLineFormat = Exclude<ExchangeFormat, 'parquet'>;

/**
 * One line gives one exchange, or several when the format batches them (an OTLP export request
 * holds many spans); each result is stored or quarantined on its own, under the line's number.
 */
export type ExchangeLineParser = (line: string, options: ExchangeParseOptions) => ParseResult<ValidatedExchange> | readonly ParseResult<ValidatedExchange>[];

const PARSERS: Record<ExchangeLineFormat, ExchangeLineParser> = {
  jsonl: parseExchangeLine,
  glasswally: parseGlasswallyLine,
  litellm: parseLitellmLine,
  'otlp-json': parseOtlpJsonLine,
};

export function exchangeLineParser(format: ExchangeLineFormat): ExchangeLineParser {
  return PARSERS[format];
}

/** The line format the parsers see for a file of `format`. */
export function lineFormatOf(format: ExchangeFormat): ExchangeLineFormat {
  return format === 'parquet' ? 'jsonl' : format;
}
