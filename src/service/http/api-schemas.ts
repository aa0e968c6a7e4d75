/**
 * JSON Schemas of the HTTP API. Fastify validates requests and serialises responses with them,
 * and `/openapi.json` is generated from them, so the document cannot drift from the server.
 */
import { QUARANTINE_REASONS } from '../../ingest/index.js';
import { API_KEY_ROLES, LABEL_TARGETS, LABEL_VERDICTS } from '../../store/service-tables.js';
import { DECISION_ACTIONS } from '../decisions/decision-policy.js';

const nullableString = { type: ['string', 'null'] } as const;

export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details (application/problem+json)',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    retry_after_seconds: { type: 'integer' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
  required: ['type', 'title', 'status', 'detail'],
} as const;

const problemRef = { $ref: 'Problem#' } as const;

/** The problem responses a route can give, for the OpenAPI document. */
export function problems(...statuses: number[]): Record<string, unknown> {
  return Object.fromEntries(statuses.map((status) => [String(status), { ...problemRef, description: 'problem details' }]));
}

const evidenceSchema = {
  type: 'object',
  properties: {
    signal: { type: 'string' },
    weight: { type: 'number' },
    detail: { type: 'string' },
    value: { type: 'number' },
    examples: { type: 'array', items: { type: 'string' } },
  },
  required: ['signal', 'weight', 'detail'],
} as const;

const exchangeRecordSchema = {
  type: 'object',
  description: 'One exchange in the input contract (docs/input-formats.md)',
  required: ['id', 'ts', 'account_id', 'api', 'request', 'status'],
  properties: {
    id: { type: 'string' },
    ts: { type: 'string', description: 'RFC 3339' },
    account_id: { type: 'string' },
    org_id: nullableString,
    api_key_id: nullableString,
    client_ip: nullableString,
    client_asn: { type: ['integer', 'string', 'null'] },
    client_country: nullableString,
    user_agent: nullableString,
    tls_fingerprint: nullableString,
    api: { type: 'string', enum: ['anthropic.messages', 'openai.chat_completions', 'openai.responses'] },
    request: { type: 'object' },
    response: { type: ['object', 'null'] },
    status: { type: 'integer' },
    latency_ms: { type: ['number', 'null'] },
  },
} as const;

export const ingestSchema = {
  summary: 'Store exchanges as they happen',
  description:
    'A JSON array of exchanges (application/json) or one exchange per line (application/x-ndjson), optionally with Content-Encoding: gzip. ' +
    'Answered 202 only once the batch is committed to the store. Each record is validated as the CLI validates a log line; bad records are ' +
    'quarantined and listed in `errors` by their 0-based position in the body. A repeated id is stored once.',
  tags: ['ingest'],
  security: [{ bearer: [] }],
  consumes: ['application/json', 'application/x-ndjson'],
  body: { type: 'array', items: exchangeRecordSchema },
  response: {
    202: {
      type: 'object',
      properties: {
        received: { type: 'integer' },
        stored: { type: 'integer' },
        duplicates: { type: 'integer' },
        quarantined: { type: 'integer' },
        errors: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              index: { type: 'integer' },
              reason: { type: 'string', enum: [...QUARANTINE_REASONS] },
              field: nullableString,
              message: { type: 'string' },
            },
            required: ['index', 'reason', 'field', 'message'],
          },
        },
        errors_truncated: { type: 'boolean', description: 'more records were quarantined than the first 1,000 listed' },
      },
      required: ['received', 'stored', 'duplicates', 'quarantined', 'errors', 'errors_truncated'],
    },
    ...problems(400, 401, 403, 413, 415, 429, 503),
  },
};

export const accountsIngestSchema = {
  summary: 'Store account records (sign-ups, changed payment methods) for linking',
  description:
    'A JSON array of account records or NDJSON, as the accounts file of `distillguard ingest --accounts` (docs/input-formats.md), optionally gzipped. ' +
    'A later record for an account replaces the earlier one; raw e-mail addresses are never stored. Answered 202 once committed.',
  tags: ['ingest'],
  security: [{ bearer: [] }],
  consumes: ['application/json', 'application/x-ndjson'],
  body: { type: 'array', items: { type: 'object', required: ['account_id'], properties: { account_id: { type: 'string' } } } },
  response: {
    202: {
      type: 'object',
      properties: {
        received: { type: 'integer' },
        stored: { type: 'integer' },
        quarantined: { type: 'integer' },
        errors: ingestSchema.response[202].properties.errors,
      },
      required: ['received', 'stored', 'quarantined', 'errors'],
    },
    ...problems(400, 401, 403, 413, 415, 429, 503),
  },
};

