import type { AccountFinding, ClusterFinding, ClusterIndicators, Evidence, TemplateSummary } from '../model/findings.js';
import { formatCompact, formatCount, formatScore, formatShare, formatSpan, formatTimestamp, formatTimestampShort, topEntries, truncate } from './report-format.js';
import { html, type SafeHtml } from './safe-html.js';
import { capabilityChart, timelineChart } from './svg-charts.js';

export interface ClusterSectionOptions {
  /** Members listed in a cluster's detail view, highest score first; the rest are in the accounts table. */
  membersPerCluster: number;
  /** Values shown per indicator kind. */
  indicatorsPerKind: number;
  templatesPerCluster: number;
  templateChars: number;
  examplesPerEvidence: number;
  exampleChars: number;
}

export function clusterAnchor(rank: number): string {
  return `c-${rank}`;
}

/** A 0–1 score as a small bar and its value; red when flagged. */
export function scoreMeter(score: number, flagged: boolean): SafeHtml {
  const width = Math.max(0, Math.min(100, score * 100)).toFixed(1);
  return html`<span class="score"><span class="meter${flagged ? ' meter-flagged' : ''}" aria-hidden="true"><span style="width:${width}%"></span></span><span class="score-value">${formatScore(score)}</span></span>`;
}

export function flagBadge(flagged: boolean): SafeHtml {
  return flagged ? html`<span class="badge badge-flagged">Flagged</span>` : html`<span class="badge badge-quiet">Not flagged</span>`;
}

function capabilitySummary(capabilities: Record<string, number>, limit: number): SafeHtml {
  const top = topEntries(capabilities, limit);
  if (top.length === 0) return html`<span class="muted">—</span>`;
  return html`${top.map(([label, share], index) => html`${index > 0 ? ' · ' : ''}<span class="cap">${label}</span> <span class="muted">${formatShare(share)}</span>`)}`;
}

/** The ranked cluster table: one row per cluster, linking to its detail view. */
/**
 * Why a cluster is flagged or not, in a few words for the ranked table: the evidence that
 * weighs most, or the threshold it stays under.
 */
export function flagReasonText(cluster: ClusterFinding, threshold: number): string {
  const strongest = cluster.evidence
    .filter((item) => item.weight > 0)
    .slice(0, 2)
    .map((item) => item.signal.replaceAll('_', ' '));
  if (cluster.flagged) return strongest.length > 0 ? `mostly ${strongest.join(', ')}` : `score at least ${formatScore(threshold)}`;
  return `below ${formatScore(threshold)}${strongest.length > 0 ? `; strongest: ${strongest.join(', ')}` : ''}`;
}

