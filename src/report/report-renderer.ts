import { createHash } from 'node:crypto';
import type { AccountFinding, ClusterFinding, Findings } from '../model/findings.js';
import { buildAccountsTableData } from './accounts-table-data.js';
import { renderClusterDetail, renderClusterList, type ClusterSectionOptions } from './cluster-sections.js';
import { jsonForScript } from './html-escape.js';
import { formatCount, formatScore, formatShare, formatSpan, formatTimestamp } from './report-format.js';
import { REPORT_SCRIPT } from './report-script.js';
import { scoreDistributionChart } from './svg-charts.js';
import { REPORT_CSS } from './report-styles.js';
import { html, trustedHtml, type SafeHtml } from './safe-html.js';

export interface ReportOptions {
  /** Shown as the page heading; defaults to "distillguard report". */
  title?: string;
  /** Members listed in each cluster's detail view; every account is in the accounts table. */
  membersPerCluster?: number;
  /** Evidence items per account in the accounts table, highest weight first. */
  evidencePerAccount?: number;
  /** Longest evidence detail in the accounts table, in characters. */
  evidenceChars?: number;
  indicatorsPerKind?: number;
  templatesPerCluster?: number;
  /** Longest template text shown, in characters. */
  templateChars?: number;
  examplesPerEvidence?: number;
  exampleChars?: number;
}

// The hash lets the Content-Security-Policy allow exactly this script and nothing else.
const SCRIPT_HASH = `sha256-${createHash('sha256').update(REPORT_SCRIPT).digest('base64')}`;

/**
 * Renders a findings document as one self-contained HTML file: inline styles, script and SVG
 * charts, no request of any kind (its Content-Security-Policy forbids them), readable offline
 * and, except for the accounts table, with scripts off. Every string from the findings is
 * escaped. Sized for 150,000 accounts and 1,000 clusters: clusters are static markup, the
 * accounts table is drawn a page at a time from an embedded JSON blob.
 *
 * @example writeFileSync('report.html', renderReportHtml(findings));
 */
