import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validExchangeLine } from '../ingest/test-support/exchange-lines.js';
import { compilePolicy, DEFAULT_POLICY_DOCUMENT, parsePolicy } from '../service/decisions/decision-policy.js';
import { LIVE_ENGINE_MODULE_URL, liveEngineModule } from '../service/engine/detection-engine-module.js';
import { createTestService, type TestService } from '../service/test-support/service-fixture.js';
import { registerBacktestRoutes } from './backtest-routes.js';
import { runPolicyBacktest } from './policy-backtest.js';

const STRICT = 'version: 1\nbands:\n  - { min_score: 0.01, action: block }\n';

const services: TestService[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
});

async function start(config: { backtestTraceCache?: string } = {}): Promise<TestService> {
  const service = await createTestService({
    engine: { module: liveEngineModule, script: { scores: new Map(), clusters: [], relinks: 0 }, moduleUrl: LIVE_ENGINE_MODULE_URL },
    routes: [registerBacktestRoutes],
    config,
  });
  services.push(service);
  return service;
}

/** A day of traffic from a few accounts (the day after `day` days more), posted as a client would. */
async function postTraffic(service: TestService, day = 0): Promise<number> {
  const lines: string[] = [];
  for (let i = 0; i < 240; i++) {
    const ts = new Date(Date.UTC(2026, 1, 10 + day) + i * 6 * 60_000).toISOString();
    lines.push(validExchangeLine({ id: `ex-${day}-${i}`, accountId: `acct_${i % 6}`, ts, fixtureIndex: i % 3, clientIp: `203.0.113.${i % 4}` }));
  }
  const response = await service.app.inject({ method: 'POST', url: '/v1/exchanges', headers: { ...service.auth('ingest'), 'content-type': 'application/x-ndjson' }, payload: lines.join('\n') + '\n' });
  expect(response.statusCode).toBe(202);
  return lines.length;
}

async function finished(service: TestService, id: string): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const job = (await service.app.inject({ method: 'GET', url: `/v1/policy/backtests/${id}`, headers: service.auth('analyst') })).json();
    if (job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the backtest did not finish');
}

