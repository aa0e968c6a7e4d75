import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('browser tests on a machine without Chromium', () => {
  it('are skipped with one line saying what to install, and the run passes', async () => {
    // Asynchronously: a synchronous child would stall this test worker's own event loop.
    const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'src/report/report-renderer.integration.test.ts'], {
      cwd: ROOT,
      env: { ...process.env, DISTILLGUARD_CHROMIUM: '/nonexistent/chromium', CI: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status, output).toBe(0);
    expect(output).toContain('HTML report browser tests skipped: no Chromium at /nonexistent/chromium (on Debian: apt-get install -y chromium');
    expect(output).toMatch(/9 skipped/);
    expect(output).not.toMatch(/TypeError|Failed to launch/);
  }, 150_000);
});