export const decisionSchema = {
  type: 'object',
  properties: {
    account_id: { type: 'string' },
    action: { type: 'string', enum: [...DECISION_ACTIONS] },
    score: { type: 'number' },
    flagged: { type: 'boolean' },
    cluster_id: nullableString,
    reasons: {
      type: 'array',
      items: {
        type: 'object',
        properties: { code: { type: 'string' }, detail: { type: 'string' }, signal: { type: 'string' } },
        required: ['code', 'detail'],
      },
    },
    policy_version: { type: 'string' },
  },
  required: ['account_id', 'action', 'score', 'flagged', 'cluster_id', 'reasons', 'policy_version'],
} as const;

export const decideSchema = {
  summary: "What to do with an account's next request",
  description:
    'Answered from memory (no store access). Precedence: an analyst verdict on the account, then on its cluster, the policy deny-lists, ' +
    'allow-lists, then score bands and evidence rules (the most severe match).',
  tags: ['decide'],
  security: [{ bearer: [] }],
  body: {
    type: 'object',
    required: ['account_id'],
    additionalProperties: false,
    properties: {
      account_id: { type: 'string', minLength: 1, maxLength: 512 },
      org_id: { type: ['string', 'null'], maxLength: 512 },
      client_ip: { type: ['string', 'null'], maxLength: 64 },
      api: { type: ['string', 'null'] },
      request: { type: ['object', 'null'], description: 'the request body about to be sent upstream (accepted; not yet used in scoring)' },
    },
  },
  response: { 200: decisionSchema, ...problems(400, 401, 403, 413, 415, 429) },
};

const findingObject = { type: 'object', additionalProperties: true } as const;

export const labelSchema = {
  type: 'object',
  properties: {
    label_id: { type: 'integer' },
    target: { type: 'string', enum: [...LABEL_TARGETS] },
    id: { type: 'string' },
    verdict: { type: 'string', enum: [...LABEL_VERDICTS] },
    note: nullableString,
    analyst: { type: 'string' },
    created_at: { type: 'string' },
  },
  required: ['label_id', 'target', 'id', 'verdict', 'note', 'analyst', 'created_at'],
} as const;

export const accountSchema = {
  summary: "An account's score, evidence, decision and verdict",
  tags: ['analyst'],
  security: [{ bearer: [] }],
  params: { type: 'object', properties: { id: { type: 'string', minLength: 1 } }, required: ['id'] },
  response: {
    200: {
      type: 'object',
      properties: { account: findingObject, decision: decisionSchema, verdict: { anyOf: [labelSchema, { type: 'null' }] } },
      required: ['account', 'decision', 'verdict'],
    },
    ...problems(401, 403, 404),
  },
};

const clusterSummarySchema = {
  type: 'object',
  properties: {
    cluster_id: { type: 'string' },
    score: { type: 'number' },
    flagged: { type: 'boolean' },
    account_count: { type: 'integer' },
    exchanges: { type: 'integer' },
    capabilities: { type: 'object', additionalProperties: { type: 'number' } },
    first_seen: nullableString,
    last_seen: nullableString,
    top_evidence: { type: 'array', items: evidenceSchema },
    verdict: { type: ['string', 'null'], enum: [...LABEL_VERDICTS, null] },
  },
  required: ['cluster_id', 'score', 'flagged', 'account_count', 'exchanges', 'verdict'],
} as const;

export const clustersSchema = {
  summary: 'Clusters of linked accounts as of the last relink, highest score first',
  tags: ['analyst'],
  security: [{ bearer: [] }],
  querystring: {
    type: 'object',
    properties: {
      flagged: { type: 'boolean', description: 'only flagged (true) or unflagged (false) clusters' },
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
      offset: { type: 'integer', minimum: 0, default: 0 },
    },
  },
  response: {
    200: {
      type: 'object',
      properties: { total: { type: 'integer' }, clusters: { type: 'array', items: clusterSummarySchema }, relinked_at: nullableString },
      required: ['total', 'clusters', 'relinked_at'],
    },
    ...problems(400, 401, 403),
  },
};

export const clusterSchema = {
  summary: 'One cluster with its members, indicators and evidence',
  tags: ['analyst'],
  security: [{ bearer: [] }],
  params: { type: 'object', properties: { id: { type: 'string', minLength: 1 } }, required: ['id'] },
  response: {
    200: { type: 'object', properties: { cluster: findingObject, verdict: { anyOf: [labelSchema, { type: 'null' }] } }, required: ['cluster', 'verdict'] },
    ...problems(401, 403, 404),
  },
};

