import Fastify from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { validExchangeLine } from '../../ingest/test-support/exchange-lines.js';
import { clusterFinding } from '../test-support/scripted-engine.js';
import { createTestService, type TestService } from '../test-support/service-fixture.js';
import type { WorkbenchData } from './workbench-data.js';
import { registerWorkbenchRoutes } from './workbench-routes.js';
import { readTraitUse } from '../../store/workbench-queries.js';
import { createClusterTraffic, type ClusterTrafficSource } from './cluster-traffic.js';

const services: TestService[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
});

/** A service with two accounts in one flagged cluster and one benign account, relinked. */
async function start(): Promise<TestService> {
  const service = await createTestService();
  services.push(service);
  service.script.scores.set('acct_m1', { score: 0.9, flagged: true, clusterId: 'c1', evidence: [{ signal: 'cot_elicitation', weight: 2.1, detail: 'asks for reasoning in 9 of 10 prompts' }] });
  service.script.scores.set('acct_m2', { score: 0.7, flagged: true, clusterId: 'c1', evidence: [] });
  service.script.scores.set('acct_b', { score: 0.05, flagged: false, clusterId: null, evidence: [] });
  const cluster = clusterFinding('c1', ['acct_m1', 'acct_m2'], 0.8, true);
  cluster.indicators.ips = ['198.51.100.9', '192.0.2.200'];
  cluster.indicators.user_agents = ['anthropic-python/0.39.0'];
  cluster.templates = [{ template_id: 'T7', text: 'Solve <*> step by step', exchanges: 6, accounts: 2 }];
  service.script.clusters = [cluster, clusterFinding('c2', ['acct_b'], 0.1, false)];
  const batch = [
    ...Array.from({ length: 3 }, (_, i) => validExchangeLine({ id: `m1-${i}`, accountId: 'acct_m1', fixtureIndex: i, clientIp: '198.51.100.9' })),
    ...Array.from({ length: 3 }, (_, i) => validExchangeLine({ id: `m2-${i}`, accountId: 'acct_m2', fixtureIndex: i, clientIp: '198.51.100.9' })),
    validExchangeLine({ id: 'b-0', accountId: 'acct_b' }),
  ];
  const posted = await service.app.inject({ method: 'POST', url: '/v1/exchanges', headers: { ...service.auth('ingest'), 'content-type': 'application/x-ndjson' }, payload: batch.join('\n') });
  expect(posted.statusCode).toBe(202);
  await service.core.scoringIdle();
  await service.core.relink.runNow();
  return service;
}

async function signIn(service: TestService, role: 'analyst' | 'admin' = 'analyst') {
  const response = await service.app.inject({ method: 'POST', url: '/v1/session', payload: { key: service.keys[role] } });
  expect(response.statusCode).toBe(201);
  const cookie = String(response.headers['set-cookie']).split(';')[0]!;
  return { cookie, csrf: response.json().csrf_token as string, setCookie: String(response.headers['set-cookie']), body: response.json() };
}

