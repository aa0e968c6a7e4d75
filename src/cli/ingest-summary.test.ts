import { describe, expect, it } from 'vitest';
import type { IngestSummary, SourceSummary } from '../ingest/ingest-pipeline.js';
import { formatIngestSummary } from './ingest-command.js';

function source(file: string, kind: SourceSummary['kind'], stored: number): SourceSummary {
  return { file, kind, linesRead: stored, alreadyIngested: 0, stored, duplicates: 0, blank: 0, quarantined: 0, quarantinedByReason: {}, restarted: false };
}

function summary(sources: SourceSummary[]): IngestSummary {
  const stored = sources.reduce((sum, s) => sum + s.stored, 0);
  return {
    sources,
    totals: { linesRead: stored, alreadyIngested: 0, stored, duplicates: 0, blank: 0, quarantined: 0, quarantinedByReason: {} },
    seconds: 2,
    bytesRead: 1024 * 1024,
    badShare: 0,
    quarantinePath: null,
    deduplication: null,
    timestampWindow: { from: '2020-01-01T00:00:00.000Z', to: '2026-12-04T00:00:00.000Z' },
  } as IngestSummary;
}

describe('ingest summary', () => {
  it('counts exchanges and account records apart, never as one sum', () => {
    const text = formatIngestSummary(summary([source('accounts.jsonl', 'accounts', 307), source('log.jsonl.gz', 'exchanges', 28_426)]), 'store.duckdb');
    expect(text).toMatch(/exchanges stored\s+28,426/);
    expect(text).toMatch(/account records stored\s+307/);
  });

  it('leaves out the account line when no account file was read', () => {
    const text = formatIngestSummary(summary([source('log.jsonl.gz', 'exchanges', 1_000)]), 'store.duckdb');
    expect(text).toMatch(/exchanges stored\s+1,000/);
    expect(text).not.toContain('account records');
  });
});
