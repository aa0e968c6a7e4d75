import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { AuditEntry } from '../../store/audit-log.js';
import type { LabelTarget } from '../../store/service-tables.js';
import { verdictBodySchema } from './api-schemas.js';
import { accountsByIp, accountsByPaymentFingerprint, readAccountFacts, readExchangePage, readTrafficTimeline, type StoredExchange } from '../../store/workbench-queries.js';
import type { ClusterFinding } from '../../model/findings.js';
import { templateFills } from './template-fills.js';
import { createClusterTraffic, type ClusterTrafficSource } from './cluster-traffic.js';
import { contentFlagNames } from '../../features/index.js';
import { NotFoundError, UsageError } from '../../util/errors.js';
import { ForbiddenError, UnauthorizedError } from '../service-errors.js';
import type { ServiceCore } from '../service-core.js';
import { labelView } from './label-view.js';
import { createWorkbenchData, type WorkbenchData } from './workbench-data.js';
import { CASE_STATUSES, pageQueue, reviewPrecision, type CaseStatus, type QueueFilter, type QueueIndex } from './workbench-queue.js';
import { clearedSessionCookie, createSessionRegistry, CSRF_HEADER, readCookie, SESSION_COOKIE, sessionCookie, type SessionRegistry, type WorkbenchSession } from './workbench-sessions.js';
import { accountSummary, capabilityName, CLUSTER_THRESHOLD, clusterGraph, evidenceView, exchangeFilterFor, flagReason, namedCapabilityRows, namedRows, SCORE_EXPLANATION } from './workbench-views.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The workbench session the request came with; null outside the workbench. */
    workbenchSession: WorkbenchSession | null;
  }
}

export interface WorkbenchOptions {
  sessionTtlMs?: number;
  sessions?: SessionRegistry;
  /** Routes of other parts for the workbench, registered inside its session scope. */
  sessionRoutes?: readonly ((scope: FastifyInstance) => void)[];
  data?: WorkbenchData;
  clusterTraffic?: ClusterTrafficSource;
  /** How long the workbench must have had no request before a cluster is read ahead (ms). */
  readAheadQuietMs?: number;
}

const WORKBENCH_ROLES = new Set(['analyst', 'admin']);
const GRAPH_MEMBER_LIMIT = 150;
/** The clusters at the top of the queue whose traffic is read ahead after each relink: the first page an analyst sees. */
const PREPARED_CLUSTERS = 10;
/**
 * An analyst's page load is a burst of requests a few hundred milliseconds long; a cluster is
 * read ahead only after a pause longer than that, so the reads do not slow the burst down.
 */
const READ_AHEAD_QUIET_MS = 1_000;

/**
 * The analyst workbench's API: sign-in with a key exchanged for a session cookie, the triage
 * queue, cluster and account views, exchanges a page at a time, verdicts and the audit log.
 * Everything under /v1/workbench takes the session cookie, never a bearer key, and every write
 * there needs the session's CSRF token in `x-csrf-token`.
 */
