import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const SCHEMA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'data', 'schemas', 'stix2.1');
const BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

function listSchemas(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listSchemas(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

/**
 * Types `common/bundle.json` cannot accept although the specification allows them in a bundle: its
 * branch for custom objects is `oneOf [core, cyber-observable-core]`, and every SDO also meets
 * the looser observable core, so a custom SDO (and `extension-definition`, which the bundle schema
 * does not list) always fails that `oneOf`. These are checked against their own schemas instead.
 */
const OWN_SCHEMA_ONLY = (type: string): boolean => type === 'extension-definition' || type.startsWith('x-');

export interface StixSchemaValidator {
  /**
   * Errors of the whole bundle, empty when valid: the envelope and standard objects against
   * `common/bundle.json`, the objects it cannot take (`OWN_SCHEMA_ONLY`) against their own schema.
   */
  bundle(bundle: { type: string; id: string; objects?: unknown[] }): string[];
  /** Errors of one object against the schema of its type (`core.json` for custom types). */
  object(object: { type: string }): string[];
}

/** The vendored OASIS STIX 2.1 schemas (data/schemas/stix2.1), compiled once with ajv. */
export function createStixSchemaValidator(): StixSchemaValidator {
  // The OASIS patterns escape characters that need no escape (`\-`), which a Unicode regular expression refuses.
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
  const addFormats = addFormatsModule as unknown as (instance: Ajv2020) => void;
  addFormats(ajv);
  // ajv-formats has no idn-hostname; no exported object is a domain-name, so it is accepted unchecked.
  ajv.addFormat('idn-hostname', true);
  const byType = new Map<string, string>();
  for (const path of listSchemas(SCHEMA_DIR)) {
    const schema = JSON.parse(readFileSync(path, 'utf8')) as { $id: string; title?: string };
    ajv.addSchema(schema);
    const rel = relative(SCHEMA_DIR, path);
    if (!rel.startsWith('common/') || rel === 'common/marking-definition.json' || rel === 'common/extension-definition.json' || rel === 'common/language-content.json') {
      byType.set(rel.replace(/^.*\//, '').replace(/\.json$/, ''), BASE + rel);
    }
  }
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (id: string): ValidateFunction => {
    let validate = compiled.get(id);
    if (validate === undefined) {
      validate = ajv.getSchema(id)!;
      compiled.set(id, validate);
    }
    return validate;
  };
  const run = (id: string, value: unknown): string[] => {
    const validate = validatorFor(id);
    return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
  };
  return {
    bundle: (bundle) => {
      const { objects = [], ...envelope } = bundle as { objects?: { type: string; id?: string }[] };
      const own = objects.filter((object) => OWN_SCHEMA_ONLY(object.type));
      const standard = objects.filter((object) => !OWN_SCHEMA_ONLY(object.type));
      return [
        ...run(BASE + 'common/bundle.json', { ...envelope, objects: standard }),
        ...own.flatMap((object) => run(byType.get(object.type) ?? BASE + 'common/core.json', object).map((error) => `${object.id ?? object.type}: ${error}`)),
      ];
    },
    object: (object) => run(byType.get(object.type) ?? BASE + 'common/core.json', object),
  };
}
