import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AccountTable } from './account-table.js';
import { FixedWidthIds } from './compact-columns.js';
import { GrowingColumn } from '../util/growing-column.js';
import { EndpointLists } from './endpoint-lists.js';
import { packIpv4 } from './network-catalog.js';
import { createSimulationContext, writeAndReleaseAccountFiles, type SimulationSettings } from './simulation-context.js';
import { buildWorld } from './world-builder.js';
import { CORPORA_DIR, smokeScenario, testCorpora } from './test-support/sim-fixtures.js';
import type { AccountSignup, NewAccount, SimAccount } from './world-model.js';

const SIGNUP_FIELDS: readonly (keyof AccountSignup)[] = ['tier', 'country', 'createdAtMs', 'emailLocal', 'emailDomain', 'paymentFingerprint', 'signupIp', 'verification'];

function generationView(account: NewAccount, index: number): SimAccount {
  const view: Record<string, unknown> = { index, ...account };
  for (const field of SIGNUP_FIELDS) delete view[field];
  return view as unknown as SimAccount;
}

describe('account table', () => {
  it('gives back every account of a world as the population builders made it, minus the sign-up details', () => {
    const append = vi.spyOn(AccountTable.prototype, 'append');
    try {
      const smoke = smokeScenario();
      // Smoke leaves the product customers out; their content kinds are packed too.
      const scenario = { ...smoke, personas: { ...smoke.personas, tutoring_app: { ...smoke.personas.tutoring_app, apps: 1 }, translation_agency: { ...smoke.personas.translation_agency, agencies: 1 }, synthetic_data_team: { ...smoke.personas.synthetic_data_team, teams: 1 } } };
      const world = buildWorld(scenario, testCorpora(), { scale: 1, seed: 3 });
      const built = append.mock.calls.map(([account]) => account as NewAccount);
      expect(world.accounts.length).toBe(built.length);
      built.forEach((account, index) => expect(world.accounts.get(index)).toEqual(generationView(account, index)));
      // Every shape of what is packed occurs: own and pooled networks, IPv6 homes, alternative clients, windows.
      const unpacked = built.map((_, index) => world.accounts.get(index));
      expect(new Set(unpacked.map((account) => account.habits.content.kind)).size).toBe(14);
      expect(unpacked.some((account) => account.network.kind === 'own' && account.network.endpoints.some((endpoint) => endpoint.ip.includes(':')))).toBe(true);
      expect(unpacked.some((account) => account.offWindowNetwork !== null && account.altClient === null)).toBe(true);
      expect(unpacked.some((account) => account.altClient !== null && account.schedule.windows.length === 0)).toBe(true);
      expect(unpacked.some((account) => account.schedule.windows.length > 0 && account.habits.tools === null)).toBe(true);
      expect(unpacked.some((account) => account.dormant)).toBe(true);
    } finally {
      append.mockRestore();
    }
  });

  it('stores what accounts share once: pooled networks, window plans and client builds are the same objects', () => {
    const world = buildWorld(smokeScenario(), testCorpora(), { scale: 1, seed: 3 });
    const accounts = Array.from({ length: world.accounts.length }, (_, index) => world.accounts.get(index));
    const students = accounts.filter((account) => account.habits.content.kind === 'classroom');
    const byClass = new Map(students.map((student) => [student.habits.content.kind === 'classroom' ? student.habits.content.classIndex : -1, student]));
    for (const student of students) {
      const classmate = byClass.get(student.habits.content.kind === 'classroom' ? student.habits.content.classIndex : -1)!;
      expect(student.schedule.windows).toBe(classmate.schedule.windows);
      expect(student.network).toBe(classmate.network);
    }
    const clients = new Set(accounts.map((account) => account.client));
    expect(clients.size).toBe(new Set(accounts.map((account) => `${account.client.userAgent}\n${account.client.tlsFingerprint}`)).size);
  });

  it('keeps sign-up details only in the thread that writes the account files, and only until they are written', () => {
    const settings: SimulationSettings = { scenario: smokeScenario(), scale: 0.1, seed: 5, forcedApi: null, corporaDir: CORPORA_DIR, gzipLevel: 1 };
    const generating = createSimulationContext(settings, { corpora: testCorpora() });
    expect(generating.world.accountFiles).toBeNull();
    expect(Object.keys(generating.world.accounts.get(0))).not.toContain('emailLocal');

    const writing = createSimulationContext(settings, { corpora: testCorpora(), accountFiles: true });
    expect(writing.world.accountFiles?.length).toBe(writing.world.accounts.length);
    const dir = mkdtempSync(join(tmpdir(), 'dg-account-table-'));
    writeAndReleaseAccountFiles(writing, { accounts: join(dir, 'accounts.jsonl'), labels: join(dir, 'labels.jsonl') });
    expect(writing.world.accountFiles).toBeNull();
    expect(readFileSync(join(dir, 'accounts.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(writing.world.accounts.length);
  });
});

describe('packed identifiers and endpoints', () => {
  it('refuses identifiers that would need escaping in JSON or that do not fit the column', () => {
    const ids = new FixedWidthIds('acct_', 4, 1);
    for (const id of ['acct_ab2c', 'acct_zz77', 'acct_AB12']) ids.push(id);
    expect([0, 1, 2].map((index) => ids.get(index))).toEqual(['acct_ab2c', 'acct_zz77', 'acct_AB12']);
    for (const bad of ['acct_ab"c', 'acct_abc', 'acct_abcde', 'org_abcd', 'acct_ab\\c']) expect(() => ids.push(bad)).toThrow();
  });

  it('refuses numbers that a column cannot hold exactly, instead of wrapping them', () => {
    const column = new GrowingColumn(Uint8Array, 1);
    column.push(255);
    expect(() => column.push(256)).toThrow(RangeError);
    expect(() => column.push(-1)).toThrow(RangeError);
    expect(() => column.push(1.5)).toThrow(RangeError);
    column.push(7);
    expect(column.seal()).toEqual(Uint8Array.of(255, 7));
  });

  it('packs dotted quads and keeps any other address as text', () => {
    expect(packIpv4('73.1.200.9')).toBe(((73 << 24) >>> 0) + (1 << 16) + (200 << 8) + 9);
    for (const other of ['2601:4a:1:2:3:4', '073.1.2.3', '1.2.3', '1.2.3.256', '']) expect(packIpv4(other)).toBeNull();
    const lists = new EndpointLists();
    const home = [
      { ip: '73.1.200.9', asn: 7922, country: 'US' },
      { ip: '2601:4a:1:2:3:4', asn: 7922, country: 'US' },
    ];
    const office = [{ ip: '10.0.0.1', asn: 3, country: 'DE' }];
    expect([lists.add(home), lists.add(office), lists.add([])]).toEqual([0, 1, 2]);
    lists.seal();
    expect(lists.endpointsOf(0)).toEqual(home);
    expect(lists.endpointAt(1, 0)).toEqual(office[0]);
    expect(lists.sizeOf(2)).toBe(0);
  });
});
