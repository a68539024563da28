import { once } from 'node:events';
import type { FastifyReply } from 'fastify';
import type { GatewayError } from '../errors/gateway-error.js';
import type { StreamPart } from '../pipeline/gateway-request.js';
import type { RequestContext } from '../pipeline/request-context.js';
import { toGatewayError } from './error-handler.js';

export interface StreamEncoder {
  encode(part: StreamPart): string;
  end(): string;
  error(error: GatewayError): string;
}

/**
 * Writes a canonical stream as SSE. Headers go out only now, after the pipeline produced the
 * first part, so every earlier failure was still an ordinary HTTP error. A failure after that
 * becomes an explicit error event, never a clean end that hides the cut.
 */
export async function writeSse(
  reply: FastifyReply,
  context: RequestContext,
  parts: AsyncIterable<StreamPart>,
  encoder: StreamEncoder,
  headers: Record<string, string>,
  /** Runs before the last event goes out (metering and the durable audit record); a failure becomes the stream's error event. */
  beforeEnd: () => Promise<void>,
): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const write = async (text: string) => {
    if (text === '' || raw.destroyed) return;
    if (!raw.write(text)) await once(raw, 'drain');
  };
  // The outcome is recorded before the response ends, so end-of-request observers see it.
  try {
    for await (const part of parts) {
      if (raw.destroyed) break;
      if (context.ttftMs === undefined && (part.type === 'text-delta' || part.type === 'tool-call-delta')) {
        context.ttftMs = performance.now() - context.startedAt;
      }
      await write(encoder.encode(part));
    }
    if (raw.destroyed) {
      context.stream = { completed: false };
      return;
    }
    context.stream = { completed: true };
    await beforeEnd();
    await write(encoder.end());
    raw.end();
  } catch (error) {
    const gatewayError = toGatewayError(error);
    context.stream = { completed: false, error: gatewayError };
    // Audit the broken stream as incomplete; if even that fails, the client still gets the error event.
    await beforeEnd().catch(() => undefined);
    if (!raw.destroyed) {
      await write(encoder.error(gatewayError)).catch(() => undefined);
      raw.end();
    }
  }
}
