import type { Evaluation } from './findings-evaluator.js';

/** The evaluation as plain-text tables for a terminal (`distillguard eval` without `--json`). */
export function formatEvaluation(evaluation: Evaluation): string {
  const { counts, accounts: a, clusters: c } = evaluation;
  const out: string[] = [];
  const thresholds = [
    evaluation.findings.account_threshold === null ? null : `account threshold ${evaluation.findings.account_threshold}`,
    evaluation.findings.cluster_threshold === null ? null : `cluster threshold ${evaluation.findings.cluster_threshold}`,
  ].filter((part) => part !== null);
  out.push(`Evaluation of findings${evaluation.findings.generated_at ? ` generated ${evaluation.findings.generated_at}` : ''}${thresholds.length > 0 ? ` (${thresholds.join(', ')})` : ''}`);

  out.push('', 'Accounts');
  out.push(
    ...keyValues([
      ['labelled', count(counts.labelled_accounts), `attack ${count(counts.attack_accounts)}, benign ${count(counts.benign_accounts)}`],
      ['in findings', count(counts.findings_accounts), `${count(counts.missing_from_findings)} labelled missing, ${count(counts.unlabelled_in_findings)} unlabelled`],
      ['flagged', count(counts.flagged_accounts), 'labelled accounts flagged at the operating threshold'],
      ['silent', count(counts.silent_accounts), 'labelled accounts that sent nothing in the window (only sign-up details can speak to them)'],
    ]),
  );

  out.push('', 'Detection (account level, at the operating threshold)');
  out.push(
    ...keyValues([
      ['precision', fixed(a.precision), `${count(a.true_positives)} of ${count(a.true_positives + a.false_positives)} flagged accounts are attack accounts`],
      ['recall', fixed(a.recall), `${count(a.true_positives)} of ${count(a.true_positives + a.false_negatives)} attack accounts flagged`],
      ['  with traffic', fixed(a.recall_with_traffic), 'the same over attack accounts that sent traffic'],
      ['F1', fixed(a.f1), ''],
      ['PR-AUC', fixed(a.pr_auc), `average precision over account scores; random scoring gives ${fixed(a.pr_auc_baseline)}`],
      ['false-positive rate', percent(a.false_positive_rate), `${count(a.false_positives)} of ${count(a.false_positives + a.true_negatives)} benign accounts flagged`],
      ['  on hard negatives', percent(a.hard_negative_false_positive_rate), `benign personas marked * below`],
    ]),
  );

  const benign = evaluation.personas.filter((persona) => persona.label === 'benign');
  if (benign.length > 0) {
    out.push('', 'False positives by benign persona (* hard negative)');
    out.push(
      ...table(
        ['persona', 'accounts', 'flagged', 'FP rate'],
        benign.map((p) => [`${p.persona}${p.hard_negative ? ' *' : ''}`, count(p.accounts), count(p.flagged), percent(p.flagged_share)]),
        ['left', 'right', 'right', 'right'],
      ),
    );
  }

  if (evaluation.campaigns.length > 0) {
    out.push('', 'Recall by campaign');
    out.push(
      ...table(
        ['campaign', 'kind', 'accounts', 'silent', 'flagged', 'recall', 'with traffic', 'of exchanges', 'flagged clusters', 'in largest', 'in none', 'missed: unlinked/cluster/member'],
        evaluation.campaigns.map((k) => [
          k.campaign,
          k.personas.join(', '),
          count(k.accounts),
          count(k.silent),
          count(k.flagged),
          fixed(k.recall),
          fixed(k.recall_with_traffic),
          percent(k.exchange_recall, 1),
          count(k.clusters),
          percent(k.largest_cluster_share, 1),
          count(k.unclustered),
          `${count(k.missed.unlinked)}/${count(k.missed.in_unflagged_cluster)}/${count(k.missed.in_flagged_cluster)}`,
        ]),
        ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
      ),
    );
    out.push(
      '  flagged clusters: how many hold its accounts; in largest: its share in the one holding most; in none: its accounts in no flagged cluster',
      '  missed: accounts with traffic not flagged, linked to no cluster / in a cluster not flagged / in a flagged cluster but too weakly tied to take its evidence',
    );
  }

  out.push('', 'Clusters');
  out.push(
    ...keyValues([
      ['detected', count(c.detected), `${count(c.flagged)} flagged`],
      ['purity', fixed(c.purity), `over ${count(c.clustered_accounts)} labelled accounts in clusters; classes: each campaign, and one class for all benign accounts`],
      ['purity, flagged only', fixed(c.flagged_purity), `${count(c.benign_in_flagged_clusters)} benign accounts sit in flagged clusters`],
      ['adjusted Rand index', fixed(c.ari), 'flagged clusters over all labelled accounts; campaigns as classes, each benign account on its own, accounts outside flagged clusters as singletons'],
      ['  attack accounts only', fixed(c.ari_attack_only), 'are campaigns kept whole and apart from each other'],
      ['  every linked cluster', fixed(c.ari_all_clusters), 'the same over every cluster, flagged or not'],
    ]),
  );

  if (evaluation.warnings.length > 0) {
    out.push('', 'Warnings');
    for (const warning of evaluation.warnings) out.push(`  ! ${warning}`);
  }
  return out.join('\n') + '\n';
}

function keyValues(rows: [string, string, string][]): string[] {
  const keyWidth = Math.max(...rows.map(([key]) => key.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  return rows.map(([key, value, note]) => `  ${key.padEnd(keyWidth)}  ${value.padStart(valueWidth)}${note ? `   ${note}` : ''}`.trimEnd());
}

function table(header: string[], rows: string[][], align: ('left' | 'right')[]): string[] {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((cell, column) => (align[column] === 'right' ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function fixed(value: number | null): string {
  return value === null ? '—' : value.toFixed(3);
}

function percent(value: number | null, digits = 2): string {
  return value === null ? '—' : `${(value * 100).toFixed(digits)}%`;
}
