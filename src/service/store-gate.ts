/**
 * Runs store work one piece at a time. The service holds one DuckDB connection, and a
 * transaction on it spans several awaits (insert, checkpoint row, COMMIT): a verdict or key
 * written in between would join the ingest's transaction, so every use of the store queues here.
 */
export interface StoreGate {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves once everything queued so far has finished. */
  idle(): Promise<void>;
}

export function createStoreGate(): StoreGate {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(work) {
      const result = tail.then(work);
      tail = result.catch(() => undefined);
      return result;
    },
    idle: () => tail.then(() => undefined),
  };
}
