import type { GatewayError } from '../../errors/gateway-error.js';
import type { ChatResponse, FinishReason, ThinkingBlock } from '../../model/chat-response.js';
import type { StreamPart } from '../../model/stream-part.js';
import type { Usage } from '../../model/usage.js';

/** Canonical responses → the Anthropic Messages wire shapes, including the stream event sequence. */

const STOP_REASONS: Record<FinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text === '' ? '{}' : text);
  } catch {
    // A model that produced broken JSON still gets its text through rather than a 500.
    return { _raw: text };
  }
}

/** Anthropic counts cache reads and writes apart from `input_tokens`; canonical input includes them. */
function usageWire(usage: Usage | undefined): Record<string, number> {
  const read = usage?.cachedInputTokens ?? 0;
  const write = usage?.cacheWriteInputTokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.inputTokens ?? 0) - read - write),
    output_tokens: usage?.outputTokens ?? 0,
    ...(usage?.cachedInputTokens !== undefined ? { cache_read_input_tokens: read } : {}),
    ...(usage?.cacheWriteInputTokens !== undefined ? { cache_creation_input_tokens: write } : {}),
  };
}

function thinkingWire(block: ThinkingBlock): Record<string, string> {
  return block.type === 'thinking' ? { type: 'thinking', thinking: block.text, signature: block.signature } : { type: 'redacted_thinking', data: block.data };
}

function messageId(id: string): string {
  return id.startsWith('msg_') ? id : `msg_${id.replace(/^chatcmpl-/, '')}`;
}

export function encodeAnthropicResponse(response: ChatResponse): Record<string, unknown> {
  const choice = response.choices[0];
  // Reasoning comes first, as the Messages API returns it (and expects it back).
  const content: unknown[] = (choice?.message.thinking ?? []).map(thinkingWire);
  if (choice?.message.content) content.push({ type: 'text', text: choice.message.content });
  for (const call of choice?.message.toolCalls ?? []) {
    content.push({ type: 'tool_use', id: call.id, name: call.name, input: parseArguments(call.arguments) });
  }
  return {
    id: messageId(response.id),
    type: 'message',
    role: 'assistant',
    model: response.model,
    content,
    stop_reason: STOP_REASONS[choice?.finishReason ?? 'stop'],
    stop_sequence: null,
    usage: usageWire(response.usage),
  };
}

const event = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * Stateful stream encoder: canonical parts → message_start, content_block_start/delta/stop,
 * message_delta, message_stop. Only choice 0 exists in Anthropic's model.
 */
export function createAnthropicStreamEncoder() {
  let blockIndex = -1;
  let openBlock: { kind: 'text' } | { kind: 'thinking' } | { kind: 'tool'; toolIndex: number } | undefined;
  let finishReason: FinishReason = 'stop';
  let usage: Usage | undefined;

  const closeBlock = (): string => {
    if (!openBlock) return '';
    openBlock = undefined;
    return event('content_block_stop', { type: 'content_block_stop', index: blockIndex });
  };

  const openThinking = (): string => {
    if (openBlock?.kind === 'thinking') return '';
    const out = closeBlock();
    blockIndex += 1;
    openBlock = { kind: 'thinking' };
    return out + event('content_block_start', { type: 'content_block_start', index: blockIndex, content_block: { type: 'thinking', thinking: '', signature: '' } });
  };

  return {
    encode(part: StreamPart): string {
      switch (part.type) {
        case 'thinking-delta':
          if (part.choice !== 0 || part.text === '') return '';
          return openThinking() + event('content_block_delta', { type: 'content_block_delta', index: blockIndex, delta: { type: 'thinking_delta', thinking: part.text } });
        case 'thinking-signature': {
          if (part.choice !== 0) return '';
          // The signature is the last thing in its thinking block: it closes it.
          const out = openThinking() + event('content_block_delta', { type: 'content_block_delta', index: blockIndex, delta: { type: 'signature_delta', signature: part.signature } });
          return out + closeBlock();
        }
        case 'redacted-thinking': {
          if (part.choice !== 0) return '';
          let out = closeBlock();
          blockIndex += 1;
          out += event('content_block_start', { type: 'content_block_start', index: blockIndex, content_block: { type: 'redacted_thinking', data: part.data } });
          return out + event('content_block_stop', { type: 'content_block_stop', index: blockIndex });
        }
        case 'start':
          return (
            event('message_start', {
              type: 'message_start',
              message: {
                id: messageId(part.id),
                type: 'message',
                role: 'assistant',
                model: part.model,
                content: [],
                stop_reason: null,
                stop_sequence: null,
                usage: { input_tokens: 0, output_tokens: 0 },
              },
            }) + event('ping', { type: 'ping' })
          );
        case 'text-delta': {
          if (part.choice !== 0 || part.text === '') return '';
          let out = '';
          if (openBlock?.kind !== 'text') {
            out += closeBlock();
            blockIndex += 1;
            openBlock = { kind: 'text' };
            out += event('content_block_start', { type: 'content_block_start', index: blockIndex, content_block: { type: 'text', text: '' } });
          }
          return out + event('content_block_delta', { type: 'content_block_delta', index: blockIndex, delta: { type: 'text_delta', text: part.text } });
        }
        case 'tool-call-delta': {
          if (part.choice !== 0) return '';
          let out = '';
          if (openBlock?.kind !== 'tool' || openBlock.toolIndex !== part.toolIndex) {
            out += closeBlock();
            blockIndex += 1;
            openBlock = { kind: 'tool', toolIndex: part.toolIndex };
            out += event('content_block_start', {
              type: 'content_block_start',
              index: blockIndex,
              content_block: { type: 'tool_use', id: part.id ?? `toolu_${blockIndex}`, name: part.name ?? '', input: {} },
            });
          }
          if (part.argumentsDelta === '') return out;
          return out + event('content_block_delta', { type: 'content_block_delta', index: blockIndex, delta: { type: 'input_json_delta', partial_json: part.argumentsDelta } });
        }
        case 'finish':
          if (part.choice === 0) finishReason = part.finishReason;
          return '';
        case 'usage':
          usage = part.usage;
          return '';
      }
    },
    end(): string {
      return (
        closeBlock() +
        event('message_delta', {
          type: 'message_delta',
          delta: { stop_reason: STOP_REASONS[finishReason], stop_sequence: null },
          usage: usageWire(usage),
        }) +
        event('message_stop', { type: 'message_stop' })
      );
    },
    error(error: GatewayError): string {
      return event('error', encodeAnthropicError(error));
    },
  };
}

const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  502: 'api_error',
  503: 'overloaded_error',
  504: 'api_error',
};

export function encodeAnthropicError(error: GatewayError): Record<string, unknown> {
  const type = ANTHROPIC_ERROR_TYPES[error.status] ?? (error.status >= 500 ? 'api_error' : 'invalid_request_error');
  const detail: Record<string, unknown> = { type, message: error.message, code: error.code };
  if (error.attempts) detail.attempts = error.attempts;
  return { type: 'error', error: detail };
}
