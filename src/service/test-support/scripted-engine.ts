import type { Account } from '../../model/account.js';
import type { ClusterFinding } from '../../model/findings.js';
import type { AccountAssessment, LiveEngine, LiveEngineModule, RowObservation } from '../engine/engine-contract.js';
import { createTrafficOnlyEngine, observationOfRow } from '../engine/engine-contract.js';

/**
 * A stand-in engine whose scores and clusters a test sets: it tracks traffic like the
 * traffic-only engine and answers `scoreAccount` from the script. Clusters appear at the next
 * relink, as they would from the real engine.
 */
export interface EngineScript {
  scores: Map<string, AccountAssessment>;
  clusters: ClusterFinding[];
  relinks: number;
  /** Every observation the engine was given, in order. */
  observed?: RowObservation[];
  /** Account records the engine was given. */
  accounts?: Account[];
}

export function createScriptedEngineModule(script: EngineScript = { scores: new Map(), clusters: [], relinks: 0 }): { module: LiveEngineModule; script: EngineScript } {
  const module: LiveEngineModule<RowObservation, ClusterFinding[], ClusterFinding[]> = {
    observationOfRow,
    createEngine(): LiveEngine<RowObservation, ClusterFinding[], ClusterFinding[]> {
      const traffic = createTrafficOnlyEngine();
      let clusters: ClusterFinding[] = [];
      return {
        name: 'scripted',
        observeAccounts(accounts) {
          script.accounts?.push(...accounts);
        },
        observe(observations) {
          script.observed?.push(...observations);
          return traffic.observe(observations);
        },
        scoreAccount(accountId) {
          if (traffic.scoreAccount(accountId) === null) return null;
          return script.scores.get(accountId) ?? { score: 0, flagged: false, clusterId: null, evidence: [] };
        },
        linkInput: () => ({ input: script.clusters }),
        applyLinks(links) {
          script.relinks++;
          clusters = links;
          return [...links.flatMap((cluster) => cluster.accounts), ...script.scores.keys()];
        },
        account(accountId) {
          const base = traffic.account(accountId);
          const scored = script.scores.get(accountId);
          if (base === null || scored === undefined) return base;
          return { ...base, score: scored.score, flagged: scored.flagged, cluster_id: scored.clusterId, evidence: [...scored.evidence] };
        },
        clusters: () => clusters,
        get accountCount() {
          return traffic.accountCount;
        },
      };
    },
    relink: (input) => input,
  };
  return { module: module as LiveEngineModule, script };
}

export function clusterFinding(clusterId: string, accounts: string[], score: number, flagged: boolean): ClusterFinding {
  return {
    cluster_id: clusterId,
    accounts,
    score,
    flagged,
    capabilities: { reasoning_trace: 1 },
    indicators: { ips: [], subnets: [], asns: [], countries: [], payment_fingerprints: [], user_agents: [], tls_fingerprints: [], email_domains: [], templates: [] },
    evidence: [{ signal: 'shared_template', weight: 0.6, detail: `${accounts.length} accounts fill the same template` }],
    volume: { exchanges: 10, input_tokens: 0, output_tokens: 0, reasoning_tokens: 0 },
    first_seen: null,
    last_seen: null,
    timeline: [],
    templates: [],
    models: {},
  };
}
