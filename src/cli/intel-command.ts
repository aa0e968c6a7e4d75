import { Command, Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { createCommunityKey, exportIntelBundle, importIntelBundle, pollTaxiiCollection, taxiiCollectionId, TLP_LEVELS, type CommunityKey, type TlpLevel } from '../intel/index.js';
import { parseDetectionConfig } from '../scoring/index.js';
import { DuckDbStore } from '../store/duckdb-store.js';
import { ensurePartnerIntelTables, saveCommunityKey } from '../store/partner-intel-tables.js';
import { UsageError } from '../util/errors.js';
import { writeJsonFile } from '../util/json-file-writer.js';
import type { CliContext } from './cli-context.js';
import { formatDuration } from './progress-display.js';

/** Shorter keys would let a guessed key be tested offline against a bundle. */
const MIN_KEY_BYTES = 16;

interface ExportFlags {
  db: string;
  out: string;
  communityKeyFile: string;
  community: string;
  producer: string;
  tlp: TlpLevel;
  onlyConfirmed: boolean;
  memoryLimit: string;
}

export function registerIntelCommand(program: Command, context: CliContext): void {
  const intel = program
    .command('intel')
    .summary('share indicators with other providers: STIX 2.1 bundles of keyed hashes')
    .description(
      'Threat-intelligence sharing (docs/intel-sharing.md). Bundles carry no prompt text and no raw IP, card or e-mail: ' +
        'every indicator is an HMAC under a key shared only inside a sharing community.',
    );

  intel
    .command('export')
    .description('analyse a store and write a STIX 2.1 bundle of its confirmed and flagged clusters')
    .requiredOption('--db <path>', 'the store to export from')
    .requiredOption('--out <file>', 'write the bundle (JSON) here')
    .requiredOption('--community-key-file <file>', "the sharing community's secret key (at least 16 bytes; e.g. `openssl rand -hex 32 > community.key`)")
    .option('--community <name>', 'the sharing community the key belongs to, named in the bundle', 'default')
    .option('--producer <name>', 'the producer identity named in the bundle', 'distillguard')
    .addOption(new Option('--tlp <level>', 'TLP 2.0 marking of every object').choices(TLP_LEVELS).default('amber'))
    .option('--only-confirmed', 'share only clusters an analyst confirmed, not those only flagged', false)
    .option('--memory-limit <size>', "DuckDB's buffer memory limit", '2GB')
    .action(async (flags: ExportFlags) => {
      const key = readCommunityKey(flags.communityKeyFile, flags.community);
      if (!existsSync(flags.db)) throw new UsageError(`no store at ${flags.db}: run \`distillguard ingest ... --db ${flags.db}\` first`);
      const started = performance.now();
      const store = await DuckDbStore.open({ path: flags.db, readOnly: true, memoryLimit: flags.memoryLimit });
      try {
        const result = await exportIntelBundle(store, {
          key,
          producer: flags.producer,
          tlp: flags.tlp,
          config: parseDetectionConfig(),
          includeFlagged: !flags.onlyConfirmed,
          logger: context.logger,
        });
        await writeJsonFile(flags.out, result.bundle);
        const seconds = (performance.now() - started) / 1000;
        context.stdout.write(
          `Exported ${result.clusters} clusters, ${result.indicators} indicators and ${result.templates} template sketches ` +
            `(${result.bundle.objects.length} STIX objects, community ${key.community}, key ${key.keyId}, TLP:${flags.tlp.toUpperCase()}) in ${formatDuration(seconds)}\n` +
            `Wrote ${flags.out}\n`,
        );
      } finally {
        store.close();
      }
    });

  intel
    .command('import')
    .description("store a partner's STIX bundle: its keyed indicators and template sketches become evidence (partner_sighting) in later analyses, never a flag on their own")
    .argument('<file>', 'the STIX 2.1 bundle (JSON) a partner shared')
    .requiredOption('--db <path>', 'the store to add the indicators to')
    .requiredOption('--community-key-file <file>', "the sharing community's secret key the bundle was made with")
    .option('--community <name>', 'the sharing community the key belongs to', 'default')
    .action(async (file: string, flags: { db: string; communityKeyFile: string; community: string }) => {
      const key = readCommunityKey(flags.communityKeyFile, flags.community);
      let bundle: unknown;
      try {
        bundle = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new UsageError(`cannot read the bundle ${file}: ${(error as Error).message}`);
      }
      if (!existsSync(flags.db)) throw new UsageError(`no store at ${flags.db}: run \`distillguard ingest ... --db ${flags.db}\` first`);
      const store = await DuckDbStore.open({ path: flags.db });
      try {
        const result = await importIntelBundle(store, bundle, key);
        const skipped = Object.entries(result.skipped).map(([reason, count]) => `${count} ${reason.replaceAll('_', ' ')}`);
        context.stdout.write(
          `Imported ${result.indicators} indicators and ${result.sketches} template sketches (community ${key.community}, key ${key.keyId})` +
            (skipped.length > 0 ? `; left out ${skipped.join(', ')}` : '') +
            '\n',
        );
        if (result.indicators + result.sketches === 0 && (result.skipped.other_key ?? 0) > 0) {
          context.stderr.write(`distillguard: every indicator was made with another key than ${key.keyId}: check --community-key-file\n`);
        }
      } finally {
        store.close();
      }
    });

  intel
    .command('add-key')
    .description("keep a sharing community's key in the store, so `serve` offers the community as a TAXII collection and analyses match partners' indicators")
    .requiredOption('--db <path>', 'the store `serve` runs on (stop the server first: it holds the store)')
    .requiredOption('--community-key-file <file>', "the sharing community's secret key")
    .option('--community <name>', 'the sharing community the key belongs to', 'default')
    .action(async (flags: { db: string; communityKeyFile: string; community: string }) => {
      const key = readCommunityKey(flags.communityKeyFile, flags.community);
      const store = await DuckDbStore.open({ path: flags.db, create: true });
      try {
        await ensurePartnerIntelTables(store);
        await saveCommunityKey(store, { community: key.community, keyId: key.keyId, key: key.key });
      } finally {
        store.close();
      }
      context.stdout.write(`Kept the key ${key.keyId} of the sharing community ${key.community}; its TAXII collection is ${taxiiCollectionId(key.community)}\n`);
    });

  intel
    .command('poll')
    .description("pull what a partner's TAXII 2.1 collection gained since the last poll and import it, as `intel import` does")
    .requiredOption('--url <api root>', "the partner's TAXII API root, e.g. https://partner.example/taxii2/api/")
    .requiredOption('--collection <id or community>', 'the collection id, or the sharing community name (a distillguard server names its collections after them)')
    .option('--key <api key>', 'the partner API key the other provider made for you (prefer --key-file: a command line is visible to other users)')
    .option('--key-file <file>', 'a file holding that API key')
    .requiredOption('--db <path>', 'the store to add the indicators to (it also remembers where the last poll stopped)')
    .requiredOption('--community-key-file <file>', "the sharing community's secret key the objects were made with")
    .option('--community <name>', 'the sharing community the key belongs to', 'default')
    .action(async (flags: { url: string; collection: string; key?: string; keyFile?: string; db: string; communityKeyFile: string; community: string }) => {
      const key = readCommunityKey(flags.communityKeyFile, flags.community);
      const apiKey = readApiKey(flags.key, flags.keyFile);
      if (!/^https?:\/\//.test(flags.url)) throw new UsageError(`--url: expected an http(s) URL of a TAXII API root, got ${JSON.stringify(flags.url)}`);
      if (!existsSync(flags.db)) throw new UsageError(`no store at ${flags.db}: run \`distillguard ingest ... --db ${flags.db}\` first`);
      const store = await DuckDbStore.open({ path: flags.db });
      try {
        const result = await pollTaxiiCollection(store, { apiRoot: flags.url, collection: flags.collection, apiKey, key });
        const skipped = Object.entries(result.skipped).map(([reason, count]) => `${count} ${reason.replaceAll('_', ' ')}`);
        context.stdout.write(
          `Pulled ${result.objects} objects in ${result.pages} pages; imported ${result.indicators} indicators and ${result.sketches} template sketches (community ${key.community}, key ${key.keyId})` +
            (skipped.length > 0 ? `; left out ${skipped.join(', ')}` : '') +
            (result.addedAfter !== null ? `; next poll from ${result.addedAfter}` : '') +
            '\n',
        );
      } finally {
        store.close();
      }
    });
}

function readApiKey(key: string | undefined, file: string | undefined): string {
  if ((key === undefined) === (file === undefined)) throw new UsageError('give the partner API key with exactly one of --key or --key-file');
  if (key !== undefined) return key;
  try {
    return readFileSync(file!, 'utf8').trim();
  } catch (error) {
    throw new UsageError(`cannot read the API key file ${file}: ${(error as Error).message}`);
  }
}

export function readCommunityKey(path: string, community: string): CommunityKey {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new UsageError(`cannot read the community key file ${path}: ${(error as Error).message}`);
  }
  const key = Buffer.from(bytes.toString('latin1').replace(/\s+$/, ''), 'latin1');
  if (key.length < MIN_KEY_BYTES) throw new UsageError(`the community key in ${path} has ${key.length} bytes; it needs at least ${MIN_KEY_BYTES} (e.g. \`openssl rand -hex 32\`)`);
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(community)) throw new UsageError(`--community: expected a name of letters, digits, dots, dashes or underscores (at most 64), got ${JSON.stringify(community)}`);
  return createCommunityKey(community, key);
}
