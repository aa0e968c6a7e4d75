import type { DuckDbStore } from '../store/duckdb-store.js';
import { ensureTaxiiPollTable, readTaxiiPollState, saveTaxiiPollState } from '../store/taxii-tables.js';
import { DistillguardError, InputError } from '../util/errors.js';
import { importIntelBundle, type IntelImportResult } from './intel-import.js';
import type { CommunityKey } from './keyed-indicators.js';
import { TAXII_MEDIA_TYPE, taxiiCollectionId } from './taxii-routes.js';

export interface TaxiiPollOptions {
  /** The API root, e.g. `https://partner.example/taxii2/api/`. */
  apiRoot: string;
  /** The collection id, or the sharing community's name (distillguard servers derive the id from it). */
  collection: string;
  /** The partner API key the other server gave us. */
  apiKey: string;
  key: CommunityKey;
  pageSize?: number;
  fetch?: typeof fetch;
  now?: number;
}

export interface TaxiiPollResult extends IntelImportResult {
  objects: number;
  pages: number;
  /** Where the next poll starts (the last date added seen), or the previous one when nothing was new. */
  addedAfter: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Pulls what a partner's TAXII 2.1 collection gained since the last poll (`added_after`, kept in
 * the store per API root and collection), following `next` while `more`, and imports it as
 * `intel import` does. The poll state moves only after the import, so a failed poll is repeated
 * whole next time rather than skipping objects.
 */
export async function pollTaxiiCollection(store: DuckDbStore, options: TaxiiPollOptions): Promise<TaxiiPollResult> {
  const fetcher = options.fetch ?? fetch;
  const apiRoot = options.apiRoot.endsWith('/') ? options.apiRoot : `${options.apiRoot}/`;
  const collection = UUID.test(options.collection) ? options.collection.toLowerCase() : taxiiCollectionId(options.collection);
  await ensureTaxiiPollTable(store);
  const previous = await readTaxiiPollState(store, apiRoot, collection);
  const objects: unknown[] = [];
  let last: string | null = null;
  let next: string | undefined;
  let pages = 0;
  do {
    const url = new URL(`collections/${collection}/objects/`, apiRoot);
    url.searchParams.set('limit', String(options.pageSize ?? 1000));
    if (previous !== null) url.searchParams.set('added_after', previous);
    if (next !== undefined) url.searchParams.set('next', next);
    const response = await fetcher(url, { headers: { accept: TAXII_MEDIA_TYPE, authorization: `Bearer ${options.apiKey}` } });
    const text = await response.text();
    if (!response.ok) {
      throw new DistillguardError(`the TAXII server answered ${response.status} for ${url.pathname}: ${describeError(text)}`, { exitCode: 1 });
    }
    let body: { objects?: unknown[]; more?: boolean; next?: string };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new InputError(`the TAXII server's answer for ${url.pathname} is not JSON`);
    }
    pages++;
    objects.push(...(body.objects ?? []));
    last = response.headers.get('x-taxii-date-added-last') ?? last;
    next = body.more === true && typeof body.next === 'string' ? body.next : undefined;
    if (body.more === true && next === undefined) throw new InputError('the TAXII server said there is more but gave no next');
  } while (next !== undefined);
  const imported = objects.length === 0 ? { indicators: 0, sketches: 0, skipped: {} } : await importIntelBundle(store, { type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000000', objects }, options.key, options.now);
  if (last !== null) await saveTaxiiPollState(store, apiRoot, collection, last, options.now ?? Date.now());
  return { ...imported, objects: objects.length, pages, addedAfter: last ?? previous };
}

function describeError(text: string): string {
  try {
    const body = JSON.parse(text) as { description?: string; title?: string };
    return body.description ?? body.title ?? text.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}
