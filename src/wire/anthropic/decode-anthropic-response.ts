/**
 * Anthropic Messages response → canonical. Text blocks are concatenated (the canonical message
 * has one content string); tool_use inputs become JSON argument text; thinking and
 * redacted_thinking blocks are kept beside the answer with their signatures, so a client on the
 * Anthropic wire gets them back to pass along in its next turn.
 */
import type { ChatResponse, FinishReason, ThinkingBlock } from '../../model/chat-response.js';
import type { ToolCall } from '../../model/chat-message.js';
import type { Usage } from '../../model/usage.js';
import { isRecord, WireProtocolError } from '../wire-protocol-error.js';
import type { AnthropicUsage } from './anthropic-types.js';

export function decodeAnthropicResponse(body: unknown): ChatResponse {
  if (!isRecord(body) || !Array.isArray(body.content)) {
    throw new WireProtocolError('The upstream message has no content array.');
  }
  let text = '';
  const toolCalls: ToolCall[] = [];
  const thinking: ThinkingBlock[] = [];
  for (const block of body.content) {
    if (!isRecord(block)) continue;
    if (block.type === 'thinking' && typeof block.thinking === 'string') thinking.push({ type: 'thinking', text: block.thinking, signature: typeof block.signature === 'string' ? block.signature : '' });
    if (block.type === 'redacted_thinking' && typeof block.data === 'string') thinking.push({ type: 'redacted-thinking', data: block.data });
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    if (block.type === 'tool_use') {
      toolCalls.push({ id: String(block.id ?? ''), name: String(block.name ?? ''), arguments: JSON.stringify(block.input ?? {}) });
    }
  }
  const usage = decodeAnthropicUsage(body.usage);
  const refusal = body.stop_reason === 'refusal';
  return {
    id: typeof body.id === 'string' ? body.id : '',
    model: typeof body.model === 'string' ? body.model : '',
    // The Messages API has no creation timestamp; the time we decoded it is the closest truth.
    created: Math.floor(Date.now() / 1000),
    choices: [
      {
        index: 0,
        message: {
          content: text === '' && toolCalls.length > 0 ? null : text,
          ...(thinking.length > 0 ? { thinking } : {}),
          ...(toolCalls.length > 0 ? { toolCalls } : {}),
          ...(refusal ? { refusal: text } : {}),
        },
        finishReason: decodeAnthropicStopReason(body.stop_reason),
      },
    ],
    ...(usage !== undefined ? { usage } : {}),
  };
}

export function decodeAnthropicStopReason(reason: unknown): FinishReason {
  switch (reason) {
    case 'max_tokens':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      // end_turn, stop_sequence, pause_turn and anything newer: the model stopped normally.
      return 'stop';
  }
}

/**
 * Anthropic's `input_tokens` excludes cache reads and writes; canonical (OpenAI) input counts
 * include them, with cache reads reported as `cachedInputTokens` and cache writes as
 * `cacheWriteInputTokens` (of which `cache_creation.ephemeral_1h_input_tokens` at the 1-hour price).
 */
export function decodeAnthropicUsage(usage: unknown): Usage | undefined {
  if (!isRecord(usage)) return undefined;
  const typed = usage as Partial<AnthropicUsage>;
  if (typeof typed.input_tokens !== 'number' || typeof typed.output_tokens !== 'number') return undefined;
  const cacheRead = typed.cache_read_input_tokens ?? 0;
  const cacheWrite = typed.cache_creation_input_tokens ?? 0;
  const oneHour = isRecord(typed.cache_creation) && typeof typed.cache_creation.ephemeral_1h_input_tokens === 'number' ? typed.cache_creation.ephemeral_1h_input_tokens : 0;
  return {
    inputTokens: typed.input_tokens + cacheRead + cacheWrite,
    outputTokens: typed.output_tokens,
    ...(typed.cache_read_input_tokens !== undefined && typed.cache_read_input_tokens !== null ? { cachedInputTokens: cacheRead } : {}),
    ...(cacheWrite > 0 ? { cacheWriteInputTokens: cacheWrite } : {}),
    ...(cacheWrite > 0 && oneHour > 0 ? { cacheWrite1hInputTokens: Math.min(oneHour, cacheWrite) } : {}),
  };
}
