/**
 * Anthropic Messages SSE → canonical stream parts. The event sequence is
 * message_start → (content_block_start → content_block_delta* → content_block_stop)* →
 * message_delta (stop_reason, final output usage) → message_stop, with `ping` anywhere and an
 * `error` event possible mid-stream (e.g. overloaded_error). A stream that ends without
 * message_stop was cut.
 */
import type { StreamPart } from '../../model/stream-part.js';
import type { SseEvent } from '../sse/parse-sse.js';
import { isRecord, parseWireJson, WireProtocolError } from '../wire-protocol-error.js';
import { decodeAnthropicStopReason, decodeAnthropicUsage } from './decode-anthropic-response.js';

export async function* decodeAnthropicStream(events: AsyncIterable<SseEvent>): AsyncGenerator<StreamPart> {
  let started = false;
  let finished = false;
  /** Wire usage from message_start, overlaid by each message_delta's cumulative counts. */
  let wireUsage: Record<string, unknown> = {};
  /** Content block index → position among this message's tool calls. */
  const toolIndexByBlock = new Map<number, number>();

  for await (const sse of events) {
    const event = parseWireJson(sse.data, `a '${sse.event ?? 'message'}' event`);
    if (!isRecord(event)) throw new WireProtocolError('The upstream sent a stream event that is not an object.');
    // The JSON `type` is authoritative; the SSE `event:` name merely repeats it.
    switch (event.type) {
      case 'message_start': {
        const message = isRecord(event.message) ? event.message : {};
        started = true;
        if (isRecord(message.usage)) wireUsage = { ...message.usage };
        yield {
          type: 'start',
          id: typeof message.id === 'string' ? message.id : '',
          model: typeof message.model === 'string' ? message.model : '',
          created: Math.floor(Date.now() / 1000),
        };
        break;
      }
      case 'content_block_start': {
        const block = isRecord(event.content_block) ? event.content_block : {};
        const index = typeof event.index === 'number' ? event.index : 0;
        if (block.type === 'tool_use') {
          const toolIndex = toolIndexByBlock.size;
          toolIndexByBlock.set(index, toolIndex);
          yield { type: 'tool-call-delta', choice: 0, toolIndex, id: String(block.id ?? ''), name: String(block.name ?? ''), argumentsDelta: '' };
        } else if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') {
          yield { type: 'text-delta', choice: 0, text: block.text };
        } else if (block.type === 'thinking' && typeof block.thinking === 'string' && block.thinking !== '') {
          yield { type: 'thinking-delta', choice: 0, text: block.thinking };
        } else if (block.type === 'redacted_thinking' && typeof block.data === 'string') {
          yield { type: 'redacted-thinking', choice: 0, data: block.data };
        }
        break;
      }
      case 'content_block_delta': {
        const delta = isRecord(event.delta) ? event.delta : {};
        const index = typeof event.index === 'number' ? event.index : 0;
        if (delta.type === 'text_delta' && typeof delta.text === 'string') {
          yield { type: 'text-delta', choice: 0, text: delta.text };
        } else if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
          const toolIndex = toolIndexByBlock.get(index);
          if (toolIndex === undefined) throw new WireProtocolError('The upstream sent tool input for a block that is not a tool call.');
          if (delta.partial_json !== '') yield { type: 'tool-call-delta', choice: 0, toolIndex, argumentsDelta: delta.partial_json };
        } else if (delta.type === 'thinking_delta' && typeof delta.thinking === 'string') {
          if (delta.thinking !== '') yield { type: 'thinking-delta', choice: 0, text: delta.thinking };
        } else if (delta.type === 'signature_delta' && typeof delta.signature === 'string') {
          // The signature arrives last in its thinking block and closes it.
          yield { type: 'thinking-signature', choice: 0, signature: delta.signature };
        }
        // citations_delta: not part of the canonical answer.
        break;
      }
      case 'message_delta': {
        const delta = isRecord(event.delta) ? event.delta : {};
        if (isRecord(event.usage)) {
          // Cumulative counts; a null means "not reported here", not zero.
          for (const [key, value] of Object.entries(event.usage)) if (value !== null) wireUsage[key] = value;
        }
        if (delta.stop_reason !== undefined && delta.stop_reason !== null && !finished) {
          finished = true;
          yield { type: 'finish', choice: 0, finishReason: decodeAnthropicStopReason(delta.stop_reason) };
        }
        break;
      }
      case 'message_stop':
        if (!started) throw new WireProtocolError('The upstream stream stopped before it started.');
        if (!finished) yield { type: 'finish', choice: 0, finishReason: 'stop' };
        {
          const usage = decodeAnthropicUsage(wireUsage);
          if (usage !== undefined) yield { type: 'usage', usage };
        }
        return;
      case 'error': {
        const error = isRecord(event.error) ? event.error : {};
        const kind = typeof error.type === 'string' ? error.type : 'error';
        const message = typeof error.message === 'string' ? error.message : 'unknown error';
        throw new WireProtocolError(`The upstream reported ${kind} mid-stream: ${message}`, { reportedByUpstream: true });
      }
      default:
        // ping, content_block_stop and event types added after this was written.
        break;
    }
  }
  throw new WireProtocolError('The upstream stream ended before message_stop.');
}

