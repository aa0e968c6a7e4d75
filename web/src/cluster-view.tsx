import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import { api, score, STATUS_WORDS, utc, type Evidence, type TimelineRow } from './api.js';
import { DataTable } from './data-table.js';
import { EvidenceList } from './evidence-list.js';
import { GraphView, type GraphEdge, type GraphNode } from './graph-view.js';
import { linkProps, navigate } from './router.js';
import { TimelineChart } from './timeline-chart.js';
import { VerdictBar } from './verdict-bar.js';

interface Member {
  account_id: string;
  score: number;
  flagged: boolean;
  exchanges: number;
  first_seen: string | null;
  status: string;
  tier?: string | null;
  payment_fingerprint?: string | null;
}

interface Template {
  template_id: string;
  text: string | null;
  exchanges: number;
  accounts: number;
}

interface TemplateFills {
  template_id: string;
  text: string | null;
  fills: { value: string; count: number }[];
  fills_sampled: number;
  fills_distinct: number;
}

/** What the engine holds about a cluster: answered at once. */
interface ClusterDetail {
  cluster: {
    cluster_id: string;
    score: number;
    flagged: boolean;
    threshold: number;
    why: string;
    status: string;
    account_count: number;
    volume: { exchanges: number };
    first_seen: string | null;
    last_seen: string | null;
    capabilities: Record<string, number>;
    models: Record<string, number>;
  };
  score_explanation: string;
  evidence: Evidence[];
  templates: Template[];
  members: Member[];
}

/** What the store says about the cluster's traffic: seconds to read the first time on a large store. */
interface ClusterTraffic {
  templates: TemplateFills[];
  members: Record<string, { tier: string | null; payment_fingerprint: string | null }>;
  graph: { nodes: GraphNode[]; edges: GraphEdge[]; members_shown: number; members_total: number };
  timeline: { capability: TimelineRow[]; model: TimelineRow[] };
}

