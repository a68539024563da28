import type { GatewayError } from '../../errors/gateway-error.js';
import type { FinishReason } from '../../model/chat-response.js';
import type { StreamPart } from '../../model/stream-part.js';
import type { Usage } from '../../model/usage.js';
import {
  encodeResponseObject,
  functionCallItem,
  messageItem,
  statusOf,
  type OutputItem,
  type ResponsesHead,
} from './encode-responses-response.js';

/**
 * Canonical stream parts → the Responses API's typed event stream: `response.created`,
 * `response.in_progress`, per output item `output_item.added` … `output_item.done` (with the
 * content part and text deltas of a message, the argument deltas of a function call), then
 * exactly one of `response.completed`, `response.incomplete` or `response.failed`. Every
 * event carries a `sequence_number` counting from 0. One encoder per stream.
 */

export interface ResponsesStreamEncoderOptions {
  head: ResponsesHead;
  newId: (prefix: string) => string;
  /** Unix seconds now (injected for tests). */
  now: () => number;
}

interface OpenMessage {
  outputIndex: number;
  id: string;
  text: string;
}

interface OpenCall {
  outputIndex: number;
  id: string;
  callId: string;
  name: string;
  arguments: string;
  done: boolean;
}

export interface ResponsesStreamResult {
  /** The final response object, as `response.completed` (or the failure) carried it. */
  response: Record<string, unknown>;
  output: OutputItem[];
  status: string;
}

export function createResponsesStreamEncoder(options: ResponsesStreamEncoderOptions) {
  const head = { ...options.head };
  let sequence = 0;
  const output: OutputItem[] = [];
  let message: OpenMessage | undefined;
  const calls = new Map<number, OpenCall>();
  let finishReason: FinishReason | undefined;
  let usage: Usage | undefined;
  let final: ResponsesStreamResult | undefined;
  /** Closing events computed by complete() and not yet written. */
  let closing = '';

  const event = (type: string, fields: Record<string, unknown>): string =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`;

  const itemStatus = () => (statusOf(finishReason).status === 'completed' ? 'completed' : 'incomplete');

  const closeMessage = (): string => {
    if (!message) return '';
    const { outputIndex, id, text } = message;
    message = undefined;
    const item = messageItem(id, text, itemStatus());
    output[outputIndex] = item;
    const part = { type: 'output_text', text, annotations: [], logprobs: [] };
    return (
      event('response.output_text.done', { item_id: id, output_index: outputIndex, content_index: 0, text, logprobs: [] }) +
      event('response.content_part.done', { item_id: id, output_index: outputIndex, content_index: 0, part }) +
      event('response.output_item.done', { output_index: outputIndex, item })
    );
  };

  const closeCall = (call: OpenCall): string => {
    if (call.done) return '';
    call.done = true;
    const item = functionCallItem(call.id, { id: call.callId, name: call.name, arguments: call.arguments }, 'completed');
    output[call.outputIndex] = item;
    return (
      event('response.function_call_arguments.done', { item_id: call.id, output_index: call.outputIndex, name: call.name, arguments: call.arguments }) +
      event('response.output_item.done', { output_index: call.outputIndex, item })
    );
  };

  const closeAll = (): string => closeMessage() + [...calls.values()].map(closeCall).join('');

  const snapshot = (state: Parameters<typeof encodeResponseObject>[1]) => encodeResponseObject(head, state);

  const complete = (): ResponsesStreamResult => {
    if (final) return final;
    closing = closeAll();
    const { status, incompleteDetails } = statusOf(finishReason);
    const response = snapshot({ status, output, incompleteDetails, completedAt: options.now(), ...(usage ? { usage } : {}) });
    final = { response, output: [...output], status };
    return final;
  };

  return {
    encode(part: StreamPart): string {
      switch (part.type) {
        case 'start': {
          if (part.model) head.model = part.model;
          const inProgress = snapshot({ status: 'in_progress', output: [] });
          return event('response.created', { response: inProgress }) + event('response.in_progress', { response: inProgress });
        }
        case 'text-delta': {
          // The Responses API has a single output; a canonical stream for it has one choice.
          if (part.choice !== 0 || part.text === '') return '';
          let opened = '';
          if (!message) {
            message = { outputIndex: output.length, id: options.newId('msg'), text: '' };
            const item = messageItem(message.id, '', 'in_progress');
            output.push(item);
            opened =
              event('response.output_item.added', { output_index: message.outputIndex, item }) +
              event('response.content_part.added', { item_id: message.id, output_index: message.outputIndex, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
          }
          message.text += part.text;
          return opened + event('response.output_text.delta', { item_id: message.id, output_index: message.outputIndex, content_index: 0, delta: part.text, logprobs: [] });
        }
        case 'tool-call-delta': {
          if (part.choice !== 0) return '';
          let text = closeMessage();
          let call = calls.get(part.toolIndex);
          if (!call) {
            call = { outputIndex: output.length, id: options.newId('fc'), callId: part.id ?? options.newId('call'), name: part.name ?? '', arguments: '', done: false };
            calls.set(part.toolIndex, call);
            const item = functionCallItem(call.id, { id: call.callId, name: call.name, arguments: '' }, 'in_progress');
            output.push(item);
            text += event('response.output_item.added', { output_index: call.outputIndex, item });
          } else if (part.name && !call.name) call.name = part.name;
          if (part.argumentsDelta === '') return text;
          call.arguments += part.argumentsDelta;
          return text + event('response.function_call_arguments.delta', { item_id: call.id, output_index: call.outputIndex, delta: part.argumentsDelta });
        }
        case 'finish':
          if (part.choice !== 0) return '';
          finishReason = part.finishReason;
          return closeAll();
        case 'usage':
          usage = part.usage;
          return '';
        // Reasoning items are refused on the way in (`reasoning` is unsupported), so no target
        // streams thinking for a Responses request.
        case 'thinking-delta':
        case 'thinking-signature':
        case 'redacted-thinking':
          return '';
      }
    },
    /**
     * Settles the response (closes open items, builds the final object) without writing; `end()`
     * then writes it. Lets the caller store the response before the client sees the end.
     */
    complete,
    /** The terminal event: `response.completed`, or `response.incomplete` for a cut answer. */
    end(): string {
      const { response, status } = complete();
      const text = closing;
      closing = '';
      return text + event(status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
    },
    /** A stream that broke after it started: `response.failed` naming the gateway's error, then an `error` event. */
    error(error: GatewayError): string {
      const response = snapshot({ status: 'failed', output: output.filter((item) => item.status !== 'in_progress'), error, ...(usage ? { usage } : {}) });
      final = { response, output: [...output], status: 'failed' };
      return event('response.failed', { response }) + event('error', { code: error.code, message: error.message, param: error.param });
    },
  };
}
