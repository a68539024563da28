import { GatewayError } from '../errors/gateway-error.js';
import type { AccessDecision } from './access-decision.js';

/** Why a bearer JWT was refused; each is its own stable code so clients and dashboards can tell them apart. */
export type TokenRejectionCode =
  | 'token_invalid'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'token_audience_mismatch'
  | 'token_issuer_mismatch'
  | 'token_algorithm_not_allowed'
  | 'token_unknown_key';

export class TokenRejectedError extends GatewayError {
  declare readonly code: TokenRejectionCode;

  constructor(code: TokenRejectionCode, message: string, cause?: unknown) {
    super(code, message, cause === undefined ? {} : { cause });
    this.name = 'TokenRejectedError';
  }
}

/** Too many failed authentications from one address; carries Retry-After. */
export class AuthThrottledError extends GatewayError {
  constructor(retryAfterSeconds: number) {
    super('auth_throttled', 'Too many failed authentication attempts from your address; try again later.', {
      retryAfterSeconds,
    });
    this.name = 'AuthThrottledError';
  }
}

/** A 403 from the access policy; the decision travels with it so audit records what was refused and why. */
export class AccessDeniedError extends GatewayError {
  readonly decision: AccessDecision;

  constructor(decision: AccessDecision & { allowed: false }) {
    super(decision.reason, decision.message);
    this.name = 'AccessDeniedError';
    this.decision = decision;
  }
}
