import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { labelsFromVerdicts } from '../eval/index.js';
import { hasAuditLog, listAuditEntries } from '../store/audit-log.js';
import { DuckDbStore } from '../store/duckdb-store.js';
import { listLabels } from '../store/service-tables.js';
import type { CliContext } from './cli-context.js';

export function registerLabelsCommand(program: Command, context: CliContext): void {
  const labels = program.command('labels').summary("analysts' verdicts as labels for eval");
  labels
    .command('export')
    .description(
      'Write the verdicts recorded through `serve` (POST /v1/labels and the workbench) as account labels that `eval --labels` reads ' +
        '(JSON Lines: account_id, label, campaign, persona). Confirmed is attack, dismissed benign; a cluster verdict labels the ' +
        "members the cluster had when it was given, and an account's own verdict wins. Only reviewed accounts are listed, so " +
        'eval measures the detector on what analysts looked at.',
    )
    .requiredOption('--db <path>', 'the store `serve` ran on (not while it runs: it holds the store)')
    .option('--out <file>', 'write the labels here (default: stdout)')
    .action(async (flags: { db: string; out?: string }) => {
      const store = await DuckDbStore.open({ path: flags.db, readOnly: true, memoryLimit: '256MB' });
      let verdicts;
      let audit;
      try {
        const hasLabels = Number(await store.scalar<bigint>("SELECT count(*) FROM information_schema.tables WHERE table_name = 'service_labels'")) > 0;
        verdicts = hasLabels ? await listLabels(store) : [];
        audit = (await hasAuditLog(store)) ? await listAuditEntries(store) : [];
      } finally {
        store.close();
      }
      const members = new Map<number, string[]>();
      for (const entry of audit) {
        if (entry.action !== 'verdict' || entry.detail === null) continue;
        const detail = JSON.parse(entry.detail) as { label_id?: number; members?: string[] };
        if (detail.label_id !== undefined && detail.members !== undefined) members.set(detail.label_id, detail.members);
      }
      const result = labelsFromVerdicts(verdicts, members);
      const text = result.labels.map((label) => JSON.stringify(label)).join('\n') + (result.labels.length > 0 ? '\n' : '');
      if (flags.out === undefined) context.stdout.write(text);
      else await writeFile(flags.out, text);
      const attacks = result.labels.filter((label) => label.label === 'attack').length;
      context.stderr.write(`${result.labels.length} labelled accounts (${attacks} attack, ${result.labels.length - attacks} benign) from ${verdicts.length} verdicts${flags.out ? ` written to ${flags.out}` : ''}\n`);
      if (result.clustersWithoutMembers.length > 0) {
        context.stderr.write(`skipped verdicts on ${result.clustersWithoutMembers.length} clusters whose members were not recorded (given before the audit log): ${result.clustersWithoutMembers.slice(0, 5).join(', ')}\n`);
      }
    });
}
