/**
 * Errors the API answers with, one class per case. Each carries the HTTP status, a stable
 * machine-readable code and a message meant for the client (`expose`), and the error middleware
 * turns it into the contract's envelope: `{"error": {"code", "message", "details"}}`.
 */
export abstract class ApiError extends Error {
  abstract readonly status: number;
  readonly expose = true;

  constructor(
    readonly code: string,
    message: string,
    readonly details: readonly unknown[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** Extra response headers (Retry-After, WWW-Authenticate, ...). */
  headers(): Record<string, string> {
    return {};
  }
}

export class BadRequestError extends ApiError {
  readonly status = 400;
}

export class UnauthorizedError extends ApiError {
  readonly status = 401;
  /** `challenge`: the WWW-Authenticate value, e.g. `Bearer realm="..."`. */
  constructor(
    private readonly challenge: string,
    message = 'valid credentials are required',
  ) {
    super('unauthorized', message);
  }
  override headers(): Record<string, string> {
    return { 'WWW-Authenticate': this.challenge };
  }
}

export class ForbiddenError extends ApiError {
  readonly status = 403;
}

export class TooManyRequestsError extends ApiError {
  readonly status = 429;
  constructor(
    message: string,
    private readonly retryAfterSeconds: number,
    private readonly extraHeaders: Record<string, string> = {},
  ) {
    super('rate_limited', message);
  }
  override headers(): Record<string, string> {
    return { ...this.extraHeaders, 'Retry-After': String(this.retryAfterSeconds) };
  }
}

export class NotFoundError extends ApiError {
  readonly status = 404;
}

/**
 * 422 Unprocessable Content (RFC 9110): the request is well-formed but cannot be done as asked —
 * an Idempotency-Key reused with another body. (405 and 413 have no class: the router's answer
 * and the body parser's error become those responses in the error handler.)
 */
export class UnprocessableContentError extends ApiError {
  readonly status = 422;
}

export class UnsupportedMediaTypeError extends ApiError {
  readonly status = 415;
}

export class ServiceUnavailableError extends ApiError {
  readonly status = 503;
  constructor(
    code: string,
    message: string,
    private readonly retryAfterSeconds: number,
  ) {
    super(code, message);
  }
  override headers(): Record<string, string> {
    return { 'Retry-After': String(this.retryAfterSeconds) };
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details: readonly unknown[] };
}

export function errorBody(
  code: string,
  message: string,
  details: readonly unknown[] = [],
): ErrorBody {
  return { error: { code, message, details } };
}
