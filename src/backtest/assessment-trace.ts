import type { Evidence } from '../model/findings.js';
import type { AccountAssessment, AssessmentSink } from '../service/engine/engine-contract.js';
import { GrowingColumn, InternTable } from '../util/growing-column.js';

/**
 * Everything the replay's engine told the decision book, in order, each change tagged with the
 * step boundary it was made at (0: start-up; n: the start of step n, after the step before was
 * scored and any relink applied). A policy decides from the book alone, so a recorded trace and
 * the exchanges' questions (account, organisation, client IP, time) are enough to decide every
 * exchange again with any policy, without observing, scoring or linking anything: that work
 * does not depend on the policy.
 *
 * Kept in typed columns with codes into one string table: a trace of a million exchanges'
 * assessments is a few arrays, not a million objects.
 */
export interface AssessmentTrace {
  /** Relinks the recorded replay made, start-up's included. */
  relinks: number;
  /** Each cluster id any relink made, with its members as of the last relink that made it. */
  clusterMembers: Map<string, string[]>;
  strings: string[];
  /** Per change: its step boundary. */
  boundary: Int32Array;
  /** For an assessment, the account's string code; for a change of the flagged clusters, -1. */
  account: Int32Array;
  score: Float64Array;
  /** 1 when the assessment flags the account. */
  flagged: Int32Array;
  /** The cluster's string code, or -1 for none. */
  cluster: Int32Array;
  /** Where the change's items end (they start where the change before ends). */
  itemsEnd: Int32Array;
  /** An assessment's evidence: signal code, detail code, weight; a flagged-cluster change's cluster codes (in `itemA`). */
  itemA: Int32Array;
  itemB: Int32Array;
  itemWeight: Float64Array;
}

export const TRACE_FLOAT_COLUMNS = ['score', 'itemWeight'] as const;
export const TRACE_INT_COLUMNS = ['boundary', 'account', 'flagged', 'cluster', 'itemsEnd', 'itemA', 'itemB'] as const;
/** Columns with one value per evidence item; the rest have one per change. */
export const TRACE_ITEM_COLUMNS: ReadonlySet<string> = new Set(['itemA', 'itemB', 'itemWeight']);

/**
 * Records what a replay sets in its decision book. An assessment equal to the account's last
 * recorded one is left out: setting it again would change nothing a decision reads.
 */
export class AssessmentTraceRecorder {
  private readonly strings = new InternTable<string>();
  private readonly boundary = new GrowingColumn(Int32Array);
  private readonly account = new GrowingColumn(Int32Array);
  private readonly score = new GrowingColumn(Float64Array);
  private readonly flagged = new GrowingColumn(Int32Array);
  private readonly cluster = new GrowingColumn(Int32Array);
  private readonly itemsEnd = new GrowingColumn(Int32Array);
  private readonly itemA = new GrowingColumn(Int32Array);
  private readonly itemB = new GrowingColumn(Int32Array);
  private readonly itemWeight = new GrowingColumn(Float64Array);
  /** Each account's last recorded change. */
  private readonly lastChange = new Map<number, number>();
  private current = 0;
  private finished: AssessmentTrace | null = null;

  /** Changes from now on belong to this step boundary. */
  at(boundary: number): void {
    this.current = boundary;
  }

  /** A sink that records every change it is given and passes it on to `book`. */
  recording(book: AssessmentSink): AssessmentSink {
    return {
      // Organisations come from the exchanges, which a replay from the trace reads again.
      setOrg: (accountId, orgId) => book.setOrg(accountId, orgId),
      setAccount: (accountId, assessment) => {
        if (this.finished === null) this.assessment(accountId, assessment);
        book.setAccount(accountId, assessment);
      },
      setFlaggedClusters: (clusterIds) => {
        const ids = [...clusterIds];
        if (this.finished === null) this.flaggedClusters(ids);
        book.setFlaggedClusters(ids);
      },
    };
  }

  /** The replay is over (what the book is told after its last step cannot change a decision): the trace, with what it made of the clusters. */
  finish(relinks: number, clusterMembers: Map<string, string[]>): AssessmentTrace {
    if (this.finished !== null) return this.finished;
    this.strings.seal();
    this.finished = {
      relinks,
      clusterMembers,
      strings: this.strings.values,
      boundary: this.boundary.seal(),
      account: this.account.seal(),
      score: this.score.seal(),
      flagged: this.flagged.seal(),
      cluster: this.cluster.seal(),
      itemsEnd: this.itemsEnd.seal(),
      itemA: this.itemA.seal(),
      itemB: this.itemB.seal(),
      itemWeight: this.itemWeight.seal(),
    };
    return this.finished;
  }

