import { useEffect, useMemo, useRef, useState } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import { api, query, score, STATUS_WORDS, STATUSES, utc, type QueueItem } from './api.js';
import { DataTable } from './data-table.js';
import { navigate } from './router.js';

const CAPABILITIES = ['chat', 'coding', 'math', 'reasoning', 'agentic', 'data_analysis', 'writing', 'vision', 'computer_use'];
const PAGE = 50;

interface Filters {
  kind: 'cluster' | 'account';
  status: string;
  tier: string;
  capability: string;
  min_score: string;
  max_score: string;
  first_seen_from: string;
  first_seen_to: string;
  q: string;
  offset: number;
}

const INITIAL: Filters = { kind: 'cluster', status: '', tier: '', capability: '', min_score: '', max_score: '', first_seen_from: '', first_seen_to: '', q: '', offset: 0 };

function pathOf(item: QueueItem): string {
  return item.kind === 'cluster' ? `/ui/clusters/${encodeURIComponent(item.id)}` : `/ui/accounts/${encodeURIComponent(item.id)}`;
}

/**
 * The triage queue. Keys: j/k or the arrows move, Enter opens, / searches, n and p page;
 * it refetches when the server's version moves, keeping the filters and page.
 */
export function QueueView({ version }: { version: string }) {
  const [filters, setFilters] = useState<Filters>(() => {
    const saved = sessionStorage.getItem('queue-filters');
    return saved === null ? INITIAL : { ...INITIAL, ...(JSON.parse(saved) as Partial<Filters>) };
  });
  const [search, setSearch] = useState(filters.q);
  const [page, setPage] = useState<{ total: number; items: QueueItem[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const previous = useRef<Map<string, number>>(new Map());
  const searchBox = useRef<HTMLInputElement>(null);

  useEffect(() => sessionStorage.setItem('queue-filters', JSON.stringify(filters)), [filters]);

  useEffect(() => {
    let live = true;
    const { offset, ...rest } = filters;
    api
      .get<{ total: number; items: QueueItem[] }>(`/v1/workbench/queue${query({ ...rest, offset, limit: PAGE })}`)
      .then((result) => {
        if (!live) return;
        // Items that are new or re-scored since the last fetch are marked until the next one.
        const changed = new Set(result.items.filter((item) => previous.current.size > 0 && previous.current.get(item.id) !== item.score).map((item) => item.id));
        previous.current = new Map(result.items.map((item) => [item.id, item.score]));
        setFresh(changed);
        setPage(result);
        setError(null);
      })
      .catch((caught: Error) => live && setError(caught.message));
    return () => {
      live = false;
    };
  }, [filters, version]);

  const set = (patch: Partial<Filters>) => {
    previous.current = new Map();
    setSelected(0);
    setFilters((current) => ({ ...current, offset: 0, ...patch }));
  };

  const items = page?.items ?? [];
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA') return;
      if (event.key === 'j' || event.key === 'ArrowDown') setSelected((index) => Math.min(index + 1, items.length - 1));
      else if (event.key === 'k' || event.key === 'ArrowUp') setSelected((index) => Math.max(index - 1, 0));
      else if (event.key === 'Enter' && items[selected]) navigate(pathOf(items[selected]!));
      else if (event.key === '/') searchBox.current?.focus();
      else if (event.key === 'n' && page && filters.offset + PAGE < page.total) setFilters((current) => ({ ...current, offset: current.offset + PAGE }));
      else if (event.key === 'p' && filters.offset > 0) setFilters((current) => ({ ...current, offset: Math.max(0, current.offset - PAGE) }));
      else return;
      event.preventDefault();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [items, selected, page, filters.offset]);

  const columns = useMemo<ColumnDef<QueueItem, any>[]>(
    () => [
      { header: 'Score', accessorKey: 'score', cell: (info) => <span className={info.row.original.flagged ? 'score flagged' : 'score'}>{score(info.getValue())}</span> },
      {
        header: filters.kind === 'cluster' ? 'Cluster' : 'Account',
        accessorKey: 'id',
        cell: (info) => (
          <a href={pathOf(info.row.original)} onClick={(event) => (event.preventDefault(), navigate(pathOf(info.row.original)))}>
            {info.getValue()}
            {fresh.has(info.row.original.id) && <span className="badge fresh"> updated</span>}
          </a>
        ),
      },
      { header: 'Status', accessorKey: 'status', cell: (info) => <span className={`status ${info.getValue()}`}>{STATUS_WORDS[info.getValue()]}</span> },
      { header: 'Flagged', accessorKey: 'flagged', cell: (info) => (info.getValue() ? 'yes' : 'no') },
      { header: filters.kind === 'cluster' ? 'Accounts' : 'Cluster', id: 'size', cell: (info) => (filters.kind === 'cluster' ? info.row.original.accounts : (info.row.original.cluster_id ?? '—')) },
      { header: 'Exchanges', accessorKey: 'exchanges', cell: (info) => Number(info.getValue()).toLocaleString('en') },
      { header: 'Capability', accessorKey: 'capability', cell: (info) => info.getValue() ?? '—' },
      { header: 'Tier', accessorKey: 'tiers', cell: (info) => (info.getValue() as string[]).join(', ') || '—' },
      { header: 'First seen (UTC)', accessorKey: 'first_seen', cell: (info) => utc(info.getValue()) },
      { header: 'Strongest evidence', id: 'evidence', cell: (info) => info.row.original.top_evidence.map((item) => item.signal.replaceAll('_', ' ')).join(', ') || '—' },
    ],
    [filters.kind, fresh],
  );

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">Queue</h1>
      <div className="filters" role="search">
        <div className="segmented" role="group" aria-label="List">
          <button type="button" aria-pressed={filters.kind === 'cluster'} onClick={() => set({ kind: 'cluster' })}>
            Clusters
          </button>
          <button type="button" aria-pressed={filters.kind === 'account'} onClick={() => set({ kind: 'account' })}>
            Accounts
          </button>
        </div>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            set({ q: search });
          }}
        >
          <input
            ref={searchBox}
            aria-label="Search by account id, IP, payment fingerprint or template id"
            placeholder="Search: account, IP, card fingerprint, template (/)"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </form>
        <label>
          Status{' '}
          <select value={filters.status} onChange={(event) => set({ status: event.target.value })}>
            <option value="">any</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {STATUS_WORDS[status]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Capability{' '}
          <select value={filters.capability} onChange={(event) => set({ capability: event.target.value })}>
            <option value="">any</option>
            {CAPABILITIES.map((capability) => (
              <option key={capability}>{capability}</option>
            ))}
          </select>
        </label>
        <label>
          Tier <input className="short" value={filters.tier} onChange={(event) => set({ tier: event.target.value })} />
        </label>
        <label>
          Score{' '}
          <input className="short" type="number" min={0} max={1} step={0.05} aria-label="lowest score" value={filters.min_score} onChange={(event) => set({ min_score: event.target.value })} />
          –
          <input className="short" type="number" min={0} max={1} step={0.05} aria-label="highest score" value={filters.max_score} onChange={(event) => set({ max_score: event.target.value })} />
        </label>
        <label>
          First seen (UTC){' '}
          <input type="date" aria-label="first seen from" value={filters.first_seen_from} onChange={(event) => set({ first_seen_from: event.target.value })} />
          –
          <input type="date" aria-label="first seen to" value={filters.first_seen_to} onChange={(event) => set({ first_seen_to: event.target.value })} />
        </label>
        <button
          type="button"
          onClick={() => {
            setSearch('');
            set({ ...INITIAL, kind: filters.kind });
          }}
        >
          Clear
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p className="hint">
        {page ? `${page.total.toLocaleString('en')} ${filters.kind === 'cluster' ? 'clusters' : 'accounts'}, highest score first` : 'Loading…'} · keys: j/k move, Enter opens, / searches, n/p page
      </p>
      <DataTable label="queue" rows={items} columns={columns} selected={selected} onRowClick={(row) => navigate(pathOf(row))} />
      {page && (
        <div className="pager">
          <button type="button" disabled={filters.offset === 0} onClick={() => setFilters((current) => ({ ...current, offset: Math.max(0, current.offset - PAGE) }))}>
            Previous
          </button>
          <span>
            {page.total === 0 ? 0 : filters.offset + 1}–{Math.min(filters.offset + PAGE, page.total)} of {page.total.toLocaleString('en')}
          </span>
          <button type="button" disabled={filters.offset + PAGE >= page.total} onClick={() => setFilters((current) => ({ ...current, offset: current.offset + PAGE }))}>
            Next
          </button>
        </div>
      )}
    </section>
  );
}
