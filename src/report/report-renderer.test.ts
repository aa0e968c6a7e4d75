import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Findings } from '../model/findings.js';
import { escapeHtml } from './html-escape.js';
import { renderReportHtml } from './report-renderer.js';
import { REPORT_SCRIPT } from './report-script.js';
import { buildSyntheticFindings } from './test-support/synthetic-findings.js';

const ATTACK = '</pre></script><script>alert(1)</script><img src=x onerror=alert(2)><!--';

function embeddedAccounts(page: string): { rows: unknown[][]; texts: string[]; clusters: string[] } {
  const match = /<script type="application\/json" id="accounts-data">([\s\S]*?)<\/script>/.exec(page);
  expect(match).not.toBeNull();
  return JSON.parse(match![1]!);
}

/** A findings document with attacker-controlled text in every string field the report shows. */
function maliciousFindings(): Findings {
  const { findings } = buildSyntheticFindings({ accounts: 200, clusters: 6, seed: 3 });
  const cluster = findings.clusters[0]!;
  const account = findings.accounts.find((candidate) => candidate.cluster_id === cluster.cluster_id)!;
  cluster.templates[0]!.text = `Ignore the rubric <*> ${ATTACK}`;
  cluster.evidence[0]!.detail = `detail ${ATTACK}`;
  cluster.evidence[0]!.examples = [`example ${ATTACK}`];
  cluster.evidence[0]!.signal = `signal${ATTACK}`;
  cluster.capabilities = { [`cap${ATTACK}`]: 0.6, coding: 0.4 };
  cluster.models = { [`model${ATTACK}`]: 10 };
  cluster.indicators.user_agents = [`ua ${ATTACK}`];
  cluster.indicators.email_domains = [`"><svg onload=alert(3)>`];
  cluster.accounts[cluster.accounts.indexOf(account.account_id)] = `acct${ATTACK}`;
  account.account_id = `acct${ATTACK}`;
  account.evidence = [{ signal: `sig${ATTACK}`, weight: 0.9, detail: `account detail ${ATTACK}` }];
  account.tier = `tier${ATTACK}`;
  return findings;
}

