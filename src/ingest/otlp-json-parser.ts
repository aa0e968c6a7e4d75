import type { ExchangeParseOptions, ValidatedExchange } from './exchange-validator.js';
import { validateExchangeRecord } from './exchange-validator.js';
import { isRejection, readJsonObject, type Rejection } from './record-field-reader.js';
import { rejected, type ParseResult, type RecordProblem } from './record-problem.js';
import { formatRfc3339 } from './rfc3339-timestamp.js';

/**
 * One GenAI operation as the telemetry holds it: a span of a trace export, or the log records of
 * a logs export that share a span. `path` names it in the export request, for quarantine messages.
 */
export interface GenAiOperation {
  path: string;
  traceId: string | null;
  spanId: string | null;
  startNs: bigint | null;
  endNs: bigint | null;
  attributes: Map<string, unknown>;
  resourceAttributes: Map<string, unknown>;
  events: { name: string; attributes: Map<string, unknown>; body: unknown }[];
  /** The span status code: 2 is ERROR. */
  statusCode: number;
  statusMessage: string | null;
}

/** Attributes that name the account, in the order they are read (span or log, then resource). */
export const OTEL_ACCOUNT_ATTRIBUTES = ['user.id', 'enduser.id', 'llm.user'] as const;

/** `gen_ai.operation.name` values that are a model call; agents and tools are not exchanges. */
const MODEL_CALLS = new Set(['chat', 'text_completion', 'generate_content']);

interface Message {
  role: string;
  text: string;
}

/**
 * Parses one OTLP/JSON export request (`ExportTraceServiceRequest` or
 * `ExportLogsServiceRequest`, one per line, as the OpenTelemetry Collector's file exporter writes
 * them) into the exchanges its GenAI operations stand for, following the GenAI semantic
 * conventions and what OpenLLMetry and OpenLIT emit: the model call's `gen_ai.*` attributes; its
 * messages from `gen_ai.input.messages`/`gen_ai.output.messages`, the indexed
 * `gen_ai.prompt.N.*`/`gen_ai.completion.N.*` attributes, the `gen_ai.content.prompt` and
 * `gen_ai.content.completion` events, or the per-message events (`gen_ai.user.message`,
 * `gen_ai.choice`, …). Spans that are not model calls are skipped; a model call that cannot be
 * read is quarantined under the line with its path in the request. The id is
 * `otel-<traceId>-<spanId>`, so the span and the log records of one call are one exchange.
 */
export function parseOtlpJsonLine(line: string, options: ExchangeParseOptions = {}): ParseResult<ValidatedExchange>[] {
  const request = readJsonObject(line, 'an OTLP export request');
  if (isRejection(request)) return [request];
  const operations = otlpGenAiOperations(request);
  if (isRejection(operations)) return [operations];
  return operations.map((operation) => parseGenAiOperation(operation, options));
}

/** The GenAI model calls of an OTLP/JSON export request (traces or logs). */
export function otlpGenAiOperations(request: Record<string, unknown>): GenAiOperation[] | Rejection {
  if (Array.isArray(request.resourceSpans)) return spanOperations(request.resourceSpans);
  if (Array.isArray(request.resourceLogs)) return logOperations(request.resourceLogs);
  return rejected('missing_field', 'resourceSpans', 'expected an OTLP export request with resourceSpans or resourceLogs');
}

/**
 * The contract records (docs/input-formats.md) an OTLP/JSON export request stands for, and the
 * problems of the model calls it could not read: what `serve` hands its ingest queue when it
 * receives OTLP, so a file and a live export are read alike.
 */
export function otlpContractRecords(request: Record<string, unknown>): { records: Record<string, unknown>[]; problems: RecordProblem[] } | Rejection {
  const operations = otlpGenAiOperations(request);
  if (isRejection(operations)) return operations;
  const records: Record<string, unknown>[] = [];
  const problems: RecordProblem[] = [];
  for (const operation of operations) {
    const record = contractRecord(operation);
    if (isRejection(record)) problems.push(record.problem);
    else records.push(record);
  }
  return { records, problems };
}

