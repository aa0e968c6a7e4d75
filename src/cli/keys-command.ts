import { Command, InvalidArgumentError, Option } from 'commander';
import { DuckDbStore } from '../store/duckdb-store.js';
import { API_KEY_ROLES, ensureServiceTables, insertApiKey, listApiKeys, revokeApiKey, type ApiKeyRole, type KeyCommunity } from '../store/service-tables.js';
import { describeApiKey, generateApiKey, parseKeyCommunity } from '../service/api-keys.js';
import { appendAuditEntry, ensureAuditLog } from '../store/audit-log.js';
import { DistillguardError, NotFoundError, StoreError } from '../util/errors.js';
import type { CliContext } from './cli-context.js';

export function registerKeysCommand(program: Command, context: CliContext): void {
  const keys = program
    .command('keys')
    .summary('make, list and revoke API keys for `distillguard serve`')
    .description(
      'API keys for the live service. Each key has one role: ingest (POST /v1/exchanges), decide (POST /v1/decide), ' +
        'analyst (accounts, clusters, verdicts), admin (everything, and keys) or partner (the TAXII collections of its --community). Only a hash of each key is stored. ' +
        'While `distillguard serve` runs it holds the store: manage keys through its admin API (/v1/keys) instead.',
    );

  keys
    .command('create')
    .description('make a key and print it once (it cannot be shown again)')
    .requiredOption('--db <path>', 'the store the server runs on (created when missing)')
    .addOption(new Option('--role <role>', 'what the key may do').choices(API_KEY_ROLES).makeOptionMandatory())
    .option('--name <text>', 'a name to tell keys apart (who or what uses it)')
    .option('--rate-limit <n>', 'requests per second this key may make (default by role)', parseRate)
    .option(
      '--community <name[:access]>',
      'role partner: a sharing community the key reaches over TAXII, as NAME (read and write), NAME:read or NAME:write; repeat for more',
      (value: string, previous: KeyCommunity[] = []) => [...previous, parseCommunityOption(value)],
    )
    .option('--json', 'print the key and its record as JSON', false)
    .action(async (flags: { db: string; role: ApiKeyRole; name?: string; rateLimit?: number; community?: KeyCommunity[]; json: boolean }) => {
      const created = generateApiKey({ role: flags.role, name: flags.name ?? null, rateLimit: flags.rateLimit ?? null, communities: flags.community ?? [] });
      await withStore(flags.db, true, async (store) => {
        await insertApiKey(store, created.record);
        await appendAuditEntry(store, { at: Date.now(), action: 'key_created', actorKeyId: 'cli', actorName: null, target: 'key', targetId: created.record.keyId, value: flags.role, previous: null, note: created.record.name, detail: null });
      });
      if (flags.json) {
        context.stdout.write(JSON.stringify({ key: created.key, ...describeApiKey(created.record) }, null, 2) + '\n');
        return;
      }
      context.stdout.write(`${created.key}\n`);
      context.stderr.write(`made API key ${created.record.keyId} (role ${flags.role}); it is shown only this once: keep it in a secret store\n`);
    });

  keys
    .command('list')
    .description('list keys (id, name, role, rate limit, created, revoked), never the keys themselves')
    .requiredOption('--db <path>', 'the store')
    .option('--json', 'print JSON', false)
    .action(async (flags: { db: string; json: boolean }) => {
      const records = await withStore(flags.db, false, (store) => listApiKeys(store));
      const described = records.map(describeApiKey);
      if (flags.json) {
        context.stdout.write(JSON.stringify({ keys: described }, null, 2) + '\n');
        return;
      }
      if (described.length === 0) {
        context.stdout.write('no API keys; make one with `distillguard keys create --role admin --db ...`\n');
        return;
      }
      const rows = [['key id', 'role', 'rate/s', 'created', 'revoked', 'name'], ...described.map((key) => [key.key_id, key.role, String(key.rate_limit), key.created_at, key.revoked_at ?? '-', key.name ?? ''])];
      const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
      for (const row of rows) context.stdout.write(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd() + '\n');
    });

  keys
    .command('revoke')
    .description('revoke a key: it stops working at the next server start (use DELETE /v1/keys/ID on a running server)')
    .argument('<key-id>', 'the key id shown by `keys list`')
    .requiredOption('--db <path>', 'the store')
    .action(async (keyId: string, flags: { db: string }) => {
      const found = await withStore(flags.db, false, async (store) => {
        const before = (await listApiKeys(store)).find((record) => record.keyId === keyId);
        const revoked = await revokeApiKey(store, keyId, Date.now());
        if (revoked && before !== undefined) {
          await appendAuditEntry(store, { at: Date.now(), action: 'key_revoked', actorKeyId: 'cli', actorName: null, target: 'key', targetId: keyId, value: 'revoked', previous: before.revokedAt === null ? before.role : 'revoked', note: null, detail: null });
        }
        return revoked;
      });
      if (!found) throw new NotFoundError(`no API key ${keyId} in ${flags.db}`);
      context.stdout.write(`revoked ${keyId}\n`);
    });
}

async function withStore<T>(path: string, create: boolean, work: (store: DuckDbStore) => Promise<T>): Promise<T> {
  let store: DuckDbStore;
  try {
    store = await DuckDbStore.open({ path, create, memoryLimit: '128MB' });
  } catch (error) {
    if (error instanceof StoreError && /in use by another process/.test(error.message)) {
      throw new DistillguardError(
        `the store ${path} is held by a running \`distillguard serve\`, so keys cannot be read or changed from here. Use its admin API with an admin key:\n` +
          `  curl -X POST http://HOST:PORT/v1/keys -H "Authorization: Bearer $ADMIN_KEY" -H 'content-type: application/json' -d '{"role":"decide"}'\n` +
          '  GET /v1/keys lists keys, DELETE /v1/keys/KEY_ID revokes one.',
        { exitCode: 1, cause: error },
      );
    }
    throw error;
  }
  try {
    await ensureServiceTables(store);
    await ensureAuditLog(store);
    return await work(store);
  } finally {
    store.close();
  }
}

function parseRate(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 1_000_000) throw new InvalidArgumentError('expected requests per second, a whole number from 1 to 1000000');
  return value;
}

function parseCommunityOption(text: string): KeyCommunity {
  try {
    return parseKeyCommunity(text);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}
