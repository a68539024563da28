/**
 * OpenAI Chat Completions SSE (`data: {chunk}` … `data: [DONE]`) → canonical stream parts.
 *
 * Compatible servers differ in details this decoder absorbs: Azure opens with a
 * `prompt_filter_results` chunk that has no choices and an empty id; vLLM can report usage on
 * every chunk; some servers omit `[DONE]`. Usage is therefore emitted once, at the end, with
 * the last value seen.
 */
import type { StreamPart } from '../../model/stream-part.js';
import type { Usage } from '../../model/usage.js';
import type { SseEvent } from '../sse/parse-sse.js';
import { isRecord, parseWireJson, WireProtocolError } from '../wire-protocol-error.js';
import { decodeOpenAIFinishReason, decodeOpenAIUsage } from './decode-openai-response.js';
import type { OpenAIChatCompletionChunk, OpenAIUsage } from './openai-types.js';

export async function* decodeOpenAIStream(events: AsyncIterable<SseEvent>): AsyncGenerator<StreamPart> {
  const decoder = new OpenAIChunkDecoder();
  for await (const event of events) {
    if (event.data === '[DONE]') {
      decoder.done = true;
      break;
    }
    yield* decoder.chunk(parseOpenAIChunk(event.data));
  }
  yield* decoder.end();
}

/** One event's data → the chunk object, or the protocol error the stream ends with. */
export function parseOpenAIChunk(data: string): Record<string, unknown> {
  const chunk = parseWireJson(data, 'a stream chunk');
  if (!isRecord(chunk)) throw new WireProtocolError('The upstream sent a stream chunk that is not an object.');
  if (isRecord(chunk.error)) {
    const message = typeof chunk.error.message === 'string' ? chunk.error.message : 'unknown error';
    throw new WireProtocolError(`The upstream reported an error mid-stream: ${message}`, { reportedByUpstream: true });
  }
  return chunk;
}

/**
 * The decoder's state across one stream, chunk by chunk. Shared by `decodeOpenAIStream` and the
 * relay (relay-openai-stream.ts), so both read a stream — where it starts, which choices are
 * still open, which usage counts, when it is complete — by the same rules.
 */
export class OpenAIChunkDecoder {
  started = false;
  /** `[DONE]` was seen. */
  done = false;
  usage: Usage | undefined;
  /** Choices that produced output, and those that reported a finish reason. */
  readonly openChoices = new Set<number>();
  readonly toolCallSeen = new Set<number>();

  /** The parts one chunk holds, in order (`start` before the first chunk with choices). */
  chunk(chunk: Record<string, unknown>): StreamPart[] {
    const parts: StreamPart[] = [];
    const typed = chunk as unknown as OpenAIChatCompletionChunk;
    const choices = Array.isArray(typed.choices) ? typed.choices : [];
    const chunkUsage = decodeOpenAIUsage(typed.usage as OpenAIUsage | null | undefined);
    if (chunkUsage !== undefined) this.usage = chunkUsage;
    // Chunks without choices (Azure's prompt filter results, the usage-only tail) carry no text.
    if (!this.started && choices.length > 0) {
      this.started = true;
      parts.push({
        type: 'start',
        id: typeof typed.id === 'string' ? typed.id : '',
        model: typeof typed.model === 'string' ? typed.model : '',
        created: typeof typed.created === 'number' ? typed.created : Math.floor(Date.now() / 1000),
      });
    }
    for (const choice of choices) {
      if (!isRecord(choice)) continue;
      const index = typeof choice.index === 'number' ? choice.index : 0;
      this.openChoices.add(index);
      const delta = isRecord(choice.delta) ? choice.delta : {};
      if (typeof delta.content === 'string' && delta.content.length > 0) {
        parts.push({ type: 'text-delta', choice: index, text: delta.content });
      }
      if (Array.isArray(delta.tool_calls)) {
        for (const call of delta.tool_calls) {
          if (!isRecord(call)) continue;
          const fn = isRecord(call.function) ? call.function : {};
          this.toolCallSeen.add(index);
          parts.push({
            type: 'tool-call-delta',
            choice: index,
            toolIndex: typeof call.index === 'number' ? call.index : 0,
            ...(typeof call.id === 'string' ? { id: call.id } : {}),
            ...(typeof fn.name === 'string' ? { name: fn.name } : {}),
            argumentsDelta: typeof fn.arguments === 'string' ? fn.arguments : '',
          });
        }
      }
      if (typeof choice.finish_reason === 'string') {
        this.openChoices.delete(index);
        parts.push({ type: 'finish', choice: index, finishReason: decodeOpenAIFinishReason(choice.finish_reason, this.toolCallSeen.has(index)) });
      }
    }
    return parts;
  }

  /** The end of the upstream body: throws for an incomplete stream, else the closing parts. */
  end(): StreamPart[] {
    // Without [DONE], the stream is complete only if it started and every choice finished.
    if (!this.done && (!this.started || this.openChoices.size > 0)) {
      throw new WireProtocolError('The upstream stream ended before the response was complete.');
    }
    if (!this.started) throw new WireProtocolError('The upstream stream ended without any choices.');
    // [DONE] with a choice still open: the contract promises one finish per choice.
    const parts: StreamPart[] = [];
    for (const index of this.openChoices) {
      parts.push({ type: 'finish', choice: index, finishReason: this.toolCallSeen.has(index) ? 'tool_calls' : 'stop' });
    }
    if (this.usage !== undefined) parts.push({ type: 'usage', usage: this.usage });
    return parts;
  }
}