/** The exchange one GenAI operation stands for, or why it cannot be read. */
export function parseGenAiOperation(operation: GenAiOperation, options: ExchangeParseOptions = {}): ParseResult<ValidatedExchange> {
  const record = contractRecord(operation);
  if (isRejection(record)) return record;
  const result = validateExchangeRecord(record, options);
  if (result.ok || result.problem.field === null) return result;
  return { ok: false, problem: { ...result.problem, field: `${operation.path}.${SOURCE_FIELDS[result.problem.field] ?? result.problem.field}` } };
}

const SOURCE_FIELDS: Record<string, string> = {
  id: 'spanId',
  ts: 'startTimeUnixNano',
  account_id: 'attributes["user.id"]',
  client_ip: 'attributes["client.address"]',
  user_agent: 'attributes["user_agent.original"]',
  latency_ms: 'endTimeUnixNano',
};

function spanOperations(resourceSpans: unknown[]): GenAiOperation[] {
  const operations: GenAiOperation[] = [];
  resourceSpans.forEach((resourceSpan, r) => {
    if (!isObject(resourceSpan)) return;
    const resourceAttributes = attributeMap(isObject(resourceSpan.resource) ? resourceSpan.resource.attributes : undefined);
    listOf(resourceSpan.scopeSpans).forEach((scopeSpan, s) => {
      if (!isObject(scopeSpan)) return;
      listOf(scopeSpan.spans).forEach((span, i) => {
        if (!isObject(span)) return;
        const attributes = attributeMap(span.attributes);
        if (!isModelCall(attributes)) return;
        const status = isObject(span.status) ? span.status : {};
        operations.push({
          path: `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]`,
          traceId: typeof span.traceId === 'string' ? span.traceId : null,
          spanId: typeof span.spanId === 'string' ? span.spanId : null,
          startNs: nanos(span.startTimeUnixNano),
          endNs: nanos(span.endTimeUnixNano),
          attributes,
          resourceAttributes,
          events: listOf(span.events).filter(isObject).map((event) => ({ name: typeof event.name === 'string' ? event.name : '', attributes: attributeMap(event.attributes), body: undefined })),
          statusCode: typeof status.code === 'number' ? status.code : status.code === 'STATUS_CODE_ERROR' ? 2 : 0,
          statusMessage: typeof status.message === 'string' ? status.message : null,
        });
      });
    });
  });
  return operations;
}

/**
 * Log records carry a call's events one by one; those of one span are one call, so they are
 * gathered by span within the export request (a call whose records a collector split across two
 * requests is read as two partial calls of the same id, and the first one stored wins).
 */
function logOperations(resourceLogs: unknown[]): GenAiOperation[] {
  const bySpan = new Map<string, GenAiOperation>();
  const operations: GenAiOperation[] = [];
  resourceLogs.forEach((resourceLog, r) => {
    if (!isObject(resourceLog)) return;
    const resourceAttributes = attributeMap(isObject(resourceLog.resource) ? resourceLog.resource.attributes : undefined);
    listOf(resourceLog.scopeLogs).forEach((scopeLog, s) => {
      if (!isObject(scopeLog)) return;
      listOf(scopeLog.logRecords).forEach((logRecord, i) => {
        if (!isObject(logRecord)) return;
        const attributes = attributeMap(logRecord.attributes);
        const name = typeof logRecord.eventName === 'string' && logRecord.eventName !== '' ? logRecord.eventName : String(attributes.get('event.name') ?? '');
        if (!name.startsWith('gen_ai.')) return;
        const traceId = typeof logRecord.traceId === 'string' && logRecord.traceId !== '' ? logRecord.traceId : null;
        const spanId = typeof logRecord.spanId === 'string' && logRecord.spanId !== '' ? logRecord.spanId : null;
        const key = traceId !== null && spanId !== null ? `${traceId}/${spanId}` : `record ${r}/${s}/${i}`;
        const ns = nanos(logRecord.timeUnixNano) ?? nanos(logRecord.observedTimeUnixNano);
        let operation = bySpan.get(key);
        if (operation === undefined) {
          operation = {
            path: `resourceLogs[${r}].scopeLogs[${s}].logRecords[${i}]`,
            traceId,
            spanId,
            startNs: ns,
            endNs: ns,
            attributes: new Map(),
            resourceAttributes,
            events: [],
            statusCode: 0,
            statusMessage: null,
          };
          bySpan.set(key, operation);
          operations.push(operation);
        }
        for (const [attribute, value] of attributes) if (attribute !== 'event.name') operation.attributes.set(attribute, value);
        if (ns !== null) {
          if (operation.startNs === null || ns < operation.startNs) operation.startNs = ns;
          if (operation.endNs === null || ns > operation.endNs) operation.endNs = ns;
        }
        operation.events.push({ name, attributes, body: anyValue(logRecord.body) });
      });
    });
  });
  return operations.filter((operation) => isModelCall(operation.attributes) || operation.events.some((event) => MESSAGE_EVENTS.has(event.name) || event.name === 'gen_ai.choice'));
}