export function renderReportHtml(
  findings: Findings,
  {
    title = 'distillguard report',
    membersPerCluster = 100,
    evidencePerAccount = 3,
    evidenceChars = 200,
    indicatorsPerKind = 12,
    templatesPerCluster = 5,
    templateChars = 600,
    examplesPerEvidence = 3,
    exampleChars = 240,
  }: ReportOptions = {},
): string {
  const clusters = rankClusters(findings.clusters);
  const accounts = [...findings.accounts].sort((a, b) => b.score - a.score);
  const accountsById = new Map<string, AccountFinding>(accounts.map((account) => [account.account_id, account]));
  const viewOptions: ClusterSectionOptions = { membersPerCluster, indicatorsPerKind, templatesPerCluster, templateChars, examplesPerEvidence, exampleChars };
  const tableData = buildAccountsTableData(
    accounts,
    clusters.map((cluster) => cluster.cluster_id),
    { evidencePerAccount, evidenceChars },
  );
  const window = `${formatTimestamp(findings.input.first_ts)} → ${formatTimestamp(findings.input.last_ts)}`;
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src '${SCRIPT_HASH}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="${findings.tool?.name ?? 'distillguard'} ${findings.tool?.version ?? ''}">
<link rel="icon" href="data:,">
<title>${title} · ${window}</title>
<style>${trustedHtml(REPORT_CSS)}</style>
</head>
<body>
<nav class="topbar"><span class="brand">distillguard</span><a href="#summary">Summary</a><a href="#clusters">Clusters</a><a href="#accounts">Accounts</a><a href="#how-to-read">How to read this report</a></nav>
<main>
${renderHeader(findings, title, window, clusters.length)}
${renderCalibration(findings)}
${renderHowToRead(findings)}
<section class="card" id="clusters">
<div class="section-head"><h2>Clusters ranked by score</h2>
<div class="controls js-only"><label><input type="checkbox" id="clusters-flagged-only"> Flagged clusters only</label></div></div>
<p class="muted">${formatCount(clusters.length)} cluster${clusters.length === 1 ? '' : 's'} of linked accounts, ${formatCount(clusters.filter((cluster) => cluster.flagged).length)} flagged. Open a cluster for its evidence, shared indicators, charts and members.</p>
${renderClusterList(clusters, findings.thresholds.cluster)}
</section>
<div class="details" id="cluster-details">
<p class="details-hint card">Select a cluster above to see its evidence, shared indicators, capability mix, timeline, templates and members.</p>
${clusters.map((cluster, rank) => renderClusterDetail(cluster, rank, clusters.length, accountsById, viewOptions))}
</div>
${renderAccountsSection(accounts.length)}
</main>
<script type="application/json" id="accounts-data">${trustedHtml(jsonForScript(tableData))}</script>
<script>${trustedHtml(REPORT_SCRIPT)}</script>
</body>
</html>
`;
  return page.value;
}

/** Highest score first; ties by volume, then id, so the order is the same on every run. */
function rankClusters(clusters: readonly ClusterFinding[]): ClusterFinding[] {
  return [...clusters].sort(
    (a, b) => b.score - a.score || (b.volume?.exchanges ?? 0) - (a.volume?.exchanges ?? 0) || (a.cluster_id < b.cluster_id ? -1 : a.cluster_id > b.cluster_id ? 1 : 0),
  );
}

function renderHeader(findings: Findings, title: string, window: string, clusterCount: number): SafeHtml {
  const { input, summary, thresholds } = findings;
  const span = formatSpan(input.first_ts, input.last_ts);
  const timings = Object.entries(findings.timings ?? {});
  const seconds = timings.reduce((sum, [, value]) => sum + value, 0);
  const stat = (label: string, value: string, note: string | null, alert = false) =>
    html`<div class="stat${alert ? ' alert' : ''}"><dt>${label}</dt><dd>${value}</dd>${note ? html`<div class="muted">${note}</div>` : ''}</div>`;
  return html`<header class="card" id="summary">
<h1>${title}</h1>
<p class="subtitle">Input window <strong>${window}</strong>${span ? ` (${span})` : ''} · generated ${formatTimestamp(findings.generated_at)} by ${findings.tool?.name ?? 'distillguard'} ${findings.tool?.version ?? ''}</p>
<dl class="stats">
${stat('Exchanges', formatCount(input.exchanges), null)}
${stat('Accounts', formatCount(input.accounts), `${formatCount(input.accounts_with_traffic)} with traffic`)}
${stat('Flagged accounts', formatCount(summary.flagged_accounts), input.accounts > 0 ? `${formatShare(summary.flagged_accounts / input.accounts)} of accounts` : null, summary.flagged_accounts > 0)}
${stat('Flagged clusters', formatCount(summary.flagged_clusters), `of ${formatCount(clusterCount)} clusters`, summary.flagged_clusters > 0)}
${stat('Flagged exchanges', formatCount(summary.flagged_exchanges), input.exchanges > 0 ? `${formatShare(summary.flagged_exchanges / input.exchanges)} of traffic` : null, summary.flagged_exchanges > 0)}
${stat('Thresholds', `${formatScore(thresholds.account)} / ${formatScore(thresholds.cluster)}`, 'account / cluster score to flag')}
</dl>
${timings.length > 0 ? html`<p class="meta">Analysis took ${seconds.toFixed(1)} s: ${timings.map(([stage, value], index) => `${index > 0 ? ', ' : ''}${stage} ${value.toFixed(1)} s`)}.</p>` : ''}
</header>`;
}

/** The score distributions with the threshold marked, the thresholds other rules would pick, and each detector's base rate. */
function renderCalibration(findings: Findings): SafeHtml {
  const calibration = findings.calibration;
  if (calibration === undefined) return html``;
  const rates = calibration.suggested.alert_rates.map((entry) => html`<li>flag ${formatShare(entry.rate)} of accounts: score ${entry.score.toFixed(2)}</li>`);
  const detectors = calibration.detectors
    .filter((detector) => detector.firing > 0)
    .sort((a, b) => b.share - a.share)
    .map((detector) => html`<tr><td class="mono">${detector.signal}</td><td>${detector.level}</td><td class="num">${formatCount(detector.firing)}</td><td class="num">${formatCount(detector.strong)}</td><td class="num">${formatShare(detector.share)}</td></tr>`);
  return html`<section class="card" id="calibration">
<h2>Scores and thresholds</h2>
<p class="muted">Threshold ${calibration.accounts.threshold.toFixed(2)} (${calibration.threshold_source}): ${formatCount(calibration.accounts.flagged)} of ${formatCount(calibration.accounts.total)} accounts with traffic and ${formatCount(calibration.clusters.flagged)} of ${formatCount(calibration.clusters.total)} clusters at or above it. Bars count accounts per score (log scale); flagged bins are darker.</p>
${scoreDistributionChart(calibration.accounts)}
<details><summary>Other thresholds and how often each detector fires</summary>
<ul><li>outlier rule on this store (<span class="mono">--threshold auto</span>): score ${calibration.suggested.outlier_rule.toFixed(2)}</li>${rates}</ul>
<div class="table-wrap"><table class="data"><thead><tr><th>detector</th><th>level</th><th class="num">fires on</th><th class="num">at half weight or more</th><th class="num">share</th></tr></thead><tbody>${detectors}</tbody></table></div>
</details>
</section>`;
}

function renderHowToRead(findings: Findings): SafeHtml {
  return html`<section class="card note" id="how-to-read">
<h2>How to read this report</h2>
<ul>
<li><strong>Scores</strong> run from 0 to 1: the logistic of a prior plus the evidence listed with them, combined family by family (within a family the strongest item counts fully and each further one less), so the weights do not add up to the score. An account is <span class="badge badge-flagged">Flagged</span> at a score of ${formatScore(findings.thresholds.account)} or more, a cluster at ${formatScore(findings.thresholds.cluster)} or more. A score is not a verdict: read the evidence and check it against the logs before acting.</li>
<li><strong>Clusters</strong> are accounts linked by what they share: network (IPs, subnets, ASNs), payment methods, client fingerprints, e-mail domains, prompt templates and timing. Distillation networks spread traffic over many accounts so that none stands out alone; the cluster is the unit to judge.</li>
<li><strong>Evidence</strong> says what was seen, how often and with whom, strongest first; <em>weight</em> is the item's strength in log-odds (the prior is about 2%; items of one family are discounted after the first, as above; negative weights are mitigations). Most evidence compares an account with the other accounts of the same logs, in standard deviations above the typical account. <strong>Templates</strong> are prompts that many requests fill in, with the variable parts shown as <mark class="slot">&lt;*&gt;</mark>. Quoted excerpts are text sent by the accounts: treat them as untrusted.</li>
<li><strong>Legitimate customers</strong> can look similar: batch pipelines send one template at high volume, evaluation harnesses send benchmark prompts in bursts, resellers use many IPs, classrooms share a campus network and sign up together. The evidence list tells these apart from harvesting (reasoning elicitation, rubric grading, outputs maximised beyond what other accounts ask, exit pools and cards shared across unrelated identities, a rotated set of prompt templates).</li>
<li><strong>Times</strong> are UTC. The <strong>accounts table</strong> lists every account in the input, flagged or not; search it by account id, cluster id (<span class="mono">cluster:ID</span> for an exact cluster) or evidence text.</li>
</ul>
</section>`;
}

function renderAccountsSection(total: number): SafeHtml {
  return html`<section class="card" id="accounts">
<div class="section-head"><h2>Accounts</h2><span class="muted">${formatCount(total)} accounts, highest score first</span></div>
<p class="empty no-js">The accounts table needs JavaScript. Each cluster's view above lists its members; the findings JSON has every account.</p>
<div class="controls js-only">
<input type="search" id="account-search" placeholder="Search account id, cluster id or evidence text" aria-label="Search accounts" autocomplete="off" spellcheck="false">
<label><input type="checkbox" id="accounts-flagged-only"> Flagged only</label>
<span class="muted" id="accounts-status" role="status"></span>
</div>
<div class="table-wrap js-only"><table class="data" id="accounts-table">
<thead><tr><th>Account</th><th aria-sort="descending"><button type="button" data-sort="score">Score<span class="sort-mark"></span></button></th><th>Status</th><th>Cluster</th><th class="num" aria-sort="none"><button type="button" data-sort="exchanges">Exchanges<span class="sort-mark"></span></button></th><th>Tier</th><th>Evidence</th></tr></thead>
<tbody id="accounts-body"></tbody>
</table></div>
<div class="pager js-only"><button type="button" id="accounts-prev">‹ Previous</button><span id="accounts-page"></span><button type="button" id="accounts-next">Next ›</button></div>
</section>`;
}
