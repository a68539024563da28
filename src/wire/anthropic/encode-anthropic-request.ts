/**
 * Canonical → Anthropic Messages request body. The Messages API is stricter than OpenAI's:
 * system text lives outside `messages`, roles must alternate (so consecutive same-role turns
 * are merged), tool results are `tool_result` blocks inside a user turn, text blocks must not
 * be empty, and `max_tokens` is mandatory.
 */
import type { CanonicalMessage, ContentPart } from '../../model/chat-message.js';
import type { ChatRequest, ToolChoice } from '../../model/chat-request.js';
import type {
  AnthropicImageBlock,
  AnthropicMessageParam,
  AnthropicMessagesRequest,
  AnthropicRequestBlock,
  AnthropicToolChoice,
} from './anthropic-types.js';
import { parseToolArguments } from '../parse-tool-arguments.js';

/** Used when the client set no limit; generous enough for chat, within every current model's cap. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

const MEDIA_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

export function encodeAnthropicRequest(request: ChatRequest, model: string): AnthropicMessagesRequest {
  const system = request.messages
    .filter((message) => message.role === 'system')
    .map((message) => textOf(message.content))
    .filter((text) => text !== '');
  const body: AnthropicMessagesRequest = {
    model,
    max_tokens: request.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
    messages: mergeSameRole(request.messages.filter((message) => message.role !== 'system').map(encodeMessage)),
  };
  if (system.length > 0) body.system = system.join('\n\n');
  // OpenAI allows temperature up to 2, Anthropic up to 1: clamp rather than fail a cross-format call.
  if (request.temperature !== undefined) body.temperature = Math.min(request.temperature, 1);
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) body.stop_sequences = request.stop;
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      input_schema: tool.parameters,
    }));
    const choice = encodeToolChoice(request.toolChoice ?? 'auto', request.parallelToolCalls);
    // `auto` without the parallel flag is the API default; only send what changes behaviour.
    if (request.toolChoice !== undefined || choice.type !== 'auto' || 'disable_parallel_tool_use' in choice) body.tool_choice = choice;
  }
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  if (request.stream) body.stream = true;
  // Not representable on this wire: seed, n > 1, response_format. The inbound layer documents it.
  return body;
}

function encodeMessage(message: CanonicalMessage): AnthropicMessageParam {
  if (message.role === 'tool') {
    return {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: message.toolCallId ?? '', content: textOf(message.content) }],
    };
  }
  const blocks: AnthropicRequestBlock[] = message.content.flatMap(encodePart);
  if (message.role === 'assistant') {
    for (const call of message.toolCalls ?? []) {
      blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: parseToolArguments(call.arguments) });
    }
  }
  return { role: message.role === 'assistant' ? 'assistant' : 'user', content: blocks };
}

function encodePart(part: ContentPart): AnthropicRequestBlock[] {
  if (part.type === 'text') return part.text === '' ? [] : [{ type: 'text', text: part.text }];
  return [encodeImage(part.url)];
}

function encodeImage(url: string): AnthropicImageBlock {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (match !== null && MEDIA_TYPES.has(match[1] ?? '')) {
    return {
      type: 'image',
      source: { type: 'base64', media_type: match[1] as 'image/png', data: match[2] ?? '' },
    };
  }
  return { type: 'image', source: { type: 'url', url } };
}

/** Roles must alternate; tool results arrive as separate canonical messages but share one turn. */
function mergeSameRole(messages: AnthropicMessageParam[]): AnthropicMessageParam[] {
  const merged: AnthropicMessageParam[] = [];
  for (const message of messages) {
    const previous = merged.at(-1);
    const blocks = typeof message.content === 'string' ? [{ type: 'text' as const, text: message.content }] : message.content;
    if (previous !== undefined && previous.role === message.role && Array.isArray(previous.content)) {
      previous.content.push(...blocks);
    } else {
      merged.push({ role: message.role, content: [...blocks] });
    }
  }
  return merged;
}

function encodeToolChoice(choice: ToolChoice, parallel: boolean | undefined): AnthropicToolChoice {
  if (choice === 'none') return { type: 'none' };
  const disable = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === 'auto') return { type: 'auto', ...disable };
  if (choice === 'required') return { type: 'any', ...disable };
  return { type: 'tool', name: choice.name, ...disable };
}

function textOf(parts: ContentPart[]): string {
  return parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}
