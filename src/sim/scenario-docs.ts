import { z } from 'zod';
import { CAMPAIGN_KINDS, scenarioSchema } from './scenario-schema.js';

/**
 * The scenario knobs as documentation rows, read from the schema itself (types, defaults and
 * `.describe()` texts), so the table in docs/simulator.md cannot drift from what the loader accepts:
 * a test checks that the guide shows exactly this table.
 */
export interface KnobRow {
  /** Dotted path as written in a scenario file, e.g. `personas.chat_user.turns`; `campaigns[]` for list items. */
  path: string;
  type: string;
  /** Default as JSON; for campaign knobs, per kind when kinds differ (`kind=value; ...`). */
  defaultValue: string;
  description: string;
}

interface Unwrapped {
  schema: z.ZodTypeAny;
  description: string;
  defaultValue: unknown;
  hasDefault: boolean;
  nullable: boolean;
  optional: boolean;
}

function unwrap(schema: z.ZodTypeAny): Unwrapped {
  let current = schema;
  let description = '';
  let defaultValue: unknown;
  let hasDefault = false;
  let nullable = false;
  let optional = false;
  for (;;) {
    if (!description && current.description) description = current.description;
    if (current instanceof z.ZodDefault) {
      if (!hasDefault) {
        defaultValue = (current._def as { defaultValue: () => unknown }).defaultValue();
        hasDefault = true;
      }
      current = current._def.innerType as z.ZodTypeAny;
    } else if (current instanceof z.ZodOptional) {
      optional = true;
      current = current._def.innerType as z.ZodTypeAny;
    } else if (current instanceof z.ZodNullable) {
      nullable = true;
      current = current._def.innerType as z.ZodTypeAny;
    } else if (current instanceof z.ZodEffects) {
      current = current._def.schema as z.ZodTypeAny;
    } else {
      return { schema: current, description, defaultValue, hasDefault, nullable, optional };
    }
  }
}

function typeName(schema: z.ZodTypeAny): string {
  if (schema instanceof z.ZodNumber) return schema.isInt ? 'integer' : 'number';
  if (schema instanceof z.ZodString) return 'string';
  if (schema instanceof z.ZodBoolean) return 'boolean';
  if (schema instanceof z.ZodEnum) return (schema.options as string[]).join(' | ');
  if (schema instanceof z.ZodLiteral) return JSON.stringify(schema.value);
  if (schema instanceof z.ZodTuple) return '[min, max]';
  if (schema instanceof z.ZodRecord) return 'weights';
  if (schema instanceof z.ZodArray) return 'list';
  if (schema instanceof z.ZodObject) return 'object';
  return 'value';
}

function walk(schema: z.ZodTypeAny, path: string, rows: Map<string, KnobRow & { defaults: Map<string, string> }>, kind: string | null): void {
  const info = unwrap(schema);
  const inner = info.schema;
  if (inner instanceof z.ZodObject && !(path.endsWith('models') && path !== '')) {
    const shape = inner.shape as Record<string, z.ZodTypeAny>;
    for (const [key, child] of Object.entries(shape)) walk(child, path === '' ? key : `${path}.${key}`, rows, kind);
    return;
  }
  if (inner instanceof z.ZodArray && unwrap(inner.element as z.ZodTypeAny).schema instanceof z.ZodDiscriminatedUnion) {
    const union = unwrap(inner.element as z.ZodTypeAny).schema as z.ZodDiscriminatedUnion<string, z.ZodObject<z.ZodRawShape>[]>;
    for (const option of union.options) {
      const optionKind = String((option.shape.kind as z.ZodLiteral<string>).value);
      walk(option, `${path}[]`, rows, optionKind);
    }
    return;
  }
  if (inner instanceof z.ZodArray && unwrap(inner.element as z.ZodTypeAny).schema instanceof z.ZodObject) {
    // A list of objects: one row for the list, then one per field of its items.
    const value = info.hasDefault ? JSON.stringify(info.defaultValue) : '(required)';
    if (!rows.has(path)) rows.set(path, { path, type: 'list', defaultValue: value, description: info.description, defaults: new Map([[kind ?? '', value]]) });
    walk(inner.element as z.ZodTypeAny, `${path}[]`, rows, kind);
    return;
  }
  let type = typeName(inner);
  if (info.nullable) type += ' or null';
  const value = info.hasDefault ? JSON.stringify(info.defaultValue) : info.optional ? '(built-in)' : '(required)';
  const existing = rows.get(path);
  if (existing) {
    existing.defaults.set(kind ?? '', value);
    if (kind !== null && path.endsWith('.kind')) existing.type += ` | ${type}`;
    return;
  }
  rows.set(path, { path, type, defaultValue: value, description: info.description, defaults: new Map([[kind ?? '', value]]) });
}

export function describeScenarioKnobs(): KnobRow[] {
  const rows = new Map<string, KnobRow & { defaults: Map<string, string> }>();
  walk(scenarioSchema, '', rows, null);
  return [...rows.values()].map(({ defaults, ...row }) => {
    const values = [...new Set(defaults.values())];
    let defaultValue = values.length <= 1 ? row.defaultValue : [...defaults].map(([kind, value]) => `${kind}=${value}`).join('; ');
    if (row.path === 'models' || row.path === 'release.models') defaultValue = 'see `scenarios/default.yaml`';
    const kinds = [...defaults.keys()].filter((kind) => kind !== '');
    const onlySome = row.path.startsWith('campaigns[]') && kinds.length > 0 && kinds.length < CAMPAIGN_KINDS.length ? ` (${kinds.join(', ')} only)` : '';
    return { ...row, defaultValue, description: row.description + onlySome };
  });
}

/** The knob table in Markdown, as docs/simulator.md shows it. */
export function scenarioKnobTable(): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const lines = ['| knob | type | default | meaning |', '|---|---|---|---|'];
  for (const row of describeScenarioKnobs()) {
    lines.push(`| \`${row.path}\` | ${escape(row.type)} | ${escape(row.defaultValue)} | ${escape(row.description)} |`);
  }
  return lines.join('\n');
}
