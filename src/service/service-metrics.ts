import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The service's Prometheus metrics, in a registry of its own so several services (tests) in
 * one process never share counters. Names follow Prometheus conventions: `_total` counters,
 * base units (seconds, bytes).
 */
export interface ServiceMetrics {
  readonly registry: Registry;
  readonly ingestBatches: Counter<'outcome'>;
  readonly ingestExchanges: Counter<'outcome'>;
  readonly ingestQuarantined: Counter<'reason'>;
  readonly ingestCommitSeconds: Histogram;
  readonly ingestQueueBatches: Gauge;
  readonly ingestQueueBytes: Gauge;
  readonly decisions: Counter<'action'>;
  readonly decisionSeconds: Histogram;
  readonly relinkSeconds: Histogram;
  readonly relinkFailures: Counter;
  readonly relinkLastSuccess: Gauge;
  readonly accountsTracked: Gauge;
  readonly policyReloads: Counter<'outcome'>;
  readonly httpResponses: Counter<'route' | 'status'>;
}

export function createServiceMetrics({ processMetrics = true }: { processMetrics?: boolean } = {}): ServiceMetrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix: 'distillguard_' });
  const registers = [registry];
  return {
    registry,
    ingestBatches: new Counter({ name: 'distillguard_ingest_batches_total', help: 'HTTP ingest batches by outcome', labelNames: ['outcome'], registers }),
    ingestExchanges: new Counter({
      name: 'distillguard_ingest_exchanges_total',
      help: 'Exchanges received over HTTP by outcome (stored, duplicate, quarantined)',
      labelNames: ['outcome'],
      registers,
    }),
    ingestQuarantined: new Counter({ name: 'distillguard_ingest_quarantined_total', help: 'Quarantined exchanges by reason', labelNames: ['reason'], registers }),
    ingestCommitSeconds: new Histogram({
      name: 'distillguard_ingest_commit_seconds',
      help: 'Time to commit a group of HTTP batches to the store',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    ingestQueueBatches: new Gauge({ name: 'distillguard_ingest_queue_batches', help: 'HTTP batches accepted and not yet answered', registers }),
    ingestQueueBytes: new Gauge({ name: 'distillguard_ingest_queue_bytes', help: 'Body bytes of the batches in the ingest queue', registers }),
    decisions: new Counter({ name: 'distillguard_decisions_total', help: 'Decisions by action', labelNames: ['action'], registers }),
    decisionSeconds: new Histogram({
      name: 'distillguard_decision_seconds',
      help: 'Server time to answer /v1/decide, from request received to response sent',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1],
      registers,
    }),
    relinkSeconds: new Histogram({
      name: 'distillguard_relink_seconds',
      help: 'Duration of a relink (snapshot, worker, apply)',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    relinkFailures: new Counter({ name: 'distillguard_relink_failures_total', help: 'Relinks that failed', registers }),
    relinkLastSuccess: new Gauge({ name: 'distillguard_relink_last_success_timestamp_seconds', help: 'When the last relink finished', registers }),
    accountsTracked: new Gauge({ name: 'distillguard_accounts_tracked', help: 'Accounts with decision state in memory', registers }),
    policyReloads: new Counter({ name: 'distillguard_policy_reloads_total', help: 'Policy reloads by outcome (loaded, rejected)', labelNames: ['outcome'], registers }),
    httpResponses: new Counter({ name: 'distillguard_http_responses_total', help: 'HTTP responses by route and status', labelNames: ['route', 'status'], registers }),
  };
}
