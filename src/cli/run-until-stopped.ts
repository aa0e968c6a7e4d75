import type { CliContext } from './cli-context.js';

/** What a long-running command keeps up: a service it can reload and close. */
export interface StoppableService {
  readonly core: { readonly policy: { reload(): unknown } };
  close(): Promise<void>;
}

/**
 * Runs until SIGTERM or Ctrl-C, then closes the service gracefully (a second signal exits at
 * once); SIGHUP reloads the policy. Resolves once the service is closed.
 */
export function runUntilStopped(service: StoppableService, context: CliContext): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        context.logger.warn({ signal }, 'second signal: exiting without finishing the shutdown');
        process.exit(1);
      }
      stopping = true;
      context.logger.info({ signal }, 'shutdown requested');
      service.close().then(resolve, (error: unknown) => {
        context.logger.error({ err: error }, 'shutdown failed');
        process.exitCode = 1;
        resolve();
      });
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.on('SIGHUP', () => void service.core.policy.reload());
  });
}