export async function registerWorkbenchRoutes(app: FastifyInstance, core: ServiceCore, options: WorkbenchOptions = {}): Promise<void> {
  const ttlMs = options.sessionTtlMs ?? 8 * 3600_000;
  const sessions = options.sessions ?? createSessionRegistry({ ttlMs });
  const data = options.data ?? createWorkbenchData(core);
  const clusterTraffic = options.clusterTraffic ?? createClusterTraffic(core);
  app.decorateRequest('workbenchSession', null);
  // The queue's first build reads every stored exchange once (seconds on a store of millions):
  // started when the service begins to listen, so the first analyst to sign in does not wait for it.
  app.addHook('onListen', async () => {
    void data.queue().catch((error: unknown) => core.logger.warn({ err: error }, 'the workbench queue could not be prepared at start-up; the first request builds it'));
  });
  // The top clusters' traffic is read ahead while someone works the queue: at sign-in and after
  // each relink with a session open, not for a service nobody is looking at; and a cluster at a
  // time, in the pauses between the analysts' own requests.
  const quietMs = options.readAheadQuietMs ?? READ_AHEAD_QUIET_MS;
  let requestsInFlight = 0;
  let lastRequestAt = 0;
  let closed = false;
  const whenQuiet = async (): Promise<void> => {
    for (;;) {
      if (closed) throw new Error('the service is closing');
      const quietFor = Date.now() - lastRequestAt;
      if (requestsInFlight === 0 && quietFor >= quietMs) return;
      await new Promise((resolve) => setTimeout(resolve, Math.max(50, quietMs - quietFor)).unref());
    }
  };
  const prepareTopClusters = (): void => {
    void data
      .refresh()
      .then((index) =>
        clusterTraffic.prepare(
          index.clusters.slice(0, PREPARED_CLUSTERS).flatMap((item) => {
            const cluster = index.clusterById.get(item.id);
            return cluster === undefined ? [] : [{ cluster, graphMemberIds: rankedMembers(index, cluster, data).slice(0, GRAPH_MEMBER_LIMIT).map((member) => member.account_id) }];
          }),
          whenQuiet,
        ),
      )
      .catch((error: unknown) => {
        if (!closed) core.logger.warn({ err: error }, 'the top clusters could not be read ahead; each is read when first opened');
      });
  };
  const stopPreparing = core.relink.onRelinked(() => {
    if (sessions.size > 0) prepareTopClusters();
  });
  app.addHook('onClose', async () => {
    closed = true;
    stopPreparing();
  });

  app.get('/v1/audit', { schema: { tags: ['admin'], summary: 'the audit log: verdicts, triage status and key changes, oldest first' }, config: { role: 'admin' } }, async () => ({
    entries: core.audit.entries().map(auditView),
  }));

  app.post<{ Body: { key: string } }>(
    '/v1/session',
    {
      schema: {
        tags: ['system'],
        summary: 'sign in to the workbench with an analyst or admin key; answers with a session cookie and the CSRF token',
        body: { type: 'object', required: ['key'], additionalProperties: false, properties: { key: { type: 'string', minLength: 1, maxLength: 200 } } },
      },
    },
    async (request, reply) => {
      const record = core.keys.authenticate(request.body.key);
      if (record === null) throw new UnauthorizedError('the API key is not valid (unknown, mistyped or revoked)');
      if (!WORKBENCH_ROLES.has(record.role)) {
        throw new ForbiddenError(`the workbench is for analyst and admin keys; the key ${record.keyId} has the role ${record.role}`);
      }
      const { token, session } = sessions.open(record.keyId);
      core.logger.info({ keyId: record.keyId }, 'workbench sign-in');
      void reply.header('set-cookie', sessionCookie(token, { maxAgeSeconds: Math.floor(ttlMs / 1000), secure: request.protocol === 'https' }));
      // The workbench's first page load follows a sign-in: reading ahead waits for it to pass.
      lastRequestAt = Date.now();
      prepareTopClusters();
      return reply.code(201).send(sessionView(core, session));
    },
  );

  await app.register(async (scope) => {
    const counted = new WeakSet<object>();
    const settled = async (request: object): Promise<void> => {
      if (!counted.delete(request)) return;
      requestsInFlight--;
      lastRequestAt = Date.now();
    };
    scope.addHook('onRequest', async (request) => {
      counted.add(request);
      requestsInFlight++;
      lastRequestAt = Date.now();
    });
    scope.addHook('onResponse', settled);
    scope.addHook('onRequestAbort', settled);
    scope.addHook('onRequest', async (request) => {
      const token = readCookie(request.headers.cookie, SESSION_COOKIE);
      const session = token === undefined || token === '' ? null : sessions.find(token);
      if (session === null) throw new UnauthorizedError('not signed in to the workbench, or the session has expired: sign in again');
      const key = core.keys.get(session.keyId);
      if (key === undefined || key.revokedAt !== null || !WORKBENCH_ROLES.has(key.role)) {
        sessions.close(token!);
        throw new UnauthorizedError('the key this session was opened with is no longer valid: sign in again');
      }
      request.apiKey = key;
      request.workbenchSession = session;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        const presented = request.headers[CSRF_HEADER];
        if (!sessions.csrfMatches(session, typeof presented === 'string' ? presented : undefined)) {
          throw new ForbiddenError(`a write needs the session's CSRF token in the ${CSRF_HEADER} header`);
        }
      }
    });
    registerSessionScopedRoutes(scope, core, data, clusterTraffic, sessions);
    for (const register of options.sessionRoutes ?? []) register(scope);
  });
}

