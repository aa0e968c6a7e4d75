import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Account } from '../model/account.js';
import { linkAccounts, linkKindBit } from '../linking/account-linker.js';
import { createDetectionEngine, createdBesideOperator, lateMembersInRotation, type WeightedSignal } from './detection-engine.js';
import { TopKCounter } from '../behaviour/top-k-counter.js';
import type { AccountInfo } from '../behaviour/account-state.js';
import { templateKey } from '../behaviour/behaviour-tracker.js';
import { parseDetectionConfig } from './detection-config.js';
import { buildFindings } from './findings-builder.js';
import { random, sentence, syntheticPopulation, toRecord, type SyntheticExchange } from './test-support/synthetic-traffic.js';
import { clusterFixture, members } from './test-support/cluster-fixture.js';

function analyse(seed = 1) {
  const population = syntheticPopulation({ seed });
  const engine = createDetectionEngine();
  engine.setAccountInfo(population.accounts);
  const records = population.exchanges.map(toRecord);
  for (let i = 0; i < records.length; i += 500) engine.observe(records.slice(i, i + 500));
  engine.relink();
  const assessment = engine.assess();
  const findings = buildFindings({ assessment, tracker: engine.tracker, config: engine.config, generatedAt: '2026-03-01T00:00:00.000Z', timings: {}, version: 'test' });
  return { population, engine, findings };
}

/** An engine that has seen `exchanges` (in batches, as the service sends them) from `accounts`, linked. */
function linkedEngine(accounts: readonly Account[], exchanges: readonly SyntheticExchange[], reference?: Parameters<typeof createDetectionEngine>[1]) {
  const engine = createDetectionEngine(undefined, reference);
  engine.setAccountInfo([...accounts]);
  const records = exchanges.map(toRecord);
  for (let i = 0; i < records.length; i += 500) engine.observe(records.slice(i, i + 500));
  engine.relink();
  return engine;
}

/**
 * Puts `accounts` into the cluster of `acct_op_0`, tied as given (how firmly, by which link kinds,
 * late or not), as if the linker had put them there, and applies the links.
 */
function tieIntoOperatorCluster(engine: ReturnType<typeof linkedEngine>, accounts: readonly Account[], tie: { attachment: number; kinds: number; late: 0 | 1 }): void {
  const links = structuredClone(engine.linkResult!);
  const indexOf = (id: string) => engine.tracker.accounts.findIndex((a) => a.id === id);
  const cluster = links.clusterOf[indexOf('acct_op_0')]!;
  expect(cluster).not.toBe(-1);
  for (const account of accounts) {
    const index = indexOf(account.accountId);
    links.clusterOf[index] = cluster;
    links.attachment[index] = tie.attachment;
    links.kindsOf[index] = tie.kinds;
    links.late[index] = tie.late;
    if (!links.clusters[cluster]!.members.includes(index)) links.clusters[cluster]!.members.push(index);
  }
  links.clusters[cluster]!.members.sort((x, y) => x - y);
  engine.applyLinks(links);
}

/** A pool's exit for `customer`'s `request`-th request: many subnets, each customer rotating through them. */
const poolExit = (customer: number, request: number) => `45.${(customer * 7 + request * 13) % 40}.9.${10 + ((customer + request) % 5)}`;

/** Twenty ordinary questions from each of `count` accounts `${prefix}_${k}`, sent from `exitOf`'s addresses (the pool's by default). */
function poolCustomerTraffic(prefix: string, count: number, rng: ReturnType<typeof random>, exitOf: (customer: number, request: number) => string = poolExit): SyntheticExchange[] {
  const exchanges: SyntheticExchange[] = [];
  for (let k = 0; k < count; k++) {
    for (let i = 0; i < 20; i++) {
      const ip = exitOf(k, i);
      exchanges.push({
        spec: { accountId: `${prefix}_${k}`, ts: Date.UTC(2026, 1, 2 + (i % 6), 7 + ((k + i) % 12)), id: `req_${prefix.replace(/^acct_/, '')}_${k}_${i}`, prompt: `${sentence(rng, 12)}?`, maxTokens: 1024, outputTokens: 150 },
        clientIp: ip,
        subnet: ip.split('.').slice(0, 3).join('.') + '.0/24',
        userAgent: 'Mozilla/5.0',
      });
    }
  }
  return exchanges;
}

describe('detection engine', () => {
  it('flags the operator accounts as one cluster and leaves people, a developer company and an evaluation harness clean', () => {
    const { population, findings } = analyse();
    const byId = new Map(findings.accounts.map((account) => [account.account_id, account]));
    const operators = [...population.truth].filter(([, campaign]) => campaign !== null).map(([id]) => id);
    for (const id of operators) expect(byId.get(id)!.flagged, id).toBe(true);
    expect(new Set(operators.map((id) => byId.get(id)!.cluster_id)).size).toBe(1);
    for (const [id, campaign] of population.truth) if (campaign === null) expect(byId.get(id)!.flagged, id).toBe(false);
    const cluster = findings.clusters.find((c) => c.cluster_id === byId.get(operators[0]!)!.cluster_id)!;
    expect(cluster.flagged).toBe(true);
    expect(cluster.accounts.sort()).toEqual([...operators].sort());
    expect(cluster.indicators.payment_fingerprints.length).toBeGreaterThan(0);
    expect(cluster.evidence.map((e) => e.signal)).toEqual(expect.arrayContaining(['cot_elicitation', 'exit_pool', 'shared_payment', 'signup_burst']));
  });

  it('lists every account of the input, with traffic or not, highest score first', () => {
    const { population, findings } = analyse();
    expect(findings.accounts.map((a) => a.account_id).sort()).toEqual(population.accounts.map((a) => a.accountId).sort());
    const scores = findings.accounts.map((a) => a.score);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    expect(findings.input.exchanges).toBe(population.exchanges.length);
  });

  it('explains scores in words an analyst can check', () => {
    const { findings } = analyse();
    const operator = findings.accounts.find((a) => a.account_id === 'acct_op_0')!;
    const details = operator.evidence.map((e) => e.detail).join('\n');
    expect(details).toMatch(/asks for step-by-step reasoning in \d+ of \d+ requests \(\d+%\) \(typical account \d+%; [\d.]+ SD above\)/);
    expect(details).toMatch(/member of cluster C[0-9a-f]{6}/);
    const evaluation = findings.accounts.find((a) => a.account_id === 'acct_eval_0')!;
    expect(evaluation.evidence.find((e) => e.signal === 'evaluation_repeats')?.detail).toMatch(/re-sent \d+ of \d+ single-turn prompts \(\d+%\) word for word at temperature 0/);
    expect(evaluation.evidence.find((e) => e.signal === 'evaluation_repeats')!.weight).toBeLessThan(0);
  });

  it('gives the same findings for the same traffic (bar the time stamp)', () => {
    expect(JSON.stringify(analyse(3).findings)).toBe(JSON.stringify(analyse(3).findings));
  });

  it('answers per account for the live service, and re-links from a snapshot as a worker would', () => {
    const population = syntheticPopulation({ seed: 2 });
    const engine = createDetectionEngine();
    engine.setAccountInfo(population.accounts);
    const touched = engine.observe(population.exchanges.map(toRecord));
    expect(touched.has('acct_op_0')).toBe(true);
    const alone = engine.scoreAccount('acct_op_0')!;
    expect(alone.clusterId).toBeNull();
    const input = structuredClone(engine.linkInput());
    const changed = engine.applyLinks(linkAccounts(input));
    expect(changed.has('acct_op_0')).toBe(true);
    const assessment = engine.scoreAccount('acct_op_0')!;
    expect(assessment.flagged).toBe(true);
    // The cluster's coordination (shared cards, a pool of exits, a sign-up burst) adds to what the account showed alone.
    expect(assessment.score).toBeGreaterThan(alone.score);
    expect(assessment.clusterId).toMatch(/^C[0-9a-f]{6}$/);
    expect(assessment.evidence[0]!.weight).toBeGreaterThan(0);
    expect(engine.scoreAccount('acct_unknown')).toBeNull();
    expect(engine.account('acct_op_0')!.volume.exchanges).toBe(60);
    expect(engine.clusters().some((cluster) => cluster.accounts.includes('acct_op_0'))).toBe(true);
  });
});

