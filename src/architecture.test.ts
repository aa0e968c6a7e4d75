import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The import rules of the architecture (docs/architecture.md): stages depend only on the stages
 * before them in the data flow, the pure stages touch no database, network or file system, and
 * no module imports itself back through a cycle. Tests and test support are exempt.
 */
const ALLOWED: Record<string, string[]> = {
  util: [],
  model: ['util'],
  config: ['util', 'model'],
  features: ['util', 'model', 'config'],
  behaviour: ['util', 'model', 'config', 'features'],
  linking: ['util', 'model', 'config', 'features', 'behaviour'],
  scoring: ['util', 'model', 'config', 'features', 'behaviour', 'linking'],
  store: ['util', 'model', 'config'],
  ingest: ['util', 'model', 'config', 'store', 'features'],
  report: ['util', 'model', 'config'],
  eval: ['util', 'model', 'config'],
  sim: ['util', 'model', 'config'],
  analysis: ['util', 'model', 'config', 'store', 'features', 'behaviour', 'linking', 'scoring'],
  service: ['util', 'model', 'config', 'store', 'ingest', 'features', 'behaviour', 'linking', 'scoring', 'report', 'analysis'],
  backtest: ['util', 'model', 'config', 'store', 'ingest', 'features', 'behaviour', 'linking', 'scoring', 'eval', 'service'],
  cli: ['util', 'model', 'config', 'store', 'ingest', 'features', 'behaviour', 'linking', 'scoring', 'report', 'eval', 'sim', 'service', 'analysis', 'backtest', 'intel'],
  intel: ['util', 'model', 'config', 'store', 'features', 'behaviour', 'linking', 'scoring', 'analysis', 'service'],
};

/**
 * The service's parts (`src/service/<part>/`; `root` is the files at its top, which put the
 * parts together): the engine driver knows nothing of decisions, ingest or HTTP; decisions read
 * the engine's assessments; the HTTP layer may use everything.
 */
const SERVICE_PARTS: Record<string, string[]> = {
  engine: [],
  decisions: ['engine'],
  ingest: ['engine', 'root'],
  http: ['engine', 'decisions', 'ingest', 'root'],
  proxy: ['engine', 'decisions', 'root'],
  root: ['engine', 'decisions', 'ingest', 'http', 'proxy'],
};

/** Stages that other stages reach only through their `index.ts`, so their insides can change. */
const INDEX_ONLY: Record<string, string[]> = { service: ['ingest'] };

const PURE_STAGES = new Set(['model', 'features', 'behaviour', 'linking', 'scoring', 'eval', 'report']);
const IO_MODULES = [/^node:(fs|net|http|https|http2|child_process|dgram|dns|tls|cluster)(\/|$)/, /^@duckdb\//, /^fastify/, /^pg$/, /^undici/];

const srcDir = dirname(fileURLToPath(import.meta.url));

interface SourceFile {
  path: string;
  stage: string;
  imports: { specifier: string; typeOnly: boolean }[];
}

function listSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'test-support' || name === 'fixtures' ? [] : listSources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function parseImports(text: string): SourceFile['imports'] {
  const imports: SourceFile['imports'] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const match of text.matchAll(pattern)) imports.push({ specifier: match[3]!, typeOnly: match[2] !== undefined });
  for (const match of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) imports.push({ specifier: match[1]!, typeOnly: false });
  return imports;
}

const files: SourceFile[] = listSources(srcDir).map((path) => {
  const rel = relative(srcDir, path);
  return { path, stage: rel.includes('/') ? rel.split('/')[0]! : 'root', imports: parseImports(readFileSync(path, 'utf8')) };
});

function stageOf(path: string): string {
  const rel = relative(srcDir, path);
  return rel.includes('/') ? rel.split('/')[0]! : 'root';
}

function servicePartOf(path: string): string {
  const parts = relative(join(srcDir, 'service'), path).split('/');
  return parts.length > 1 ? parts[0]! : 'root';
}

function resolveLocal(from: string, specifier: string): string {
  return resolve(dirname(from), specifier).replace(/\.js$/, '.ts');
}

describe('architecture', () => {
  it('has a rule for every stage folder', () => {
    const stages = new Set(files.map((file) => file.stage).filter((stage) => stage !== 'root'));
    for (const stage of stages) expect(ALLOWED, `no import rule for src/${stage}`).toHaveProperty(stage);
  });

  it('lets each stage import only the stages before it in the data flow', () => {
    const violations: string[] = [];
    for (const file of files) {
      if (file.stage === 'root') continue;
      for (const { specifier } of file.imports) {
        if (!specifier.startsWith('.')) continue;
        const target = stageOf(resolveLocal(file.path, specifier));
        if (target === file.stage || target === 'root' && specifier.endsWith('version.js')) continue;
        if (!(ALLOWED[file.stage] ?? []).includes(target)) violations.push(`${relative(srcDir, file.path)} imports ${target} (${specifier})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('lets a stage reach the stages it may use only through their index, where the rules say so', () => {
    const violations: string[] = [];
    for (const file of files) {
      for (const { specifier } of file.imports) {
        if (!specifier.startsWith('.')) continue;
        const target = resolveLocal(file.path, specifier);
        const stage = stageOf(target);
        if (stage !== file.stage && (INDEX_ONLY[file.stage] ?? []).includes(stage) && relative(join(srcDir, stage), target) !== 'index.ts') {
          violations.push(`${relative(srcDir, file.path)} imports ${specifier}, not src/${stage}/index.ts`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('keeps the parts of the service in their order: engine, decisions, ingest, HTTP', () => {
    const violations: string[] = [];
    const serviceParts = new Set(files.filter((file) => file.stage === 'service').map((file) => servicePartOf(file.path)));
    for (const part of serviceParts) expect(SERVICE_PARTS, `no rule for src/service/${part}`).toHaveProperty(part);
    for (const file of files) {
      if (file.stage !== 'service') continue;
      const part = servicePartOf(file.path);
      for (const { specifier } of file.imports) {
        if (!specifier.startsWith('.')) continue;
        const target = resolveLocal(file.path, specifier);
        if (stageOf(target) !== 'service') continue;
        const targetPart = servicePartOf(target);
        if (targetPart !== part && !(SERVICE_PARTS[part] ?? []).includes(targetPart)) violations.push(`${relative(srcDir, file.path)} (${part}) imports ${targetPart} (${specifier})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('keeps database, network and file-system access out of the pure stages', () => {
    const violations: string[] = [];
    for (const file of files) {
      if (!PURE_STAGES.has(file.stage)) continue;
      for (const { specifier, typeOnly } of file.imports) {
        if (!typeOnly && IO_MODULES.some((pattern) => pattern.test(specifier))) violations.push(`${relative(srcDir, file.path)} imports ${specifier}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no import cycles between modules', () => {
    const graph = new Map<string, string[]>();
    for (const file of files) {
      graph.set(
        file.path,
        file.imports.filter((entry) => entry.specifier.startsWith('.') && !entry.typeOnly).map((entry) => resolveLocal(file.path, entry.specifier)),
      );
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (node: string, trail: string[]): void => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(node)), node].map((path) => relative(srcDir, path)).join(' → '));
        return;
      }
      state.set(node, 'visiting');
      for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
      state.set(node, 'done');
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });
});
