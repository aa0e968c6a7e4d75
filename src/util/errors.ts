/**
 * The project's error hierarchy. Every error knows the HTTP status it maps to and whether it is
 * operational (bad input, a missing file: report it and go on) or a programming error (crash
 * loudly). The service turns these into problem+json in exactly one place; the CLI prints the
 * message and exits with `exitCode`.
 */
export class DistillguardError extends Error {
  readonly httpStatus: number;
  readonly operational: boolean;
  readonly exitCode: number;

  constructor(
    message: string,
    { httpStatus = 500, operational = true, exitCode = 1, cause }: { httpStatus?: number; operational?: boolean; exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.httpStatus = httpStatus;
    this.operational = operational;
    this.exitCode = exitCode;
  }
}

/** The user asked for something that cannot work: a bad flag, a missing file, a bad config. */
export class UsageError extends DistillguardError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { httpStatus: 400, exitCode: 2, ...options });
  }
}

/** Input data that does not match its contract. */
export class InputError extends DistillguardError {
  constructor(message: string, options: { httpStatus?: number; cause?: unknown } = {}) {
    super(message, { httpStatus: 400, exitCode: 1, ...options });
  }
}

export class NotFoundError extends DistillguardError {
  constructor(message: string) {
    super(message, { httpStatus: 404 });
  }
}

export class StoreError extends DistillguardError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { httpStatus: 503, exitCode: 1, ...options });
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
