import { useEffect, useMemo, useState } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import { api, STATUS_WORDS, utc } from './api.js';
import { DataTable } from './data-table.js';
import { linkProps } from './router.js';

interface Entry {
  audit_id: number;
  at: string;
  action: string;
  actor: { key_id: string; name: string | null };
  target: string;
  id: string;
  value: string;
  previous: string | null;
  note: string | null;
}

export function AuditView() {
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<{ entries: Entry[] }>('/v1/workbench/audit')
      .then((result) => setEntries(result.entries))
      .catch((caught: Error) => setError(caught.message));
  }, []);
  const columns = useMemo<ColumnDef<Entry, any>[]>(
    () => [
      { header: 'When (UTC)', accessorKey: 'at', cell: (info) => utc(info.getValue(), true) },
      { header: 'Who', id: 'who', cell: (info) => `${info.row.original.actor.name ?? '(no name)'} · ${info.row.original.actor.key_id}` },
      { header: 'What', accessorKey: 'action', cell: (info) => String(info.getValue()).replaceAll('_', ' ') },
      {
        header: 'On',
        id: 'on',
        cell: (info) => {
          const entry = info.row.original;
          if (entry.target === 'key') return `key ${entry.id}`;
          return <a {...linkProps(`/ui/${entry.target === 'cluster' ? 'clusters' : 'accounts'}/${encodeURIComponent(entry.id)}`)}>{`${entry.target} ${entry.id}`}</a>;
        },
      },
      { header: 'Now', accessorKey: 'value', cell: (info) => STATUS_WORDS[info.getValue()] ?? info.getValue() },
      { header: 'Replaced', accessorKey: 'previous', cell: (info) => (info.getValue() === null ? '—' : (STATUS_WORDS[info.getValue()] ?? info.getValue())) },
      { header: 'Note', accessorKey: 'note', cell: (info) => info.getValue() ?? '' },
    ],
    [],
  );
  if (error) return <p className="error" role="alert">{error}</p>;
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <p className="hint">Every verdict and status change{' '}(and, for admins, every key change), newest first. Entries are never changed or removed.</p>
      <DataTable label="audit log" rows={entries ?? []} columns={columns} />
    </section>
  );
}
