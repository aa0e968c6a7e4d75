import { parentPort, workerData } from 'node:worker_threads';
import { createSimulationContext, encodeBlock, type SimulationSettings } from './simulation-context.js';

/**
 * Worker entry: rebuilds the world from the settings, then turns block indices into gzip
 * members. Messages: in `{ block }`, out `{ ready }`, `{ block, stats, data }` or `{ error }`.
 */
const port = parentPort;
if (port === null) throw new Error('simulation-worker must run as a worker thread');

try {
  const context = createSimulationContext(workerData as SimulationSettings);
  port.on('message', (message: { block: number }) => {
    try {
      const { stats, data } = encodeBlock(context, message.block);
      // Hand the compressed bytes over without a copy when they own their memory.
      // (Buffer.from could land in Node's shared pool, which must never be transferred.)
      const owned = data.byteOffset === 0 && data.buffer.byteLength === data.byteLength;
      let payload: Uint8Array = data;
      if (!owned) {
        payload = new Uint8Array(data.byteLength);
        payload.set(data);
      }
      port.postMessage({ block: message.block, stats, data: payload }, [payload.buffer as ArrayBuffer]);
    } catch (error) {
      port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
