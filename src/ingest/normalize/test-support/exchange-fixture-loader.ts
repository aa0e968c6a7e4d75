import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One recorded exchange as the gateway logs it: the fields of a log line the normalisers read. */
export interface ExchangeFixture {
  status: number;
  request: Record<string, unknown>;
  response: Record<string, unknown> | null;
}

const fixtureDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function loadFixture(name: string): ExchangeFixture {
  return JSON.parse(readFileSync(`${fixtureDir}${name}.json`, 'utf8')) as ExchangeFixture;
}

/** Fixture names (without `.json`) whose file name starts with `prefix`. */
export function listFixtures(prefix: string): string[] {
  const names: string[] = [];
  for (const file of readdirSync(fixtureDir).sort()) {
    if (file.startsWith(prefix) && file.endsWith('.json')) names.push(file.slice(0, -'.json'.length));
  }
  return names;
}
