import type { GatewayError } from '../errors/gateway-error.js';
import type { StreamPart } from '../model/stream-part.js';
import type { StreamEncoder } from '../wire/dialect.js';
import { asGatewayError, routingHeaders } from './call-reply.js';
import type { InboundCall, SseSink } from './inbound-call.js';
import type { RequestContext } from './request-context.js';

/** A stream whose parts are written and whose last event waits for the audit record. */
export interface OpenStream {
  sink: SseSink;
  encoder: StreamEncoder;
}

/**
 * Writes a canonical stream as SSE, all but its last event. Headers go out only now, after the
 * pipeline produced the first part, so every earlier failure was still an ordinary HTTP error.
 * The outcome lands on `context.stream`; `endStream` writes the last event once metering and the
 * audit record are done, so a client never holds an answer the ledger does not.
 */
export function writeStream(call: InboundCall, context: RequestContext, parts: AsyncIterable<StreamPart>, encoder: StreamEncoder): Promise<OpenStream> {
  return pumpStream(call, context, parts, encoder, (part) => encoder.encode(part), isOutput);
}

const isOutput = (part: StreamPart): boolean => part.type === 'text-delta' || part.type === 'tool-call-delta';

/**
 * The loop under `writeStream` and the relay (relay-stream.ts): each part becomes the SSE text
 * (or the relay's UTF-8 bytes) `render` returns; the first part `producesOutput` says carries output marks the time to first token.
 */
export async function pumpStream<Part>(
  call: InboundCall,
  context: RequestContext,
  parts: AsyncIterable<Part>,
  encoder: StreamEncoder,
  render: (part: Part) => string | Uint8Array,
  producesOutput: (part: Part) => boolean,
): Promise<OpenStream> {
  const sink = call.openStream(routingHeaders(context));
  const iterator = parts[Symbol.asyncIterator]();
  const stopped = stopAtDrainDeadline(iterator, call.drainDeadline);
  try {
    for (;;) {
      // At the drain deadline the stream ends with an explicit error event, not a silent cut.
      const next = await stopped.next();
      if (next.done) break;
      const part = next.value;
      if (sink.closed) {
        // As `for await` would on break: let the upstream stream clean up.
        await Promise.resolve(iterator.return?.()).catch(() => undefined);
        break;
      }
      if (context.ttftMs === undefined && producesOutput(part)) {
        context.ttftMs = performance.now() - context.startedAt;
      }
      await sink.write(render(part));
    }
    context.stream = { completed: !sink.closed };
  } catch (error) {
    // Not awaited: at the drain deadline the upstream may be mid-step, and the client must not wait for it.
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
    context.stream = { completed: false, error: asGatewayError(error) };
  } finally {
    stopped.dispose();
  }
  return { sink, encoder };
}

/** The last event: the clean end, or an explicit error event for a stream that broke (or whose audit failed). */
export async function endStream(open: OpenStream, context: RequestContext, auditError: GatewayError | undefined): Promise<void> {
  const { sink, encoder } = open;
  if (sink.closed) return;
  const error = context.stream?.error ?? auditError;
  if (error && context.stream?.completed) context.stream = { completed: false, error };
  await sink.write(error ? encoder.error(error) : encoder.end()).catch(() => undefined);
  sink.end();
}

/**
 * `iterator.next()`, except that it rejects with the drain's `server_shutting_down` error once the
 * deadline signal aborts. One listener per stream and one promise per part (a `Promise.race`
 * against a shared promise would keep a reaction per part alive until the stream ends).
 */
function stopAtDrainDeadline<Part>(iterator: AsyncIterator<Part>, signal: AbortSignal | undefined): { next(): Promise<IteratorResult<Part>>; dispose(): void } {
  if (!signal) return { next: () => iterator.next(), dispose: () => undefined };
  let rejectCurrent: ((reason: unknown) => void) | undefined;
  const onAbort = () => rejectCurrent?.(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  return {
    next: () =>
      new Promise<IteratorResult<Part>>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        rejectCurrent = reject;
        iterator.next().then(resolve, reject);
      }),
    dispose: () => signal.removeEventListener('abort', onAbort),
  };
}
