import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateFindings } from '../eval/index.js';
import { runCli } from '../ingest/test-support/cli-runner.js';
import { buildSyntheticFindings } from '../report/test-support/synthetic-findings.js';

const directory = mkdtempSync(join(tmpdir(), 'distillguard-eval-'));
const { findings, labels } = buildSyntheticFindings({ accounts: 3_000, clusters: 30, seed: 4 });
const findingsPath = join(directory, 'findings.json');
const labelsPath = join(directory, 'labels.jsonl');
writeFileSync(findingsPath, JSON.stringify(findings));
writeFileSync(labelsPath, labels.map((label) => JSON.stringify(label)).join('\n') + '\n');

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('distillguard eval', () => {
  it('prints the measures as tables', async () => {
    const result = await runCli(['eval', '--findings', findingsPath, '--labels', labelsPath]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/precision\s+\d\.\d{3}/);
    expect(result.stdout).toContain('False positives by benign persona (* hard negative)');
    expect(result.stdout).toMatch(/classroom \*/);
    expect(result.stdout).toMatch(/hydra-proxy-3\s+proxy_network/);
    expect(result.stdout).toMatch(/adjusted Rand index\s+\d\.\d{3}/);
  });

  it('prints the same figures as JSON with --json, gzipped input included', async () => {
    const gzipped = join(directory, 'findings.json.gz');
    writeFileSync(gzipped, gzipSync(JSON.stringify(findings)));
    const result = await runCli(['eval', '--findings', gzipped, '--labels', labelsPath, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(JSON.stringify(evaluateFindings(findings, labels))));
  });

  it('exits 1 naming the file, line and field of a bad label', async () => {
    const bad = join(directory, 'bad-labels.jsonl');
    const lines = labels.slice(0, 3).map((label) => JSON.stringify(label));
    lines[2] = JSON.stringify({ ...labels[2], label: 'suspicious' });
    writeFileSync(bad, lines.join('\n'));
    const result = await runCli(['eval', '--findings', findingsPath, '--labels', bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${bad}:3: label: expected "attack" or "benign", found the string "suspicious"`);
    expect(result.stdout).toBe('');
  });

  it('exits 1 for a findings file that is not a findings document, 2 for a missing file', async () => {
    const notFindings = join(directory, 'not-findings.json');
    writeFileSync(notFindings, JSON.stringify({ accounts: [{ account_id: 'a', score: 'high' }] }));
    const bad = await runCli(['eval', '--findings', notFindings, '--labels', labelsPath]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${notFindings}: accounts[0].score: expected a number from 0 to 1`);
    const missing = await runCli(['eval', '--findings', join(directory, 'nope.json'), '--labels', labelsPath]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });
});
