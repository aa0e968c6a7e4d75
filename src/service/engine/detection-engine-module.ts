import { loadAcademicMailDomains } from '../../config/academic-mail-domains.js';
import { loadPublicMailDomains } from '../../config/public-mail-domains.js';
import { RECORD_INDICATORS, recordColumnBuffers, recordColumns, type RecordColumns } from '../../behaviour/record-columns.js';
import type { ExchangeRecord } from '../../features/exchange-record.js';
import { RECORD_COLUMNS, exchangeRecordFromRow } from '../../ingest/index.js';
import { linkAccounts, type LinkInput, type LinkResult } from '../../linking/index.js';
import { createTemplatePreminer } from '../../behaviour/template-premining.js';
import { createDetectionEngine, parseDetectionConfig } from '../../scoring/index.js';
import { streamReplayChunks } from '../../store/replay-queries.js';
import type { LiveEngine, LiveEngineModule } from './engine-contract.js';

/** The detection engine (`src/scoring`, the code `analyze` runs) behind the service's engine interface. */
export function createDetectionLiveEngine(): LiveEngine<ExchangeRecord, LinkInput, LinkResult> {
  const engine = createDetectionEngine(parseDetectionConfig(), { publicMailDomains: loadPublicMailDomains(), academicMailDomains: loadAcademicMailDomains() });
  return {
    name: engine.name,
    observeAccounts: (accounts) => engine.setAccountInfo(accounts),
    observePartnerSightings: (sightings) => engine.setPartnerSightings(sightings),
    observe: (records) => engine.observe(records),
    observeColumns: (columns, from, to) => engine.observeColumns(columns as RecordColumns, from, to),
    scoreAccount: (accountId) => engine.scoreAccount(accountId),
    linkInput: () => ({ input: engine.linkInput() }),
    applyLinks: (links) => engine.applyLinks(links),
    account: (accountId) => engine.account(accountId),
    clusters: () => engine.clusters(),
    clusterMemberships: () => engine.clusterMemberships(),
    templateShapes: (names) => names.map((name) => engine.templateShape(name)),
    get accountCount() {
      return engine.accountCount;
    },
  };
}

/**
 * The engine the service runs, and the module its workers load by URL (`observationOfRow` in
 * the ingest workers, `relink` in the relink worker): both sides import it from here, so they
 * cannot disagree on which engine is in use.
 */
export const liveEngineModule: LiveEngineModule = {
  createEngine: createDetectionLiveEngine,
  observationOfRow: exchangeRecordFromRow,
  observedColumns: RECORD_COLUMNS,
  columnsOfRows: (rows) => {
    const columns = recordColumns(rows.map(exchangeRecordFromRow));
    return { columns, transfer: recordColumnBuffers(columns) };
  },
  columnsOfStore: (store, options, onChunk) => {
    // Templates mined here, on the reading thread, once for every engine the chunks go to, with
    // the options of the engine `createEngine` makes.
    const premine = createTemplatePreminer(parseDetectionConfig().behaviour);
    return streamReplayChunks(store, options, (chunk) => {
      premine(chunk.batch);
      const columns: RecordColumns = { batch: chunk.batch, accounts: chunk.accounts, models: chunk.models, indicators: RECORD_INDICATORS.map(([kind]) => chunk.indicators[kind]) };
      return onChunk(chunk, columns, recordColumnBuffers(columns));
    });
  },
  relink: (input) => linkAccounts(input as LinkInput),
} as LiveEngineModule;

export const LIVE_ENGINE_MODULE_URL = new URL('./detection-engine-module.js', import.meta.url);
