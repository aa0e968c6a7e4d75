import { DECISION_ACTIONS } from '../service/decisions/decision-policy.js';
import type { ActionQuality, CampaignOutcome, PolicyReport } from './backtest-report.js';
import type { BacktestResult } from './policy-backtest.js';

export interface FormatOptions {
  /** Rows listed at most in each per-account or per-campaign table. */
  top?: number;
}

/** The readable report `policy backtest` prints: the policies side by side, then lists. */
export function formatBacktest(result: BacktestResult, { top = 10 }: FormatOptions = {}): string {
  const { replay, window, truth, policies, comparison } = result;
  const lines: string[] = [];
  const span = window.first_exchange_at === null ? 'no exchanges in the window' : `${minute(window.first_exchange_at)} to ${minute(window.last_exchange_at!)}`;
  lines.push(`Policy backtest: ${n(replay.exchanges_decided)} exchanges from ${n(replay.accounts_decided)} accounts, ${span}`);
  const warmup = replay.exchanges_read - replay.exchanges_decided;
  const how = replay.trace.use === 'reused' ? `Decided from the live engine's assessments kept by an earlier replay (${replay.trace.path})` : 'Replayed through the live engine';
  lines.push(
    `${how} in ${seconds(replay.seconds.total)}: the book refreshed every ${duration(replay.step_ms)} and relinked every ${duration(replay.relink_interval_ms)} of traffic time ` +
      `(${n(replay.relinks)} relinks)${warmup > 0 ? `; ${n(warmup)} earlier exchanges replayed first, not decided` : ''}`,
  );
  if (replay.trace.use === 'recorded') lines.push(`Assessments kept in ${replay.trace.path}: another backtest of these exchanges with this schedule decides from them`);
  lines.push(
    truth.sources.length === 0
      ? 'Judged against: nothing (no verdicts in the store; pass --labels FILE for precision and recall)'
      : `Judged against: ${truth.sources.join(' and ')} (${n(truth.positives)} confirmed or attack, ${n(truth.negatives)} dismissed or benign accounts; ${n(truth.campaigns)} campaigns)` +
          (truth.unresolved_cluster_verdicts > 0 ? `; ${n(truth.unresolved_cluster_verdicts)} cluster verdicts name clusters no relink made` : ''),
  );

  const header = ['', ...policies.map((policy) => `${policy.name} (${policy.source})`)];
  lines.push('', 'Accounts (by their most severe action) / exchanges, per action');
  lines.push(...table([header, ...DECISION_ACTIONS.map((action) => [`  ${action}`, ...policies.map((policy) => `${n(policy.actions[action].accounts)} / ${n(policy.actions[action].exchanges)}`)])]));

  lines.push('', 'Precision / recall of each action (accounts that got it or a more severe one)');
  const qualityRow = (label: string, pick: (policy: PolicyReport) => ActionQuality) => [label, ...policies.map((policy) => quality(pick(policy)))];
  lines.push(
    ...table([
      header,
      qualityRow('  throttle or more', (policy) => policy.quality.throttle),
      qualityRow('  step_up or block', (policy) => policy.quality.step_up),
      qualityRow('  block', (policy) => policy.quality.block),
    ]),
  );

  const campaigns = policies[0]!.campaigns.slice(0, top);
  if (campaigns.length > 0) {
    lines.push('', 'Campaigns: first stopped (stepped up or blocked), share of volume sent before it, share allowed or throttled');
    const byName = policies.map((policy) => new Map(policy.campaigns.map((campaign) => [campaign.campaign, campaign])));
    lines.push(
      ...table([
        ['  campaign', 'accounts', 'exchanges', ...policies.map((policy) => policy.name)],
        ...campaigns.map((campaign) => [
          `  ${campaign.campaign}`,
          `${n(campaign.active_accounts)}`,
          n(campaign.exchanges),
          ...byName.map((map) => campaignCell(map.get(campaign.campaign))),
        ]),
      ]),
    );
    if (policies[0]!.campaigns.length > top) lines.push(`  ... and ${n(policies[0]!.campaigns.length - top)} more (--json has them all)`);
  }

  for (const policy of policies) {
    const heading = policies.length > 1 ? ` (${policy.name})` : '';
    if (policy.at_risk.accounts.length > 0) {
      lines.push('', `Enterprise, education and research accounts acted on${heading}: ${n(policy.at_risk.accounts.length)}`);
      lines.push(
        ...table([
          ['  account', 'org', 'tier', 'action', 'exchanges acted on', 'stopped at', 'truth'],
          ...policy.at_risk.accounts.slice(0, top).map((account) => [
            `  ${account.account_id}`,
            account.org_id ?? '-',
            account.tier ?? '-',
            account.max_action,
            `${n(account.acted_exchanges)} of ${n(account.exchanges)}`,
            account.stopped_at === null ? '-' : minute(account.stopped_at),
            account.truth ?? '-',
          ]),
        ]),
      );
    }
    if (policy.at_risk.orgs.length > 0) {
      lines.push('', `Largest organisations acted on${heading}`);
      lines.push(
        ...table([
          ['  org', 'accounts', 'throttled', 'stepped up', 'blocked', 'exchanges acted on'],
          ...policy.at_risk.orgs.slice(0, top).map((org) => [`  ${org.org_id}`, n(org.accounts), n(org.hit.throttle), n(org.hit.step_up), n(org.hit.block), n(org.acted_exchanges)]),
        ]),
      );
    }
    if (policy.first_stops.length > 0) {
      lines.push('', `First stops${heading}: ${n(policy.first_stops.length)} accounts stepped up or blocked, earliest first`);
      lines.push(
        ...table([
          ['  account', 'stopped at', 'blocked at', 'exchanges before', 'truth', 'why'],
          ...policy.first_stops.slice(0, top).map((stop) => [
            `  ${stop.account_id}`,
            minute(stop.stopped_at),
            stop.blocked_at === null ? '-' : minute(stop.blocked_at),
            n(stop.exchanges_before),
            stop.truth ?? '-',
            stop.reason ?? '-',
          ]),
        ]),
      );
    }
  }

  if (comparison !== null) {
    const [candidate, current] = policies as [PolicyReport, PolicyReport];
    const s = comparison.summary;
    lines.push(
      '',
      `Changes from ${current.name} to ${candidate.name}: ${n(comparison.accounts.length)} accounts; ${n(s.newly_acted)} newly acted on, ${n(s.no_longer_acted)} no longer, ` +
        `${n(s.more_severe)} more severely, ${n(s.milder)} more mildly; ${n(s.stopped_earlier)} stopped earlier, ${n(s.stopped_later)} later`,
    );
    if (comparison.accounts.length > 0) {
      lines.push(
        ...table([
          ['  account', 'org', 'tier', 'truth', `${current.name} → ${candidate.name}`, 'stopped at', 'blocked at'],
          ...comparison.accounts.slice(0, top).map((change) => [
            `  ${change.account_id}`,
            change.org_id ?? '-',
            change.tier ?? '-',
            change.truth ?? '-',
            `${change.before.max_action} → ${change.after.max_action}`,
            `${optionalMinute(change.before.stopped_at)} → ${optionalMinute(change.after.stopped_at)}`,
            `${optionalMinute(change.before.blocked_at)} → ${optionalMinute(change.after.blocked_at)}`,
          ]),
        ]),
      );
      if (comparison.accounts.length > top) lines.push(`  ... and ${n(comparison.accounts.length - top)} more (--json has them all)`);
    }
  }
  // From a trace the rows are read on this thread; through the engine a reader thread reads ahead.
  const waiting = replay.trace.use === 'reused' ? '' : ' (waiting for rows)';
  lines.push('', `Time: read ${seconds(replay.seconds.read)}${waiting}, observe ${seconds(replay.seconds.observe)}, score ${seconds(replay.seconds.score)}, relink ${seconds(replay.seconds.relink)}, decide ${seconds(replay.seconds.decide)}`);
  return lines.join('\n') + '\n';
}