describe('detection engine: how accounts and clusters combine', () => {
  function flags(accounts: readonly Account[], exchanges: readonly SyntheticExchange[]): Map<string, boolean> {
    const engine = createDetectionEngine();
    engine.setAccountInfo(accounts);
    const records = exchanges.map(toRecord);
    for (let i = 0; i < records.length; i += 500) engine.observe(records.slice(i, i + 500));
    engine.relink();
    const assessment = engine.assess();
    return new Map(engine.tracker.accounts.map((state) => [state.id, assessment.accounts[state.index]!.flagged]));
  }

  it('gives every account the same flag whatever the accounts are called or the order they come in', () => {
    const population = syntheticPopulation({ seed: 4 });
    const base = flags(population.accounts, population.exchanges);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (salt) => {
        const rename = (id: string) => `acct_${salt}_${id.split('').reverse().join('')}`;
        const accounts = [...population.accounts].reverse().map((account) => ({ ...account, accountId: rename(account.accountId) }));
        const exchanges = population.exchanges.map((x) => ({ ...x, spec: { ...x.spec, accountId: rename(x.spec.accountId) } }));
        const renamed = flags(accounts, exchanges);
        for (const [id, flagged] of base) expect(renamed.get(rename(id)), id).toBe(flagged);
      }),
      { numRuns: 4 },
    );
  });

  it('changes no other account\'s flag when one unrelated account is added', () => {
    const population = syntheticPopulation({ seed: 5 });
    const base = flags(population.accounts, population.exchanges);
    const extra: Account = { ...population.accounts.find((account) => account.accountId === 'acct_person_0')!, accountId: 'acct_0000_newcomer', paymentFingerprint: 'card_newcomer', orgId: 'org_newcomer' };
    const one: SyntheticExchange = { spec: { accountId: 'acct_0000_newcomer', ts: Date.UTC(2026, 1, 3), id: 'req_newcomer', prompt: 'What is a good name for a cat?' }, clientIp: '192.0.2.200', subnet: '192.0.2.0/24', userAgent: 'Mozilla/5.0' };
    const exchanges = [...population.exchanges, one].sort((x, y) => x.spec.ts - y.spec.ts || (x.spec.id < y.spec.id ? -1 : 1));
    const after = flags([...population.accounts, extra], exchanges);
    for (const [id, flagged] of base) expect(after.get(id), id).toBe(flagged);
    expect(after.get('acct_0000_newcomer')).toBe(false);
  });

  it('lets a cluster\'s traffic speak for a member only where the member shares its hidden coordination', () => {
    const { population, engine } = analyse(6);
    // The developers of one company share an office network, a card and a tool with each other:
    // declared, so their cluster gives them nothing to answer for.
    for (const [id, campaign] of population.truth) {
      if (campaign !== null) continue;
      const assessment = engine.scoreAccount(id);
      if (assessment === null) continue;
      const member = assessment.evidence.find((item) => item.signal === 'cluster_member');
      if (member !== undefined && id.startsWith('acct_dev_')) expect(member.weight, id).toBeLessThanOrEqual(0.5);
    }
  });
});

describe('detection engine: link inputs one after another', () => {
  /** A link input as plain arrays, to compare two whole. */
  const plain = (input: ReturnType<ReturnType<typeof createDetectionEngine>['linkInput']>) => ({
    accountCount: input.accountCount,
    population: input.population,
    accountKeys: [...input.accountKeys],
    memberships: input.memberships.map((m) => ({ kind: m.kind, accounts: [...m.accounts], values: [...m.values], counts: [...m.counts] })),
    profiles: input.profiles === undefined ? null : { dims: input.profiles.dims, data: [...input.profiles.data] },
  });

  it('makes, at every relink, the input a fresh engine makes from the same traffic, while reusing the rows of accounts that sent nothing', () => {
    const population = syntheticPopulation({ seed: 3, systemPrompts: 5 });
    // Templates that change standing while an account that fills them sends nothing more: one
    // stops counting (another account re-sends one fill of it a hundred times), one starts
    // (another account fills, with variety, what was one prompt sent again and again).
    const rng = random(9);
    const start = Math.min(...population.exchanges.map((x) => x.spec.ts));
    const end = Math.max(...population.exchanges.map((x) => x.spec.ts));
    const extra = (accountId: string, ts: number, prompt: string, i: number): SyntheticExchange => ({
      spec: { accountId, ts, id: `req_extra_${accountId}_${i}`, prompt, maxTokens: 2048, outputTokens: 300 },
      clientIp: '192.0.2.7',
      subnet: '192.0.2.0/24',
      userAgent: 'python-requests/2.32',
    });
    const review = (words: string) => `Summarise the following customer review in one short sentence for our dashboard: ${words}`;
    const ticket = (words: string) => `Tag the support ticket below with one label from billing, outage, login or other. Ticket: ${words}`;
    const fixedReview = sentence(rng, 9);
    const fixedTicket = sentence(rng, 9);
    population.exchanges.push(
      ...Array.from({ length: 6 }, (_, i) => extra('acct_reviews', start - 3_600_000 + i, review(sentence(rng, 9)), i)),
      ...Array.from({ length: 100 }, (_, i) => extra('acct_resender', start + (end - start) * 0.6 + i * 1000, review(fixedReview), i)),
      ...Array.from({ length: 30 }, (_, i) => extra('acct_one_ticket', start - 3_600_000 + i, ticket(fixedTicket), i)),
      ...Array.from({ length: 40 }, (_, i) => extra('acct_tickets', start + (end - start) * 0.6 + i * 1000, ticket(sentence(rng, 9)), i)),
    );
    // Every other account's later requests carry no network or client (a gateway that logs none):
    // what they send must still mark the account changed.
    const records = population.exchanges
      .map(toRecord)
      .sort((a, b) => a.ts - b.ts)
      .map((record, i) => (i > 200 && record.accountId.length % 2 === 0 ? { ...record, clientIp: null, clientSubnet: null, clientAsn: null, clientCountry: null, userAgent: null, tlsFingerprint: null, apiKeyId: null } : record));
    // Account records arrive in two parts, one of them after traffic: what a sign-up changes is read again.
    const early = population.accounts.filter((_, i) => i % 3 !== 0);
    const late = population.accounts.filter((_, i) => i % 3 === 0).map((account) => ({ ...account, paymentFingerprint: `late_${account.paymentFingerprint}` }));
    const live = createDetectionEngine();
    live.setAccountInfo(early);
    const checkpoints = [0.05, 0.2, 0.21, 0.5, 0.5, 0.8, 1];
    let observed = 0;
    let reused = 0;
    for (const [step, share] of checkpoints.entries()) {
      const upTo = Math.floor(records.length * share);
      const before = live.tracker.revision;
      for (let i = observed; i < upTo; i += 40) live.observe(records.slice(i, Math.min(i + 40, upTo)));
      if (step === 3) live.setAccountInfo(late);
      observed = upTo;
      const fresh = createDetectionEngine();
      fresh.setAccountInfo(early);
      fresh.registerAccounts(live.tracker.accounts.map((state) => state.id));
      for (let i = 0; i < upTo; i += 40) fresh.observe(records.slice(i, Math.min(i + 40, upTo)));
      if (step >= 3) fresh.setAccountInfo(late);
      expect(plain(live.linkInput()), `step ${step}`).toEqual(plain(fresh.linkInput()));
      if (step > 0) reused += live.tracker.accounts.filter((state) => state.changedAt <= before && state.exchanges > 0).length;
    }
    // The comparison means something only if some accounts were taken from an earlier input.
    expect(reused).toBeGreaterThan(20);
  });
});

