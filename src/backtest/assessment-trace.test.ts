import { describe, expect, it } from 'vitest';
import type { Evidence } from '../model/findings.js';
import type { AccountAssessment, AssessmentSink } from '../service/engine/engine-contract.js';
import { AssessmentTraceRecorder, TracePlayer } from './assessment-trace.js';
import { decodeTrace, encodeTrace, TraceFormatError } from './trace-cache.js';

/** A book that keeps every change it is told, in order. */
function loggingBook(): AssessmentSink & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    setAccount: (accountId, assessment) => log.push(`${accountId} ${JSON.stringify(assessment)}`),
    setOrg: (accountId, orgId) => log.push(`org ${accountId} ${orgId}`),
    setFlaggedClusters: (ids) => log.push(`flagged ${[...ids].join(',')}`),
  };
}

const evidence = (signal: string, weight: number, detail = `${signal} seen`): Evidence => ({ signal, weight, detail });
const assessment = (score: number, clusterId: string | null = null, items: Evidence[] = []): AccountAssessment => ({ score, flagged: score >= 0.5, clusterId, evidence: items });

/** Records a short history at boundaries 0, 1 and 3. */
function recordHistory(book: AssessmentSink): AssessmentTraceRecorder {
  const recorder = new AssessmentTraceRecorder();
  const sink = recorder.recording(book);
  sink.setAccount('a', assessment(0.1));
  recorder.at(1);
  sink.setAccount('a', assessment(0.62, 'c1', [evidence('shared_template', 1.25), evidence('cot_elicitation', 0.5)]));
  sink.setAccount('b', assessment(0.3, 'c1', [evidence('burst', -0.1 / 3)]));
  sink.setFlaggedClusters(['c1']);
  recorder.at(3);
  // The same as before: changes nothing a decision reads, so not recorded.
  sink.setAccount('b', assessment(0.3, 'c1', [evidence('burst', -0.1 / 3)]));
  sink.setAccount('a', assessment(0.62, 'c1', [evidence('shared_template', 1.25), evidence('cot_elicitation', 0.5, 'other detail')]));
  sink.setFlaggedClusters([]);
  recorder.finish(2, new Map([['c1', ['a', 'b']]]));
  // After the last step: passed on, not recorded.
  sink.setAccount('c', assessment(0.9));
  return recorder;
}

describe('assessment trace', () => {
  it('passes every change on to the book and plays back, boundary by boundary, what the book was told', () => {
    const live = loggingBook();
    const { trace } = recordHistory(live);
    expect(live.log).toHaveLength(8);

    const played = loggingBook();
    const player = new TracePlayer(trace);
    player.applyThrough(0, played);
    expect(played.log).toEqual([live.log[0]]);
    player.applyThrough(2, played);
    expect(played.log).toEqual(live.log.slice(0, 4));
    player.applyThrough(3, played);
    // Everything but the unchanged assessment of b and the change after the last step, in order.
    expect(played.log).toEqual([...live.log.slice(0, 4), live.log[5], live.log[6]]);
    expect(trace.relinks).toBe(2);
    expect(trace.clusterMembers.get('c1')).toEqual(['a', 'b']);
  });

  it('keeps every number and string exactly through its file form', () => {
    const recorder = recordHistory(loggingBook());
    const { trace } = recorder;
    // Text of any script, and a string longer than the writer's block.
    trace.strings.push('説明の理由 — détail', 'x'.repeat(1_500_000));
    const decoded = decodeTrace(encodeTrace(trace, 'key-1'), 'key-1');
    expect(decoded).toEqual(trace);
    const played = loggingBook();
    new TracePlayer(decoded).applyThrough(3, played);
    const direct = loggingBook();
    new TracePlayer(trace).applyThrough(3, direct);
    expect(played.log).toEqual(direct.log);
    expect(played.log.join('\n')).toContain(JSON.stringify(-0.1 / 3));
  });

  it('refuses a file recorded for other exchanges, one cut short, and one that is not a trace', () => {
    const { trace } = recordHistory(loggingBook());
    const buffer = encodeTrace(trace, 'key-1');
    expect(() => decodeTrace(buffer, 'key-2')).toThrow(TraceFormatError);
    expect(() => decodeTrace(buffer.subarray(0, buffer.length - 3), 'key-1')).toThrow(/cut short/);
    expect(() => decodeTrace(Buffer.from('{"format":"something else"}'), 'key-1')).toThrow(/not a distillguard assessment trace/);
  });
});
