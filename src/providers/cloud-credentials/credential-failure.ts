/**
 * The one way a failure to obtain cloud credentials (an expired IAM role session, a revoked
 * service-account key, an Entra app whose secret rotated, an unreachable metadata endpoint)
 * leaves an adapter: `upstream_auth_failed`, so routing fails over and the circuit breaker and
 * health checks count it against the deployment. The library's own error is *not* kept as
 * the cause — SDK errors quote token endpoints, request bodies and sometimes the assertion —
 * only its name and code, which say enough to act on.
 */
import { UpstreamError } from '../../errors/gateway-error.js';

const SAFE_WORD = /^[A-Za-z0-9_.:-]{1,64}$/;

export function credentialFailure(deploymentId: string, source: string, error: unknown): UpstreamError {
  return new UpstreamError(
    'upstream_auth_failed',
    `Upstream deployment '${deploymentId}' could not obtain credentials from ${source} (${describeFailure(error)}). Check the deployment's identity configuration and the identity's permissions.`,
    deploymentId,
  );
}

/**
 * Name, code, HTTP status and OAuth error code (`invalid_grant`, `invalid_client`) of a
 * credential library's error — short words from fixed vocabularies — never its message.
 */
export function describeFailure(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'unknown error';
  const record = error as {
    name?: unknown;
    code?: unknown;
    status?: unknown;
    statusCode?: unknown;
    errorResponse?: { error?: unknown };
    response?: { status?: unknown; data?: { error?: unknown } };
  };
  const status = [record.response?.status, record.status, record.statusCode].find((value) => typeof value === 'number');
  const words = [
    record.name,
    record.code,
    record.errorResponse?.error,
    record.response?.data?.error,
    ...(typeof status === 'number' ? [`HTTP ${status}`] : []),
  ].filter((word): word is string => typeof word === 'string' && (SAFE_WORD.test(word) || /^HTTP \d{3}$/.test(word)) && word !== 'Error');
  return words.length > 0 ? [...new Set(words)].join(', ') : 'unknown error';
}