describe('detection engine: bystanders', () => {
  it('does not pass an operation\'s traffic or its cards to accounts that only share its network', () => {
    const population = syntheticPopulation({ seed: 7 });
    // Three people on one of the proxy exits the operators use, sending a few ordinary questions.
    const extra: Account[] = ['acct_cafe_0', 'acct_cafe_1', 'acct_cafe_2'].map((id) => ({ ...population.accounts.find((a) => a.accountId === 'acct_person_0')!, accountId: id, orgId: `org_${id}`, paymentFingerprint: `card_${id}` }));
    const exchanges: SyntheticExchange[] = [...population.exchanges];
    extra.forEach((account, k) => {
      for (let i = 0; i < 12; i++) {
        const ip = `203.0.113.${5 + (i % 2)}`;
        exchanges.push({ spec: { accountId: account.accountId, ts: Date.UTC(2026, 1, 2 + (i % 6), 10 + k), id: `req_cafe_${k}_${i}`, prompt: `Where can I find a good bakery near the station, question ${i}?` }, clientIp: ip, subnet: '203.0.113.0/24', userAgent: 'python-httpx/0.27.0' });
      }
    });
    exchanges.sort((x, y) => x.spec.ts - y.spec.ts || (x.spec.id < y.spec.id ? -1 : 1));
    const engine = createDetectionEngine();
    engine.setAccountInfo([...population.accounts, ...extra]);
    const records = exchanges.map(toRecord);
    for (let i = 0; i < records.length; i += 500) engine.observe(records.slice(i, i + 500));
    engine.relink();
    // They are linked into the operators' cluster (two shared exits, the subnet, the client)...
    expect(new Set(extra.map((account) => engine.scoreAccount(account.accountId)!.clusterId))).toEqual(new Set([engine.scoreAccount('acct_op_0')!.clusterId]));
    // ...but rotate through no pool, share no card and send nothing of value: they stay clean.
    for (const account of extra) {
      const assessment = engine.scoreAccount(account.accountId)!;
      expect(assessment.flagged, account.accountId).toBe(false);
      const member = assessment.evidence.find((item) => item.signal === 'cluster_member')!;
      const operator = engine.scoreAccount('acct_op_0')!.evidence.find((item) => item.signal === 'cluster_member')!;
      expect(member.weight, account.accountId).toBeLessThan(operator.weight / 2);
    }
    expect(engine.scoreAccount('acct_op_0')!.flagged).toBe(true);
  });

  it('counts an account made from the operators\' own sign-up address as theirs, however little it has sent', () => {
    const population = syntheticPopulation({ seed: 7 });
    const madeHere = (account: Account, signupIp: string | null) => ({ ...account, signupIp: account.accountId.startsWith('acct_op_') || account.accountId.startsWith('acct_spare_') ? signupIp : account.signupIp });
    const person = population.accounts.find((a) => a.accountId === 'acct_person_0')!;
    // Three spare accounts: own cards, own home addresses, a few ordinary questions each.
    const spares: Account[] = [0, 1, 2].map((k) => ({ ...person, accountId: `acct_spare_${k}`, orgId: `org_spare_${k}`, paymentFingerprint: `card_spare_${k}` }));
    const exchanges: SyntheticExchange[] = [...population.exchanges];
    spares.forEach((account, k) => {
      for (let i = 0; i < 6; i++) {
        exchanges.push({ spec: { accountId: account.accountId, ts: Date.UTC(2026, 1, 2 + i, 9 + k), id: `req_spare_${k}_${i}`, prompt: `Could you suggest a weekend trip idea number ${i} for a family?` }, clientIp: `198.18.${k}.${20 + i}`, subnet: `198.18.${k}.0/24`, userAgent: 'Mozilla/5.0' });
      }
    });
    exchanges.sort((x, y) => x.spec.ts - y.spec.ts || (x.spec.id < y.spec.id ? -1 : 1));
    const run = (signupIp: string | null) => {
      const engine = createDetectionEngine();
      engine.setAccountInfo([...population.accounts, ...spares].map((account) => madeHere(account, signupIp)));
      const records = exchanges.map(toRecord);
      for (let i = 0; i < records.length; i += 500) engine.observe(records.slice(i, i + 500));
      engine.relink();
      return engine;
    };
    // Signed up from the address every operator account came from, and nobody else did: the
    // cluster's cards, exits and traffic speak for them.
    const shared = run('192.0.2.77');
    for (const account of spares) {
      const assessment = shared.scoreAccount(account.accountId)!;
      expect(assessment.clusterId, account.accountId).toBe(shared.scoreAccount('acct_op_0')!.clusterId);
      expect(assessment.flagged, account.accountId).toBe(true);
    }
    // Signed up elsewhere, they link to nothing and stay clean.
    const apart = run(null);
    for (const account of spares) expect(apart.scoreAccount(account.accountId)!.flagged, account.accountId).toBe(false);
  });

  it("counts an account at the operators' catch-all mail domain as theirs once their cards show an operator, however little it has sent", () => {
    const population = syntheticPopulation({ seed: 7 });
    const person = population.accounts.find((a) => a.accountId === 'acct_person_0')!;
    // Spare accounts: own cards, own home addresses, created weeks before the operators' burst,
    // a few ordinary questions each; only where they write from ties them to the operators.
    const spares = (domains: string[]): Account[] => domains.map((emailDomain, k) => ({ ...person, accountId: `acct_spare_${k}`, orgId: `org_spare_${k}`, paymentFingerprint: `card_spare_${k}`, emailDomain }));
    const exchanges: SyntheticExchange[] = [...population.exchanges];
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < 6; i++) {
        exchanges.push({ spec: { accountId: `acct_spare_${k}`, ts: Date.UTC(2026, 1, 2 + i, 9 + k), id: `req_spare_${k}_${i}`, prompt: `Could you suggest a weekend trip idea number ${i} for a family?` }, clientIp: `198.18.${k}.${20 + i}`, subnet: `198.18.${k}.0/24`, userAgent: 'Mozilla/5.0' });
      }
    }
    exchanges.sort((x, y) => x.spec.ts - y.spec.ts || (x.spec.id < y.spec.id ? -1 : 1));
    const operatorDomain = population.accounts.find((a) => a.accountId === 'acct_op_0')!.emailDomain!;
    // Addresses minted at the domain every operator account writes from, which nobody else uses:
    // the cluster's cards and traffic speak for them.
    const minted = linkedEngine([...population.accounts, ...spares([operatorDomain, operatorDomain, operatorDomain])], exchanges);
    for (const k of [0, 1, 2]) {
      const assessment = minted.scoreAccount(`acct_spare_${k}`)!;
      expect(assessment.clusterId).toBe(minted.scoreAccount('acct_op_0')!.clusterId);
      expect(assessment.flagged, `acct_spare_${k}`).toBe(true);
    }
    // Writing from domains of their own, they are the people they look like.
    const apart = linkedEngine([...population.accounts, ...spares(['home-a.example', 'home-b.example', 'home-c.example'])], exchanges);
    for (const k of [0, 1, 2]) expect(apart.scoreAccount(`acct_spare_${k}`)!.flagged, `acct_spare_${k}`).toBe(false);
  });

  it('puts beside the operator only the members created within the burst window of an account its card ties to it', () => {
    const at = Date.UTC(2026, 0, 10, 9);
    const minute = 60_000;
    // Four accounts on one card, made a minute apart; others made 30, 59, 61 and 600 minutes
    // after the last of them, and one 20 minutes before the first.
    const specs = [
      ...members('op_', 4, (i) => ({ card: 'card_op', createdAt: at + i * minute })),
      ...[30, 59, 61, 600].map((after) => ({ id: `later_${after}`, createdAt: at + (3 + after) * minute })),
      { id: 'earlier_20', createdAt: at - 20 * minute },
    ];
    const { view } = clusterFixture(specs);
    const position = (id: string) => view.members.findIndex((member) => member.id === id);
    const card: WeightedSignal = { signal: 'shared_payment', family: 'payment', role: 'coordination', weight: 3, score: 1, members: new Set([0, 1, 2, 3].map((i) => position(`op_${i}`))) };
    const beside = createdBesideOperator(view, [card], 60 * minute);
    expect([...beside].map((p) => view.members[p]!.id).sort()).toEqual(['earlier_20', 'later_30', 'later_59']);
    // A burst of sign-ups is context until coordination only an operator has names whose burst it is.
    const burst: WeightedSignal = { signal: 'signup_burst', family: 'context', role: 'coordination', weight: 1, score: 1, members: new Set(view.members.map((_, p) => p)) };
    expect(createdBesideOperator(view, [burst], 60 * minute).size).toBe(0);
  });

  it('counts an account created in the operators\' sign-up sitting as theirs once their cards show an operator, and the burst alone as context', () => {
    const START = Date.UTC(2026, 1, 2);
    const run = (sharedCards: boolean) => {
      const population = syntheticPopulation({ seed: 7, sharedCards, benign: 300 });
      const operator = population.accounts.find((a) => a.accountId === 'acct_op_0')!;
      // Two spare accounts made between the operator's own, each with a card, a mail domain and
      // an organisation of its own, sending a few ordinary questions with the operator's client
      // from one of its exits (one each: not rotating through the pool).
      const spares: Account[] = [0, 1].map((k) => ({ ...operator, accountId: `acct_spare_${k}`, orgId: `org_spare_${k}`, paymentFingerprint: `card_spare_${k}`, emailDomain: `spare-${k}.example`, createdAt: operator.createdAt! + (3 + 5 * k) * 60_000 + 30_000 }));
      const exchanges: SyntheticExchange[] = [...population.exchanges];
      spares.forEach((account, k) => {
        for (let i = 0; i < 6; i++) {
          exchanges.push({ spec: { accountId: account.accountId, ts: START + i * 86_400_000 + (9 + k) * 3_600_000, id: `req_spare_${k}_${i}`, prompt: `Could you suggest a weekend trip idea number ${i} for a family?` }, clientIp: `203.0.113.${5 + k}`, subnet: '203.0.113.0/24', userAgent: 'python-httpx/0.27.0' });
        }
      });
      exchanges.sort((x, y) => x.spec.ts - y.spec.ts || (x.spec.id < y.spec.id ? -1 : 1));
      return { engine: linkedEngine([...population.accounts, ...spares], exchanges), spares };
    };
    // The cards the operator's accounts share across their organisations show an operator: the
    // accounts made in the same sitting are its spares, and the cluster speaks for them.
    const carded = run(true);
    for (const account of carded.spares) {
      const assessment = carded.engine.scoreAccount(account.accountId)!;
      expect(assessment.clusterId, account.accountId).toBe(carded.engine.scoreAccount('acct_op_0')!.clusterId);
      expect(assessment.flagged, account.accountId).toBe(true);
    }
    // With a card of its own for every account, nothing shows an operator: signing up in the
    // same hour is shared context (the first day of a course), and the spares stay clean.
    const uncarded = run(false);
    for (const account of uncarded.spares) {
      const assessment = uncarded.engine.scoreAccount(account.accountId)!;
      expect(assessment.clusterId, account.accountId).toBe(uncarded.engine.scoreAccount('acct_op_0')!.clusterId);
      expect(assessment.flagged, account.accountId).toBe(false);
    }
  });

  it('does not count an account as the operators\' for its sign-up half-hour alone, however the linker ties it in', () => {
    // Two people who signed up in the operators' sitting, from home addresses and a public mail
    // provider, asking ordinary questions: a burst half-hour holds ordinary sign-ups too (a
    // third of it at the burst factor of 3). Put into the operators' cluster by links of their
    // sign-up half-hour and behaviour only, they take that context and nothing of the cluster.
    const START = Date.UTC(2026, 1, 2);
    const population = syntheticPopulation({ seed: 7, sharedCards: true, benign: 300 });
    const operator = population.accounts.find((a) => a.accountId === 'acct_op_0')!;
    const people: Account[] = [0, 1].map((k) => ({ ...operator, accountId: `acct_person_sitting_${k}`, orgId: `org_sitting_${k}`, paymentFingerprint: `card_sitting_${k}`, emailDomain: 'gmail.com', signupIp: `198.51.${100 + k}.7`, createdAt: operator.createdAt! + (3 + 5 * k) * 60_000 + 30_000 }));
    const exchanges: SyntheticExchange[] = [...population.exchanges];
    people.forEach((account, k) => {
      for (let i = 0; i < 6; i++) {
        exchanges.push({ spec: { accountId: account.accountId, ts: START + i * 86_400_000 + (9 + k) * 3_600_000, id: `req_sitting_${k}_${i}`, prompt: `Could you suggest a weekend trip idea number ${i} for a family?` }, clientIp: `198.51.${100 + k}.7`, subnet: `198.51.${100 + k}.0/24`, userAgent: 'Mozilla/5.0' });
      }
    });
    exchanges.sort((x, y) => x.spec.ts - y.spec.ts || (x.spec.id < y.spec.id ? -1 : 1));
    const engine = linkedEngine([...population.accounts, ...people], exchanges);
    // Tied in firmly, not late (a late member must show value of its own to count at all).
    tieIntoOperatorCluster(engine, people, { attachment: 0.9, kinds: linkKindBit('signup_time') | linkKindBit('profile'), late: 0 });
    const operatorCluster = engine.scoreAccount('acct_op_0')!;
    expect(operatorCluster.flagged).toBe(true);
    for (const account of people) {
      const assessment = engine.scoreAccount(account.accountId)!;
      expect(assessment.clusterId, account.accountId).toBe(operatorCluster.clusterId);
      expect(assessment.flagged, account.accountId).toBe(false);
      expect(assessment.score, account.accountId).toBeLessThan(0.2);
    }
  });

  it('reads a late member as in the cluster\'s rotation only through system prompts that are the cluster\'s own', () => {
    // Members 0-3 are firmly tied; 4 joined late sending system prompts 7 and 8, which members fill too.
    const account = (id: number, org: string, prompts: number[]) => {
      const systemTemplates = new TopKCounter(16);
      for (const prompt of prompts) systemTemplates.add(prompt, 3);
      // Only the organisation is read of an account's details.
      return { id: `acct_${id}`, info: { orgId: org } as AccountInfo, systemTemplates };
    };
    const late = Uint8Array.from([0, 0, 0, 0, 1]);
    const members = [0, 1, 2, 3, 4];
    const varied = new Set([7, 8, 9].map((id) => templateKey('system', id)));
    const holders = (count: number) => new Map([7, 8, 9].map((id) => [templateKey('system', id), count] as [number, number]));
    const rotationOf = (accounts: ReturnType<typeof account>[], templateAccounts: Map<number, number>) => [...lateMembersInRotation(members, late, accounts, { variedTemplates: varied, templateAccounts })];
    const operators = [account(0, 'o0', [7, 8, 9]), account(1, 'o1', [7, 8]), account(2, 'o2', [8, 9]), account(3, 'o3', [7, 9])];
    // The cluster's own: its members fill them, across organisations, and hold every copy but the late account's.
    expect(rotationOf([...operators, account(4, 'o4', [7, 8])], holders(5))).toEqual([4]);
    // One of them only: a single shared system prompt can be a public tool's.
    expect(rotationOf([...operators, account(4, 'o4', [7])], holders(5))).toEqual([]);
    // A public tool's prompts: forty accounts in the store fill them, four of them in the cluster.
    expect(rotationOf([...operators, account(4, 'o4', [7, 8])], holders(40))).toEqual([]);
    // One organisation's application: its members fill them, no one else's.
    const oneCompany = [account(0, 'co', [7, 8, 9]), account(1, 'co', [7, 8]), account(2, 'co', [8, 9]), account(3, 'co', [7, 9])];
    expect(rotationOf([...oneCompany, account(4, 'o4', [7, 8])], holders(5))).toEqual([]);
    // Repeated prompts, not templates, are not a rotation either.
    expect([...lateMembersInRotation(members, late, [...operators, account(4, 'o4', [7, 8])], { variedTemplates: new Set(), templateAccounts: holders(5) })]).toEqual([]);
  });

  it('counts a late member with no value of its own only when it sends two or more of its cluster\'s system prompts', () => {
    // Thin accounts of a campaign send a handful of its rotated harness requests among ordinary
    // ones: too few for value evidence of their own. One sends two of the operators' system
    // prompts, the other one of them (which a public tool's user could send too).
    const START = Date.UTC(2026, 1, 2);
    const population = syntheticPopulation({ seed: 7, systemPrompts: 5, benign: 300 });
    const systemsOf = new Map<string, string[]>();
    for (const exchange of population.exchanges) {
      if (!exchange.spec.accountId.startsWith('acct_op_') || exchange.spec.system === undefined) continue;
      const seen = systemsOf.get('op') ?? [];
      if (!seen.includes(exchange.spec.system)) seen.push(exchange.spec.system);
      systemsOf.set('op', seen);
    }
    const operatorSystems = systemsOf.get('op')!;
    expect(operatorSystems.length).toBeGreaterThanOrEqual(2);
    const person = population.accounts.find((a) => a.accountId === 'acct_person_0')!;
    const thin: Account[] = [2, 1].map((shared) => ({ ...person, accountId: `acct_thin_${shared}`, orgId: `org_thin_${shared}`, paymentFingerprint: `card_thin_${shared}`, signupIp: `198.51.${100 + shared}.9` }));
    const exchanges: SyntheticExchange[] = [...population.exchanges];
    // From the third day, when the operators' system prompts are templates the miner knows.
    thin.forEach((account, k) => {
      const shared = 2 - k;
      for (let i = 0; i < 8; i++) {
        const system = i < shared ? operatorSystems[i]! : undefined;
        exchanges.push({
          spec: { accountId: account.accountId, ts: START + 2 * 86_400_000 + i * 43_200_000 + k * 600_000, id: `req_thin_${k}_${i}`, prompt: `What is a good name for a cafe near the river, idea ${i}?`, ...(system === undefined ? {} : { system }) },
          clientIp: `198.51.${100 + shared}.9`,
          subnet: `198.51.${100 + shared}.0/24`,
          userAgent: 'python-requests/2.31',
        });
      }
    });
    exchanges.sort((x, y) => x.spec.ts - y.spec.ts || (x.spec.id < y.spec.id ? -1 : 1));
    const engine = linkedEngine([...population.accounts, ...thin], exchanges);
    tieIntoOperatorCluster(engine, thin, { attachment: 0.5, kinds: linkKindBit('system_template'), late: 1 });
    const operatorCluster = engine.scoreAccount('acct_op_0')!;
    expect(operatorCluster.flagged).toBe(true);
    expect(engine.scoreAccount('acct_thin_2')!.clusterId).toBe(operatorCluster.clusterId);
    expect(engine.scoreAccount('acct_thin_1')!.clusterId).toBeNull();
    expect(engine.scoreAccount('acct_thin_1')!.flagged).toBe(false);
  });

  it('counts an account that runs the operators\' prompt set from their exits as theirs, but not one that only shares the prompts', () => {
    const population = syntheticPopulation({ seed: 7 });
    const rng = random(11);
    // The operators rotate through three frames of their own; the fills vary per request.
    const frames = [
      (q: string) => `Problem: ${q}? Give the final answer with a short justification.`,
      (q: string) => `Exercise: ${q}. Work through it carefully and state the result.`,
      (q: string) => `Question: ${q}. Derive the answer from first principles and show the calculation.`,
    ];
    let k = 0;
    const exchanges: SyntheticExchange[] = population.exchanges.map((exchange) =>
      exchange.spec.accountId.startsWith('acct_op_') ? { ...exchange, spec: { ...exchange.spec, prompt: frames[k++ % 3]!(sentence(rng, 14)) } } : exchange,
    );
    const person = population.accounts.find((a) => a.accountId === 'acct_person_0')!;
    const extra = (prefix: string, days: number, org?: string) =>
      [0, 1, 2].map((n) => ({
        ...person,
        accountId: `acct_${prefix}_${n}`,
        orgId: org ?? `org_${prefix}_${n}`,
        paymentFingerprint: `card_${prefix}_${n}`,
        createdAt: person.createdAt! - (days + 9 * n) * 86_400_000,
        ...(org === undefined ? {} : { emailDomain: 'benchlab.example', signupIp: '100.64.40.1' }),
      }));
    // Runners: own cards and sign-ups, ordinary budgets, the operators' frames through the operators' exits.
    const runners: Account[] = extra('runner', 40);
    // A benchmark team of one organisation: the same frames (a published format), from its own
    // office address, mail domain and sign-up address, which tie its accounts to each other only.
    const bench: Account[] = extra('bench', 45, 'org_benchlab');
    [...runners, ...bench].forEach((account, a) => {
      const own = account.accountId.startsWith('acct_bench_');
      for (let i = 0; i < 24; i++) {
        const ip = own ? '100.64.40.7' : `203.0.113.${(a * 5 + i) % 24}`;
        exchanges.push({
          spec: { accountId: account.accountId, ts: Date.UTC(2026, 1, 2 + (i % 6), 8 + (i % 10)), id: `req_x_${a}_${i}`, prompt: frames[i % 3]!(sentence(rng, 14)), maxTokens: 1024, outputTokens: 150 },
          clientIp: ip,
          subnet: ip.split('.').slice(0, 3).join('.') + '.0/24',
          userAgent: own ? 'lm-eval/0.4' : 'python-httpx/0.27.0',
        });
      }
    });
    exchanges.sort((x, y) => x.spec.ts - y.spec.ts || (x.spec.id < y.spec.id ? -1 : 1));
    const engine = createDetectionEngine();
    engine.setAccountInfo([...population.accounts, ...runners, ...bench]);
    const records = exchanges.map(toRecord);
    for (let i = 0; i < records.length; i += 500) engine.observe(records.slice(i, i + 500));
    engine.relink();
    const operators = engine.scoreAccount('acct_op_0')!;
    expect(operators.flagged).toBe(true);
    const operatorShare = operators.evidence.find((item) => item.signal === 'cluster_member')!.weight;
    for (const account of runners) {
      const assessment = engine.scoreAccount(account.accountId)!;
      expect(assessment.clusterId, account.accountId).toBe(operators.clusterId);
      expect(assessment.flagged, account.accountId).toBe(true);
      expect(assessment.evidence.find((item) => item.signal === 'cluster_member')!.weight, account.accountId).toBeGreaterThan(operatorShare / 2);
    }
    for (const account of bench) expect(engine.scoreAccount(account.accountId)!.flagged, account.accountId).toBe(false);
  });

  it("does not count a customer of its own that runs the operators' rotated system prompts as one of the operators' accounts", () => {
    // The operators rotate four expert system prompts from one pool of exits, each account with
    // a card of its own. Four teams of other organisations, signed up the same day, run the same
    // prompts (a published evaluation suite) from networks of their own: once writing from their
    // own institutions' mail domains, once from a public provider's, where nothing says who they are.
    const population = syntheticPopulation({ seed: 4, systemPrompts: 4, sharedCards: false });
    const systems = [...new Set(population.exchanges.filter((x) => x.spec.accountId.startsWith('acct_op_')).map((x) => x.spec.system!))].sort();
    const rng = random(21);
    const person = population.accounts.find((a) => a.accountId === 'acct_person_0')!;
    const operatorsCreated = population.accounts.find((a) => a.accountId === 'acct_op_0')!.createdAt!;
    const teams = (domain: (n: number) => string, card = true): Account[] =>
      [0, 1, 2, 3].map((n) => ({ ...person, accountId: `acct_suite_${n}`, orgId: `org_suite_${n}`, paymentFingerprint: card ? `card_suite_${n}` : null, emailDomain: domain(n), signupIp: `100.70.${n}.1`, createdAt: operatorsCreated + (n * 2 + 1) * 60_000 }));
    const exchanges: SyntheticExchange[] = [...population.exchanges];
    for (let n = 0; n < 4; n++) {
      for (let i = 0; i < 40; i++) {
        const ip = `100.70.${n}.9`;
        exchanges.push({
          spec: { accountId: `acct_suite_${n}`, ts: Date.UTC(2026, 1, 2 + (i % 6), 9 + (i % 8)), id: `req_suite_${n}_${i}`, prompt: `Problem: ${sentence(rng, 16)}? Give the final answer.`, system: systems[i % systems.length]!, maxTokens: 1024, outputTokens: 300 },
          clientIp: ip,
          subnet: '100.70.' + n + '.0/24',
          userAgent: 'python-httpx/0.27.0',
        });
      }
    }
    exchanges.sort((x, y) => x.spec.ts - y.spec.ts || (x.spec.id < y.spec.id ? -1 : 1));
    const added = (engine: ReturnType<typeof linkedEngine>, accountId: string) => engine.scoreAccount(accountId)!.evidence.find((item) => item.signal === 'cluster_member')?.weight ?? 0;
    const publicMail = { publicMailDomains: new Set(['gmail.com']) };
    const own = linkedEngine([...population.accounts, ...teams((n) => `lab${n}.example`)], exchanges, publicMail);
    const anonymous = linkedEngine([...population.accounts, ...teams(() => 'gmail.com')], exchanges, publicMail);
    // Nor is one domain handed out to accounts of four organisations anybody's own, a student
    // address nobody checked, or a domain of its own on an account that pays with no card.
    const notOwn = [
      teams(() => 'suite-mail.example'),
      teams((n) => `college${n}.ac.uk`),
      teams((n) => `lab${n}.example`, false),
    ].map((suite) => linkedEngine([...population.accounts, ...suite], exchanges, publicMail));
    const operators = own.scoreAccount('acct_op_0')!;
    expect(operators.flagged).toBe(true);
    for (let n = 0; n < 4; n++) {
      const id = `acct_suite_${n}`;
      expect(own.scoreAccount(id)!.clusterId, id).toBe(operators.clusterId);
      expect(anonymous.scoreAccount(id)!.clusterId, id).toBe(anonymous.scoreAccount('acct_op_0')!.clusterId);
      // On a public provider's mail the prompts make it the operators' and it takes their traffic and cards.
      // From its own institution it takes only what it shares itself, each part as firmly as it is tied.
      expect(added(anonymous, id), id).toBeGreaterThan(2 * Math.max(added(own, id), 0.1));
      for (const engine of notOwn) expect(added(engine, id), id).toBeGreaterThan(2 * Math.max(added(own, id), 0.1));
    }
  });

  it('gives a member tied to the others by a barely shared card no more than half of what it does not share', () => {
    const population = syntheticPopulation({ seed: 3 });
    const person = population.accounts.find((a) => a.accountId === 'acct_person_0')!;
    // Thirty customers of one VPN, rotating through its exits; two cousins pay with one card,
    // and one of them sends from home, linked to the pool only through the card.
    const vpn: Account[] = Array.from({ length: 30 }, (_, k) => ({
      ...person,
      accountId: `acct_vpn_${k}`,
      orgId: `org_vpn_${k}`,
      paymentFingerprint: k < 4 ? 'card_family' : `card_vpn_${k}`,
      createdAt: person.createdAt! - (50 + 3 * k) * 86_400_000,
    }));
    const exchanges: SyntheticExchange[] = [...population.exchanges, ...poolCustomerTraffic('acct_vpn', vpn.length, random(5), (k, i) => (k === 1 ? '192.0.2.200' : poolExit(k, i)))];
    exchanges.sort((x, y) => x.spec.ts - y.spec.ts || (x.spec.id < y.spec.id ? -1 : 1));
    const run = (bystanderShare: number) => {
      const config = parseDetectionConfig({ scoring: { bystander_share: bystanderShare } });
      const engine = createDetectionEngine(config);
      engine.setAccountInfo([...population.accounts, ...vpn]);
      const records = exchanges.map(toRecord);
      for (let i = 0; i < records.length; i += 500) engine.observe(records.slice(i, i + 500));
      engine.relink();
      return engine;
    };
    const engine = run(0.5);
    const home = engine.scoreAccount('acct_vpn_1')!;
    expect(home.clusterId).toBe(engine.scoreAccount('acct_vpn_5')!.clusterId);
    const added = (e: ReturnType<typeof run>) => e.scoreAccount('acct_vpn_1')!.evidence.find((item) => item.signal === 'cluster_member')!.weight;
    // The weak card caps what the pool it does not rotate through adds at the bystander share:
    // a smaller share gives less, and neither flags it.
    expect(added(run(0.1))).toBeLessThan(added(engine));
    expect(home.flagged).toBe(false);
  });

  it('counts a pool member that shares a private mail domain with members of other organisations as the operator\'s', () => {
    const population = syntheticPopulation({ seed: 3 });
    const person = population.accounts.find((a) => a.accountId === 'acct_person_0')!;
    // Thirty accounts rotating through one pool of exits, each its own organisation, card and
    // sign-up day; with `minted`, twelve write from addresses at one catch-all domain nobody else uses.
    const accounts = (minted: boolean): Account[] =>
      Array.from({ length: 30 }, (_, k) => ({
        ...person,
        accountId: `acct_pool_${k}`,
        orgId: `org_pool_${k}`,
        paymentFingerprint: `card_pool_${k}`,
        emailDomain: minted && k < 12 ? 'inbox-relay88.top' : person.emailDomain,
        createdAt: person.createdAt! - (50 + 3 * k) * 86_400_000,
      }));
    const exchanges: SyntheticExchange[] = [...population.exchanges, ...poolCustomerTraffic('acct_pool', 30, random(9))];
    exchanges.sort((x, y) => x.spec.ts - y.spec.ts || (x.spec.id < y.spec.id ? -1 : 1));
    const run = (minted: boolean) => linkedEngine([...population.accounts, ...accounts(minted)], exchanges);
    const inherited = (engine: ReturnType<typeof run>, id: string) => engine.scoreAccount(id)!.evidence.find((item) => item.signal === 'cluster_member')?.weight ?? 0;
    const minted = run(true);
    const plain = run(false);
    expect(minted.scoreAccount('acct_pool_0')!.clusterId).toBe(minted.scoreAccount('acct_pool_20')!.clusterId);
    // Signed up on the operator's domain: the whole pool counts for it, as for an account made
    // in the operator's sign-up burst; without the domain it is one of the pool's customers.
    expect(inherited(minted, 'acct_pool_0')).toBeGreaterThan(inherited(plain, 'acct_pool_0') + 1);
    // The other customers of the pool take no more than before.
    expect(inherited(minted, 'acct_pool_20')).toBeCloseTo(inherited(plain, 'acct_pool_20'), 1);
  });

  it('does not let a checked identity offset a card that pays for accounts of other organisations', () => {
    const population = syntheticPopulation({ seed: 4 });
    const person = population.accounts.find((a) => a.accountId === 'acct_person_0')!;
    // One more account on the operators' card, sending a few ordinary questions from the pool's
    // exits: thin evidence of its own, tied to the ring by the card.
    const holder: Account = { ...person, accountId: 'acct_holder', orgId: 'org_holder', paymentFingerprint: 'card_op_0' };
    const rng = random(9);
    const exchanges: SyntheticExchange[] = [...population.exchanges];
    for (let i = 0; i < 10; i++) {
      const ip = `203.0.113.${(i * 5) % 24}`;
      exchanges.push({ spec: { accountId: 'acct_holder', ts: Date.UTC(2026, 1, 2 + (i % 6), 9 + i), id: `req_holder_${i}`, prompt: `${sentence(rng, 12)}?`, maxTokens: 1024, outputTokens: 150 }, clientIp: ip, subnet: '203.0.113.0/24', userAgent: 'python-httpx/0.27.0' });
    }
    exchanges.sort((x, y) => x.spec.ts - y.spec.ts || (x.spec.id < y.spec.id ? -1 : 1));
    const run = (verified: boolean) => {
      const checked = (account: Account) => (verified && (account.accountId === 'acct_holder' || account.accountId === 'acct_dev_0') ? { ...account, verification: ['email', 'card', 'id_document'] } : account);
      return linkedEngine([...population.accounts, holder].map(checked), exchanges);
    };
    const plain = run(false);
    const verified = run(true);
    const holderVerified = verified.scoreAccount('acct_holder')!;
    expect(holderVerified.clusterId).toBe(verified.scoreAccount('acct_op_0')!.clusterId);
    // The identity is shown, but it counts for nothing: the score is the unverified one.
    const identity = holderVerified.evidence.find((item) => item.signal === 'identity_verified')!;
    expect(identity.weight).toBe(0);
    expect(identity.detail).toMatch(/not counted: its card also pays for accounts of other organisations/);
    expect(holderVerified.score).toBe(plain.scoreAccount('acct_holder')!.score);
    expect(holderVerified.flagged).toBe(true);
    // A developer whose card is its own company's keeps the full mitigation.
    expect(verified.scoreAccount('acct_dev_0')!.evidence.find((item) => item.signal === 'identity_verified')!.weight).toBe(-3);
  });

  it("does not let a checked identity offset the operator's rotated system prompts sent from its pool of exits", () => {
    // The operator's accounts each pay with a card of their own (no shared card to void the
    // check) but rotate through four expert system prompts from one pool of exits.
    const population = syntheticPopulation({ seed: 4, systemPrompts: 4, sharedCards: false });
    const run = (verified: boolean) => linkedEngine(verified ? population.accounts.map((account) => ({ ...account, verification: ['email', 'card', 'id_document'] })) : population.accounts, population.exchanges);
    const plain = run(false);
    const verified = run(true);
    const member = verified.scoreAccount('acct_op_3')!;
    expect(member.evidence.some((item) => item.signal === 'cluster_member')).toBe(true);
    const identity = member.evidence.find((item) => item.signal === 'identity_verified')!;
    expect(identity.weight).toBe(0);
    expect(identity.detail).toMatch(/not counted: it sends cluster \S+'s rotated system prompts from the cluster's pool of exits/);
    expect(member.score).toBe(plain.scoreAccount('acct_op_3')!.score);
    // The company's developers send their one coding tool's prompt from their office: the check holds.
    expect(verified.scoreAccount('acct_dev_0')!.evidence.find((item) => item.signal === 'identity_verified')!.weight).toBe(-3);
  });

  it("leaves public mail providers' domains out of a cluster's shared mail domains and indicators", () => {
    // Half the operator's accounts sign up at a public provider, half at its catch-all domain.
    const population = syntheticPopulation({ seed: 4 });
    const accounts = population.accounts.map((account) => (account.accountId.startsWith('acct_op_') && Number(account.accountId.slice(8)) % 2 === 0 ? { ...account, emailDomain: 'gmail.com' } : account));
    const engine = linkedEngine(accounts, population.exchanges, { publicMailDomains: new Set(['gmail.com']) });
    const assessment = engine.assess();
    const findings = buildFindings({ assessment, tracker: engine.tracker, config: engine.config, generatedAt: '2026-03-01T00:00:00.000Z', timings: {}, version: 'test' });
    const operator = findings.accounts.find((account) => account.account_id === 'acct_op_0')!;
    const cluster = findings.clusters.find((c) => c.cluster_id === operator.cluster_id)!;
    expect(cluster.indicators.email_domains).toEqual(['burst-mail.example']);
    const view = assessment.clusters.find((c) => c.clusterId === cluster.cluster_id)!.view;
    expect(view.shared.email_domain).toEqual([expect.objectContaining({ value: 'burst-mail.example', accounts: 6 })]);
  });

  it('summarises the population once per relink, and again as soon as the tracker changes', () => {
    const population = syntheticPopulation({ seed: 4 });
    const records = population.exchanges.map(toRecord);
    const half = Math.floor(records.length / 2);
    const engine = createDetectionEngine();
    engine.setAccountInfo(population.accounts);
    engine.observe(records.slice(0, half));
    engine.relink();
    const revision = engine.tracker.revision;
    expect(JSON.stringify(engine.assess())).toBe(JSON.stringify(engine.assess()));
    // Fed past the engine, straight into its tracker: the summaries of the first half must not be reused.
    engine.tracker.observeRecords(records.slice(half));
    expect(engine.tracker.revision).toBeGreaterThan(revision);
    engine.relink();
    const fresh = createDetectionEngine();
    fresh.setAccountInfo(population.accounts);
    fresh.observe(records);
    fresh.relink();
    // The evidence quotes each account's measures: a stale summary would show in its details.
    const evidenceSeen = (assessment: ReturnType<typeof engine.assess>) => assessment.accounts.map((account) => account.evidence);
    expect(evidenceSeen(engine.assess())).toEqual(evidenceSeen(fresh.assess()));
    expect(engine.assess().accounts.map((account) => account.score)).toEqual(fresh.assess().accounts.map((account) => account.score));
  });
});

