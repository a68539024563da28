/**
 * Canonical → the body of Anthropic's POST /v1/messages/count_tokens: the parts of a Messages
 * request that make up its input (model, system, messages, tools, tool_choice, thinking). The
 * endpoint refuses generation settings such as `max_tokens` or `stream`, so they are left out.
 */
import type { ChatRequest } from '../../model/chat-request.js';
import type { AnthropicMessagesRequest } from './anthropic-types.js';
import { encodeAnthropicRequest } from './encode-anthropic-request.js';
import { WireProtocolError } from '../wire-protocol-error.js';

export type AnthropicCountTokensRequest = Pick<AnthropicMessagesRequest, 'model' | 'messages' | 'system' | 'tools' | 'tool_choice' | 'thinking'>;

export function encodeAnthropicCountTokensRequest(request: ChatRequest, model: string): AnthropicCountTokensRequest {
  // The same encoding as the call it counts, so the count is of exactly what would be sent.
  const full = encodeAnthropicRequest({ ...request, stream: false }, model);
  const body: AnthropicCountTokensRequest = { model: full.model, messages: full.messages };
  if (full.system !== undefined) body.system = full.system;
  if (full.tools !== undefined) body.tools = full.tools;
  if (full.tool_choice !== undefined) body.tool_choice = full.tool_choice;
  if (full.thinking !== undefined) body.thinking = full.thinking;
  return body;
}

/** `{"input_tokens": N}`, the endpoint's whole answer. */
export function decodeAnthropicCountTokensResponse(body: unknown): { inputTokens: number } {
  const value = body !== null && typeof body === 'object' ? (body as { input_tokens?: unknown }).input_tokens : undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new WireProtocolError('The upstream token count has no valid input_tokens.');
  return { inputTokens: value };
}
