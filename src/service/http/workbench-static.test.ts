import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerWorkbenchStatic } from './workbench-static.js';

function builtRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'workbench-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  return root;
}

describe('the workbench pages', () => {
  it('serves the built files with a strict content security policy, hashed assets cached for good', async () => {
    const app = Fastify();
    registerWorkbenchStatic(app, builtRoot());
    const page = await app.inject({ method: 'GET', url: '/ui/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self'/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['cache-control']).toBe('no-cache');
    const asset = await app.inject({ method: 'GET', url: '/ui/assets/index-abc123.js' });
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
  });

  it("answers the app's own routes with its page and never reads a path it was not built with", async () => {
    const app = Fastify();
    registerWorkbenchStatic(app, builtRoot());
    for (const url of ['/ui/clusters/C1', '/ui/accounts/acct_1?signal=cot_elicitation', '/ui/..%2f..%2fpackage.json', '/ui/assets/../../../etc/passwd']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBeLessThan(500);
      expect(response.body, url).not.toContain('"name"');
      if (response.statusCode === 200) expect(response.body, url).toContain('<div id="root">');
    }
    expect((await app.inject({ method: 'GET', url: '/ui' })).headers.location).toBe('/ui/');
  });

  it('says how to build it when it is not built', async () => {
    const app = Fastify();
    registerWorkbenchStatic(app, null);
    const response = await app.inject({ method: 'GET', url: '/ui/' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build');
  });
});
