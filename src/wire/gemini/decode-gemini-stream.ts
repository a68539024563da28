/**
 * Gemini streamGenerateContent?alt=sse → canonical stream parts. Each `data:` payload is a
 * whole GenerateContentResponse holding the next slice of text; function calls arrive
 * complete in one part; usageMetadata is cumulative, so only the last one counts. There is no
 * terminator event: the stream is complete when every candidate reported a finishReason.
 */
import type { StreamPart } from '../../model/stream-part.js';
import type { Usage } from '../../model/usage.js';
import type { SseEvent } from '../sse/parse-sse.js';
import { isRecord, parseWireJson, WireProtocolError } from '../wire-protocol-error.js';
import { decodeGeminiFinishReason, decodeGeminiUsage, decodeParts } from './decode-gemini-response.js';

export async function* decodeGeminiStream(events: AsyncIterable<SseEvent>): AsyncGenerator<StreamPart> {
  let started = false;
  let usage: Usage | undefined;
  const open = new Set<number>();
  let finishes = 0;
  const toolCounts = new Map<number, number>();

  for await (const event of events) {
    const chunk = parseWireJson(event.data, 'a stream chunk');
    if (!isRecord(chunk)) throw new WireProtocolError('The upstream sent a stream chunk that is not an object.');
    if (isRecord(chunk.error)) {
      const message = typeof chunk.error.message === 'string' ? chunk.error.message : 'unknown error';
      throw new WireProtocolError(`The upstream reported an error mid-stream: ${message}`, { reportedByUpstream: true });
    }
    if (!started) {
      started = true;
      yield {
        type: 'start',
        id: typeof chunk.responseId === 'string' ? chunk.responseId : '',
        model: typeof chunk.modelVersion === 'string' ? chunk.modelVersion : '',
        created: Math.floor(Date.now() / 1000),
      };
    }
    usage = decodeGeminiUsage(chunk.usageMetadata) ?? usage;
    const candidates = Array.isArray(chunk.candidates) ? chunk.candidates : [];
    if (candidates.length === 0 && isRecord(chunk.promptFeedback) && chunk.promptFeedback.blockReason !== undefined) {
      // The prompt itself was blocked: one empty, filtered choice.
      open.delete(0);
      finishes++;
      yield { type: 'finish', choice: 0, finishReason: 'content_filter' };
      continue;
    }
    for (const [position, candidate] of candidates.entries()) {
      const index = isRecord(candidate) && typeof candidate.index === 'number' ? candidate.index : position;
      open.add(index);
      const { text, toolCalls } = decodeParts(candidate);
      if (text !== '') yield { type: 'text-delta', choice: index, text };
      for (const call of toolCalls) {
        const toolIndex = toolCounts.get(index) ?? 0;
        toolCounts.set(index, toolIndex + 1);
        yield { type: 'tool-call-delta', choice: index, toolIndex, id: call.id, name: call.name, argumentsDelta: call.arguments };
      }
      const reason = isRecord(candidate) ? candidate.finishReason : undefined;
      if (typeof reason === 'string' && reason !== 'FINISH_REASON_UNSPECIFIED') {
        open.delete(index);
        finishes++;
        yield { type: 'finish', choice: index, finishReason: decodeGeminiFinishReason(reason, (toolCounts.get(index) ?? 0) > 0) };
      }
    }
  }
  if (!started || open.size > 0 || finishes === 0) throw new WireProtocolError('The upstream stream ended before every candidate finished.');
  if (usage !== undefined) yield { type: 'usage', usage };
}
