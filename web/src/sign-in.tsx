import { useState, type FormEvent } from 'react';
import { api, ApiError, type Session } from './api.js';

/**
 * The key goes in the body of one POST and nowhere else: not in the address, not in storage;
 * the field is cleared whatever the answer.
 */
export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [key, setKey] = useState('');
  const [refused, setRefused] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const presented = key;
    setKey('');
    try {
      onSignedIn(await api.post<Session>('/v1/session', { key: presented }));
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 403) setRefused(caught.message);
      else setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  if (refused !== null) {
    return (
      <main className="page narrow" role="alert">
        <h1>Access refused</h1>
        <p>{refused}.</p>
        <p>The workbench is for people who review cases. Ask an admin for an analyst key (`distillguard keys create --role analyst`).</p>
        <button type="button" onClick={() => setRefused(null)}>
          Sign in with another key
        </button>
      </main>
    );
  }

  return (
    <main className="page narrow">
      <h1>distillguard workbench</h1>
      <form onSubmit={submit} autoComplete="off">
        <label htmlFor="key">Analyst or admin API key</label>
        <input id="key" name="key" type="password" value={key} onChange={(event) => setKey(event.target.value)} autoFocus required spellCheck={false} />
        <button type="submit" disabled={busy || key === ''}>
          Sign in
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
      <p className="hint">The key is exchanged for a session cookie that ends after a working day or at sign-out.</p>
    </main>
  );
}