function registerSessionScopedRoutes(app: FastifyInstance, core: ServiceCore, data: WorkbenchData, clusterTraffic: ClusterTrafficSource, sessions: SessionRegistry): void {
  app.get('/v1/workbench/session', { schema: { tags: ['analyst'], summary: 'who is signed in, and the CSRF token for writes' } }, async (request) => sessionView(core, request.workbenchSession!));

  app.delete('/v1/workbench/session', { schema: { tags: ['analyst'], summary: 'sign out' } }, async (request, reply) => {
    const token = readCookie(request.headers.cookie, SESSION_COOKIE)!;
    sessions.close(token);
    core.logger.info({ keyId: request.apiKey!.keyId }, 'workbench sign-out');
    return reply.header('set-cookie', clearedSessionCookie(request.protocol === 'https')).code(204).send();
  });

  app.get('/v1/workbench/summary', { schema: { tags: ['analyst'], summary: 'counts by status, and the precision of flagged items among those reviewed' } }, async () => {
    const index = await data.queue();
    const verdictOf = (target: 'account' | 'cluster', id: string) => core.book.verdictFor(target, id)?.verdict ?? null;
    const byStatus = (items: QueueIndex['clusters']) => Object.fromEntries(CASE_STATUSES.map((status) => [status, items.filter((item) => item.status === status).length]));
    return {
      version: `${index.version}-${core.audit.entries().length}`,
      built_at: new Date(index.builtAt).toISOString(),
      relinked_at: relinkedAt(core),
      clusters: { total: index.clusters.length, flagged: index.clusters.filter((item) => item.flagged).length, by_status: byStatus(index.clusters) },
      accounts: { total: index.accounts.length, flagged: index.accounts.filter((item) => item.flagged).length, by_status: byStatus(index.accounts) },
      precision: reviewPrecision(index, verdictOf),
      score_explanation: SCORE_EXPLANATION,
    };
  });

  app.get<{ Querystring: QueueQuery }>('/v1/workbench/queue', { schema: { tags: ['analyst'], summary: 'the triage queue, a page at a time', querystring: queueQuerySchema } }, async (request) => {
    const query = request.query;
    const index = await data.queue();
    const filter: QueueFilter = {
      kind: query.kind,
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.tier === undefined ? {} : { tier: query.tier }),
      ...(query.capability === undefined ? {} : { capability: query.capability }),
      ...(query.flagged === undefined ? {} : { flagged: query.flagged }),
      ...(query.min_score === undefined ? {} : { minScore: query.min_score }),
      ...(query.max_score === undefined ? {} : { maxScore: query.max_score }),
      ...(query.first_seen_from === undefined ? {} : { firstSeenFrom: parseDay(query.first_seen_from, 'first_seen_from') }),
      ...(query.first_seen_to === undefined ? {} : { firstSeenTo: parseDay(query.first_seen_to, 'first_seen_to') + 86_400_000 }),
    };
    if (query.q !== undefined && query.q.trim() !== '') {
      const found = await search(core, index, query.q.trim());
      filter.ids = query.kind === 'cluster' ? found.clusters : found.accounts;
    }
    const page = pageQueue(index, filter, { limit: query.limit, offset: query.offset });
    return { total: page.total, limit: query.limit, offset: query.offset, version: `${index.version}-${core.audit.entries().length}`, items: page.items };
  });

  const clusterOf = async (id: string) => {
    const index = await data.queue();
    const cluster = index.clusterById.get(id) ?? (await core.scoring.clusters()).find((candidate) => candidate.cluster_id === id);
    if (cluster === undefined) throw new NotFoundError(`no cluster ${id} as of the last relink`);
    const members = rankedMembers(index, cluster, data);
    return { cluster, members, graphMembers: members.slice(0, GRAPH_MEMBER_LIMIT) };
  };

  // A cluster's view comes in two parts: what the engine holds (answered at once) and what the
  // store says about its members' traffic (the graph's links, the timeline, what fills its
  // templates, the members' sign-up details), which on a store of millions of exchanges takes
  // seconds the first time; the page shows the first while the second is read.
  app.get<{ Params: { id: string } }>('/v1/workbench/clusters/:id', { schema: { tags: ['analyst'], summary: 'one cluster as the engine holds it: why, evidence, templates, members' } }, async (request) => {
    const { cluster, members } = await clusterOf(request.params.id);
    const verdict = core.book.verdictFor('cluster', cluster.cluster_id);
    return {
      cluster: {
        cluster_id: cluster.cluster_id,
        score: cluster.score,
        flagged: cluster.flagged,
        threshold: CLUSTER_THRESHOLD,
        why: flagReason(cluster.score, cluster.flagged, cluster.evidence),
        status: data.statusOf('cluster', cluster.cluster_id),
        account_count: cluster.accounts.length,
        volume: cluster.volume,
        first_seen: cluster.first_seen,
        last_seen: cluster.last_seen,
        capabilities: cluster.capabilities,
        models: cluster.models,
        indicators: cluster.indicators,
      },
      score_explanation: SCORE_EXPLANATION,
      evidence: cluster.evidence.map(evidenceView),
      templates: cluster.templates,
      members,
      verdict: verdict === undefined ? null : labelView(verdict),
      relinked_at: relinkedAt(core),
    };
  });

  app.get<{ Params: { id: string } }>(
    '/v1/workbench/clusters/:id/traffic',
    { schema: { tags: ['analyst'], summary: "one cluster's traffic from the store: graph, timeline, template fills, members' sign-up details" } },
    async (request) => {
      const { cluster, members, graphMembers } = await clusterOf(request.params.id);
      const { facts, traitUse, timeline, templateTexts } = await clusterTraffic.get(
        cluster,
        graphMembers.map((member) => member.account_id),
      );
      return {
        templates: cluster.templates.map((template, position) => {
          const stored = templateTexts[position];
          if (stored === undefined || stored === null) return { template_id: template.template_id, text: template.text, fills: [], fills_sampled: 0, fills_distinct: 0 };
          const { text, fills, sampled, distinct } = templateFills(stored.tokens, stored.texts);
          return { template_id: template.template_id, text: template.text ?? text, fills, fills_sampled: sampled, fills_distinct: distinct };
        }),
        members: Object.fromEntries(members.map(({ account_id }) => [account_id, { tier: facts.get(account_id)?.tier ?? null, payment_fingerprint: facts.get(account_id)?.paymentFingerprint ?? null }])),
        graph: { ...clusterGraph(graphMembers, traitUse, facts), members_shown: graphMembers.length, members_total: members.length },
        timeline: { capability: namedCapabilityRows(timeline.capability), model: namedRows(timeline.model) },
      };
    },
  );

  app.get<{ Params: { id: string } }>('/v1/workbench/accounts/:id', { schema: { tags: ['analyst'], summary: 'one account: evidence, timeline, sign-up details, decision' } }, async (request) => {
    const id = request.params.id;
    const account = await core.scoring.account(id);
    const [facts] = await core.readStore((store) => readAccountFacts(store, [id]));
    if (account === null && facts === undefined) throw new NotFoundError(`no traffic and no account record for ${id}`);
    const timeline = await core.readStore((store) => readTrafficTimeline(store, [id]));
    const index = await data.queue();
    const verdict = core.book.verdictFor('account', id);
    const clusterId = account?.linked_cluster_id ?? index.clusterOfAccount.get(id) ?? null;
    const cluster = clusterId === null ? undefined : index.clusterById.get(clusterId);
    return {
      account: account === null ? null : accountSummary(account),
      status: data.statusOf('account', id),
      cluster: cluster === undefined ? null : { cluster_id: cluster.cluster_id, score: cluster.score, flagged: cluster.flagged, status: data.statusOf('cluster', cluster.cluster_id) },
      score_explanation: SCORE_EXPLANATION,
      evidence: (account?.evidence ?? []).map(evidenceView),
      signup:
        facts === undefined
          ? null
          : {
              org_id: facts.orgId,
              created_at: facts.createdAt === null ? null : new Date(facts.createdAt).toISOString(),
              email_domain: facts.emailDomain,
              tier: facts.tier,
              country: facts.country,
              payment_fingerprint: facts.paymentFingerprint,
              signup_ip: facts.signupIp,
              verification: facts.verification,
            },
      timeline: { capability: namedCapabilityRows(timeline.capability), model: namedRows(timeline.model) },
      decision: core.book.decide({ accountId: id }, core.policy.current()),
      verdict: verdict === undefined ? null : labelView(verdict),
    };
  });

  app.get<{ Params: { id: string }; Querystring: { signal?: string; limit: number; offset: number } }>(
    '/v1/workbench/accounts/:id/exchanges',
    {
      schema: {
        tags: ['analyst'],
        summary: "an account's exchanges, oldest first, optionally those behind one evidence item, with the text the store kept",
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { signal: { type: 'string', maxLength: 100 }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 25 }, offset: { type: 'integer', minimum: 0, default: 0 } },
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { signal, limit, offset } = request.query;
      const index = await data.queue();
      const clusterId = index.clusterOfAccount.get(id);
      const filter = exchangeFilterFor(signal, clusterId === undefined ? undefined : index.clusterById.get(clusterId));
      const page = await core.readStore((store) => readExchangePage(store, id, filter, { limit, offset }));
      return {
        account_id: id,
        signal: signal ?? null,
        filter: signal === undefined ? 'all exchanges' : evidenceView({ signal, weight: 0, detail: '' }).exchange_filter,
        text_policy: core.config.textPolicy,
        total: page.total,
        limit,
        offset,
        exchanges: page.exchanges.map(exchangeView),
      };
    },
  );

  app.post<{ Body: { target: LabelTarget; id: string; verdict: CaseStatus; note?: string | null } }>(
    '/v1/workbench/verdicts',
    {
      schema: {
        tags: ['analyst'],
        summary: 'confirm, dismiss, watch or take up an account or cluster; confirm and dismiss are verdicts as POST /v1/labels records them',
        body: verdictBodySchema(CASE_STATUSES),
      },
    },
    async (request, reply) => {
      const { target, id, verdict, note = null } = request.body;
      const actor = { keyId: request.apiKey!.keyId };
      if (target === 'cluster' && !(await core.scoring.clusters()).some((cluster) => cluster.cluster_id === id)) {
        throw new NotFoundError(`no cluster ${id} as of the last relink`);
      }
      let label = null;
      if (verdict === 'confirmed' || verdict === 'dismissed') {
        label = await core.recordLabel({ target, targetId: id, verdict, note, analyst: actor.keyId });
        core.logger.info({ target, id, verdict, analyst: actor.keyId, labelId: label.labelId }, 'verdict recorded');
      } else {
        await core.audit.record({ action: 'status', actor, target, targetId: id, value: verdict, previous: data.statusOf(target, id), note });
      }
      await data.refresh();
      return reply.code(201).send({ target, id, status: data.statusOf(target, id), label: label === null ? null : labelView(label) });
    },
  );

  app.get<{ Querystring: { target?: string; id?: string } }>(
    '/v1/workbench/audit',
    {
      schema: {
        tags: ['analyst'],
        summary: 'the audit log, newest first: verdicts and status for analysts, key changes too for admins',
        querystring: { type: 'object', additionalProperties: false, properties: { target: { type: 'string', maxLength: 20 }, id: { type: 'string', maxLength: 512 } } },
      },
    },
    async (request) => {
      const admin = request.apiKey!.role === 'admin';
      const { target, id } = request.query;
      const entries = core.audit
        .entries()
        .filter((entry) => (admin || entry.target !== 'key') && (target === undefined || entry.target === target) && (id === undefined || entry.targetId === id))
        .slice(-500)
        .reverse();
      return { entries: entries.map(auditView) };
    },
  );
}

