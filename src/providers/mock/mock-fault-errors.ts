import { UpstreamError } from '../../errors/gateway-error.js';
import type { MockFault } from './mock-faults.js';

/**
 * The UpstreamError a real HTTP adapter would throw for each fault, with the same codes and
 * message wording as upstream-response-error.ts / upstream-network-error.ts, so the in-process
 * mock exercises exactly the failover paths a real upstream does.
 */
export function upstreamErrorForStatus(status: number, deployment: string, retryAfterSeconds?: number): UpstreamError {
  const message = `Upstream deployment '${deployment}' returned HTTP ${status}: mock fault`;
  const retry = retryAfterSeconds !== undefined && (status === 429 || status === 503) ? { retryAfterSeconds } : {};
  if (status === 429) return new UpstreamError('upstream_rate_limited', message, deployment, { upstreamStatus: status, ...retry });
  // The gateway's own credentials were refused: never the client's fault.
  if (status === 401 || status === 403) return new UpstreamError('upstream_auth_failed', message, deployment, { upstreamStatus: status });
  if (status === 408) return new UpstreamError('upstream_timeout', message, deployment, { upstreamStatus: status });
  if (status < 500) return new UpstreamError('upstream_bad_request', message, deployment, { upstreamStatus: status, status });
  return new UpstreamError('upstream_error', message, deployment, { upstreamStatus: status, ...retry });
}

/** For faults that end a request before any reply: the error to throw, or undefined. */
export function errorForFault(fault: MockFault, deployment: string): UpstreamError | undefined {
  switch (fault.kind) {
    case 'error':
      return upstreamErrorForStatus(fault.status, deployment);
    case 'rate_limit':
      return upstreamErrorForStatus(429, deployment, fault.retryAfterSeconds);
    case 'reset':
      return new UpstreamError('upstream_unavailable', `Upstream deployment '${deployment}' reset the connection (ECONNRESET).`, deployment);
    default:
      return undefined;
  }
}

export function streamInterruptedError(deployment: string, afterChunks: number): UpstreamError {
  return new UpstreamError(
    'upstream_stream_interrupted',
    `Upstream deployment '${deployment}' closed the stream after ${afterChunks} chunk(s) without finishing it.`,
    deployment,
  );
}

/** A non-streaming body cut half-way: a real adapter sees the socket close mid-body. */
export function bodyInterruptedError(deployment: string): UpstreamError {
  return new UpstreamError('upstream_unavailable', `Upstream deployment '${deployment}' closed the connection (UND_ERR_SOCKET).`, deployment);
}