function campaignCell(campaign: CampaignOutcome | undefined): string {
  if (campaign === undefined || campaign.exchanges === 0) return '-';
  const stopped = campaign.first_stopped_at === null ? 'never stopped' : minute(campaign.first_stopped_at);
  return `${stopped}, ${percent(campaign.before_first_stop_share)} before, ${percent(campaign.passed_share)} passed`;
}

function quality(value: ActionQuality): string {
  const ratio = (x: number | null) => (x === null ? '-' : x.toFixed(3));
  return `${ratio(value.precision)} / ${ratio(value.recall)} (${n(value.accounts)} accounts: ${n(value.true_positives)} tp, ${n(value.false_positives)} fp, ${n(value.unlabelled)} unlabelled)`;
}

/** Left-aligned columns, two spaces apart. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index]!))).join('  ').trimEnd());
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}

function percent(share: number | null): string {
  return share === null ? '-' : `${(share * 100).toFixed(1)}%`;
}

function minute(iso: string): string {
  return `${iso.slice(0, 16)}Z`;
}

function optionalMinute(iso: string | null): string {
  return iso === null ? '-' : minute(iso);
}

function seconds(value: number): string {
  if (value < 60) return `${value.toFixed(1)} s`;
  const minutes = Math.floor(value / 60);
  return `${minutes} min ${Math.round(value - minutes * 60)} s`;
}

function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
