import { UpstreamError } from '../../errors/gateway-error.js';
import type { MockFault } from './mock-faults.js';

/**
 * The UpstreamError a real HTTP adapter would throw for each fault, so the in-process mock
 * exercises the same failover paths as a real upstream (see provider-adapter.ts for the rules).
 * Messages are as sanitised as a real adapter's: no URL, no credentials.
 */
export function upstreamErrorForStatus(status: number, deployment: string, retryAfterSeconds?: number): UpstreamError {
  if (status === 429) {
    return new UpstreamError('upstream_rate_limited', 'The upstream rate limit was reached (HTTP 429).', deployment, {
      upstreamStatus: 429,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    });
  }
  if (status === 401 || status === 403) {
    return new UpstreamError('upstream_auth_failed', `The upstream rejected the gateway's credentials (HTTP ${status}).`, deployment, { upstreamStatus: status });
  }
  if (status < 500) {
    return new UpstreamError('upstream_bad_request', `The upstream rejected the request (HTTP ${status}).`, deployment, { upstreamStatus: status, status });
  }
  return new UpstreamError('upstream_error', `The upstream failed (HTTP ${status}).`, deployment, { upstreamStatus: status });
}

/** For faults that end a request before any reply: the error to throw, or undefined. */
export function errorForFault(fault: MockFault, deployment: string): UpstreamError | undefined {
  switch (fault.kind) {
    case 'error':
      return upstreamErrorForStatus(fault.status, deployment);
    case 'rate_limit':
      return upstreamErrorForStatus(429, deployment, fault.retryAfterSeconds);
    case 'reset':
      return new UpstreamError('upstream_unavailable', 'The upstream connection was reset.', deployment);
    default:
      return undefined;
  }
}

export function streamInterruptedError(deployment: string, afterChunks: number): UpstreamError {
  return new UpstreamError('upstream_stream_interrupted', `The upstream stream ended unexpectedly after ${afterChunks} chunk(s).`, deployment);
}

/** A non-streaming body cut half-way: a real adapter sees the socket close mid-body. */
export function bodyInterruptedError(deployment: string): UpstreamError {
  return new UpstreamError('upstream_error', 'The upstream closed the connection before the response was complete.', deployment);
}