export function renderClusterList(ranked: readonly ClusterFinding[], threshold = 0.5): SafeHtml {
  if (ranked.length === 0) return html`<p class="empty">No clusters: no group of accounts was linked strongly enough to report.</p>`;
  const rows = ranked.map((cluster, rank) => {
    const anchor = clusterAnchor(rank);
    return html`<tr class="${cluster.flagged ? 'is-flagged' : 'not-flagged'}" data-href="#${anchor}">
<td class="num col-optional">${rank + 1}</td>
<td class="mono"><a class="cluster-link" href="#${anchor}">${cluster.cluster_id}</a></td>
<td>${scoreMeter(cluster.score, cluster.flagged)}</td>
<td>${flagBadge(cluster.flagged)}</td>
<td class="why">${flagReasonText(cluster, threshold)}</td>
<td class="num">${formatCount(cluster.accounts.length)}</td>
<td class="num" title="${formatCount(cluster.volume.exchanges)} exchanges">${formatCompact(cluster.volume.exchanges)}</td>
<td class="nowrap">${formatTimestampShort(cluster.first_seen)}</td>
<td class="nowrap col-optional">${formatTimestampShort(cluster.last_seen)}</td>
<td class="col-optional">${capabilitySummary(cluster.capabilities, 3)}</td>
</tr>`;
  });
  // The list scrolls inside its own box so an opened cluster appears just below it, even with 1,000 rows.
  return html`<div class="table-wrap cluster-list"><table class="data cluster-table" id="cluster-table">
<thead><tr><th class="num col-optional">#</th><th>Cluster</th><th>Score</th><th>Status</th><th>Why</th><th class="num">Accounts</th><th class="num">Exchanges</th><th>First seen (UTC)</th><th class="col-optional">Last seen (UTC)</th><th class="col-optional">Top capabilities</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

/** One cluster's detail view: evidence first, then charts, indicators, models, templates, members. */
export function renderClusterDetail(
  cluster: ClusterFinding,
  rank: number,
  total: number,
  accountsById: ReadonlyMap<string, AccountFinding>,
  options: ClusterSectionOptions,
): SafeHtml {
  const members = cluster.accounts.map((id) => accountsById.get(id) ?? null);
  const known = members.filter((member): member is AccountFinding => member !== null).sort((a, b) => b.score - a.score);
  const flaggedMembers = known.filter((member) => member.flagged).length;
  const span = formatSpan(cluster.first_seen, cluster.last_seen);
  const nav = html`<nav class="detail-nav"><a href="#clusters">← All clusters</a>${rank > 0 ? html`<a href="#${clusterAnchor(rank - 1)}">‹ Previous (#${rank})</a>` : ''}${rank + 1 < total ? html`<a href="#${clusterAnchor(rank + 1)}">Next (#${rank + 2}) ›</a>` : ''}</nav>`;
  return html`<section class="cluster-detail card" id="${clusterAnchor(rank)}" data-cluster-id="${cluster.cluster_id}" tabindex="-1">
${nav}
<header class="detail-head">
<h3>Cluster <span class="mono">${cluster.cluster_id}</span> <span class="rank">#${rank + 1} of ${formatCount(total)}</span></h3>
<div class="detail-badges">${flagBadge(cluster.flagged)} ${scoreMeter(cluster.score, cluster.flagged)}</div>
</header>
<dl class="facts">
<div><dt>Accounts</dt><dd>${formatCount(cluster.accounts.length)} <span class="muted">(${formatCount(flaggedMembers)} flagged)</span></dd></div>
<div><dt>Exchanges</dt><dd>${formatCount(cluster.volume.exchanges)}</dd></div>
<div><dt>Tokens in / out / reasoning</dt><dd>${formatCompact(cluster.volume.input_tokens)} / ${formatCompact(cluster.volume.output_tokens)} / ${formatCompact(cluster.volume.reasoning_tokens)}</dd></div>
<div><dt>First seen</dt><dd>${formatTimestamp(cluster.first_seen)}</dd></div>
<div><dt>Last seen</dt><dd>${formatTimestamp(cluster.last_seen)}${span ? html` <span class="muted">(${span})</span>` : ''}</dd></div>
</dl>
<h4>Why this cluster scored ${formatScore(cluster.score)}</h4>
${renderEvidenceList(cluster.evidence, options)}
<div class="chart-grid">
<figure><figcaption>Capability mix <span class="muted">share of exchanges</span></figcaption>${capabilityChart(cluster.capabilities)}</figure>
<figure><figcaption>Volume over time <span class="muted">exchanges, UTC</span></figcaption>${timelineChart(cluster.timeline)}</figure>
</div>
<div class="two-col">
<div><h4>Shared indicators</h4>${renderIndicators(cluster.indicators, options.indicatorsPerKind)}</div>
<div><h4>Models asked for</h4>${renderModels(cluster.models)}</div>
</div>
<h4>Top templates <span class="muted">slots shown as &lt;*&gt;</span></h4>
${renderTemplates(cluster.templates, options)}
<h4>Members <span class="muted">highest score first</span></h4>
${renderMembers(cluster, known, members.length - known.length, options)}
</section>`;
}

export function renderEvidenceList(evidence: readonly Evidence[], options: Pick<ClusterSectionOptions, 'examplesPerEvidence' | 'exampleChars'>): SafeHtml {
  if (evidence.length === 0) return html`<p class="empty">No evidence recorded.</p>`;
  const items = [...evidence].sort((a, b) => b.weight - a.weight).map((item) => {
    const examples = (item.examples ?? []).slice(0, options.examplesPerEvidence);
    return html`<li class="evidence-item">
<div class="evidence-head"><span class="signal">${item.signal}</span><span class="weight" title="contribution to the score">weight ${item.weight.toFixed(2)}</span></div>
<p class="evidence-detail">${item.detail}</p>
${examples.length > 0 ? html`<ul class="examples">${examples.map((example) => html`<li><q>${truncate(example, options.exampleChars)}</q></li>`)}</ul>` : ''}
</li>`;
  });
  return html`<ol class="evidence">${items}</ol>`;
}

const INDICATOR_KINDS: [keyof ClusterIndicators, string][] = [
  ['ips', 'IP addresses'],
  ['subnets', 'Subnets'],
  ['asns', 'ASNs'],
  ['countries', 'Countries'],
  ['payment_fingerprints', 'Payment fingerprints'],
  ['user_agents', 'User agents'],
  ['tls_fingerprints', 'TLS fingerprints'],
  ['email_domains', 'E-mail domains'],
  ['templates', 'Templates'],
];

function renderIndicators(indicators: ClusterIndicators | undefined, perKind: number): SafeHtml {
  const rows = INDICATOR_KINDS.map(([key, label]) => {
    const values = ((indicators?.[key] ?? []) as readonly (string | number)[]).map((value) => (key === 'asns' ? `AS${value}` : String(value)));
    const shown = values.slice(0, perKind);
    return html`<tr><th scope="row">${label}</th><td>${
      values.length === 0
        ? html`<span class="muted">none shared</span>`
        : html`${shown.map((value) => html`<span class="chip mono">${truncate(value, 80)}</span>`)}${values.length > shown.length ? html`<span class="muted"> +${formatCount(values.length - shown.length)} more</span>` : ''}`
    }</td></tr>`;
  });
  return html`<table class="indicators"><tbody>${rows}</tbody></table>`;
}

function renderModels(models: Record<string, number> | undefined): SafeHtml {
  const entries = topEntries(models ?? {}, 12);
  if (entries.length === 0) return html`<p class="muted">No model data.</p>`;
  const total = Object.values(models ?? {}).reduce((sum, value) => sum + (Number.isFinite(value) && value > 0 ? value : 0), 0);
  return html`<table class="data models"><thead><tr><th>Model</th><th class="num">Exchanges</th><th class="num">Share</th></tr></thead><tbody>${entries.map(
    ([model, exchanges]) => html`<tr><td class="mono">${model}</td><td class="num">${formatCount(exchanges)}</td><td class="num">${formatShare(exchanges / total)}</td></tr>`,
  )}</tbody></table>`;
}

function renderTemplates(templates: readonly TemplateSummary[] | undefined, options: ClusterSectionOptions): SafeHtml {
  const shown = [...(templates ?? [])].sort((a, b) => b.exchanges - a.exchanges).slice(0, options.templatesPerCluster);
  if (shown.length === 0) return html`<p class="muted">No shared templates.</p>`;
  return html`<ol class="templates">${shown.map(
    (template) => html`<li><div class="template-meta"><span class="mono">${template.template_id}</span> · ${formatCount(template.exchanges)} exchanges · ${formatCount(template.accounts)} accounts</div>${
      template.text === null ? html`<p class="muted">Text not kept (the store keeps no prompt text).</p>` : html`<pre class="template-text">${templateText(truncate(template.text, options.templateChars))}</pre>`
    }</li>`,
  )}</ol>`;
}

/** Template text with its `<*>` slots highlighted; the text itself is escaped piece by piece. */
function templateText(text: string): SafeHtml {
  const parts = text.split('<*>');
  return html`${parts.map((part, index) => html`${index > 0 ? html`<mark class="slot">&lt;*&gt;</mark>` : ''}${part}`)}`;
}

function renderMembers(cluster: ClusterFinding, known: AccountFinding[], unknown: number, options: ClusterSectionOptions): SafeHtml {
  const shown = known.slice(0, options.membersPerCluster);
  const rows = shown.map((member) => {
    const top = [...member.evidence].sort((a, b) => b.weight - a.weight)[0];
    return html`<tr class="${member.flagged ? 'is-flagged' : 'not-flagged'}"><td class="mono">${member.account_id}</td><td>${scoreMeter(member.score, member.flagged)}</td><td>${flagBadge(member.flagged)}</td><td class="num">${formatCount(member.volume?.exchanges ?? 0)}</td><td>${member.tier ?? '—'}</td><td class="evidence-cell">${top ? html`<span class="signal">${top.signal}</span> ${truncate(top.detail, 160)}` : html`<span class="muted">—</span>`}</td></tr>`;
  });
  const more = cluster.accounts.length - shown.length;
  return html`<div class="table-wrap"><table class="data members"><thead><tr><th>Account</th><th>Score</th><th>Status</th><th class="num">Exchanges</th><th>Tier</th><th>Strongest evidence</th></tr></thead><tbody>${rows}</tbody></table></div>
${more > 0 ? html`<p class="more">${formatCount(more)} more member${more === 1 ? '' : 's'}${unknown > 0 ? html` (${formatCount(unknown)} not found in the accounts list)` : ''}. <a href="#accounts" data-search="cluster:${cluster.cluster_id}">Show all ${formatCount(cluster.accounts.length)} in the accounts table</a></p>` : ''}`;
}
