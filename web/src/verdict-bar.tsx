import { useState } from 'react';
import { api, STATUS_WORDS } from './api.js';

const ACTIONS: { verdict: string; label: string; hint: string }[] = [
  { verdict: 'confirmed', label: 'Confirm', hint: 'a distillation attack: the policy acts on it (block by default)' },
  { verdict: 'dismissed', label: 'Dismiss', hint: 'not an attack: decisions allow it' },
  { verdict: 'watch', label: 'Watch', hint: 'keep an eye on it; decisions stay as the model says' },
  { verdict: 'in_review', label: 'Take up', hint: 'mark it as being reviewed' },
];

/** Records a verdict or status; a verdict on a cluster applies to its accounts. */
export function VerdictBar({ target, id, status, onRecorded }: { target: 'cluster' | 'account'; id: string; status: string; onRecorded: () => void }) {
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const record = async (verdict: string) => {
    setBusy(true);
    try {
      const result = await api.post<{ status: string }>('/v1/workbench/verdicts', { target, id, verdict, note: note === '' ? null : note });
      setMessage(`Recorded: ${STATUS_WORDS[result.status]}`);
      setNote('');
      onRecorded();
    } catch (caught) {
      setMessage(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="verdict" aria-label="Verdict">
      <span>
        Status: <strong className={`status ${status}`}>{STATUS_WORDS[status]}</strong>
      </span>
      <input aria-label="Note for the verdict" placeholder="Note (why)" value={note} onChange={(event) => setNote(event.target.value)} />
      {ACTIONS.map((action) => (
        <button key={action.verdict} type="button" title={action.hint} disabled={busy} onClick={() => void record(action.verdict)}>
          {action.label}
        </button>
      ))}
      {message && <span role="status">{message}</span>}
    </div>
  );
}
