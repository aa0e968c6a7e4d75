import { parseExchangeLine, type ExchangeParseOptions, type ValidatedExchange } from './exchange-validator.js';
import { parseGlasswallyLine } from './glasswally-event-parser.js';
import type { ParseResult } from './record-problem.js';

/**
 * The exchange-log formats ingest reads: `jsonl`, the project's own contract
 * (docs/input-formats.md), and `glasswally`, the events of the Glasswally detector. Every format parses a
 * line onto the same internal exchange, so everything after the parser is shared.
 */
export const EXCHANGE_FORMATS = ['jsonl', 'glasswally'] as const;
export type ExchangeFormat = (typeof EXCHANGE_FORMATS)[number];

export type ExchangeLineParser = (line: string, options: ExchangeParseOptions) => ParseResult<ValidatedExchange>;

const PARSERS: Record<ExchangeFormat, ExchangeLineParser> = {
  jsonl: parseExchangeLine,
  glasswally: parseGlasswallyLine,
};

export function exchangeLineParser(format: ExchangeFormat): ExchangeLineParser {
  return PARSERS[format];
}
