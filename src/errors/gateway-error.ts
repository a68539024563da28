import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/** One failed upstream attempt, carried by errors that summarise a failover chain. */
export interface AttemptRecord {
  deployment: string;
  status?: number;
  code: ErrorCode;
  reason: string;
}

export interface GatewayErrorOptions {
  param?: string | null;
  cause?: unknown;
  /** Overrides the catalogue status, e.g. to pass an upstream 4xx through unchanged. */
  status?: number;
  /** Seconds the client should wait before retrying (sets Retry-After). */
  retryAfterSeconds?: number;
  attempts?: AttemptRecord[];
}

/**
 * The single error type the gateway raises on purpose. Anything else reaching the error
 * handler is a bug and is reported as `internal_error` without its message (which may hold
 * internal URLs or credentials).
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: string;
  readonly retryable: boolean;
  readonly param: string | null;
  readonly retryAfterSeconds: number | undefined;
  readonly attempts: AttemptRecord[] | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const entry = ERROR_CODES[code];
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? entry.status;
    this.type = entry.type;
    this.retryable = entry.retryable;
    this.param = options.param ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.attempts = options.attempts;
  }
}

export class InvalidRequestError extends GatewayError {
  constructor(message: string, param: string | null = null) {
    super('invalid_request', message, { param });
    this.name = 'InvalidRequestError';
  }
}

export class ModelNotFoundError extends GatewayError {
  constructor(model: string) {
    super('model_not_found', `The model '${model}' does not exist or you do not have access to it.`, {
      param: 'model',
    });
    this.name = 'ModelNotFoundError';
  }
}

/** A known alias sent to the other kind of endpoint: say which endpoint it belongs to. */
export class WrongModelTypeError extends GatewayError {
  constructor(model: string, actual: 'chat' | 'embedding') {
    super(
      'invalid_request',
      actual === 'embedding'
        ? `The model '${model}' is an embedding model: send it to POST /v1/embeddings, or pick a chat model here (GET /v1/models lists them).`
        : `The model '${model}' is a chat model: send it to POST /v1/chat/completions (or /v1/messages), or pick an embedding model here (GET /v1/models lists them).`,
      { param: 'model' },
    );
    this.name = 'WrongModelTypeError';
  }
}

export class AuthenticationError extends GatewayError {
  constructor(code: 'missing_api_key' | 'invalid_api_key', message: string) {
    super(code, message);
    this.name = 'AuthenticationError';
  }
}

/** An upstream call failed; `retryable` decides whether failover may try another target. */
export class UpstreamError extends GatewayError {
  readonly deployment: string;
  readonly upstreamStatus: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    deployment: string,
    options: GatewayErrorOptions & { upstreamStatus?: number } = {},
  ) {
    super(code, message, options);
    this.name = 'UpstreamError';
    this.deployment = deployment;
    this.upstreamStatus = options.upstreamStatus;
  }
}

export class AllTargetsFailedError extends GatewayError {
  constructor(alias: string, attempts: AttemptRecord[], last: GatewayError | undefined) {
    const summary = attempts.map((attempt) => `${attempt.deployment}: ${attempt.reason}`).join('; ');
    super(
      last?.code === 'upstream_bad_request'
        ? 'upstream_bad_request'
        : // Every deployment refused the gateway's own credentials: say so, it is the operator's to fix.
          attempts.length > 0 && attempts.every((attempt) => attempt.code === 'upstream_auth_failed')
          ? 'upstream_auth_failed'
          : 'upstream_unavailable',
      `No deployment could serve '${alias}' (${attempts.length} attempt${attempts.length === 1 ? '' : 's'}: ${summary}).`,
      { attempts, ...(last?.status !== undefined && last.code === 'upstream_bad_request' ? { status: last.status } : {}) },
    );
    this.name = 'AllTargetsFailedError';
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}
