import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { runCli, startCli } from '../../ingest/test-support/cli-runner.js';

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/** Starts `distillguard serve` on a free loopback port and waits until it listens. */
export async function startServe(args: string[], { timeoutMs = 60_000 } = {}): Promise<ServeProcess> {
  const child = startCli(['serve', '--host', '127.0.0.1', '--port', '0', ...args], { DISTILLGUARD_LOG_LEVEL: 'info' });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
    const check = (): void => {
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening:\n${stderr}`));
    });
  });
  return { child, url, stdout: () => stdout, stderr: () => stderr, exited };
}

export async function createKey(db: string, role: string): Promise<string> {
  const result = await runCli(['keys', 'create', '--role', role, '--db', db]);
  if (result.code !== 0) throw new Error(`keys create failed: ${result.stderr}`);
  return result.stdout.trim();
}
