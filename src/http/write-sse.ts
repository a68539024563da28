import { once } from 'node:events';
import type { FastifyReply } from 'fastify';
import type { GatewayError } from '../errors/gateway-error.js';
import type { StreamPart } from '../pipeline/gateway-request.js';
import { toGatewayError } from './error-handler.js';

export interface StreamEncoder {
  encode(part: StreamPart): string;
  end(): string;
  error(error: GatewayError): string;
}

export interface StreamOutcome {
  completed: boolean;
  error?: GatewayError;
}

/**
 * Writes a canonical stream as SSE. Headers go out only now, after the pipeline produced the
 * first part, so every earlier failure was still an ordinary HTTP error. A failure after that
 * becomes an explicit error event, never a clean end that hides the cut.
 */
export async function writeSse(
  reply: FastifyReply,
  parts: AsyncIterable<StreamPart>,
  encoder: StreamEncoder,
  headers: Record<string, string>,
): Promise<StreamOutcome> {
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
  try {
    for await (const part of parts) {
      if (raw.destroyed) return { completed: false };
      await write(encoder.encode(part));
    }
    await write(encoder.end());
    raw.end();
    return { completed: true };
  } catch (error) {
    const gatewayError = toGatewayError(error);
    if (!raw.destroyed) {
      await write(encoder.error(gatewayError)).catch(() => undefined);
      raw.end();
    }
    return { completed: false, error: gatewayError };
  }
}
