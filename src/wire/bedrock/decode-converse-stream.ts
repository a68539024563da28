/**
 * Bedrock ConverseStream events → canonical stream parts. Events arrive in event-stream frames
 * named by their `:event-type` header: messageStart, contentBlockStart (a tool call's id and
 * name), contentBlockDelta (text or a slice of tool input JSON), contentBlockStop, messageStop
 * (the stop reason) and metadata (usage, after the stop). A frame with `:message-type:
 * exception` is an error the upstream reports mid-stream (throttling, validation, …).
 */
import type { StreamPart } from '../../model/stream-part.js';
import type { Usage } from '../../model/usage.js';
import { isRecord, parseWireJson, WireProtocolError } from '../wire-protocol-error.js';
import { decodeConverseStopReason, decodeConverseUsage } from './decode-converse-response.js';
import type { EventStreamMessage } from './decode-event-stream.js';

export async function* decodeConverseStream(
  messages: AsyncIterable<EventStreamMessage>,
  meta: { id: string; model: string },
): AsyncGenerator<StreamPart> {
  let started = false;
  let finished = false;
  let usage: Usage | undefined;
  // Converse numbers content blocks; canonical tool calls are numbered among tool calls only.
  const toolIndexOfBlock = new Map<number, number>();

  for await (const message of messages) {
    const messageType = message.headers[':message-type'];
    if (messageType === 'exception' || messageType === 'error') {
      const kind = message.headers[':exception-type'] ?? message.headers[':error-code'] ?? 'error';
      const body = safeJson(message.payload);
      const text = isRecord(body) && typeof body.message === 'string' ? body.message : (message.headers[':error-message'] ?? 'unknown error');
      throw new WireProtocolError(`The upstream reported an error mid-stream: ${kind}: ${text}`, { reportedByUpstream: true });
    }
    const event = parseWireJson(message.payload, 'a stream event');
    if (!isRecord(event)) throw new WireProtocolError('The upstream sent a stream event that is not an object.');
    if (!started) {
      started = true;
      yield { type: 'start', id: meta.id, model: meta.model, created: Math.floor(Date.now() / 1000) };
    }
    const block = typeof event.contentBlockIndex === 'number' ? event.contentBlockIndex : 0;
    switch (message.headers[':event-type']) {
      case 'contentBlockStart': {
        const use = isRecord(event.start) && isRecord(event.start.toolUse) ? event.start.toolUse : undefined;
        if (use !== undefined) {
          const toolIndex = toolIndexOfBlock.size;
          toolIndexOfBlock.set(block, toolIndex);
          yield { type: 'tool-call-delta', choice: 0, toolIndex, id: String(use.toolUseId ?? ''), name: String(use.name ?? ''), argumentsDelta: '' };
        }
        break;
      }
      case 'contentBlockDelta': {
        const delta = isRecord(event.delta) ? event.delta : {};
        if (typeof delta.text === 'string' && delta.text !== '') yield { type: 'text-delta', choice: 0, text: delta.text };
        if (isRecord(delta.toolUse) && typeof delta.toolUse.input === 'string') {
          const toolIndex = toolIndexOfBlock.get(block);
          if (toolIndex === undefined) throw new WireProtocolError('The upstream sent tool input for a block that did not start a tool call.');
          yield { type: 'tool-call-delta', choice: 0, toolIndex, argumentsDelta: delta.toolUse.input };
        }
        break;
      }
      case 'messageStop':
        finished = true;
        yield { type: 'finish', choice: 0, finishReason: decodeConverseStopReason(event.stopReason, toolIndexOfBlock.size > 0) };
        break;
      case 'metadata':
        usage = decodeConverseUsage(event.usage) ?? usage;
        break;
      default:
        // messageStart, contentBlockStop and events added later carry nothing canonical.
        break;
    }
  }
  if (!finished) throw new WireProtocolError('The upstream stream ended before messageStop.');
  if (usage !== undefined) yield { type: 'usage', usage };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
