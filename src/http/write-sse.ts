import { once } from 'node:events';
import type { FastifyReply } from 'fastify';
import type { StreamEncoder } from '../wire/dialect.js';
import type { StreamPart } from '../model/stream-part.js';
import type { RequestContext } from '../pipeline/request-context.js';
import { toGatewayError } from './error-handler.js';


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
  const iterator = parts[Symbol.asyncIterator]();
  const stopped = stopAtDrainDeadline(iterator, reply.request.drainDeadline);
  try {
    for (;;) {
      // At the drain deadline the stream ends with an explicit error event, not a silent cut.
      const next = await stopped.next();
      if (next.done) break;
      const part = next.value;
      if (raw.destroyed) {
        // As `for await` would on break: let the upstream stream clean up.
        await Promise.resolve(iterator.return?.()).catch(() => undefined);
        break;
      }
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
    // Not awaited: at the drain deadline the upstream may be mid-step, and the client must not wait for it.
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
    const gatewayError = toGatewayError(error);
    context.stream = { completed: false, error: gatewayError };
    // Audit the broken stream as incomplete; if even that fails, the client still gets the error event.
    await beforeEnd().catch(() => undefined);
    if (!raw.destroyed) {
      await write(encoder.error(gatewayError)).catch(() => undefined);
      raw.end();
    }
  } finally {
    stopped.dispose();
  }
}

/**
 * `iterator.next()`, except that it rejects with the drain's `server_shutting_down` error once the
 * deadline signal aborts. One listener per stream and one promise per part (a `Promise.race`
 * against a shared promise would keep a reaction per part alive until the stream ends).
 */
function stopAtDrainDeadline(
  iterator: AsyncIterator<StreamPart>,
  signal: AbortSignal | undefined,
): { next(): Promise<IteratorResult<StreamPart>>; dispose(): void } {
  if (!signal) return { next: () => iterator.next(), dispose: () => undefined };
  let rejectCurrent: ((reason: unknown) => void) | undefined;
  const onAbort = () => rejectCurrent?.(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  return {
    next: () =>
      new Promise<IteratorResult<StreamPart>>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        rejectCurrent = reject;
        iterator.next().then(resolve, reject);
      }),
    dispose: () => signal.removeEventListener('abort', onAbort),
  };
}