export function ClusterView({ id, onChanged }: { id: string; onChanged: () => void }) {
  const [detail, setDetail] = useState<ClusterDetail | null>(null);
  const [traffic, setTraffic] = useState<ClusterTraffic | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [trafficError, setTrafficError] = useState<string | null>(null);
  const load = useCallback(() => {
    api
      .get<ClusterDetail>(`/v1/workbench/clusters/${encodeURIComponent(id)}`)
      .then(setDetail)
      .catch((caught: Error) => setError(caught.message));
  }, [id]);
  useEffect(load, [load]);
  // Asked for at once, beside the engine's part: it does not change with a verdict.
  useEffect(() => {
    setTraffic(null);
    setTrafficError(null);
    api
      .get<ClusterTraffic>(`/v1/workbench/clusters/${encodeURIComponent(id)}/traffic`)
      .then(setTraffic)
      .catch((caught: Error) => setTrafficError(caught.message));
  }, [id]);
  const openAccount = useCallback((accountId: string) => navigate(`/ui/accounts/${encodeURIComponent(accountId)}`), []);
  const members = useMemo(() => (detail === null ? [] : traffic === null ? detail.members : detail.members.map((member) => ({ ...member, ...traffic.members[member.account_id] }))), [detail, traffic]);
  const fillsOf = useMemo(() => new Map((traffic?.templates ?? []).map((template) => [template.template_id, template])), [traffic]);

  if (error) return <p className="error" role="alert">{error}</p>;
  if (detail === null) return <p>Loading cluster {id}…</p>;
  const { cluster } = detail;
  const pending = <TrafficPending error={trafficError} />;
  return (
    <article aria-labelledby="cluster-title">
      <h1 id="cluster-title">
        Cluster {cluster.cluster_id} <span className={cluster.flagged ? 'score flagged' : 'score'}>score {score(cluster.score)}</span>
      </h1>
      <p className={cluster.flagged ? 'why flagged' : 'why'}>{cluster.why}</p>
      <VerdictBar
        target="cluster"
        id={cluster.cluster_id}
        status={cluster.status}
        onRecorded={() => {
          load();
          onChanged();
        }}
      />
      <dl className="facts">
        <dt>Accounts</dt>
        <dd>{cluster.account_count}</dd>
        <dt>Exchanges</dt>
        <dd>{cluster.volume.exchanges.toLocaleString('en')}</dd>
        <dt>Active</dt>
        <dd>
          {utc(cluster.first_seen)} to {utc(cluster.last_seen)}
        </dd>
        <dt>Capabilities</dt>
        <dd>
          {Object.entries(cluster.capabilities)
            .sort((a, b) => b[1] - a[1])
            .map(([name, share]) => `${name} ${Math.round(share * 100)}%`)
            .join(', ') || '—'}
        </dd>
      </dl>
      <div className="columns">
        <section aria-labelledby="graph-title">
          <h2 id="graph-title">Network</h2>
          {traffic === null ? (
            pending
          ) : (
            <>
              <p className="hint">
                {traffic.graph.members_shown} of {traffic.graph.members_total} members (highest scores) and the traits at least two of them share.
              </p>
              <GraphView nodes={traffic.graph.nodes} edges={traffic.graph.edges} onAccount={openAccount} />
              <details>
                <summary>Links ({traffic.graph.edges.length}), each with what it rests on</summary>
                <ul className="links">
                  {traffic.graph.edges.map((edge) => (
                    <li key={`${edge.source}-${edge.target}`}>{edge.explanation}</li>
                  ))}
                </ul>
              </details>
            </>
          )}
        </section>
        <EvidenceList evidence={detail.evidence} explanation={detail.score_explanation} />
      </div>
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        {traffic === null ? (
          pending
        ) : (
          <div className="columns">
            <TimelineChart rows={traffic.timeline.capability} title="Exchanges per day (UTC) by capability" />
            <TimelineChart rows={traffic.timeline.model} title="Exchanges per day (UTC) by model" />
          </div>
        )}
      </section>
      <section aria-labelledby="templates-title">
        <h2 id="templates-title">Templates</h2>
        {detail.templates.length === 0 ? (
          <p>No shared prompt template.</p>
        ) : (
          <ul className="templates">
            {detail.templates.map((engineTemplate) => {
              const template = fillsOf.get(engineTemplate.template_id);
              const text = template?.text ?? engineTemplate.text;
              return (
                <li key={engineTemplate.template_id}>
                  <strong>{engineTemplate.template_id}</strong> · {engineTemplate.exchanges.toLocaleString('en')} exchanges from {engineTemplate.accounts} accounts
                  {text !== null ? (
                    <pre>{text}</pre>
                  ) : traffic === null ? (
                    pending
                  ) : (
                    <p className="hint">No stored text shows it (a store ingested with <code>--text none</code> keeps none): only its shape is known.</p>
                  )}
                  {template !== undefined && template.fills.length > 0 && (
                    <details open={template.fills.length <= 4}>
                      <summary>
                        What fills its slots ({template.fills_distinct} distinct in the newest {template.fills_sampled} of its exchanges
                        {template.fills_distinct > template.fills.length ? `; the commonest ${template.fills.length} shown` : ''})
                      </summary>
                      <ul className="fills" aria-label={`slot fills of ${template.template_id}`}>
                        {template.fills.map((fill) => (
                          <li key={fill.value}>
                            <code>{fill.value}</code>
                            {fill.count > 1 ? ` ×${fill.count}` : ''}
                          </li>
                        ))}
                      </ul>
                    </details>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        <MemberTable members={members} />
      </section>
    </article>
  );
}

/** Where a part read from the store will show, while it is read (seconds the first time on a large store). */
function TrafficPending({ error }: { error: string | null }) {
  if (error !== null) return <p className="error" role="alert">{error}</p>;
  return (
    <p className="hint pending">Reading the members’ traffic from the store…</p>
  );
}

/** The member table's columns (the rows come ranked by score from the server). */
const MEMBER_COLUMNS: ColumnDef<Member, any>[] = [
  { header: 'Account', accessorKey: 'account_id', cell: (info) => <a {...linkProps(`/ui/accounts/${encodeURIComponent(info.getValue())}`)}>{info.getValue()}</a> },
  { header: 'Score', accessorKey: 'score', cell: (info) => <span className={info.row.original.flagged ? 'score flagged' : 'score'}>{score(info.getValue())}</span> },
  { header: 'Status', accessorKey: 'status', cell: (info) => STATUS_WORDS[info.getValue()] },
  { header: 'Exchanges', accessorKey: 'exchanges', cell: (info) => Number(info.getValue()).toLocaleString('en') },
  { header: 'Tier', accessorKey: 'tier', cell: (info) => info.getValue() ?? '—' },
  { header: 'Card fingerprint', accessorKey: 'payment_fingerprint', cell: (info) => info.getValue() ?? '—' },
  { header: 'First seen (UTC)', accessorKey: 'first_seen', cell: (info) => utc(info.getValue()) },
];

/** Members shown at first and added per "show more": a campaign can have thousands, and a page that draws them all is slow to open. */
const MEMBERS_PER_PAGE = 100;

/** The members, highest score first, a hundred at a time. */
function MemberTable({ members }: { members: Member[] }) {
  const [shown, setShown] = useState(MEMBERS_PER_PAGE);
  const rows = useMemo(() => members.slice(0, shown), [members, shown]);
  return (
    <>
      <DataTable label="members" rows={rows} columns={MEMBER_COLUMNS} />
      {members.length > shown && (
        <p>
          <button type="button" onClick={() => setShown(shown + MEMBERS_PER_PAGE)}>
            Show {Math.min(MEMBERS_PER_PAGE, members.length - shown)} more
          </button>{' '}
          <span className="hint">
            {shown} of {members.length} members shown
          </span>
        </p>
      )}
    </>
  );
}
