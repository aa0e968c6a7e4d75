import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import { api, percent, utc } from './api.js';
import { DataTable } from './data-table.js';
import { linkProps } from './router.js';

// The report as `GET /v1/workbench/backtests/{id}` answers it (docs/backtest.md, "Reading a backtest").
const ACTIONS = ['allow', 'throttle', 'step_up', 'block'] as const;
const ACTED = ['throttle', 'step_up', 'block'] as const;
type Action = (typeof ACTIONS)[number];

interface PolicyReport {
  name: string;
  source: string;
  version: string;
  actions: Record<Action, { accounts: number; exchanges: number }>;
  quality: Record<(typeof ACTED)[number], { accounts: number; true_positives: number; false_positives: number; unlabelled: number; precision: number | null; recall: number | null }>;
  campaigns: { campaign: string; accounts: number; stopped_accounts: number; exchanges: number; first_stopped_at: string | null; before_first_stop_share: number | null; passed_share: number | null }[];
  at_risk: { orgs: { org_id: string; accounts: number; acted_exchanges: number }[]; accounts: { account_id: string; org_id: string | null; tier: string | null; max_action: Action; exchanges: number; truth: string | null }[] };
}

interface Change {
  account_id: string;
  org_id: string | null;
  tier: string | null;
  truth: 'positive' | 'negative' | null;
  before: { max_action: Action; stopped_at: string | null };
  after: { max_action: Action; stopped_at: string | null };
}

interface Job {
  id: string;
  status: 'running' | 'done' | 'failed';
  /** The total is known once the replay has counted the stored exchanges. */
  progress: { exchanges_read: number; exchanges_total: number | null };
  error: string | null;
  result: {
    policies: PolicyReport[];
    comparison: { accounts: Change[]; summary: Record<string, number> } | null;
    replay: { exchanges_read: number; seconds?: number };
  } | null;
}

const ACTION_WORDS: Record<Action, string> = { allow: 'allow', throttle: 'throttle', step_up: 'step up', block: 'block' };
const count = (value: number | null | undefined) => (value === null || value === undefined ? '…' : value.toLocaleString('en'));

/** Try a policy on the stored history before it goes live, beside the policy in force. */
export function BacktestView() {
  const [policy, setPolicy] = useState('version: 1\nbands:\n  - { min_score: 0.5, action: step_up }\n  - { min_score: 0.8, action: block }\n');
  const [against, setAgainst] = useState(true);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Poll while it runs; the service keeps the result until it restarts.
  useEffect(() => {
    if (job === null || job.status !== 'running') return;
    const timer = setTimeout(() => {
      api
        .get<Job>(`/v1/workbench/backtests/${encodeURIComponent(job.id)}`)
        .then(setJob)
        .catch((caught: Error) => setError(caught.message));
    }, 1000);
    return () => clearTimeout(timer);
  }, [job]);

  const run = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const body: Record<string, string> = { policy: policy.trim() };
      if (against) body.against = 'current';
      if (from !== '') body.from = new Date(`${from}T00:00:00Z`).toISOString();
      if (to !== '') body.to = new Date(`${to}T00:00:00Z`).toISOString();
      setJob(await api.post<Job>('/v1/workbench/backtests', body));
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  const running = job?.status === 'running';
  const result = job?.status === 'done' ? job.result : null;
  return (
    <section aria-labelledby="backtest-title">
      <h1 id="backtest-title">Policy backtest</h1>
      <p className="hint">
        Replays the stored exchanges in time order through the engine the service runs and decides each with the policy below, without touching live decisions. Verdicts in the store say
        which decisions were right.
      </p>
      <form onSubmit={run} className="backtest-form">
        <label htmlFor="backtest-policy">Candidate policy (YAML as for <code>serve --policy</code>, or <code>default</code> or <code>current</code>)</label>
        <textarea id="backtest-policy" rows={8} value={policy} onChange={(event) => setPolicy(event.target.value)} spellCheck={false} />
        <div className="filters">
          <label>
            <input type="checkbox" checked={against} onChange={(event) => setAgainst(event.target.checked)} /> Compare with the policy in force
          </label>
          <label>
            From (UTC day) <input type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
          </label>
          <label>
            To <input type="date" value={to} onChange={(event) => setTo(event.target.value)} />
          </label>
          <button type="submit" disabled={running || policy.trim() === ''}>
            {running ? 'Running…' : 'Run backtest'}
          </button>
        </div>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {job && running && (
        <p role="status">
          Replaying: {count(job.progress.exchanges_read)} of {count(job.progress.exchanges_total)} exchanges
          {job.progress.exchanges_total ? ` (${percent(job.progress.exchanges_read / job.progress.exchanges_total)})` : ''}
        </p>
      )}
      {job?.status === 'failed' && (
        <p className="error" role="alert">
          The backtest failed: {job.error}
        </p>
      )}
      {result && <BacktestResult policies={result.policies} comparison={result.comparison} exchanges={result.replay.exchanges_read} />}
    </section>
  );
}

