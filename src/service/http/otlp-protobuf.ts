import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { InputError } from '../../util/errors.js';

/** The signals OTLP/HTTP carries that `serve` reads, by the request and response message of each. */
export type OtlpSignal = 'traces' | 'logs';

const MESSAGES: Record<OtlpSignal, { request: string; response: string }> = {
  traces: { request: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest', response: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse' },
  logs: { request: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest', response: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse' },
};

// The same depth below the package root from src/ and from dist/, so one path serves both.
const PROTO_DIR = fileURLToPath(new URL('../../../proto/', import.meta.url));

/** OTLP/JSON writes these ids as hex, where the protobuf encoding has raw bytes. */
const HEX_IDS = new Set(['traceId', 'spanId', 'parentSpanId']);

let root: protobuf.Root | null = null;

/** Loaded on the first protobuf request, so commands that never receive one never parse the schema. */
function otlpRoot(): protobuf.Root {
  if (root !== null) return root;
  const loaded = new protobuf.Root();
  loaded.resolvePath = (_origin, target) => PROTO_DIR + target;
  loaded.loadSync(['opentelemetry/proto/collector/trace/v1/trace_service.proto', 'opentelemetry/proto/collector/logs/v1/logs_service.proto']);
  root = loaded;
  return root;
}

/**
 * An OTLP/HTTP protobuf export request as the object its OTLP/JSON encoding parses into (lower
 * camel case names, 64-bit integers as decimal strings, enums as numbers, trace and span ids as
 * hex, other bytes as base64, unset fields absent), so both encodings are read by one parser.
 */
export function decodeOtlpProtobuf(signal: OtlpSignal, body: Uint8Array): Record<string, unknown> {
  const type = otlpRoot().lookupType(MESSAGES[signal].request);
  let message: protobuf.Message;
  try {
    message = type.decode(body);
  } catch (error) {
    throw new InputError(`the body is not an OTLP protobuf export request: ${(error as Error).message}`);
  }
  const object = type.toObject(message, { longs: String, enums: Number, bytes: String, defaults: false, arrays: false, oneofs: false });
  return hexIds(object) as Record<string, unknown>;
}

/** The export response in protobuf, which an exporter that sent protobuf expects back. */
export function encodeOtlpResponse(signal: OtlpSignal, response: Record<string, unknown>): Uint8Array {
  const type = otlpRoot().lookupType(MESSAGES[signal].response);
  return type.encode(type.fromObject(response)).finish();
}

function hexIds(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = hexIds(value[i]);
    return value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  for (const [key, field] of Object.entries(object)) {
    object[key] = HEX_IDS.has(key) && typeof field === 'string' ? Buffer.from(field, 'base64').toString('hex') : hexIds(field);
  }
  return object;
}