interface QueueQuery {
  kind: 'cluster' | 'account';
  status?: CaseStatus;
  tier?: string;
  capability?: string;
  flagged?: boolean;
  min_score?: number;
  max_score?: number;
  first_seen_from?: string;
  first_seen_to?: string;
  q?: string;
  limit: number;
  offset: number;
}

const queueQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    kind: { type: 'string', enum: ['cluster', 'account'], default: 'cluster' },
    status: { type: 'string', enum: [...CASE_STATUSES] },
    tier: { type: 'string', maxLength: 100 },
    capability: { type: 'string', maxLength: 100 },
    flagged: { type: 'boolean' },
    min_score: { type: 'number', minimum: 0, maximum: 1 },
    max_score: { type: 'number', minimum: 0, maximum: 1 },
    first_seen_from: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    first_seen_to: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    q: { type: 'string', maxLength: 200 },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    offset: { type: 'integer', minimum: 0, default: 0 },
  },
} as const;

/**
 * What a search term names: an account or cluster id, an IP (of traffic or sign-up), a payment
 * fingerprint or a template id. Clusters match directly or through a matching member.
 */
async function search(core: ServiceCore, index: QueueIndex, term: string): Promise<{ accounts: Set<string>; clusters: Set<string> }> {
  const accounts = new Set<string>();
  const clusters = new Set<string>();
  if (index.clusterById.has(term)) clusters.add(term);
  if (index.accountById.has(term)) accounts.add(term);
  // Only an address is looked for in the traffic: that scan reads every stored exchange's IP,
  // which a search for an account id or a card has no need of.
  const stored = await core.readStore(async (store) => [...(isIP(term) !== 0 ? await accountsByIp(store, term) : []), ...(await accountsByPaymentFingerprint(store, term))]);
  for (const id of stored) accounts.add(id);
  for (const cluster of index.clusterById.values()) {
    const { ips, payment_fingerprints: payments, templates } = cluster.indicators;
    if (ips.includes(term) || payments.includes(term) || templates.includes(term) || cluster.templates.some((template) => template.template_id === term)) {
      clusters.add(cluster.cluster_id);
      for (const member of cluster.accounts) accounts.add(member);
    }
  }
  for (const accountId of accounts) {
    const clusterId = index.clusterOfAccount.get(accountId);
    if (clusterId !== undefined) clusters.add(clusterId);
  }
  return { accounts, clusters };
}

