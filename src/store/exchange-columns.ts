/**
 * The columns of the `exchanges` table, in the order rows are built and appended. The row
 * builder (`src/ingest/exchange-row.ts`) and the store's appender both read this list, so a new
 * column is added here once and nowhere else has to keep a position in step.
 */

export type ColumnKind = 'varchar' | 'integer' | 'smallint' | 'double' | 'boolean' | 'timestamp_ms' | 'ubigint';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  doc: string;
}

/** Value types a row carries for each kind (timestamps as epoch ms, ubigint as bigint). */
export type ColumnValue = string | number | boolean | bigint | null;

export const EXCHANGE_COLUMNS = [
  { name: 'id', kind: 'varchar', doc: 'request id as logged' },
  { name: 'id_key', kind: 'ubigint', doc: '64-bit hash of id, the deduplication key' },
  { name: 'ts', kind: 'timestamp_ms', doc: 'request time (UTC)' },
  { name: 'account_id', kind: 'varchar', doc: '' },
  { name: 'org_id', kind: 'varchar', doc: '' },
  { name: 'api_key_id', kind: 'varchar', doc: '' },
  { name: 'client_ip', kind: 'varchar', doc: 'IPv4-mapped IPv6 addresses are stored as IPv4' },
  { name: 'client_subnet', kind: 'varchar', doc: '/24 for IPv4, /48 for IPv6' },
  { name: 'client_asn', kind: 'integer', doc: '' },
  { name: 'client_country', kind: 'varchar', doc: 'ISO 3166-1 alpha-2, upper case' },
  { name: 'user_agent', kind: 'varchar', doc: '' },
  { name: 'tls_fingerprint', kind: 'varchar', doc: '' },
  { name: 'api', kind: 'varchar', doc: 'anthropic.messages | openai.chat_completions | openai.responses' },
  { name: 'status', kind: 'smallint', doc: 'HTTP status' },
  { name: 'latency_ms', kind: 'integer', doc: '' },
  { name: 'model', kind: 'varchar', doc: 'model requested' },
  { name: 'message_count', kind: 'smallint', doc: 'messages sent, system excluded' },
  { name: 'turn_count', kind: 'smallint', doc: 'user turns sent' },
  { name: 'system_chars', kind: 'integer', doc: 'length of the system text' },
  { name: 'prompt_chars', kind: 'integer', doc: 'length of the last user message' },
  { name: 'tool_count', kind: 'smallint', doc: 'tool definitions sent' },
  { name: 'tool_names', kind: 'varchar', doc: 'tool names sent, comma-separated, sorted' },
  { name: 'tool_types', kind: 'varchar', doc: 'server-side tool types sent (computer use, web search, ...), comma-separated' },
  { name: 'tool_call_count', kind: 'smallint', doc: 'tool calls in the messages sent (agent loops)' },
  { name: 'tool_result_count', kind: 'smallint', doc: 'tool results in the messages sent' },
  { name: 'image_count', kind: 'smallint', doc: 'images in the messages sent' },
  { name: 'max_tokens', kind: 'integer', doc: '' },
  { name: 'temperature', kind: 'double', doc: '' },
  { name: 'top_p', kind: 'double', doc: '' },
  { name: 'n', kind: 'smallint', doc: 'choices requested' },
  { name: 'thinking_budget', kind: 'integer', doc: 'extended thinking budget in tokens' },
  { name: 'reasoning_effort', kind: 'varchar', doc: 'minimal | low | medium | high' },
  { name: 'stream', kind: 'boolean', doc: '' },
  { name: 'output_chars', kind: 'integer', doc: 'length of the returned text' },
  { name: 'reasoning_chars', kind: 'integer', doc: 'length of the returned reasoning text' },
  { name: 'output_tool_calls', kind: 'smallint', doc: 'tool calls in the response' },
  { name: 'choice_count', kind: 'smallint', doc: 'choices returned' },
  { name: 'input_tokens', kind: 'integer', doc: '' },
  { name: 'output_tokens', kind: 'integer', doc: '' },
  { name: 'reasoning_tokens', kind: 'integer', doc: '' },
  { name: 'cache_read_tokens', kind: 'integer', doc: '' },
  { name: 'stop_reason', kind: 'varchar', doc: '' },
  { name: 'error_type', kind: 'varchar', doc: 'error type from the response body, or http_<status>' },
  { name: 'system_text', kind: 'varchar', doc: 'kept per the text policy (full, excerpt or none)' },
  { name: 'prompt_text', kind: 'varchar', doc: 'last user message, kept per the text policy' },
  { name: 'output_text', kind: 'varchar', doc: 'response text, kept per the text policy' },
  { name: 'source_id', kind: 'integer', doc: 'the ingest source (file or HTTP batch) the exchange came from' },
  { name: 'source_line', kind: 'integer', doc: 'line number in that source' },
  // Content features, computed at ingest from the full text whatever the text policy, so that
  // analysis needs no stored text (src/features/exchange-features.ts says what each one is).
  { name: 'content_flags', kind: 'integer', doc: 'content signal bits: 1 step-by-step reasoning asked, 2 rubric grading, 4 explain a given answer, 8 safe rewrite, 16 code, ..., 8192 ask in an earlier turn, 16384 in a prefill, 32768 in a tool description, 65536 obfuscated text (CONTENT_FLAG)' },
  { name: 'capability', kind: 'smallint', doc: '0 chat, 1 coding, 2 math, 3 reasoning, 4 agentic, 5 data_analysis, 6 writing, 7 vision, 8 computer_use' },
  { name: 'prompt_hash', kind: 'ubigint', doc: 'hash of the last user message as written: equal for verbatim repeats (0 when empty)' },
  { name: 'prompt_sketch_1', kind: 'ubigint', doc: 'MinHash sketch of the last user message, bins 1-4 (16 bits each)' },
  { name: 'prompt_sketch_2', kind: 'ubigint', doc: 'MinHash sketch, bins 5-8' },
  { name: 'prompt_tokens', kind: 'integer', doc: 'estimated words and slots in the last user message (in the part its template is read from, when filler was put around it)' },
  { name: 'prompt_shape_1', kind: 'ubigint', doc: 'template shape of the last user message: first 8 and last 8 masked tokens, 16 bits each, 4 per column' },
  { name: 'prompt_shape_2', kind: 'ubigint', doc: '' },
  { name: 'prompt_shape_3', kind: 'ubigint', doc: '' },
  { name: 'prompt_shape_4', kind: 'ubigint', doc: '' },
  { name: 'system_tokens', kind: 'integer', doc: 'estimated words and slots in the system text' },
  { name: 'system_shape_1', kind: 'ubigint', doc: 'template shape of the system text (as prompt_shape_*)' },
  { name: 'system_shape_2', kind: 'ubigint', doc: '' },
  { name: 'system_shape_3', kind: 'ubigint', doc: '' },
  { name: 'system_shape_4', kind: 'ubigint', doc: '' },
  // Added in schema version 2; a version-1 store gains it when opened (null on its old rows).
  { name: 'prompt_language', kind: 'smallint', doc: 'language or script of the last user message (PROMPT_LANGUAGES: 0 none, 1 en, 2 es, 3 fr, 4 de, 5 pt, 6 it, 7 latin, 8 cyrillic, ..., 12 zh, 13 ja, 14 ko)' },
] as const satisfies readonly ColumnSpec[];

export type ExchangeColumnName = (typeof EXCHANGE_COLUMNS)[number]['name'];

export const EXCHANGE_COLUMN_INDEX: Readonly<Record<ExchangeColumnName, number>> = Object.fromEntries(
  EXCHANGE_COLUMNS.map((column, index) => [column.name, index]),
) as Record<ExchangeColumnName, number>;

export function sqlTypeOf(kind: ColumnKind): string {
  switch (kind) {
    case 'varchar':
      return 'VARCHAR';
    case 'integer':
      return 'INTEGER';
    case 'smallint':
      return 'SMALLINT';
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'timestamp_ms':
      return 'TIMESTAMP';
    case 'ubigint':
      return 'UBIGINT';
  }
}

