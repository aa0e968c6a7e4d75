import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import { api, query, score, utc, type Evidence, type TimelineRow } from './api.js';
import { DataTable } from './data-table.js';
import { EvidenceList } from './evidence-list.js';
import { linkProps, navigate, usePath } from './router.js';
import { TimelineChart } from './timeline-chart.js';
import { VerdictBar } from './verdict-bar.js';

interface AccountDetail {
  account: { account_id: string; score: number; flagged: boolean; volume: { exchanges: number }; capabilities: Record<string, number>; tier: string | null; first_seen: string | null; last_seen: string | null } | null;
  status: string;
  cluster: { cluster_id: string; score: number; flagged: boolean; status: string } | null;
  score_explanation: string;
  evidence: Evidence[];
  signup: Record<string, string | null> | null;
  timeline: { capability: TimelineRow[]; model: TimelineRow[] };
  decision: { action: string; reasons: { code: string; detail: string }[] };
}

interface Exchange {
  id: string;
  ts: string;
  model: string;
  api: string;
  status: number | null;
  client_ip: string | null;
  capability: string | null;
  content_flags: string[];
  prompt_chars: number | null;
  output_chars: number | null;
  system_text: string | null;
  prompt_text: string | null;
  output_text: string | null;
}

interface ExchangePage {
  total: number;
  filter: string;
  text_policy: string;
  exchanges: Exchange[];
}

const PAGE = 20;

export function AccountView({ id, onChanged }: { id: string; onChanged: () => void }) {
  const path = usePath();
  const signal = new URLSearchParams(path.split('?')[1] ?? '').get('signal') ?? undefined;
  const [detail, setDetail] = useState<AccountDetail | null>(null);
  const [exchanges, setExchanges] = useState<ExchangePage | null>(null);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api
      .get<AccountDetail>(`/v1/workbench/accounts/${encodeURIComponent(id)}`)
      .then(setDetail)
      .catch((caught: Error) => setError(caught.message));
  }, [id]);
  useEffect(load, [load]);
  useEffect(() => setOffset(0), [signal]);
  useEffect(() => {
    api
      .get<ExchangePage>(`/v1/workbench/accounts/${encodeURIComponent(id)}/exchanges${query({ signal, limit: PAGE, offset })}`)
      .then(setExchanges)
      .catch((caught: Error) => setError(caught.message));
  }, [id, signal, offset]);

  const columns = useMemo<ColumnDef<Exchange, any>[]>(
    () => [
      { header: 'Time (UTC)', accessorKey: 'ts', cell: (info) => utc(info.getValue(), true) },
      { header: 'Model', accessorKey: 'model' },
      { header: 'Capability', accessorKey: 'capability', cell: (info) => info.getValue() ?? '—' },
      { header: 'Signals', accessorKey: 'content_flags', cell: (info) => (info.getValue() as string[]).join(', ') || '—' },
      {
        header: 'Prompt',
        accessorKey: 'prompt_text',
        cell: (info) => <span className="text">{info.getValue() ?? `(text not kept: ${info.row.original.prompt_chars ?? 0} characters)`}</span>,
      },
      {
        header: 'Output',
        accessorKey: 'output_text',
        cell: (info) => <span className="text">{info.getValue() ?? `(text not kept: ${info.row.original.output_chars ?? 0} characters)`}</span>,
      },
      { header: 'IP', accessorKey: 'client_ip', cell: (info) => info.getValue() ?? '—' },
    ],
    [],
  );

  if (error) return <p className="error" role="alert">{error}</p>;
  if (detail === null) return <p>Loading account {id}…</p>;
  const account = detail.account;
  const evidenceLink = (item: Evidence) => {
    const target = `/ui/accounts/${encodeURIComponent(id)}${query({ signal: item.signal })}#exchanges`;
    return {
      href: target,
      onClick: (event: React.MouseEvent) => {
        event.preventDefault();
        navigate(target.replace('#exchanges', ''));
        requestAnimationFrame(() => document.getElementById('exchanges')?.scrollIntoView());
      },
    };
  };
  return (
    <article aria-labelledby="account-title">
      <h1 id="account-title">
        Account {id} {account && <span className={account.flagged ? 'score flagged' : 'score'}>score {score(account.score)}</span>}
      </h1>
      <p>
        Decision now: <strong className={`action ${detail.decision.action}`}>{detail.decision.action}</strong> — {detail.decision.reasons[0]?.detail}
        {detail.cluster && (
          <>
            {' '}
            · cluster <a {...linkProps(`/ui/clusters/${encodeURIComponent(detail.cluster.cluster_id)}`)}>{detail.cluster.cluster_id}</a> (score {score(detail.cluster.score)})
          </>
        )}
      </p>
      <VerdictBar
        target="account"
        id={id}
        status={detail.status}
        onRecorded={() => {
          load();
          onChanged();
        }}
      />
      <div className="columns">
        <EvidenceList evidence={detail.evidence} explanation={detail.score_explanation} linkFor={evidenceLink} />
        <section aria-labelledby="signup-title">
          <h2 id="signup-title">Sign-up</h2>
          {detail.signup === null ? (
            <p>No account record in the store.</p>
          ) : (
            <dl className="facts">
              {Object.entries(detail.signup).map(([key, value]) => (
                <div key={key}>
                  <dt>{key.replaceAll('_', ' ')}</dt>
                  <dd>{key === 'created_at' ? utc(value) : (value ?? '—')}</dd>
                </div>
              ))}
            </dl>
          )}
          {account && (
            <p>
              {account.volume.exchanges.toLocaleString('en')} exchanges, {utc(account.first_seen)} to {utc(account.last_seen)}
            </p>
          )}
        </section>
      </div>
      <section aria-labelledby="account-timeline-title">
        <h2 id="account-timeline-title">Timeline</h2>
        <div className="columns">
          <TimelineChart rows={detail.timeline.capability} title="Exchanges per day (UTC) by capability" />
          <TimelineChart rows={detail.timeline.model} title="Exchanges per day (UTC) by model" />
        </div>
      </section>
      <section id="exchanges" aria-labelledby="exchanges-title">
        <h2 id="exchanges-title">Exchanges</h2>
        {exchanges && (
          <p className="hint">
            {signal ? (
              <>
                Behind <strong>{signal.replaceAll('_', ' ')}</strong>: {exchanges.filter}. <a {...linkProps(`/ui/accounts/${encodeURIComponent(id)}`)}>Show all</a>
              </>
            ) : (
              'All exchanges, oldest first.'
            )}{' '}
            {exchanges.total.toLocaleString('en')} in the store; text as the store keeps it (--text {exchanges.text_policy}).
          </p>
        )}
        <DataTable label="exchanges" rows={exchanges?.exchanges ?? []} columns={columns} />
        {exchanges && (
          <div className="pager">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Previous
            </button>
            <span>
              {exchanges.total === 0 ? 0 : offset + 1}–{Math.min(offset + PAGE, exchanges.total)} of {exchanges.total.toLocaleString('en')}
            </span>
            <button type="button" disabled={offset + PAGE >= exchanges.total} onClick={() => setOffset(offset + PAGE)}>
              Next
            </button>
          </div>
        )}
      </section>
    </article>
  );
}