/** A cluster's members with their live scores, highest first: the member table, and the head of it the graph draws. */
function rankedMembers(index: QueueIndex, cluster: ClusterFinding, data: WorkbenchData) {
  const scored = cluster.accounts.map((accountId) => {
    const assessment = index.accountById.get(accountId);
    return { account_id: accountId, score: assessment?.score ?? 0, flagged: assessment?.flagged ?? false, exchanges: assessment?.exchanges ?? 0, first_seen: assessment?.first_seen ?? null, status: data.statusOf('account', accountId) };
  });
  return scored.sort((a, b) => b.score - a.score || a.account_id.localeCompare(b.account_id));
}

function exchangeView(exchange: StoredExchange) {
  return {
    id: exchange.id,
    ts: new Date(exchange.ts).toISOString(),
    api: exchange.api,
    model: exchange.model,
    status: exchange.status,
    client_ip: exchange.clientIp,
    user_agent: exchange.userAgent,
    capability: capabilityName(exchange.capability),
    content_flags: exchange.contentFlags === null ? [] : contentFlagNames(exchange.contentFlags),
    input_tokens: exchange.inputTokens,
    output_tokens: exchange.outputTokens,
    reasoning_tokens: exchange.reasoningTokens,
    prompt_chars: exchange.promptChars,
    output_chars: exchange.outputChars,
    system_text: exchange.systemText,
    prompt_text: exchange.promptText,
    output_text: exchange.outputText,
  };
}

function parseDay(text: string, field: string): number {
  const value = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(value)) throw new UsageError(`${field} must be a date, YYYY-MM-DD`);
  return value;
}

function sessionView(core: ServiceCore, session: WorkbenchSession) {
  const key = core.keys.get(session.keyId);
  return {
    key_id: session.keyId,
    name: key?.name ?? null,
    role: key?.role ?? null,
    csrf_token: session.csrfToken,
    expires_at: new Date(session.expiresAt).toISOString(),
  };
}

function relinkedAt(core: ServiceCore): string | null {
  const at = core.relink.status().lastFinishedAt;
  return at === null ? null : new Date(at).toISOString();
}

function auditView(entry: AuditEntry) {
  return {
    audit_id: entry.auditId,
    at: new Date(entry.at).toISOString(),
    action: entry.action,
    actor: { key_id: entry.actorKeyId, name: entry.actorName },
    target: entry.target,
    id: entry.targetId,
    value: entry.value,
    previous: entry.previous,
    note: entry.note,
    detail: entry.detail === null ? null : (JSON.parse(entry.detail) as unknown),
  };
}

