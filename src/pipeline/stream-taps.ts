import { GatewayError } from '../errors/gateway-error.js';
import { checkUsage } from '../metering/meter-request.js';
import type { StreamPart } from '../model/stream-part.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { RequestContext } from './request-context.js';
import { responseQuality } from './response-quality.js';

/** What the pipeline does to a stream as it passes: open it eagerly, watch it, capture it. */

/**
 * Pulls the first part before committing to a target, so a stream that dies early fails over.
 * The rest comes straight from the upstream's iterator (no generator in between: one fewer
 * promise hop per part).
 */
export async function openStream<Part>(parts: AsyncIterable<Part>): Promise<AsyncIterable<Part>> {
  const iterator = parts[Symbol.asyncIterator]();
  let first: IteratorResult<Part> | undefined = await iterator.next();
  const rest: AsyncIterator<Part> = {
    next: () => {
      const pending = first;
      first = undefined;
      return pending ? Promise.resolve(pending) : iterator.next();
    },
    // Stopping early (a client that left, a drain deadline) lets the upstream stream clean up.
    return: async (value?: unknown) => {
      first = undefined;
      await iterator.return?.();
      return { done: true, value: value as Part };
    },
  };
  return { [Symbol.asyncIterator]: () => rest };
}

/**
 * Notes the answering model and usage as parts flow past, without buffering the stream; a stream
 * that breaks after it started counts against its deployment's circuit breaker.
 */
export async function* observeStream(parts: AsyncIterable<StreamPart>, context: RequestContext, runtime: GatewayRuntime): AsyncIterable<StreamPart> {
  const capture = context.capture;
  try {
    for await (let part of parts) {
      if (part.type === 'start') context.responseModel = part.model;
      else if (part.type === 'usage') {
        // Untrusted like any upstream data: the client and the ledger see the clamped counts.
        const metered = context.metered;
        if (metered) part = { type: 'usage', usage: checkUsage(runtime.services.metering, metered, part.usage, { requestId: context.requestId, deployment: context.deployment ?? '' }) };
        context.usage = part.usage;
      }
      else if (part.type === 'text-delta' && part.choice === 0 && capture) capture.maskedResponse = (capture.maskedResponse ?? '') + part.text;
      yield part;
    }
  } catch (error) {
    if (error instanceof GatewayError && error.code === 'upstream_stream_interrupted' && context.deployment) {
      runtime.services.traffic.reportStreamFailure(context.deployment);
    }
    throw error;
  }
}

/** The answer as the client reads it (placeholders restored), for the audit record. */
export async function* captureRestored(parts: AsyncIterable<StreamPart>, context: RequestContext): AsyncIterable<StreamPart> {
  let contentFiltered = false;
  for await (const part of parts) {
    if (part.type === 'text-delta' && part.choice === 0 && context.capture) context.capture.response = (context.capture.response ?? '') + part.text;
    else if (part.type === 'finish' && part.choice === 0) contentFiltered = part.finishReason === 'content_filter';
    yield part;
  }
  context.quality = responseQuality(context.capture?.response ?? '', { contentFiltered });
}
