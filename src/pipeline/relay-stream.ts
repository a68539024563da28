import { GatewayError } from '../errors/gateway-error.js';
import type { FinishReason } from '../model/chat-response.js';
import type { RelayPart } from '../model/relay-part.js';
import type { StreamPart } from '../model/stream-part.js';
import type { StreamEncoder, UpstreamStreamFormat } from '../wire/dialect.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { InboundCall } from './inbound-call.js';
import type { RequestContext } from './request-context.js';
import { responseQuality } from './response-quality.js';
import { checkedUsage } from './send-to-target.js';
import { pumpStream, type OpenStream } from './write-stream.js';

/**
 * Streams that relay instead of re-encode (issue 16). When nothing in a stream needs rewriting,
 * the upstream's SSE events go to the client as they came instead of decode → canonical parts →
 * taps → encode per chunk. A request may relay when all of these hold:
 *
 * - the client's encoder accepts the target's stream format (`StreamEncoder.canPassThrough`:
 *   OpenAI chat in, OpenAI-compatible or Azure OpenAI upstream);
 * - nothing restores or guards the answer: the policy masked nothing for this request and no
 *   output guard reads it (`restoreStream` hands its input back unchanged — asked after the
 *   body was sealed, when the placeholders exist);
 * - no session keeps the answer (the Responses API stores it through the canonical stream; the
 *   journey does not ask then).
 *
 * The relay still runs every tap the re-encoding path runs, on what the adapter read of the
 * events (`RelayPart`): the answering model, usage (clamped, metered, and sent to the client
 * only when it asked, by its own encoder), choice 0's text for the audit capture, the quality
 * signals and the token estimate without usage, the time to first token, and a stream that
 * breaks (the circuit breaker hears of it; the client gets the explicit error event).
 */
export function relayAllowed(restoreStream: (parts: AsyncIterable<StreamPart>) => AsyncIterable<StreamPart>, encoder: StreamEncoder): ((format: UpstreamStreamFormat) => boolean) | undefined {
  const canPassThrough = encoder.canPassThrough?.bind(encoder);
  if (canPassThrough === undefined) return undefined;
  return (format) => canPassThrough(format) && restoreStream(UNTOUCHED) === UNTOUCHED;
}

/** A stream no one reads: `restoreStream` returns it as is exactly when it would rewrite nothing. */
const UNTOUCHED: AsyncIterable<StreamPart> = {
  [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }),
};

/** Writes a relayed stream (all but its last event, like `writeStream`), tapping what the gateway must know. */
export async function relayStream(call: InboundCall, context: RequestContext, runtime: GatewayRuntime, parts: AsyncIterable<RelayPart>, encoder: StreamEncoder): Promise<OpenStream> {
  const capture = context.capture;
  let finish: FinishReason | undefined;
  const render = (part: RelayPart): string | Uint8Array => {
    switch (part.type) {
      case 'relay':
        if (part.text !== '' && capture) {
          // Nothing was masked, so what left and what the client reads are the same text.
          capture.maskedResponse = (capture.maskedResponse ?? '') + part.text;
          capture.response = (capture.response ?? '') + part.text;
        }
        if (part.finish !== undefined) finish = part.finish;
        return part.sse;
      case 'start':
        context.responseModel = part.model;
        return encoder.encode(part);
      case 'usage': {
        // Untrusted like any upstream data: the client and the ledger see the clamped counts.
        const usage = checkedUsage(runtime, context, part.usage);
        context.usage = usage;
        return encoder.encode({ type: 'usage', usage });
      }
      case 'text-delta':
        if (part.choice === 0 && capture) {
          capture.maskedResponse = (capture.maskedResponse ?? '') + part.text;
          capture.response = (capture.response ?? '') + part.text;
        }
        return encoder.encode(part);
      case 'finish':
        if (part.choice === 0) finish = part.finishReason;
        return encoder.encode(part);
      default:
        return encoder.encode(part);
    }
  };
  const open = await pumpStream(call, context, parts, encoder, render, producesOutput);
  const outcome = context.stream;
  if (outcome?.completed) context.quality = responseQuality(capture?.response ?? '', { contentFiltered: finish === 'content_filter' });
  const error = outcome?.error;
  if (error instanceof GatewayError && error.code === 'upstream_stream_interrupted' && context.deployment) {
    runtime.services.traffic.reportStreamFailure(context.deployment);
  }
  return open;
}

const producesOutput = (part: RelayPart): boolean => (part.type === 'relay' ? part.output : part.type === 'text-delta' || part.type === 'tool-call-delta');
