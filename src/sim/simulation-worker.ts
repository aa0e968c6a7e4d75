import { parentPort, workerData } from 'node:worker_threads';
import type { AccountFilePaths } from './account-files.js';
import { createSimulationContext, encodeBlock, worldFactsOf, writeAndReleaseAccountFiles, type SimulationSettings } from './simulation-context.js';

export interface WorkerSetup {
  settings: SimulationSettings;
  /** Set for exactly one worker: it writes the account files and reports the world's facts. */
  accountFiles: AccountFilePaths | null;
}

/**
 * Worker entry: rebuilds the world from the settings, then turns block indices into gzip
 * members. Messages: in `{ block }`; out `{ ready, blocks, expectedExchanges, accounts }` once
 * the world is built, `{ facts }` from the account-file writer, then `{ block, stats, data }`
 * per block, or `{ error }`.
 */
const port = parentPort;
if (port === null) throw new Error('simulation-worker must run as a worker thread');

const reportError = (error: unknown) => port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });

try {
  const setup = workerData as WorkerSetup;
  const context = createSimulationContext(setup.settings, { accountFiles: setup.accountFiles !== null });
  port.on('message', (message: { block: number }) => {
    try {
      const { stats, data } = encodeBlock(context, message.block);
      // Hand the compressed bytes over without a copy: the view moves with its whole buffer.
      // Small buffers may live in Node's shared pool, which must never be transferred: copy those.
      let payload: Uint8Array = data;
      if (data.buffer.byteLength <= Buffer.poolSize) {
        payload = new Uint8Array(data.byteLength);
        payload.set(data);
      }
      port.postMessage({ block: message.block, stats, data: payload }, [payload.buffer as ArrayBuffer]);
    } catch (error) {
      reportError(error);
    }
  });
  // Ready before the account files are written: blocks queue up for this worker meanwhile,
  // so the other workers start generating at once.
  port.postMessage({ ready: true, blocks: context.blocks.length, expectedExchanges: context.world.expectedExchanges, accounts: context.world.accounts.length });
  if (setup.accountFiles !== null) {
    writeAndReleaseAccountFiles(context, setup.accountFiles);
    const facts = worldFactsOf(context);
    port.postMessage({ facts }, [facts.accountGroups.buffer as ArrayBuffer]);
  }
} catch (error) {
  reportError(error);
}
