import type { Logger } from '../util/log.js';
import type { RuntimeEnv } from '../config/runtime-env.js';

/** What every command receives from the entry point instead of reaching for globals. */
export interface CliContext {
  env: RuntimeEnv;
  logger: Logger;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}
