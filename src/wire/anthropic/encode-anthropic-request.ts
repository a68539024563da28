/**
 * Canonical → Anthropic Messages request body. The Messages API is stricter than OpenAI's:
 * system text lives outside `messages`, roles must alternate (so consecutive same-role turns
 * are merged), tool results are `tool_result` blocks inside a user turn, text blocks must not
 * be empty, and `max_tokens` is mandatory. What only this wire has — extended thinking and
 * thinking blocks with their signatures, documents, `cache_control` breakpoints, `top_k` — is
 * forwarded as given; what it lacks (`n` > 1, `seed`, `response_format`) is refused or, when
 * the alias allows, dropped (feature-support.ts).
 */
import type { CacheControl, CanonicalMessage, ContentPart, DocumentPart } from '../../model/chat-message.js';
import type { ChatRequest, RequestFeature, ToolChoice } from '../../model/chat-request.js';
import type {
  AnthropicCacheControl,
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicMessageParam,
  AnthropicMessagesRequest,
  AnthropicRequestBlock,
  AnthropicTextBlock,
  AnthropicToolChoice,
} from './anthropic-types.js';
import { parseToolArguments } from '../parse-tool-arguments.js';
import { fitToWire } from '../feature-support.js';

/** Used when the client set no limit; generous enough for chat, within every current model's cap. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

/** What the Messages API can express of the optional features. */
export const ANTHROPIC_FEATURES: ReadonlySet<RequestFeature> = new Set(['top_k', 'thinking', 'cache_control', 'document']);

const MEDIA_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

export function encodeAnthropicRequest(asked: ChatRequest, model: string): AnthropicMessagesRequest {
  const request = fitToWire(asked, ANTHROPIC_FEATURES, 'Anthropic');
  const systemMessages = request.messages.filter((message) => message.role === 'system');
  const body: AnthropicMessagesRequest = {
    model,
    max_tokens: request.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
    messages: mergeSameRole(request.messages.filter((message) => message.role !== 'system').map(encodeMessage)),
  };
  const system = encodeSystem(systemMessages);
  if (system !== undefined) body.system = system;
  // OpenAI allows temperature up to 2, Anthropic up to 1: clamp rather than fail a cross-format call.
  if (request.temperature !== undefined) body.temperature = Math.min(request.temperature, 1);
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.topK !== undefined) body.top_k = request.topK;
  if (request.stop !== undefined && request.stop.length > 0) body.stop_sequences = request.stop;
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      input_schema: tool.parameters,
      ...cacheControlOf(tool.cacheControl),
    }));
    const choice = encodeToolChoice(request.toolChoice ?? 'auto', request.parallelToolCalls);
    // `auto` without the parallel flag is the API default; only send what changes behaviour.
    if (request.toolChoice !== undefined || choice.type !== 'auto' || 'disable_parallel_tool_use' in choice) body.tool_choice = choice;
  }
  if (request.thinking !== undefined) {
    body.thinking = request.thinking.type === 'enabled' ? { type: 'enabled', budget_tokens: request.thinking.budgetTokens } : { type: 'disabled' };
  }
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  if (request.stream) body.stream = true;
  return body;
}

/**
 * The system prompt as one string (what clients usually send), or as text blocks when a block
 * carries a cache breakpoint: the marker belongs to a block, so the blocks are kept.
 */
function encodeSystem(messages: readonly CanonicalMessage[]): string | AnthropicTextBlock[] | undefined {
  const marked = messages.some((message) => message.content.some((part) => part.type === 'text' && part.cacheControl !== undefined));
  if (marked) {
    const blocks = messages.flatMap((message) => message.content.flatMap((part) => (part.type === 'text' && part.text !== '' ? [{ type: 'text' as const, text: part.text, ...cacheControlOf(part.cacheControl) }] : [])));
    return blocks.length > 0 ? blocks : undefined;
  }
  const texts = messages.map((message) => textOf(message.content)).filter((text) => text !== '');
  return texts.length > 0 ? texts.join('\n\n') : undefined;
}

function cacheControlOf(marker: CacheControl | undefined): { cache_control?: AnthropicCacheControl } {
  if (marker === undefined) return {};
  return { cache_control: marker.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: marker.ttl } };
}

function encodeMessage(message: CanonicalMessage): AnthropicMessageParam {
  if (message.role === 'tool') {
    return {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: message.toolCallId ?? '', content: textOf(message.content), ...cacheControlOf(message.cacheControl) }],
    };
  }
  const blocks: AnthropicRequestBlock[] = message.content.flatMap(encodePart);
  if (message.role === 'assistant') {
    for (const call of message.toolCalls ?? []) {
      blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: parseToolArguments(call.arguments), ...cacheControlOf(call.cacheControl) });
    }
  }
  return { role: message.role === 'assistant' ? 'assistant' : 'user', content: blocks };
}

function encodePart(part: ContentPart): AnthropicRequestBlock[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [{ type: 'text', text: part.text, ...cacheControlOf(part.cacheControl) }];
    case 'image':
      return [{ ...encodeImage(part.url), ...cacheControlOf(part.cacheControl) }];
    case 'document':
      return [encodeDocument(part)];
    case 'thinking':
      // Byte for byte as the upstream produced it: the signature covers the text.
      return [{ type: 'thinking', thinking: part.text, signature: part.signature }];
    case 'redacted-thinking':
      return [{ type: 'redacted_thinking', data: part.data }];
  }
}

function encodeDocument(part: DocumentPart): AnthropicDocumentBlock {
  const source = part.source;
  return {
    type: 'document',
    source:
      source.kind === 'url'
        ? { type: 'url', url: source.url }
        : { type: source.kind, media_type: source.mediaType, data: source.data },
    ...(part.title !== undefined ? { title: part.title } : {}),
    ...(part.context !== undefined ? { context: part.context } : {}),
    ...(part.citations !== undefined ? { citations: { enabled: part.citations } } : {}),
    ...cacheControlOf(part.cacheControl),
  };
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