describe("detection engine: members that share a cluster's habit", () => {
  /**
   * Twelve accounts of twelve organisations, each with a card of its own, signed up from two
   * addresses and sending from two: shared context, no operator shown. Four send a step-by-step
   * harness all day, six send it in every other request, two ask ordinary questions.
   */
  function club({ mailDomain = 'gmail.com', publicDomain = true, sharedCard = false, sharedSignup = true } = {}) {
    const population = syntheticPopulation({ seed: 9 });
    const rng = random(31);
    const person = population.accounts.find((a) => a.accountId === 'acct_person_0')!;
    const accounts: Account[] = [];
    const exchanges: SyntheticExchange[] = [...population.exchanges];
    for (let k = 0; k < 12; k++) {
      const id = `acct_club_${k}`;
      const card = sharedCard && k < 4 ? 'card_club_shared' : `card_club_${k}`;
      accounts.push({ ...person, accountId: id, orgId: `org_club_${k}`, paymentFingerprint: card, signupIp: sharedSignup ? `100.70.2.${7 + (k % 2)}` : `100.71.${k}.7`, emailDomain: mailDomain, createdAt: Date.UTC(2025, 10 + (k % 2), 1 + k * 2) });
      const requests = k < 4 ? 150 : k < 10 ? 40 : 20;
      for (let i = 0; i < requests; i++) {
        const ask = k < 4 || (k < 10 && i % 2 === 0);
        const question = sentence(rng, 14);
        exchanges.push({
          spec: {
            accountId: id,
            ts: Date.UTC(2026, 1, 2 + (i % 6), 8 + ((k + i) % 10), i % 60),
            id: `req_club_${k}_${i}`,
            prompt: ask ? `Problem: ${question}? Explain your reasoning step by step, then give the final answer.` : `${question}?`,
            maxTokens: ask ? 16000 : 1024,
            outputTokens: ask ? 800 : 150,
          },
          clientIp: `100.70.1.${20 + ((k + i) % 2)}`,
          subnet: '100.70.1.0/24',
          userAgent: 'python-httpx/0.27.0',
        });
      }
    }
    exchanges.sort((x, y) => x.spec.ts - y.spec.ts || (x.spec.id < y.spec.id ? -1 : 1));
    const scores = (habitShare: number) => {
      const engine = createDetectionEngine(parseDetectionConfig({ scoring: { habit_share: habitShare } }), { publicMailDomains: new Set(publicDomain ? [mailDomain] : []) });
      engine.setAccountInfo([...population.accounts, ...accounts]);
      const records = exchanges.map(toRecord);
      for (let i = 0; i < records.length; i += 500) engine.observe(records.slice(i, i + 500));
      engine.relink();
      const cluster = engine.clusters().find((c) => c.accounts.includes('acct_club_0'))!;
      expect(cluster.accounts.filter((id) => id.startsWith('acct_club_'))).toHaveLength(12);
      return { cluster, of: (k: number) => engine.scoreAccount(`acct_club_${k}`)! };
    };
    // At a share of 1 a member must show the cluster's strongest habit at the cluster's own level:
    // the every-other-request members do not, so it stands for the rule switched off.
    return { shared: scores(0.5), strict: scores(1) };
  }

  it('measures a member that shows the habit a context-only cluster is flagged for by the pooled traffic', () => {
    const { shared, strict } = club();
    expect(shared.cluster.flagged).toBe(true);
    expect(shared.cluster.evidence.some((item) => item.weight < 0)).toBe(false);
    for (let k = 4; k < 10; k++) {
      expect(strict.of(k).flagged, `member ${k} on its own traffic`).toBe(false);
      expect(shared.of(k).flagged, `member ${k} with the pooled traffic`).toBe(true);
      expect(shared.of(k).evidence.find((item) => item.signal === 'cluster_member')!.detail).toContain('shows the habit the cluster is judged on');
    }
    // The all-day members are measured as before, and so are the two that ask ordinary questions
    // from the same network: their traffic shows no habit.
    for (const k of [0, 1, 2, 3, 10, 11]) expect(shared.of(k).score, `member ${k}`).toBe(strict.of(k).score);
    expect(shared.of(10).flagged).toBe(false);
  });

  it('does not pool where the cluster looks like one institution working in the open', () => {
    // One mail domain, not a public provider's, on one network: `open_institution`.
    const { shared, strict } = club({ mailDomain: 'club.example', publicDomain: false });
    expect(shared.cluster.evidence.some((item) => item.signal === 'open_institution' && item.weight < 0)).toBe(true);
    for (let k = 0; k < 12; k++) expect(shared.of(k).score, `member ${k}`).toBe(strict.of(k).score);
  });

  it('leaves membership to the operator\'s coordination where a card shows an operator', () => {
    // The all-day members pay with one card: a member paying with its own, signed up on its own
    // and sharing only the network, is a bystander, whatever it sends.
    const { shared, strict } = club({ sharedCard: true, sharedSignup: false });
    expect(shared.cluster.evidence.some((item) => item.signal === 'shared_payment' && item.weight > 0)).toBe(true);
    for (let k = 4; k < 12; k++) expect(shared.of(k).score, `member ${k}`).toBe(strict.of(k).score);
  });
});
