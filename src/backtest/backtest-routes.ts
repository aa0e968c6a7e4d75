import type { FastifyInstance } from 'fastify';
import { parseRfc3339 } from '../ingest/index.js';
import { DEFAULT_POLICY_DOCUMENT, compilePolicy, parsePolicy, type DecisionPolicy } from '../service/decisions/decision-policy.js';
import { problems } from '../service/http/api-schemas.js';
import type { ServiceCore } from '../service/service-core.js';
import type { WorkbenchExtension } from '../service/http/http-app.js';
import { ConflictError } from '../service/service-errors.js';
import { InputError, NotFoundError, UsageError } from '../util/errors.js';
import { createBacktestJobs, type BacktestJob } from './backtest-jobs.js';
import { DEFAULT_BACKTEST_RELINK_INTERVAL_MS, DEFAULT_BACKTEST_STEP_MS, portablePolicy } from './policy-backtest.js';

interface BacktestBody {
  policy: string;
  against?: string;
  from?: string;
  to?: string;
  step_seconds?: number;
  relink_interval_seconds?: number;
}

const startSchema = {
  summary: 'Try a policy on the stored history: replays it through the engine and answers with a job to poll (docs/backtest.md)',
  tags: ['analyst'],
  security: [{ bearer: [] }],
  body: {
    type: 'object',
    required: ['policy'],
    additionalProperties: false,
    properties: {
      policy: { type: 'string', minLength: 1, maxLength: 1_000_000, description: 'the candidate policy as YAML (as for `serve --policy`), or `default` or `current`' },
      against: { type: 'string', minLength: 1, maxLength: 1_000_000, description: 'a second policy to compare with: YAML, `default` or `current` (the policy in force)' },
      from: { type: 'string', description: 'RFC 3339: decide exchanges from here (earlier ones only build the engine state)' },
      to: { type: 'string', description: 'RFC 3339: stop before here' },
      step_seconds: { type: 'number', exclusiveMinimum: 0, default: DEFAULT_BACKTEST_STEP_MS / 1000 },
      relink_interval_seconds: { type: 'number', exclusiveMinimum: 0, default: DEFAULT_BACKTEST_RELINK_INTERVAL_MS / 1000 },
    },
  },
  response: { 202: { type: 'object', additionalProperties: true }, ...problems(400, 401, 403, 409, 429) },
};

const getSchema = {
  summary: 'A backtest: its progress, then its report (the same document as `policy backtest --json`)',
  tags: ['analyst'],
  security: [{ bearer: [] }],
  params: { type: 'object', properties: { id: { type: 'string', minLength: 1 } }, required: ['id'] },
  response: { 200: { type: 'object', additionalProperties: true }, ...problems(401, 403, 404, 429) },
};

/**
 * `POST /v1/policy/backtests` and `GET /v1/policy/backtests/:id` (role analyst): the backtest of
 * `distillguard policy backtest`, run by the service on a snapshot of its own store while it
 * goes on serving. One runs at a time. The workbench gets the same two under
 * `/v1/workbench/backtests`, behind its session (and its CSRF token for the start).
 */
export function registerBacktestRoutes(app: FastifyInstance, core: ServiceCore, workbench?: WorkbenchExtension): void {
  const jobs = createBacktestJobs({ snapshot: () => core.snapshot(), engineModuleUrl: core.engineModuleUrl, logger: core.logger, traceCacheDir: core.config.backtestTraceCache });
  app.addHook('onClose', () => jobs.close());

  const start = (body: BacktestBody, base: string) => {
    const policies = [{ name: 'candidate', ...policyOf(body.policy, 'policy', core) }];
    if (body.against !== undefined) policies.push({ name: 'against', ...policyOf(body.against, 'against', core) });
    const fromMs = timeOf(body.from, 'from');
    const toMs = timeOf(body.to, 'to');
    if (fromMs !== null && toMs !== null && fromMs >= toMs) throw new InputError('from must be before to');
    const job = jobs.start({
      policies: policies.map(portablePolicy),
      fromMs,
      toMs,
      stepMs: Math.round(body.step_seconds! * 1000),
      relinkIntervalMs: Math.round(body.relink_interval_seconds! * 1000),
    });
    if (job === null) throw new ConflictError('a backtest is already running; one runs at a time: poll it, then send this one again');
    return { location: `${base}/${job.id}`, view: jobView(job) };
  };
  const find = (id: string) => {
    const job = jobs.get(id);
    if (job === undefined) throw new NotFoundError(`no backtest ${id} (results are kept in memory until the service restarts)`);
    return jobView(job);
  };

  app.post<{ Body: BacktestBody }>('/v1/policy/backtests', { schema: startSchema, config: { role: 'analyst' } }, async (request, reply) => {
    const { location, view } = start(request.body, '/v1/policy/backtests');
    return reply.code(202).header('location', location).send(view);
  });
  app.get<{ Params: { id: string } }>('/v1/policy/backtests/:id', { schema: getSchema, config: { role: 'analyst' } }, async (request) => find(request.params.id));

  workbench?.addSessionRoutes((scope) => {
    const session = { tags: ['analyst'], security: [] };
    scope.post<{ Body: BacktestBody }>('/v1/workbench/backtests', { schema: { ...startSchema, ...session, summary: 'the workbench: try a policy on the stored history (as POST /v1/policy/backtests)' } }, async (request, reply) => {
      const { location, view } = start(request.body, '/v1/workbench/backtests');
      return reply.code(202).header('location', location).send(view);
    });
    scope.get<{ Params: { id: string } }>('/v1/workbench/backtests/:id', { schema: { ...getSchema, ...session, summary: 'the workbench: a backtest\'s progress, then its report' } }, async (request) =>
      find(request.params.id),
    );
  });
}

function policyOf(text: string, field: string, core: ServiceCore): { source: string; policy: DecisionPolicy } {
  if (text === 'current') return { source: 'current', policy: core.policy.current() };
  if (text === 'default') return { source: 'default', policy: compilePolicy(DEFAULT_POLICY_DOCUMENT) };
  try {
    return { source: field, policy: parsePolicy(text, field) };
  } catch (error) {
    if (error instanceof UsageError) throw new InputError(error.message);
    throw error;
  }
}

function timeOf(text: string | undefined, field: string): number | null {
  if (text === undefined) return null;
  const ms = parseRfc3339(text);
  if (ms === null) throw new InputError(`${field}: expected an RFC 3339 time such as 2026-02-05T00:00:00Z, found "${text}"`);
  return ms;
}

function jobView(job: BacktestJob) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: job.id,
    status: job.status,
    started_at: iso(job.startedAt),
    finished_at: iso(job.finishedAt),
    progress: { exchanges_read: job.rowsRead, exchanges_total: job.rowsTotal },
    error: job.error,
    result: job.result,
  };
}
