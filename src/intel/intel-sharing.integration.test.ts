import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../ingest/test-support/cli-runner.js';
import type { Findings } from '../model/findings.js';
import { DuckDbStore } from '../store/duckdb-store.js';
import type { StixBundle } from './intel-bundle-builder.js';
import { createStixSchemaValidator } from './test-support/stix-schema-validator.js';
import { createTestService } from '../service/test-support/service-fixture.js';
import { ensurePartnerIntelTables, saveCommunityKey } from '../store/partner-intel-tables.js';
import { createCommunityKey } from './keyed-indicators.js';
import { registerTaxiiRoutes, taxiiCollectionId } from './taxii-routes.js';
import { readPartnerSightings } from './partner-matcher.js';
import { readServiceConfig } from '../service/service-config.js';
import { startLiveService } from '../service/start-service.js';
import { createSilentLogger } from '../util/log.js';

let dir: string;
let bundle: StixBundle;
let bundleText: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'distillguard-intel-'));
  const simulated = await runCli(['simulate', '--scenario', 'smoke', '--seed', '7', '--out', join(dir, 'sim'), '--no-progress']);
  expect(simulated.code, simulated.stderr).toBe(0);
  const ingested = await runCli([
    'ingest', join(dir, 'sim', 'exchanges.jsonl.gz'), '--accounts', join(dir, 'sim', 'accounts.jsonl'),
    '--db', join(dir, 'a.duckdb'), '--text', 'full', '--no-progress',
  ]);
  expect(ingested.code, ingested.stderr).toBe(0);
  writeFileSync(join(dir, 'community.key'), 'a3f09c1e5b7d2468ace13579bdf02468a3f09c1e5b7d2468ace13579bdf02468\n');
  const exported = await runCli([
    'intel', 'export', '--db', join(dir, 'a.duckdb'), '--out', join(dir, 'bundle.json'),
    '--community-key-file', join(dir, 'community.key'), '--community', 'labs', '--producer', 'Provider A',
  ]);
  expect(exported.code, exported.stderr).toBe(0);
  expect(exported.stdout).toMatch(/Exported \d+ clusters, \d+ indicators and \d+ template sketches .* community labs, key [0-9a-f]{16}, TLP:AMBER\) in /);
  bundleText = readFileSync(join(dir, 'bundle.json'), 'utf8');
  bundle = JSON.parse(bundleText) as StixBundle;
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('intel export (smoke scenario)', () => {
  it('writes a bundle that validates whole against the OASIS STIX 2.1 schemas, with campaigns, indicators and sketches', () => {
    const validator = createStixSchemaValidator();
    expect(validator.bundle(bundle)).toEqual([]);
    for (const object of bundle.objects) expect(validator.object(object), object.id).toEqual([]);
    const types = new Set(bundle.objects.map((object) => object.type));
    for (const type of ['identity', 'campaign', 'indicator', 'sighting', 'relationship', 'marking-definition', 'extension-definition', 'x-distillguard-template-sketch']) {
      expect(types, type).toContain(type);
    }
    expect(statSync(join(dir, 'bundle.json')).size).toBeGreaterThan(0);
  });

  it('lets no prompt, IP, e-mail, card or account id out, nor any 8-word window of any prompt', async () => {
    const store = await DuckDbStore.open({ path: join(dir, 'a.duckdb'), readOnly: true });
    const texts = await store.query<{ text: string }>(
      "SELECT DISTINCT text FROM (SELECT prompt_text AS text FROM exchanges UNION ALL SELECT system_text FROM exchanges UNION ALL SELECT output_text FROM exchanges) WHERE text IS NOT NULL AND text <> ''",
    );
    const values = await store.query<{ value: string }>(
      `SELECT DISTINCT value FROM (
         SELECT client_ip AS value FROM exchanges UNION ALL SELECT client_subnet FROM exchanges UNION ALL SELECT user_agent FROM exchanges
         UNION ALL SELECT tls_fingerprint FROM exchanges UNION ALL SELECT account_id FROM exchanges UNION ALL SELECT api_key_id FROM exchanges
         UNION ALL SELECT payment_fingerprint FROM accounts UNION ALL SELECT signup_ip FROM accounts UNION ALL SELECT email_domain FROM accounts
         UNION ALL SELECT email_local_hash FROM accounts) WHERE value IS NOT NULL AND length(value) >= 6`,
    );
    store.close();
    expect(texts.length).toBeGreaterThan(1000);
    const accounts = readFileSync(join(dir, 'sim', 'accounts.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { email?: string });
    const emails = accounts.flatMap((account) => (account.email ? [account.email, account.email.split('@')[0]!] : [])).filter((text) => text.length >= 6);
    const leaked = [...values.map((row) => row.value), ...emails].filter((value) => bundleText.includes(value));
    expect(leaked).toEqual([]);

    const words = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0);
    const bundleWindows = new Set<string>();
    const bundleWords = words(bundleText);
    for (let at = 0; at + 8 <= bundleWords.length; at++) bundleWindows.add(bundleWords.slice(at, at + 8).join(' '));
    const leakedWindows: string[] = [];
    for (const { text } of texts) {
      const prompt = words(text);
      for (let at = 0; at + 8 <= prompt.length; at++) {
        const window = prompt.slice(at, at + 8).join(' ');
        if (bundleWindows.has(window)) leakedWindows.push(window);
      }
    }
    expect(leakedWindows).toEqual([]);
  });

  it('refuses a missing or short community key with a usage error (exit 2)', async () => {
    const missing = await runCli(['intel', 'export', '--db', join(dir, 'a.duckdb'), '--out', join(dir, 'x.json'), '--community-key-file', join(dir, 'nope.key')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the community key file/);
    writeFileSync(join(dir, 'short.key'), 'short\n');
    const short = await runCli(['intel', 'export', '--db', join(dir, 'a.duckdb'), '--out', join(dir, 'x.json'), '--community-key-file', join(dir, 'short.key')]);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/needs at least 16/);
  });
});

describe('intel import (the same traffic seen by a partner)', () => {
  it("turns a partner's matching indicators into partner_sighting evidence that names the partner, and never flags on it alone", async () => {
    copyFileSync(join(dir, 'a.duckdb'), join(dir, 'b.duckdb'));
    const imported = await runCli(['intel', 'import', join(dir, 'bundle.json'), '--db', join(dir, 'b.duckdb'), '--community-key-file', join(dir, 'community.key'), '--community', 'labs']);
    expect(imported.code, imported.stderr).toBe(0);
    const indicators = bundle.objects.filter((object) => object.type === 'indicator').length;
    expect(imported.stdout).toContain(`Imported ${indicators} indicators and `);
    const analyzed = await runCli(['analyze', '--db', join(dir, 'b.duckdb'), '--json', join(dir, 'b.json'), '--no-progress']);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const findings = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')) as Findings;
    const shared = new Set(findings.clusters.filter((cluster) => cluster.flagged).flatMap((cluster) => cluster.accounts));
    const sighted = findings.accounts.filter((account) => account.evidence.some((item) => item.signal === 'partner_sighting'));
    expect(sighted.filter((account) => shared.has(account.account_id)).length).toBeGreaterThan(shared.size / 2);
    expect(sighted[0]!.evidence.find((item) => item.signal === 'partner_sighting')!.detail).toMatch(/^seen by a partner: Provider A \(labs\): .*confidence \d+, \d+ days old/);
    for (const account of findings.accounts.filter((item) => item.flagged)) {
      const others = account.evidence.filter((item) => item.signal !== 'partner_sighting' && item.weight > 0);
      expect(others.length, account.account_id).toBeGreaterThan(0);
    }
  });

  it('counts in the live service as in analyze: serve reads the store\'s partner indicators into its scores', async () => {
    copyFileSync(join(dir, 'b.duckdb'), join(dir, 'b-serve.duckdb'));
    const analyzed = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')) as Findings;
    const sighting = (evidence: readonly { signal: string; weight: number }[]) => evidence.find((item) => item.signal === 'partner_sighting')?.weight;
    const sighted = analyzed.accounts.filter((account) => sighting(account.evidence) !== undefined).slice(0, 8);
    expect(sighted.length).toBeGreaterThan(0);
    const config = readServiceConfig({ db: join(dir, 'b-serve.duckdb'), port: 0, ingestWorkers: 0, relinkInWorker: false, scoringInWorker: false, relinkIntervalMs: 3_600_000, memoryLimit: '1GB' });
    const live = await startLiveService(config, createSilentLogger(), { partnerSightings: (store) => readPartnerSightings(store) });
    try {
      for (const account of sighted) {
        const finding = await live.core.scoring.account(account.account_id);
        expect(sighting(finding?.evidence ?? []), account.account_id).toBeCloseTo(sighting(account.evidence)!, 3);
      }
    } finally {
      await live.close();
    }
  }, 300_000);

  it('leaves out indicators made with another key and says so', async () => {
    writeFileSync(join(dir, 'other.key'), 'another community entirely, 32 b\n');
    const imported = await runCli(['intel', 'import', join(dir, 'bundle.json'), '--db', join(dir, 'b.duckdb'), '--community-key-file', join(dir, 'other.key'), '--community', 'labs']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^Imported 0 indicators and 0 template sketches .*left out \d+ other key/);
    expect(imported.stderr).toMatch(/made with another key/);
  });
});

describe('over TAXII: provider A serves its export, provider B polls it', () => {
  it('publishes A\'s analysis into its collection, and B, polling with a partner key, gets the same indicators and partner_sighting evidence', async () => {
    copyFileSync(join(dir, 'a.duckdb'), join(dir, 'a-serve.duckdb'));
    const providerA = await createTestService({ dbPath: join(dir, 'a-serve.duckdb'), routes: [registerTaxiiRoutes], memoryLimit: '1GB' });
    try {
      const community = createCommunityKey('labs', Buffer.from(readFileSync(join(dir, 'community.key'), 'latin1').trimEnd(), 'latin1'));
      await providerA.core.withStore(async (store) => {
        await ensurePartnerIntelTables(store);
        await saveCommunityKey(store, community);
      });
      const published = await providerA.app.inject({ method: 'POST', url: '/v1/intel/publish', headers: providerA.auth('analyst'), payload: { community: 'labs', producer: 'Provider A' } });
      expect(published.statusCode, published.body).toBe(200);
      const indicators = bundle.objects.filter((object) => object.type === 'indicator').length;
      expect(published.json()).toMatchObject({ collection: taxiiCollectionId('labs'), indicators });

      const { key } = await providerA.core.createKey({ role: 'partner', name: 'Provider B', communities: [{ community: 'labs', canRead: true, canWrite: false }] });
      writeFileSync(join(dir, 'partner.key'), key);
      const address = await providerA.app.listen({ port: 0, host: '127.0.0.1' });
      copyFileSync(join(dir, 'a.duckdb'), join(dir, 'c.duckdb'));
      const polled = await runCli([
        'intel', 'poll', '--url', `${address}/taxii2/api/`, '--collection', 'labs', '--key-file', join(dir, 'partner.key'),
        '--db', join(dir, 'c.duckdb'), '--community-key-file', join(dir, 'community.key'), '--community', 'labs',
      ]);
      expect(polled.code, polled.stderr).toBe(0);
      expect(polled.stdout).toContain(`imported ${indicators} indicators and `);
    } finally {
      await providerA.close();
    }
    const analyzed = await runCli(['analyze', '--db', join(dir, 'c.duckdb'), '--json', join(dir, 'c.json'), '--no-progress']);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const findings = JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8')) as Findings;
    const sighted = findings.accounts.filter((account) => account.evidence.some((item) => item.signal === 'partner_sighting'));
    expect(sighted.length).toBeGreaterThan(0);
    expect(sighted[0]!.evidence.find((item) => item.signal === 'partner_sighting')!.detail).toMatch(/^seen by a partner: Provider A \(labs\): /);
  }, 300_000);
});

describe('two services: A shares a confirmed cluster, B polls it and meets the operation again', () => {
  it('links a new account on B, on the same exits with a paraphrase of the harness, to A\'s indicators; B receives no raw value', async () => {
    const findings = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')) as Findings;
    const cluster = findings.clusters.find((item) => item.flagged)!;
    // A member whose requests all carry a messages list (the shape the rewording below edits).
    const raw = gunzipSync(readFileSync(join(dir, 'sim', 'exchanges.jsonl.gz'))).toString('utf8').split('\n');
    type Line = { id: string; account_id: string; client_ip: string; request: { messages?: { role: string; content: unknown }[] } };
    const linesOf = (account: string) => raw.filter((line) => line.includes(`"account_id":"${account}"`)).map((line) => JSON.parse(line) as Line);
    const member = cluster.accounts.find((account) => {
      const lines = linesOf(account);
      return lines.length > 5 && lines.every((line) => Array.isArray(line.request.messages));
    })!;
    expect(member, 'a member of the flagged cluster that sends chat-shaped requests').toBeDefined();
    const community = createCommunityKey('labs', Buffer.from(readFileSync(join(dir, 'community.key'), 'latin1').trimEnd(), 'latin1'));

    // A confirms the cluster (a verdict on one of its accounts) and publishes only what is confirmed.
    copyFileSync(join(dir, 'a.duckdb'), join(dir, 'a-share.duckdb'));
    const providerA = await createTestService({ dbPath: join(dir, 'a-share.duckdb'), routes: [registerTaxiiRoutes], memoryLimit: '1GB' });
    let served = '';
    try {
      await providerA.core.withStore(async (store) => {
        await ensurePartnerIntelTables(store);
        await saveCommunityKey(store, community);
      });
      const confirmed = await providerA.app.inject({ method: 'POST', url: '/v1/labels', headers: providerA.auth('analyst'), payload: { target: 'account', id: member, verdict: 'confirmed' } });
      expect(confirmed.statusCode, confirmed.body).toBe(201);
      const published = await providerA.app.inject({ method: 'POST', url: '/v1/intel/publish', headers: providerA.auth('analyst'), payload: { community: 'labs', producer: 'Provider A', only_confirmed: true } });
      expect(published.statusCode, published.body).toBe(200);
      const { key } = await providerA.core.createKey({ role: 'partner', name: 'Provider B', communities: [{ community: 'labs', canRead: true, canWrite: false }] });
      writeFileSync(join(dir, 'partner-b.key'), key);
      const address = await providerA.app.listen({ port: 0, host: '127.0.0.1' });
      const objects = await fetch(`${address}/taxii2/api/collections/${taxiiCollectionId('labs')}/objects/`, {
        headers: { authorization: `Bearer ${key}`, accept: 'application/taxii+json;version=2.1' },
      });
      served = await objects.text();

      // B: a store of its own, which polls A's collection before its service starts.
      const storeB = await DuckDbStore.open({ path: join(dir, 'provider-b.duckdb'), create: true });
      storeB.close();
      const polled = await runCli([
        'intel', 'poll', '--url', `${address}/taxii2/api/`, '--collection', 'labs', '--key-file', join(dir, 'partner-b.key'),
        '--db', join(dir, 'provider-b.duckdb'), '--community-key-file', join(dir, 'community.key'), '--community', 'labs',
      ]);
      expect(polled.code, polled.stderr).toBe(0);
      expect(polled.stdout).toMatch(/imported [1-9]\d* indicators and [1-9]\d* template sketches/);
    } finally {
      await providerA.close();
    }

    // The operation comes to B with a new account: the member's requests, from the same exits,
    // each prompt reworded (a word changed), under new ids.
    const theirs = linesOf(member);
    const reworded = theirs.map((line, i) => {
      const sent = line.request.messages!;
      const messages = sent.map((message, k) =>
        k === sent.length - 1 && typeof message.content === 'string' ? { ...message, content: message.content.replace(/\b(the|a|and|of)\b/i, (word) => (word.toLowerCase() === 'the' ? 'this' : 'some')) } : message,
      );
      return JSON.stringify({ ...line, id: `req_b_${i}`, account_id: 'acct_b_newcomer', org_id: 'org_b_newcomer', request: { ...line.request, messages } });
    });
    const config = readServiceConfig({ db: join(dir, 'provider-b.duckdb'), port: 0, ingestWorkers: 0, relinkInWorker: false, scoringInWorker: false, relinkIntervalMs: 3_600_000 });
    const providerB = await startLiveService(config, createSilentLogger(), { partnerSightings: (store) => readPartnerSightings(store) });
    try {
      const { key } = await providerB.core.createKey({ role: 'ingest', name: 'gateway' });
      const posted = await fetch(`${providerB.url}/v1/exchanges`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' }, body: reworded.join('\n') + '\n' });
      expect(posted.status, await posted.text()).toBe(202);
      await providerB.core.scoringIdle();
      await providerB.core.relink.runNow();
      await providerB.core.scoringIdle();
      const finding = await providerB.core.scoring.account('acct_b_newcomer');
      const sighting = finding?.evidence.find((item) => item.signal === 'partner_sighting');
      expect(sighting?.detail).toMatch(/^seen by a partner: Provider A \(labs\): /);
      // Both halves of what was shared: the exits and the harness, reworded.
      expect(sighting?.detail).toMatch(/\d+ ip\b/);
      expect(sighting?.detail).toMatch(/\d+ template/);
    } finally {
      await providerB.close();
    }
    // What B received names nothing in the clear: no exit address, no prompt, no account.
    expect(served.length).toBeGreaterThan(0);
    for (const line of theirs) {
      expect(served).not.toContain(line.client_ip);
      expect(served).not.toContain(line.account_id);
    }
  }, 300_000);
});
