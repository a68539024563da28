/**
 * The one mapping from a non-2xx upstream response to an `UpstreamError`, shared by every
 * adapter so that a 429 from Anthropic and a 429 from vLLM look the same to routing.
 */
import type { ErrorCode } from '../errors/error-codes.js';
import { UpstreamError } from '../errors/gateway-error.js';
import type { UpstreamHttpResponse } from './http-transport.js';
import { parseRetryAfter } from './parse-retry-after.js';
import { sanitizeUpstreamMessage } from './sanitize-upstream-message.js';

/** Error bodies are small; a huge one is not worth buffering to find a message in it. */
const MAX_ERROR_BODY_CHARS = 64 * 1024;

export interface UpstreamErrorContext {
  deploymentId: string;
  /** Values that must never appear in a message (the deployment's API key). */
  secrets: ReadonlyArray<string | undefined>;
  /**
   * Vendor signals that live in the error body rather than the status line (Gemini reports a
   * bad key as 400 API_KEY_INVALID and the retry delay as RetryInfo, not Retry-After).
   */
  inspectErrorBody?: (status: number, body: unknown) => { code?: ErrorCode; retryAfterSeconds?: number } | undefined;
}

export async function upstreamErrorFromResponse(
  response: UpstreamHttpResponse,
  context: UpstreamErrorContext,
): Promise<UpstreamError> {
  let bodyText = '';
  try {
    bodyText = (await response.text()).slice(0, MAX_ERROR_BODY_CHARS);
  } catch {
    // The status alone is enough to classify the failure.
  }
  const status = response.status;
  const vendor = context.inspectErrorBody?.(status, parseJsonOrUndefined(bodyText));
  const code = vendor?.code ?? codeForStatus(status);
  const upstreamMessage = extractUpstreamMessage(bodyText);
  const detail = upstreamMessage === undefined ? '' : `: ${sanitizeUpstreamMessage(upstreamMessage, context.secrets)}`;
  const retryAfterSeconds =
    status === 429 || status === 503 ? (parseRetryAfter(response.headers) ?? vendor?.retryAfterSeconds) : undefined;
  return new UpstreamError(code, `Upstream deployment '${context.deploymentId}' returned HTTP ${status}${detail}`, context.deploymentId, {
    upstreamStatus: status,
    // Other 4xx pass through with the upstream's status: the client's request was at fault.
    ...(code === 'upstream_bad_request' ? { status } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  });
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function codeForStatus(status: number): ErrorCode {
  if (status === 429) return 'upstream_rate_limited';
  // The gateway's own credentials were refused: not the client's fault, so never a 401 to it.
  if (status === 401 || status === 403) return 'upstream_auth_failed';
  // 408 is the upstream timing out waiting for us: retryable like a timeout.
  if (status === 408) return 'upstream_timeout';
  if (status >= 400 && status < 500) return 'upstream_bad_request';
  return 'upstream_error';
}

/**
 * Finds the human message in the error bodies of OpenAI (`{error:{message}}`), Anthropic
 * (`{type:"error",error:{type,message}}`), Gemini (`{error:{code,message,status}}`), TGI
 * (`{error:"…"}`) and plain-text bodies of proxies.
 */
export function extractUpstreamMessage(bodyText: string): string | undefined {
  const trimmed = bodyText.trim();
  if (trimmed === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    // HTML error pages from proxies are noise, not a message.
    return trimmed.startsWith('<') ? undefined : trimmed.slice(0, 300);
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const body = parsed as { error?: unknown; message?: unknown; detail?: unknown };
  if (typeof body.error === 'string') return body.error;
  if (typeof body.error === 'object' && body.error !== null) {
    const message = (body.error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  if (typeof body.message === 'string') return body.message;
  if (typeof body.detail === 'string') return body.detail;
  return undefined;
}
