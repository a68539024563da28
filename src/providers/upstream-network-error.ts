/**
 * Classifies a network-level failure (undici or Node socket/TLS error) into the upstream error
 * catalogue. Only error *codes* reach the message: undici and Node messages can contain the
 * host, port or full URL of a private endpoint.
 */
import { UpstreamError } from '../errors/gateway-error.js';

const TIMEOUT_CODES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'timed out while connecting',
  UND_ERR_HEADERS_TIMEOUT: 'sent no response headers within its first-byte timeout',
  UND_ERR_BODY_TIMEOUT: 'went idle mid-response for longer than its idle timeout',
  ETIMEDOUT: 'timed out while connecting',
};

const UNAVAILABLE_CODES: Record<string, string> = {
  ECONNREFUSED: 'refused the connection',
  ECONNRESET: 'reset the connection',
  EPIPE: 'closed the connection',
  UND_ERR_SOCKET: 'closed the connection',
  UND_ERR_CLOSED: 'closed the connection',
  ENOTFOUND: 'could not be resolved',
  EAI_AGAIN: 'could not be resolved',
  EHOSTUNREACH: 'is unreachable',
  ENETUNREACH: 'is unreachable',
};

export function upstreamNetworkError(error: unknown, deploymentId: string): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const code = errorCode(error);
  const subject = `Upstream deployment '${deploymentId}'`;
  if (code !== undefined && code in TIMEOUT_CODES) {
    return new UpstreamError('upstream_timeout', `${subject} ${TIMEOUT_CODES[code]} (${code}).`, deploymentId, { cause: error });
  }
  if (code !== undefined && code in UNAVAILABLE_CODES) {
    return new UpstreamError('upstream_unavailable', `${subject} ${UNAVAILABLE_CODES[code]} (${code}).`, deploymentId, { cause: error });
  }
  if (code !== undefined && isTlsCode(code)) {
    // Certificate problems are configuration errors of the deployment; the code says which.
    return new UpstreamError('upstream_unavailable', `${subject} failed the TLS handshake (${code}).`, deploymentId, { cause: error });
  }
  const suffix = code !== undefined && /^[A-Z0-9_]+$/.test(code) ? ` (${code})` : '';
  return new UpstreamError('upstream_unavailable', `${subject} could not be reached${suffix}.`, deploymentId, { cause: error });
}

/** Node wraps multi-address connect failures in an AggregateError; look inside it too. */
function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner)) return errorCode(inner[0]);
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined ? undefined : errorCode(cause);
}

function isTlsCode(code: string): boolean {
  return code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || /CERT|SELF_SIGNED|UNABLE_TO_|DEPTH_ZERO/.test(code);
}