function BacktestResult({ policies, comparison, exchanges }: { policies: PolicyReport[]; comparison: NonNullable<Job['result']>['comparison']; exchanges: number }) {
  const label = (report: PolicyReport) => (report.name === 'against' ? 'In force' : 'Candidate');
  const changeColumns = useMemo<ColumnDef<Change, any>[]>(
    () => [
      { header: 'Account', accessorKey: 'account_id', cell: (info) => <a {...linkProps(`/ui/accounts/${encodeURIComponent(info.getValue())}`)}>{info.getValue()}</a> },
      { header: 'Organisation', accessorKey: 'org_id', cell: (info) => info.getValue() ?? '—' },
      { header: 'Tier', accessorKey: 'tier', cell: (info) => info.getValue() ?? '—' },
      { header: 'Verdict', accessorKey: 'truth', cell: (info) => (info.getValue() === 'positive' ? 'confirmed' : info.getValue() === 'negative' ? 'dismissed' : '—') },
      { header: 'In force', id: 'before', cell: (info) => `${ACTION_WORDS[info.row.original.before.max_action]}${info.row.original.before.stopped_at ? ` from ${utc(info.row.original.before.stopped_at)}` : ''}` },
      { header: 'Candidate', id: 'after', cell: (info) => `${ACTION_WORDS[info.row.original.after.max_action]}${info.row.original.after.stopped_at ? ` from ${utc(info.row.original.after.stopped_at)}` : ''}` },
    ],
    [],
  );
  return (
    <>
      <h2>What each policy would have done ({count(exchanges)} exchanges)</h2>
      <div className="table-wrap">
        <table aria-label="accounts and exchanges per action">
          <thead>
            <tr>
              <th>Action</th>
              {policies.map((report) => (
                <th key={report.name} colSpan={2}>
                  {label(report)} <span className="hint">({report.source})</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ACTIONS.map((action) => (
              <tr key={action}>
                <th scope="row">{ACTION_WORDS[action]}</th>
                {policies.map((report) => [
                  <td key={`${report.name}-a`}>{count(report.actions[action].accounts)} accounts</td>,
                  <td key={`${report.name}-x`}>{count(report.actions[action].exchanges)} exchanges</td>,
                ])}
              </tr>
            ))}
            {ACTED.map((action) => (
              <tr key={`q-${action}`}>
                <th scope="row">{ACTION_WORDS[action]}: precision / recall on verdicts</th>
                {policies.map((report) => (
                  <td key={report.name} colSpan={2}>
                    {percent(report.quality[action].precision)} / {percent(report.quality[action].recall)} ({report.quality[action].true_positives} confirmed, {report.quality[action].false_positives} dismissed,{' '}
                    {report.quality[action].unlabelled} without a verdict)
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {policies.map((report) => (
        <div key={report.name}>
          <h2>{label(report)}: confirmed campaigns, and the customers it would hit</h2>
          {report.campaigns.length === 0 ? (
            <p className="hint">No confirmed campaign in the store: confirm clusters in the queue to see how early a policy stops them.</p>
          ) : (
            <ul>
              {report.campaigns.map((campaign) => (
                <li key={campaign.campaign}>
                  {campaign.campaign}: {campaign.stopped_accounts} of {campaign.accounts} accounts stopped, first at {utc(campaign.first_stopped_at)};{' '}
                  {percent(campaign.before_first_stop_share)} of its {count(campaign.exchanges)} exchanges had passed by then, {percent(campaign.passed_share)} passed in all
                </li>
              ))}
            </ul>
          )}
          {report.at_risk.accounts.length === 0 ? (
            <p className="hint">No enterprise, education or research account would be hit.</p>
          ) : (
            <p>
              Enterprise, education and research accounts hit:{' '}
              {report.at_risk.accounts
                .slice(0, 10)
                .map((account) => `${account.account_id} (${account.tier ?? '—'}, ${ACTION_WORDS[account.max_action]})`)
                .join('; ')}
              {report.at_risk.accounts.length > 10 ? `; and ${report.at_risk.accounts.length - 10} more` : ''}
            </p>
          )}
          {report.at_risk.orgs.length > 0 && (
            <p>
              Largest organisations hit: {report.at_risk.orgs.slice(0, 5).map((org) => `${org.org_id} (${org.accounts} accounts, ${count(org.acted_exchanges)} exchanges acted on)`).join('; ')}
            </p>
          )}
        </div>
      ))}
      {comparison && (
        <>
          <h2>Accounts the candidate treats differently</h2>
          <p className="hint">
            {comparison.summary.newly_acted ?? 0} newly acted on, {comparison.summary.no_longer_acted ?? 0} no longer, {comparison.summary.more_severe ?? 0} more severely, {comparison.summary.milder ?? 0} more
            mildly, {comparison.summary.stopped_earlier ?? 0} stopped earlier, {comparison.summary.stopped_later ?? 0} later.
          </p>
          <DataTable label="changed accounts" rows={comparison.accounts} columns={changeColumns} />
        </>
      )}
    </>
  );
}
