import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../util/log.js';
import { readServiceConfig } from '../service-config.js';
import { startUpstream } from '../test-support/llm-upstream-stub.js';
import { createScriptedEngineModule } from '../test-support/scripted-engine.js';
import { readProxyConfig } from './proxy-config.js';
import { startProxy, type LiveProxy } from './start-proxy.js';

const NGINX = ['/usr/sbin/nginx', 'nginx'].find((candidate) => spawnSync(candidate, ['-v']).status === 0) ?? null;
if (NGINX === null) console.log('nginx is not installed: skipping the nginx auth_request test (apt-get install nginx-light)');

/** The documented config, pointed at this test's ports, under a master process the test owns. */
const DOC_CONFIG = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'examples', 'nginx-auth-request.conf');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(NGINX === null)('nginx auth_request in front of an upstream', () => {
  let nginx: ChildProcess;
  let live: LiveProxy;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let edge: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nginx-'));
    upstream = await startUpstream();
    const policyPath = join(dir, 'policy.yaml');
    writeFileSync(policyPath, 'version: 1\nbands:\n  - { min_score: 0.5, action: throttle }\nrules: []\ndeny:\n  accounts: [acct_b]\n');
    const engine = createScriptedEngineModule();
    engine.script.scores.set('acct_t', { score: 0.7, flagged: false, clusterId: null, evidence: [] });
    live = await startProxy({
      service: readServiceConfig({ db: join(dir, 'store.duckdb'), port: 0, policyPath, ingestWorkers: 0, relinkInWorker: false, scoringInWorker: false, relinkIntervalMs: 3_600_000 }),
      proxy: readProxyConfig({ upstream: upstream.url, accountHeader: 'x-account', throttleRate: 0.1, throttleBurst: 1, recordLingerMs: 10 }),
      logger: createSilentLogger(),
      engine: { module: engine.module, moduleUrl: new URL('../test-support/scripted-engine.js', import.meta.url) },
    });
    const port = await freePort();
    const site = readFileSync(DOC_CONFIG, 'utf8')
      .replace('server 127.0.0.1:8000;', `server ${new URL(upstream.url).host};`)
      .replace('server 127.0.0.1:8088;', `server ${new URL(live.url).host};`)
      .replace('listen 8080;', `listen 127.0.0.1:${port};`);
    for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, temp));
    const config = `daemon off;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;\nevents { worker_connections 128; }\nhttp {\n  access_log off;\n${['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
      .map((temp) => `  ${temp === 'body' ? 'client_body' : temp}_temp_path ${dir}/${temp};`)
      .join('\n')}\n${site}\n}\n`;
    writeFileSync(join(dir, 'nginx.conf'), config);
    nginx = spawn(NGINX!, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    await waitForPort(port);
    edge = `http://127.0.0.1:${port}`;
    // The throttled account needs traffic the engine has seen before its score applies.
    await (await request(`${live.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-account': 'acct_t' }, body: '{"model":"m","messages":[]}' })).body.dump();
    await live.recorder.flush();
    await live.core.scoringIdle();
  });

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    await live?.close();
    await upstream?.close();
  });

  const call = (path: string, account: string) =>
    request(`${edge}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-account': account }, body: '{"model":"m","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}' });

  it('lets an allowed account through to the upstream', async () => {
    const answer = await call('/v1/chat/completions', 'acct_ok');
    expect(answer.statusCode).toBe(200);
    expect(await answer.body.json()).toMatchObject({ choices: [{ message: { content: 'Hi there' } }] });
  });

  it('answers a blocked account 403 in the API shape without reaching the upstream', async () => {
    const openai = await call('/v1/chat/completions', 'acct_b');
    expect(openai.statusCode).toBe(403);
    expect(await openai.body.json()).toMatchObject({ error: { code: 'account_blocked' } });
    const anthropic = await call('/v1/messages', 'acct_b');
    expect(anthropic.statusCode).toBe(403);
    expect(await anthropic.body.json()).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
  });

  it('answers a throttled account 429 with Retry-After once its bucket is empty', async () => {
    const first = await call('/v1/chat/completions', 'acct_t');
    expect(first.statusCode).toBe(200);
    await first.body.dump();
    const second = await call('/v1/chat/completions', 'acct_t');
    expect(second.statusCode).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await second.body.json()).toMatchObject({ error: { type: 'requests', code: 'rate_limit_exceeded' } });
  });
});
