import { DistillguardError } from '../util/errors.js';

/**
 * Errors only the HTTP service raises. Each carries its status so the one error handler
 * (`problem-details.ts`) can turn it into problem+json without knowing the routes.
 */
export class UnauthorizedError extends DistillguardError {
  constructor(message: string) {
    super(message, { httpStatus: 401 });
  }
}

export class ForbiddenError extends DistillguardError {
  constructor(message: string) {
    super(message, { httpStatus: 403 });
  }
}

export class PayloadTooLargeError extends DistillguardError {
  constructor(message: string) {
    super(message, { httpStatus: 413 });
  }
}

export class UnsupportedMediaTypeError extends DistillguardError {
  constructor(message: string) {
    super(message, { httpStatus: 415 });
  }
}

export class ConflictError extends DistillguardError {
  constructor(message: string) {
    super(message, { httpStatus: 409 });
  }
}

/**
 * The service cannot take the request now but will soon: 429 when this caller is over its
 * rate, 503 when the server as a whole is saturated or shutting down. Always sent with
 * Retry-After, so well-behaved clients back off instead of hammering a full queue.
 */
export class RetryLaterError extends DistillguardError {
  readonly retryAfterSeconds: number;

  constructor(message: string, { status, retryAfterSeconds }: { status: 429 | 503; retryAfterSeconds: number }) {
    super(message, { httpStatus: status });
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}