function isModelCall(attributes: Map<string, unknown>): boolean {
  const operation = attributes.get('gen_ai.operation.name');
  if (typeof operation === 'string') return MODEL_CALLS.has(operation);
  const requestType = attributes.get('llm.request.type');
  if (typeof requestType === 'string') return requestType === 'chat' || requestType === 'completion';
  return attributes.has('gen_ai.system') || attributes.has('gen_ai.provider.name') || attributes.has('gen_ai.request.model');
}

function contractRecord(operation: GenAiOperation): Record<string, unknown> | Rejection {
  const { path, attributes } = operation;
  if (operation.traceId === null || operation.spanId === null) {
    return rejected('missing_field', `${path}.spanId`, 'a GenAI operation needs its traceId and spanId (they make the exchange id)');
  }
  if (operation.startNs === null) return rejected('missing_field', `${path}.startTimeUnixNano`, 'the operation has no start time');
  const account = readAccount(operation);
  if (account === null) {
    return rejected('missing_field', `${path}.attributes["user.id"]`, `no account: none of ${OTEL_ACCOUNT_ATTRIBUTES.join(', ')} on the operation or its resource`);
  }
  const provider = String(attributes.get('gen_ai.provider.name') ?? attributes.get('gen_ai.system') ?? '').toLowerCase();
  const api = provider === 'anthropic' || provider === 'aws.bedrock.anthropic' ? 'anthropic.messages' : 'openai.chat_completions';
  const { system, input, output } = readMessages(operation);
  const model = stringAttribute(attributes, 'gen_ai.request.model');
  const responseModel = stringAttribute(attributes, 'gen_ai.response.model') ?? model;
  const sampling = {
    max_tokens: numberAttribute(attributes, 'gen_ai.request.max_tokens'),
    temperature: numberAttribute(attributes, 'gen_ai.request.temperature'),
    top_p: numberAttribute(attributes, 'gen_ai.request.top_p'),
  };
  const turns = input.filter((message) => message.role !== 'system');
  const request: Record<string, unknown> = { model, ...withoutNulls(sampling) };
  if (api === 'anthropic.messages') {
    if (system !== null) request.system = system;
    request.messages = turns.map(({ role, text }) => ({ role, content: text }));
  } else {
    request.messages = [...(system === null ? [] : [{ role: 'system', content: system }]), ...turns.map(({ role, text }) => ({ role, content: text }))];
  }

  const httpStatus = numberAttribute(attributes, 'http.response.status_code');
  const errorType = stringAttribute(attributes, 'error.type');
  const status = httpStatus !== null && Number.isInteger(httpStatus) ? httpStatus : operation.statusCode === 2 || errorType !== null ? 500 : 200;
  const inputTokens = numberAttribute(attributes, 'gen_ai.usage.input_tokens') ?? numberAttribute(attributes, 'gen_ai.usage.prompt_tokens');
  const outputTokens = numberAttribute(attributes, 'gen_ai.usage.output_tokens') ?? numberAttribute(attributes, 'gen_ai.usage.completion_tokens');
  const finishReasons = listOf(attributes.get('gen_ai.response.finish_reasons')).map(String);
  const responseId = stringAttribute(attributes, 'gen_ai.response.id');
  let response: Record<string, unknown> | null = null;
  if (status >= 400) {
    response = { error: { type: errorType ?? 'error', message: operation.statusMessage ?? errorType ?? 'the call failed' } };
  } else if (output.length > 0 || inputTokens !== null || outputTokens !== null) {
    response =
      api === 'anthropic.messages'
        ? withoutNulls({
            id: responseId,
            type: 'message',
            role: 'assistant',
            model: responseModel,
            content: output.map(({ text }) => ({ type: 'text', text })),
            stop_reason: output[0]?.finishReason ?? finishReasons[0] ?? null,
            usage: withoutNulls({ input_tokens: inputTokens, output_tokens: outputTokens }),
          })
        : withoutNulls({
            id: responseId,
            model: responseModel,
            choices: output.map(({ text, finishReason }, index) => ({ index, message: { role: 'assistant', content: text }, finish_reason: finishReason ?? finishReasons[index] ?? null })),
            usage: withoutNulls({ prompt_tokens: inputTokens, completion_tokens: outputTokens }),
          });
  }
  return {
    id: `otel-${operation.traceId}-${operation.spanId}`,
    ts: formatRfc3339(Number(operation.startNs / 1_000_000n)),
    account_id: account,
    client_ip: stringAttribute(attributes, 'client.address'),
    user_agent: stringAttribute(attributes, 'user_agent.original'),
    api,
    request,
    response,
    status,
    latency_ms: operation.endNs !== null && operation.endNs >= operation.startNs ? Number((operation.endNs - operation.startNs) / 1_000_000n) : null,
  };
}

