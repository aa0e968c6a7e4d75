import type { Command } from 'commander';
import { evaluateFindings, formatEvaluation, parseFindingsForEvaluation, parseLabels } from '../eval/index.js';
import type { CliContext } from './cli-context.js';
import { readTextFile } from './text-file.js';

interface EvalFlags {
  findings: string;
  labels: string;
  json: boolean;
}

export function registerEvalCommand(program: Command, context: CliContext): void {
  program
    .command('eval')
    .summary('measure findings against labelled accounts')
    .description(
      'Measure a findings document (from `analyze --json`) against account labels (JSON Lines: account_id, label, campaign, persona). ' +
        'Prints account-level precision, recall, F1 and PR-AUC at the findings\' own flags, false-positive rates per benign persona, ' +
        'recall per campaign, and cluster purity and adjusted Rand index against the campaigns. Exits non-zero only on bad input.',
    )
    .requiredOption('--findings <file>', 'the findings document (JSON, or gzipped JSON)')
    .requiredOption('--labels <file>', 'account labels (JSON Lines, or gzipped)')
    .option('--json', 'print the figures as JSON on stdout', false)
    .action(async (flags: EvalFlags) => {
      const [findingsText, labelsText] = await Promise.all([readTextFile(flags.findings, '--findings'), readTextFile(flags.labels, '--labels')]);
      const findings = parseFindingsForEvaluation(findingsText, flags.findings);
      const labels = parseLabels(labelsText, flags.labels);
      const evaluation = evaluateFindings(findings, labels);
      if (flags.json) {
        for (const warning of evaluation.warnings) context.logger.warn(warning);
        context.stdout.write(JSON.stringify(evaluation, null, 2) + '\n');
      } else {
        context.stdout.write(formatEvaluation(evaluation));
      }
    });
}