describe('workbench sessions', () => {
  it('exchanges an analyst key for an HttpOnly, SameSite=Strict cookie with an expiry, and never echoes the key', async () => {
    const service = await start();
    const session = await signIn(service);
    expect(session.setCookie).toMatch(/^dg_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(JSON.stringify(session.body)).not.toContain(service.keys.analyst);
    expect(session.body).toMatchObject({ role: 'analyst', name: 'test analyst', csrf_token: expect.any(String), expires_at: expect.any(String) });
    const me = await service.app.inject({ method: 'GET', url: '/v1/workbench/session', headers: { cookie: session.cookie } });
    expect(me.json()).toMatchObject({ role: 'analyst', csrf_token: session.csrf });
  });

  it('refuses ingest and decide keys with a reason, and bad keys', async () => {
    const service = await start();
    for (const role of ['ingest', 'decide'] as const) {
      const response = await service.app.inject({ method: 'POST', url: '/v1/session', payload: { key: service.keys[role] } });
      expect(response.statusCode).toBe(403);
      expect(response.json().detail).toMatch(new RegExp(`analyst and admin keys; .* has the role ${role}`));
    }
    expect((await service.app.inject({ method: 'POST', url: '/v1/session', payload: { key: 'dg_live_nope' } })).statusCode).toBe(401);
  });

  it('needs the session cookie on reads and the CSRF token on writes, and a bearer key is no substitute', async () => {
    const service = await start();
    const { cookie, csrf } = await signIn(service);
    expect((await service.app.inject({ method: 'GET', url: '/v1/workbench/queue' })).statusCode).toBe(401);
    expect((await service.app.inject({ method: 'GET', url: '/v1/workbench/queue', headers: service.auth('analyst') })).statusCode).toBe(401);
    const payload = { target: 'cluster', id: 'c1', verdict: 'dismissed' };
    const forged = await service.app.inject({ method: 'POST', url: '/v1/workbench/verdicts', headers: { cookie }, payload });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().detail).toMatch(/CSRF/);
    const wrong = await service.app.inject({ method: 'POST', url: '/v1/workbench/verdicts', headers: { cookie, 'x-csrf-token': `${csrf.slice(1)}x` }, payload });
    expect(wrong.statusCode).toBe(403);
    expect(service.core.book.verdictFor('cluster', 'c1')).toBeUndefined();
  });

  it('signs out: the cookie is cleared and stops working', async () => {
    const service = await start();
    const { cookie, csrf } = await signIn(service);
    const out = await service.app.inject({ method: 'DELETE', url: '/v1/workbench/session', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^dg_session=; .*Max-Age=0/);
    expect((await service.app.inject({ method: 'GET', url: '/v1/workbench/session', headers: { cookie } })).statusCode).toBe(401);
  });

  it('ends the sessions of a revoked key', async () => {
    const service = await start();
    const { cookie } = await signIn(service);
    await service.core.revokeKey(service.core.keys.list().find((key) => key.role === 'analyst')!.keyId);
    expect((await service.app.inject({ method: 'GET', url: '/v1/workbench/summary', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('workbench queue and views', () => {
  it('lists clusters and accounts by score, filters by status, score band and flag, and pages on the server', async () => {
    const service = await start();
    const { cookie } = await signIn(service);
    const get = async (url: string) => (await service.app.inject({ method: 'GET', url, headers: { cookie } })).json();
    const clusters = await get('/v1/workbench/queue?kind=cluster');
    expect(clusters.items.map((item: { id: string }) => item.id)).toEqual(['c1', 'c2']);
    expect(clusters.items[0]).toMatchObject({ status: 'new', flagged: true, accounts: 2, top_evidence: [{ signal: 'shared_template' }] });
    const accounts = await get('/v1/workbench/queue?kind=account&limit=1&offset=1');
    expect(accounts).toMatchObject({ total: 3, items: [{ id: 'acct_m2', exchanges: 3, first_seen: expect.any(String) }] });
    expect((await get('/v1/workbench/queue?kind=account&min_score=0.5&max_score=0.8')).items.map((item: { id: string }) => item.id)).toEqual(['acct_m2']);
    expect((await get('/v1/workbench/queue?kind=cluster&flagged=false')).items.map((item: { id: string }) => item.id)).toEqual(['c2']);
    expect((await get('/v1/workbench/queue?kind=cluster&first_seen_from=2030-01-01')).total).toBe(0);
  });

  it('finds accounts and clusters by IP, template id and account id', async () => {
    const service = await start();
    const { cookie } = await signIn(service);
    const ids = async (url: string) => ((await service.app.inject({ method: 'GET', url, headers: { cookie } })).json().items as { id: string }[]).map((item) => item.id);
    expect(await ids('/v1/workbench/queue?kind=account&q=198.51.100.9')).toEqual(['acct_m1', 'acct_m2']);
    expect(await ids('/v1/workbench/queue?kind=cluster&q=T7')).toEqual(['c1']);
    expect(await ids('/v1/workbench/queue?kind=cluster&q=acct_b')).toEqual(['c2']);
  });

  it('shows a cluster with its members, a graph whose edges explain themselves, evidence in log-odds and why it is flagged', async () => {
    const service = await start();
    // Sign-up details, posted before anyone signs in (and so before the clusters are read ahead).
    const signUp = JSON.stringify({ account_id: 'acct_m1', tier: 'enterprise', payment_fingerprint: 'pf_shared' });
    expect((await service.app.inject({ method: 'POST', url: '/v1/accounts', headers: { ...service.auth('ingest'), 'content-type': 'application/x-ndjson' }, payload: signUp })).json()).toMatchObject({ stored: 1 });
    const { cookie } = await signIn(service);
    const view = (await service.app.inject({ method: 'GET', url: '/v1/workbench/clusters/c1', headers: { cookie } })).json();
    expect(view.cluster).toMatchObject({ cluster_id: 'c1', flagged: true, why: expect.stringMatching(/^flagged: score 0.80 ≥/) });
    expect(view.members.map((member: { account_id: string }) => member.account_id)).toEqual(['acct_m1', 'acct_m2']);
    expect(view.score_explanation).toMatch(/log-odds.*do not simply add up/);
    // What the store says about the members' traffic comes apart, so the page does not wait for it.
    expect(view.graph).toBeUndefined();
    const traffic = (await service.app.inject({ method: 'GET', url: '/v1/workbench/clusters/c1/traffic', headers: { cookie } })).json();
    expect(traffic.members).toEqual({ acct_m1: { tier: 'enterprise', payment_fingerprint: 'pf_shared' }, acct_m2: { tier: null, payment_fingerprint: null } });
    expect(traffic.graph.edges).toContainEqual(expect.objectContaining({ source: 'account:acct_m1', target: 'ip:198.51.100.9', explanation: 'acct_m1 sent 3 exchanges from IP 198.51.100.9' }));
    // Counted per kind from one scan: the client's count is its own, and an IP nobody used links nobody.
    expect(traffic.graph.edges).toContainEqual(expect.objectContaining({ source: 'account:acct_m2', target: 'user_agent:anthropic-python/0.39.0', explanation: 'acct_m2 sent 3 exchanges from user agent anthropic-python/0.39.0' }));
    expect(traffic.graph.edges.filter((edge: { target: string }) => edge.target === 'ip:192.0.2.200')).toEqual([]);
    expect(traffic.graph.edges.filter((edge: { kind: string }) => edge.kind === 'ip' || edge.kind === 'user_agent').map((edge: { exchanges: number }) => edge.exchanges)).toEqual([3, 3, 3, 3]);
    expect(traffic.timeline.capability.length).toBeGreaterThan(0);
    expect((await service.app.inject({ method: 'GET', url: '/v1/workbench/clusters/c9/traffic', headers: { cookie } })).statusCode).toBe(404);
    const unflagged = (await service.app.inject({ method: 'GET', url: '/v1/workbench/clusters/c2', headers: { cookie } })).json();
    expect(unflagged.cluster.why).toMatch(/^not flagged: score 0.10 </);
  });

  it('pages an account’s exchanges with the text the store kept, narrowed to an evidence item', async () => {
    const service = await start();
    const { cookie } = await signIn(service);
    const account = (await service.app.inject({ method: 'GET', url: '/v1/workbench/accounts/acct_m1', headers: { cookie } })).json();
    expect(account.evidence[0]).toMatchObject({ signal: 'cot_elicitation', weight: 2.1, exchange_filter: expect.stringContaining('elicitation') });
    const page = (await service.app.inject({ method: 'GET', url: '/v1/workbench/accounts/acct_m1/exchanges?limit=2', headers: { cookie } })).json();
    expect(page).toMatchObject({ total: 3, limit: 2 });
    expect(page.exchanges).toHaveLength(2);
    expect(page.exchanges[0]).toMatchObject({ id: 'm1-0', ts: expect.stringMatching(/Z$/), model: expect.any(String), content_flags: expect.any(Array) });
    // The fixture service keeps text as the default policy says: an excerpt of the prompt.
    expect(page.exchanges[0].prompt_text).toEqual(expect.any(String));
    const behind = (await service.app.inject({ method: 'GET', url: '/v1/workbench/accounts/acct_m1/exchanges?signal=cot_elicitation', headers: { cookie } })).json();
    expect(behind.filter).toMatch(/elicitation ask/);
    expect(behind.total).toBeLessThanOrEqual(3);
    for (const exchange of behind.exchanges) expect(exchange.content_flags.length).toBeGreaterThan(0);
  });

  it('records a dismissal that /v1/decide follows at once, and writes who did it and what it replaced to the audit log', async () => {
    const service = await start();
    const { cookie, csrf } = await signIn(service);
    const versionBefore = (await service.app.inject({ method: 'GET', url: '/v1/workbench/summary', headers: { cookie } })).json().version;
    const watch = await service.app.inject({ method: 'POST', url: '/v1/workbench/verdicts', headers: { cookie, 'x-csrf-token': csrf }, payload: { target: 'cluster', id: 'c1', verdict: 'watch' } });
    expect(watch.json()).toMatchObject({ status: 'watch', label: null });
    const dismissed = await service.app.inject({
      method: 'POST',
      url: '/v1/workbench/verdicts',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { target: 'cluster', id: 'c1', verdict: 'dismissed', note: 'a university lab' },
    });
    expect(dismissed.statusCode).toBe(201);
    expect(dismissed.json()).toMatchObject({ status: 'dismissed', label: { verdict: 'dismissed' } });
    const decision = await service.app.inject({ method: 'POST', url: '/v1/decide', headers: service.auth('decide'), payload: { account_id: 'acct_m1' } });
    expect(decision.json()).toMatchObject({ action: 'allow', reasons: [{ code: 'verdict' }] });
    const queue = (await service.app.inject({ method: 'GET', url: '/v1/workbench/queue?kind=cluster&status=dismissed', headers: { cookie } })).json();
    expect(queue.items.map((item: { id: string }) => item.id)).toEqual(['c1']);

    const audit = (await service.app.inject({ method: 'GET', url: '/v1/audit', headers: service.auth('admin') })).json();
    const verdicts = audit.entries.filter((entry: { target: string }) => entry.target === 'cluster');
    expect(verdicts).toEqual([
      expect.objectContaining({ action: 'status', value: 'watch', previous: 'new', actor: { key_id: expect.any(String), name: 'test analyst' } }),
      expect.objectContaining({ action: 'verdict', value: 'dismissed', previous: null, note: 'a university lab', detail: expect.objectContaining({ members: ['acct_m1', 'acct_m2'] }) }),
    ]);
    expect(audit.entries.filter((entry: { action: string }) => entry.action === 'key_created')).toHaveLength(Object.keys(service.keys).length);
    expect((await service.app.inject({ method: 'GET', url: '/v1/audit', headers: service.auth('analyst') })).statusCode).toBe(403);
    const analystView = (await service.app.inject({ method: 'GET', url: '/v1/workbench/audit', headers: { cookie } })).json();
    expect(analystView.entries.map((entry: { value: string }) => entry.value)).toEqual(['dismissed', 'watch']);

    const summary = (await service.app.inject({ method: 'GET', url: '/v1/workbench/summary', headers: { cookie } })).json();
    // What live views poll for: it moves when a verdict changes what the queue shows.
    expect(summary.version).not.toBe(versionBefore);
    expect(summary.precision).toEqual({ accounts: { reviewed: 2, confirmed: 0, precision: 0 }, clusters: { reviewed: 1, confirmed: 0, precision: 0 } });
  });

  it('audits key changes made through the admin API with the admin who made them', async () => {
    const service = await start();
    const created = await service.app.inject({ method: 'POST', url: '/v1/keys', headers: service.auth('admin'), payload: { role: 'decide', name: 'gateway' } });
    await service.app.inject({ method: 'DELETE', url: `/v1/keys/${created.json().key_id}`, headers: service.auth('admin') });
    const entries = (await service.app.inject({ method: 'GET', url: '/v1/audit', headers: service.auth('admin') })).json().entries.slice(-2);
    expect(entries).toEqual([
      expect.objectContaining({ action: 'key_created', id: created.json().key_id, value: 'decide', actor: { key_id: expect.any(String), name: 'test admin' } }),
      expect.objectContaining({ action: 'key_revoked', id: created.json().key_id, previous: 'decide' }),
    ]);
  });
});

describe('workbench start-up', () => {
  it('builds the queue as soon as the service listens, before anyone asks for it', async () => {
    const service = await createTestService();
    services.push(service);
    let builds = 0;
    const data: WorkbenchData = {
      queue: async () => {
        builds++;
        throw new Error('not needed here');
      },
      refresh: async () => {
        throw new Error('not needed here');
      },
      facts: () => new Map(),
      statusOf: () => 'new',
    };
    const app = Fastify();
    await registerWorkbenchRoutes(app, service.core, { data });
    expect(builds).toBe(0);
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      await vi.waitFor(() => expect(builds).toBe(1));
    } finally {
      await app.close();
    }
  });
});

describe('workbench trait links', () => {
  it('counts each kind of trait only over the values asked for, from one scan', async () => {
    const service = await start();
    // One more exchange each from an address nobody asked about, sent with the client asked about.
    const extra = ['acct_m1', 'acct_m2'].map((accountId) => validExchangeLine({ id: `${accountId}-elsewhere`, accountId, clientIp: '203.0.113.50' }));
    const posted = await service.app.inject({ method: 'POST', url: '/v1/exchanges', headers: { ...service.auth('ingest'), 'content-type': 'application/x-ndjson' }, payload: extra.join('\n') });
    expect(posted.statusCode).toBe(202);
    const uses = await service.core.readStore((store) => readTraitUse(store, ['acct_m1', 'acct_m2'], { ip: ['198.51.100.9'], user_agent: ['anthropic-python/0.39.0'], subnet: [] }));
    const sorted = uses.map((use) => `${use.accountId} ${use.kind} ${use.value} ${use.exchanges}`).sort();
    expect(sorted).toEqual([
      'acct_m1 ip 198.51.100.9 3',
      'acct_m1 user_agent anthropic-python/0.39.0 4',
      'acct_m2 ip 198.51.100.9 3',
      'acct_m2 user_agent anthropic-python/0.39.0 4',
    ]);
  });
});

describe('the top clusters read ahead', () => {
  /** The workbench on its own app over a started service, with the read-ahead observed. */
  async function observed(service: TestService, readAheadQuietMs = 0) {
    const traffic = createClusterTraffic(service.core);
    const prepared: string[][] = [];
    let last: Promise<void> = Promise.resolve();
    const clusterTraffic: ClusterTrafficSource = {
      get: traffic.get,
      prepare: (clusters, whenQuiet) => {
        prepared.push(clusters.map(({ cluster }) => cluster.cluster_id));
        return (last = traffic.prepare(clusters, whenQuiet));
      },
    };
    const app = Fastify();
    await registerWorkbenchRoutes(app, service.core, { clusterTraffic, readAheadQuietMs });
    return { app, prepared, settled: () => last };
  }

  it('reads the top clusters’ traffic at sign-in, so the first view of one does not wait on the store', async () => {
    const service = await start();
    const { app, prepared, settled } = await observed(service);
    try {
      const signIn = await app.inject({ method: 'POST', url: '/v1/session', payload: { key: service.keys.analyst } });
      const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
      await vi.waitFor(() => expect(prepared).toEqual([['c1', 'c2']]));
      await settled();
      const shapes = vi.spyOn(service.core.scoring, 'templateShapes');
      const view = await app.inject({ method: 'GET', url: '/v1/workbench/clusters/c1/traffic', headers: { cookie } });
      expect(view.statusCode).toBe(200);
      expect(view.json().timeline.model.length).toBeGreaterThan(0);
      expect(shapes).not.toHaveBeenCalled();
    } finally {
      await app.close();
    }
  });

  it('reads a cluster on a connection of its own, so ingest and other requests do not queue behind it', async () => {
    const service = await start();
    const traffic = createClusterTraffic(service.core);
    const app = Fastify();
    // Nothing read ahead here: the view below is the first read of its cluster.
    await registerWorkbenchRoutes(app, service.core, { clusterTraffic: { get: traffic.get, prepare: async () => undefined } });
    try {
      const signIn = await app.inject({ method: 'POST', url: '/v1/session', payload: { key: service.keys.analyst } });
      const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
      expect((await app.inject({ method: 'GET', url: '/v1/workbench/queue?kind=cluster', headers: { cookie } })).statusCode).toBe(200);
      const shared = vi.spyOn(service.core, 'readStore');
      const snapshots = vi.spyOn(service.core, 'snapshot');
      // The engine's part reads nothing from the store; the traffic part reads on a connection of its own.
      expect((await app.inject({ method: 'GET', url: '/v1/workbench/clusters/c1', headers: { cookie } })).statusCode).toBe(200);
      expect(snapshots).not.toHaveBeenCalled();
      const view = await app.inject({ method: 'GET', url: '/v1/workbench/clusters/c1/traffic', headers: { cookie } });
      expect(view.statusCode).toBe(200);
      expect(snapshots).toHaveBeenCalledTimes(1);
      expect(shared).not.toHaveBeenCalled();
    } finally {
      await app.close();
    }
  });

  it('reads ahead only in a pause between the analysts’ own requests', async () => {
    const service = await start();
    const shapes = vi.spyOn(service.core.scoring, 'templateShapes');
    const { app, prepared, settled } = await observed(service, 400);
    try {
      const signIn = await app.inject({ method: 'POST', url: '/v1/session', payload: { key: service.keys.analyst } });
      const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
      const busyUntil = Date.now() + 1_200;
      while (Date.now() < busyUntil) {
        expect((await app.inject({ method: 'GET', url: '/v1/workbench/queue?kind=cluster', headers: { cookie } })).statusCode).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(prepared).toHaveLength(1);
      expect(shapes).not.toHaveBeenCalled();
      await vi.waitFor(() => expect(shapes).toHaveBeenCalled(), { timeout: 5_000 });
      await settled();
    } finally {
      await app.close();
    }
  });

  it('reads them again after each relink while someone is signed in, and not for a service nobody uses', async () => {
    const service = await start();
    const { app, prepared } = await observed(service);
    try {
      await service.core.relink.runNow();
      // Time for a read-ahead to have started, were one begun (on this store it takes milliseconds).
      await new Promise((resolve) => setTimeout(resolve, 200));
      await service.core.readStore(async () => undefined);
      expect(prepared).toEqual([]);
      await app.inject({ method: 'POST', url: '/v1/session', payload: { key: service.keys.analyst } });
      await vi.waitFor(() => expect(prepared).toHaveLength(1));
      await service.core.relink.runNow();
      await vi.waitFor(() => expect(prepared).toHaveLength(2));
    } finally {
      await app.close();
    }
  });
});
