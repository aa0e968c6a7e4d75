import { Option, type Command } from 'commander';
import { stat, writeFile } from 'node:fs/promises';
import { createPeerLabelReader, PEER_LABEL_FORMATS, type PeerLabelFormat } from '../eval/index.js';
import { readLineBatches } from '../ingest/line-batch-reader.js';
import { InputError, UsageError } from '../util/errors.js';
import type { CliContext } from './cli-context.js';

interface PeerLabelsFlags {
  format: PeerLabelFormat;
  out?: string;
}

/** Longest event line read; the peer sets hold requests without responses, far shorter than this. */
const MAX_EVENT_BYTES = 16 * 1024 * 1024;

export function registerPeerLabelsCommand(program: Command, context: CliContext): void {
  program
    .command('peer-labels')
    .summary("write account labels from another detector's labelled set, for eval")
    .description(
      "Read another detector's labelled set (for glasswally: events with account_id and campaign_label) and write the " +
        'account labels `eval` measures against (JSON Lines: account_id, label, campaign, persona). The labels are read ' +
        'only here: `ingest --format glasswally` drops them. A set whose events disagree about an account is refused.',
    )
    .argument('<files...>', 'the labelled set (.jsonl or .jsonl.gz)')
    .addOption(new Option('--format <format>', "the set's format").choices(PEER_LABEL_FORMATS).makeOptionMandatory())
    .option('--out <file>', 'write the labels here (default: stdout)')
    .action(async (files: string[], flags: PeerLabelsFlags) => {
      const reader = createPeerLabelReader(flags.format);
      for (const file of files) {
        await checkReadable(file);
        for await (const event of readLineBatches(file, { maxRecordBytes: MAX_EVENT_BYTES })) {
          if (event.kind !== 'batch') {
            throw new InputError(`${file}:${event.line}: ${event.kind === 'oversize' ? `the line is ${event.size} bytes, more than an event can be` : event.message}`);
          }
          const lines = event.bytes.toString('utf8').split('\n');
          for (let i = 0; i < event.lineCount; i++) reader.add(lines[i]!, file, event.firstLine + i);
        }
      }
      const labels = reader.finish();
      const text = labels.map((label) => JSON.stringify(label)).join('\n') + '\n';
      const attack = labels.filter((label) => label.label === 'attack');
      const summary = `${labels.length} accounts: ${attack.length} attack in ${new Set(attack.map((label) => label.campaign)).size} campaigns, ${labels.length - attack.length} benign`;
      if (flags.out === undefined) {
        context.stdout.write(text);
        context.logger.info({ accounts: labels.length, attack: attack.length }, summary);
      } else {
        await writeFile(flags.out, text);
        context.stdout.write(`Wrote labels of ${summary} to ${flags.out}\n`);
      }
    });
}

async function checkReadable(file: string): Promise<void> {
  try {
    if (!(await stat(file)).isFile()) throw new UsageError(`${file} is not a file`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { cause: error });
  }
}