function readAccount(operation: GenAiOperation): string | null {
  for (const attributes of [operation.attributes, operation.resourceAttributes]) {
    for (const name of OTEL_ACCOUNT_ATTRIBUTES) {
      const value = attributes.get(name);
      if (typeof value === 'string' && value !== '') return value;
    }
  }
  return null;
}

const MESSAGE_EVENTS = new Map([
  ['gen_ai.system.message', 'system'],
  ['gen_ai.user.message', 'user'],
  ['gen_ai.assistant.message', 'assistant'],
  ['gen_ai.tool.message', 'tool'],
]);

/** The call's messages, from whichever of the conventions' generations the producer used. */
function readMessages(operation: GenAiOperation): { system: string | null; input: Message[]; output: { text: string; finishReason: string | null }[] } {
  const attributes = new Map(operation.attributes);
  for (const event of operation.events) for (const [name, value] of event.attributes) if (!attributes.has(name)) attributes.set(name, value);
  let system: string | null = null;
  let input: Message[] = [];
  let output: { text: string; finishReason: string | null }[] = [];

  const instructions = jsonAttribute(attributes.get('gen_ai.system_instructions'));
  if (Array.isArray(instructions)) system = partsText(instructions) || null;
  const inputMessages = jsonAttribute(attributes.get('gen_ai.input.messages'));
  const outputMessages = jsonAttribute(attributes.get('gen_ai.output.messages'));
  if (Array.isArray(inputMessages)) input = inputMessages.filter(isObject).map((message) => ({ role: String(message.role ?? 'user'), text: partsText(listOf(message.parts)) }));
  if (Array.isArray(outputMessages)) {
    output = outputMessages.filter(isObject).map((message) => ({ text: partsText(listOf(message.parts)), finishReason: typeof message.finish_reason === 'string' ? message.finish_reason : null }));
  }

  if (input.length === 0) input = indexedMessages(attributes, 'gen_ai.prompt');
  if (output.length === 0) output = indexedMessages(attributes, 'gen_ai.completion').map(({ text }, index) => ({ text, finishReason: stringAttribute(attributes, `gen_ai.completion.${index}.finish_reason`) }));

  for (const event of operation.events) {
    if (input.length === 0 && event.name === 'gen_ai.content.prompt') input = textOrMessages(event.attributes.get('gen_ai.prompt'), 'user');
    if (output.length === 0 && event.name === 'gen_ai.content.completion') output = textOrMessages(event.attributes.get('gen_ai.completion'), 'assistant').map(({ text }) => ({ text, finishReason: null }));
  }
  if (input.length === 0) {
    for (const event of operation.events) {
      const role = MESSAGE_EVENTS.get(event.name);
      if (role !== undefined) input.push({ role, text: contentText(eventContent(event)) });
    }
  }
  if (output.length === 0) {
    for (const event of operation.events) {
      if (event.name !== 'gen_ai.choice') continue;
      const body = eventContent(event);
      const message = isObject(body) ? body.message : undefined;
      output.push({ text: contentText(isObject(message) ? message.content : undefined), finishReason: isObject(body) && typeof body.finish_reason === 'string' ? body.finish_reason : null });
    }
  }
  if (system === null) {
    const systemMessages = input.filter((message) => message.role === 'system');
    if (systemMessages.length > 0) system = systemMessages.map((message) => message.text).join('\n');
  }
  return { system, input, output };
}