  /** The finished trace. */
  get trace(): AssessmentTrace {
    if (this.finished === null) throw new Error('the replay has not finished recording');
    return this.finished;
  }

  private assessment(accountId: string, assessment: AccountAssessment): void {
    const account = this.strings.idOf(accountId);
    const cluster = assessment.clusterId === null ? -1 : this.strings.idOf(assessment.clusterId);
    const flagged = assessment.flagged ? 1 : 0;
    const last = this.lastChange.get(account);
    if (last !== undefined && this.sameAssessment(last, assessment.score, flagged, cluster, assessment.evidence)) return;
    this.lastChange.set(account, this.boundary.length);
    this.change(account, assessment.score, flagged, cluster);
    // Most items of a re-score say what the account's last change said in the same place: their
    // codes are taken from it, and only new texts are looked up in the string table (a lookup
    // hashes the whole text, which a comparison with the last one mostly does not read through).
    const lastStart = last === undefined || last === 0 ? 0 : this.itemsEnd.values[last - 1]!;
    const lastItems = last === undefined ? 0 : this.itemsEnd.values[last]! - lastStart;
    assessment.evidence.forEach((evidence, i) => {
      this.itemA.push(i < lastItems ? this.codeOf(evidence.signal, this.itemA.values[lastStart + i]!) : this.strings.idOf(evidence.signal));
      this.itemB.push(i < lastItems ? this.codeOf(evidence.detail, this.itemB.values[lastStart + i]!) : this.strings.idOf(evidence.detail));
      this.itemWeight.push(evidence.weight);
    });
    this.itemsEnd.push(this.itemA.length);
  }

  /** The string table's code of `text`: `known` when that is its code, so the table need not be asked. */
  private codeOf(text: string, known: number): number {
    return this.strings.at(known) === text ? known : this.strings.idOf(text);
  }

  private change(account: number, score: number, flagged: number, cluster: number): void {
    this.boundary.push(this.current);
    this.account.push(account);
    this.score.push(score);
    this.flagged.push(flagged);
    this.cluster.push(cluster);
  }

  private sameAssessment(change: number, score: number, flagged: number, cluster: number, evidence: readonly Evidence[]): boolean {
    if (this.score.values[change] !== score || this.flagged.values[change] !== flagged || this.cluster.values[change] !== cluster) return false;
    const start = change === 0 ? 0 : this.itemsEnd.values[change - 1]!;
    if (this.itemsEnd.values[change]! - start !== evidence.length) return false;
    for (let i = 0; i < evidence.length; i++) {
      const item = evidence[i]!;
      if (
        this.itemWeight.values[start + i] !== item.weight ||
        this.strings.at(this.itemA.values[start + i]!) !== item.signal ||
        this.strings.at(this.itemB.values[start + i]!) !== item.detail
      ) {
        return false;
      }
    }
    return true;
  }

  private flaggedClusters(clusterIds: readonly string[]): void {
    this.change(-1, 0, 0, -1);
    for (const id of clusterIds) {
      this.itemA.push(this.strings.idOf(id));
      this.itemB.push(0);
      this.itemWeight.push(0);
    }
    this.itemsEnd.push(this.itemA.length);
  }
}

/** Applies a trace's changes to a book, boundary by boundary, in the order they were recorded. */
export class TracePlayer {
  private next = 0;
  constructor(private readonly trace: AssessmentTrace) {}

  /** Applies every change recorded at or before `boundary` not applied yet. */
  applyThrough(boundary: number, book: AssessmentSink): void {
    const t = this.trace;
    const { strings } = t;
    for (; this.next < t.boundary.length && t.boundary[this.next]! <= boundary; this.next++) {
      const change = this.next;
      const start = change === 0 ? 0 : t.itemsEnd[change - 1]!;
      const end = t.itemsEnd[change]!;
      const account = t.account[change]!;
      if (account === -1) {
        const ids: string[] = [];
        for (let i = start; i < end; i++) ids.push(strings[t.itemA[i]!]!);
        book.setFlaggedClusters(ids);
        continue;
      }
      const evidence: Evidence[] = [];
      for (let i = start; i < end; i++) evidence.push({ signal: strings[t.itemA[i]!]!, weight: t.itemWeight[i]!, detail: strings[t.itemB[i]!]! });
      const cluster = t.cluster[change]!;
      book.setAccount(strings[account]!, { score: t.score[change]!, flagged: t.flagged[change] === 1, clusterId: cluster === -1 ? null : strings[cluster]!, evidence });
    }
  }
}
