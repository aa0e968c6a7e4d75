import type { FastifyInstance } from 'fastify';
import type { ClusterFinding } from '../../model/findings.js';
import type { LabelTarget, LabelVerdict } from '../../store/service-tables.js';
import { NotFoundError } from '../../util/errors.js';
import { accountSchema, clusterSchema, clustersSchema, listLabelsSchema, postLabelSchema } from './api-schemas.js';
import { labelView } from './label-view.js';
import type { ServiceCore } from '../service-core.js';

export function registerAnalystRoutes(app: FastifyInstance, core: ServiceCore): void {
  app.get<{ Params: { id: string } }>('/v1/accounts/:id', { schema: accountSchema, config: { role: 'analyst' } }, async (request) => {
    const id = request.params.id;
    const account = await core.scoring.account(id);
    const verdict = core.book.verdictFor('account', id) ?? null;
    if (account === null && verdict === null) throw new NotFoundError(`no traffic and no verdict for the account ${id}`);
    return {
      account: account ?? { account_id: id, score: 0, flagged: false, cluster_id: null, evidence: [] },
      decision: core.book.decide({ accountId: id }, core.policy.current()),
      verdict: verdict === null ? null : labelView(verdict),
    };
  });

  app.get<{ Querystring: { flagged?: boolean; limit: number; offset: number } }>(
    '/v1/clusters',
    { schema: clustersSchema, config: { role: 'analyst' } },
    async (request) => {
      const { flagged, limit, offset } = request.query;
      const clusters = (await core.scoring.clusters()).filter((cluster) => flagged === undefined || cluster.flagged === flagged);
      const relinkedAt = core.relink.status().lastFinishedAt;
      return {
        total: clusters.length,
        relinked_at: relinkedAt === null ? null : new Date(relinkedAt).toISOString(),
        clusters: clusters.slice(offset, offset + limit).map((cluster) => clusterSummary(cluster, core.book.verdictFor('cluster', cluster.cluster_id)?.verdict ?? null)),
      };
    },
  );

  app.get<{ Params: { id: string } }>('/v1/clusters/:id', { schema: clusterSchema, config: { role: 'analyst' } }, async (request) => {
    const cluster = (await core.scoring.clusters()).find((candidate) => candidate.cluster_id === request.params.id);
    if (cluster === undefined) throw new NotFoundError(`no cluster ${request.params.id} as of the last relink`);
    const verdict = core.book.verdictFor('cluster', cluster.cluster_id);
    return { cluster, verdict: verdict === undefined ? null : labelView(verdict) };
  });

  app.post<{ Body: { target: LabelTarget; id: string; verdict: LabelVerdict; note?: string | null } }>(
    '/v1/labels',
    { schema: postLabelSchema, config: { role: 'analyst' } },
    async (request, reply) => {
      const { target, id, verdict, note = null } = request.body;
      // An account may be judged before its traffic arrives (a known bad actor); a cluster
      // only exists once a relink has made it.
      if (target === 'cluster' && !(await core.scoring.clusters()).some((cluster) => cluster.cluster_id === id)) {
        throw new NotFoundError(`no cluster ${id} as of the last relink`);
      }
      const label = await core.recordLabel({ target, targetId: id, verdict, note, analyst: request.apiKey!.keyId });
      core.logger.info({ target, id, verdict, analyst: label.analyst, labelId: label.labelId }, 'verdict recorded');
      return reply.code(201).send(labelView(label));
    },
  );

  app.get('/v1/labels', { schema: listLabelsSchema, config: { role: 'analyst' } }, async () => {
    const latest = new Map<string, ReturnType<typeof core.labels>[number]>();
    for (const label of core.labels()) latest.set(`${label.target}:${label.targetId}`, label);
    return { labels: [...latest.values()].map(labelView) };
  });
}

function clusterSummary(cluster: ClusterFinding, verdict: LabelVerdict | null) {
  return {
    cluster_id: cluster.cluster_id,
    score: cluster.score,
    flagged: cluster.flagged,
    account_count: cluster.accounts.length,
    exchanges: cluster.volume.exchanges,
    capabilities: cluster.capabilities,
    first_seen: cluster.first_seen,
    last_seen: cluster.last_seen,
    top_evidence: cluster.evidence.slice(0, 3),
    verdict,
  };
}
