import type { PartnerSighting } from '../scoring/index.js';
import type { DuckDbStore } from '../store/duckdb-store.js';
import { readPartnerIntel, type PartnerIndicatorRecord } from '../store/partner-intel-tables.js';
import { createCommunityKey, hashIndicator, type CommunityKey, type IndicatorKind } from './keyed-indicators.js';

export interface PartnerMatchOptions {
  /** Sketch bins (of 8) an exchange must share with a partner's template: 5 is a Jaccard similarity of about 0.6, what a paraphrase of a harness keeps. */
  minSketchBins?: number;
  /** Prompts shorter than this are not compared (the template miner's floor). */
  minPromptTokens?: number;
}

const DAY_MS = 86_400_000;

const EXCHANGE_COLUMNS: [IndicatorKind, string][] = [
  ['ip', 'client_ip'],
  ['subnet', 'client_subnet'],
  ['user_agent', 'user_agent'],
  ['tls', 'tls_fingerprint'],
];
const ACCOUNT_COLUMNS: [IndicatorKind, string][] = [
  ['payment', 'payment_fingerprint'],
  ['email_domain', 'email_domain'],
];

interface Match {
  accountId: string;
  source: string;
  kind: string;
  confidence: number;
  partnerLastSeen: number;
  validUntil: number;
  firstMs: number;
  lastMs: number;
  matches: number;
}

/**
 * Which accounts of this store match what partners shared: our own values hashed with each
 * community key and looked up among the partners' hashes, and our prompts' sketches compared
 * bin by bin with their template sketches. One sighting per account, partner and kind (the
 * strongest), so a hundred matching exits are one piece of evidence, not a hundred. Age is
 * measured in traffic time (from the partner's last sighting to our latest match), so a
 * replayed store ages its evidence as it happened; a match that began after the indicator
 * expired does not count.
 */
export async function readPartnerSightings(store: DuckDbStore, { minSketchBins = 5, minPromptTokens = 12 }: PartnerMatchOptions = {}): Promise<Map<string, PartnerSighting[]>> {
  const intel = await readPartnerIntel(store);
  const matches: Match[] = [];
  if (intel.indicators.length > 0) {
    const byHash = new Map<string, PartnerIndicatorRecord[]>();
    for (const indicator of intel.indicators) {
      const lookup = `${indicator.keyId}\u0000${indicator.kind}\u0000${indicator.hash}`;
      byHash.set(lookup, [...(byHash.get(lookup) ?? []), indicator]);
    }
    const keys: CommunityKey[] = intel.keys.filter((key) => intel.indicators.some((indicator) => indicator.keyId === key.keyId)).map((key) => createCommunityKey(key.community, key.key));
    const visit = (kind: IndicatorKind, rows: Record<string, unknown>[]) => {
      const hashes = new Map<string, string[]>();
      for (const row of rows) {
        const value = String(row.value);
        let perKey = hashes.get(value);
        if (perKey === undefined) {
          perKey = keys.map((key) => `${key.keyId}\u0000${kind}\u0000${hashIndicator(key, kind, value)}`);
          hashes.set(value, perKey);
        }
        for (const lookup of perKey) {
          for (const indicator of byHash.get(lookup) ?? []) {
            matches.push({
              accountId: String(row.account_id),
              source: indicator.source,
              kind,
              confidence: indicator.confidence,
              partnerLastSeen: indicator.lastSeen,
              validUntil: indicator.validUntil,
              firstMs: Number(row.first_ms),
              lastMs: Number(row.last_ms),
              matches: Number(row.n),
            });
          }
        }
      }
    };
    for (const [kind, column] of EXCHANGE_COLUMNS) {
      visit(
        kind,
        await store.query(
          `SELECT account_id, ${column} AS value, count(*) AS n, epoch_ms(min(ts)) AS first_ms, epoch_ms(max(ts)) AS last_ms
           FROM exchanges WHERE ${column} IS NOT NULL AND ${column} <> '' GROUP BY ALL`,
        ),
      );
    }
    for (const [kind, column] of ACCOUNT_COLUMNS) {
      visit(
        kind,
        await store.query(
          `SELECT a.account_id, a.${column} AS value, 1 AS n, coalesce(epoch_ms(min(e.ts)), epoch_ms(a.created_at), 0) AS first_ms,
                  coalesce(epoch_ms(max(e.ts)), epoch_ms(a.created_at), 0) AS last_ms
           FROM accounts a LEFT JOIN exchanges e USING (account_id)
           WHERE a.${column} IS NOT NULL AND a.${column} <> '' GROUP BY a.account_id, a.${column}, a.created_at`,
        ),
      );
    }
  }
  if (intel.sketches.length > 0) {
    await store.run(`CREATE OR REPLACE TEMP TABLE intel_sketch_match (idx INTEGER, ${Array.from({ length: 8 }, (_, bin) => `b${bin} INTEGER`).join(', ')})`);
    const values = intel.sketches.map((sketch, idx) => `(${idx}, ${sketch.bins.map((value) => String(Math.trunc(value))).join(', ')})`);
    await store.run(`INSERT INTO intel_sketch_match VALUES ${values.join(', ')}`);
    const agreement = [1, 2]
      .flatMap((column) => [0, 1, 2, 3].map((slot) => `(((e.prompt_sketch_${column} >> ${16 * slot}) & 65535) = s.b${(column - 1) * 4 + slot})::INTEGER`))
      .join(' + ');
    const rows = await store.query<Record<string, unknown>>(
      `SELECT e.account_id, s.idx, count(*) AS n, epoch_ms(min(e.ts)) AS first_ms, epoch_ms(max(e.ts)) AS last_ms
       FROM exchanges e, intel_sketch_match s
       WHERE e.prompt_tokens >= ${minPromptTokens} AND e.prompt_sketch_1 <> 0 AND ${agreement} >= ${minSketchBins}
       GROUP BY e.account_id, s.idx`,
    );
    await store.run('DROP TABLE IF EXISTS intel_sketch_match');
    for (const row of rows) {
      const sketch = intel.sketches[Number(row.idx)]!;
      matches.push({
        accountId: String(row.account_id),
        source: sketch.source,
        kind: 'template',
        confidence: sketch.confidence,
        partnerLastSeen: sketch.lastSeen,
        validUntil: sketch.validUntil,
        firstMs: Number(row.first_ms),
        lastMs: Number(row.last_ms),
        matches: Number(row.n),
      });
    }
  }
  const strongest = new Map<string, PartnerSighting>();
  const sightings = new Map<string, PartnerSighting[]>();
  for (const match of matches) {
    if (match.firstMs > match.validUntil) continue;
    const ageDays = Math.max(0, (match.lastMs - match.partnerLastSeen) / DAY_MS);
    const slot = `${match.accountId}\u0000${match.source}\u0000${match.kind}`;
    const held = strongest.get(slot);
    if (held === undefined) {
      const sighting: PartnerSighting = { source: match.source, kind: match.kind, confidence: match.confidence, ageDays, matches: match.matches };
      strongest.set(slot, sighting);
      sightings.set(match.accountId, [...(sightings.get(match.accountId) ?? []), sighting]);
    } else {
      held.matches += match.matches;
      // The freshest match speaks for the kind (decay is the detector's to apply), the more confident on a tie.
      if (ageDays < held.ageDays || (ageDays === held.ageDays && match.confidence > held.confidence)) {
        held.confidence = match.confidence;
        held.ageDays = ageDays;
      }
    }
  }
  return sightings;
}