/** A per-message event's content: its body (logs), or its attributes (span events of older producers). */
function eventContent(event: GenAiOperation['events'][number]): unknown {
  if (event.body !== undefined && event.body !== null) return event.body;
  const content = jsonAttribute(event.attributes.get('gen_ai.event.content'));
  if (content !== undefined) return content;
  return Object.fromEntries(event.attributes);
}

function indexedMessages(attributes: Map<string, unknown>, prefix: string): Message[] {
  const messages: Message[] = [];
  for (let index = 0; attributes.has(`${prefix}.${index}.content`) || attributes.has(`${prefix}.${index}.role`); index++) {
    messages.push({ role: String(attributes.get(`${prefix}.${index}.role`) ?? (prefix === 'gen_ai.prompt' ? 'user' : 'assistant')), text: contentText(jsonAttribute(attributes.get(`${prefix}.${index}.content`))) });
  }
  return messages;
}

/** `gen_ai.prompt`/`gen_ai.completion` of the content events: JSON messages, or plain text. */
function textOrMessages(value: unknown, role: string): Message[] {
  if (typeof value !== 'string') return [];
  const parsed = jsonAttribute(value);
  if (Array.isArray(parsed)) return parsed.filter(isObject).map((message) => ({ role: String(message.role ?? role), text: contentText(message.content) }));
  return [{ role, text: value }];
}

function partsText(parts: unknown[]): string {
  return parts
    .filter(isObject)
    .map((part) => (part.type === undefined || part.type === 'text' ? contentText(part.content) : ''))
    .join('');
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part === 'string' ? part : isObject(part) ? contentText(part.text ?? part.content) : '')).join('');
  if (isObject(content)) return contentText(content.content ?? content.text);
  return '';
}

function jsonAttribute(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trimStart();
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function attributeMap(attributes: unknown): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (const attribute of listOf(attributes)) {
    if (isObject(attribute) && typeof attribute.key === 'string') map.set(attribute.key, anyValue(attribute.value));
  }
  return map;
}

/** An OTLP/JSON `AnyValue` as plain JSON; 64-bit integers arrive as strings and become numbers. */
function anyValue(value: unknown): unknown {
  if (!isObject(value)) return undefined;
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('bytesValue' in value) return value.bytesValue;
  if ('arrayValue' in value) return listOf(isObject(value.arrayValue) ? value.arrayValue.values : undefined).map(anyValue);
  if ('kvlistValue' in value) return Object.fromEntries(attributeMap(isObject(value.kvlistValue) ? value.kvlistValue.values : undefined));
  return undefined;
}

function nanos(value: unknown): bigint | null {
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  return null;
}

function stringAttribute(attributes: Map<string, unknown>, name: string): string | null {
  const value = attributes.get(name);
  return typeof value === 'string' && value !== '' ? value : null;
}

function numberAttribute(attributes: Map<string, unknown>, name: string): number | null {
  const value = attributes.get(name);
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function withoutNulls(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null));
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
