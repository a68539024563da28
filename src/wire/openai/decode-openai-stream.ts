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
  let started = false;
  let done = false;
  let usage: Usage | undefined;
  /** Choices that produced output, and those that reported a finish reason. */
  const openChoices = new Set<number>();
  const toolCallSeen = new Set<number>();

  for await (const event of events) {
    if (event.data === '[DONE]') {
      done = true;
      break;
    }
    const chunk = parseWireJson(event.data, 'a stream chunk');
    if (!isRecord(chunk)) throw new WireProtocolError('The upstream sent a stream chunk that is not an object.');
    if (isRecord(chunk.error)) {
      const message = typeof chunk.error.message === 'string' ? chunk.error.message : 'unknown error';
      throw new WireProtocolError(`The upstream reported an error mid-stream: ${message}`, { reportedByUpstream: true });
    }
    const typed = chunk as unknown as OpenAIChatCompletionChunk;
    const choices = Array.isArray(typed.choices) ? typed.choices : [];
    const chunkUsage = decodeOpenAIUsage(typed.usage as OpenAIUsage | null | undefined);
    if (chunkUsage !== undefined) usage = chunkUsage;
    // Chunks without choices (Azure's prompt filter results, the usage-only tail) carry no text.
    if (!started && choices.length > 0) {
      started = true;
      yield {
        type: 'start',
        id: typeof typed.id === 'string' ? typed.id : '',
        model: typeof typed.model === 'string' ? typed.model : '',
        created: typeof typed.created === 'number' ? typed.created : Math.floor(Date.now() / 1000),
      };
    }
    for (const choice of choices) {
      if (!isRecord(choice)) continue;
      const index = typeof choice.index === 'number' ? choice.index : 0;
      openChoices.add(index);
      const delta = isRecord(choice.delta) ? choice.delta : {};
      if (typeof delta.content === 'string' && delta.content.length > 0) {
        yield { type: 'text-delta', choice: index, text: delta.content };
      }
      if (Array.isArray(delta.tool_calls)) {
        for (const call of delta.tool_calls) {
          if (!isRecord(call)) continue;
          const fn = isRecord(call.function) ? call.function : {};
          toolCallSeen.add(index);
          yield {
            type: 'tool-call-delta',
            choice: index,
            toolIndex: typeof call.index === 'number' ? call.index : 0,
            ...(typeof call.id === 'string' ? { id: call.id } : {}),
            ...(typeof fn.name === 'string' ? { name: fn.name } : {}),
            argumentsDelta: typeof fn.arguments === 'string' ? fn.arguments : '',
          };
        }
      }
      if (typeof choice.finish_reason === 'string') {
        openChoices.delete(index);
        yield { type: 'finish', choice: index, finishReason: decodeOpenAIFinishReason(choice.finish_reason, toolCallSeen.has(index)) };
      }
    }
  }

  // Without [DONE], the stream is complete only if it started and every choice finished.
  if (!done && (!started || openChoices.size > 0)) {
    throw new WireProtocolError('The upstream stream ended before the response was complete.');
  }
  if (!started) throw new WireProtocolError('The upstream stream ended without any choices.');
  // [DONE] with a choice still open: the contract promises one finish per choice.
  for (const index of openChoices) {
    yield { type: 'finish', choice: index, finishReason: toolCallSeen.has(index) ? 'tool_calls' : 'stop' };
  }
  if (usage !== undefined) yield { type: 'usage', usage };
}
