import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssessmentTraceRecorder } from './assessment-trace.js';
import { defaultTraceCacheDir, readCachedTrace, TRACES_KEPT, writeCachedTrace } from './trace-cache.js';

function smallTrace() {
  const recorder = new AssessmentTraceRecorder();
  const sink = recorder.recording({ setAccount: () => undefined, setOrg: () => undefined, setFlaggedClusters: () => undefined });
  sink.setAccount('a', { score: 0.4, flagged: false, clusterId: null, evidence: [{ signal: 'burst', weight: 0.2, detail: 'bursts' }] });
  return recorder.finish(1, new Map());
}

const keyOf = (i: number) => `key${String(i).padStart(2, '0')}`;

describe('trace cache', () => {
  it('keeps the most recently used traces and forgets the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-cache-'));
    const trace = smallTrace();
    const base = Date.now() / 1000 - 1000;
    for (let i = 0; i < TRACES_KEPT; i++) {
      const path = writeCachedTrace(dir, keyOf(i), trace);
      utimesSync(path, base + i, base + i);
    }
    // Reading the oldest makes it the most recently used.
    expect(readCachedTrace(dir, keyOf(0)).trace).not.toBeNull();
    writeCachedTrace(dir, keyOf(TRACES_KEPT), trace);
    const kept = readdirSync(dir).sort();
    expect(kept).toHaveLength(TRACES_KEPT);
    expect(kept).toContain(`${keyOf(0)}.trace`);
    expect(kept).not.toContain(`${keyOf(1)}.trace`);
    expect(kept).toContain(`${keyOf(TRACES_KEPT)}.trace`);
  });

  it('tells a trace never kept from one that cannot be used', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-cache-'));
    expect(readCachedTrace(dir, 'absent')).toMatchObject({ trace: null, problem: null });
    writeFileSync(join(dir, 'junk.trace'), 'not a trace at all');
    expect(readCachedTrace(dir, 'junk')).toMatchObject({ trace: null, problem: expect.stringMatching(/junk\.trace is unusable \(not a distillguard assessment trace\)/) });
  });

  it('refuses to write where no directory can be made, leaving the caller to say so', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'trace-cache-')), 'a-file');
    writeFileSync(file, '');
    expect(() => writeCachedTrace(join(file, 'traces'), 'key', smallTrace())).toThrow(/ENOTDIR|EEXIST/);
  });

  it('lives in the user\'s cache directory as XDG says, or ~/.cache without it', () => {
    expect(defaultTraceCacheDir({ XDG_CACHE_HOME: '/var/cache/me' })).toBe('/var/cache/me/distillguard/backtest-traces');
    expect(defaultTraceCacheDir({})).toMatch(/\/\.cache\/distillguard\/backtest-traces$/);
  });
});
