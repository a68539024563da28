import type { ErrorCode } from '../errors/error-codes.js';
import { GatewayError } from '../errors/gateway-error.js';

/**
 * What a failed upstream attempt means for the rest of the request. The rules, and why:
 *
 * - Connection errors (`upstream_unavailable`), timeouts (`upstream_timeout`, HTTP 408) and
 *   malformed responses: the request never got a fair hearing, so another try may succeed.
 * - 409: providers use it for transient conflicts (OpenAI: "another request is in progress"),
 *   not for a wrong request body — retry it.
 * - 429: the deployment is saturated, not the request wrong. Another deployment may have room,
 *   and the same one will after its Retry-After.
 * - ≥ 500: the upstream failed; it says nothing about the request.
 * - A stream that broke before its first part reached the client: nothing was delivered yet, so
 *   failing over is invisible to the client (after the first part, dispatch is over and the
 *   pipeline turns a cut into an error event instead).
 * - 401/403 (`upstream_auth_failed`): the gateway's credentials for this deployment are wrong.
 *   Retrying it is pointless, but another deployment has its own credentials: fail over only.
 * - Any other 4xx: the request itself is at fault. Sending it elsewhere repeats the failure at
 *   more cost, so it goes back to the client unchanged, and it is no sign of a sick deployment.
 */
export type FailureKind = 'retryable' | 'failover-only' | 'fatal';

export interface FailureClassification {
  kind: FailureKind;
  /** Whether the failure speaks against the deployment (circuit breaker, health, latency). */
  deploymentFault: boolean;
  /** The failure as a GatewayError (unknown throwables become `upstream_error`). */
  error: GatewayError;
  code: ErrorCode;
  /** Upstream HTTP status, when there was one. */
  status: number | undefined;
  /** How long the upstream asked us to wait (retry-after-ms, else retry-after), in ms. */
  retryAfterMs: number | undefined;
}

const RETRYABLE_STATUSES = new Set([408, 409, 429]);
const RETRYABLE_CODES = new Set<ErrorCode>([
  'upstream_unavailable',
  'upstream_timeout',
  'upstream_rate_limited',
  'upstream_error',
  'upstream_stream_interrupted',
]);

export function classifyFailure(thrown: unknown): FailureClassification {
  const error =
    thrown instanceof GatewayError ? thrown : new GatewayError('upstream_error', 'The upstream call failed unexpectedly.', { cause: thrown });
  const status = upstreamStatusOf(error);
  const retryAfterMs = error.retryAfterSeconds === undefined ? undefined : Math.max(0, error.retryAfterSeconds * 1000);
  const base = { error, code: error.code, status, retryAfterMs };

  if (status !== undefined) {
    if (RETRYABLE_STATUSES.has(status) || status >= 500) return { ...base, kind: 'retryable', deploymentFault: true };
    if (status === 401 || status === 403) return { ...base, kind: 'failover-only', deploymentFault: true };
    if (status >= 400) return { ...base, kind: 'fatal', deploymentFault: false };
  }
  if (RETRYABLE_CODES.has(error.code)) return { ...base, kind: 'retryable', deploymentFault: true };
  if (error.code === 'upstream_auth_failed') return { ...base, kind: 'failover-only', deploymentFault: true };
  // Anything else (upstream_bad_request without a status, internal errors) is not the deployment's doing.
  return { ...base, kind: 'fatal', deploymentFault: false };
}

function upstreamStatusOf(error: GatewayError): number | undefined {
  const value = (error as { upstreamStatus?: unknown }).upstreamStatus;
  return typeof value === 'number' ? value : undefined;
}
