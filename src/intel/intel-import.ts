import type { DuckDbStore } from '../store/duckdb-store.js';
import { ensurePartnerIntelTables, saveCommunityKey, savePartnerIntel, type PartnerIndicatorRecord, type PartnerSketchRecord } from '../store/partner-intel-tables.js';
import { InputError } from '../util/errors.js';
import { DISTILLGUARD_EXTENSION_ID, TEMPLATE_SKETCH_TYPE } from './intel-bundle-builder.js';
import { hashSketchBin, parseIndicatorPattern, type CommunityKey } from './keyed-indicators.js';

export interface IntelImportResult {
  indicators: number;
  sketches: number;
  /** Objects left out, by reason: another community's key, a pattern not of keyed hashes, a malformed object. */
  skipped: Record<string, number>;
}

type Loose = Record<string, unknown>;

const SKETCH_BINS = 8;
const BIN_VALUES = 65_536;

/**
 * Stores a partner's bundle: the indicators and template sketches keyed with `key` (objects of
 * other communities or other kinds are counted and left out). Sketch bins are decoded back to
 * bin values by hashing every possible value, which a community member can always do, so later
 * matching is a plain comparison.
 */
export async function importIntelBundle(store: DuckDbStore, bundle: unknown, key: CommunityKey, now = Date.now()): Promise<IntelImportResult> {
  return saveIntelBundle(store, readIntelBundle(bundle, key, now), now);
}

export interface ReadIntelBundle {
  key: CommunityKey;
  indicators: PartnerIndicatorRecord[];
  sketches: PartnerSketchRecord[];
  skipped: Record<string, number>;
}

/**
 * The reading half of an import, without the store: the service decodes a partner's POST here
 * before it takes its turn on the store, so ingest commits do not wait for the bin decoding.
 */
export function readIntelBundle(bundle: unknown, key: CommunityKey, now = Date.now()): ReadIntelBundle {
  if (typeof bundle !== 'object' || bundle === null || (bundle as Loose).type !== 'bundle' || !Array.isArray((bundle as Loose).objects)) {
    throw new InputError('not a STIX bundle: expected an object with "type": "bundle" and an "objects" array');
  }
  const objects = ((bundle as Loose).objects as unknown[]).filter((object): object is Loose => typeof object === 'object' && object !== null);
  const names = new Map(objects.filter((object) => object.type === 'identity').map((object) => [String(object.id), String(object.name ?? 'unnamed partner')]));
  const lastSighting = new Map<string, number>();
  for (const object of objects.filter((item) => item.type === 'sighting')) {
    const seen = Date.parse(String(object.last_seen ?? ''));
    if (Number.isFinite(seen)) lastSighting.set(String(object.sighting_of_ref), Math.max(seen, lastSighting.get(String(object.sighting_of_ref)) ?? 0));
  }
  const skipped: Record<string, number> = {};
  const skip = (reason: string) => (skipped[reason] = (skipped[reason] ?? 0) + 1);
  const ours = (object: Loose): boolean => {
    const extension = (object.extensions as Loose | undefined)?.[DISTILLGUARD_EXTENSION_ID] as Loose | undefined;
    if (extension === undefined) return false;
    if (extension.key_id !== key.keyId) {
      skip('other_key');
      return false;
    }
    return true;
  };
  const sourceOf = (object: Loose) => `${names.get(String(object.created_by_ref)) ?? 'unnamed partner'} (${key.community})`;
  const timeOf = (value: unknown, fallback: number) => {
    const parsed = Date.parse(String(value ?? ''));
    return Number.isFinite(parsed) ? parsed : fallback;
  };
  const confidenceOf = (object: Loose) => (typeof object.confidence === 'number' ? Math.max(0, Math.min(100, Math.round(object.confidence))) : 50);

  const indicators: PartnerIndicatorRecord[] = [];
  const sketches: PartnerSketchRecord[] = [];
  let decode: ((bin: number, hash: string) => number | undefined) | null = null;
  for (const object of objects) {
    if (object.type === 'indicator') {
      const parsed = parseIndicatorPattern(String(object.pattern ?? ''));
      if (parsed === null) {
        skip('other_pattern');
        continue;
      }
      if (!ours(object)) continue;
      const validFrom = timeOf(object.valid_from, now);
      indicators.push({
        stixId: String(object.id),
        keyId: key.keyId,
        source: sourceOf(object),
        kind: parsed.kind,
        hash: parsed.hash,
        confidence: confidenceOf(object),
        lastSeen: lastSighting.get(String(object.id)) ?? validFrom,
        validUntil: timeOf(object.valid_until, Number.MAX_SAFE_INTEGER / 2),
      });
    } else if (object.type === TEMPLATE_SKETCH_TYPE) {
      if (!ours(object)) continue;
      const hashes = object.bins;
      if (!Array.isArray(hashes) || hashes.length !== SKETCH_BINS) {
        skip('malformed');
        continue;
      }
      decode ??= createBinDecoder(key);
      const bins = hashes.map((hash, bin) => decode!(bin, String(hash)));
      if (bins.some((value) => value === undefined)) {
        skip('malformed');
        continue;
      }
      sketches.push({
        stixId: String(object.id),
        keyId: key.keyId,
        source: sourceOf(object),
        bins: bins as number[],
        confidence: confidenceOf(object),
        lastSeen: timeOf(object.last_seen, now),
        validUntil: timeOf(object.valid_until, Number.MAX_SAFE_INTEGER / 2),
      });
    }
  }
  return { key, indicators, sketches, skipped };
}

export async function saveIntelBundle(store: DuckDbStore, read: ReadIntelBundle, now = Date.now()): Promise<IntelImportResult> {
  await ensurePartnerIntelTables(store);
  await saveCommunityKey(store, read.key);
  await savePartnerIntel(store, read.indicators, read.sketches, now);
  return { indicators: read.indicators.length, sketches: read.sketches.length, skipped: read.skipped };
}

function createBinDecoder(key: CommunityKey): (bin: number, hash: string) => number | undefined {
  const tables: Map<string, number>[] = [];
  return (bin, hash) => {
    let table = tables[bin];
    if (table === undefined) {
      table = new Map();
      for (let value = 0; value < BIN_VALUES; value++) table.set(hashSketchBin(key, bin, value), value);
      tables[bin] = table;
    }
    return table.get(hash);
  };
}
