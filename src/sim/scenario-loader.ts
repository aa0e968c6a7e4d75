import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { ZodIssue } from 'zod';
import { UsageError } from '../util/errors.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';

export const BUILT_IN_SCENARIOS = ['smoke', 'default', 'seed-scale'] as const;

/** The package root (where `scenarios/` lives): two levels above this file in src/ and dist/. */
export function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function builtInScenarioPath(name: string): string {
  return join(packageRoot(), 'scenarios', `${name}.yaml`);
}

export interface LoadedScenario {
  scenario: Scenario;
  /** The file it came from, for messages and for resolving relative paths in it. */
  path: string;
}

/**
 * Loads a scenario by built-in name (`smoke`, `default`, `seed-scale`) or from a JSON or YAML
 * file, and validates it. Every problem is reported as `file: field: what was expected`.
 */
export function loadScenario(nameOrPath: string): LoadedScenario {
  const path = (BUILT_IN_SCENARIOS as readonly string[]).includes(nameOrPath) ? builtInScenarioPath(nameOrPath) : resolve(nameOrPath);
  if (!existsSync(path)) {
    throw new UsageError(`scenario ${nameOrPath}: no such built-in scenario or file (built-ins: ${BUILT_IN_SCENARIOS.join(', ')})`);
  }
  const text = readFileSync(path, 'utf8');
  return { scenario: parseScenarioText(text, path), path };
}

export function parseScenarioText(text: string, path: string): Scenario {
  let raw: unknown;
  try {
    raw = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` (line ${error.linePos[0].line})` : '';
    throw new UsageError(`scenario file ${path}${where}: not valid ${extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  return validateScenario(raw, path);
}

export function validateScenario(raw: unknown, path = '<scenario>'): Scenario {
  const parsed = scenarioSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.slice(0, 8).map((issue) => `  ${formatPath(issue.path)}: ${describeIssue(issue)}`);
  const more = parsed.error.issues.length > 8 ? `\n  … and ${parsed.error.issues.length - 8} more` : '';
  throw new UsageError(`scenario file ${path} is invalid:\n${lines.join('\n')}${more}`);
}

function formatPath(path: (string | number)[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

function describeIssue(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.received === 'undefined' ? `required (expected ${issue.expected})` : `expected ${issue.expected}, found ${issue.received}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    case 'invalid_enum_value':
      return `expected one of ${issue.options.map((option) => JSON.stringify(option)).join(', ')}, found ${JSON.stringify(issue.received)}`;
    case 'invalid_union_discriminator':
      return `expected kind to be one of ${issue.options.map((option) => JSON.stringify(option)).join(', ')}`;
    case 'too_small':
      return `expected ${issue.type === 'array' ? 'at least ' + String(issue.minimum) + ' item(s)' : (issue.inclusive ? '>= ' : '> ') + String(issue.minimum)}`;
    case 'too_big':
      return `expected ${issue.type === 'array' ? 'at most ' + String(issue.maximum) + ' item(s)' : (issue.inclusive ? '<= ' : '< ') + String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

/** A path written in a scenario file is relative to that file. */
export function resolveScenarioPath(scenarioPath: string, value: string): string {
  return isAbsolute(value) ? value : resolve(dirname(scenarioPath), value);
}
