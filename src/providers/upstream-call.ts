/**
 * Performing one upstream call under the adapter error contract (provider-adapter.ts): every
 * failure leaves here as an `UpstreamError`, except a client abort, which is re-thrown as is so
 * the pipeline can tell "the client left" from "the upstream failed".
 */
import { UpstreamError, isGatewayError } from '../errors/gateway-error.js';
import type { StreamPart } from '../model/stream-part.js';
import { WireProtocolError } from '../wire/wire-protocol-error.js';
import type { HttpTransport, UpstreamHttpRequest, UpstreamHttpResponse } from './http-transport.js';
import { upstreamErrorFromResponse, type UpstreamErrorContext } from './upstream-response-error.js';
import { sanitizeUpstreamMessage } from './sanitize-upstream-message.js';

/** Sends the request and resolves with a 2xx response; anything else throws. */
export async function sendUpstream(
  transport: HttpTransport,
  request: UpstreamHttpRequest,
  context: UpstreamErrorContext,
): Promise<UpstreamHttpResponse> {
  let response: UpstreamHttpResponse;
  try {
    response = await transport.request(request);
  } catch (error) {
    throw asUpstreamError(error, request.signal, context, 'upstream_unavailable', 'could not be reached');
  }
  if (response.status < 200 || response.status >= 300) throw await upstreamErrorFromResponse(response, context);
  return response;
}

/** A 2xx JSON call: returns the decoded body or throws `upstream_error` for a malformed one. */
export async function sendUpstreamJson<T>(
  transport: HttpTransport,
  request: UpstreamHttpRequest,
  context: UpstreamErrorContext,
  decode: (body: unknown) => T,
): Promise<T> {
  const response = await sendUpstream(transport, { ...request, read: 'text' }, context);
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw asUpstreamError(error, request.signal, context, 'upstream_error', 'failed while sending its response');
  }
  try {
    return decode(JSON.parse(text) as unknown);
  } catch (error) {
    const reason = error instanceof WireProtocolError ? error.message : 'The upstream response is not valid JSON.';
    throw new UpstreamError('upstream_error', `Upstream deployment '${context.deploymentId}' sent an unusable response. ${reason}`, context.deploymentId, {
      cause: error,
      upstreamStatus: response.status,
    });
  }
}

/**
 * Wraps a decoded stream so that any failure after the stream was accepted — a broken frame,
 * a socket reset, an idle timeout, an `error` event — surfaces as `upstream_stream_interrupted`.
 */
export async function* guardUpstreamStream<Part = StreamPart>(
  parts: AsyncIterable<Part>,
  signal: AbortSignal | undefined,
  context: UpstreamErrorContext,
): AsyncGenerator<Part> {
  try {
    yield* parts;
  } catch (error) {
    throw streamInterruption(error, signal, context);
  }
}

/** What a stream that broke after it was accepted throws: the client's abort as is, else `upstream_stream_interrupted`. */
export function streamInterruption(error: unknown, signal: AbortSignal | undefined, context: UpstreamErrorContext): unknown {
  if (signal?.aborted === true) return signal.reason;
  // An upstream `error` event is the upstream's own text, like an HTTP error body: it reaches the
  // client's error event and the audit record only sanitised (no URLs, hosts, keys; bounded).
  const reason = error instanceof Error && (error instanceof WireProtocolError || isGatewayError(error)) ? ` ${sanitizeUpstreamMessage(error.message, context.secrets)}` : '';
  return new UpstreamError(
    'upstream_stream_interrupted',
    `The stream from upstream deployment '${context.deploymentId}' was interrupted.${reason}`,
    context.deploymentId,
    { cause: error },
  );
}

function asUpstreamError(
  error: unknown,
  signal: AbortSignal | undefined,
  context: UpstreamErrorContext,
  code: 'upstream_unavailable' | 'upstream_error',
  what: string,
): unknown {
  if (signal?.aborted === true) return signal.reason;
  if (error instanceof UpstreamError) return error;
  // Unknown transport errors may carry URLs in their message: report ours, keep theirs as cause.
  return new UpstreamError(code, `Upstream deployment '${context.deploymentId}' ${what}.`, context.deploymentId, { cause: error });
}

/**
 * An active health probe: GET `path` (relative to the base URL) with the deployment's
 * credentials; resolves on 2xx, throws the usual UpstreamError otherwise. The body is drained
 * so the keep-alive connection goes back to the pool.
 */
export async function probeUpstream(
  transport: HttpTransport,
  path: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  context: UpstreamErrorContext,
): Promise<void> {
  const response = await sendUpstream(transport, { method: 'GET', path, headers, signal }, context);
  await response.text().catch(() => undefined);
}
