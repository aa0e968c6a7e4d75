import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, ApiError, percent, setCsrfToken, utc, type Session } from './api.js';
import { AccountView } from './account-view.js';
import { AuditView } from './audit-view.js';
import { BacktestView } from './backtest-view.js';
import { ClusterView } from './cluster-view.js';
import { QueueView } from './queue-view.js';
import { SignIn } from './sign-in.js';
import { navigate, usePath } from './router.js';
import 'uplot/dist/uPlot.min.css';
import './styles.css';

interface Summary {
  version: string;
  relinked_at: string | null;
  precision: Record<'accounts' | 'clusters', { reviewed: number; confirmed: number; precision: number | null }>;
}

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [summary, setSummary] = useState<Summary | null>(null);
  const path = usePath();

  useEffect(() => {
    api
      .get<Session>('/v1/workbench/session')
      .then((current) => {
        setCsrfToken(current.csrf_token);
        setSession(current);
      })
      .catch(() => setSession(null));
  }, []);

  const refreshSummary = useCallback(() => {
    api
      .get<Summary>('/v1/workbench/summary')
      .then(setSummary)
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) setSession(null);
      });
  }, []);

  // Live: the summary carries a version of what the queue shows; views refetch when it moves.
  useEffect(() => {
    if (!session) return;
    refreshSummary();
    const timer = setInterval(refreshSummary, 5000);
    return () => clearInterval(timer);
  }, [session, refreshSummary]);

  if (session === undefined) return <main className="page">Loading…</main>;
  if (session === null) {
    return (
      <SignIn
        onSignedIn={(opened) => {
          setCsrfToken(opened.csrf_token);
          setSession(opened);
        }}
      />
    );
  }

  const signOut = async () => {
    await api.delete('/v1/workbench/session').catch(() => undefined);
    setCsrfToken(null);
    setSession(null);
    navigate('/ui/');
  };

  const version = summary?.version ?? '';
  let view;
  const pathname = path.split('?')[0]!;
  const cluster = /^\/ui\/clusters\/([^/]+)$/.exec(pathname);
  const account = /^\/ui\/accounts\/([^/]+)$/.exec(pathname);
  if (cluster) view = <ClusterView id={decodeURIComponent(cluster[1]!)} onChanged={refreshSummary} />;
  else if (account) view = <AccountView id={decodeURIComponent(account[1]!)} onChanged={refreshSummary} />;
  else if (pathname.startsWith('/ui/audit')) view = <AuditView />;
  else if (pathname.startsWith('/ui/backtest')) view = <BacktestView />;
  else view = <QueueView version={version} />;

  const precision = summary?.precision;
  return (
    <>
      <header className="top">
        <a href="/ui/" onClick={(event) => (event.preventDefault(), navigate('/ui/'))} className="brand">
          distillguard workbench
        </a>
        <nav>
          <a href="/ui/" onClick={(event) => (event.preventDefault(), navigate('/ui/'))}>Queue</a>
          <a href="/ui/audit" onClick={(event) => (event.preventDefault(), navigate('/ui/audit'))}>Audit log</a>
          <a href="/ui/backtest" onClick={(event) => (event.preventDefault(), navigate('/ui/backtest'))}>Backtest</a>
        </nav>
        {precision && (
          <span className="precision" title="Among flagged items that carry a confirmed or dismissed verdict, the share confirmed">
            Precision of flagged among reviewed: accounts {percent(precision.accounts.precision)} ({precision.accounts.confirmed}/{precision.accounts.reviewed}), clusters{' '}
            {percent(precision.clusters.precision)} ({precision.clusters.confirmed}/{precision.clusters.reviewed})
          </span>
        )}
        <span className="who">
          {session.name ?? session.key_id} ({session.role}) · relinked {utc(summary?.relinked_at)}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main className="page">{view}</main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