describe('POST /v1/policy/backtests', () => {
  it('runs on its own thread over a snapshot of the store the backtest the CLI runs, and answers with it', async () => {
    const service = await start();
    const exchanges = await postTraffic(service);
    const started = await service.app.inject({
      method: 'POST',
      url: '/v1/policy/backtests',
      headers: service.auth('analyst'),
      payload: { policy: STRICT, against: 'current', step_seconds: 600, relink_interval_seconds: 7200 },
    });
    expect(started.statusCode, started.body).toBe(202);
    const { id } = started.json();
    expect(started.headers.location).toBe(`/v1/policy/backtests/${id}`);
    // One at a time: a second is refused while the first runs.
    const second = await service.app.inject({ method: 'POST', url: '/v1/policy/backtests', headers: service.auth('analyst'), payload: { policy: 'default' } });
    expect(second.statusCode).toBe(409);

    const job = await finished(service, id);
    expect(job).toMatchObject({ status: 'done', error: null, progress: { exchanges_read: exchanges, exchanges_total: exchanges } });
    const result = job.result as Awaited<ReturnType<typeof runPolicyBacktest>>;

    const snapshot = await service.core.snapshot();
    try {
      const direct = await runPolicyBacktest(snapshot, {
        policies: [
          { name: 'candidate', source: 'policy', policy: parsePolicy(STRICT, 'policy') },
          { name: 'against', source: 'current', policy: service.core.policy.current() },
        ],
        stepMs: 600_000,
        relinkIntervalMs: 7_200_000,
      });
      expect(result.policies).toEqual(JSON.parse(JSON.stringify(direct.policies)));
      expect(result.comparison).toEqual(JSON.parse(JSON.stringify(direct.comparison)));
      expect(result.replay.exchanges_read).toBe(exchanges);
    } finally {
      snapshot.close();
    }
    // The strict policy acts on accounts the shipped one leaves alone.
    expect(result.policies[0]!.actions.block.accounts).toBeGreaterThan(result.policies[1]!.actions.block.accounts);
  });

  it('keeps the assessments of a window that ended, and decides the next backtest of it from them while traffic goes on', async () => {
    const service = await start({ backtestTraceCache: mkdtempSync(join(tmpdir(), 'backtest-traces-')) });
    const exchanges = await postTraffic(service);
    const window = { to: '2026-02-11T00:00:00Z', step_seconds: 600, relink_interval_seconds: 7200 };
    const run = async (policy: string, against: string) => {
      const started = await service.app.inject({ method: 'POST', url: '/v1/policy/backtests', headers: service.auth('analyst'), payload: { policy, against, ...window } });
      expect(started.statusCode, started.body).toBe(202);
      const job = await finished(service, started.json().id);
      expect(job.status, String(job.error)).toBe('done');
      return job.result as Awaited<ReturnType<typeof runPolicyBacktest>>;
    };
    const first = await run(STRICT, 'current');
    expect(first.replay.trace.use).toBe('recorded');
    // A later day's traffic is outside the window: the same exchanges, the same trace.
    await postTraffic(service, 1);
    const second = await run('default', STRICT);
    expect(second.replay.trace).toMatchObject({ use: 'reused', path: first.replay.trace.path });
    expect(second.replay.exchanges_read).toBe(exchanges);

    const snapshot = await service.core.snapshot();
    try {
      const direct = await runPolicyBacktest(snapshot, {
        policies: [
          { name: 'candidate', source: 'default', policy: compilePolicy(DEFAULT_POLICY_DOCUMENT) },
          { name: 'against', source: 'against', policy: parsePolicy(STRICT, 'against') },
        ],
        toMs: Date.parse(window.to),
        stepMs: 600_000,
        relinkIntervalMs: 7_200_000,
      });
      expect(direct.replay.trace.use).toBe('off');
      expect(second.policies).toEqual(JSON.parse(JSON.stringify(direct.policies)));
      expect(second.comparison).toEqual(JSON.parse(JSON.stringify(direct.comparison)));
    } finally {
      snapshot.close();
    }
  });

  it('refuses a policy that does not parse, a bad time, and keys without the analyst role', async () => {
    const service = await start();
    const bad = await service.app.inject({ method: 'POST', url: '/v1/policy/backtests', headers: service.auth('analyst'), payload: { policy: 'bands: [' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/^policy: not valid YAML/);
    const badTime = await service.app.inject({ method: 'POST', url: '/v1/policy/backtests', headers: service.auth('analyst'), payload: { policy: 'default', from: 'yesterday' } });
    expect(badTime.statusCode).toBe(400);
    expect((await service.app.inject({ method: 'POST', url: '/v1/policy/backtests', headers: service.auth('decide'), payload: { policy: 'default' } })).statusCode).toBe(403);
    expect((await service.app.inject({ method: 'GET', url: '/v1/policy/backtests/bt_nothing', headers: service.auth('analyst') })).statusCode).toBe(404);
  });
});

describe('the workbench\'s backtests', () => {
  it('starts and polls the same backtest behind the workbench session, with its CSRF token for the start', async () => {
    const service = await start();
    const exchanges = await postTraffic(service);
    const signIn = await service.app.inject({ method: 'POST', url: '/v1/session', payload: { key: service.keys.analyst } });
    expect(signIn.statusCode).toBe(201);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    const csrf = signIn.json().csrf_token as string;
    const body = { policy: STRICT, against: 'current', step_seconds: 600, relink_interval_seconds: 7200 };

    // No session, a bearer key instead of one, or no CSRF token: refused.
    expect((await service.app.inject({ method: 'POST', url: '/v1/workbench/backtests', payload: body })).statusCode).toBe(401);
    expect((await service.app.inject({ method: 'POST', url: '/v1/workbench/backtests', headers: service.auth('analyst'), payload: body })).statusCode).toBe(401);
    expect((await service.app.inject({ method: 'POST', url: '/v1/workbench/backtests', headers: { cookie }, payload: body })).statusCode).toBe(403);

    const started = await service.app.inject({ method: 'POST', url: '/v1/workbench/backtests', headers: { cookie, 'x-csrf-token': csrf }, payload: body });
    expect(started.statusCode, started.body).toBe(202);
    const { id } = started.json();
    expect(started.headers.location).toBe(`/v1/workbench/backtests/${id}`);
    let job: Record<string, unknown> = {};
    for (let attempt = 0; attempt < 600; attempt++) {
      job = (await service.app.inject({ method: 'GET', url: `/v1/workbench/backtests/${id}`, headers: { cookie } })).json();
      if (job.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(job).toMatchObject({ status: 'done', error: null, progress: { exchanges_read: exchanges } });
    // The same job through the API: one set of backtests, two ways in.
    expect((await finished(service, id)).result).toEqual(job.result);
    const result = job.result as Awaited<ReturnType<typeof runPolicyBacktest>>;
    expect(result.policies.map((policy) => policy.name)).toEqual(['candidate', 'against']);
  });
});