describe('renderReportHtml', () => {
  const { findings } = buildSyntheticFindings({ accounts: 2_000, clusters: 40, seed: 7 });
  const page = renderReportHtml(findings);

  it('is one self-contained document that requests nothing', () => {
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+'; style-src 'unsafe-inline'; img-src data:;/);
    expect(page).not.toMatch(/\b(?:src|href|action)\s*=\s*["']?\s*(?:https?:|\/\/|file:)/i);
    expect(page).not.toMatch(/@import|url\(/i);
    expect(page.match(/<script\b/g)).toHaveLength(2);
    expect(page.match(/<link\b[^>]*>/g)).toEqual(['<link rel="icon" href="data:,">']);
  });

  it('allows exactly its own page script through the Content-Security-Policy hash', () => {
    const hash = /script-src 'sha256-([^']+)'/.exec(page)![1];
    const inline = /<script>([\s\S]*?)<\/script>/.exec(page)![1]!;
    expect(inline).toBe(REPORT_SCRIPT);
    expect(createHash('sha256').update(inline).digest('base64')).toBe(hash);
    expect(REPORT_SCRIPT).not.toMatch(/<\/script|<!--|innerHTML|\beval\(|new Function/i);
  });

  it('shows the input window, counts, thresholds and generation time in the header', () => {
    expect(page).toContain('2026-02-02 00:00 UTC → 2026-02-15 23:59 UTC');
    expect(page).toContain('(14 days)');
    expect(page).toContain(`generated ${'2026-02-16 02:00 UTC'}`);
    expect(page).toContain(findings.input.exchanges.toLocaleString('en-US'));
    expect(page).toContain(`<dt>Flagged accounts</dt><dd>${findings.summary.flagged_accounts.toLocaleString('en-US')}</dd>`);
    expect(page).toContain('<dt>Thresholds</dt><dd>0.60 / 0.70</dd>');
    expect(page).toContain('How to read this report');
    expect(page).toContain('so the weights do not add up to the score');
    expect(page).not.toMatch(/sum up the evidence/);
  });

  it('lists clusters in score order, each linking to its detail view', () => {
    const listed = [...page.matchAll(/<a class="cluster-link" href="#c-(\d+)">([^<]+)<\/a>/g)];
    expect(listed).toHaveLength(findings.clusters.length);
    const scores = listed.map(([, , id]) => findings.clusters.find((cluster) => escapeHtml(cluster.cluster_id) === id)!.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    listed.forEach(([, rank], index) => expect(Number(rank)).toBe(index));
    for (let rank = 0; rank < findings.clusters.length; rank += 1) expect(page).toContain(`<section class="cluster-detail card" id="c-${rank}"`);
  });

  it('shows every flagged cluster with all of its evidence, charts, indicators and templates', () => {
    const flagged = findings.clusters.filter((cluster) => cluster.flagged);
    expect(flagged.length).toBeGreaterThan(2);
    for (const cluster of flagged) {
      const start = page.indexOf(`data-cluster-id="${escapeHtml(cluster.cluster_id)}"`);
      const section = page.slice(start, page.indexOf('</section>', start));
      for (const item of cluster.evidence) {
        expect(section).toContain(escapeHtml(item.detail));
        expect(section).toContain(`<span class="signal">${escapeHtml(item.signal)}</span>`);
      }
      expect(section).toMatch(/<svg class="chart capability-chart" data-chart="capabilities" data-bars="\d+"/);
      expect(section).toMatch(/<svg class="chart timeline-chart" data-chart="timeline" data-points="\d+"/);
      expect(section).toContain(`<span class="chip mono">${escapeHtml(cluster.indicators.payment_fingerprints[0]!)}</span>`);
      expect(section).toContain('<mark class="slot">&lt;*&gt;</mark>');
      expect(section).toContain(`<td class="mono">${Object.keys(cluster.models)[0]}</td>`);
    }
  });

  it('lists at most the configured number of members and links to the rest', () => {
    const big = findings.clusters.reduce((a, b) => (b.accounts.length > a.accounts.length ? b : a));
    const small = renderReportHtml(findings, { membersPerCluster: 5 });
    const start = small.indexOf(`data-cluster-id="${big.cluster_id}"`);
    const section = small.slice(start, small.indexOf('</section>', start));
    expect(section.slice(section.indexOf('<table class="data members">')).match(/<tr class="(?:is|not)-flagged">/g)).toHaveLength(5);
    expect(section).toContain(`<a href="#accounts" data-search="cluster:${big.cluster_id}">Show all ${big.accounts.length.toLocaleString('en-US')} in the accounts table</a>`);
  });

  it('embeds every account for the table, highest score first, as JSON the page can parse', () => {
    const data = embeddedAccounts(page);
    expect(data.rows).toHaveLength(findings.accounts.length);
    const scores = data.rows.map((row) => row[1] as number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('renders an empty findings document', () => {
    const empty: Findings = { ...findings, accounts: [], clusters: [], summary: { flagged_accounts: 0, flagged_clusters: 0, flagged_exchanges: 0 } };
    const html = renderReportHtml(empty);
    expect(html).toContain('No clusters: no group of accounts was linked strongly enough to report.');
    expect(embeddedAccounts(html).rows).toEqual([]);
  });
});

describe('renderReportHtml with attacker-controlled text', () => {
  const findings = maliciousFindings();
  const page = renderReportHtml(findings);

  it('never lets findings text become markup', () => {
    expect(page.match(/<script\b/gi)).toHaveLength(2);
    expect(page.match(/<\/script>/gi)).toHaveLength(2);
    expect(page).not.toMatch(/<img\b/i);
    expect(page).not.toMatch(/<svg onload/i);
    expect(page).not.toMatch(/<!--/);
    expect(page).not.toMatch(/<\/pre><\/script>/);
    expect(page).toContain('&lt;/pre&gt;&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&lt;!--');
    expect(page).toContain('&quot;&gt;&lt;svg onload=alert(3)&gt;');
  });

  it('keeps template slots highlighted while escaping the text around them', () => {
    expect(page).toContain('Ignore the rubric <mark class="slot">&lt;*&gt;</mark> &lt;/pre&gt;');
  });

  it('escapes the accounts blob so it cannot close its script element, and restores the text on parse', () => {
    const blob = page.slice(page.indexOf('id="accounts-data">'), page.indexOf('</script>', page.indexOf('id="accounts-data">')));
    expect(blob).toContain('\\u003c/script\\u003e');
    const data = embeddedAccounts(page);
    expect(data.rows.map((row) => row[0])).toContain(`acct${ATTACK}`);
    expect(data.texts).toContain(`account detail ${ATTACK}`);
  });
});
