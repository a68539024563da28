/**
 * Canonical → OpenAI Chat Completions / Embeddings request bodies, for every OpenAI-compatible
 * upstream (OpenAI, Azure OpenAI, vLLM, Ollama, TGI, llama.cpp, LM Studio).
 */
import type { CanonicalMessage, ContentPart } from '../../model/chat-message.js';
import type { ChatRequest, RequestFeature, ResponseFormat, ToolChoice } from '../../model/chat-request.js';
import type { EmbeddingRequest } from '../../model/embedding.js';
import { fitToWire } from '../feature-support.js';
import type {
  OpenAIChatCompletionRequest,
  OpenAIEmbeddingRequest,
  OpenAIMessage,
  OpenAIResponseFormat,
  OpenAIToolChoice,
  OpenAIUserContentPart,
} from './openai-types.js';

export interface EncodeOpenAIOptions {
  /** The model name as the upstream knows it (after the deployment's model map). */
  model: string;
  /**
   * OpenAI deprecated `max_tokens` and its reasoning models reject it, while many compatible
   * servers only understand `max_tokens`; the adapter picks per upstream.
   */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
}

/** What Chat Completions can express of the optional features; thinking, cache markers, documents and top_k it cannot. */
export const OPENAI_CHAT_FEATURES: ReadonlySet<RequestFeature> = new Set(['n', 'seed', 'response_format']);

export function encodeOpenAIChatRequest(asked: ChatRequest, options: EncodeOpenAIOptions): OpenAIChatCompletionRequest {
  const request = fitToWire(asked, OPENAI_CHAT_FEATURES, 'OpenAI-compatible');
  const body: OpenAIChatCompletionRequest = {
    model: options.model,
    messages: request.messages.map(encodeMessage),
  };
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        parameters: tool.parameters,
        ...(tool.strict !== undefined ? { strict: tool.strict } : {}),
      },
    }));
  }
  if (request.toolChoice !== undefined) body.tool_choice = encodeToolChoice(request.toolChoice);
  // parallel_tool_calls is only meaningful (and only accepted by some servers) with tools.
  if (request.parallelToolCalls !== undefined && body.tools !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  if (request.responseFormat !== undefined) body.response_format = encodeResponseFormat(request.responseFormat);
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.maxTokens !== undefined) body[options.maxTokensField] = request.maxTokens;
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.n !== undefined) body.n = request.n;
  if (request.user !== undefined) body.user = request.user;
  if (request.stream) {
    body.stream = true;
    // Always ask for usage: metering needs it even when the client did not ask for it.
    body.stream_options = { include_usage: true };
  }
  return body;
}

function encodeMessage(message: CanonicalMessage): OpenAIMessage {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: joinText(message.content), ...nameOf(message) };
    case 'user':
      return { role: 'user', content: encodeUserContent(message.content), ...nameOf(message) };
    case 'assistant': {
      const text = joinText(message.content);
      const toolCalls = message.toolCalls ?? [];
      return {
        role: 'assistant',
        // OpenAI wants null, not "", when the turn consists only of tool calls.
        content: text === '' && toolCalls.length > 0 ? null : text,
        ...nameOf(message),
        ...(toolCalls.length > 0
          ? {
              tool_calls: toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : {}),
      };
    }
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId ?? '', content: joinText(message.content) };
  }
}

/** A lone text part is sent as a plain string: every compatible server understands that. */
function encodeUserContent(parts: ContentPart[]): string | OpenAIUserContentPart[] {
  if (parts.every((part) => part.type === 'text')) return joinText(parts);
  // fitToWire removed documents and reasoning (or refused them): only text and images remain.
  return parts.flatMap((part): OpenAIUserContentPart[] => {
    if (part.type === 'text') return [{ type: 'text', text: part.text }];
    if (part.type === 'image') return [{ type: 'image_url', image_url: { url: part.url, ...(part.detail !== undefined ? { detail: part.detail } : {}) } }];
    return [];
  });
}

function joinText(parts: ContentPart[]): string {
  return parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function nameOf(message: CanonicalMessage): { name?: string } {
  return message.name !== undefined ? { name: message.name } : {};
}

function encodeToolChoice(choice: ToolChoice): OpenAIToolChoice {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

function encodeResponseFormat(format: ResponseFormat): OpenAIResponseFormat {
  if (format.type !== 'json_schema') return format;
  return {
    type: 'json_schema',
    json_schema: {
      name: format.name,
      schema: format.schema,
      ...(format.strict !== undefined ? { strict: format.strict } : {}),
      ...(format.description !== undefined ? { description: format.description } : {}),
    },
  };
}

export function encodeOpenAIEmbeddingRequest(request: EmbeddingRequest, model: string): OpenAIEmbeddingRequest {
  return {
    model,
    input: request.input,
    // Explicit: some servers default to base64 when the official SDK's header habits leak in.
    encoding_format: 'float',
    ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}),
    ...(request.user !== undefined ? { user: request.user } : {}),
  };
}
