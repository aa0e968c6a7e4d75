import { describe, expect, it } from 'vitest';
import { linkAccounts } from '../linking/account-linker.js';
import { createDetectionEngine } from './detection-engine.js';
import { buildFindings } from './findings-builder.js';
import { syntheticPopulation, toRecord } from './test-support/synthetic-traffic.js';

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
    expect(cluster.evidence.map((e) => e.signal)).toEqual(expect.arrayContaining(['cluster_elicitation', 'cluster_templates', 'shared_network', 'shared_payment', 'signup_burst']));
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
    expect(details).toMatch(/asks for step-by-step reasoning in \d+% of \d+ requests/);
    expect(details).toMatch(/member of cluster C[0-9a-f]{6}/);
    const evaluation = findings.accounts.find((a) => a.account_id === 'acct_eval_0')!;
    expect(evaluation.evidence.find((e) => e.signal === 'verbatim_repeats')?.detail).toMatch(/re-sent \d+ of \d+ single-turn prompts \(\d+%\) word for word/);
    expect(evaluation.evidence.find((e) => e.signal === 'verbatim_repeats')!.weight).toBeLessThan(0);
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
    expect(engine.scoreAccount('acct_op_0')!.flagged).toBe(false);
    const input = structuredClone(engine.linkInput());
    const changed = engine.applyLinks(linkAccounts(input));
    expect(changed.has('acct_op_0')).toBe(true);
    const assessment = engine.scoreAccount('acct_op_0')!;
    expect(assessment.flagged).toBe(true);
    expect(assessment.clusterId).toMatch(/^C[0-9a-f]{6}$/);
    expect(assessment.evidence[0]!.weight).toBeGreaterThan(0);
    expect(engine.scoreAccount('acct_unknown')).toBeNull();
    expect(engine.account('acct_op_0')!.volume.exchanges).toBe(60);
    expect(engine.clusters().some((cluster) => cluster.accounts.includes('acct_op_0'))).toBe(true);
  });
});