/** A verdict on an account or a cluster, as `POST /v1/labels` and the workbench take it. */
export function verdictBodySchema(verdicts: readonly string[]) {
  return {
    type: 'object',
    required: ['target', 'id', 'verdict'],
    additionalProperties: false,
    properties: {
      target: { type: 'string', enum: [...LABEL_TARGETS] },
      id: { type: 'string', minLength: 1, maxLength: 512 },
      verdict: { type: 'string', enum: [...verdicts] },
      note: { type: ['string', 'null'], maxLength: 4000 },
    },
  } as const;
}

export const postLabelSchema = {
  summary: "Record an analyst's verdict on an account or a cluster",
  description: 'The latest verdict on a target overrides the model: `confirmed` and `dismissed` map to actions in the policy (block and allow by default). Verdicts are kept in the store.',
  tags: ['analyst'],
  security: [{ bearer: [] }],
  body: verdictBodySchema(LABEL_VERDICTS),
  response: { 201: labelSchema, ...problems(400, 401, 403, 404) },
};

export const listLabelsSchema = {
  summary: 'The verdicts in force (the latest per target)',
  tags: ['analyst'],
  security: [{ bearer: [] }],
  response: { 200: { type: 'object', properties: { labels: { type: 'array', items: labelSchema } }, required: ['labels'] }, ...problems(401, 403) },
};

const keySchema = {
  type: 'object',
  properties: {
    key_id: { type: 'string' },
    name: nullableString,
    role: { type: 'string', enum: [...API_KEY_ROLES] },
    rate_limit: { type: 'integer', description: 'requests per second' },
    created_at: { type: 'string' },
    revoked_at: nullableString,
    communities: {
      type: 'array',
      description: 'partner keys: the sharing communities (TAXII collections) the key may read or write',
      items: {
        type: 'object',
        properties: { community: { type: 'string' }, can_read: { type: 'boolean' }, can_write: { type: 'boolean' } },
        required: ['community', 'can_read', 'can_write'],
      },
    },
  },
  required: ['key_id', 'name', 'role', 'rate_limit', 'created_at', 'revoked_at'],
} as const;

export const listKeysSchema = {
  summary: 'API keys (never the keys themselves)',
  tags: ['admin'],
  security: [{ bearer: [] }],
  response: { 200: { type: 'object', properties: { keys: { type: 'array', items: keySchema } }, required: ['keys'] }, ...problems(401, 403) },
};

export const createKeySchema = {
  summary: 'Make an API key; the key is in this response only',
  tags: ['admin'],
  security: [{ bearer: [] }],
  body: {
    type: 'object',
    required: ['role'],
    additionalProperties: false,
    properties: {
      role: { type: 'string', enum: [...API_KEY_ROLES] },
      name: { type: ['string', 'null'], maxLength: 200 },
      rate_limit: { type: ['integer', 'null'], minimum: 1, maximum: 1_000_000, description: 'requests per second; default by role' },
      communities: {
        type: 'array',
        maxItems: 100,
        description: 'role partner (required there, refused for other roles): the sharing communities the key may read (can_read) or publish to (can_write); both default to true',
        items: {
          type: 'object',
          required: ['community'],
          additionalProperties: false,
          properties: { community: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' }, can_read: { type: 'boolean' }, can_write: { type: 'boolean' } },
        },
      },
    },
  },
  response: { 201: { type: 'object', properties: { key: { type: 'string' }, ...keySchema.properties }, required: ['key', ...keySchema.required] }, ...problems(400, 401, 403) },
};

export const revokeKeySchema = {
  summary: 'Revoke an API key at once',
  tags: ['admin'],
  security: [{ bearer: [] }],
  params: { type: 'object', properties: { id: { type: 'string', minLength: 1 } }, required: ['id'] },
  response: { 200: keySchema, ...problems(401, 403, 404) },
};

export const reloadPolicySchema = {
  summary: 'Read the policy file again now (it is also re-read when it changes and on SIGHUP)',
  tags: ['admin'],
  security: [{ bearer: [] }],
  response: {
    200: { type: 'object', properties: { version: { type: 'string' }, changed: { type: 'boolean' } }, required: ['version', 'changed'] },
    ...problems(400, 401, 403),
  },
};

export const healthSchema = {
  summary: 'Liveness and state: 200 while serving, 503 while shutting down',
  tags: ['system'],
  response: { 200: { type: 'object', additionalProperties: true }, 503: { type: 'object', additionalProperties: true } },
};

export const metricsSchema = {
  summary: 'Prometheus metrics (text exposition format)',
  tags: ['system'],
  produces: ['text/plain'],
};
