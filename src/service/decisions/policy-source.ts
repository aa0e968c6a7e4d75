import { readFile } from 'node:fs/promises';
import { unwatchFile, watchFile, type Stats } from 'node:fs';
import type { Logger } from '../../util/log.js';
import { UsageError, errorMessage } from '../../util/errors.js';
import { DEFAULT_POLICY_DOCUMENT, compilePolicy, parsePolicy, type DecisionPolicy } from './decision-policy.js';

export interface PolicySourceOptions {
  /** The policy file; null serves the built-in default policy and never reloads. */
  path: string | null;
  logger: Logger;
  /** How often the file is checked for changes (polling survives editors that replace files). */
  pollMs?: number;
  onReload?: (outcome: 'loaded' | 'rejected') => void;
}

export type ReloadOutcome = { ok: true; version: string; changed: boolean } | { ok: false; error: string; version: string };

/** The policy in force, reloaded when its file changes, on SIGHUP and through the admin API. */
export interface PolicySource {
  current(): DecisionPolicy;
  /** Reads the file again. An invalid file is refused and the policy in force stays. */
  reload(): Promise<ReloadOutcome>;
  close(): void;
}

/** Loads the policy file (failing start-up on a bad file) and starts watching it. */
export async function createPolicySource({ path, logger, pollMs = 1000, onReload }: PolicySourceOptions): Promise<PolicySource> {
  if (path === null) {
    const policy = compilePolicy(DEFAULT_POLICY_DOCUMENT, 'default');
    return { current: () => policy, reload: async () => ({ ok: true, version: policy.version, changed: false }), close: () => undefined };
  }
  let current = parsePolicy(await readPolicyFile(path), path);
  logger.info({ policy: path, version: current.version }, 'policy loaded');
  let reloading: Promise<ReloadOutcome> | null = null;

  const reload = (): Promise<ReloadOutcome> => {
    // Two change events close together read the file once.
    reloading ??= (async (): Promise<ReloadOutcome> => {
      try {
        const next = parsePolicy(await readPolicyFile(path), path);
        const changed = next.version !== current.version;
        current = next;
        if (changed) logger.info({ policy: path, version: next.version }, 'policy reloaded');
        onReload?.('loaded');
        return { ok: true, version: next.version, changed };
      } catch (error) {
        logger.error({ policy: path, error: errorMessage(error), version: current.version }, 'policy file rejected; the previous policy stays in force');
        onReload?.('rejected');
        return { ok: false, error: errorMessage(error), version: current.version };
      } finally {
        reloading = null;
      }
    })();
    return reloading;
  };

  const onChange = (now: Stats, before: Stats): void => {
    if (now.mtimeMs === before.mtimeMs && now.size === before.size && now.ino === before.ino) return;
    void reload();
  };
  watchFile(path, { interval: pollMs, persistent: false }, onChange);
  return { current: () => current, reload, close: () => unwatchFile(path, onChange) };
}

async function readPolicyFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the policy file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorMessage(error)}`);
  }
}
